package diagram

import (
	"fmt"
	"strings"

	"github.com/coexist/coexist/planner"
)

// Timeline is the DOT of a programme's stages left to right: each stage a
// box with its date, name, owner and verdict (coloured: green safe, orange
// needs review, red breaks paths), and a dashed red edge from a stage to a
// later stage that provides what it needs (the order is wrong).
func Timeline(pr *planner.Program) []byte {
	var b strings.Builder
	header(&b, "timeline", pr.Name)
	b.WriteString("  start [shape=circle, label=\"start\", fillcolor=\"#ECEFF1\", fontsize=8];\n")
	prev := "start"
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
			label(fmt.Sprintf("%d. %s", s.Index+1, s.Stage.Name), when, s.Stage.Owner, planner.VerdictName(s.Verdict)), fill, border)
		fmt.Fprintf(&b, "  %s -> %s;\n", prev, id)
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
