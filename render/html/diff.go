package html

import (
	"errors"
	"io"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/planjson"
)

// diffPage is the view of diff.html.
type diffPage struct {
	Head       pageHead
	Verdict    verdict
	Stats      []stat
	Edits      []string
	Steps      []stepView
	Groups     []changeGroup
	Introduced []findingView
	Resolved   []findingView
	Reworded   []findingView
	NoChanges  bool
	NoFindings bool
	// Scope says what the plans compared cover and what they do not.
	Scope   scopeView
	Sources []sourceView
}

type stepView struct {
	Users    int
	Sample   []string
	More     int
	Text     string
	Cites    []citeView
	Inferred bool
}

type changeGroup struct {
	Kind, Title, Intro string
	Changes            []changeView
}

type changeView struct {
	ID                    string // anchor
	Protocol, Name, Label string
	Users, More           int
	Sample                []string
	Kind, KindName        string
	Before, After         pathView
}

// pathView is one path drawn by the page template.
type pathView struct {
	Outcome, OutcomeName, OutcomeKind string
	Location                          string
	Hops                              []hopView
	Notes                             []noteView
	Rules                             []ruleRef
}

type hopView struct {
	From, To, Host, Action, ActionName, Auth, AuthName string
	Redirect, Changed                                  bool
}

type ruleRef struct{ ID, Title string }

var changeKinds = []struct{ kind, title, intro string }{
	{"newly-broken", "Newly broken", "Paths that work today and stop working after the change."},
	{"outcome", "Outcome changes", "Paths whose outcome changes (for example from OK to a warning) without breaking."},
	{"fixed", "Fixed", "Paths that are broken today and work after the change."},
	{"route", "Route changes", "Paths with the same outcome that take other hops: other names, servers, redirects or authentication."},
}

// WriteDiff writes diff.html for in.Diff to w.
func WriteDiff(w io.Writer, in DiffInput) error {
	d := in.Diff
	if d == nil || d.Before == nil || d.After == nil {
		return errors.New("diff.html: no diff")
	}
	a, err := loadAssets()
	if err != nil {
		return err
	}
	org := orgName(d.Organization)
	pg := diffPage{Head: newHead(a, "What-if: change-board diff · "+org, "Change-board diff", org, d.After, in.Digest, nil, "common.js")}
	pg.Verdict = diffVerdict(d)
	pg.Stats = []stat{
		{"Users whose paths change", num(d.UsersChanged), "of " + num(len(d.Before.Inv.Mailboxes)) + " users"},
		{"Users newly broken", num(d.UsersNewlyBroken), plural(d.PathsNewlyBroken, "user path", "user paths") + " newly broken"},
		{"User paths fixed", num(d.PathsFixed), "broken before, working after"},
		{"Findings", "+" + num(len(d.Introduced)) + " / −" + num(len(d.Resolved)), plural(len(d.Changed), "finding", "findings") + " reworded"},
	}
	pg.Edits = d.Edits
	bib := d.Bibliography()
	for _, s := range d.Steps {
		pg.Steps = append(pg.Steps, stepView{Users: s.Users, Sample: s.Sample, More: s.Users - len(s.Sample), Text: s.Text, Cites: cites(bib, s.Sources), Inferred: s.Inferred})
	}
	n := 0
	for _, k := range changeKinds {
		g := changeGroup{Kind: k.kind, Title: k.title, Intro: k.intro}
		for _, c := range d.Changes {
			if c.Kind != k.kind {
				continue
			}
			n++
			before, after := pathOf(c.Before, bib), pathOf(c.After, bib)
			markChanged(before.Hops, after.Hops)
			g.Changes = append(g.Changes, changeView{
				ID: "change-" + num(n), Protocol: c.Protocol, Name: protocolName(c.Protocol), Label: pathLabel(c.Location, c.Secondary, c.Entry),
				Users: c.Users, Sample: c.Sample, More: c.Users - len(c.Sample), Kind: c.Kind, KindName: k.title,
				Before: before, After: after,
			})
		}
		if len(g.Changes) > 0 {
			pg.Groups = append(pg.Groups, g)
		}
	}
	pg.NoChanges = len(d.Changes) == 0
	pg.Introduced, _, _, _ = findings(d.Introduced, "introduced", bib)
	pg.Resolved, _, _, _ = findings(d.Resolved, "resolved", bib)
	pg.Reworded, _, _, _ = findings(d.Changed, "reworded", bib)
	pg.Sources = sourceList(bib)
	pg.Scope = newScopeView()
	pg.NoFindings = len(d.Introduced)+len(d.Resolved)+len(d.Changed) == 0
	return execute(w, a, "diff.html.tmpl", pg)
}

func diffVerdict(d *planner.Diff) verdict {
	v := verdict{Label: planjson.Verdict(d), Kind: "ok"}
	switch {
	case d.Risk:
		v.Kind = "broken"
	case d.UsersChanged == 0 && len(d.Introduced) == 0 && len(d.Resolved) == 0:
		v.Kind = "na"
	}
	if d.UsersNewlyBroken > 0 {
		v.Reasons = append(v.Reasons, plural(d.UsersNewlyBroken, "user loses", "users lose")+" a working path.")
	}
	blocking := 0
	for _, f := range d.Introduced {
		if f.Severity == planner.SevError {
			blocking++
		}
	}
	if blocking > 0 {
		v.Reasons = append(v.Reasons, plural(blocking, "blocking finding is", "blocking findings are")+" introduced.")
	}
	if d.UsersChanged > 0 {
		v.Reasons = append(v.Reasons, plural(d.UsersChanged, "user's paths change", "users' paths change")+"; see the changes below.")
	}
	if d.PathsFixed > 0 {
		v.Reasons = append(v.Reasons, plural(d.PathsFixed, "broken user path is", "broken user paths are")+" fixed.")
	}
	return v
}

// pathLabel describes which path of a user a change is about.
func pathLabel(location, secondary, entry string) string {
	s := location
	if entry != "" {
		s += ", entered as " + entry
	}
	if secondary != "" {
		s += ", Full Access mailbox in " + secondary
	}
	return s
}

// noteView is a path note naming its rule, with short citations of the
// rule's sources into the page's source list.
type noteView struct {
	Text  string
	Cites []citeView
}

func pathOf(p planner.Path, bib *planner.Bibliography) pathView {
	v := pathView{Outcome: p.Outcome, OutcomeName: outcomeName(p.Outcome), OutcomeKind: outcomeKind(p.Outcome), Location: p.Location}
	for _, n := range p.Notes {
		v.Notes = append(v.Notes, noteView{Text: planner.NoteForReader(n), Cites: cites(bib, planner.NoteSources(n))})
	}
	for _, h := range p.Hops {
		v.Hops = append(v.Hops, hopView{From: h.From, To: h.To, Host: h.Host, Action: h.Action, ActionName: actionName(h.Action),
			Auth: h.Auth, AuthName: authName(h.Auth), Redirect: isRedirect(h.Action)})
	}
	for _, id := range p.Findings {
		r := ruleRef{ID: id}
		if rule := planner.RuleByID(id); rule != nil {
			r.Title = rule.Title + " — " + string(rule.Basis())
		}
		v.Rules = append(v.Rules, r)
	}
	return v
}

func isRedirect(action string) bool {
	switch action {
	case planner.ActRedirectSilent, planner.ActRedirectManual, planner.ActRedirect451:
		return true
	}
	return false
}

// markChanged flags the hops of before and after that the other side does
// not have: hops outside their longest common subsequence, so that a hop
// inserted in front of a path marks only that hop.
func markChanged(before, after []hopView) {
	same := func(x, y hopView) bool {
		return x.From == y.From && x.To == y.To && x.Host == y.Host && x.Action == y.Action && x.Auth == y.Auth
	}
	n, m := len(before), len(after)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case same(before[i], after[j]):
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	for i := range before {
		before[i].Changed = true
	}
	for j := range after {
		after[j].Changed = true
	}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case same(before[i], after[j]):
			before[i].Changed, after[j].Changed = false, false
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
}
