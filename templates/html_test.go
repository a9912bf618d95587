package templates

import (
	"io/fs"
	"testing"
)

func TestHTML(t *testing.T) {
	fsys := HTML()
	for _, name := range []string{"common.html.tmpl", "report.html.tmpl", "diff.html.tmpl", "report.css", "common.js", "report.js"} {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Errorf("HTML(): %v", err)
			continue
		}
		if len(b) == 0 {
			t.Errorf("HTML(): %s is empty", name)
		}
	}
	if _, err := fs.ReadFile(fsys, "remedy/TLS-OS.ps1.tmpl"); err == nil {
		t.Error("HTML() reaches the remedy templates; want it rooted at html/")
	}
}
