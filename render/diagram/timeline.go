package diagram

import (
	"fmt"
	"strings"

	"github.com/coexist/coexist/planner"
)

// Timeline is the DOT of a programme's stages from top to bottom: each stage a
// box with its date, name, owner and verdict (coloured: green safe, orange
// needs review, red breaks paths), and a dashed red edge from a stage to a
// later stage that provides what it needs (the order is wrong).
func Timeline(pr *planner.Program) []byte {
	var b strings.Builder
	header(&b, "timeline", pr.Name)
	// Top to bottom: a programme of many stages stays legible on a
	// portrait page.
	b.WriteString("  graph [rankdir=TB, ranksep=0.15];\n  node [width=3.6, margin=\"0.1,0.03\"];\n")
	prev := ""
	for _, s := range pr.Stages {
		fill, border := "#E8F5E9", "#2E7D32"
		switch s.Verdict {
		case planner.StageReview:
			fill, border = "#FFF3E0", colWarning
		case planner.StageBreaks:
			fill, border = "#FFEBEE", colBroken
		}
		when := s.Stage.Date
		if when == "" {
			when = "date not set"
		}
		id := fmt.Sprintf("s%d", s.Index+1)
		fmt.Fprintf(&b, "  %s [label=%s, fillcolor=%q, color=%q, penwidth=1.5];\n", id,
			label(fmt.Sprintf("%d. %s (%s)", s.Index+1, s.Stage.Name, when), joinNonEmpty(" · ", s.Stage.Owner, planner.VerdictName(s.Verdict))), fill, border)
		if prev != "" {
			fmt.Fprintf(&b, "  %s -> %s;\n", prev, id)
		}
		prev = id
	}
	for _, s := range pr.Stages {
		seen := map[int]bool{}
		for _, p := range s.Prereqs {
			if p.ProvidedBy < 0 || seen[p.ProvidedBy] {
				continue
			}
			seen[p.ProvidedBy] = true
			fmt.Fprintf(&b, "  s%d -> s%d [style=dashed, color=%q, fontcolor=%q, constraint=false, label=%s];\n",
				p.ProvidedBy+1, s.Index+1, colBroken, colBroken, label("needed first: "+p.Rule))
		}
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
