package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/pdf"
)

// TestDiagramsLegibleInPrint: whatever the estate's size, every figure
// the PDF prints (topology or its parts, the legend, each flow part)
// sets its smallest label at pdf.MinTextSize or more, and a large
// estate's topology is split into parts.
func TestDiagramsLegibleInPrint(t *testing.T) {
	if testing.Short() {
		t.Skip("lays out dozens of diagrams")
	}
	for _, c := range []synth.Config{
		{Seed: 1, Mailboxes: 300},
		{Seed: 2, Mailboxes: 3000, Sites: 12},
	} {
		t.Run(fmt.Sprintf("%d mailboxes, %d sites", c.Mailboxes, c.Sites), func(t *testing.T) {
			inv, err := synth.Generate(c)
			if err != nil {
				t.Fatal(err)
			}
			if ps := inv.Validate(); len(ps) > 0 {
				t.Fatalf("generated inventory invalid: %v", ps[0])
			}
			p := planner.Run(inv, planner.Options{})
			d, err := layoutDiagrams(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			figures := map[string]layout.Drawing{"legend": d.topologyLegend}
			if len(d.topologyParts) > 0 {
				for i, part := range d.topologyParts {
					figures[fmt.Sprintf("topology part %d", i+1)] = part
				}
			} else {
				figures["topology"] = d.topologyLayout
			}
			if c.Sites >= 12 && len(d.topologyParts) < 2 {
				t.Errorf("%d sites, %d servers: topology printed whole (%.1f pt text)", c.Sites, len(inv.Servers), pdf.PrintedTextSize(d.topologyLayout))
			}
			for proto, parts := range d.flowParts {
				for i, part := range parts {
					figures[fmt.Sprintf("%s part %d", proto, i+1)] = part
				}
			}
			for name, dr := range figures {
				if got := pdf.PrintedTextSize(dr); got < pdf.MinTextSize {
					t.Errorf("%s prints its smallest text at %.2f pt, want at least %.0f (%.0f×%.0f pt)", name, got, pdf.MinTextSize, dr.Width, dr.Height)
				}
			}
		})
	}
}
