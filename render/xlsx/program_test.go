package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

func loadProgram(t *testing.T) *planner.Program {
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

// runbook.xlsx: one task per row with its stage, server, shell, command
// and owner, a Status drop-down and a date-validated Done date column;
// the same programme gives the same bytes.
func TestProgramWorkbook(t *testing.T) {
	pr := loadProgram(t)
	var a, b bytes.Buffer
	if err := WriteProgram(&a, pr); err != nil {
		t.Fatal(err)
	}
	if err := WriteProgram(&b, pr); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings differ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(SheetRunbook)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Stage", "Step", "Phase", "Server", "Shell", "Action", "Command", "From", "Owner", "Status", "Done date"}
	if got := strings.Join(rows[0], "|"); got != strings.Join(want, "|") {
		t.Errorf("got header %s, want %s", got, strings.Join(want, "|"))
	}
	tasks := 0
	for _, s := range pr.Stages {
		tasks += len(s.Runbook.Tasks)
	}
	if len(rows)-1 != tasks {
		t.Errorf("got %d task rows, want %d", len(rows)-1, tasks)
	}
	found := false
	for _, r := range rows[1:] {
		if len(r) > 8 && r[0] == "2" && strings.HasPrefix(r[6], "Get-DnsServerResourceRecord -ZoneName 'contoso.com'") && r[8] == "Network team (A. Lee)" {
			found = true
		}
	}
	if !found {
		t.Error("no stage 2 DNS task with its owner")
	}
	dvs, err := f.GetDataValidations(SheetRunbook)
	if err != nil {
		t.Fatal(err)
	}
	var lists, dates int
	for _, dv := range dvs {
		switch dv.Type {
		case "list":
			lists++
			if !strings.Contains(dv.Formula1, "Done") || !strings.HasPrefix(dv.Sqref, "J2:") {
				t.Errorf("status drop-down %q on %s", dv.Formula1, dv.Sqref)
			}
		case "date":
			dates++
		}
	}
	if lists != 1 || dates != 1 {
		t.Errorf("got %d list and %d date validations, want 1 and 1", lists, dates)
	}
	stages, _ := f.GetRows(SheetStages)
	// Three stages, a blank row, and the scope the verdicts speak for.
	if len(stages) != 6 || stages[2][5] != "Breaks paths" || len(stages[5]) != 1 ||
		stages[5][0] != "Scope of the verdicts. "+planner.ScopeLine() {
		t.Errorf("stages sheet: %q", stages)
	}
}
