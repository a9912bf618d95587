package pdf

import (
	"fmt"
	"math"
	"strings"

	"github.com/coexist/coexist/render/layout"
)

// Diagram layout.
const (
	captionSize = 9.0
	captionLH   = 13.0
	captionGap  = 8.0  // between drawing and caption
	figureAfter = 14.0 // below the caption
	minLine     = 0.3  // thinnest stroke drawn, in points
	// A drawing goes on a landscape page of its own when a portrait page
	// would shrink it below landscapeBelow (9pt labels would print under
	// about 5.5pt) and a landscape page makes it landscapeGain times larger.
	landscapeBelow = 0.6
	landscapeGain  = 1.25
	figureBefore   = 6.0 // above a figure that does not start a page
)

// Diagram adds a figure: the drawing as vectors, centred and scaled to the
// page width (never enlarged), with a numbered caption below it. A drawing
// that does not fit below the cursor goes to the next page; one too tall
// for a page is scaled to fit one; one much wider than tall that a portrait
// page would shrink below 60% gets a landscape page of its own (with the
// heading just above it, if any). Text is set in the Go fonts, shrunk where
// needed to the width Graphviz measured, so labels stay inside their shapes.
//
// Diagrams are most legible when Graphviz lays them out no wider than
// about 480 points (the width of the text), e.g. with rankdir=TB for long
// chains.
func (d *Document) Diagram(dr layout.Drawing, caption string) {
	dr.Ops = append([]layout.Op(nil), dr.Ops...)
	d.add(func(p *pass) { p.diagram(dr, caption) }, func(p *pass) (float64, bool) {
		// A heading above keeps with the whole figure: a figure that
		// does not fit below it here goes to the next page, and the
		// heading with it (see diagram).
		fig := p.planFigure(dr, caption)
		return fig.height + figureBefore, fig.landscape
	})
}

// figure is how a diagram will be placed.
type figure struct {
	label     []string // caption lines, "Figure N. caption"
	capH      float64  // height of the caption with its gap
	scale     float64
	landscape bool    // on a landscape page of its own
	height    float64 // of drawing and caption at scale
}

// planFigure decides the scale and orientation of a diagram and wraps its
// caption. It does not depend on the current page.
func (p *pass) planFigure(dr layout.Drawing, caption string) figure {
	f := p.f
	label := fmt.Sprintf("Figure %d", p.figures+1)
	if c := strings.TrimSpace(caption); c != "" {
		label += ". " + c
	}
	pw, ph, _ := f.PageSize(0)
	width := pw - 2*marginX
	landW, landH := ph-2*marginX, pw-contentTop-contentBottom
	fig := figure{}
	wrapCaption := func(w float64) {
		p.setFont(sans, "I", captionSize)
		fig.label = p.wrap(label, w)
		fig.capH = captionGap + float64(len(fig.label))*captionLH
	}
	wrapCaption(width)
	if dr.Width <= 0 || dr.Height <= 0 || len(dr.Ops) == 0 {
		fig.height = fig.capH + captionLH
		return fig
	}
	fig.scale = min(1, width/dr.Width)
	if _, land := placement(dr, pw, ph, fig.capH); land {
		wrapCaption(landW)
		fig.scale, fig.landscape = min(1, landW/dr.Width, (landH-fig.capH)/dr.Height), true
	}
	fig.height = dr.Height*fig.scale + fig.capH
	return fig
}

// placement returns the scale of a drawing on a page of its own (pw×ph
// portrait, with a caption capH high) and whether it takes a landscape
// page: when it is much wider than tall and a portrait page would shrink
// it below landscapeBelow while landscape makes it landscapeGain times
// larger.
func placement(dr layout.Drawing, pw, ph, capH float64) (scale float64, landscape bool) {
	width, bodyH := pw-2*marginX, ph-contentTop-contentBottom
	landW, landH := ph-2*marginX, pw-contentTop-contentBottom
	sPortrait := min(1, width/dr.Width, (bodyH-capH)/dr.Height)
	sLand := min(1, landW/dr.Width, (landH-capH)/dr.Height)
	if dr.Width > dr.Height && sPortrait < landscapeBelow && sLand > landscapeGain*sPortrait {
		return sLand, true
	}
	// Landscape also when only it prints the labels legibly.
	if small := smallestText(dr); small*sPortrait < MinTextSize && small*sLand >= MinTextSize {
		return sLand, true
	}
	return sPortrait, false
}

// legible reports whether dr scaled by s prints its smallest text at
// MinTextSize or more.
func legible(dr layout.Drawing, s float64) bool {
	return s > 0 && smallestText(dr)*s >= MinTextSize
}

// smallestText is the size of the smallest text of a drawing, +Inf for
// none.
func smallestText(dr layout.Drawing) float64 {
	smallest := math.Inf(1)
	for _, op := range dr.Ops {
		if op.Kind == layout.Text && op.FontSize > 0 {
			smallest = min(smallest, op.FontSize)
		}
	}
	return smallest
}

// MinTextSize is the smallest text, in points, that a printed diagram may
// have: a diagram whose labels would print smaller must be split.
const MinTextSize = 6.0

// WidestTextSize returns the size, in points, of the smallest text of dr
// on an A4 page (portrait or landscape) as tall as it needs: the most that
// splitting a diagram into shorter parts can achieve. A drawing without
// text gives +Inf.
func WidestTextSize(dr layout.Drawing) float64 {
	smallest := smallestText(dr)
	if dr.Width <= 0 || math.IsInf(smallest, 1) {
		return smallest
	}
	const landscapeWidth = 841.89 - 2*marginX // A4's long side less the margins
	return smallest * min(1, landscapeWidth/dr.Width)
}

// PrintedTextSize returns the size, in points, of the smallest text of dr
// when Diagram prints it on an A4 page of its own (portrait or landscape,
// as Diagram would choose), so that a caller can split a diagram that
// would print illegibly. A drawing without text gives +Inf.
func PrintedTextSize(dr layout.Drawing) float64 {
	smallest := smallestText(dr)
	if dr.Width <= 0 || dr.Height <= 0 || math.IsInf(smallest, 1) {
		return smallest
	}
	pw, ph := 595.28, 841.89 // A4 in points
	s, _ := placement(dr, pw, ph, captionGap+2*captionLH)
	return smallest * s
}

func (p *pass) diagram(dr layout.Drawing, caption string) {
	fig := p.planFigure(dr, caption)
	p.figures++
	if fig.landscape {
		// A heading may have opened the landscape page already.
		if !p.landscape || !p.holdLandscape {
			p.landscapePage()
		}
		p.holdLandscape = false
	} else {
		p.begin()
	}
	if fig.scale == 0 {
		p.ensure(fig.height)
		p.caption(append([]string{"(empty diagram)"}, fig.label...))
		return
	}
	if !p.fresh {
		p.setY(p.y() + figureBefore)
	}
	s := fig.scale
	switch {
	case fig.landscape:
		s = min(s, (p.bottom()-p.y()-fig.capH)/dr.Height)
	case p.y()+dr.Height*s+fig.capH <= p.bottom():
		// Fits here.
	case p.headOnly && legible(dr, (p.bottom()-p.y()-fig.capH)/dr.Height):
		// The page holds only the headings of this figure: shrink it to
		// fit below them rather than leave them alone at the foot of
		// the page, while its labels stay legible.
		s = min(s, (p.bottom()-p.y()-fig.capH)/dr.Height)
	case dr.Height*s+fig.capH <= p.bodyHeight():
		p.newPage()
	default:
		// Taller than a page: a page of its own, shrunk to fit it (never
		// smaller, so PrintedTextSize holds).
		if !p.fresh {
			p.newPage()
		}
		s = min(s, (p.bottom()-p.y()-fig.capH)/dr.Height)
	}
	x0 := p.left() + (p.width()-dr.Width*s)/2
	y0 := p.y()
	p.paint(dr, x0, y0, s)
	p.setY(y0 + dr.Height*s)
	p.caption(fig.label)
	p.drawn()
}

func (p *pass) caption(lines []string) {
	f := p.f
	y := p.y() + captionGap
	p.setFont(sans, "I", captionSize)
	setText(f, colMuted)
	for _, l := range lines {
		lw := p.textWidth(l)
		p.text(p.left()+(p.width()-lw)/2, baseline(y, captionLH, captionSize), l)
		y += captionLH
	}
	p.setY(y + figureAfter)
	p.drawn()
}

// paint draws the drawing with its top-left corner at (x0, y0), scaled by s.
func (p *pass) paint(dr layout.Drawing, x0, y0, s float64) {
	f := p.f
	pt := func(q layout.Point) (float64, float64) { return x0 + q.X*s, y0 + q.Y*s }
	f.SetLineJoinStyle("round")
	defer f.SetLineJoinStyle("miter")
	for _, op := range dr.Ops {
		if op.Kind == layout.Text {
			p.paintText(op, pt, s)
			continue
		}
		style := paintStyle(op)
		if style == "" || len(op.Points) == 0 {
			continue
		}
		setDraw(f, op.Color)
		setFill(f, op.FillColor)
		f.SetLineWidth(max(op.LineWidth*s, minLine))
		switch op.Style {
		case layout.Dashed:
			f.SetDashPattern([]float64{4 * max(s, 0.6), 2.5 * max(s, 0.6)}, 0)
		case layout.Dotted:
			f.SetLineCapStyle("round")
			f.SetDashPattern([]float64{0, 2.5 * max(s, 0.6)}, 0)
		}
		switch op.Kind {
		case layout.Ellipse:
			x, y := pt(op.Points[0])
			f.Ellipse(x, y, op.RX*s, op.RY*s, 0, style)
		case layout.Polygon, layout.Polyline:
			x, y := pt(op.Points[0])
			f.MoveTo(x, y)
			for _, q := range op.Points[1:] {
				f.LineTo(pt(q))
			}
			if op.Kind == layout.Polygon {
				f.ClosePath()
			}
			f.DrawPath(style)
		case layout.Bezier:
			x, y := pt(op.Points[0])
			f.MoveTo(x, y)
			for i := 1; i+2 < len(op.Points); i += 3 {
				c0x, c0y := pt(op.Points[i])
				c1x, c1y := pt(op.Points[i+1])
				ex, ey := pt(op.Points[i+2])
				f.CurveBezierCubicTo(c0x, c0y, c1x, c1y, ex, ey)
			}
			if op.Filled {
				f.ClosePath()
			}
			f.DrawPath(style)
		}
		if op.Style != layout.Solid {
			f.SetDashPattern(nil, 0)
			f.SetLineCapStyle("butt")
		}
	}
}

// paintStyle returns the fpdf fill/draw style of a shape: "F", "D", "FD",
// or "" when it paints nothing.
func paintStyle(op layout.Op) string {
	fill := op.Filled && !op.FillColor.Transparent() && op.Kind != layout.Polyline
	stroke := !op.Color.Transparent() && op.LineWidth > 0
	switch {
	case fill && stroke:
		return "FD"
	case fill:
		return "F"
	case stroke:
		return "D"
	}
	return ""
}

// paintText draws a text op, shrinking the font where the Go fonts make
// the text wider than Graphviz's own estimate.
func (p *pass) paintText(op layout.Op, pt func(layout.Point) (float64, float64), s float64) {
	if op.Color.Transparent() || len(op.Points) == 0 || op.FontSize <= 0 {
		return
	}
	f := p.f
	family, style := sans, ""
	name := strings.ToLower(op.FontName)
	if strings.Contains(name, "courier") || strings.Contains(name, "mono") {
		family = mono
		if op.Bold {
			style = "B"
		}
	} else {
		if op.Bold {
			style += "B"
		}
		if op.Italic {
			style += "I"
		}
	}
	text := clean(op.Text)
	size := op.FontSize * s
	p.setFont(family, style, size)
	w := p.textWidth(text)
	if want := op.TextWidth * s; want > 0 && w > want {
		// Never below MinTextSize for text that the scale alone prints
		// legibly: the Go fonts are a few percent wider than Graphviz's
		// estimate, which printed 6.2 pt labels at 5.7 pt; a label a
		// few percent wider than measured still sits in its shape's
		// margin.
		least := size * 0.6
		if size >= MinTextSize {
			least = max(least, MinTextSize)
		}
		size = max(size*want/w, least)
		p.setFont(family, style, size)
		w = p.textWidth(text)
	}
	x, y := pt(op.Points[0])
	switch op.Align {
	case layout.AlignCenter:
		x -= w / 2
	case layout.AlignRight:
		x -= w
	}
	setText(f, op.Color)
	p.text(x, y, text)
}
