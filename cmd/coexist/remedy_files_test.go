package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPlanWritesTheRegFilesItNames plans a 104-character server name under
// tls_goal disable-legacy (D6): every .reg file remediation.ps1 names is in
// DIR with its extension, with an undo file beside it.
func TestPlanWritesTheRegFilesItNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "plan", filepath.Join("..", "..", "render", "remedy", "testdata", "long-reg.toml"), "-o", dir); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	script, err := os.ReadFile(filepath.Join(dir, "remediation.ps1"))
	if err != nil {
		t.Fatal(err)
	}
	named := regexp.MustCompile(`[A-Za-z0-9._-]+\.reg\b`).FindAllString(string(script), -1)
	if len(named) < 4 {
		t.Fatalf("remediation.ps1 names %v, want the long server's files", named)
	}
	for _, n := range named {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("remediation.ps1 names %s: %v", n, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	regs := 0
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".reg") {
			continue
		}
		regs++
		if len(n) > 100 {
			t.Errorf("%s: %d characters", n, len(n))
		}
		if !strings.HasSuffix(n, "-undo.reg") {
			if _, err := os.Stat(filepath.Join(dir, strings.TrimSuffix(n, ".reg")+"-undo.reg")); err != nil {
				t.Errorf("%s has no undo file: %v", n, err)
			}
		}
	}
	if regs != 8 {
		t.Errorf("got %d .reg files, want 8 (two servers × main, disable-protocols and their undo files)", regs)
	}
}
