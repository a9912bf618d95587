package exchimport

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
)

// FuzzImportURLCSV feeds arbitrary bytes to the CSV reader (URL inventory,
// mailbox list, manifest) and builds, validates and reports the result: it
// must never panic.
func FuzzImportURLCSV(f *testing.F) {
	const header = `"ServerName","ServerVersion","EASInternalURL","EASExternalURL","OABInternalURL","OABExernalURL","OWAInternalURL","OWAExernalURL","ECPInternalURL","ECPExernalURL","AutoDiscName","AutoDiscURI","EWSInternalURL","EWSExernalURL","OutlookAnywhere-InternalHostName(NoneForE2010)","OutlookAnywhere-ExternalHostNAme(E2010+)"`
	row := `"CAS2010","Version 14.3 (Build 123.4)","https://cas2010.contoso.com/Microsoft-Server-ActiveSync","","http://cas2010.contoso.com/OAB","None","https://cas2010.contoso.com/owa","https://mail.contoso.com/owa","","","CAS2010","https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml","","","None","mail.contoso.com"`
	text := header + "\r\n" + row + "\r\n"
	le := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		le = append(le, byte(u), byte(u>>8))
	}
	f.Add([]byte(text))
	f.Add(append([]byte("\xEF\xBB\xBF"), text...))
	f.Add(le)
	f.Add(le[:len(le)-1])
	f.Add([]byte("ServerName,OWAInternalURL,OWAExernalURL\nEX1,\"a\nb\",c\n,,\n"))
	f.Add([]byte("name,database,full_access\nalice,DB1,bob;carol\nalice,DB2,\n"))
	f.Add([]byte("Time,Server,Cmdlet,File,Status,Reason\nt,EX1,Get-X,../../etc/passwd,ok,\nt,EX1,Get-Y,,failed,boom\n"))
	f.Add([]byte("\xFE\xFF\xD8\x00\x00A"))
	f.Add([]byte("#TYPE x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		im := newImporter("fuzz")
		im.readCSV("fuzz/urls.csv", bytes.NewReader(data))
		inv, rep := im.finish()
		if inv == nil {
			t.Fatal("no inventory")
		}
		inv.Validate()
		for _, l := range rep.Lines() {
			if strings.Contains(l, "\n") {
				t.Fatalf("report line spans lines: %q", l)
			}
		}
		_ = im.errs.Sort().Err()
	})
}
