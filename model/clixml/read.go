package clixml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/coexist/coexist/model"
)

// MaxDepth is how deeply values may nest: a top-level value is at depth 1,
// and a property, list item, dictionary key or value is one deeper than
// its Obj; an Obj reached through a Ref counts at the Ref's depth. Deeper
// input is refused, so that neither Read nor a recursive walk over what it
// returns can exhaust the stack.
const MaxDepth = 256

// MaxText is the longest run of bytes between two markup characters ('<'
// or '>') Read accepts: a text value, or a tag with its attributes. No
// Exchange value comes near it (a certificate's DER bytes in base64 are a
// few KiB); longer input is refused at its position instead of being held
// in memory and copied into an inventory.
const MaxText = 1 << 20

// maxErrors is how many problems Read collects before it gives up.
const maxErrors = 100

// ReadFile reads the CLIXML file at path; see Read. An error opening the
// file is returned as it is, not in an ErrorList.
func ReadFile(path string) ([]*Value, error) {
	f, err := model.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a CLIXML document from r and returns the values under its
// <Objs> root in document order. filename is used in error positions.
//
// The error, when not nil, is an ErrorList. After problems confined to one
// value (a bad number, an unknown Ref) Read still returns every top-level
// value, with the bad parts left zero or Nil; after a fatal problem (broken
// XML, a wrong root, too deep nesting) it returns the top-level values it
// had finished.
func Read(r io.Reader, filename string) ([]*Value, error) {
	in := newPosReader(utf8Input(r))
	d := xml.NewDecoder(in)
	d.CharsetReader = charsetReader
	p := &parser{
		d:     d,
		in:    in,
		file:  filename,
		objs:  make(map[string]*Value),
		open:  make(map[string]int),
		types: make(map[string][]string),
	}
	vals := p.document()
	return vals, p.errs.Sort().Err()
}

// errStop is returned up the parser's call chain once a fatal problem has
// been recorded in parser.errs.
var errStop = errors.New("stop reading")

type parser struct {
	d     *xml.Decoder
	in    *posReader
	file  string
	errs  ErrorList
	objs  map[string]*Value   // finished Objs by RefId
	open  map[string]int      // RefIds of the Objs being read (nesting count)
	types map[string][]string // TN by RefId
}

// errorf records a problem that does not stop reading, unless it is one
// too many.
func (p *parser) errorf(pos Pos, format string, args ...any) error {
	p.errs = append(p.errs, Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
	if len(p.errs) >= maxErrors {
		p.errs = append(p.errs, Error{Pos: pos, Msg: "too many errors"})
		return errStop
	}
	return nil
}

// fatalf records a problem that stops reading.
func (p *parser) fatalf(pos Pos, format string, args ...any) error {
	p.errs = append(p.errs, Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
	return errStop
}

func (p *parser) pos(off int64) Pos {
	line, col := p.in.pos(off)
	return Pos{File: p.file, Line: line, Col: col}
}

// next returns the next start element, end element or text, and the
// position where it begins. At the end of input it returns io.EOF if
// eofOK, else it records a fatal problem.
func (p *parser) next(eofOK bool) (xml.Token, Pos, error) {
	for {
		off := p.d.InputOffset()
		tok, err := p.d.Token()
		if err != nil {
			// A problem posReader found in the bytes has its exact
			// place; ask it first, as the decoder may have turned it
			// into a vaguer one of its own. A syntax error is placed
			// where the decoder noticed it, except that a wrong end tag
			// is placed where the tag starts.
			pos := p.pos(p.d.InputOffset())
			pe, _ := p.in.err.(*posError)
			var se *xml.SyntaxError
			switch {
			case pe != nil:
				return nil, pos, p.fatalf(Pos{File: p.file, Line: pe.at.line, Col: pe.at.col}, "%s", pe.msg)
			case err == io.EOF && eofOK:
				return nil, pos, io.EOF
			case err == io.EOF:
				return nil, pos, p.fatalf(pos, "unexpected EOF")
			case errors.As(err, &se):
				if strings.HasPrefix(se.Msg, "element <") || strings.HasPrefix(se.Msg, "unexpected end element") {
					pos = p.pos(off)
				}
				return nil, pos, p.fatalf(pos, "%s", se.Msg)
			}
			return nil, pos, p.fatalf(pos, "%s", strings.TrimPrefix(err.Error(), "xml: "))
		}
		switch tok.(type) {
		case xml.Comment, xml.ProcInst, xml.Directive:
			continue
		}
		return tok, p.pos(off), nil
	}
}

// document reads the whole input.
func (p *parser) document() []*Value {
	for {
		tok, pos, err := p.next(true)
		if err == io.EOF {
			p.fatalf(pos, "no <Objs> root element")
			return nil
		}
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isSpace(t) {
				p.fatalf(pos, "expected <Objs> root element, found text %q", clip(string(t)))
				return nil
			}
		case xml.StartElement:
			if t.Name.Local != "Objs" {
				p.fatalf(pos, "root element is <%s>, want <Objs>", t.Name.Local)
				return nil
			}
			vals, err := p.values(t)
			if err == nil {
				p.epilog()
			}
			return vals
		}
	}
}

// values reads the children of <Objs>.
func (p *parser) values(root xml.StartElement) ([]*Value, error) {
	var vals []*Value
	for {
		tok, pos, err := p.next(false)
		if err != nil {
			return vals, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return vals, nil
		case xml.CharData:
			if err := p.text(t, pos, root); err != nil {
				return vals, err
			}
		case xml.StartElement:
			v, err := p.value(t, pos, 1)
			if err != nil {
				return vals, err
			}
			vals = append(vals, v)
		}
	}
}

// epilog checks that nothing but space and comments follows </Objs>.
func (p *parser) epilog() {
	for {
		tok, pos, err := p.next(true)
		if err != nil {
			return
		}
		if t, ok := tok.(xml.CharData); ok && isSpace(t) {
			continue
		}
		p.fatalf(pos, "unexpected content after </Objs>")
		return
	}
}

// text records a problem if t, found directly in parent, is not white
// space.
func (p *parser) text(t xml.CharData, pos Pos, parent xml.StartElement) error {
	if isSpace(t) {
		return nil
	}
	return p.errorf(pos, "unexpected text %q in <%s>", clip(string(t)), parent.Name.Local)
}

// value reads the value element se at depth (1 for a top-level value).
// It returns a value even for a faulty element; the error is non-nil only
// when reading must stop.
func (p *parser) value(se xml.StartElement, pos Pos, depth int) (*Value, error) {
	if depth > MaxDepth {
		return nil, p.fatalf(pos, "values nested deeper than %d levels", MaxDepth)
	}
	name := se.Name.Local
	switch name {
	case "Obj":
		return p.obj(se, pos, depth)
	case "Ref":
		return p.ref(se, pos, depth)
	case "LST", "IE", "QUE", "STK":
		v := &Value{Kind: List, Tag: name, Pos: pos}
		return v, p.items(se, v, depth)
	case "DCT":
		v := &Value{Kind: Dict, Tag: name, Pos: pos}
		return v, p.entries(se, v, depth)
	}
	if isPrimitive(name) {
		return p.primitive(se, pos)
	}
	// An element this package does not know: keep its text, skip anything
	// inside it.
	var b strings.Builder
	level := 1
	for level > 0 {
		tok, _, err := p.next(false)
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			level++
		case xml.EndElement:
			level--
		case xml.CharData:
			if level == 1 {
				b.Write(t)
			}
		}
	}
	return &Value{Kind: Other, Tag: name, Str: b.String(), Pos: pos}, nil
}

// primitive reads a primitive element and converts its text.
func (p *parser) primitive(se xml.StartElement, pos Pos) (*Value, error) {
	text, err := p.content(se)
	if err != nil {
		return nil, err
	}
	v := &Value{Tag: se.Name.Local, Pos: pos}
	if msg := convert(v, text); msg != "" {
		if err := p.errorf(pos, "%s", msg); err != nil {
			return v, err
		}
	}
	return v, nil
}

// content returns the text inside se, which should hold no elements.
func (p *parser) content(se xml.StartElement) (string, error) {
	var b strings.Builder
	for {
		tok, pos, err := p.next(false)
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return b.String(), nil
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if err := p.errorf(pos, "unexpected <%s> in <%s>", t.Name.Local, se.Name.Local); err != nil {
				return "", err
			}
			if err := p.skip(); err != nil {
				return "", err
			}
		}
	}
}

// skip consumes the rest of the element whose start was just read,
// without recursion, however deep it is.
func (p *parser) skip() error {
	for level := 1; level > 0; {
		tok, _, err := p.next(false)
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			level++
		case xml.EndElement:
			level--
		}
	}
	return nil
}

// obj reads an <Obj>.
func (p *parser) obj(se xml.StartElement, pos Pos, depth int) (*Value, error) {
	v := &Value{Kind: Object, Tag: "Obj", Pos: pos}
	// A RefId may repeat: PowerShell's deserializer (Import-Clixml) maps
	// each RefId to the latest object read with it, so a later Ref finds
	// the later object.
	id, register := attr(se, "RefId")
	if register {
		v.RefID = id
		p.open[id]++
		defer func() {
			if p.open[id]--; p.open[id] == 0 {
				delete(p.open, id)
			}
		}()
	}
	var (
		content  *Value // a primitive or collection inside the Obj
		hasToStr bool
	)
	setContent := func(c *Value, cpos Pos) error {
		if content != nil {
			return p.errorf(cpos, "<Obj> has more than one value: <%s> after <%s>", c.Tag, content.Tag)
		}
		content = c
		return nil
	}
	for {
		tok, cpos, err := p.next(false)
		if err != nil {
			return v, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if content != nil {
				str := v.Str
				v.setContent(content)
				if hasToStr {
					v.Str = str
				}
			}
			if register {
				p.objs[id] = v
			}
			return v, nil
		case xml.CharData:
			err = p.text(t, cpos, se)
		case xml.StartElement:
			switch name := t.Name.Local; name {
			case "TN":
				v.Types, err = p.typeNames(t, cpos)
			case "TNRef":
				ref, ok := attr(t, "RefId")
				switch types, known := p.types[ref]; {
				case !ok:
					err = p.errorf(cpos, "<TNRef> has no RefId attribute")
				case !known:
					err = p.errorf(cpos, "unknown TNRef RefId %q", ref)
				default:
					v.Types = types
				}
				if err == nil {
					err = p.skip()
				}
			case "ToString":
				var s string
				s, err = p.content(t)
				str, bad := unescapeText(s)
				if bad >= 0 {
					str = ""
					if err == nil {
						err = p.errorf(cpos, "%s", controlProblem(bad))
					}
				}
				v.Str, hasToStr = str, true
			case "Props", "MS":
				err = p.members(t, v, depth, name == "MS")
			case "LST", "IE", "QUE", "STK":
				// The collection is the Obj's content, not a level of
				// its own: its items are at depth+1.
				c := &Value{Kind: List, Tag: name, Pos: cpos}
				if err = p.items(t, c, depth); err == nil {
					err = setContent(c, cpos)
				}
			case "DCT":
				c := &Value{Kind: Dict, Tag: name, Pos: cpos}
				if err = p.entries(t, c, depth); err == nil {
					err = setContent(c, cpos)
				}
			case "Obj":
				// An Obj directly inside an Obj is its base object, as
				// PowerShell writes for a PSObject wrapping a PSObject.
				var c *Value
				if c, err = p.value(t, cpos, depth+1); err == nil {
					err = setContent(c, cpos)
				}
			case "Ref":
				err = p.errorf(cpos, "unexpected <Ref> in <Obj> (a property needs an N attribute inside <Props> or <MS>)")
				if err == nil {
					err = p.skip()
				}
			default:
				if !isPrimitive(name) {
					err = p.skip() // an element of a newer format: ignore it
					break
				}
				var c *Value
				c, err = p.primitive(t, cpos)
				if err == nil {
					err = setContent(c, cpos)
				}
			}
		}
		if err != nil {
			return v, err
		}
	}
}

// setContent copies the data of an Obj's content c into v. When c is a
// base Obj, v also takes its properties after its own, and its type names
// if it has none.
func (v *Value) setContent(c *Value) {
	v.Kind, v.Tag, v.Str = c.Kind, c.Tag, c.Str
	v.Int, v.Uint, v.Float, v.Bool = c.Int, c.Uint, c.Float, c.Bool
	v.Time, v.Dur, v.Bytes = c.Time, c.Dur, c.Bytes
	v.Items, v.Entries = c.Items, c.Entries
	if c.RefID != "" || len(c.Types) > 0 || len(c.Props) > 0 { // a base Obj
		v.Props = append(v.Props[:len(v.Props):len(v.Props)], c.Props...)
		if len(v.Types) == 0 {
			v.Types = c.Types
		}
		v.grow(c.below)
		return
	}
	v.grow(c.below - 1)
}

// grow records that v has a value with below levels under it as a child.
func (v *Value) grow(below int) {
	if below+1 > v.below {
		v.below = below + 1
	}
}

// typeNames reads a <TN> and registers it under its RefId.
func (p *parser) typeNames(se xml.StartElement, pos Pos) ([]string, error) {
	var names []string
	for {
		tok, tpos, err := p.next(false)
		if err != nil {
			return names, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if id, ok := attr(se, "RefId"); ok {
				p.types[id] = names // a repeated RefId: the later TN wins, as in PowerShell
			}
			return names, nil
		case xml.CharData:
			err = p.text(t, tpos, se)
		case xml.StartElement:
			if t.Name.Local != "T" {
				err = p.errorf(tpos, "unexpected <%s> in <TN>", t.Name.Local)
				if err == nil {
					err = p.skip()
				}
				break
			}
			var s string
			s, err = p.content(t)
			names = append(names, unescape(s))
		}
		if err != nil {
			return names, err
		}
	}
}

// members reads <Props> or <MS> into v.Props. A member set nested in <MS>
// becomes a property whose value is an Object (Tag "MS") with the set's
// members as its properties.
func (p *parser) members(se xml.StartElement, v *Value, depth int, extended bool) error {
	for {
		tok, pos, err := p.next(false)
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.CharData:
			err = p.text(t, pos, se)
		case xml.StartElement:
			var m *Value
			if t.Name.Local == "MS" && extended {
				if depth+1 > MaxDepth {
					return p.fatalf(pos, "values nested deeper than %d levels", MaxDepth)
				}
				m = &Value{Kind: Object, Tag: "MS", Pos: pos}
				err = p.members(t, m, depth+1, true)
			} else {
				m, err = p.value(t, pos, depth+1)
			}
			if err != nil {
				return err
			}
			if name, ok := attr(t, "N"); ok {
				v.Props = append(v.Props, Prop{Name: unescape(name), Value: m, Extended: extended})
				v.grow(m.below)
			} else {
				err = p.errorf(pos, "<%s> in <%s> has no N attribute", t.Name.Local, se.Name.Local)
			}
		}
		if err != nil {
			return err
		}
	}
}

// items reads the values of a list element into v.Items.
func (p *parser) items(se xml.StartElement, v *Value, depth int) error {
	for {
		tok, pos, err := p.next(false)
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.CharData:
			err = p.text(t, pos, se)
		case xml.StartElement:
			var it *Value
			it, err = p.value(t, pos, depth+1)
			if err == nil {
				v.Items = append(v.Items, it)
				v.grow(it.below)
			}
		}
		if err != nil {
			return err
		}
	}
}

// entries reads the <En> entries of a <DCT> into v.Entries.
func (p *parser) entries(se xml.StartElement, v *Value, depth int) error {
	for {
		tok, pos, err := p.next(false)
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.CharData:
			err = p.text(t, pos, se)
		case xml.StartElement:
			if t.Name.Local != "En" {
				err = p.errorf(pos, "unexpected <%s> in <DCT>", t.Name.Local)
				if err == nil {
					err = p.skip()
				}
				break
			}
			err = p.entry(t, pos, v, depth)
		}
		if err != nil {
			return err
		}
	}
}

// entry reads one <En> with its Key and Value.
func (p *parser) entry(se xml.StartElement, pos Pos, v *Value, depth int) error {
	var key, val *Value
	for {
		tok, cpos, err := p.next(false)
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			switch {
			case key == nil:
				return p.errorf(pos, "<En> has no Key")
			case val == nil:
				return p.errorf(pos, "<En> has no Value")
			}
			v.Entries = append(v.Entries, Entry{Key: key, Value: val})
			v.grow(key.below)
			v.grow(val.below)
			return nil
		case xml.CharData:
			err = p.text(t, cpos, se)
		case xml.StartElement:
			var c *Value
			c, err = p.value(t, cpos, depth+1)
			if err != nil {
				return err
			}
			switch n, _ := attr(t, "N"); {
			case strings.EqualFold(n, "Key") && c.Kind == Nil:
				err = p.errorf(cpos, "<En> has a Nil Key")
			case strings.EqualFold(n, "Key"):
				key = c
			case strings.EqualFold(n, "Value"):
				val = c
			default:
				err = p.errorf(cpos, "<%s> in <En> has N=%q, want Key or Value", t.Name.Local, n)
			}
		}
		if err != nil {
			return err
		}
	}
}

// ref resolves a <Ref> at depth to the Obj it names. A Ref that cannot be
// resolved is reported and read as Nil, and so is one that would make the
// values nest deeper than MaxDepth when followed, so that no walk over the
// values, even through chains of Refs, goes deeper than that.
func (p *parser) ref(se xml.StartElement, pos Pos, depth int) (*Value, error) {
	if err := p.skip(); err != nil {
		return nil, err
	}
	nilValue := &Value{Kind: Nil, Tag: "Ref", Pos: pos}
	id, ok := attr(se, "RefId")
	var err error
	switch {
	case !ok:
		err = p.errorf(pos, "<Ref> has no RefId attribute")
	case p.open[id] > 0:
		// the latest object with this RefId is still being read
		err = p.errorf(pos, "Ref RefId %q refers to an enclosing Obj (reference cycle)", id)
	case p.objs[id] != nil && depth+p.objs[id].below > MaxDepth:
		err = p.errorf(pos, "Ref RefId %q nests values deeper than %d levels", id, MaxDepth)
	case p.objs[id] != nil:
		return p.objs[id], nil
	default:
		err = p.errorf(pos, "unknown Ref RefId %q", id)
	}
	return nilValue, err
}

// attr returns the value of the attribute called name.
func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// clip shortens s for a message.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
