package exchimport_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/exchimport"
)

// testCert makes a self-signed sha256RSA certificate for the names.
func testCert(t *testing.T, cn string, names ...string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:       big.NewInt(42),
		Subject:            pkix.Name{CommonName: cn, Organization: []string{"Solo"}},
		DNSNames:           names,
		NotBefore:          time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:           time.Date(2028, 6, 30, 12, 0, 0, 0, time.UTC),
		SignatureAlgorithm: x509.SHA256WithRSA,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// collectorFolder writes a folder shaped like collect.ps1's output: the
// E16 fixtures as servers/SOLO-E16A, a hand-made Exchange 2010 server
// EX2010, the organisation files, mailboxes.csv and manifest.csv. It
// returns the folder and the thumbprint of the certificate both servers
// have.
func collectorFolder(t *testing.T) (string, string) {
	dir := t.TempDir()
	copyFixtures(t, dir, "servers/SOLO-E16A")
	c := &cx{}
	der := testCert(t, "mail.solo.com", "mail.solo.com", "autodiscover.solo.com", "EX2010")
	thumb := fmt.Sprintf("%X", sha1.Sum(der))
	certObj := func() string {
		return c.doc(c.obj("", []string{"Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate", "System.Security.Cryptography.X509Certificates.X509Certificate2"}, "[Subject]",
			fmt.Sprintf(`<BA N="RawData">%s</BA>`, base64.StdEncoding.EncodeToString(der)),
			c.enum("Services", "Microsoft.Exchange.Management.Metabase.AllowedServices", "IIS, SMTP", 24),
			s("Thumbprint", thumb)))
	}
	srv := "servers/EX2010/"
	files := map[string]string{
		srv + "GetExchangeServer.xml": c.doc(c.obj("", []string{"Microsoft.Exchange.Data.Directory.Management.ExchangeServer"}, "EX2010",
			s("Name", "EX2010"), s("Fqdn", "ex2010.solo.local"),
			c.adID("Site", "Default-First-Site-Name", "Solo.local/Configuration/Sites/Default-First-Site-Name"),
			c.obj("AdminDisplayVersion", []string{"Microsoft.Exchange.Data.ServerVersion"}, "Version 14.3 (Build 123.4)", i32("Major", 14), i32("Minor", 3)),
			c.enum("ServerRole", "Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole", "Mailbox, ClientAccess, HubTransport, Monitoring", 38),
			c.enum("Edition", "Microsoft.Exchange.Data.ServerEditionType", "Standard", 1))),
		srv + "ExSetup.xml": c.doc(c.obj("", []string{"Deserialized.System.Diagnostics.FileVersionInfo"}, "File: ExSetup.exe",
			s("FileName", `\\ex2010.solo.local\C$\Program Files\Microsoft\Exchange Server\V14\Bin\ExSetup.exe`),
			i32("FileMajorPart", 14), i32("FileMinorPart", 3), i32("FileBuildPart", 496), i32("FilePrivatePart", 0),
			s("FileVersion", "14.03.0496.000"))),
		srv + "TlsRegistry.xml": c.doc(
			regRow(c, "EX2010", `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server`, "Enabled", i32("Value", -1)),
			regRow(c, "EX2010", `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server`, "DisabledByDefault", i32("Value", 0)),
			regRow(c, "EX2010", `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client`, "Enabled", nil_("Value")),
			regRow(c, "EX2010", `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server`, "Enabled", i32("Value", 0)),
			regRow(c, "EX2010", `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server`, "DisabledByDefault", i32("Value", 1)),
			regRow(c, "EX2010", `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client`, "Enabled", s("Value", "0xffffffff")),
			regRow(c, "EX2010", `SOFTWARE\Microsoft\.NETFramework\v2.0.50727`, "SystemDefaultTlsVersions", i32("Value", 1)),
			regRow(c, "EX2010", `SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727`, "SchUseStrongCrypto", i32("Value", 1)),
			regRow(c, "EX2010", `SOFTWARE\Microsoft\NET Framework Setup\NDP\v3.5`, "Install", i32("Value", 1)),
			regRow(c, "EX2010", `SOFTWARE\Microsoft\NET Framework Setup\NDP\v3.5`, "SP", i32("Value", 1)),
			regRow(c, "EX2010", `SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full`, "Release", i32("Value", 528049)),
			regRow(c, "EX2010", `SOFTWARE\Microsoft\ExchangeServer\v14\Setup`, "MsiInstallPath", s("Value", `C:\Program Files\Microsoft\Exchange Server\V14\`)),
		),
		srv + "GetOutlookAnywhere.xml": c.doc(c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.ADRpcHttpVirtualDirectory"}, `EX2010\Rpc (Default Web Site)`,
			c.adID("Server", "EX2010", "EX2010"),
			c.obj("ExternalHostname", []string{"Microsoft.Exchange.Data.Hostname"}, "mail.solo.com"),
			c.enum("ClientAuthenticationMethod", "Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthenticationMethod", "Ntlm", 2),
			c.list("IISAuthenticationMethods", "Basic", "Ntlm", "Misconfigured"),
			b("SSLOffloading", false))),
		srv + "GetOwaVirtualDirectory.xml": c.doc(
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.ADOwaVirtualDirectory"}, `EX2010\owa (Second Site)`,
				s("Name", "owa (Second Site)"), c.adID("Server", "EX2010", "EX2010"), u("InternalUrl", "https://second.solo.local/owa")),
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.ADOwaVirtualDirectory"}, `EX2010\owa (Default Web Site)`,
				s("Name", "owa (Default Web Site)"), c.adID("Server", "EX2010", "EX2010"),
				u("InternalUrl", "https://ex2010.solo.local/owa"), u("ExternalUrl", "https://mail.solo.com/owa"),
				c.list("InternalAuthenticationMethods", "Fba"),
				c.enum("LegacyRedirectType", "Microsoft.Exchange.Data.Directory.SystemConfiguration.LegacyRedirectTypeOptions", "Manual", 1))),
		srv + "GetEcpVirtualDirectory.xml": c.doc(c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.ADEcpVirtualDirectory"}, `EX2010\ecp (Default Web Site)`,
			s("Name", "ecp (Default Web Site)"), c.adID("Server", "EX2010", "EX2010"),
			u("InternalUrl", "https://ex2010.solo.local/ecp"), nil_("ExternalUrl"),
			nil_("InternalAuthenticationMethods"), b("BasicAuthentication", true), b("FormsAuthentication", true), b("WindowsAuthentication", false))),
		srv + "GetClientAccessServer.xml": c.doc(c.obj("", []string{"Microsoft.Exchange.Data.Directory.Management.ClientAccessServer"}, "EX2010",
			s("Name", "EX2010"), u("AutoDiscoverServiceInternalUri", "https://autodiscover.solo.com/Autodiscover/Autodiscover.xml"))),
		srv + "GetPopSettings.xml": c.doc(c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.Pop3AdConfiguration"}, "EX2010",
			c.adID("Server", "EX2010", "EX2010"), c.list("ExternalConnectionSettings", "mail.solo.com:995:SSL"))),
		srv + "GetService.xml": c.doc(c.obj("", []string{"Selected.System.ServiceProcess.ServiceController", "System.Management.Automation.PSCustomObject"}, "",
			s("Name", "MSExchangePOP3"), s("MachineName", "ex2010.solo.local"),
			c.enum("Status", "System.ServiceProcess.ServiceControllerStatus", "Stopped", 1))),
		srv + "GetHotFix.xml":              c.doc(), // ran, found nothing
		srv + "GetExchangeCertificate.xml": certObj(),
		"servers/SOLO-E16A/certs2.xml":     certObj(), // found by type, not name

		"org/GetOrganizationConfig.xml": c.doc(c.obj("", []string{"Microsoft.Exchange.Data.Directory.Management.OrganizationConfig"}, "Solo",
			s("Name", "Solo"), b("MapiHttpEnabled", true))),
		"org/GetADSite.xml": c.doc(
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.Management.ADSite"}, "Default-First-Site-Name", s("Name", "Default-First-Site-Name")),
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.Management.ADSite"}, "Branch", s("Name", "Branch"))),
		"org/GetOutlookProvider.xml": c.doc(
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.OutlookProvider"}, "EXPR", s("Name", "EXPR"), nil_("Server"), nil_("CertPrincipalName")),
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.OutlookProvider"}, "WEB", s("Name", "WEB"), nil_("Server"), s("CertPrincipalName", "msstd:mail.solo.com"))),
		"org/GetMailboxDatabase.xml": c.doc(
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase"}, "DB2010",
				s("Name", "DB2010"), c.adID("Server", "EX2010", "EX2010"), s("RpcClientAccessServer", "outlook.solo.local"),
				c.adID("OfflineAddressBook", "Default Offline Address Book", `\Default Offline Address Book`), b("Recovery", false)),
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase"}, "DB2016",
				s("Name", "DB2016"), c.adID("Server", "SOLO-E16A", "SOLO-E16A"), nil_("OfflineAddressBook")),
			c.obj("", []string{"Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase"}, "RDB1",
				s("Name", "RDB1"), c.adID("Server", "SOLO-E16A", "SOLO-E16A"), b("Recovery", true))),
		"org/mailboxes.csv": "\uFEFF\"name\",\"database\"\r\n\"alice\",\"DB2010\"\r\n\"bob\",\"DB2016\"\r\n\"Alice\",\"DB2016\"\r\n\"carol\",\"Solo.local/Configuration/Databases/DB2016\"\r\n",
		"manifest.csv": "\"Time\",\"Server\",\"Version\",\"Cmdlet\",\"File\",\"Status\",\"Objects\",\"Reason\"\r\n" +
			"\"2026-01-05T10:00:00\",\"EX2010\",\"Version 14.3 (Build 123.4)\",\"Get-ExchangeServer\",\"servers\\EX2010\\GetExchangeServer.xml\",\"ok\",\"1\",\"\"\r\n" +
			"\"2026-01-05T10:00:01\",\"EX2010\",\"Version 14.3 (Build 123.4)\",\"Get-MapiVirtualDirectory\",\"\",\"skipped\",\"0\",\"not available on Exchange 2010\"\r\n" +
			"\"2026-01-05T10:00:02\",\"EX2010\",\"Version 14.3 (Build 123.4)\",\"Get-ImapSettings\",\"servers\\EX2010\\GetImapSettings.xml\",\"ok\",\"1\",\"\"\r\n",
		"notes.csv": "a,b\r\n1,2\r\n",
	}
	for name, content := range files {
		write(t, dir, name, []byte(content))
	}
	return dir, thumb
}

func regRow(c *cx, computer, key, name, value string) string {
	return c.obj("", []string{"Selected.System.String", "System.Management.Automation.PSCustomObject"}, "",
		s("ComputerName", computer), s("Key", key), s("Name", name), value)
}

func TestImportCollectorFolder(t *testing.T) {
	dir, thumb := collectorFolder(t)
	inv, rep, err := exchimport.Import(dir)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if ps := inv.Validate(); len(ps) > 0 {
		t.Errorf("validation problems: %v", ps)
	}
	x := model.NewIndex(inv)
	ex := x.Server("EX2010")
	e16 := x.Server("SOLO-E16A")
	if ex == nil || e16 == nil || len(inv.Servers) != 2 {
		t.Fatalf("servers: %+v", inv.Servers)
	}
	for _, c := range []struct{ field, got, want string }{
		{"org name", inv.Organization.Name, "Solo"},
		{"mapi_http_enabled", fmt.Sprint(*inv.Organization.MapiHTTPEnabled), "true"},
		{"sites", fmt.Sprint(inv.Sites), "[{Default-First-Site-Name} {Branch}]"},
		{"EX2010 fqdn", ex.FQDN, "ex2010.solo.local"},
		{"EX2010 roles (Monitoring left out)", strings.Join(ex.Roles, ","), "Mailbox,ClientAccess,HubTransport"},
		{"EX2010 build", ex.Build, "14.3.496.0"},
		{"EX2010 parsed", ex.Parsed.Version().String(), "2010"},
		{"EX2010 edition", ex.Edition, "Standard"},
		{"EX2010 dotnet (3.5 for 2010)", ex.DotNet, "3.5.1"},
		{"EX2010 tls12 server enabled (DWORD 0xffffffff)", intp(ex.TLS.Schannel12ServerEnabled), "4294967295"},
		{"EX2010 tls12 server disabled by default", intp(ex.TLS.Schannel12ServerDisabledByDefault), "0"},
		{"EX2010 tls12 client enabled (missing)", intp(ex.TLS.Schannel12ClientEnabled), "nil"},
		{"EX2010 tls13 server enabled", intp(ex.TLS.Schannel13ServerEnabled), "0"},
		{"EX2010 tls13 server disabled by default", intp(ex.TLS.Schannel13ServerDisabledByDefault), "1"},
		{"EX2010 tls13 client enabled (REG_SZ 0xffffffff)", intp(ex.TLS.Schannel13ClientEnabled), "4294967295"},
		{"EX2010 tls13 client disabled by default (missing)", intp(ex.TLS.Schannel13ClientDisabledByDefault), "nil"},
		{"EX2010 net2 sdtv", intp(ex.TLS.Net2SystemDefaultTLSVersions), "1"},
		{"EX2010 net2 wow strong crypto", intp(ex.TLS.Net2WowSchUseStrongCrypto), "1"},
		{"EX2010 net2 strong crypto (not read)", intp(ex.TLS.Net2SchUseStrongCrypto), "nil"},
		{"EX2010 installed_updates (empty export)", fmt.Sprint(len(ex.InstalledUpdates)), "0"},
		{"EX2010 OA enabled", fmt.Sprint(ex.OutlookAnywhere.Enabled), "true"},
		{"EX2010 OA external", ex.OutlookAnywhere.ExternalHostname, "mail.solo.com"},
		{"EX2010 OA client auth", ex.OutlookAnywhere.ClientAuthenticationMethod, "NTLM"},
		{"EX2010 OA IIS auth", strings.Join(ex.OutlookAnywhere.IISAuthenticationMethods, ","), "Basic,NTLM"},
		{"EX2010 owa internal (Default Web Site kept)", ex.OWA.InternalURL, "https://ex2010.solo.local/owa"},
		{"EX2010 owa external", ex.OWA.ExternalURL, "https://mail.solo.com/owa"},
		{"EX2010 owa auth", strings.Join(ex.OWA.Authentication, ","), "FBA"},
		{"EX2010 owa legacy redirect", ex.OWA.LegacyRedirectType, "Manual"},
		{"EX2010 ecp auth from flags", strings.Join(ex.ECP.Authentication, ","), "FBA,Basic"},
		{"EX2010 SCP", ex.AutoDiscoverServiceInternalURI, "https://autodiscover.solo.com/Autodiscover/Autodiscover.xml"},
		{"EX2010 pop3 external", strings.Join(ex.POP3.ExternalConnectionSettings, ","), "mail.solo.com:995:SSL"},
		{"EX2010 pop3 running", fmt.Sprint(*ex.POP3.Running), "false"},
		{"EX2010 imap4 running (unknown)", fmt.Sprint(ex.IMAP4.Running == nil), "true"},
		{"SOLO-E16A build", e16.Build, "15.1.2375.7"},
		{"SOLO-E16A dotnet (no NDP values)", e16.DotNet, ""},
		{"providers", fmt.Sprint(inv.OutlookProviders), "[{EXPR  } {WEB  msstd:mail.solo.com}]"},
		{"databases", fmt.Sprint(inv.Databases), "[{DB2010 EX2010 outlook.solo.local Default Offline Address Book} {DB2016 SOLO-E16A  }]"},
		{"mailboxes", fmt.Sprint(inv.Mailboxes), "[{alice DB2010   []} {bob DB2016   []} {carol DB2016   []}]"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.field, c.got, c.want)
		}
	}
	var cert *model.Certificate
	for i := range inv.Certificates {
		if inv.Certificates[i].Thumbprint == thumb {
			cert = &inv.Certificates[i]
		}
	}
	if cert == nil {
		t.Fatalf("certificate %s not imported", thumb)
	}
	if got := fmt.Sprint(cert.Subject, "|", cert.SANs, "|", cert.NotAfter, "|", cert.SignatureAlgorithm, "|", cert.Services, "|", cert.Servers); got !=
		"CN=mail.solo.com,O=Solo|[mail.solo.com autodiscover.solo.com]|2028-06-30|sha256RSA|[IIS SMTP]|[EX2010 SOLO-E16A]" {
		t.Errorf("certificate: got %s", got)
	}
	text := strings.Join(rep.Lines(), "\n")
	for _, w := range []string{
		"collector: Get-MapiVirtualDirectory on EX2010 skipped: not available on Exchange 2010",
		`servers\EX2010\GetImapSettings.xml, which is missing`,
		"notes.csv: CSV header",
		`EX2010 role "Monitoring" is not one coexist plans for`,
		`EX2010 outlook_anywhere.iis_authentication_methods authentication method "Misconfigured"`,
		`has more than one owa virtual directory: kept "owa (Default Web Site)"`,
		"recovery database \"RDB1\" left out",
		"1 mailbox(es) repeat the name",
		"[[namespaces]] autodiscover.solo.com (used by EX2010 auto_discover_service_internal_uri)",
		"[[namespaces]] mail.solo.com (used by EX2010 owa.external_url, outlook_anywhere.external_hostname, pop3 connection settings)",
		"second.solo.local", // the ignored vdir's host is not a namespace to add: checked below
		"default_app_pool_identity",
	} {
		if w == "second.solo.local" {
			if strings.Contains(text, w) && !strings.Contains(text, "kept \"owa (Default Web Site)\"") {
				t.Errorf("report names the ignored virtual directory's host")
			}
			continue
		}
		if !strings.Contains(text, w) {
			t.Errorf("report lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "MsiInstallPath") {
		t.Errorf("report mentions a registry value coexist does not use:\n%s", text)
	}
	if strings.Contains(text, "[[mailboxes]]: none imported") || strings.Contains(text, "[[databases]]: none imported") {
		t.Errorf("report asks for mailboxes or databases it imported:\n%s", text)
	}
	for _, f := range rep.Files {
		switch f.Path {
		case "servers/SOLO-E16A/certs2.xml":
			if f.Kind != "Get-ExchangeCertificate" || f.Server != "SOLO-E16A" {
				t.Errorf("certs2.xml: %+v", f)
			}
		case "servers/EX2010/GetHotFix.xml":
			if f.Server != "EX2010" || f.Objects != 0 {
				t.Errorf("empty hotfix file: %+v", f)
			}
		case "org/mailboxes.csv":
			if f.Kind != "mailbox CSV" || f.Objects != 4 {
				t.Errorf("mailboxes.csv: %+v", f)
			}
		}
	}
	if len(rep.MailboxesCSV) != 1 {
		t.Errorf("MailboxesCSV: %v", rep.MailboxesCSV)
	}
}

// TestImportFlatFolderTwoServers: in a flat folder describing two servers,
// files that do not name their server are placed by PSComputerName (with
// a note) or skipped (with a note), never guessed.
func TestImportFlatFolderTwoServers(t *testing.T) {
	dir := t.TempDir()
	copyFixtures(t, dir, "")
	c := &cx{ref: 10000} // RefIds beyond the fixture's
	server, err := os.ReadFile(filepath.Join(fixtures, "GetExchangeServer.xml"))
	if err != nil {
		t.Fatal(err)
	}
	two := strings.Replace(string(server), "</Objs>", c.obj("", []string{"Microsoft.Exchange.Data.Directory.Management.ExchangeServer"}, "EX2",
		s("Name", "EX2"), s("Fqdn", "ex2.solo.local"))+"\n</Objs>", 1)
	write(t, dir, "GetExchangeServer.xml", []byte(two))
	inv, rep, err := exchimport.Import(dir)
	if err != nil {
		t.Fatal(err)
	}
	x := model.NewIndex(inv)
	e16, ex2 := x.Server("SOLO-E16A"), x.Server("EX2")
	if e16 == nil || ex2 == nil {
		t.Fatalf("servers: %+v", inv.Servers)
	}
	if e16.Build != "" {
		t.Errorf("ExSetup.xml names no server, yet gave SOLO-E16A build %q", e16.Build)
	}
	if e16.OS == "" || len(e16.InstalledUpdates) == 0 || e16.OWA.InternalURL == "" {
		t.Errorf("files naming SOLO-E16A (CSName, Server) were not placed: %+v", e16)
	}
	if len(inv.Certificates) != 3 || inv.Certificates[0].Servers[0] != "SOLO-E16A" {
		t.Errorf("certificates: %+v", inv.Certificates)
	}
	notes := strings.Join(rep.Notes, "\n")
	for _, w := range []string{
		`GetExchangeCertificate.xml: taken as SOLO-E16A's from PSComputerName "solo-e16a.solo.local"`,
		"ExSetup.xml: cannot tell which server it describes",
		"GetAllTlsSettings.xml: cannot tell which server it describes",
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
}
