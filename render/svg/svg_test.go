package svg

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/coexist/coexist/render/layout"
)

// hostile is a name as customer data may hold it: markup, quotes, an
// entity and characters XML does not allow.
const hostile = `EX1"><script>alert(1)</script>&amp;'` + "\x01\uFFFE"

func drawing() layout.Drawing {
	red := layout.RGB(0xff, 0, 0)
	return layout.Drawing{
		Title: "Topology of " + hostile, Width: 200.5, Height: 100,
		Ops: []layout.Op{
			{Kind: layout.Polygon, Object: layout.ClusterObject, ID: "cluster_site", Filled: true,
				Points: []layout.Point{{X: 1, Y: 1}, {X: 199, Y: 1}, {X: 199, Y: 99}}, Color: layout.Black, FillColor: layout.RGB(0xf5, 0xf7, 0xfa), LineWidth: 1},
			{Kind: layout.Bezier, Object: layout.NodeObject, ID: "srv:" + hostile, Filled: true,
				Points: []layout.Point{{X: 10, Y: 10}, {X: 20, Y: 10}, {X: 30, Y: 20}, {X: 40, Y: 20}}, Color: red, FillColor: layout.RGB(0xcf, 0xe3, 0xf5), LineWidth: 2},
			{Kind: layout.Text, Object: layout.NodeObject, ID: "srv:" + hostile, Text: hostile,
				Points: []layout.Point{{X: 25, Y: 15}}, Color: layout.Black, FontSize: 9, FontName: "Helvetica", Bold: true, Align: layout.AlignCenter},
			{Kind: layout.Bezier, Object: layout.EdgeObject, ID: "a->b", Style: layout.Dashed,
				Points: []layout.Point{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 2}, {X: 3, Y: 3}}, Color: layout.RGB(0, 0, 0x80), LineWidth: 1},
			{Kind: layout.Ellipse, Object: layout.NodeObject, ID: "n", Points: []layout.Point{{X: 50, Y: 50}}, RX: 5, RY: 3, Color: layout.Black, LineWidth: 1},
		},
	}
}

func TestWrite(t *testing.T) {
	out := Write(drawing())
	for _, want := range []string{
		`width="200.5pt" height="100pt" viewBox="0 0 200.5 100"`,
		"<g class=\"cluster\">\n<polygon",
		`<g class="edge"><title>a → b</title>`,
		`stroke-dasharray="5,2"`,
		`stroke="#ff0000" stroke-width="2"`,
		`<path d="M10,10C20,10 30,20 40,20Z"`,
		`<ellipse cx="50" cy="50" rx="5" ry="3" fill="none" stroke="#000000"/>`,
		`text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-size="9" font-weight="bold"`,
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("SVG lacks %q:\n%s", want, out)
		}
	}
	// Names are text, never markup: the document parses, has no script
	// element, and every name comes back as it was (invalid XML
	// characters replaced).
	d := xml.NewDecoder(bytes.NewReader(out))
	d.Strict = true
	var texts []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "script" {
				t.Errorf("SVG has a script element")
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	want := strings.NewReplacer("\x01", "\uFFFD", "\uFFFE", "\uFFFD").Replace(hostile)
	found := 0
	for _, s := range texts {
		if strings.Contains(s, want) {
			found++
		}
	}
	if found < 3 { // title, node tooltip, label
		t.Errorf("hostile name survives %d times, want 3; texts: %q", found, texts)
	}
	if !bytes.Equal(out, Write(drawing())) {
		t.Error("two writes of the same drawing differ")
	}
}

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{0: "0", -0.001: "0", 1.5: "1.5", 2.456: "2.46", 100: "100", -3.1: "-3.1"} {
		if got := num(in); got != want {
			t.Errorf("num(%v) = %q, want %q", in, got, want)
		}
	}
}
