package report

import (
	"fmt"

	"github.com/coexist/coexist/render/layout"
)

// MaxFlowFigures is the most figures of one protocol's flow diagram the
// report prints: the problem routes and the most used ones. The rest are
// in the flows-<protocol>.svg file and the workbook.
const MaxFlowFigures = 1

// flowFigures adds a protocol's flow diagram: its parts for print (each
// legible on a page), at most MaxFlowFigures of them, or the whole.
func (r *report) flowFigures(proto string) {
	caption := protocolName(proto) + ": routes from clients to mailboxes"
	parts := r.in.FlowParts[proto]
	if len(parts) == 0 {
		if dr, ok := r.in.Flows[proto]; ok && !empty(dr) {
			r.doc.Diagram(dr, caption)
		}
		return
	}
	for i, part := range parts {
		if i == MaxFlowFigures {
			r.doc.Paragraph(fmt.Sprintf("%d more part%s of this diagram (routes used by fewer users) are in flows-%s.svg beside this report.", len(parts)-i, pluralS(len(parts)-i), proto))
			break
		}
		c := caption
		if len(parts) > 1 {
			c += fmt.Sprintf(", part %d of %d", i+1, len(parts))
		}
		r.doc.Diagram(part, c)
	}
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
