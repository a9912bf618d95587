package graphviz

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/coexist/coexist/render/layout"
)

func readDOT(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSVG(t *testing.T) {
	dot := readDOT(t, "testdata/small.dot")
	svg, err := SVG(context.Background(), dot)
	if err != nil {
		t.Fatalf("SVG: %v", err)
	}
	for _, want := range []string{
		"<svg", "</svg>",
		"<title>ex01</title>", "<title>ex02</title>", "<title>lb</title>", `<g class="cluster">`,
		"<title>lb → ex02</title>",
		">EX01<", ">2019 CU14<", ">EX02<", ">Load balancer<", ">Site London<", ">https 443<", ">broken<",
		`stroke="#ff0000"`, `stroke-dasharray="5,2"`,
	} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if err := wellFormed(svg); err != nil {
		t.Errorf("SVG is not well-formed XML: %v", err)
	}
	// Nothing that changes from run to run: no dates, no times.
	if m := regexp.MustCompile(`(?i)(\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|timestamp|date)`).Find(svg); m != nil {
		t.Errorf("SVG contains what looks like a timestamp: %q", m)
	}
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestLayout(t *testing.T) {
	d, err := Layout(context.Background(), readDOT(t, "testdata/small.dot"))
	if err != nil {
		t.Fatalf("Layout: %v", err)
	}
	if d.Width <= 0 || d.Height <= 0 {
		t.Fatalf("got size %gx%g, want positive", d.Width, d.Height)
	}
	kinds := map[layout.OpKind]int{}
	texts := map[string]layout.Op{}
	for i, op := range d.Ops {
		kinds[op.Kind]++
		if op.Kind == layout.Text {
			texts[op.Text] = op
		}
		for _, p := range op.Points {
			// Edges and text may poke a little past Graphviz's bounding box.
			const slack = 10
			if p.X < -slack || p.Y < -slack || p.X > d.Width+slack || p.Y > d.Height+slack {
				t.Errorf("op %d (%v %s) point %v outside %gx%g", i, op.Kind, op.ID, p, d.Width, d.Height)
			}
		}
	}
	for _, k := range []layout.OpKind{layout.Ellipse, layout.Polygon, layout.Polyline, layout.Bezier, layout.Text} {
		if kinds[k] == 0 {
			t.Errorf("no %v ops; got %v", k, kinds)
		}
	}
	for _, want := range []string{"EX01", "2019 CU14", "EX02", "2016 CU23", "Load balancer", "Site London", "https 443", "broken"} {
		if _, ok := texts[want]; !ok {
			t.Errorf("no text op %q", want)
		}
	}

	// Y is flipped: EX01's first label line sits above its second.
	if a, b := texts["EX01"], texts["2019 CU14"]; a.Points[0].Y >= b.Points[0].Y {
		t.Errorf("EX01 baseline y=%g, want above 2019 CU14 at y=%g", a.Points[0].Y, b.Points[0].Y)
	}
	// The cluster label is at the top of the cluster.
	if op := texts["Site London"]; op.Points[0].Y > d.Height/2 {
		t.Errorf("cluster label at y=%g, want in the top half of %g", op.Points[0].Y, d.Height)
	}
	if op := texts["EX01"]; op.FontSize != 10 || op.FontName != "Helvetica" || op.Align != layout.AlignCenter || op.TextWidth <= 0 {
		t.Errorf("EX01 text op = %+v, want Helvetica 10 centred with a width", op)
	}

	red := layout.RGB(255, 0, 0)
	var dashedRed, arrowhead, clusterFill, roundedNode bool
	for _, op := range d.Ops {
		if op.Object == layout.EdgeObject && op.Kind == layout.Bezier && op.Filled {
			t.Errorf("edge %s has a filled bezier; want edge lines unfilled", op.ID)
		}
		switch {
		case op.Object == layout.EdgeObject && op.ID == "lb->ex02" && op.Kind == layout.Bezier && op.Style == layout.Dashed && op.Color == red:
			dashedRed = true
		case op.Object == layout.EdgeObject && op.Kind == layout.Polygon && op.Filled && op.Style == layout.Solid:
			arrowhead = true
		case op.Object == layout.ClusterObject && op.ID == "cluster_site" && op.Filled && op.FillColor == layout.ParseColor("#eef3fb"):
			clusterFill = true
		case op.Object == layout.NodeObject && op.ID == "ex01" && op.Kind == layout.Bezier && op.Filled && op.FillColor == layout.ParseColor("#cfe8cf"):
			roundedNode = true
		}
	}
	if !dashedRed {
		t.Error("no dashed red bezier for edge lb->ex02")
	}
	if !arrowhead {
		t.Error("no solid filled arrowhead polygon")
	}
	if !clusterFill {
		t.Error("no filled cluster frame")
	}
	if !roundedNode {
		t.Error("no filled rounded box for ex01")
	}

	// Painting order: cluster frame before edges before nodes.
	last := map[layout.ObjectKind]int{}
	first := map[layout.ObjectKind]int{}
	for i, op := range d.Ops {
		if _, ok := first[op.Object]; !ok {
			first[op.Object] = i
		}
		if op.Kind != layout.Text {
			last[op.Object] = i
		}
	}
	if !(last[layout.ClusterObject] < first[layout.EdgeObject] && first[layout.EdgeObject] < first[layout.NodeObject]) {
		t.Errorf("painting order: clusters %d..%d, edges from %d, nodes from %d",
			first[layout.ClusterObject], last[layout.ClusterObject], first[layout.EdgeObject], first[layout.NodeObject])
	}
}

func TestInvalidDOT(t *testing.T) {
	tests := map[string]string{
		"empty":          "",
		"blank":          "  \n",
		"syntax":         "digraph { a -> ; }",
		"unclosed":       "digraph G { a -> b",
		"not dot at all": "<html></html>",
	}
	for name, dot := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := SVG(context.Background(), []byte(dot)); err == nil {
				t.Errorf("SVG(%q): got nil error, want one", dot)
			}
			if _, err := Layout(context.Background(), []byte(dot)); err == nil {
				t.Errorf("Layout(%q): got nil error, want one", dot)
			}
		})
	}
	_, err := SVG(context.Background(), []byte("digraph { a -> ; }"))
	if want := "render svg: parse DOT: syntax error in line 1 near ';'"; err == nil || err.Error() != want {
		t.Errorf("got error %q, want %q", err, want)
	}
	// Graphviz still works after the errors.
	if _, err := SVG(context.Background(), []byte("digraph { a -> b }")); err != nil {
		t.Errorf("SVG after invalid input: %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := SVG(ctx, []byte("digraph { a -> b }")); err == nil {
		t.Error("SVG with a cancelled context: got nil error, want one")
	}
}

func TestDeterminism(t *testing.T) {
	dot := readDOT(t, "testdata/small.dot")
	ctx := context.Background()
	a, err := SVG(ctx, dot)
	if err != nil {
		t.Fatal(err)
	}
	b, err := SVG(ctx, dot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two SVG renders of the same DOT differ")
	}
	j1, err := render(ctx, dot, jsonFormat)
	if err != nil {
		t.Fatal(err)
	}
	j2, err := render(ctx, dot, jsonFormat)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(j1, j2) {
		t.Error("two json renders of the same DOT differ")
	}
}

func TestConcurrentUse(t *testing.T) {
	dot := readDOT(t, "testdata/small.dot")
	want, err := SVG(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := SVG(context.Background(), dot)
			if err == nil && !bytes.Equal(got, want) {
				err = errorString("concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestSetStyle(t *testing.T) {
	tests := map[string]struct {
		in    string
		width float64
		style layout.LineStyle
	}{
		"solid":        {"solid", 1, layout.Solid},
		"dashed":       {"dashed", 1, layout.Dashed},
		"dotted":       {"dotted", 1, layout.Dotted},
		"bold":         {"bold", 2, layout.Solid},
		"setlinewidth": {"setlinewidth(2.5)", 2.5, layout.Solid},
		"bad width":    {"setlinewidth(x)", 1, layout.Solid},
		"unknown":      {"tapered", 1, layout.Solid},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			p := defaultPen()
			p.setStyle(tt.in)
			if p.width != tt.width || p.style != tt.style {
				t.Errorf("setStyle(%q): got width %g style %d, want %g %d", tt.in, p.width, p.style, tt.width, tt.style)
			}
		})
	}
}

func TestConvertErrors(t *testing.T) {
	tests := map[string]string{
		"not json": "{",
		"no bb":    `{"name":"G"}`,
		"bad bb":   `{"bb":"0,0,x,1"}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := convert([]byte(in)); err == nil || !strings.Contains(err.Error(), "graphviz json") {
				t.Errorf("convert(%q): got %v, want a graphviz json error", in, err)
			}
		})
	}
}
