package graphviz

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/coexist/coexist/render/layout"
)

// jsonGraph is the part of Graphviz's "json" output that Layout reads.
type jsonGraph struct {
	Name        string       `json:"name"`
	Label       string       `json:"label"`
	Directed    bool         `json:"directed"`
	BB          string       `json:"bb"`
	Draw        []xop        `json:"_draw_"`
	LDraw       []xop        `json:"_ldraw_"`
	SubgraphCnt int          `json:"_subgraph_cnt"`
	Objects     []jsonObject `json:"objects"`
	Edges       []jsonEdge   `json:"edges"`
}

// jsonObject is a subgraph or a node; the first SubgraphCnt objects are
// the subgraphs.
type jsonObject struct {
	GVID  int    `json:"_gvid"`
	Name  string `json:"name"`
	URL   string `json:"URL"`
	Href  string `json:"href"`
	Draw  []xop  `json:"_draw_"`
	LDraw []xop  `json:"_ldraw_"`
}

type jsonEdge struct {
	Tail   int    `json:"tail"`
	Head   int    `json:"head"`
	URL    string `json:"URL"`
	Href   string `json:"href"`
	Draw   []xop  `json:"_draw_"`
	LDraw  []xop  `json:"_ldraw_"`
	HDraw  []xop  `json:"_hdraw_"`
	TDraw  []xop  `json:"_tdraw_"`
	HLDraw []xop  `json:"_hldraw_"`
	TLDraw []xop  `json:"_tldraw_"`
}

// xop is one xdot drawing operation as Graphviz writes it in JSON.
type xop struct {
	Op       string       `json:"op"`
	Grad     string       `json:"grad"`
	Color    string       `json:"color"`
	Stops    []xstop      `json:"stops"`
	Points   [][2]float64 `json:"points"`
	Rect     []float64    `json:"rect"`
	Pt       []float64    `json:"pt"`
	Align    string       `json:"align"`
	Width    float64      `json:"width"`
	Text     string       `json:"text"`
	Size     float64      `json:"size"`
	Face     string       `json:"face"`
	Style    string       `json:"style"`
	Fontchar int          `json:"fontchar"`
}

type xstop struct {
	Frac  float64 `json:"frac"`
	Color string  `json:"color"`
}

// element identifies the graph element an xdot list belongs to.
type element struct {
	kind layout.ObjectKind
	id   string
	href string
}

// converter turns xdot coordinates (bottom-left origin) into layout ones.
type converter struct {
	minX, maxY float64
	ops        []layout.Op
}

// convert decodes Graphviz "json" output into a Drawing.
func convert(data []byte) (layout.Drawing, error) {
	var g jsonGraph
	if err := json.Unmarshal(data, &g); err != nil {
		return layout.Drawing{}, fmt.Errorf("decode graphviz json: %w", err)
	}
	bb, err := parseBB(g.BB)
	if err != nil {
		return layout.Drawing{}, err
	}
	c := &converter{minX: bb[0], maxY: bb[3]}
	graph := element{kind: layout.GraphObject}
	c.list(g.Draw, graph)

	nsub := min(max(g.SubgraphCnt, 0), len(g.Objects))
	for _, o := range g.Objects[:nsub] {
		cl := element{kind: layout.ClusterObject, id: o.Name, href: firstOf(o.URL, o.Href)}
		c.list(o.Draw, cl)
		c.list(o.LDraw, cl)
	}
	c.list(g.LDraw, graph)

	names := make(map[int]string, len(g.Objects))
	for _, o := range g.Objects[nsub:] {
		names[o.GVID] = o.Name
	}
	arrow := "--"
	if g.Directed {
		arrow = "->"
	}
	edges := make([]element, len(g.Edges))
	for i, e := range g.Edges {
		edges[i] = element{kind: layout.EdgeObject, id: names[e.Tail] + arrow + names[e.Head], href: firstOf(e.URL, e.Href)}
		c.list(e.Draw, edges[i])
		c.list(e.TDraw, edges[i])
		c.list(e.HDraw, edges[i])
	}
	for _, o := range g.Objects[nsub:] {
		n := element{kind: layout.NodeObject, id: o.Name, href: firstOf(o.URL, o.Href)}
		c.list(o.Draw, n)
		c.list(o.LDraw, n)
	}
	for i, e := range g.Edges {
		c.list(e.LDraw, edges[i])
		c.list(e.TLDraw, edges[i])
		c.list(e.HLDraw, edges[i])
	}
	return layout.Drawing{Title: firstOf(g.Label, g.Name), Width: bb[2] - bb[0], Height: bb[3] - bb[1], Ops: c.ops}, nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// parseBB parses a Graphviz bounding box "llx,lly,urx,ury".
func parseBB(s string) ([4]float64, error) {
	var bb [4]float64
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return bb, fmt.Errorf("graphviz json: bad bounding box %q", s)
	}
	for i, x := range f {
		v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return bb, fmt.Errorf("graphviz json: bad bounding box %q", s)
		}
		bb[i] = v
	}
	return bb, nil
}

// pen is the xdot drawing state. Each attribute's operation list starts
// from the default state.
type pen struct {
	color, fill  layout.Color
	width        float64
	style        layout.LineStyle
	font         string
	size         float64
	faceBold     bool
	faceItalic   bool
	bold, italic bool // from the 't' operation
}

func defaultPen() pen {
	return pen{color: layout.Black, fill: layout.Black, width: 1, font: "Times-Roman", size: 14}
}

func (c *converter) pt(x, y float64) layout.Point {
	return layout.Point{X: x - c.minX, Y: c.maxY - y}
}

func (c *converter) points(ps [][2]float64) []layout.Point {
	out := make([]layout.Point, len(ps))
	for i, p := range ps {
		out[i] = c.pt(p[0], p[1])
	}
	return out
}

// list converts one xdot operation list.
func (c *converter) list(ops []xop, el element) {
	p := defaultPen()
	for _, o := range ops {
		shape := layout.Op{
			Color: p.color, FillColor: p.fill, LineWidth: p.width, Style: p.style,
			Object: el.kind, ID: el.id, Href: el.href,
		}
		switch o.Op {
		case "c":
			p.color = opColor(o)
		case "C":
			p.fill = opColor(o)
		case "S":
			p.setStyle(o.Style)
		case "F":
			p.font, p.size = o.Face, o.Size
			lf := strings.ToLower(o.Face)
			p.faceBold = strings.Contains(lf, "bold")
			p.faceItalic = strings.Contains(lf, "italic") || strings.Contains(lf, "oblique")
		case "t":
			p.bold, p.italic = o.Fontchar&1 != 0, o.Fontchar&2 != 0
		case "P", "p", "L", "B", "b":
			if len(o.Points) < 2 {
				continue
			}
			shape.Points = c.points(o.Points)
			switch o.Op {
			case "P", "p":
				shape.Kind, shape.Filled = layout.Polygon, o.Op == "P"
			case "L":
				shape.Kind = layout.Polyline
			default:
				if (len(o.Points)-1)%3 != 0 {
					continue
				}
				// Graphviz's json writer swaps the bezier op letters of
				// the xdot text format, where "b" is filled and "B" is
				// not: in json, edges are "b" and filled rounded boxes
				// "B". TestLayout pins this down.
				shape.Kind, shape.Filled = layout.Bezier, o.Op == "B"
			}
			c.ops = append(c.ops, shape)
		case "E", "e":
			if len(o.Rect) != 4 {
				continue
			}
			shape.Kind, shape.Filled = layout.Ellipse, o.Op == "E"
			shape.Points = []layout.Point{c.pt(o.Rect[0], o.Rect[1])}
			shape.RX, shape.RY = math.Abs(o.Rect[2]), math.Abs(o.Rect[3])
			c.ops = append(c.ops, shape)
		case "T":
			if len(o.Pt) != 2 || strings.TrimSpace(o.Text) == "" {
				continue
			}
			shape.Kind = layout.Text
			shape.Points = []layout.Point{c.pt(o.Pt[0], o.Pt[1])}
			shape.Text = o.Text
			shape.TextWidth = o.Width
			shape.FontName, shape.FontSize = p.font, p.size
			shape.Bold, shape.Italic = p.faceBold || p.bold, p.faceItalic || p.italic
			shape.Align = layout.AlignCenter
			switch o.Align {
			case "l":
				shape.Align = layout.AlignLeft
			case "r":
				shape.Align = layout.AlignRight
			}
			shape.FillColor = layout.Color{}
			c.ops = append(c.ops, shape)
		}
		// Images ("I") are not supported and are skipped.
	}
}

// opColor reads the colour of a "c" or "C" operation; for a gradient it
// uses the first stop.
func opColor(o xop) layout.Color {
	if o.Color == "" && len(o.Stops) > 0 {
		return layout.ParseColor(o.Stops[0].Color)
	}
	return layout.ParseColor(o.Color)
}

// setStyle applies an xdot "S" style such as "dashed" or "setlinewidth(2)".
func (p *pen) setStyle(s string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "solid":
		p.style = layout.Solid
	case s == "dashed":
		p.style = layout.Dashed
	case s == "dotted":
		p.style = layout.Dotted
	case s == "bold":
		p.width = 2
	case strings.HasPrefix(s, "setlinewidth(") && strings.HasSuffix(s, ")"):
		v, err := strconv.ParseFloat(s[len("setlinewidth("):len(s)-1], 64)
		if err == nil && v >= 0 && !math.IsInf(v, 0) {
			p.width = v
		}
	}
}
