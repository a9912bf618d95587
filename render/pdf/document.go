package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/coexist/coexist/render/layout"
)

// Meta is the document's metadata. Title, Subject, Author and Creator go
// into the PDF information dictionary; Title also appears in every page
// footer and Author (the consultancy or organisation) in every page header.
type Meta struct {
	// Title is the document title.
	Title string
	// Subject is a one-line description of the document.
	Subject string
	// Author is the person or organisation that prepared the document.
	Author string
	// Creator is the program that generated it, such as "coexist 1.2".
	Creator string
	// Date is the document date, printed on the cover and written as the
	// creation and modification dates. Pass a fixed date for reproducible
	// output; the zero Date is written as 1970-01-01 and left off the cover.
	Date time.Time
}

// Document is a PDF document under construction. Its methods record
// content; Write lays it out and writes the PDF. A Document is not safe for
// concurrent use.
type Document struct {
	meta  Meta
	fonts *Fonts
	steps []step
	// settled is the last pass of Pages, which Write reuses while no
	// content was added since.
	settled *pass
}

// step is one recorded block of content.
type step struct {
	// run lays the block out.
	run func(*pass)
	// lead returns the height of the start of the block, which a heading
	// just above it must stay with, and whether the block takes a
	// landscape page (then the heading goes there too). Nil means three
	// lines of body text.
	lead func(*pass) (h float64, landscape bool)
	// keeps is set for a heading or note, which stays with the block after
	// it: its lead then reaches into that block.
	keeps bool
}

// New returns an empty A4 portrait document with the given metadata.
func New(meta Meta) *Document {
	return &Document{meta: meta, fonts: systemFonts()}
}

// systemFonts is the default font chain: the Go fonts, then the system's
// TrueType fonts (SystemFonts), shared by the documents of a run.
var systemFonts = sync.OnceValue(func() *Fonts { return NewFonts(SystemFonts()...) })

// SetFonts sets the font chain that draws the characters the Go fonts
// lack (the default is the system's fonts).
func (d *Document) SetFonts(f *Fonts) {
	if f != nil {
		d.fonts = f
	}
}

func (d *Document) add(run func(*pass), lead func(*pass) (float64, bool)) {
	d.steps = append(d.steps, step{run: run, lead: lead})
	d.settled = nil
}

// addKeep adds a step that stays with the block after it (a heading or
// a note); lead is the height of the step itself.
func (d *Document) addKeep(run func(*pass), own func(*pass) float64) {
	i := len(d.steps)
	d.steps = append(d.steps, step{run: run, keeps: true, lead: func(p *pass) (float64, bool) {
		return own(p) + d.leadAfter(p, i), false
	}})
	d.settled = nil
}

// leadAfter is what the block after step i needs on the page of step i:
// its lead (for a heading or note, reaching into the block they keep
// with), or three lines of body text for a block without one or one that
// takes a landscape page of its own (the heading goes there with it).
func (d *Document) leadAfter(p *pass, i int) float64 {
	if i+1 >= len(d.steps) {
		return 0
	}
	next := d.steps[i+1]
	if next.lead == nil {
		return 3 * lineHeight
	}
	h, landscape := next.lead(p)
	if landscape {
		return 3 * lineHeight
	}
	return h
}

// maxPasses bounds the layout passes of Write. Two suffice unless the table
// of contents changes length; more than four would mean content whose
// layout depends on its own page numbers, which this package never makes.
const maxPasses = 6

// Write lays the document out, fills in the table of contents and page
// totals, and writes the PDF to w. It returns the first error from fpdf or
// from w. Write may be called more than once and gives identical bytes.
func (d *Document) Write(w io.Writer) error {
	p, err := d.settle()
	if err != nil {
		return err
	}
	if err := p.f.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	// fpdf closes a document on output: lay it out afresh next time.
	d.settled = nil
	return nil
}

// Pages lays the document out and returns the number of pages Write would
// write, so that a caller can choose a more compact form of its content.
func (d *Document) Pages() (int, error) {
	p, err := d.settle()
	if err != nil {
		return 0, err
	}
	d.settled = p
	return p.f.PageCount(), nil
}

// settle lays the document out until a pass uses the page numbers it
// produced.
func (d *Document) settle() (*pass, error) {
	if d.settled != nil {
		return d.settled, nil
	}
	var prev *pass
	for range maxPasses {
		p, err := d.layout(prev)
		if err != nil {
			return nil, err
		}
		if prev != nil && p.agrees(prev) {
			return p, nil
		}
		prev = p
	}
	return nil, fmt.Errorf("write pdf: page numbers did not settle after %d layout passes", maxPasses)
}

// layout runs every recorded step on a fresh fpdf document, using the page
// numbers found by the previous pass, if any.
func (d *Document) layout(prev *pass) (p *pass, err error) {
	p = newPass(d.meta, d.fonts, prev)
	defer func() {
		// fpdf panics on a few malformed inputs (fonts, images); report
		// them as errors rather than crash the program.
		if r := recover(); r != nil {
			err = fmt.Errorf("lay out pdf: %v", r)
		}
	}()
	for i, s := range d.steps {
		p.next = nil
		if i+1 < len(d.steps) {
			p.next = &d.steps[i+1]
		}
		s.run(p)
		if p.f.Err() {
			return nil, fmt.Errorf("lay out pdf: %w", p.f.Error())
		}
	}
	if p.f.PageNo() == 0 {
		p.newPage()
	}
	if p.hasContents {
		_, h, _ := p.f.PageSize(0)
		_, p.tocNeeded = tocPlan(p.entries, h)
	}
	if p.f.Err() {
		return nil, fmt.Errorf("lay out pdf: %w", p.f.Error())
	}
	return p, nil
}

// Page geometry in points.
const (
	marginX       = 56.69 // 20 mm
	contentTop    = 74
	contentBottom = 64 // distance of the content's lower limit from the page bottom
	headerBase    = 36
	headerRule    = 44
	footerRule    = 46 // from the page bottom
	footerBase    = 32 // from the page bottom
)

// Font families registered with fpdf.
const (
	sans = "go"
	mono = "gomono"
)

// tocEntry is a heading as it appears in the table of contents.
type tocEntry struct {
	level int
	text  string
	page  int
}

// place is a position in the document: a page and the y of a point on it.
type place struct {
	page int
	y    float64
}

// pass is one layout of the whole document.
type pass struct {
	f    *fpdf.Fpdf
	meta Meta

	// From the previous pass (zero in the first).
	prevEntries []tocEntry
	prevTotal   int
	tocPages    int // pages to reserve for the contents

	// Found in this pass.
	entries     []tocEntry
	hasContents bool
	tocNeeded   int

	next        *step // the step after the one running, nil for the last
	links       []int // fpdf link ids for prevEntries, made by Contents
	coverPage   int   // page without header and footer, 0 if none
	fresh       bool  // nothing drawn on the current page yet
	breakBefore bool  // next content starts a new portrait page
	landscape   bool  // the current page is a landscape page
	// headOnly is set while the current page holds nothing but headings
	// (the headings of the figure that follows them).
	headOnly bool
	// holdLandscape lets the next block use the current landscape page:
	// a heading set there for the diagram after it.
	holdLandscape bool
	lastLevel     int // outline level of the last bookmark, -1 before any
	figures       int
	// tops are where the headings before the table of contents are, for
	// its links.
	tops []place
	// chapter and section are the level-1 and level-2 headings in force,
	// named in the running header of the pages they continue on.
	chapter, section string
	// topic is the level-3 heading in force once drawn, named in the
	// running header of the pages after its own as "topic (continued)".
	topic string

	// Fonts: the chain, the current Go font, and the fallback fonts
	// registered with fpdf and drawn with in this pass (and the last).
	fonts            *Fonts
	family, style    string
	size             float64
	registered, used map[int]bool
	prevUsed         map[int]bool
}

func newPass(meta Meta, fonts *Fonts, prev *pass) *pass {
	f := fpdf.New("P", "pt", "A4", "")
	date := meta.Date
	if date.IsZero() {
		date = time.Unix(0, 0)
	}
	date = date.UTC()
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetProducer("coexist", true)
	if meta.Title != "" {
		f.SetTitle(clean(meta.Title), true)
	}
	if meta.Subject != "" {
		f.SetSubject(clean(meta.Subject), true)
	}
	if meta.Author != "" {
		f.SetAuthor(clean(meta.Author), true)
	}
	if meta.Creator != "" {
		f.SetCreator(clean(meta.Creator), true)
	}
	f.SetMargins(marginX, contentTop, marginX)
	f.SetAutoPageBreak(false, contentBottom)
	f.SetCellMargin(0)
	// fpdf writes into the font bytes it is given while it subsets them
	// (it appends to slices of them), which would corrupt the shared gofont
	// variables and make the next document differ: give it copies.
	f.AddUTF8FontFromBytes(sans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(sans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(sans, "I", bytes.Clone(goitalic.TTF))
	f.AddUTF8FontFromBytes(sans, "BI", bytes.Clone(gobolditalic.TTF))
	f.AddUTF8FontFromBytes(mono, "", bytes.Clone(gomono.TTF))
	f.AddUTF8FontFromBytes(mono, "B", bytes.Clone(gomonobold.TTF))
	p := &pass{f: f, meta: meta, tocPages: 1, lastLevel: -1, fonts: fonts, registered: map[int]bool{}, used: map[int]bool{}}
	p.setFont(sans, "", 10)
	if prev != nil {
		p.prevUsed = prev.used
		p.prevEntries = prev.entries
		p.prevTotal = prev.f.PageCount()
		p.tocPages = max(prev.tocNeeded, 1)
	}
	f.SetHeaderFuncMode(p.header, true)
	f.SetFooterFunc(p.footer)
	return p
}

// agrees reports whether p used the page numbers that it produced, so that
// it can be written out.
func (p *pass) agrees(prev *pass) bool {
	if p.f.PageCount() != p.prevTotal {
		return false
	}
	if !p.hasContents {
		return true
	}
	if p.tocNeeded != p.tocPages || len(p.entries) != len(p.prevEntries) {
		return false
	}
	for i, e := range p.entries {
		if e != p.prevEntries[i] {
			return false
		}
	}
	return true
}

// Geometry of the current page.

func (p *pass) pageSize() (w, h float64) { return p.f.GetPageSize() }
func (p *pass) left() float64            { return marginX }
func (p *pass) right() float64           { w, _ := p.pageSize(); return w - marginX }
func (p *pass) width() float64           { return p.right() - p.left() }
func (p *pass) bottom() float64          { _, h := p.pageSize(); return h - contentBottom }
func (p *pass) y() float64               { return p.f.GetY() }
func (p *pass) setY(y float64)           { p.f.SetY(y) }

// newPage starts a portrait page and puts the cursor at the top of its
// content area.
func (p *pass) newPage() {
	p.f.AddPage()
	p.f.SetXY(p.left(), contentTop)
	p.fresh = true
	p.breakBefore = false
	p.landscape = false
}

// landscapePage starts a landscape A4 page for a figure; the content after
// the figure goes back to portrait pages.
func (p *pass) landscapePage() {
	w, h, _ := p.f.PageSize(0)
	p.f.AddPageFormat("L", fpdf.SizeType{Wd: min(w, h), Ht: max(w, h)})
	p.f.SetXY(p.left(), contentTop)
	p.fresh = true
	p.breakBefore = false
	p.landscape = true
}

// begin prepares for a block of content: it makes sure there is a page,
// honours a pending page break and leaves landscape pages to their figure.
func (p *pass) begin() {
	if p.f.PageNo() == 0 || p.breakBefore || (p.landscape && !p.holdLandscape) {
		p.newPage()
	}
	p.holdLandscape = false
}

// lead returns what the next block needs below a heading; see step.lead.
func (p *pass) lead() (float64, bool) {
	switch {
	case p.next == nil:
		return 0, false
	case p.next.lead == nil:
		return 3 * lineHeight, false
	}
	return p.next.lead(p)
}

// bodyHeight is the height of the content area of a portrait page.
func (p *pass) bodyHeight() float64 {
	_, h, _ := p.f.PageSize(0)
	return h - contentTop - contentBottom
}

// ensure starts a new page unless h points of content fit below the
// cursor. On a fresh page it does nothing: the content is as well placed as
// it can be.
func (p *pass) ensure(h float64) {
	if !p.fresh && p.y()+h > p.bottom() {
		p.newPage()
	}
}

// drawn marks the current page as used.
func (p *pass) drawn() { p.fresh, p.headOnly = false, false }

func (p *pass) header() {
	if p.f.PageNo() == p.coverPage {
		return
	}
	defer p.keepFont()()
	f := p.f
	p.setFont(sans, "", 8)
	setText(f, colMuted)
	var left []string
	if p.meta.Author != "" {
		left = append(left, p.meta.Author)
	}
	if p.chapter != "" {
		left = append(left, p.chapter)
	}
	if p.section != "" {
		left = append(left, p.section)
	}
	if p.topic != "" {
		left = append(left, p.topic+" (continued)")
	}
	// The subject on the right takes at most half the width; the
	// chapter, section and topic on the left the rest.
	leftW := p.width() + 24
	if p.meta.Subject != "" {
		s := p.fit(clean(p.meta.Subject), p.width()/2)
		p.text(p.right()-p.textWidth(s), headerBase, s)
		leftW = p.width() - p.textWidth(s)
	}
	if len(left) > 0 {
		p.text(p.left(), headerBase, p.fit(clean(strings.Join(left, " · ")), leftW-24))
	}
	setDraw(f, colRule)
	f.SetLineWidth(0.5)
	f.Line(p.left(), headerRule, p.right(), headerRule)
}

func (p *pass) footer() {
	if p.f.PageNo() == p.coverPage {
		return
	}
	defer p.keepFont()()
	f := p.f
	_, h := p.pageSize()
	setDraw(f, colRule)
	f.SetLineWidth(0.5)
	f.Line(p.left(), h-footerRule, p.right(), h-footerRule)
	p.setFont(sans, "", 8)
	setText(f, colMuted)
	total := "?"
	if p.prevTotal > 0 {
		total = strconv.Itoa(p.prevTotal)
	}
	num := fmt.Sprintf("Page %d of %s", f.PageNo(), total)
	nw := p.textWidth(num)
	p.text(p.right()-nw, h-footerBase, num)
	if p.meta.Title != "" {
		p.text(p.left(), h-footerBase, p.fit(clean(p.meta.Title), p.width()-nw-24))
	}
}

// Colours of the house style.
var (
	colInk       = layout.RGB(0x1f, 0x29, 0x33) // body text
	colMuted     = layout.RGB(0x5f, 0x6b, 0x7a) // secondary text
	colNavy      = layout.RGB(0x17, 0x32, 0x4d) // headings, table headers, cover
	colAccent    = layout.RGB(0x1f, 0x8a, 0x9e) // rules and highlights
	colRule      = layout.RGB(0xc9, 0xd1, 0xdb) // header, footer and table lines
	colHairline  = layout.RGB(0xe3, 0xe8, 0xee) // separators in lists
	colZebra     = layout.RGB(0xf4, 0xf6, 0xf9) // alternate table rows
	colWhite     = layout.RGB(0xff, 0xff, 0xff)
	colCoverSub  = layout.RGB(0xc6, 0xd4, 0xe2) // subtitle on the cover band
	colCoverKick = layout.RGB(0x8f, 0xd0, 0xdb) // kicker on the cover band
)

func setText(f *fpdf.Fpdf, c layout.Color) { f.SetTextColor(int(c.R), int(c.G), int(c.B)) }
func setDraw(f *fpdf.Fpdf, c layout.Color) { f.SetDrawColor(int(c.R), int(c.G), int(c.B)) }
func setFill(f *fpdf.Fpdf, c layout.Color) { f.SetFillColor(int(c.R), int(c.G), int(c.B)) }

// clean makes text safe for fpdf: it drops control characters other than
// newline and tab (tabs become spaces) and replaces characters outside the
// Basic Multilingual Plane, which fpdf's font subsetting cannot handle.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if r > 0xFFFF || r == '\t' || r == '\r' || (unicode.IsControl(r) && r != '\n') || r == unicode.ReplacementChar {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteRune(r)
		case r == '\r' || unicode.IsControl(r):
		case r > 0xFFFF || r == unicode.ReplacementChar:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wrap breaks text into lines no wider than w in the current font. Newlines
// in the text start new lines; runs of spaces collapse; a word wider than w
// is broken between characters. The result has at least one line.
func (p *pass) wrap(text string, w float64) []string {
	var out []string
	space := p.textWidth(" ")
	for _, para := range strings.Split(clean(text), "\n") {
		line, lineW := "", 0.0
		for _, word := range strings.Fields(para) {
			// fpdf does not kern, so widths add up exactly.
			ww := p.textWidth(word)
			if line != "" {
				if lineW+space+ww <= w {
					line, lineW = line+" "+word, lineW+space+ww
					continue
				}
				out = append(out, line)
			}
			for ww > w {
				head, rest := p.splitWord(word, w)
				out = append(out, head)
				word = rest
				ww = p.textWidth(word)
			}
			line, lineW = word, ww
		}
		out = append(out, line)
	}
	for len(out) > 1 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// splitWord splits word after the most characters (at least one) that fit in w.
func (p *pass) splitWord(word string, w float64) (head, rest string) {
	rs := []rune(word)
	n := 1
	for n < len(rs) && p.textWidth(string(rs[:n+1])) <= w {
		n++
	}
	return string(rs[:n]), string(rs[n:])
}

// fit shortens s with an ellipsis until it is no wider than w.
func (p *pass) fit(s string, w float64) string {
	if p.textWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && p.textWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ") + "…"
}

// baseline returns the baseline of text of size fs centred in a line box of
// height lh whose top is at y.
func baseline(y, lh, fs float64) float64 {
	return y + lh/2 + 0.34*fs
}
