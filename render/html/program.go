package html

import (
	"errors"
	"io"

	"github.com/coexist/coexist/planner"
)

// ProgramInput is what runbook.html is made from.
type ProgramInput struct {
	Program *planner.Program
	// Timeline is the timeline diagram as SVG (nil for none).
	Timeline []byte
	// Digest is the SHA-256 (hex) of the base inventory files.
	Digest string
}

// programPage is the view of runbook.html.
type programPage struct {
	Head     pageHead
	Name     string
	Verdict  verdict
	Timeline diagram
	Stages   []stageView
	// Sources numbers every source the stages' findings and steps cite.
	Sources []sourceView
	// Scope says what the stage verdicts cover and what they do not.
	Scope scopeView
}

type stageView struct {
	Number                    int
	First                     bool // the stage shown first: the first that breaks paths, else stage 1
	Name, Date, Window, Owner string
	Note                      string
	Kind, VerdictName         string
	Reasons, Edits            []string
	Needs                     []needView
	Changes                   []changeView
	Steps                     []stepView
	Introduced, Resolved      []findingView
	DNS                       []planner.DNSChange
	URLs                      []planner.URLChange
	Phases                    []phaseView
	GoNoGo                    []string
}

type needView struct{ Rule, Title, Subject, Why, By string }

type phaseView struct {
	Title string
	Tasks []taskView
}

type taskView struct {
	Step                                 int
	Server, Shell, Action, Command, From string
}

// stageKind is the badge kind of a stage verdict.
func stageKind(v string) string {
	switch v {
	case planner.StageBreaks:
		return "broken"
	case planner.StageReview:
		return "warning"
	}
	return "ok"
}

// WriteProgram writes runbook.html: the programme's stages on a timeline
// (a button each, coloured by verdict); choosing one shows that stage's
// verdict, needs, path changes (before and after), findings, what users
// notice, DNS and URL changes, and its runbook by phase with every command.
// Like report.html it is one self-contained file whose
// Content-Security-Policy lets only its own scripts run; without scripts
// every stage is shown.
func WriteProgram(w io.Writer, in ProgramInput) error {
	pr := in.Program
	if pr == nil || pr.Base == nil {
		return errors.New("runbook.html: no programme")
	}
	a, err := loadAssets()
	if err != nil {
		return err
	}
	org := orgName(pr.Organization)
	pg := programPage{Head: newHead(a, "Migration runbook · "+org, "Migration runbook", org, pr.Base, in.Digest, nil, "common.js", "program.js"), Name: pr.Name}
	pg.Verdict = verdict{Label: pr.Summary(), Kind: stageKind(pr.Verdict)}
	pg.Scope = newScopeView()
	if pr.FirstRisk >= 0 {
		s := pr.Stages[pr.FirstRisk]
		pg.Verdict.Label = "Breaks paths at " + s.Label()
		pg.Verdict.Reasons = s.Reasons
	}
	budget := MaxInlineSVG
	if pg.Timeline, err = inline(in.Timeline, "tl-", "Stages of the programme in order", "timeline.svg", &budget); err != nil {
		return err
	}
	first := 0
	if pr.FirstRisk >= 0 {
		first = pr.FirstRisk
	}
	var keys []string
	for _, s := range pr.Stages {
		for _, e := range s.Diff.Bibliography().Entries {
			keys = append(keys, e.Key)
		}
	}
	bib := planner.NewBibliography(keys)
	pg.Sources = sourceList(bib)
	for _, s := range pr.Stages {
		d := s.Diff
		v := stageView{Number: s.Index + 1, First: s.Index == first, Name: s.Stage.Name, Date: s.Stage.Date, Window: s.Stage.Window, Owner: s.Stage.Owner,
			Note: s.Stage.Note, Kind: stageKind(s.Verdict), VerdictName: planner.VerdictName(s.Verdict), Reasons: s.Reasons, Edits: d.Edits,
			DNS: s.Runbook.DNS, URLs: s.Runbook.URLs, GoNoGo: s.Runbook.GoNoGo}
		for _, p := range s.Prereqs {
			by := "no stage"
			if p.ProvidedBy >= 0 {
				by = pr.Stages[p.ProvidedBy].Label() + ": run it first"
			}
			v.Needs = append(v.Needs, needView{p.Rule, p.Title, p.Subject, bib.Note(p.Why), by})
		}
		for _, c := range d.Changes {
			before, after := pathOf(c.Before, bib), pathOf(c.After, bib)
			markChanged(before.Hops, after.Hops)
			kindName := c.Kind
			for _, k := range changeKinds {
				if k.kind == c.Kind {
					kindName = k.title
				}
			}
			v.Changes = append(v.Changes, changeView{Protocol: c.Protocol, Name: protocolName(c.Protocol), Label: pathLabel(c.Location, c.Secondary, c.Entry),
				Users: c.Users, Sample: c.Sample, More: c.Users - len(c.Sample), Kind: c.Kind, KindName: kindName, Before: before, After: after})
		}
		for _, st := range d.Steps {
			v.Steps = append(v.Steps, stepView{Users: st.Users, Sample: st.Sample, More: st.Users - len(st.Sample), Text: st.Text, Cites: cites(bib, st.Sources), Inferred: st.Inferred})
		}
		v.Introduced, _, _, _ = findings(d.Introduced, "s"+num(s.Index+1)+"-introduced", bib)
		v.Resolved, _, _, _ = findings(d.Resolved, "s"+num(s.Index+1)+"-resolved", bib)
		for _, phase := range []string{planner.PhasePreCheck, planner.PhaseImplement, planner.PhaseTest, planner.PhaseRollback} {
			pv := phaseView{Title: planner.PhaseNames[phase]}
			for i, t := range s.Runbook.Tasks {
				if t.Phase == phase {
					pv.Tasks = append(pv.Tasks, taskView{Step: i + 1, Server: t.Server, Shell: t.Shell, Action: t.Action, Command: t.Command, From: t.From})
				}
			}
			if len(pv.Tasks) > 0 {
				v.Phases = append(v.Phases, pv)
			}
		}
		pg.Stages = append(pg.Stages, v)
	}
	return execute(w, a, "program.html.tmpl", pg)
}
