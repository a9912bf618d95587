package html

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/graphviz"
	"github.com/coexist/coexist/render/planjson"
)

// outDir keeps the pages and screenshots the tests make, for a look:
//
//	go test ./render/html -run Browser -html.out /tmp/html
var outDir = flag.String("html.out", "", "write the test pages and screenshots into `DIR`")

// keep writes b to -html.out (if set) as name.
func keep(t *testing.T, name string, b []byte) {
	t.Helper()
	if *outDir == "" {
		return
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*outDir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func samplePath(name string) string { return filepath.Join("..", "..", "samples", name) }

// loadInv loads inventory files relative to samples/.
func loadInv(t testing.TB, files ...string) *model.Inventory {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, samplePath(f))
	}
	inv, _, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatalf("load %v: %v", files, err)
	}
	return inv
}

func planOf(t testing.TB, files ...string) *planner.Plan {
	t.Helper()
	return planner.Run(loadInv(t, files...), planner.Options{})
}

// input builds a report input with diagrams drawn by Graphviz from the
// test DOT below (render/dot draws the real ones in coexist plan).
func input(t testing.TB, p *planner.Plan) Input {
	t.Helper()
	ctx := context.Background()
	in := Input{Plan: p, Digest: strings.Repeat("0123456789abcdef", 4), Files: []string{"s1-contoso.toml"}, Flows: map[string][]byte{}}
	var err error
	if in.Topology, err = graphviz.SVG(ctx, topologyDOT(p)); err != nil {
		t.Fatalf("topology: %v", err)
	}
	for _, proto := range []string{"owa", "outlook-anywhere", "autodiscover"} {
		if in.Flows[proto], err = graphviz.SVG(ctx, flowDOT(p, proto)); err != nil {
			t.Fatalf("flows %s: %v", proto, err)
		}
	}
	return in
}

// dotQuote quotes s as a DOT string.
func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// topologyDOT is a small topology diagram: sites with their servers,
// namespaces and load balancers.
func topologyDOT(p *planner.Plan) []byte {
	var b bytes.Buffer
	b.WriteString("digraph topology {\n  rankdir=LR; fontname=Helvetica; node [fontname=Helvetica fontsize=10 shape=box style=\"rounded,filled\" fillcolor=\"#eef3fb\"];\n")
	sites := map[string][]model.Server{}
	for _, s := range p.Inv.Servers {
		sites[s.Site] = append(sites[s.Site], s)
	}
	for i, site := range sortedKeys(sites) {
		fmt.Fprintf(&b, "  subgraph cluster_%d { label=%s; style=filled; fillcolor=\"#f6f8fb\";\n", i, dotQuote("Site "+site))
		for _, s := range sites[site] {
			fmt.Fprintf(&b, "    %s [label=%s];\n", dotQuote("srv:"+s.Name), dotQuote(s.Name+"\n"+s.Parsed.Version().String()))
		}
		b.WriteString("  }\n")
	}
	for _, lb := range p.Inv.LoadBalancers {
		fmt.Fprintf(&b, "  %s [label=%s shape=hexagon fillcolor=\"#fff2d9\"];\n", dotQuote("lb:"+lb.Name), dotQuote(lb.Name))
		for _, m := range lb.Members {
			fmt.Fprintf(&b, "  %s -> %s;\n", dotQuote("lb:"+lb.Name), dotQuote("srv:"+m))
		}
	}
	for _, ns := range p.Inv.Namespaces {
		fmt.Fprintf(&b, "  %s [label=%s shape=note fillcolor=\"#ffffff\"];\n", dotQuote("ns:"+ns.FQDN), dotQuote(ns.FQDN))
		for _, t := range ns.External {
			to := "srv:" + t
			for _, lb := range p.Inv.LoadBalancers {
				if lb.Name == t {
					to = "lb:" + t
				}
			}
			fmt.Fprintf(&b, "  %s -> %s [label=external fontsize=8];\n", dotQuote("ns:"+ns.FQDN), dotQuote(to))
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// flowDOT draws one lane per cohort for a protocol's external paths.
func flowDOT(p *planner.Plan, proto string) []byte {
	var b bytes.Buffer
	b.WriteString("digraph flows {\n  rankdir=LR; node [fontname=Helvetica fontsize=10 shape=box]; edge [fontname=Helvetica fontsize=8];\n")
	seen := map[string]bool{}
	var lines []string
	for _, co := range p.Cohorts {
		for _, pa := range planjson.SortedPaths(co) {
			if pa.Protocol != proto || pa.Location != "external" {
				continue
			}
			client := fmt.Sprintf("c%d", co.ID)
			lines = append(lines, fmt.Sprintf("  %s [label=%s shape=oval];", client, dotQuote(fmt.Sprintf("cohort %d (%d users)", co.ID, len(co.Users)))))
			for i, h := range pa.Hops {
				from := h.From
				if i == 0 {
					from = client
				}
				k := from + "->" + h.To + h.Action
				if seen[k] {
					continue
				}
				seen[k] = true
				style := ""
				if strings.HasPrefix(h.Action, "redirect") {
					style = " style=dashed color=\"#1f5fbf\""
				}
				lines = append(lines, fmt.Sprintf("  %s -> %s [label=%s%s];", dotQuote(from), dotQuote(h.To), dotQuote(h.Action+"\n"+h.Host), style))
			}
		}
	}
	sort.Strings(lines)
	b.WriteString(strings.Join(lines, "\n"))
	b.WriteString("\n}\n")
	return b.Bytes()
}

// render writes report.html for in.
func render(t testing.TB, in Input) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, in); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

// hostilePlan plans S1 with orange renamed to user and CAS2010-2 to server.
func hostilePlan(t testing.TB, user, server string) *planner.Plan {
	t.Helper()
	return renamedPlan(t, `"orange"`, `"`+user+`"`, "CAS2010-2", server)
}

// renamedPlan plans S1 with its text rewritten by the old, new pairs.
func renamedPlan(t testing.TB, oldnew ...string) *planner.Plan {
	t.Helper()
	src, err := os.ReadFile(samplePath("s1-contoso.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer(oldnew...).Replace(string(src))
	path := filepath.Join(t.TempDir(), "hostile.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, _, err := load.Load([]string{path}, load.Options{})
	if err != nil {
		t.Fatalf("load renamed S1: %v", err)
	}
	return planner.Run(inv, planner.Options{})
}

// syntheticPlan plans a synthetic estate of n mailboxes (as coexist gen).
func syntheticPlan(t testing.TB, n int) *planner.Plan {
	t.Helper()
	inv, err := synth.Generate(synth.Config{Seed: 1, Mailboxes: n})
	if err != nil {
		t.Fatal(err)
	}
	if probs := inv.Validate(); len(probs) > 0 {
		t.Fatalf("synthetic inventory: %v", probs[0])
	}
	return planner.Run(inv, planner.Options{AsOf: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)})
}

func renderDiff(t testing.TB, in DiffInput) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteDiff(&b, in); err != nil {
		t.Fatalf("WriteDiff: %v", err)
	}
	return b.Bytes()
}
