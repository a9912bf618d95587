package remedy

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

// safeFile is what a file name inside DIR must look like (cmd/coexist
// refuses anything else): sanitised characters, no leading dot, an
// extension, at most maxName bytes.
var safeFile = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*\.reg$`)

// mentioned returns the .reg files remediation.ps1 says hold its values.
func mentioned(script string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`[A-Za-z0-9._-]+\.reg\b`).FindAllString(script, -1) {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out
}

func checkNames(t *testing.T, files map[string][]byte, script string) {
	t.Helper()
	lower := map[string]string{}
	for n := range files {
		if len(n) > maxName || !safeFile.MatchString(n) {
			t.Errorf("unsafe file name %q (%d bytes)", n, len(n))
		}
		if o, ok := lower[strings.ToLower(n)]; ok {
			t.Errorf("%q and %q collide on Windows", n, o)
		}
		lower[strings.ToLower(n)] = n
		if !strings.HasSuffix(n, "-undo.reg") {
			if _, ok := files[undoName(n)]; !ok {
				t.Errorf("%s has no undo file %s", n, undoName(n))
			}
		}
	}
	for _, m := range mentioned(script) {
		if _, ok := files[m]; !ok && m != "EXAMPLE.reg" {
			t.Errorf("remediation.ps1 names %s, which is not written (files: %v)", m, keys(files))
		}
	}
}

// TestLongNamesKeepTheirFiles is the D6 regression: a 104-character
// server name under tls_goal disable-legacy (the reviewer's long-reg.toml)
// keeps four distinct .reg files with their extension, and
// remediation.ps1 names them.
func TestLongNamesKeepTheirFiles(t *testing.T) {
	inv, _, err := load.Load([]string{filepath.Join("testdata", "long-reg.toml")}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl := planner.Run(inv, planner.Options{})
	files := RegFiles(pl.Findings)
	script := string(Script(pl.Organization, pl.AsOf, pl.Findings))
	checkNames(t, files, script)
	long := inv.Servers[0].Name
	if len(long) != 104 {
		t.Fatalf("got server %q, want the 104-character name of long-reg.toml", long)
	}
	b := hashedBase(long)
	want := []string{b + "-disable-protocols-undo.reg", b + "-disable-protocols.reg", b + "-undo.reg", b + ".reg"}
	for _, n := range want {
		if _, ok := files[n]; !ok {
			t.Errorf("no %s among %v", n, keys(files))
		}
	}
	if !strings.HasPrefix(b, "Finance-Exchange-Server-xxx") || len(b) != maxBase {
		t.Errorf("base %q: want the name's start and a hash suffix, %d bytes", b, maxBase)
	}
	if got := mentioned(script); len(got) < 2 {
		t.Errorf("remediation.ps1 names %v, want the server's files", got)
	}
}

// TestLongNamesSharingAPrefix: two 111-character names that differ only
// at the end, and long client profile names, get separate files.
func TestLongNamesSharingAPrefix(t *testing.T) {
	a := strings.Repeat("S", 110) + "A"
	b := strings.Repeat("S", 110) + "B"
	prof := "client profile " + strings.Repeat("p", 85)
	prof2 := "client profile " + strings.Repeat("p", 85) + "2"
	val := func(n uint32) []planner.RegValue {
		return []planner.RegValue{
			{Key: schannel + `TLS 1.2\Client`, Name: "Enabled", Value: 1, Recorded: true},
			{Key: schannel + `TLS 1.0\Client`, Name: "Enabled", Value: 0, Recorded: true, Was: &n},
		}
	}
	var fs []planner.Finding
	for _, s := range []string{a, b, prof, prof2} {
		fs = append(fs, planner.Finding{ID: "TLS-SCHANNEL", Subject: s, Message: "m", Fix: planner.Fix{Server: s, Registry: val(1)}})
	}
	files := RegFiles(fs)
	checkNames(t, files, string(Script("Org", day, fs)))
	if len(files) != 16 {
		t.Errorf("got %d files, want 16 (4 servers × main, disable, 2 undo): %v", len(files), keys(files))
	}
	// Stable: the same name gets the same file whatever else is planned.
	alone := RegFiles(fs[:1])
	if _, ok := alone[hashedBase(a)+".reg"]; !ok {
		t.Errorf("alone, %s... is named differently: %v", a[:10], keys(alone))
	}
}

// TestUndoFile: the undo file restores recorded values and deletes the
// values the inventory records as undefined.
func TestUndoFile(t *testing.T) {
	one, ffff := uint32(1), uint32(0xffffffff)
	fs := []planner.Finding{{ID: "TLS-DISABLE-OLD", Message: "m", Fix: planner.Fix{Server: "EX1", Registry: []planner.RegValue{
		{Key: schannel + `TLS 1.0\Server`, Name: "Enabled", Value: 0, Recorded: true, Was: &ffff},
		{Key: schannel + `TLS 1.0\Server`, Name: "DisabledByDefault", Value: 1, Recorded: true},
		{Key: schannel + `TLS 1.1\Server`, Name: "Enabled", Value: 0, Recorded: true, Was: &one},
		{Key: schannel + `TLS 1.1\Server`, Name: "DisabledByDefault", Value: 1},
	}}}}
	undo := string(RegFiles(fs)["EX1-disable-protocols-undo.reg"])
	for _, want := range []string{
		"Windows Registry Editor Version 5.00\r\n\r\n",
		"[" + schannel + "TLS 1.0\\Server]\r\n\"DisabledByDefault\"=-\r\n\"Enabled\"=dword:ffffffff\r\n",
		"[" + schannel + "TLS 1.1\\Server]\r\n; DisabledByDefault: its earlier value is not in the inventory; restore it from the backup.\r\n\"Enabled\"=dword:00000001\r\n",
	} {
		if !strings.Contains(undo, want) {
			t.Errorf("undo file lacks %q:\n%s", want, undo)
		}
	}
}

// TestTLS13DisableIsNotLast: disabling TLS 1.3 where Exchange does not
// support it (TLS-13) is a fix for now, so it stays in the server's main
// .reg file; disabling TLS 1.0 goes to the apply-last file.
func TestTLS13DisableIsNotLast(t *testing.T) {
	fs := []planner.Finding{
		{ID: "TLS-13", Message: "m", Fix: planner.Fix{Server: "EX1", Registry: []planner.RegValue{
			{Key: schannel + `TLS 1.3\Server`, Name: "Enabled", Value: 0},
			{Key: schannel + `TLS 1.3\Server`, Name: "DisabledByDefault", Value: 1},
		}}},
		{ID: "TLS-DISABLE-OLD", Message: "m", Fix: planner.Fix{Server: "EX1", Registry: []planner.RegValue{
			{Key: schannel + `TLS 1.0\Server`, Name: "Enabled", Value: 0},
		}}},
	}
	files := RegFiles(fs)
	if main := string(files["EX1.reg"]); !strings.Contains(main, `TLS 1.3\Server]`) || strings.Contains(main, `TLS 1.0\Server]`) {
		t.Errorf("EX1.reg: got\n%s\nwant the TLS 1.3 key and not the TLS 1.0 key", main)
	}
	if last := string(files["EX1-disable-protocols.reg"]); strings.Contains(last, "TLS 1.3") || !strings.Contains(last, `TLS 1.0\Server]`) {
		t.Errorf("EX1-disable-protocols.reg: got\n%s\nwant only the TLS 1.0 key", last)
	}
}
