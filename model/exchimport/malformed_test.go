package exchimport_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/clixml"
	"github.com/coexist/coexist/model/exchimport"
	"github.com/coexist/coexist/model/load"
)

// TestImportMalformed writes broken copies of the fixtures and checks that
// Import reports each problem at file:line:col, without panicking, and
// still imports what it can.
func TestImportMalformed(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	server := read("GetExchangeServer.xml")
	exsetup := read("ExSetup.xml")
	hotfix := read("GetHotFix.xml")
	tests := []struct {
		name    string
		file    string
		content []byte
		want    string // part of the message
		line    int    // 0: any line
	}{
		{"truncated", "GetExchangeServer.xml", []byte(server[:len(server)/2]), "", 0},
		{"bad integer", "ExSetup.xml", []byte(strings.Replace(exsetup, `<I32 N="FileBuildPart">2375</I32>`, `<I32 N="FileBuildPart">23x75</I32>`, 1)), "I32", 11},
		{"unclosed element", "GetHotFix.xml", []byte(strings.Replace(hotfix, "</Props>", "", 1)), "", 0},
		{"not XML", "GetExchangeServer.xml", []byte("this is not XML\n"), "", 1},
		{"wrong root", "GetOwaVirtualDirectory.xml", []byte("<?xml version=\"1.0\"?>\n<Html><Body/></Html>\n"), "", 2},
		{"unknown Ref", "Win32_OperatingSystem.xml", []byte("<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n<Ref RefId=\"7\" />\n</Objs>\n"), "7", 2},
		{"NUL byte", "GetHotFix.xml", []byte(strings.Replace(hotfix, "KB3192137", "KB31\x0092137", 1)), "", 0},
		{"odd UTF-16", "GetExchangeServer.xml", append(utf16LE("<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n<S>x</S>"), 'x'), "", 0},
		{"empty", "GetExchangeServer.xml", nil, "", 0},
		{"bad URL CSV quote", "urls.csv", []byte("ServerName,ServerVersion,OWAInternalURL,OWAExernalURL\nEX1,\"Version 14.3 (Build 123.4),x,y\n"), "csv", 0},
		{"URL CSV field count", "urls.csv", []byte("ServerName,ServerVersion,OWAInternalURL,OWAExernalURL\nEX1,None\n"), "row has 2 fields", 2},
		{"URL CSV not UTF-8", "urls.csv", []byte("ServerName,ServerVersion,OWAInternalURL,OWAExernalURL\nEX\xff1,a,b,c\n"), "not UTF-8", 2},
		// D16: neither a NUL escape nor a 2 MiB string reaches the inventory.
		{"NUL escape in a name", "GetExchangeServer.xml", []byte(strings.Replace(server, `<S N="Name">SOLO-E16A</S>`, `<S N="Name">SOLO_x0000_E16A</S>`, 1)), "control character U+0000", 13},
		{"over-long string", "GetExchangeServer.xml", []byte(strings.Replace(server, "<ToString>StandardEvaluation</ToString>", "<ToString>"+strings.Repeat("A", 2<<20)+"</ToString>", 1)), "text longer than 1 MiB", 39},
		{"long CSV line", "urls.csv", []byte("ServerName,OWAInternalURL,OWAExernalURL\n" + strings.Repeat("x", 70<<10) + "\n"), "longer than", 0},
	}
	pos := regexp.MustCompile(`^(.+):(\d+):(\d+): (.+)$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			copyFixtures(t, dir, "")
			path := write(t, dir, tt.file, tt.content)
			inv, _, err := exchimport.Import(dir)
			if err == nil {
				t.Fatalf("got no error")
			}
			var el clixml.ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("error %T is not a clixml.ErrorList", err)
			}
			found := false
			for _, line := range strings.Split(err.Error(), "\n") {
				m := pos.FindStringSubmatch(line)
				if m == nil {
					t.Errorf("message %q is not file:line:col: message", line)
					continue
				}
				if m[1] != path {
					continue
				}
				if (tt.want == "" || strings.Contains(m[4], tt.want)) && (tt.line == 0 || m[2] == strconv.Itoa(tt.line)) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error at %s (line %d, containing %q) in:\n%v", path, tt.line, tt.want, err)
			}
			if inv == nil {
				t.Fatalf("got no inventory")
			}
			for _, sv := range inv.Servers {
				if strings.ContainsRune(sv.Name, 0) || len(sv.Name) > 256 || len(sv.Edition) > 256 {
					t.Errorf("server %.40q (edition %.40q) copied a hostile string", sv.Name, sv.Edition)
				}
			}
			if tt.file != "GetExchangeServer.xml" && (len(inv.Servers) != 1 || inv.Servers[0].FQDN == "") {
				t.Errorf("the intact files were not imported: %+v", inv.Servers)
			}
		})
	}

	// Every broken file is reported, not only the first.
	dir := t.TempDir()
	copyFixtures(t, dir, "")
	a := write(t, dir, "GetHotFix.xml", []byte("garbage"))
	b := write(t, dir, "sub/ExSetup.xml", []byte("<Objs><I32>x</I32></Objs>"))
	_, _, err := exchimport.Import(dir)
	if err == nil || !strings.Contains(err.Error(), a+":") || !strings.Contains(err.Error(), b+":") {
		t.Errorf("want errors in %s and %s, got:\n%v", a, b, err)
	}
}

// TestImportDropsLongStrings (D16): a value longer than an inventory
// string may be (load.MaxString characters) but under the reader's 1 MiB
// limit is left out with a note naming the server and field, so that the
// written inventory loads again instead of failing "coexist validate".
func TestImportDropsLongStrings(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures, "GetExchangeServer.xml"))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", load.MaxString+1)
	dir := t.TempDir()
	copyFixtures(t, dir, "")
	write(t, dir, "GetExchangeServer.xml", []byte(strings.Replace(string(data),
		"<ToString>StandardEvaluation</ToString>", "<ToString>"+long+"</ToString>", 1)))
	inv, rep, err := exchimport.Import(dir)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if len(inv.Servers) == 0 || inv.Servers[0].Edition != "" {
		t.Fatalf("edition kept: %d characters", len([]rune(inv.Servers[0].Edition)))
	}
	note := fmt.Sprintf(`servers "SOLO-E16A" edition is %d characters long`, load.MaxString+1)
	if !strings.Contains(strings.Join(rep.Notes, "\n"), note) {
		t.Errorf("no note %q in:\n%s", note, strings.Join(rep.Notes, "\n"))
	}
	var buf bytes.Buffer
	if err := load.WriteTOML(&buf, inv, load.WriteOptions{Header: rep.Lines()}); err != nil {
		t.Fatal(err)
	}
	path := write(t, t.TempDir(), "inventory.toml", buf.Bytes())
	if _, _, err := load.Load([]string{path}, load.Options{}); err != nil && strings.Contains(err.Error(), "characters long") {
		t.Errorf("the written inventory still has an over-long string: %v", err)
	}
}
