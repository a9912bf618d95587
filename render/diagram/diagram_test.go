package diagram

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/graphviz"
	"github.com/coexist/coexist/render/layout"
)

var update = flag.Bool("update", false, "rewrite testdata/*.dot")

func plan(t *testing.T, files ...string) *planner.Plan {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join("..", "..", "samples", f))
	}
	inv, _, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return planner.Run(inv, planner.Options{})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(path, got, 0o644)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./render/diagram -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (go test ./render/diagram -update after a deliberate change)", name)
	}
}

// TestGolden: the DOT we generate for every sample, golden-tested, and
// proved valid by laying it out with Graphviz.
func TestGolden(t *testing.T) {
	for _, s := range []struct{ name, file string }{
		{"s1", "s1-contoso.toml"}, {"s2", "s2-2007-2010.toml"}, {"s3", "s3-2013-2010.toml"},
		{"s4", "s4-2016-2010.toml"}, {"s5", "s5-tls.toml"},
	} {
		p := plan(t, s.file)
		outs := map[string][]byte{s.name + "-topology.dot": Topology(p)}
		for _, proto := range []string{"owa", "outlook-anywhere"} {
			outs[s.name+"-flows-"+proto+".dot"] = Flows(p, proto)
		}
		for name, dot := range outs {
			t.Run(name, func(t *testing.T) {
				golden(t, name, dot)
				if _, err := graphviz.SVG(context.Background(), dot); err != nil {
					t.Errorf("Graphviz rejects %s: %v", name, err)
				}
			})
		}
	}
}

func TestFlowsContent(t *testing.T) {
	p := plan(t, "s1-contoso.toml")
	dot := string(Flows(p, "owa"))
	for _, want := range []string{`"Route 1 · `, `redirect-silent · fba`, `typing mail.contoso.com`, `style=dashed`} {
		if !strings.Contains(dot, want) {
			t.Errorf("flows-owa lacks %q", want)
		}
	}
	s3 := plan(t, "s3-2013-2010.toml", "variants/s3b-oa-disabled.toml")
	oa := string(Flows(s3, "outlook-anywhere"))
	if !strings.Contains(oa, colBroken) || !strings.Contains(oa, "AUTH-LEGACY-NTLM") {
		t.Error("broken OA path not drawn in red with its rule")
	}
	// A refused hop says which side refused what (audit #16).
	s2b := plan(t, "s2-2007-2010.toml", "variants/s2b-expr-server.toml")
	if oa := string(Flows(s2b, "outlook-anywhere")); !strings.Contains(oa, `connect · basic ✗\nrefused: /rpc on EX2010-01 accepts NTLM only`) {
		t.Errorf("refused OA hop not labelled:\n%s", oa)
	}
	if got := FlowProtocols(p); len(got) == 0 || got[0] != "autodiscover" {
		t.Errorf("FlowProtocols: got %v", got)
	}
}

func TestQuoteHostile(t *testing.T) {
	for _, in := range []string{`a"b\c`, "x\ny", `<script>`, `]; evil=1 [`, "\x00\x1b"} {
		got := q(in)
		inner := got[1 : len(got)-1]
		// No unescaped quote may end the string early.
		for i := 0; i < len(inner); i++ {
			if inner[i] == '\\' {
				i++
				continue
			}
			if inner[i] == '"' {
				t.Errorf("q(%q) = %s ends the string early", in, got)
			}
		}
		dot := []byte("digraph g { " + got + " [label=" + got + "]; }")
		if _, err := graphviz.SVG(context.Background(), dot); err != nil {
			t.Errorf("q(%q) = %s: Graphviz rejects it: %v", in, got, err)
		}
	}
}

func TestLaneCap(t *testing.T) {
	p := plan(t, "s1-contoso.toml")
	defer func(n int) { MaxLanes = n }(MaxLanes)
	MaxLanes = 2
	dot := string(Flows(p, "owa"))
	if !strings.Contains(dot, "… 5 more routes (2 users) not drawn") {
		t.Errorf("no cap note:\n%s", dot)
	}
	if strings.Count(dot, "subgraph") != 2 {
		t.Errorf("got %d lanes, want 2", strings.Count(dot, "subgraph"))
	}
}

func TestDeterministic(t *testing.T) {
	a, b := plan(t, "s4-2016-2010.toml"), plan(t, "s4-2016-2010.toml")
	if !bytes.Equal(Topology(a), Topology(b)) || !bytes.Equal(Flows(a, "outlook-anywhere"), Flows(b, "outlook-anywhere")) {
		t.Error("DOT differs between two plans of the same inventory")
	}
}

// TestRoutes: lanes are the report's routes (same numbers, same order),
// and the parts split them.
func TestRoutes(t *testing.T) {
	p := plan(t, "s1-contoso.toml")
	ls := routes(p, "owa")
	want := p.Routes("owa")
	if len(ls) != len(want) {
		t.Fatalf("got %d lanes, want the %d routes", len(ls), len(want))
	}
	for i, l := range ls {
		if l.ID != want[i].ID || l.Users != want[i].Users || len(l.examples) == 0 {
			t.Errorf("lane %d: route %d with %d users and examples %v, want route %d with %d users", i, l.ID, l.Users, l.examples, want[i].ID, want[i].Users)
		}
	}
	parts := FlowParts(p, "owa", 2)
	if n := (len(ls) + 1) / 2; len(parts) != n {
		t.Fatalf("got %d parts of 2 lanes for %d routes, want %d", len(parts), len(ls), n)
	}
	for i, part := range parts {
		if n := strings.Count(string(part), "subgraph"); n > 2 {
			t.Errorf("part %d has %d lanes, want at most 2", i+1, n)
		}
		if len(parts) > 1 && !strings.Contains(string(part), fmt.Sprintf("part %d of %d", i+1, len(parts))) {
			t.Errorf("part %d does not say so in its title", i+1)
		}
		if !strings.Contains(string(part), fmt.Sprintf(`"Route %d · `, 2*i+1)) {
			t.Errorf("part %d does not start with route %d", i+1, 2*i+1)
		}
	}
}

// legendBoxes lays a legend out and returns its items' boxes.
func legendBoxes(t *testing.T, dot []byte) map[string][4]float64 {
	t.Helper()
	dr, err := graphviz.Layout(context.Background(), dot)
	if err != nil {
		t.Fatalf("Graphviz rejects the legend: %v", err)
	}
	boxes := map[string][4]float64{} // x0, y0, x1, y1
	for _, op := range dr.Ops {
		if op.Object != layout.NodeObject || !strings.HasPrefix(op.ID, "legend:") {
			continue
		}
		bx, ok := boxes[op.ID]
		if !ok {
			bx = [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		}
		pts := op.Points
		if op.Kind == layout.Text {
			// The anchor of centred text: its box is half its width
			// either side.
			pts = []layout.Point{{X: op.Points[0].X - op.TextWidth/2, Y: op.Points[0].Y}, {X: op.Points[0].X + op.TextWidth/2, Y: op.Points[0].Y}}
			if op.Align == layout.AlignLeft {
				pts = []layout.Point{op.Points[0], {X: op.Points[0].X + op.TextWidth, Y: op.Points[0].Y}}
			}
		}
		for _, pt := range pts {
			bx = [4]float64{min(bx[0], pt.X), min(bx[1], pt.Y), max(bx[2], pt.X), max(bx[3], pt.Y)}
		}
		boxes[op.ID] = bx
	}
	return boxes
}

// TestLegendsPacked: a legend's rows have no gaps: each item is at most
// the node separation and a label's margin right of the one before (S1's
// topology legend once left a swatch's width empty after "Exchange 2010",
// under which a wide text item of the next row sat).
func TestLegendsPacked(t *testing.T) {
	for _, s := range []string{"s1-contoso.toml", "s2-2007-2010.toml", "s3-2013-2010.toml", "s4-2016-2010.toml", "s5-tls.toml"} {
		p := plan(t, s)
		for name, dot := range map[string][]byte{"topology": TopologyLegend(p), "flows": FlowLegend(p)} {
			t.Run(s+" "+name, func(t *testing.T) {
				boxes := legendBoxes(t, dot)
				if len(boxes) < 4 {
					t.Fatalf("legend has %d items", len(boxes))
				}
				// Rows: items whose vertical centres are close.
				type item struct {
					id  string
					box [4]float64
				}
				var items []item
				for id, b := range boxes {
					items = append(items, item{id, b})
				}
				sort.Slice(items, func(i, j int) bool { return items[i].box[0] < items[j].box[0] })
				for i, a := range items {
					for _, b := range items[i+1:] {
						if math.Abs((a.box[1]+a.box[3])/2-(b.box[1]+b.box[3])/2) > 10 {
							continue // another row
						}
						// b is the next item right of a in its row.
						if gap := b.box[0] - a.box[2]; gap > 45 {
							t.Errorf("%.0f pt empty between %s and %s", gap, a.id, b.id)
						}
						break
					}
				}
			})
		}
	}
}

// TestFlowLegendComplete: the flow diagrams' legend names every Exchange
// version of the plan in the colours the flows use, the load balancer, a
// route's client box, a hop several servers answer, and the edges' styles
// and colours; no version colour is the orange or red of warnings and
// broken paths.
func TestFlowLegendComplete(t *testing.T) {
	p := plan(t, "s1-contoso.toml")
	dot := string(FlowLegend(p))
	for _, want := range []string{
		`label="Exchange 2010", fillcolor="#CFE3F5", color="#3D7DBF"`,
		`label="Exchange 2016", fillcolor="#CFEBD8", color="#2E8B57"`,
		`label="load balancer", shape=hexagon`,
		`Route N · its users`, `N servers of a version`,
		`solid = connect or proxy, dashed = redirect, dotted = RPC data access`,
		`orange = warning, red = broken`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("flow legend lacks %q:\n%s", want, dot)
		}
	}
	for v, st := range versionStyle {
		for _, c := range []string{st.fill, st.border} {
			if strings.EqualFold(c, colBroken) || strings.EqualFold(c, colWarning) {
				t.Errorf("Exchange %s uses %s, the colour of warnings or broken paths", v, c)
			}
			if h := hue(t, c); h < 45 || h > 345 {
				t.Errorf("Exchange %s's %s is red or orange (hue %.0f°)", v, c, h)
			}
		}
	}
}

// hue is the hue of a #rrggbb colour in degrees; greys give 180.
func hue(t *testing.T, c string) float64 {
	t.Helper()
	var r, g, b int
	if _, err := fmt.Sscanf(c, "#%02x%02x%02x", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", c, err)
	}
	hi, lo := max(r, g, b), min(r, g, b)
	if hi == lo {
		return 180
	}
	d := float64(hi - lo)
	var h float64
	switch hi {
	case r:
		h = math.Mod(float64(g-b)/d, 6)
	case g:
		h = float64(b-r)/d + 2
	default:
		h = float64(r-g)/d + 4
	}
	h *= 60
	if h < 0 {
		h += 360
	}
	return h
}

// TestTopologyNamespaceEdges: a server that a namespace reaches by both
// external and internal DNS gets one edge labelled "ext + int" (S5: all
// four edges were drawn twice, side by side), one reached one way keeps
// its own label and style; site labels sit at the foot of their box, where
// edges into the top server do not cross them.
func TestTopologyNamespaceEdges(t *testing.T) {
	for _, tc := range []struct {
		file        string
		both, other []string
	}{
		{"s5-tls.toml", []string{`"ns:mail.contoso.com" -> "srv:EX2016-01" [label="ext + int", style=solid]`}, nil},
		{"s1-contoso.toml", []string{`"ns:mail-region.contoso.com" -> "srv:CAS2010-2" [label="ext + int", style=solid]`},
			[]string{`"ns:mail.contoso.com" -> "lb:LB1" [label="ext", style=solid]`, `"ns:mail.contoso.com" -> "srv:MBX2016-1" [label="int", style=dashed]`}},
	} {
		dot := string(Topology(plan(t, tc.file)))
		for _, want := range append(tc.both, tc.other...) {
			if !strings.Contains(dot, want) {
				t.Errorf("%s: no edge %s", tc.file, want)
			}
		}
		for _, w := range tc.both {
			single := strings.Replace(w, `"ext + int", style=solid`, `"int", style=dashed`, 1)
			if strings.Contains(dot, single) {
				t.Errorf("%s: the internal edge is drawn beside the merged one: %s", tc.file, single)
			}
		}
		for _, l := range strings.Split(dot, "\n") {
			if strings.Contains(l, `label="AD site`) && !strings.Contains(l, "labelloc=b") {
				t.Errorf("%s: site label not at the foot of its box: %s", tc.file, strings.TrimSpace(l))
			}
		}
	}
}
