package exchimport_test

import (
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/exchimport"
)

// urlCSV is the community URL-inventory CSV with its original header
// spellings, as Export-Csv -NoTypeInformation writes it.
const urlCSV = `"ServerName","ServerVersion","EASInternalURL","EASExternalURL","OABInternalURL","OABExernalURL","OWAInternalURL","OWAExernalURL","ECPInternalURL","ECPExernalURL","AutoDiscName","AutoDiscURI","EWSInternalURL","EWSExernalURL","OutlookAnywhere-InternalHostName(NoneForE2010)","OutlookAnywhere-ExternalHostNAme(E2010+)"
"CAS2010","Version 14.3 (Build 123.4)","https://cas2010.contoso.com/Microsoft-Server-ActiveSync","https://mail.contoso.com/Microsoft-Server-ActiveSync","http://cas2010.contoso.com/OAB","None","https://cas2010.contoso.com/owa","https://mail.contoso.com/owa","https://cas2010.contoso.com/ecp","","CAS2010","https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml","https://cas2010.contoso.com/EWS/Exchange.asmx","https://mail.contoso.com/EWS/Exchange.asmx","None","mail.contoso.com"
"EX2016","Version 15.1 (Build 2507.6)","https://mail.contoso.com/Microsoft-Server-ActiveSync","https://mail.contoso.com/Microsoft-Server-ActiveSync","https://mail.contoso.com/OAB","https://mail.contoso.com/OAB","https://mail.contoso.com/owa","https://mail.contoso.com/owa","https://mail.contoso.com/ecp","https://mail.contoso.com/ecp","EX2016","https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml","https://mail.contoso.com/EWS/Exchange.asmx","https://mail.contoso.com/EWS/Exchange.asmx","mail.contoso.com","mail.contoso.com"
"ZÜRICH-EX1","Version 99 (bogus)","","","","","https://zürich-ex1.contoso.com/owa","","","","","","","","",""
`

func TestImportURLCSV(t *testing.T) {
	crlf := strings.ReplaceAll(urlCSV, "\n", "\r\n")
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"UTF-8", []byte(urlCSV)},
		{"UTF-8 with BOM and CRLF", append([]byte("\xEF\xBB\xBF"), crlf...)},
		{"UTF-16LE (Export-Csv -Encoding Unicode)", utf16LE(crlf)},
		{"UTF-16BE", utf16BE(crlf)},
		{"with #TYPE line", []byte("#TYPE System.Management.Automation.PSCustomObject\r\n" + crlf)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "ExchangeURLs_Mon-05-01-2026.csv", tt.data)
			defer func() {
				if t.Failed() {
					_, rep, _ := exchimport.Import(dir)
					t.Log(strings.Join(rep.Lines(), "\n"))
				}
			}()
			inv, rep, err := exchimport.Import(dir)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if len(inv.Servers) != 3 {
				t.Fatalf("got %d servers, want 3", len(inv.Servers))
			}
			x := model.NewIndex(inv)
			cas, e16, zh := x.Server("CAS2010"), x.Server("EX2016"), x.Server("ZÜRICH-EX1")
			if cas == nil || e16 == nil || zh == nil {
				t.Fatalf("servers: %+v", inv.Servers)
			}
			for _, c := range []struct{ field, got, want string }{
				{"CAS2010 version", cas.Version, "Version 14.3 (Build 123.4)"},
				{"CAS2010 eas internal", cas.EAS.InternalURL, "https://cas2010.contoso.com/Microsoft-Server-ActiveSync"},
				{"CAS2010 eas external", cas.EAS.ExternalURL, "https://mail.contoso.com/Microsoft-Server-ActiveSync"},
				{"CAS2010 oab internal", cas.OAB.InternalURL, "http://cas2010.contoso.com/OAB"},
				{"CAS2010 oab external (None)", cas.OAB.ExternalURL, ""},
				{"CAS2010 owa external", cas.OWA.ExternalURL, "https://mail.contoso.com/owa"},
				{"CAS2010 ecp external (empty)", cas.ECP.ExternalURL, ""},
				{"CAS2010 ews external", cas.EWS.ExternalURL, "https://mail.contoso.com/EWS/Exchange.asmx"},
				{"CAS2010 SCP", cas.AutoDiscoverServiceInternalURI, "https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml"},
				{"CAS2010 OA internal (None)", cas.OutlookAnywhere.InternalHostname, ""},
				{"CAS2010 OA external", cas.OutlookAnywhere.ExternalHostname, "mail.contoso.com"},
				{"CAS2010 OA enabled", boolText(cas.OutlookAnywhere.Enabled), "true"},
				{"CAS2010 fqdn (not in the CSV)", cas.FQDN, ""},
				{"EX2016 version", e16.Version, "Version 15.1 (Build 2507.6)"},
				{"EX2016 OA internal", e16.OutlookAnywhere.InternalHostname, "mail.contoso.com"},
				{"EX2016 ecp external", e16.ECP.ExternalURL, "https://mail.contoso.com/ecp"},
				{"ZÜRICH-EX1 version (bogus: unset)", zh.Version, ""},
				{"ZÜRICH-EX1 owa", zh.OWA.InternalURL, "https://zürich-ex1.contoso.com/owa"},
				{"ZÜRICH-EX1 OA enabled", boolText(zh.OutlookAnywhere.Enabled), "false"},
			} {
				if c.got != c.want {
					t.Errorf("%s: got %q, want %q", c.field, c.got, c.want)
				}
			}
			if len(rep.Files) != 1 || rep.Files[0].Kind != "URL inventory CSV" || rep.Files[0].Objects != 3 {
				t.Errorf("files: %+v", rep.Files[0])
			}
			text := strings.Join(rep.Lines(), "\n")
			for _, w := range []string{
				`ZÜRICH-EX1 ServerVersion: invalid build "Version 99 (bogus)"`,
				`server "CAS2010" has no fqdn`,
				"server CAS2010: fqdn not in the export; its URLs name cas2010.contoso.com",
				"[[namespaces]] mail.contoso.com",
				"[[namespaces]] autodiscover.contoso.com",
			} {
				if !strings.Contains(text, w) {
					t.Errorf("report lacks %q", w)
				}
			}
		})
	}
}

// TestImportURLCSVWithCLIXML: CLIXML read first wins; the CSV fills gaps.
func TestImportURLCSVWithCLIXML(t *testing.T) {
	dir := t.TempDir()
	copyFixtures(t, dir, "SOLO-E16A")
	write(t, dir, "urls.csv", []byte("ServerName,ServerVersion,OWAInternalURL,OWAExernalURL,ECPInternalURL,ECPExernalURL\n"+
		"solo-e16a,Version 15.1 (Build 2375.7),https://other.solo.local/owa,https://mail.solo.com/owa,https://solo-e16a.solo.local/ecp,None\n"))
	inv, rep, err := exchimport.Import(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Servers) != 1 {
		t.Fatalf("got %d servers: %+v", len(inv.Servers), inv.Servers)
	}
	s := inv.Servers[0]
	if s.OWA.InternalURL != "https://solo-e16a.solo.local/owa" || s.OWA.ExternalURL != "https://mail.solo.com/owa" || s.ECP.InternalURL != "https://solo-e16a.solo.local/ecp" {
		t.Errorf("owa/ecp: %+v %+v", s.OWA, s.ECP)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), `owa.internal_url "https://other.solo.local/owa" differs`) {
		t.Errorf("notes: %q", rep.Notes)
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
