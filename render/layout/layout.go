// Package layout describes a laid-out diagram as a flat list of drawing
// operations, independent of the program that computed the layout and of the
// format that will show it.
//
// Coordinates are in points (1/72 inch) with the origin at the top-left
// corner of the drawing and y growing downwards, as on a printed page.
// The render/graphviz package produces a Drawing from DOT; the render/pdf
// package paints one as vectors.
package layout

// Drawing is a laid-out diagram: its size and the operations that paint it.
type Drawing struct {
	// Title names the diagram (its caption or graph label), for the
	// accessible title of an SVG; it is not painted.
	Title string
	// Width and Height are the size of the drawing in points.
	Width, Height float64
	// Ops are the painting operations in painting order: later operations
	// cover earlier ones.
	Ops []Op
}

// Point is a position in points from the top-left corner of a Drawing.
type Point struct {
	X, Y float64
}

// OpKind says what an Op paints.
type OpKind int

// The kinds of operation.
const (
	// Polygon is a closed shape through Points; filled if Op.Filled.
	Polygon OpKind = iota + 1
	// Polyline is an open line through Points.
	Polyline
	// Bezier is a cubic Bézier spline: Points[0] is the start, followed by
	// groups of three points (two control points and an end point), so
	// len(Points) is 3n+1. It is closed and filled if Op.Filled.
	Bezier
	// Ellipse is centred on Points[0] with radii RX and RY; filled if Op.Filled.
	Ellipse
	// Text is a single line of Text whose baseline anchor is Points[0];
	// Align says whether the anchor is its left end, centre or right end.
	Text
)

// String returns the kind's lowercase name, as used in test output.
func (k OpKind) String() string {
	switch k {
	case Polygon:
		return "polygon"
	case Polyline:
		return "polyline"
	case Bezier:
		return "bezier"
	case Ellipse:
		return "ellipse"
	case Text:
		return "text"
	}
	return "unknown"
}

// Align is the horizontal alignment of text relative to its anchor point.
type Align int

// The alignments. The zero value is AlignLeft.
const (
	// AlignLeft puts the anchor at the left end of the text.
	AlignLeft Align = iota
	// AlignCenter puts the anchor in the middle of the text.
	AlignCenter
	// AlignRight puts the anchor at the right end of the text.
	AlignRight
)

// LineStyle is the dash pattern of a stroked line.
type LineStyle int

// The line styles. The zero value is Solid.
const (
	// Solid is an unbroken line.
	Solid LineStyle = iota
	// Dashed is a line of dashes.
	Dashed
	// Dotted is a line of dots.
	Dotted
)

// ObjectKind says which element of the diagram an Op belongs to.
type ObjectKind int

// The object kinds.
const (
	// GraphObject is the whole graph: its background and label.
	GraphObject ObjectKind = iota
	// ClusterObject is a cluster subgraph: its frame and label.
	ClusterObject
	// NodeObject is a node: its shape and label.
	NodeObject
	// EdgeObject is an edge: its line, arrowheads and labels.
	EdgeObject
)

// Op is one painting operation. Which fields matter depends on Kind.
type Op struct {
	// Kind says what the operation paints.
	Kind OpKind
	// Points are the vertices (Polygon, Polyline), the spline points
	// (Bezier), the centre (Ellipse) or the baseline anchor (Text).
	Points []Point
	// RX and RY are the radii of an Ellipse.
	RX, RY float64
	// Filled says whether a Polygon, Bezier or Ellipse is filled with
	// FillColor before its outline is stroked with Color.
	Filled bool
	// Color is the stroke colour of lines and outlines and the colour of
	// text. A transparent Color means no outline.
	Color Color
	// FillColor is the fill colour of filled shapes.
	FillColor Color
	// LineWidth is the stroke width in points.
	LineWidth float64
	// Style is the dash pattern of strokes.
	Style LineStyle

	// Text is the text of a Text operation: one line, never empty.
	Text string
	// Align says where the anchor sits along the text.
	Align Align
	// TextWidth is the width of the text as estimated by the layout engine,
	// in points. Renderers with other font metrics should fit the text to
	// this width so it stays inside its shape.
	TextWidth float64
	// FontSize is the font size in points.
	FontSize float64
	// FontName is the font family requested by the diagram, such as
	// "Helvetica" or "Courier"; renderers map it to a font they have.
	FontName string
	// Bold and Italic are the font style.
	Bold, Italic bool

	// Object is the kind of diagram element the operation belongs to.
	Object ObjectKind
	// ID names the element: the node or cluster name, or "tail->head"
	// for an edge.
	ID string
	// Href is the element's link target (its URL or href attribute), if any.
	Href string
}

// Stack returns the drawings one below the other, left-aligned, with gap
// points between them, as one drawing titled title: the parts of a
// diagram split for print, shown whole on screen.
func Stack(title string, gap float64, parts ...Drawing) Drawing {
	out := Drawing{Title: title}
	for i, d := range parts {
		if i > 0 {
			out.Height += gap
		}
		dy := out.Height
		for _, op := range d.Ops {
			pts := make([]Point, len(op.Points))
			for j, p := range op.Points {
				pts[j] = Point{X: p.X, Y: p.Y + dy}
			}
			op.Points = pts
			out.Ops = append(out.Ops, op)
		}
		out.Width = max(out.Width, d.Width)
		out.Height += d.Height
	}
	return out
}
