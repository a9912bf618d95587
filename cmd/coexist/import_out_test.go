package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefusesForeignFile: like -o DIR, import -o FILE never replaces
// a file coexist did not write — the consultant's own inventory, notes or
// mailbox list — not even with --force; its own earlier output it
// replaces, an earlier output edited by hand only with --force, and a
// refused run leaves every file as it was.
func TestImportRefusesForeignFile(t *testing.T) {
	export := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write(filepath.Join(export, "urls.csv"), "ServerName,ServerVersion,OWAInternalURL,OWAExernalURL\nEX1,Version 14.3 (Build 123.4),https://ex1.contoso.com/owa,https://mail.contoso.com/owa\n")
	var mb strings.Builder
	mb.WriteString("Name,Database\n")
	for i := 0; i < 1200; i++ { // above the threshold: the list goes to FILE's CSV
		fmt.Fprintf(&mb, "user%04d,DB1\n", i)
	}
	write(filepath.Join(export, "mailboxes.csv"), mb.String())

	out := t.TempDir()
	inv := filepath.Join(out, "inventory.toml")
	csv := filepath.Join(out, "inventory-mailboxes.csv")
	const precious = "# my own inventory\n[organization]\nname = \"Contoso\"\n"

	// A file coexist did not write: refused, untouched, with or without
	// --force.
	write(inv, precious)
	for _, force := range [][]string{nil, {"--force"}} {
		code, _, stderr := runCLI(t, append(append([]string{"import"}, force...), export, "-o", inv)...)
		if code != 1 || !strings.Contains(stderr, "coexist import did not write it") || !strings.Contains(stderr, "never replaces") {
			t.Errorf("existing foreign FILE %v: exit %d, stderr %q; want exit 1", force, code, stderr)
		}
		if got := read(inv); got != precious {
			t.Errorf("refused run changed FILE: %q", got)
		}
		if _, err := os.Stat(csv); err == nil {
			t.Errorf("refused run wrote %s", csv)
		}
	}
	os.Remove(inv)
	if code, _, stderr := runCLI(t, "import", export, "-o", inv); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(read(inv), importHeader) || !strings.HasPrefix(read(csv), "name,") {
		t.Fatalf("the import was not written: %.80q / %.80q", read(inv), read(csv))
	}

	// Edited by hand since: refused without --force (the edit kept),
	// replaced with it.
	edited := read(inv) + "# my hand edit\n"
	write(inv, edited)
	code, _, stderr := runCLI(t, "import", export, "-o", inv)
	if code != 1 || !strings.Contains(stderr, "edited since") || !strings.Contains(stderr, "--force") {
		t.Errorf("hand-edited import: exit %d, stderr %q; want exit 1 naming --force", code, stderr)
	}
	if read(inv) != edited {
		t.Error("refused run changed the hand-edited FILE")
	}
	if code, _, stderr := runCLI(t, "import", "--force", export, "-o", inv); code != 0 {
		t.Fatalf("--force over an edited import: exit %d: %s", code, stderr)
	}
	if strings.Contains(read(inv), "my hand edit") {
		t.Error("--force did not replace the edited import")
	}

	// coexist's own output (inventory and its mailbox CSV) is replaced
	// without --force.
	if code, _, stderr := runCLI(t, "import", export, "-o", inv); code != 0 {
		t.Fatalf("rerun over coexist's own output: exit %d: %s", code, stderr)
	}

	// A foreign file where the mailbox CSV goes: refused, both untouched.
	os.Remove(inv)
	write(csv, "my,own,list\n")
	code, _, stderr = runCLI(t, "import", "--force", export, "-o", inv)
	if code != 1 || !strings.Contains(stderr, csv) {
		t.Errorf("foreign CSV beside FILE: exit %d, stderr %q; want exit 1 naming it", code, stderr)
	}
	if got := read(csv); got != "my,own,list\n" {
		t.Errorf("refused run changed the CSV: %q", got)
	}
	if _, err := os.Stat(inv); err == nil {
		t.Errorf("refused run wrote %s", inv)
	}

	// A folder is not a FILE.
	if code, _, stderr := runCLI(t, "import", export, "-o", out); code != 1 || !strings.Contains(stderr, "not a regular file") {
		t.Errorf("-o DIR: exit %d, stderr %q", code, stderr)
	}

	// No temporary files are left beside FILE.
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left %s", e.Name())
		}
	}
}

// TestImportNothingWritesNothing: a folder with no Exchange export (here
// only a file that is not one) fails without writing an empty inventory.
func TestImportNothingWritesNothing(t *testing.T) {
	export, out := t.TempDir(), filepath.Join(t.TempDir(), "inv.toml")
	if err := os.WriteFile(filepath.Join(export, "notes.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "import", export, "-o", out)
	if code != 1 || !strings.Contains(stderr, "no Exchange export found") {
		t.Errorf("exit %d, stderr %q; want 1 and no Exchange export found", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("wrote %s from nothing", out)
	}
}
