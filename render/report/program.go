package report

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/pdf"
)

// ProgramInput is what runbook.pdf is made from.
type ProgramInput struct {
	Program *planner.Program
	// Timeline is the laid-out timeline diagram (zero when Graphviz is
	// unavailable: the timeline table stands alone).
	Timeline layout.Drawing
	// Digest is the SHA-256 (hex) of the base inventory files' bytes.
	Digest string
	// Fonts draws the characters the embedded Go fonts lack; nil for none.
	Fonts *pdf.Fonts
}

// verdictKind is the callout kind of a stage verdict.
func verdictKind(v string) string {
	switch v {
	case planner.StageBreaks:
		return "error"
	case planner.StageReview:
		return "warning"
	}
	return "ok"
}

// WriteProgram writes runbook.pdf: the timeline page (every stage with its
// date, owner and verdict, and the diagram), then one chapter per stage:
// verdict and why, what it needs that no earlier stage provided, the
// users whose paths change, findings introduced and resolved, what users
// notice, the DNS and URL changes, the runbook by phase (each command
// with its server and shell), go/no-go criteria and sign-off lines.
func WriteProgram(w io.Writer, in ProgramInput) error {
	pr := in.Program
	if pr == nil || pr.Base == nil {
		return errors.New("runbook report: no programme")
	}
	doc := pdf.New(pdf.Meta{
		Title:   "Migration runbook · " + pr.Organization,
		Subject: pr.Name + " · stages, verification and runbook",
		Creator: "coexist",
		Date:    pr.Base.AsOf,
	})
	doc.SetFonts(in.Fonts)
	doc.Heading(1, "Timeline: "+pr.Name)
	doc.Callout(verdictKind(pr.Verdict), "Programme verdict: "+planner.VerdictName(pr.Verdict), pr.Summary()+"\n"+scopeNote())
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "#", Width: 0.4, Align: pdf.AlignRight}, {Title: "Stage", Width: 2.4}, {Title: "Date", Width: 1.2},
		{Title: "Window", Width: 1.6}, {Title: "Owner", Width: 1.8}, {Title: "Verdict", Width: 1.3},
	}}
	for _, s := range pr.Stages {
		t.Rows = append(t.Rows, []pdf.Cell{{Text: fmt.Sprint(s.Index + 1)}, {Text: s.Stage.Name, Bold: true}, {Text: s.Stage.Date},
			{Text: s.Stage.Window}, {Text: s.Stage.Owner}, verdictCell(s.Verdict)})
	}
	doc.Table(t)
	if !empty(in.Timeline) {
		doc.Diagram(in.Timeline, "Stages in order; a dashed red arrow runs from a stage to an earlier one that needs it first")
	}
	// Page 1 stays the overview a board reads first; the document
	// control the board signs follows it, naming the inventory it was
	// computed from.
	var digest [][2]string
	if in.Digest != "" {
		digest = append(digest, [2]string{"Base inventory SHA-256", in.Digest})
	}
	DocControl(doc, pr.Base.DocControl(), "Migration runbook: "+pr.Name, digest...)
	for _, s := range pr.Stages {
		stageChapter(doc, pr, s)
	}
	doc.Heading(1, "Appendix")
	scopeSection(doc)
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("runbook report: %w", err)
	}
	return nil
}

func verdictCell(v string) pdf.Cell {
	c := pdf.Cell{Text: planner.VerdictName(v), Bold: true}
	switch v {
	case planner.StageBreaks:
		c.Fill, c.Color = colBrokenBG, colBrokenFG
	case planner.StageReview:
		c.Fill, c.Color = colWarnBG, colWarnFG
	default:
		c.Fill, c.Color = colOKBG, colOKFG
	}
	return c
}

func stageChapter(doc *pdf.Document, pr *planner.Program, s *planner.StageResult) {
	d := s.Diff
	doc.Heading(1, fmt.Sprintf("Stage %d: %s", s.Index+1, s.Stage.Name))
	kv := [][2]string{{"Date", s.Stage.Date}, {"Window", s.Stage.Window}, {"Owner", s.Stage.Owner}}
	if s.Stage.Note != "" {
		kv = append(kv, [2]string{"Purpose", s.Stage.Note})
	}
	kv = append(kv, [2]string{"Edits", strings.Join(d.Edits, "\n")})
	doc.KeyValues(kv)
	why := "No path becomes broken, no finding is added and nothing the stage needs is missing."
	if len(s.Reasons) > 0 {
		why = strings.Join(s.Reasons, "\n")
	}
	doc.Callout(verdictKind(s.Verdict), "Verdict: "+planner.VerdictName(s.Verdict), why)

	if len(s.Prereqs) > 0 {
		doc.Heading(2, "What this stage needs that no earlier stage provided")
		t := pdf.Table{Columns: []pdf.Column{{Title: "Rule", Width: 1.3}, {Title: "About", Width: 1.6}, {Title: "Why", Width: 4}, {Title: "Provided by", Width: 1.4}}}
		for _, p := range s.Prereqs {
			by := "no stage"
			if p.ProvidedBy >= 0 {
				by = pr.Stages[p.ProvidedBy].Label() + ": run it first"
			}
			t.Rows = append(t.Rows, []pdf.Cell{{Text: p.Rule + "\n" + p.Title, Bold: true}, {Text: p.Subject}, {Text: planner.NoteForReader(p.Why)}, {Text: by}})
		}
		doc.Table(t)
	}
	if len(d.Changes) > 0 {
		doc.Heading(2, "Users whose paths change")
		t := pdf.Table{Columns: []pdf.Column{{Title: "Change", Width: 1}, {Title: "Protocol", Width: 1.5}, {Title: "Users", Width: 1.3},
			{Title: "Before", Width: 2.6}, {Title: "After", Width: 2.6}}}
		for i, ch := range d.Changes {
			if i == MaxChangeRows {
				t.Rows = append(t.Rows, []pdf.Cell{{Text: fmt.Sprintf("… %d more changes in program.json", len(d.Changes)-i)}})
				break
			}
			t.Rows = append(t.Rows, []pdf.Cell{kindCell(ch.Kind, true), {Text: protocolName(ch.Protocol) + "\n" + ch.Location},
				{Text: fmt.Sprintf("%d: %s", ch.Users, strings.Join(ch.Sample, ", "))}, {Text: route(ch.Before)}, {Text: route(ch.After)}})
		}
		doc.Table(t)
	}
	if len(d.Introduced)+len(d.Resolved) > 0 {
		doc.Heading(2, "Findings introduced and resolved")
		t := pdf.Table{Columns: []pdf.Column{{Title: "", Width: 1}, {Title: "Finding", Width: 1.4}, {Title: "Subject", Width: 1.3}, {Title: "Message", Width: 5}}}
		for _, f := range d.Introduced {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: "Introduced", Bold: true}, {Text: f.ID + "\n" + planner.SeverityName(f.Severity)}, {Text: f.Subject}, {Text: f.Message}})
		}
		for _, f := range d.Resolved {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: "Resolved"}, {Text: f.ID + "\n" + planner.SeverityName(f.Severity)}, {Text: f.Subject}, {Text: firstLine(f.Message)}})
		}
		doc.Table(t)
	}
	if len(d.Steps) > 0 {
		doc.Heading(2, "What users notice")
		t := pdf.Table{Columns: []pdf.Column{{Title: "Users", Width: 1.4}, {Title: "What happens", Width: 6}}}
		for _, st := range d.Steps {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: fmt.Sprintf("%d: %s", st.Users, strings.Join(st.Sample, ", "))}, {Text: st.Text}})
		}
		doc.Table(t)
	}
	rb := s.Runbook
	if len(rb.DNS) > 0 {
		doc.Heading(2, "DNS changes")
		t := pdf.Table{Columns: []pdf.Column{{Title: "Record", Width: 2}, {Title: "View", Width: 1}, {Title: "Before", Width: 2.2}, {Title: "After", Width: 2.2}, {Title: "TTL", Width: 1.2}}}
		for _, c := range rb.DNS {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: c.Record, Bold: true}, {Text: c.View}, {Text: strings.Join(c.Before, "\n")}, {Text: strings.Join(c.After, "\n")}, {Text: c.TTL}})
		}
		doc.Table(t)
	}
	if len(rb.URLs) > 0 {
		doc.Heading(2, "Virtual directory URLs")
		t := pdf.Table{Columns: []pdf.Column{{Title: "Server", Width: 1.4}, {Title: "Directory", Width: 1.1}, {Title: "URL", Width: 0.9}, {Title: "Before", Width: 2.6}, {Title: "After", Width: 2.6}}}
		for _, u := range rb.URLs {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: u.Server}, {Text: u.VirtualDir}, {Text: u.Which}, {Text: orDash(u.Before)}, {Text: orDash(u.After)}})
		}
		doc.Table(t)
	}
	for _, phase := range []string{planner.PhasePreCheck, planner.PhaseImplement, planner.PhaseTest, planner.PhaseRollback} {
		t := pdf.Table{Columns: []pdf.Column{{Title: "#", Width: 0.35, Align: pdf.AlignRight}, {Title: "Where", Width: 1.3},
			{Title: "Step", Width: 2.4}, {Title: "Command", Width: 4.4}}}
		for i, task := range rb.Tasks {
			if task.Phase != phase {
				continue
			}
			where := task.Shell
			if task.Server != "" {
				where = task.Server + "\n" + task.Shell
			}
			cmd := pdf.Cell{Text: task.Command, Mono: true}
			if task.Command == "" {
				cmd = pdf.Cell{Text: "(manual step)", Color: colInfoFG}
			}
			t.Rows = append(t.Rows, []pdf.Cell{{Text: fmt.Sprint(i + 1)}, {Text: where}, {Text: task.Action + "\nFrom " + task.From}, cmd})
		}
		if len(t.Rows) == 0 {
			continue
		}
		doc.Heading(2, planner.PhaseNames[phase])
		doc.Table(t)
	}
	doc.Heading(2, "Go / no-go and sign-off")
	var crit []string
	for _, g := range rb.GoNoGo {
		crit = append(crit, "☐ "+g)
	}
	doc.Paragraph(strings.Join(crit, "\n"))
	doc.Table(pdf.Table{Columns: []pdf.Column{{Title: "Role", Width: 2}, {Title: "Name", Width: 2.5}, {Title: "Decision (go / no-go)", Width: 2}, {Title: "Signature and date", Width: 2.5}},
		Rows: [][]pdf.Cell{{{Text: "Stage owner\n" + s.Stage.Owner}, {}, {}, {}}, {{Text: "Change board\n "}, {}, {}, {}}, {{Text: "After the change: verified by\n "}, {}, {}, {}}}})
}

// route renders a path as "host → A (action) → B [outcome]".
func route(p planner.Path) string {
	if len(p.Hops) == 0 {
		return planner.OutcomeName(p.Outcome)
	}
	var b strings.Builder
	b.WriteString(p.Hops[0].Host)
	for _, h := range p.Hops {
		fmt.Fprintf(&b, " → %s (%s)", h.To, planner.ActionName(h.Action))
	}
	fmt.Fprintf(&b, " [%s]", planner.OutcomeName(p.Outcome))
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
