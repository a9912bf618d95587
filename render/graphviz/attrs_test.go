package graphviz

import (
	"context"
	"strings"
	"testing"

	"github.com/coexist/coexist/render/layout"
)

func TestLayoutAttributes(t *testing.T) {
	dot := []byte(`digraph {
  a [shape=box label=<<B>Bold</B> plain> URL="https://example.com/a" fontname="Helvetica"];
  b [fontname="Helvetica-Bold" label="heavy"];
  c [fontname="Times-Italic" label="slanted"];
  d [shape=box style=filled fillcolor="lightgrey" color="grey" label="grey"];
  a -> b [penwidth=2.5];
  b -> c [style=dotted];
  c -> d [style=bold];
}`)
	d, err := Layout(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	find := func(pred func(layout.Op) bool) (layout.Op, bool) {
		for _, op := range d.Ops {
			if pred(op) {
				return op, true
			}
		}
		return layout.Op{}, false
	}
	tests := map[string]func(layout.Op) bool{
		"html bold span": func(op layout.Op) bool { return op.Kind == layout.Text && op.Text == "Bold" && op.Bold },
		"html plain span": func(op layout.Op) bool {
			return op.Kind == layout.Text && strings.TrimSpace(op.Text) == "plain" && !op.Bold
		},
		"bold face": func(op layout.Op) bool { return op.Kind == layout.Text && op.Text == "heavy" && op.Bold },
		"italic face": func(op layout.Op) bool {
			return op.Kind == layout.Text && op.Text == "slanted" && op.Italic && !op.Bold
		},
		"href":     func(op layout.Op) bool { return op.ID == "a" && op.Href == "https://example.com/a" },
		"penwidth": func(op layout.Op) bool { return op.ID == "a->b" && op.Kind == layout.Bezier && op.LineWidth == 2.5 },
		"dotted": func(op layout.Op) bool {
			return op.ID == "b->c" && op.Kind == layout.Bezier && op.Style == layout.Dotted
		},
		"bold style": func(op layout.Op) bool { return op.ID == "c->d" && op.Kind == layout.Bezier && op.LineWidth == 2 },
		"x11 colours": func(op layout.Op) bool {
			return op.ID == "d" && op.Kind == layout.Polygon && op.Filled &&
				op.FillColor == layout.RGB(211, 211, 211) && op.Color == layout.RGB(192, 192, 192)
		},
	}
	for name, pred := range tests {
		t.Run(name, func(t *testing.T) {
			if _, ok := find(pred); !ok {
				t.Errorf("no matching op in:\n%s", dump(d))
			}
		})
	}
}
