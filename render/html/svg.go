package html

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
)

// svgNS is the SVG namespace; elements in another namespace are dropped.
const svgNS = "http://www.w3.org/2000/svg"

// svgElements are the elements kept when an SVG is inlined: what Graphviz
// draws with. Others are dropped with their content, except that <a> is
// unwrapped (its children are kept, the link is not).
var svgElements = map[string]bool{
	"svg": true, "g": true, "title": true, "desc": true, "polygon": true, "polyline": true,
	"path": true, "ellipse": true, "circle": true, "rect": true, "line": true, "text": true,
	"tspan": true, "defs": true, "linearGradient": true, "radialGradient": true, "stop": true,
}

// svgAttrs are the attributes kept; every other one (event handlers, href,
// xlink:*, xml:*, namespaces) is dropped.
var svgAttrs = map[string]bool{
	"id": true, "class": true, "width": true, "height": true, "viewBox": true,
	"preserveAspectRatio": true, "transform": true, "points": true, "d": true,
	"cx": true, "cy": true, "r": true, "rx": true, "ry": true, "x": true, "y": true,
	"x1": true, "y1": true, "x2": true, "y2": true, "dx": true, "dy": true, "fx": true, "fy": true,
	"fill": true, "fill-opacity": true, "fill-rule": true, "stroke": true, "stroke-width": true,
	"stroke-dasharray": true, "stroke-linecap": true, "stroke-linejoin": true,
	"stroke-opacity": true, "stroke-miterlimit": true, "opacity": true,
	"font-family": true, "font-size": true, "font-weight": true, "font-style": true,
	"text-anchor": true, "text-decoration": true, "dominant-baseline": true,
	"offset": true, "stop-color": true, "stop-opacity": true,
	"gradientUnits": true, "gradientTransform": true, "style": true,
}

var (
	// localURL is the only url() an attribute may hold: a reference to an
	// element of the same SVG, such as a gradient.
	localURL = regexp.MustCompile(`url\(\s*#([A-Za-z0-9_.:-]+)\s*\)`)
	// safeStyle is what a style attribute may contain (Graphviz writes
	// "stop-color:#fff;stop-opacity:1.0;" on gradient stops).
	safeStyle = regexp.MustCompile(`^[A-Za-z0-9#%.,:;()\s-]*$`)
)

// sanitizeSVG returns an SVG document as markup to inline in a page. Labels
// in Graphviz output come from the inventory, so it is rebuilt from an
// allow-list instead of trusted: no scripts, no event handlers, no links,
// no external references, no comments or processing instructions. Element
// IDs get prefix so that several diagrams can share one page; label is the
// diagram's accessible name.
func sanitizeSVG(svg []byte, prefix, label string) (template.HTML, error) {
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	var (
		b       strings.Builder
		skip    int  // depth inside a dropped element
		pending bool // a start tag is open: ">" or "/>" not yet written
		stack   []bool
		roots   int
		depth   int
	)
	closePending := func() {
		if pending {
			b.WriteByte('>')
			pending = false
		}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("svg: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if skip > 0 {
				skip++
				continue
			}
			name := t.Name.Local
			if t.Name.Space != "" && t.Name.Space != svgNS {
				skip = 1
				continue
			}
			if depth == 1 && name != "svg" {
				return "", errors.New("svg: the root element is not <svg>")
			}
			if name == "a" { // unwrap links: keep what they contain
				stack = append(stack, false)
				continue
			}
			if !svgElements[name] {
				skip = 1
				continue
			}
			closePending()
			stack = append(stack, true)
			b.WriteByte('<')
			b.WriteString(name)
			for _, a := range t.Attr {
				if a.Name.Space != "" || !svgAttrs[a.Name.Local] {
					continue
				}
				v, ok := cleanAttr(a.Name.Local, a.Value, prefix)
				if !ok {
					continue
				}
				b.WriteByte(' ')
				b.WriteString(a.Name.Local)
				b.WriteString(`="`)
				b.WriteString(template.HTMLEscapeString(v))
				b.WriteByte('"')
			}
			if depth == 1 {
				roots++
				b.WriteString(` class="diagram" role="img" focusable="false" aria-label="`)
				b.WriteString(template.HTMLEscapeString(label))
				b.WriteByte('"')
			}
			pending = true
		case xml.EndElement:
			depth--
			if skip > 0 {
				skip--
				continue
			}
			kept := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !kept {
				continue
			}
			if pending {
				b.WriteString("/>")
				pending = false
				continue
			}
			b.WriteString("</")
			b.WriteString(t.Name.Local)
			b.WriteByte('>')
		case xml.CharData:
			if skip > 0 || depth == 0 {
				continue
			}
			s := string(t)
			if strings.TrimSpace(s) == "" {
				if pending || !strings.Contains(s, "\n") {
					continue
				}
				s = "\n"
			}
			closePending()
			b.WriteString(template.HTMLEscapeString(s))
		}
		// Comments, processing instructions and directives (the DOCTYPE)
		// are dropped.
	}
	if roots != 1 {
		return "", errors.New("svg: no <svg> element")
	}
	return template.HTML(b.String()), nil
}

// cleanAttr checks and rewrites one attribute value; ok is false when the
// attribute must be dropped.
func cleanAttr(name, v, prefix string) (string, bool) {
	low := strings.ToLower(v)
	if strings.Contains(low, "javascript:") || strings.Contains(low, "expression") || strings.Contains(v, `\`) {
		return "", false
	}
	if name == "id" {
		return prefix + "-" + v, true
	}
	if name == "style" && !safeStyle.MatchString(v) {
		return "", false
	}
	if strings.Contains(low, "url(") {
		// Only local references survive, renamed like the IDs.
		rest := localURL.ReplaceAllString(v, "")
		if strings.Contains(strings.ToLower(rest), "url(") {
			return "", false
		}
		v = localURL.ReplaceAllString(v, "url(#"+prefix+"-$1)")
	}
	return v, true
}
