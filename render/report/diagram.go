package report

import "github.com/coexist/coexist/render/layout"

// Figure sizes, in points. textWidth is the width of the kit's A4 text
// column; maxFigureHeight keeps a figure and its caption within the share
// of a page that the kit keeps together with the heading above it, so a
// tall diagram never leaves its heading alone at the foot of a page.
const (
	textWidth       = 481.9
	maxFigureHeight = 450
)

// empty reports whether a drawing has nothing to show.
func empty(dr layout.Drawing) bool {
	return dr.Width <= 0 || dr.Height <= 0 || len(dr.Ops) == 0
}

// fit shrinks a drawing that the kit would print taller than
// maxFigureHeight. Drawings much wider than tall are left alone: the kit
// may give them a landscape page of their own.
func fit(dr layout.Drawing) layout.Drawing {
	if empty(dr) {
		return dr
	}
	s := min(1, textWidth/dr.Width)
	if dr.Width > dr.Height && s < 0.6 {
		return dr
	}
	if dr.Height*s <= maxFigureHeight {
		return dr
	}
	return scale(dr, maxFigureHeight/dr.Height)
}

// scale returns the drawing scaled by k: coordinates, radii, line widths
// and text.
func scale(dr layout.Drawing, k float64) layout.Drawing {
	out := layout.Drawing{Width: dr.Width * k, Height: dr.Height * k, Ops: make([]layout.Op, len(dr.Ops))}
	for i, op := range dr.Ops {
		pts := make([]layout.Point, len(op.Points))
		for j, p := range op.Points {
			pts[j] = layout.Point{X: p.X * k, Y: p.Y * k}
		}
		op.Points = pts
		op.RX *= k
		op.RY *= k
		op.LineWidth *= k
		op.FontSize *= k
		op.TextWidth *= k
		out.Ops[i] = op
	}
	return out
}
