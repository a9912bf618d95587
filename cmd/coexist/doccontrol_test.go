package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDocControlFlags: document-control flags win over the inventory's
// [report] table key by key, and an unknown --status is a usage error.
func TestDocControlFlags(t *testing.T) {
	dir := t.TempDir()
	overlay := filepath.Join(dir, "report.toml")
	if err := os.WriteFile(overlay, []byte("[report]\nauthor = \"From TOML\"\nversion = \"0.1\"\nstatus = \"draft\"\napprovers = [\"TOML Approver\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"plan", "../../samples/s1-contoso.toml", overlay, "--quiet", "--author", "From Flag <b>", "--approver", "Flag Approver", "-o", out}, nil, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{"From Flag &lt;b&gt;", "<dd>0.1</dd>", "<dd>Draft</dd>", "Flag Approver"} {
		if !strings.Contains(s, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, gone := range []string{"From TOML", "TOML Approver"} {
		if strings.Contains(s, gone) {
			t.Errorf("report.html still has %q, which a flag overrides", gone)
		}
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"plan", "../../samples/s1-contoso.toml", "--status", "published", "-o", filepath.Join(dir, "out2")}, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), `--status "published"`) {
		t.Errorf("bad --status: exit %d, stderr %q; want 2 and the status named", code, stderr.String())
	}
}

// TestDocControlRunbook: program takes the same document-control flags,
// and runbook.pdf carries the block after its timeline page.
func TestDocControlRunbook(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"program", "../../samples/programs/contoso-2010.toml",
		"--stages", "../../samples/programs/contoso-2010-to-2016.toml", "--author", "Runbook Author",
		"--doc-version", "1.2", "--approver", "CAB Chair", "-o", out}, nil, &stdout, &stderr)
	if code != 0 && code != 3 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	pages := pdfPages(t, filepath.Join(out, "runbook.pdf"))
	if strings.Contains(pages[0], "Document control") {
		t.Error("runbook.pdf's first page should stay the timeline")
	}
	at := slices.IndexFunc(pages, func(p string) bool { return strings.Contains(p, "Document control") })
	if at < 0 {
		t.Fatal("runbook.pdf has no document control")
	}
	for _, want := range []string{"Migration runbook", "Runbook Author", "1.2", "CAB Chair"} {
		if !strings.Contains(pages[at], want) {
			t.Errorf("runbook.pdf's document control lacks %q:\n%s", want, pages[at])
		}
	}
}
