package report

import (
	"strings"
	"testing"
)

// TestDocControl: the document-control page after the cover names the
// inventory's [report] values; empty fields print as lines to fill in.
func TestDocControl(t *testing.T) {
	p, in := plan(t, "s1-contoso")
	p.Inv.Report.Author = "Ana Pérez <x&y>"
	p.Inv.Report.Version = "0.3"
	p.Inv.Report.Status = "for review"
	p.Inv.Report.Approvers = []string{"J. Smith (CAB)", "K. Lee"}
	text := pdfText(t, write(t, in))
	i := strings.Index(text, "Document control")
	j := strings.Index(text, "Executive summary")
	if i < 0 || j < i {
		t.Fatalf("no document control before the summary:\n%.2000s", text)
	}
	page := text[i:j]
	for _, want := range []string{"Customer", "Contoso", "Ana Pérez <x&y>", "0.3", "For review", "22 November 2026", "J. Smith (CAB)", "K. Lee", "Signature", Blank} {
		if !strings.Contains(page, want) {
			t.Errorf("document control lacks %q:\n%s", want, page)
		}
	}
}
