package load

import (
	"reflect"
	"strings"
	"testing"
)

// TestReportTable: the optional [report] table fills the document
// control; an unknown status, an empty approver and a misspelt key are
// positioned errors.
func TestReportTable(t *testing.T) {
	dir := t.TempDir()
	good := base + "\n[report]\nauthor = \"Ana Pérez\"\ncompany = \"Fabrikam\"\nversion = \"0.3\"\nstatus = \"for-review\"\napprovers = [\"J. Smith\", \"K. Lee\"]\n"
	inv, _, err := Load([]string{write(t, dir, "good.toml", good)}, Options{})
	if err != nil {
		t.Fatalf("got %v, want no problem", err)
	}
	r := inv.Report
	if r.Author != "Ana Pérez" || r.Company != "Fabrikam" || r.Version != "0.3" || !reflect.DeepEqual(r.Approvers, []string{"J. Smith", "K. Lee"}) {
		t.Errorf("got %+v", r)
	}
	bad := base + "\n[report]\nstatus = \"published\"\napprovers = [\"J. Smith\", \" \"]\nautor = \"x\"\n"
	_, _, err = Load([]string{write(t, dir, "bad.toml", bad)}, Options{})
	got := strings.Join(messages(err), "\n")
	for _, want := range []string{
		`bad.toml:34:1: report.status "published": want "Draft", "For review", "Approved" or "Final"`,
		`bad.toml:35:26: report.approvers: approver 2 is empty`,
		`bad.toml:36:1: unknown key "autor" in [report] (did you mean "author"?)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
}
