package layout

import (
	"strconv"
	"strings"
)

// Color is an RGBA colour with 8 bits per channel; A is opacity, 0 being
// fully transparent. The zero Color is transparent, and renderers treat a
// transparent colour as "not painted".
type Color struct {
	R, G, B, A uint8
}

// RGB returns the opaque colour with the given red, green and blue components.
func RGB(r, g, b uint8) Color {
	return Color{R: r, G: g, B: b, A: 255}
}

// Transparent reports whether c paints nothing.
func (c Color) Transparent() bool {
	return c.A == 0
}

// Hex returns c as "#rrggbb", or "#rrggbbaa" when it is not opaque.
func (c Color) Hex() string {
	const digits = "0123456789abcdef"
	b := []byte{'#'}
	for _, v := range []uint8{c.R, c.G, c.B} {
		b = append(b, digits[v>>4], digits[v&15])
	}
	if c.A != 255 {
		b = append(b, digits[c.A>>4], digits[c.A&15])
	}
	return string(b)
}

// Black is opaque black, the colour of anything Graphviz does not colour.
var Black = RGB(0, 0, 0)

// ParseColor converts a Graphviz colour string to a Color. It accepts
//
//   - "#rrggbb" and "#rrggbbaa" (hex, any case);
//   - "H,S,V" or "H S V" with components between 0 and 1;
//   - "none" and "transparent", which give a transparent colour;
//   - a colour list "a:b;0.3", of which only the first colour is used;
//   - the X11 names in the table below, case-insensitively, with "grey"
//     and "gray" spelt either way; a scheme prefix such as "/x11/" is ignored.
//
// Anything else, including the many X11 names not listed, gives opaque black,
// Graphviz's own default pen colour, so that an unknown name never makes
// a shape invisible.
func ParseColor(s string) Color {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "/") {
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			s = s[i+1:]
		}
	}
	if strings.HasPrefix(s, "#") {
		if c, ok := parseHex(s[1:]); ok {
			return c
		}
		return Black
	}
	if c, ok := parseHSV(s); ok {
		return c
	}
	if c, ok := namedColors[strings.ReplaceAll(s, "grey", "gray")]; ok {
		return c
	}
	return Black
}

func parseHex(s string) (Color, bool) {
	if len(s) != 6 && len(s) != 8 {
		return Color{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return Color{}, false
	}
	if len(s) == 6 {
		return RGB(uint8(v>>16), uint8(v>>8), uint8(v)), true
	}
	return Color{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}, true
}

func parseHSV(s string) (Color, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	if len(f) != 3 {
		return Color{}, false
	}
	var hsv [3]float64
	for i, x := range f {
		v, err := strconv.ParseFloat(x, 64)
		if err != nil || v < 0 || v > 1 {
			return Color{}, false
		}
		hsv[i] = v
	}
	h, sat, val := hsv[0]*6, hsv[1], hsv[2]
	if h >= 6 {
		h = 0
	}
	i := int(h)
	fr := h - float64(i)
	p, q, t := val*(1-sat), val*(1-sat*fr), val*(1-sat*(1-fr))
	var r, g, b float64
	switch i {
	case 0:
		r, g, b = val, t, p
	case 1:
		r, g, b = q, val, p
	case 2:
		r, g, b = p, val, t
	case 3:
		r, g, b = p, q, val
	case 4:
		r, g, b = t, p, val
	default:
		r, g, b = val, p, q
	}
	c := func(x float64) uint8 { return uint8(x*255 + 0.5) }
	return RGB(c(r), c(g), c(b)), true
}

// namedColors holds the X11 colours most used in hand-written and generated
// DOT. Keys use the "gray" spelling; ParseColor maps "grey" to it.
var namedColors = map[string]Color{
	"none":           {},
	"transparent":    {},
	"black":          RGB(0, 0, 0),
	"white":          RGB(255, 255, 255),
	"red":            RGB(255, 0, 0),
	"darkred":        RGB(139, 0, 0),
	"firebrick":      RGB(178, 34, 34),
	"crimson":        RGB(220, 20, 60),
	"tomato":         RGB(255, 99, 71),
	"salmon":         RGB(250, 128, 114),
	"pink":           RGB(255, 192, 203),
	"mistyrose":      RGB(255, 228, 225),
	"orange":         RGB(255, 165, 0),
	"darkorange":     RGB(255, 140, 0),
	"gold":           RGB(255, 215, 0),
	"yellow":         RGB(255, 255, 0),
	"lightyellow":    RGB(255, 255, 224),
	"lemonchiffon":   RGB(255, 250, 205),
	"green":          RGB(0, 255, 0),
	"darkgreen":      RGB(0, 100, 0),
	"forestgreen":    RGB(34, 139, 34),
	"limegreen":      RGB(50, 205, 50),
	"palegreen":      RGB(152, 251, 152),
	"lightgreen":     RGB(144, 238, 144),
	"honeydew":       RGB(240, 255, 240),
	"blue":           RGB(0, 0, 255),
	"navy":           RGB(0, 0, 128),
	"navyblue":       RGB(0, 0, 128),
	"darkblue":       RGB(0, 0, 139),
	"royalblue":      RGB(65, 105, 225),
	"steelblue":      RGB(70, 130, 180),
	"lightblue":      RGB(173, 216, 230),
	"lightsteelblue": RGB(176, 196, 222),
	"skyblue":        RGB(135, 206, 235),
	"aliceblue":      RGB(240, 248, 255),
	"cyan":           RGB(0, 255, 255),
	"lightcyan":      RGB(224, 255, 255),
	"purple":         RGB(160, 32, 240),
	"magenta":        RGB(255, 0, 255),
	"violet":         RGB(238, 130, 238),
	"lavender":       RGB(230, 230, 250),
	"brown":          RGB(165, 42, 42),
	"beige":          RGB(245, 245, 220),
	"ivory":          RGB(255, 255, 240),
	"gray":           RGB(192, 192, 192),
	"lightgray":      RGB(211, 211, 211),
	"darkgray":       RGB(169, 169, 169),
	"dimgray":        RGB(105, 105, 105),
	"slategray":      RGB(112, 128, 144),
	"gainsboro":      RGB(220, 220, 220),
	"whitesmoke":     RGB(245, 245, 245),
	"snow":           RGB(255, 250, 250),
	"silver":         RGB(192, 192, 192),
	"gray20":         RGB(51, 51, 51),
	"gray30":         RGB(77, 77, 77),
	"gray40":         RGB(102, 102, 102),
	"gray50":         RGB(127, 127, 127),
	"gray60":         RGB(153, 153, 153),
	"gray70":         RGB(179, 179, 179),
	"gray80":         RGB(204, 204, 204),
	"gray90":         RGB(229, 229, 229),
	"gray95":         RGB(242, 242, 242),
}
