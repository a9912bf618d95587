package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// ProgramSchema is the program.json schema identifier.
const ProgramSchema = "coexist.program/v1"

// Stage verdicts, best first.
const (
	// StageSafe: no path becomes broken, nothing new needs a decision.
	StageSafe = "safe"
	// StageReview: no path becomes broken and no blocking finding is
	// added, but a warning is added, a path degrades, or the stage needs
	// something an earlier stage has not provided.
	StageReview = "needs-review"
	// StageBreaks: a path becomes broken or a blocking finding is added.
	StageBreaks = "breaks-paths"
)

// VerdictName spells a stage verdict for reports ("Needs review").
func VerdictName(v string) string {
	switch v {
	case StageSafe:
		return "Safe"
	case StageReview:
		return "Needs review"
	case StageBreaks:
		return "Breaks paths"
	}
	return v
}

func verdictRank(v string) int {
	switch v {
	case StageBreaks:
		return 2
	case StageReview:
		return 1
	}
	return 0
}

// Program is a planned migration programme: every stage planned on the
// result of the one before and diffed against it.
type Program struct {
	Name         string
	Organization string
	// Base is the plan of the starting inventory.
	Base   *Plan
	Stages []*StageResult
	// Verdict is the worst stage verdict.
	Verdict string
	// FirstRisk is the index of the first stage that breaks paths or adds
	// a blocking finding, -1 when none does: the programme exits 3.
	FirstRisk int
}

// StageResult is one stage of a programme, planned.
type StageResult struct {
	// Index is the stage's 0-based position.
	Index int
	Stage model.Stage
	// Diff compares the plan before the stage with the plan after it.
	Diff    *Diff
	Verdict string
	// Reasons say why the verdict is not "safe", worst first.
	Reasons []string
	// Prereqs are what the stage needs that no earlier stage provided:
	// the problems it introduces, each with the later stage that would
	// provide it when there is one (then the order is wrong).
	Prereqs []Prereq
	// Runbook is how to carry the stage out, generated from its edits
	// and the findings.
	Runbook Runbook
}

// Label names the stage for messages: `stage 2 "Namespaces to 2016"`.
func (s *StageResult) Label() string { return fmt.Sprintf("stage %d %q", s.Index+1, s.Stage.Name) }

// Prereq is something a stage needs that is not in place when it runs:
// shown by a finding the stage introduces, or by a rule that breaks or
// degrades its users' paths.
type Prereq struct {
	// Rule is the ID of the rule that shows the need; Title its title.
	Rule, Title string
	Severity    Severity
	// Subject is the finding's subject (server, namespace, …), or the
	// protocols of the paths the rule affects.
	Subject string
	// Why is the finding's message or the path note that cites the rule.
	Why string
	// Needs is what must be in place: the finding's remediation, or the
	// rule's description for path rules.
	Needs string
	// Users whose paths the rule breaks or degrades (0 for findings about
	// the organisation).
	Users int
	// Sources are the bibliography keys of the rule behind the need.
	Sources []string
	// ProvidedBy is the index of a later stage that resolves the need, or
	// -1 when no stage of the programme does.
	ProvidedBy int
}

// PlanProgram plans a programme. states[0] is the starting inventory and
// states[i+1] the inventory after stage i (validated, as
// load.ApplyProgram returns them).
func PlanProgram(prog *model.Program, states []*model.Inventory, opt Options) *Program {
	pr := &Program{Name: prog.Name, FirstRisk: -1, Verdict: StageSafe}
	plans := make([]*Plan, len(states))
	for i, inv := range states {
		plans[i] = Run(inv, opt)
	}
	pr.Base = plans[0]
	pr.Organization = plans[0].Organization
	if pr.Name == "" {
		pr.Name = pr.Organization + " migration programme"
	}
	for i := range prog.Stages {
		d := Compare(plans[i], plans[i+1])
		for j, ed := range prog.Stages[i].Edits {
			d.Edits = append(d.Edits, fmt.Sprintf("%d. %s", j+1, EditSummary(ed)))
		}
		pr.Stages = append(pr.Stages, &StageResult{Index: i, Stage: prog.Stages[i], Diff: d})
	}
	for _, s := range pr.Stages {
		s.Prereqs = stagePrereqs(s.Diff)
	}
	// A need one stage introduces that a later stage resolves: the later
	// stage provides it, so the order is wrong.
	for i, s := range pr.Stages {
		for k := range s.Prereqs {
			p := &s.Prereqs[k]
			for _, later := range pr.Stages[i+1:] {
				if provides(later.Diff, *p) {
					p.ProvidedBy = later.Index
					break
				}
			}
		}
	}
	for _, s := range pr.Stages {
		s.Verdict, s.Reasons = stageVerdict(s, pr.Stages)
		if verdictRank(s.Verdict) > verdictRank(pr.Verdict) {
			pr.Verdict = s.Verdict
		}
		if s.Diff.Risk && pr.FirstRisk < 0 {
			pr.FirstRisk = s.Index
		}
		s.Runbook = buildRunbook(s, prog)
	}
	return pr
}

// EditSummary describes an edit in one line: its op, its subject and its
// note.
func EditSummary(e model.Edit) string {
	var subj []string
	for _, v := range []string{e.Namespace, e.Database, e.Server, e.ClientProfile} {
		if v != "" {
			subj = append(subj, v)
		}
	}
	if e.NewServer != nil {
		subj = append(subj, e.NewServer.Name)
	}
	if e.Certificate != nil {
		name := e.Certificate.Subject
		if name == "" {
			name = e.Certificate.Thumbprint
		}
		subj = append(subj, name)
	}
	if e.ToDatabase != "" {
		subj = append(subj, "→ "+e.ToDatabase)
	}
	text := e.Op
	if len(subj) > 0 {
		text += " " + strings.Join(subj, " ")
	}
	if e.Note != "" {
		text += ": " + e.Note
	}
	return text
}

// stagePrereqs lists the needs a stage's diff shows: findings it
// introduces (blocking and warnings), and the rules behind paths it breaks
// or degrades, user-weighted.
func stagePrereqs(d *Diff) []Prereq {
	var out []Prereq
	for _, f := range d.Introduced {
		if f.Severity == SevInfo {
			continue
		}
		title := f.ID
		if r := RuleByID(f.ID); r != nil {
			title = r.Title
		}
		out = append(out, Prereq{Rule: f.ID, Title: title, Severity: f.Severity, Subject: f.Subject, Why: f.Message,
			Needs: f.Remediation, Sources: f.Sources, ProvidedBy: -1})
	}
	byRule := map[string]int{}
	for _, ch := range d.Changes {
		if ch.Kind != "newly-broken" && !degrades(ch) {
			continue
		}
		for _, id := range ch.After.Findings {
			if slicesContains(ch.Before.Findings, id) {
				continue
			}
			r := RuleByID(id)
			sev := SevWarning
			if ch.After.Outcome == OutcomeBroken {
				sev = SevError
			}
			proto := ProtocolName(ch.Protocol) + " (" + ch.Location + ")"
			if i, ok := byRule[id]; ok {
				p := &out[i]
				p.Users += ch.Users
				if !strings.Contains(p.Subject, proto) {
					p.Subject += ", " + proto
				}
				if sev.Rank() < p.Severity.Rank() {
					p.Severity = sev
				}
				continue
			}
			p := Prereq{Rule: id, Title: id, Severity: sev, Subject: proto, Users: ch.Users, ProvidedBy: -1}
			if r != nil {
				p.Title, p.Needs, p.Sources = r.Title, r.Doc, r.Sources
			}
			p.Why = noteCiting(ch.After, id)
			byRule[id] = len(out)
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity.Rank() < out[j].Severity.Rank() })
	return out
}

// degrades reports whether a change leaves a path warning or broken where
// it was better (or did not exist).
func degrades(ch PathChange) bool {
	a := OutcomeRank(ch.After.Outcome)
	return a < OutcomeRank(OutcomeOK) && a < OutcomeRank(ch.Before.Outcome)
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// noteCiting returns the path's note that names rule id, else its first
// note.
func noteCiting(p Path, id string) string {
	for _, n := range p.Notes {
		if strings.Contains(n, id) {
			return n
		}
	}
	if len(p.Notes) > 0 {
		return p.Notes[0]
	}
	return ""
}

// provides reports whether a stage's diff resolves need p: it resolves a
// finding of the same rule and subject (and the subject is still there:
// removing a server does not provide what it lacked), or fixes or
// improves paths the rule had flagged.
func provides(d *Diff, p Prereq) bool {
	for _, f := range d.Resolved {
		if d.Before.Index.Server(f.Subject) != nil && d.After.Index.Server(f.Subject) == nil {
			continue
		}
		if f.ID == p.Rule && (p.Users > 0 || model.Key(f.Subject) == model.Key(p.Subject)) {
			return true
		}
	}
	if p.Users == 0 {
		return false
	}
	for _, ch := range d.Changes {
		if OutcomeRank(ch.After.Outcome) > OutcomeRank(ch.Before.Outcome) && slicesContains(ch.Before.Findings, p.Rule) && !slicesContains(ch.After.Findings, p.Rule) {
			return true
		}
	}
	return false
}

// stageVerdict decides a stage's verdict and says why.
func stageVerdict(s *StageResult, all []*StageResult) (string, []string) {
	d := s.Diff
	var why []string
	verdict := StageSafe
	if d.PathsNewlyBroken > 0 {
		verb := "become"
		if d.PathsNewlyBroken == 1 {
			verb = "becomes"
		}
		why = append(why, fmt.Sprintf("%d path%s of %d user%s %s broken", d.PathsNewlyBroken, plural(d.PathsNewlyBroken), d.UsersNewlyBroken, plural(d.UsersNewlyBroken), verb))
	}
	why = append(why, groupFindings(d.Introduced, SevError, "blocking finding")...)
	if d.Risk {
		verdict = StageBreaks
	}
	// Needs a later stage provides, grouped by that stage.
	var later []int
	needs := map[int][]string{}
	for _, p := range s.Prereqs {
		if p.ProvidedBy < 0 {
			continue
		}
		if _, ok := needs[p.ProvidedBy]; !ok {
			later = append(later, p.ProvidedBy)
		}
		n := p.Rule + " on " + p.Subject
		if !slicesContains(needs[p.ProvidedBy], n) {
			needs[p.ProvidedBy] = append(needs[p.ProvidedBy], n)
		}
	}
	sort.Ints(later)
	for _, j := range later {
		why = append(why, fmt.Sprintf("wrong order: %s provides what this stage needs (%s): run it first", all[j].Label(), strings.Join(needs[j], "; ")))
	}
	if verdict == StageSafe {
		why = append(why, groupFindings(d.Introduced, SevWarning, "warning")...)
		for _, ch := range d.Changes {
			if degrades(ch) {
				why = append(why, fmt.Sprintf("%s %s degrades to %s for %d user%s", ProtocolName(ch.Protocol), ch.Location, OutcomeName(ch.After.Outcome), ch.Users, plural(ch.Users)))
			}
		}
		if len(why) > 0 {
			verdict = StageReview
		}
	}
	return verdict, why
}

// groupFindings describes the findings of one severity, one line per rule
// with every subject: "blocking finding CERT-SAN (title) on A and B".
func groupFindings(fs []Finding, sev Severity, word string) []string {
	var ids []string
	subjects := map[string][]string{}
	for _, f := range fs {
		if f.Severity != sev {
			continue
		}
		if _, ok := subjects[f.ID]; !ok {
			ids = append(ids, f.ID)
		}
		subjects[f.ID] = append(subjects[f.ID], f.Subject)
	}
	var out []string
	for _, id := range ids {
		title := ""
		if r := RuleByID(id); r != nil {
			title = " (" + r.Title + ")"
		}
		out = append(out, fmt.Sprintf("%s %s%s on %s", word, id, title, andWords(subjects[id])))
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// firstSentence cuts a message at its first sentence end.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

// Summary is the programme's one-line verdict: the first stage that
// breaks paths and why, else the worst verdict.
func (pr *Program) Summary() string {
	if pr.FirstRisk >= 0 {
		s := pr.Stages[pr.FirstRisk]
		why := ""
		if len(s.Reasons) > 0 {
			why = ": " + strings.Join(s.Reasons, "; ")
		}
		return fmt.Sprintf("Breaks paths at %s%s", s.Label(), why)
	}
	switch pr.Verdict {
	case StageReview:
		var names []string
		for _, s := range pr.Stages {
			if s.Verdict == StageReview {
				names = append(names, s.Label())
			}
		}
		return "Needs review: " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("Safe: no stage of %d breaks a path or adds a blocking finding", len(pr.Stages))
}
