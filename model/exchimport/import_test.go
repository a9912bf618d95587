package exchimport_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/exchimport"
)

// TestImportE16Fixture imports the genuine Export-Clixml files of the
// Exchange 2016 CU22 server SOLO-E16A (a flat folder, no collector layout).
func TestImportE16Fixture(t *testing.T) {
	inv, rep, err := exchimport.Import(fixtures)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	problems := inv.Validate()
	for _, p := range problems {
		if p.Message != "organization.name is missing" {
			t.Errorf("unexpected validation problem: %s", p.Message)
		}
	}
	if len(inv.Servers) != 1 {
		t.Fatalf("got %d servers, want 1", len(inv.Servers))
	}
	s := inv.Servers[0]
	for _, c := range []struct{ field, got, want string }{
		{"name", s.Name, "SOLO-E16A"},
		{"fqdn", s.FQDN, "Solo-E16A.Solo.local"},
		{"site", s.Site, "Default-First-Site-Name"},
		{"version", s.Version, "Version 15.1 (Build 2375.7)"},
		{"build", s.Build, "15.1.2375.7"},
		{"parsed", s.Parsed.Name(), "Exchange 2016 CU22"},
		{"edition", s.Edition, "StandardEvaluation"},
		{"os", s.OS, "Microsoft Windows Server 2016 Datacenter"},
		{"roles", strings.Join(s.Roles, ","), "Mailbox"},
		{"installed_updates", strings.Join(s.InstalledUpdates, ","), "KB3192137,KB4049065,KB4054590,KB4486129,KB4051033"},
		{"owa.internal_url", s.OWA.InternalURL, "https://solo-e16a.solo.local/owa"},
		{"owa.external_url", s.OWA.ExternalURL, ""},
		{"owa.authentication", strings.Join(s.OWA.Authentication, ","), "Basic,FBA"},
		{"ews.internal_url", s.EWS.InternalURL, "https://solo-e16a.solo.local/EWS/Exchange.asmx"},
		{"ews.authentication", strings.Join(s.EWS.Authentication, ","), "NTLM,WindowsIntegrated,WSSecurity,OAuth"},
		{"dotnet (not in the fixtures)", s.DotNet, ""},
		{"ecp (not in the fixtures)", s.ECP.InternalURL, ""},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.field, c.got, c.want)
		}
	}
	if !reflect.DeepEqual(inv.Sites, []model.Site{{Name: "Default-First-Site-Name"}}) {
		t.Errorf("sites: got %v", inv.Sites)
	}

	// TLS: the *Value properties of GetAllTlsSettings; Nil stays nil.
	tls := s.TLS
	for _, c := range []struct {
		field string
		got   *int
		want  string
	}{
		{"tls10 server enabled", tls.Schannel10ServerEnabled, "1"},
		{"tls10 server disabled by default (Nil)", tls.Schannel10ServerDisabledByDefault, "nil"},
		{"tls10 client enabled (Nil)", tls.Schannel10ClientEnabled, "nil"},
		{"tls11 server enabled", tls.Schannel11ServerEnabled, "1"},
		{"tls11 server disabled by default", tls.Schannel11ServerDisabledByDefault, "0"},
		{"tls11 client enabled (Nil)", tls.Schannel11ClientEnabled, "nil"},
		{"tls12 server enabled", tls.Schannel12ServerEnabled, "1"},
		{"tls12 server disabled by default", tls.Schannel12ServerDisabledByDefault, "0"},
		{"tls12 client enabled (Nil)", tls.Schannel12ClientEnabled, "nil"},
		{"tls12 client disabled by default (Nil)", tls.Schannel12ClientDisabledByDefault, "nil"},
		{"net4 system default tls versions (Nil)", tls.Net4SystemDefaultTLSVersions, "nil"},
		{"net4 strong crypto (Nil)", tls.Net4SchUseStrongCrypto, "nil"},
		{"net2 system default tls versions (Nil)", tls.Net2SystemDefaultTLSVersions, "nil"},
		{"net4 wow strong crypto (Nil)", tls.Net4WowSchUseStrongCrypto, "nil"},
	} {
		if got := intp(c.got); got != c.want {
			t.Errorf("%s: got %s, want %s", c.field, got, c.want)
		}
	}

	// Certificates: from RawData, bound on the server of the folder.
	type cert struct{ thumb, subject, sans, notAfter, alg, servers string }
	var got []cert
	for _, c := range inv.Certificates {
		got = append(got, cert{c.Thumbprint, c.Subject, strings.Join(c.SANs, ","), c.NotAfter, c.SignatureAlgorithm, strings.Join(c.Servers, ",")})
	}
	want := []cert{
		{"92E196F3C8D3D753FCFC5B7690C3173AA1C0ABE3", "CN=Microsoft Exchange Server Auth Certificate", "", "2023-10-29", "sha1RSA", "SOLO-E16A"},
		{"823884A32609DCDC8C4B5462952586C30D814073", "CN=Solo-E16A", "Solo-E16A.Solo.local", "2023-11-24", "sha1RSA", "SOLO-E16A"},
		{"A60C6E62FF85D208DF668D597A1B077E1534147F", "CN=WMSvc-WIN-9UC94ETVM30", "", "2028-11-20", "sha256RSA", "SOLO-E16A"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("certificates:\n got %+v\nwant %+v", got, want)
	}

	// The report: every file recognised, what to add, what was dropped.
	if len(rep.Files) != 9 {
		t.Errorf("report lists %d files, want 9", len(rep.Files))
	}
	for _, f := range rep.Files {
		if f.Kind == "" {
			t.Errorf("%s not recognised", f.Path)
		}
		if f.Path == "GetExchangeCertificate.xml" && (f.Server != "SOLO-E16A" || f.Objects != 3) {
			t.Errorf("certificate file: got server %q, %d objects", f.Server, f.Objects)
		}
	}
	text := strings.Join(rep.Lines(), "\n")
	for _, w := range []string{
		"[[namespaces]]", "[[load_balancers]]", "[[client_profiles]]", "[[mailboxes]]: none imported",
		"[[databases]]: none imported", "server SOLO-E16A: not in the export", "outlook_anywhere",
		"ecp", "organization.name is missing", `name "Solo-E16A" is not a DNS name`,
		"Get-MailboxServer (not needed): 1 file",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("report lacks %q:\n%s", w, text)
		}
	}
	for _, l := range rep.Lines() {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("report line %q spans lines", l)
		}
	}
}

// TestImportSingleFile imports one file given by path.
func TestImportSingleFile(t *testing.T) {
	inv, rep, err := exchimport.Import(fixtures + "/GetExchangeServer.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Servers) != 1 || inv.Servers[0].FQDN != "Solo-E16A.Solo.local" {
		t.Fatalf("got servers %+v", inv.Servers)
	}
	if len(rep.Files) != 1 || rep.Files[0].Path != "GetExchangeServer.xml" {
		t.Errorf("files: %+v", rep.Files[0])
	}
}

func TestImportNothing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "readme.txt", []byte("hello"))
	write(t, dir, "other.xml", []byte("<root/>"))
	inv, rep, err := exchimport.Import(dir)
	if err == nil || !strings.Contains(err.Error(), "no Exchange export found") {
		t.Fatalf("got %v, want no Exchange export found", err)
	}
	if inv != nil {
		t.Errorf("got an inventory from nothing: %+v", inv)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "other.xml: not a CLIXML file") {
		t.Errorf("notes: %q", rep.Notes)
	}
	if _, _, err := exchimport.Import(dir + "/missing"); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("missing dir: got %v", err)
	}
}

func TestFilesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range exchimport.Files {
		if seen[strings.ToLower(f.Name)] {
			t.Errorf("%s listed twice", f.Name)
		}
		seen[strings.ToLower(f.Name)] = true
		if f.Scope != "server" && f.Scope != "org" {
			t.Errorf("%s: scope %q", f.Name, f.Scope)
		}
		if f.Source == "" || f.Reads == "" {
			t.Errorf("%s: undocumented", f.Name)
		}
	}
}
