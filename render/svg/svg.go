// Package svg writes a laid-out diagram (a layout.Drawing) as a standalone
// SVG document.
//
// Every diagram is laid out once, by Graphviz (package graphviz); this
// package paints that layout for the .svg files and the HTML report, and
// package pdf paints the same layout as PDF vectors, so the three always
// show the same picture. Text from the inventory is escaped for XML; no
// element carries an id, link or script, so an SVG can be inlined as is.
// The same Drawing always gives the same bytes.
package svg

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/coexist/coexist/render/layout"
)

// fontFamily is the CSS font list of diagram text: Graphviz measured the
// text with Helvetica metrics, which Arial and most sans-serif fonts share.
const fontFamily = "Helvetica,Arial,sans-serif"

// Write returns d as an SVG document titled d.Title. The
// size is d's size in points; the view box is in the same units, so the
// diagram scales without loss.
func Write(d layout.Drawing) []byte {
	var b bytes.Buffer
	b.Grow(256 + 160*len(d.Ops))
	w, h := num(d.Width), num(d.Height)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + w + `pt" height="` + h + `pt" viewBox="0 0 ` + w + " " + h + `" role="img">` + "\n")
	b.WriteString("<title>")
	text(&b, d.Title)
	b.WriteString("</title>\n")
	b.WriteString(`<rect x="0" y="0" width="` + w + `" height="` + h + `" fill="#ffffff"/>` + "\n")
	open := false
	var cur struct {
		kind layout.ObjectKind
		id   string
	}
	for i, op := range d.Ops {
		if i == 0 || op.Object != cur.kind || op.ID != cur.id {
			if open {
				b.WriteString("</g>\n")
			}
			cur.kind, cur.id = op.Object, op.ID
			b.WriteString(`<g class="` + className(op.Object) + `">`)
			if op.ID != "" && (op.Object == layout.NodeObject || op.Object == layout.EdgeObject) {
				b.WriteString("<title>")
				text(&b, tooltip(op.ID))
				b.WriteString("</title>")
			}
			b.WriteByte('\n')
			open = true
		}
		writeOp(&b, op)
	}
	if open {
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// className names an element's group as Graphviz's own SVG does.
func className(k layout.ObjectKind) string {
	switch k {
	case layout.ClusterObject:
		return "cluster"
	case layout.NodeObject:
		return "node"
	case layout.EdgeObject:
		return "edge"
	}
	return "graph"
}

// tooltip turns a DOT element name into a readable title: the kind prefix
// coexist's diagrams put on node names ("srv:", "lb:", "ns:") is dropped.
func tooltip(id string) string {
	parts := strings.Split(id, "->")
	for i, p := range parts {
		if j := strings.IndexByte(p, ':'); j > 0 && j < 8 && !strings.ContainsAny(p[:j], " .") {
			parts[i] = p[j+1:]
		}
	}
	return strings.Join(parts, " → ")
}

func writeOp(b *bytes.Buffer, op layout.Op) {
	switch op.Kind {
	case layout.Polygon, layout.Polyline:
		tag := "polygon"
		if op.Kind == layout.Polyline {
			tag = "polyline"
		}
		b.WriteString("<" + tag + ` points="`)
		for i, p := range op.Points {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(num(p.X) + "," + num(p.Y))
		}
		b.WriteString(`"`)
		paint(b, op, op.Kind == layout.Polygon && op.Filled)
		b.WriteString("/>\n")
	case layout.Bezier:
		if len(op.Points) < 4 {
			return
		}
		b.WriteString(`<path d="M` + num(op.Points[0].X) + "," + num(op.Points[0].Y) + "C")
		for i, p := range op.Points[1:] {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(num(p.X) + "," + num(p.Y))
		}
		if op.Filled {
			b.WriteByte('Z')
		}
		b.WriteString(`"`)
		paint(b, op, op.Filled)
		b.WriteString("/>\n")
	case layout.Ellipse:
		if len(op.Points) == 0 {
			return
		}
		c := op.Points[0]
		b.WriteString(`<ellipse cx="` + num(c.X) + `" cy="` + num(c.Y) + `" rx="` + num(op.RX) + `" ry="` + num(op.RY) + `"`)
		paint(b, op, op.Filled)
		b.WriteString("/>\n")
	case layout.Text:
		if len(op.Points) == 0 || op.Color.Transparent() {
			return
		}
		p := op.Points[0]
		anchor := "middle"
		switch op.Align {
		case layout.AlignLeft:
			anchor = "start"
		case layout.AlignRight:
			anchor = "end"
		}
		b.WriteString(`<text x="` + num(p.X) + `" y="` + num(p.Y) + `" text-anchor="` + anchor + `" font-family="` + family(op.FontName) + `" font-size="` + num(op.FontSize) + `"`)
		if op.Bold {
			b.WriteString(` font-weight="bold"`)
		}
		if op.Italic {
			b.WriteString(` font-style="italic"`)
		}
		colour(b, "fill", op.Color)
		b.WriteByte('>')
		text(b, op.Text)
		b.WriteString("</text>\n")
	}
}

// family maps a Graphviz font name to a CSS font list.
func family(name string) string {
	if l := strings.ToLower(name); strings.Contains(l, "courier") || strings.Contains(l, "mono") {
		return "Courier New,Courier,monospace"
	}
	return fontFamily
}

// paint writes the fill and stroke attributes of a shape.
func paint(b *bytes.Buffer, op layout.Op, filled bool) {
	if filled && !op.FillColor.Transparent() {
		colour(b, "fill", op.FillColor)
	} else {
		b.WriteString(` fill="none"`)
	}
	if op.Color.Transparent() {
		b.WriteString(` stroke="none"`)
		return
	}
	colour(b, "stroke", op.Color)
	if op.LineWidth != 1 {
		b.WriteString(` stroke-width="` + num(op.LineWidth) + `"`)
	}
	switch op.Style {
	case layout.Dashed:
		b.WriteString(` stroke-dasharray="5,2"`)
	case layout.Dotted:
		b.WriteString(` stroke-dasharray="1,5"`)
	}
}

// colour writes attr as an opaque colour plus an opacity when c is not opaque.
func colour(b *bytes.Buffer, attr string, c layout.Color) {
	opaque := c
	opaque.A = 255
	b.WriteString(" " + attr + `="` + opaque.Hex() + `"`)
	if c.A != 255 {
		b.WriteString(" " + attr + `-opacity="` + strconv.FormatFloat(float64(c.A)/255, 'f', 3, 64) + `"`)
	}
}

// text writes s escaped as XML character data (also safe in attributes).
func text(b *bytes.Buffer, s string) {
	xml.EscapeText(b, []byte(s))
}

// num formats a coordinate with at most two decimals and no trailing zeros.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
