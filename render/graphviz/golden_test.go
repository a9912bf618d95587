package graphviz

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/coexist/coexist/render/layout"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestLayoutGolden pins the conversion of Graphviz's output: a change in
// the layout engine or in convert shows up as a readable diff.
func TestLayoutGolden(t *testing.T) {
	d, err := Layout(context.Background(), readDOT(t, "testdata/small.dot"))
	if err != nil {
		t.Fatal(err)
	}
	got := dump(d)
	const golden = "testdata/small.layout.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("Layout(small.dot) differs from %s (run go test -update and review the diff):\n%s", golden, got)
	}
}

// dump writes a Drawing one op per line.
func dump(d layout.Drawing) string {
	var b strings.Builder
	fmt.Fprintf(&b, "size %.2f x %.2f\n", d.Width, d.Height)
	objects := [...]string{"graph", "cluster", "node", "edge"}
	styles := [...]string{"solid", "dashed", "dotted"}
	aligns := [...]string{"left", "center", "right"}
	for _, op := range d.Ops {
		fmt.Fprintf(&b, "%s %s %q", op.Kind, objects[op.Object], op.ID)
		switch op.Kind {
		case layout.Text:
			font := op.FontName
			if op.Bold {
				font += " bold"
			}
			if op.Italic {
				font += " italic"
			}
			fmt.Fprintf(&b, " %q %s %s %.1f width=%.2f color=%s", op.Text, aligns[op.Align], font, op.FontSize, op.TextWidth, op.Color.Hex())
		case layout.Ellipse:
			fmt.Fprintf(&b, " r=%.2f,%.2f", op.RX, op.RY)
			fallthrough
		default:
			fmt.Fprintf(&b, " stroke=%s width=%.1f %s", op.Color.Hex(), op.LineWidth, styles[op.Style])
			if op.Filled {
				fmt.Fprintf(&b, " fill=%s", op.FillColor.Hex())
			}
		}
		b.WriteString(" at")
		for _, p := range op.Points {
			fmt.Fprintf(&b, " %.2f,%.2f", p.X, p.Y)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
