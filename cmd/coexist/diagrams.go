package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/diagram"
	"github.com/coexist/coexist/render/graphviz"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/pdf"
	"github.com/coexist/coexist/render/svg"
)

// Diagram splitting for print: a flow diagram is drawn in parts of at most
// flowLanesPerPart routes, a topology that would print too small in parts
// of at most topologyServersPerPart servers; either halves until every
// part prints its labels at pdf.MinTextSize or more.
const (
	flowLanesPerPart       = 10
	topologyServersPerPart = 16
	partGap                = 24 // points between parts stacked on screen
)

// diagrams are the laid-out diagrams of a plan: every diagram (or part of
// one) is laid out once by Graphviz, and the .svg files, the HTML report
// (which inlines those SVGs) and the PDF (vectors) paint those layouts.
type diagrams struct {
	topologySVG    []byte
	topologyLayout layout.Drawing
	// topologyParts is the topology split for print, when the whole would
	// print its labels below pdf.MinTextSize; nil otherwise.
	topologyParts  []layout.Drawing
	topologyLegend layout.Drawing
	// flowLegend explains the flow diagrams' colours, shapes and edges:
	// stacked under each flows-<protocol>.svg, printed once in the PDF.
	flowLegend  layout.Drawing
	flowSVGs    map[string][]byte
	flowLayouts map[string]layout.Drawing   // the parts stacked
	flowParts   map[string][]layout.Drawing // each part, for print
	// files are the .dot and .svg files to write, in order.
	files []diagramFile
}

// diagramFile is a file of drawDiagrams.
type diagramFile struct {
	name string
	data []byte
}

// drawDiagrams writes topology.dot/.svg and flows-<protocol>.dot/.svg for
// every protocol (a flow diagram's parts are the graphs of its .dot file
// and stacked in its .svg), and keeps the layouts for the reports.
func drawDiagrams(ctx context.Context, p *planner.Plan, od *outDir) (*diagrams, error) {
	d, err := layoutDiagrams(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, f := range d.files {
		if err := od.write(f.name, f.data); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// layoutDiagrams lays out every diagram of a plan, once each.
func layoutDiagrams(ctx context.Context, p *planner.Plan) (*diagrams, error) {
	d := &diagrams{flowSVGs: map[string][]byte{}, flowLayouts: map[string]layout.Drawing{}, flowParts: map[string][]layout.Drawing{}}
	lay := func(name string, dot []byte) (layout.Drawing, error) {
		l, err := graphviz.Layout(ctx, dot)
		if err != nil {
			return layout.Drawing{}, fmt.Errorf("%s: %w", name, err)
		}
		return l, nil
	}
	// Topology: the whole diagram for the files; parts for print only when
	// the whole would print too small.
	topo, legendDOT := diagram.Topology(p), diagram.TopologyLegend(p)
	whole, err := lay("topology.svg", topo)
	if err != nil {
		return nil, err
	}
	if d.topologyLegend, err = lay("topology legend", legendDOT); err != nil {
		return nil, err
	}
	d.topologyLayout = whole
	d.topologySVG = svg.Write(layout.Stack(whole.Title, partGap, whole, d.topologyLegend))
	d.files = append(d.files, diagramFile{"topology.dot", bytes.Join([][]byte{topo, legendDOT}, []byte("\n"))}, diagramFile{"topology.svg", d.topologySVG})
	if pdf.PrintedTextSize(whole) < pdf.MinTextSize {
		if d.topologyParts, err = printParts("topology", func(n int) [][]byte { return diagram.TopologyParts(p, n) }, topologyServersPerPart, lay); err != nil {
			return nil, err
		}
	}
	flowLegendDOT := diagram.FlowLegend(p)
	if d.flowLegend, err = lay("flow legend", flowLegendDOT); err != nil {
		return nil, err
	}
	applicable := map[string]bool{}
	for _, proto := range diagram.FlowProtocols(p) {
		applicable[proto] = true
	}
	for _, proto := range planner.Protocols {
		name := "flows-" + proto
		var dots [][]byte
		parts, err := printParts(name, func(n int) [][]byte { dots = diagram.FlowParts(p, proto, n); return dots }, flowLanesPerPart, lay)
		if err != nil {
			return nil, err
		}
		stacked := layout.Stack(parts[0].Title, partGap, parts...)
		doc := svg.Write(layout.Stack(parts[0].Title, partGap, append(append([]layout.Drawing(nil), parts...), d.flowLegend)...))
		d.files = append(d.files, diagramFile{name + ".dot", bytes.Join(append(dots, flowLegendDOT), []byte("\n"))}, diagramFile{name + ".svg", doc})
		if applicable[proto] {
			d.flowSVGs[proto], d.flowLayouts[proto], d.flowParts[proto] = doc, stacked, parts
		}
	}
	return d, nil
}

// printParts lays out a diagram split into parts of at most per items,
// halving per while some part prints too small only because it is too
// tall (a part too wide for a landscape page stays as it is: shorter parts
// would not help it).
func printParts(name string, split func(per int) [][]byte, per int, lay func(string, []byte) (layout.Drawing, error)) ([]layout.Drawing, error) {
	for {
		dots := split(per)
		parts := make([]layout.Drawing, len(dots))
		tooTall := false
		for i, dot := range dots {
			l, err := lay(name, dot)
			if err != nil {
				return nil, err
			}
			parts[i] = l
			tooTall = tooTall || pdf.PrintedTextSize(l) < pdf.MinTextSize && pdf.WidestTextSize(l) >= pdf.MinTextSize
		}
		if !tooTall || per == 1 {
			return parts, nil
		}
		per = max(per/2, 1)
	}
}
