package report

import (
	"fmt"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/layout"
)

// MaxFlowFigures is the most figures of one protocol's flow diagram the
// report prints. A diagram split into more parts (an estate with many
// routes) is left to its flows-<protocol>.svg file: the route table that
// follows lists every route, and the pages stay few.
const MaxFlowFigures = 1

// flowFigures adds a protocol's flow diagram: its parts for print (each
// legible on a page) when there are at most MaxFlowFigures, or the whole.
// all says whether the route table that follows lists every route.
func (r *report) flowFigures(proto string, all bool) {
	caption := protocolName(proto) + ": routes from clients to mailboxes"
	parts := r.in.FlowParts[proto]
	printable := len(parts) <= MaxFlowFigures && (len(parts) > 0 || !empty(r.in.Flows[proto]))
	switch {
	case r.compact && printable && r.flowFigs >= r.mode.flowFigures:
		r.flowsLeft++
		r.doc.Paragraph(fmt.Sprintf("The flow diagram of this protocol's routes is in flows-%s.svg beside this report (this compact report prints the first %d protocols' diagrams).", proto, r.mode.flowFigures))
		return
	case len(parts) > MaxFlowFigures:
		table := "The table lists every route."
		if !all {
			table = "The table lists the routes with problems and the busiest others."
		}
		r.doc.Paragraph(fmt.Sprintf("The flow diagram of this protocol's routes is too large to print legibly (%d pages): see flows-%s.svg beside this report. %s", len(parts), proto, table))
	case len(parts) > 0:
		r.flowFigs++
		r.figured[proto] = true
		for _, part := range parts {
			r.doc.Diagram(part, caption)
		}
	default:
		if dr, ok := r.in.Flows[proto]; ok && !empty(dr) {
			r.flowFigs++
			r.figured[proto] = true
			r.doc.Diagram(dr, caption)
		}
	}
}

// printsFlowFigure reports whether the report prints some protocol's flow
// diagram (see flowFigures), so that it prints their legend.
func (r *report) printsFlowFigure() bool {
	for _, proto := range planner.Protocols {
		parts := r.in.FlowParts[proto]
		if len(parts) > 0 && len(parts) <= MaxFlowFigures || len(parts) == 0 && !empty(r.in.Flows[proto]) {
			return true
		}
	}
	return false
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// empty reports whether a drawing has nothing to show.
func empty(dr layout.Drawing) bool {
	return dr.Width <= 0 || dr.Height <= 0 || len(dr.Ops) == 0
}
