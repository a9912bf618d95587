//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestOutDirPermissions (D10): DIR and its files follow the umask, like
// any file the user creates.
func TestOutDirPermissions(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "gen", "--mailboxes", "10", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	check := func(p string, want os.FileMode) {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), got, want)
		}
	}
	check(out, 0o750)
	check(filepath.Join(out, "inventory.toml"), 0o640)
	check(filepath.Join(out, manifestName), 0o640)
}

// TestImportPermissions (D10): import's inventory follows the umask too
// (it was 0600 whatever the umask).
func TestImportPermissions(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	csv := filepath.Join(dir, "urls.csv")
	if err := os.WriteFile(csv, []byte("ServerName,ServerVersion,OWAInternalURL,OWAExernalURL\nEX1,Version 14.3 (Build 123.4),https://ex1.contoso.com/owa,https://mail.contoso.com/owa\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "inventory.toml")
	if code, _, stderr := runCLI(t, "import", csv, "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o644 {
		t.Errorf("inventory.toml: mode %v, want -rw-r--r--", got)
	}
}
