package diagram

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/graphviz"
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
