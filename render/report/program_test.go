package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

func wrongOrderProgram(t *testing.T) *planner.Program {
	t.Helper()
	inv, src, err := load.Load([]string{"../../samples/programs/contoso-2010.toml"}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	prog, psrc, err := load.Program("../../samples/programs/contoso-wrong-order.toml", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	states, err := load.ApplyProgram(inv, src, prog, psrc)
	if err != nil {
		t.Fatal(err)
	}
	return planner.PlanProgram(prog, states, planner.Options{})
}

// runbook.pdf: page 1 is the timeline with the programme verdict and every
// stage; each stage has its chapter with the verdict, the wrong-order
// need, the runbook phases (commands in full) and the sign-off lines.
func TestProgramRunbookPDF(t *testing.T) {
	pr := wrongOrderProgram(t)
	var a, b bytes.Buffer
	if err := WriteProgram(&a, ProgramInput{Program: pr, Digest: "abc"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteProgram(&b, ProgramInput{Program: pr, Digest: "abc"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings differ")
	}
	page1 := pageText(t, a.Bytes(), 1, 1)
	for _, w := range []string{"Timeline: Contoso: Exchange 2010 to 2016 (wrong order)", "Programme verdict: Breaks paths",
		`Breaks paths at stage 2 "Namespaces to 2016"`, "2016 servers", "Certificate on 2016", "Network team (A. Lee)"} {
		if !strings.Contains(page1, w) {
			t.Errorf("page 1 lacks %q:\n%s", w, page1)
		}
	}
	all := pageText(t, a.Bytes(), 1, 999)
	for _, w := range []string{
		"Stage 2: Namespaces to 2016", "Verdict: Breaks paths",
		"What this stage needs that no earlier stage provided", `stage 3 "Certificate on 2016": run it first`,
		"DNS changes", "Pre-checks (read-only)", "Implementation", "Post-change tests", "Rollback",
		"Add-DnsServerResourceRecordA -ZoneName 'contoso.com' -Name 'mail'",
		"Go / no-go and sign-off", "Signature and date",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("runbook.pdf lacks %q", w)
		}
	}
	// Continuation pages name the section in their running header
	// ("… · Go / no-go and sign-off"): count the headings only.
	if n := strings.Count(all, "Go / no-go and sign-off") - strings.Count(all, "· Go / no-go and sign-off"); n != len(pr.Stages) {
		t.Errorf("got %d sign-off tables, want one per stage (%d)", n, len(pr.Stages))
	}
}
