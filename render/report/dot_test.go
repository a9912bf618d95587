package report

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/graphviz"
	"github.com/coexist/coexist/render/layout"
)

// The diagrams the product draws come from render/dot; these small DOT
// builders stand in for it so the report's tests and the visual check have
// real Graphviz drawings of the sample plans.

func q(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// topologyDOT draws sites as clusters of servers, with each namespace
// pointing at what it resolves to (solid: external, dashed: internal).
func topologyDOT(p *planner.Plan) []byte {
	var b strings.Builder
	b.WriteString("digraph topology {\n  rankdir=LR; nodesep=0.25; ranksep=0.6;\n")
	b.WriteString("  node [fontname=\"Helvetica\" fontsize=10 shape=box style=\"rounded,filled\" fillcolor=\"#ffffff\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\" fontsize=8 color=\"#5f6b7a\"];\n")
	sites := map[string][]string{}
	for _, s := range p.Inv.Servers {
		fill := "#dbe8f7"
		if s.Parsed.Version() >= 2013 {
			fill = "#d8efe0"
		}
		style := "rounded,filled"
		if s.IsOutOfService {
			style = "rounded,filled,dashed"
		}
		sites[s.Site] = append(sites[s.Site], fmt.Sprintf("    %s [label=%s fillcolor=%q style=%q];\n",
			q("srv:"+s.Name), q(s.Name+"\\nExchange "+s.Parsed.Version().String()), fill, style))
	}
	for i, site := range sortedKeys(sites) {
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%s; style=\"rounded,filled\"; fillcolor=\"#f4f6f9\"; color=\"#c9d1db\"; fontname=\"Helvetica\"; fontsize=10;\n", i, q(site))
		lines := sites[site]
		sort.Strings(lines)
		b.WriteString(strings.Join(lines, ""))
		b.WriteString("  }\n")
	}
	for _, lb := range p.Inv.LoadBalancers {
		fmt.Fprintf(&b, "  %s [label=%s shape=ellipse fillcolor=\"#fff3dc\"];\n", q("lb:"+lb.Name), q(lb.Name))
		for _, m := range lb.Members {
			fmt.Fprintf(&b, "  %s -> %s;\n", q("lb:"+lb.Name), q("srv:"+m))
		}
	}
	target := func(t string) string {
		if p.Index.LoadBalancer(t) != nil {
			return q("lb:" + p.Index.LoadBalancer(t).Name)
		}
		if s := p.Index.Server(t); s != nil {
			return q("srv:" + s.Name)
		}
		return q(t)
	}
	for _, ns := range p.Inv.Namespaces {
		fmt.Fprintf(&b, "  %s [label=%s shape=note fillcolor=\"#eef3fb\"];\n", q("ns:"+ns.FQDN), q(ns.FQDN))
		for _, t := range ns.External {
			fmt.Fprintf(&b, "  %s -> %s;\n", q("ns:"+ns.FQDN), target(t))
		}
		for _, t := range ns.Internal {
			fmt.Fprintf(&b, "  %s -> %s [style=dashed];\n", q("ns:"+ns.FQDN), target(t))
		}
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// flowDOT draws every distinct hop of a protocol's paths, coloured by the
// worst outcome of the paths that use it.
func flowDOT(p *planner.Plan, proto string) []byte {
	type edge struct{ from, to, label string }
	worst := map[edge]string{}
	for _, co := range p.Cohorts {
		for _, pa := range co.Paths {
			if pa.Protocol != proto {
				continue
			}
			for _, h := range pa.Hops {
				from := h.From
				if from == "client" {
					from = pa.Location + " clients"
				}
				e := edge{from, h.To, h.Host + "\\n" + actionName(h.Action) + ", " + authName(h.Auth)}
				if w, ok := worst[e]; !ok || outcomeRank(pa.Outcome) < outcomeRank(w) {
					worst[e] = pa.Outcome
				}
			}
		}
	}
	edges := make([]edge, 0, len(worst))
	for e := range worst {
		edges = append(edges, e)
	}
	sort.Slice(edges, func(i, j int) bool {
		a, b := edges[i], edges[j]
		if a.from != b.from {
			return a.from < b.from
		}
		if a.to != b.to {
			return a.to < b.to
		}
		return a.label < b.label
	})
	var b strings.Builder
	b.WriteString("digraph flows {\n  rankdir=LR; nodesep=0.2; ranksep=0.5;\n")
	b.WriteString("  node [fontname=\"Helvetica\" fontsize=10 shape=box style=\"rounded,filled\" fillcolor=\"#ffffff\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\" fontsize=7];\n")
	clients := map[string]bool{}
	for _, e := range edges {
		if strings.HasSuffix(e.from, " clients") && !clients[e.from] {
			clients[e.from] = true
			fmt.Fprintf(&b, "  %s [shape=oval fillcolor=\"#eef3fb\"];\n", q(e.from))
		}
	}
	for _, e := range edges {
		color := map[string]string{planner.OutcomeBroken: "#c0392b", planner.OutcomeWarning: "#d98c00"}[worst[e]]
		if color == "" {
			color = "#5f6b7a"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s color=%q fontcolor=%q];\n", q(e.from), q(e.to), q(e.label), color, color)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// drawings lays out the topology and every protocol's flows.
func drawings(t testing.TB, p *planner.Plan) (layout.Drawing, map[string]layout.Drawing) {
	t.Helper()
	ctx := context.Background()
	topo, err := graphviz.Layout(ctx, topologyDOT(p))
	if err != nil {
		t.Fatalf("layout topology: %v", err)
	}
	flows := map[string]layout.Drawing{}
	for _, proto := range planner.Protocols {
		dot := flowDOT(p, proto)
		if !strings.Contains(string(dot), "->") {
			continue
		}
		dr, err := graphviz.Layout(ctx, dot)
		if err != nil {
			t.Fatalf("layout %s flows: %v", proto, err)
		}
		flows[proto] = dr
	}
	return topo, flows
}
