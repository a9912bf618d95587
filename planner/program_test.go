package planner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
)

func TestDegrades(t *testing.T) {
	tests := []struct {
		before, after string
		want          bool
	}{
		{OutcomeOK, OutcomeWarning, true},
		{OutcomeOK, OutcomeBroken, true},
		{OutcomeWarning, OutcomeBroken, true},
		{OutcomeNotApplicable, OutcomeWarning, true}, // a new path that warns
		{OutcomeNotApplicable, OutcomeOK, false},     // a new path that works
		{OutcomeBroken, OutcomeWarning, false},
		{OutcomeWarning, OutcomeWarning, false},
		{OutcomeOK, OutcomeNotApplicable, false},
	}
	for _, tt := range tests {
		ch := PathChange{Before: Path{Outcome: tt.before}, After: Path{Outcome: tt.after}}
		if got := degrades(ch); got != tt.want {
			t.Errorf("%s → %s: got %v, want %v", tt.before, tt.after, got, tt.want)
		}
	}
}

func planWith(servers ...string) *Plan {
	inv := &model.Inventory{}
	for _, s := range servers {
		inv.Servers = append(inv.Servers, model.Server{Name: s})
	}
	return &Plan{Inv: inv, Index: model.NewIndex(inv)}
}

// A later stage provides a need when it resolves the same finding on the
// same subject that is still there; removing the server is no provision.
func TestProvides(t *testing.T) {
	need := Prereq{Rule: "CERT-SAN", Subject: "MBX1", ProvidedBy: -1}
	tests := []struct {
		name string
		d    *Diff
		want bool
	}{
		{"resolves it", &Diff{Before: planWith("MBX1"), After: planWith("MBX1"), Resolved: []Finding{{ID: "CERT-SAN", Subject: "mbx1"}}}, true},
		{"other subject", &Diff{Before: planWith("MBX1", "MBX2"), After: planWith("MBX1", "MBX2"), Resolved: []Finding{{ID: "CERT-SAN", Subject: "MBX2"}}}, false},
		{"other rule", &Diff{Before: planWith("MBX1"), After: planWith("MBX1"), Resolved: []Finding{{ID: "CERT-EXPIRY", Subject: "MBX1"}}}, false},
		{"removes the server", &Diff{Before: planWith("MBX1"), After: planWith(), Resolved: []Finding{{ID: "CERT-SAN", Subject: "MBX1"}}}, false},
	}
	for _, tt := range tests {
		if got := provides(tt.d, need); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	// A path need is provided by a stage that improves a path the rule
	// had flagged.
	pathNeed := Prereq{Rule: "PATH-LB-PATH", Users: 3, ProvidedBy: -1}
	fix := &Diff{Before: planWith(), After: planWith(), Changes: []PathChange{{
		Before: Path{Outcome: OutcomeBroken, Findings: []string{"PATH-LB-PATH"}}, After: Path{Outcome: OutcomeOK}}}}
	if !provides(fix, pathNeed) {
		t.Error("a stage fixing the flagged path does not provide the path need")
	}
}

func TestStageVerdict(t *testing.T) {
	later := &StageResult{Index: 2, Stage: model.Stage{Name: "Certificate"}}
	tests := []struct {
		name    string
		s       *StageResult
		verdict string
		reason  string
	}{
		{"nothing new", &StageResult{Diff: &Diff{}}, StageSafe, ""},
		{"new blocking finding", &StageResult{Diff: &Diff{Risk: true, Introduced: []Finding{{ID: "CERT-SAN", Severity: SevError, Subject: "MBX1"}, {ID: "CERT-SAN", Severity: SevError, Subject: "MBX2"}}}},
			StageBreaks, "blocking finding CERT-SAN (Certificate does not cover a name clients reach) on MBX1 and MBX2"},
		{"broken path", &StageResult{Diff: &Diff{Risk: true, PathsNewlyBroken: 1, UsersNewlyBroken: 1}}, StageBreaks, "1 path of 1 user becomes broken"},
		{"new warning", &StageResult{Diff: &Diff{Introduced: []Finding{{ID: "AUTH-CONSISTENT", Severity: SevWarning, Subject: "CAS1"}}}}, StageReview, "warning AUTH-CONSISTENT"},
		{"degraded path", &StageResult{Diff: &Diff{Changes: []PathChange{{Protocol: "mapi-http", Location: "external", Users: 2, Before: Path{Outcome: OutcomeOK}, After: Path{Outcome: OutcomeWarning}}}}},
			StageReview, "MAPI over HTTP external degrades to Warning for 2 users"},
		{"wrong order", &StageResult{Diff: &Diff{}, Prereqs: []Prereq{{Rule: "CERT-SAN", Subject: "MBX1", ProvidedBy: 2}}}, StageReview,
			`wrong order: stage 3 "Certificate" provides what this stage needs (CERT-SAN on MBX1): run it first`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, why := stageVerdict(tt.s, []*StageResult{tt.s, {Index: 1}, later})
			if v != tt.verdict {
				t.Errorf("got %s, want %s (%q)", v, tt.verdict, why)
			}
			if tt.reason != "" && !strings.Contains(strings.Join(why, "\n"), tt.reason) {
				t.Errorf("reasons %q lack %q", why, tt.reason)
			}
			if tt.reason == "" && len(why) > 0 {
				t.Errorf("got reasons %q, want none", why)
			}
		})
	}
}

// A batch read from a CSV file larger than the runbook lists inline is
// moved by reading that file, by its own name column heading, or with a
// heading added when the file has none.
func TestRunbookCSVBatch(t *testing.T) {
	for _, tt := range []struct {
		header, want string
	}{
		{"", "Import-Csv -LiteralPath 'batch.csv' -Header 'Name' | ForEach-Object { New-MoveRequest -Identity $_.'Name' -TargetDatabase 'DB2016-1'"},
		{"NAME", "Import-Csv -LiteralPath 'batch.csv' | ForEach-Object { New-MoveRequest -Identity $_.'NAME' -TargetDatabase 'DB2016-1'"},
	} {
		inv := csvEstate(t, maxListed+10)
		var names []string
		for _, m := range inv.Mailboxes {
			names = append(names, m.Name)
		}
		e := model.Edit{Op: "move-mailboxes", CSV: "batch.csv", CSVMailboxes: names, CSVHeader: tt.header, ToDatabase: "DB2016-1"}
		after, ps := inv.Apply([]model.Edit{e})
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		prog := &model.Program{Stages: []model.Stage{{Name: "Batch", Edits: []model.Edit{e}}}}
		pr := PlanProgram(prog, []*model.Inventory{inv, after}, Options{})
		var cmds []string
		for _, task := range pr.Stages[0].Runbook.Tasks {
			cmds = append(cmds, task.Command)
		}
		if all := strings.Join(cmds, "\n"); !strings.Contains(all, tt.want) {
			t.Errorf("header %q: runbook lacks %q:\n%s", tt.header, tt.want, all)
		}
	}
}

// csvEstate is the S1 estate with n more 2010 mailboxes (user001…).
func csvEstate(t *testing.T, n int) *model.Inventory {
	t.Helper()
	inv := loadSample(t, "s1-contoso.toml")
	for i := 1; i <= n; i++ {
		inv.Mailboxes = append(inv.Mailboxes, model.Mailbox{Name: fmt.Sprintf("user%03d", i), Database: "DB2010-1", ClientProfile: "win10-outlook2016"})
	}
	if ps := inv.Validate(); len(ps) > 0 {
		t.Fatal(ps)
	}
	return inv
}
