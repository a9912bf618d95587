package planner

import (
	"fmt"
	"strings"
	"time"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/templates"
)

// Pass is one planning run: the inventory, its topology, the computed
// cohorts, and the findings rules report into it. Rules never print.
type Pass struct {
	Inv  *model.Inventory
	X    *model.Index
	Topo *Topology
	// AsOf is "today" for expiry checks (pinned for reproducible output).
	AsOf time.Time
	// Cohorts with their computed paths; checks run after paths.
	Cohorts []*Cohort

	findings []Finding
	seen     map[string]int // finding key → index, to merge duplicates
	// paths are the computed paths shared by cohorts (computePaths).
	paths map[pathsKey][]Path
}

// Report records a finding of rule r about subject with the rule's
// severity. The same rule, subject and message reported twice is kept once.
func (p *Pass) Report(r *Rule, subject, msg string, fix Fix) {
	p.ReportAs(r, r.Severity, subject, msg, fix)
}

// ReportAs records a finding with an explicit severity.
func (p *Pass) ReportAs(r *Rule, sev Severity, subject, msg string, fix Fix) {
	p.ReportCiting(r, sev, subject, msg, fix, r.Sources)
}

// ReportCiting records a finding that cites some of its rule's sources
// only: a lifecycle finding cites its product's Lifecycle page, not every
// release's. sources must be keys of r.Sources.
func (p *Pass) ReportCiting(r *Rule, sev Severity, subject, msg string, fix Fix, sources []string) {
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	key := r.ID + "\x00" + subject + "\x00" + msg
	if i, ok := p.seen[key]; ok {
		if sev.Rank() < p.findings[i].Severity.Rank() {
			p.findings[i].Severity = sev
		}
		return
	}
	if r.Inferred {
		msg += " (inferred: verify)"
	}
	f := Finding{
		ID:          r.ID,
		Severity:    sev,
		Subject:     subject,
		Message:     msg,
		Sources:     sources,
		Basis:       r.Basis(),
		Inferred:    r.Inferred,
		Fix:         fix,
		Remediation: fix.Text(),
	}
	p.seen[key] = len(p.findings)
	p.findings = append(p.findings, f)
}

// Remedy renders the shell commands of a rule's remedy template, for use
// in a Fix. A template error is a bug; it is returned as a comment line so
// the plan still completes and the problem is visible.
func Remedy(id string, data any) []string {
	lines, err := templates.Remedy(id, data)
	if err != nil {
		return []string{"# " + err.Error()}
	}
	return lines
}

// Commands returns the shell commands without the "#!" directive lines
// of the remedy templates (see package templates), which only
// remediation.ps1 reads: the lines a reader copies.
func (f Fix) Commands() []string { return readerLines(f.Shell) }

// readerLines drops the "#!" directive lines of remedy template output,
// which only remediation.ps1 reads: the lines a reader copies.
func readerLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !templates.IsDirective(l) {
			out = append(out, l)
		}
	}
	return out
}

// Text renders the fix as the plain remediation text of plan.json and the
// reports.
func (f Fix) Text() string {
	var parts []string
	if len(f.KBs) > 0 {
		parts = append(parts, "Install "+strings.Join(f.KBs, ", ")+".")
	}
	parts = append(parts, f.Steps...)
	if c := f.Commands(); len(c) > 0 {
		parts = append(parts, strings.Join(c, "\n"))
	}
	if len(f.Registry) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "Registry on %s:", f.Server)
		for _, v := range f.Registry {
			fmt.Fprintf(&b, "\n%s\\%s = %d (0x%X)", v.Key, v.Name, v.Value, v.Value)
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "\n")
}

// Options tune planning.
type Options struct {
	// AsOf overrides the inventory's organization.as_of ("today").
	AsOf time.Time
	// Users, when set, restricts planning to the cohorts of these mailbox
	// rows and skips the organisation checks: "coexist path" needs one
	// user's paths, not the whole plan. Other cohorts have no paths.
	Users []int
}

// Run plans a validated inventory: it builds the topology, groups users
// into cohorts, computes every cohort's paths (reporting path findings),
// then runs every check rule.
func Run(inv *model.Inventory, opt Options) *Plan {
	x := model.NewIndex(inv)
	topo := NewTopology(inv, x)
	p := &Pass{Inv: inv, X: x, Topo: topo, AsOf: opt.AsOf}
	if p.AsOf.IsZero() {
		if t, err := model.ParseDate(inv.Organization.AsOf); err == nil {
			p.AsOf = t
		}
	}
	cohorts, userCohort := buildCohorts(inv, x, topo)
	p.Cohorts = cohorts
	if opt.Users != nil {
		done := map[int32]bool{}
		for _, row := range opt.Users {
			if row >= 0 && row < len(userCohort) && !done[userCohort[row]] {
				done[userCohort[row]] = true
				computePaths(p, cohorts[userCohort[row]])
			}
		}
	} else {
		for _, c := range cohorts {
			computePaths(p, c)
		}
		for _, r := range Rules() {
			if r.Check != nil {
				r.Check(p)
			}
		}
	}
	sortFindings(p.findings)
	return &Plan{
		Organization: inv.Organization.Name,
		AsOf:         p.AsOf,
		Cohorts:      cohorts,
		Findings:     p.findings,
		Inv:          inv,
		Index:        x,
		Topo:         topo,
		userCohort:   userCohort,
		routes:       &routeCache{by: map[string][]Route{}},
	}
}
