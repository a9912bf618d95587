package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// Fonts is the chain of fonts the PDF draws text with: the embedded Go
// fonts first, then fallback TrueType fonts for the characters they lack
// (CJK, Arabic, Hebrew, Thai…), in order: the files the user named, then
// the system's fonts. A fallback font is read only when some text needs a
// character that no earlier font has, and embedded (subset) only when
// used. Characters that no font covers are recorded, never drawn as a
// silent box: MissingRunes lists them, and the document's GlyphReport
// prints them.
//
// A Fonts may be shared by the documents of one run; it is safe for
// concurrent use. The same fonts and text always give the same PDF.
type Fonts struct {
	mu         sync.Mutex
	candidates []string // fallback font files not read yet, in order
	loaded     []*fallback
	byRune     map[rune]int // index into loaded; -1 when no font has it
	missing    map[rune]bool
	primary    *sfnt.Font
	buf        sfnt.Buffer
}

// fallback is a fallback font read from a file.
type fallback struct {
	path string
	data []byte
	font *sfnt.Font
}

// maxFontFile bounds the size of a fallback font file read into memory.
const maxFontFile = 64 << 20

// NewFonts returns a font chain whose fallbacks are the files in order
// (typically --font files, then SystemFonts()). The files are not read
// until a character needs them; use CheckFont to validate user files early.
func NewFonts(files ...string) *Fonts {
	pf, err := sfnt.Parse(goregular.TTF)
	if err != nil { // the embedded font is always valid
		panic(err)
	}
	return &Fonts{candidates: files, byRune: map[rune]int{}, missing: map[rune]bool{}, primary: pf}
}

// CheckFont reports whether path is a TrueType font the PDF can embed:
// a TrueType-outline ("glyf") font, not a collection (.ttc) or a
// CFF-based OpenType font, which the PDF writer cannot subset.
func CheckFont(path string) error {
	data, err := readFont(path)
	if err != nil {
		return err
	}
	_, err = parseFont(data)
	return err
}

func readFont(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > maxFontFile {
		return nil, fmt.Errorf("%s: font file larger than %d MiB", path, maxFontFile>>20)
	}
	return os.ReadFile(path)
}

// parseFont parses a TrueType font and checks it has glyf outlines.
func parseFont(data []byte) (*sfnt.Font, error) {
	if len(data) < 12 {
		return nil, errors.New("not a TrueType font")
	}
	switch string(data[:4]) {
	case "ttcf":
		return nil, errors.New("a font collection (.ttc): give one TrueType (.ttf) font")
	case "OTTO":
		return nil, errors.New("an OpenType font with CFF outlines: give a TrueType (.ttf) font")
	case "\x00\x01\x00\x00", "true":
	default:
		return nil, errors.New("not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(data[4:6]))
	glyf := false
	for i := 0; i < n && 12+16*i+16 <= len(data); i++ {
		if string(data[12+16*i:12+16*i+4]) == "glyf" {
			glyf = true
		}
	}
	if !glyf {
		return nil, errors.New("a font without TrueType outlines (no glyf table)")
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("not a usable TrueType font: %v", err)
	}
	return f, nil
}

// fontFor returns the index of the fallback font that draws r, -1 when
// the Go fonts draw it, and false when no font has it.
func (c *Fonts) fontFor(r rune) (int, bool) {
	if r < 0x250 || r == '…' || r == '·' || r == '→' || unicode.IsSpace(r) || unicode.IsControl(r) {
		return -1, true // Latin, punctuation the Go fonts have
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if i, ok := c.byRune[r]; ok {
		return i, i != -2
	}
	if has(c.primary, &c.buf, r) {
		c.byRune[r] = -1
		return -1, true
	}
	for i, fb := range c.loaded {
		if has(fb.font, &c.buf, r) {
			c.byRune[r] = i
			return i, true
		}
	}
	for len(c.candidates) > 0 {
		path := c.candidates[0]
		c.candidates = c.candidates[1:]
		data, err := readFont(path)
		if err != nil {
			continue
		}
		f, err := parseFont(data)
		if err != nil {
			continue
		}
		c.loaded = append(c.loaded, &fallback{path: path, data: data, font: f})
		if has(f, &c.buf, r) {
			c.byRune[r] = len(c.loaded) - 1
			return len(c.loaded) - 1, true
		}
	}
	c.byRune[r] = -2
	c.missing[r] = true
	return -2, false
}

func has(f *sfnt.Font, b *sfnt.Buffer, r rune) bool {
	i, err := f.GlyphIndex(b, r)
	return err == nil && i != 0
}

// MissingRunes returns the characters that no font in the chain covers,
// sorted.
func (c *Fonts) MissingRunes() []rune {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]rune, 0, len(c.missing))
	for r := range c.missing {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// fallbackData returns the file and bytes of fallback font i.
func (c *Fonts) fallbackData(i int) (string, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loaded[i].path, c.loaded[i].data
}

// FontDirs are the usual places of installed fonts, searched by
// SystemFonts: Linux/BSD, macOS and Windows.
var FontDirs = []string{
	"/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
	"/System/Library/Fonts", "/Library/Fonts", "~/Library/Fonts",
	`C:\Windows\Fonts`,
}

// preferred ranks well-known wide-coverage fallback fonts first: Noto Sans
// (per script), DejaVu Sans, then the Droid and WenQuanYi CJK fallbacks,
// Arial Unicode and Microsoft's CJK fonts.
var preferred = []string{
	"notosans-regular", "notosans", "dejavusans.ttf", "droidsansfallbackfull", "droidsansfallback",
	"wqy", "arialuni", "msyh", "msgothic", "malgun", "simsun", "noto",
}

// maxSystemFonts bounds how many installed fonts are considered.
const maxSystemFonts = 2000

// SystemFonts returns the TrueType font files (.ttf) under FontDirs,
// well-known fallback fonts first, then the others by path. Bold, italic
// and other styled faces are left out: fallbacks draw regular text.
func SystemFonts() []string {
	home, _ := os.UserHomeDir()
	var files []string
	for _, dir := range FontDirs {
		if strings.HasPrefix(dir, "~") {
			if home == "" {
				continue
			}
			dir = filepath.Join(home, dir[1:])
		}
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || len(files) >= maxSystemFonts {
				return filepath.SkipDir
			}
			name := strings.ToLower(d.Name())
			if !d.IsDir() && strings.HasSuffix(name, ".ttf") && !styled(name) {
				files = append(files, path)
			}
			return nil
		})
	}
	rank := func(path string) int {
		base := strings.ToLower(filepath.Base(path))
		for i, p := range preferred {
			if strings.HasPrefix(base, p) {
				return i
			}
		}
		return len(preferred)
	}
	sort.SliceStable(files, func(i, j int) bool {
		ri, rj := rank(files[i]), rank(files[j])
		if ri != rj {
			return ri < rj
		}
		return files[i] < files[j]
	})
	return files
}

// styled reports whether a font file name is a bold, italic or other
// non-regular face.
func styled(name string) bool {
	for _, s := range []string{"bold", "italic", "oblique", "light", "thin", "black", "condensed", "mono", "serif", "math"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// run is a stretch of text drawn with one font: font -1 is the current Go
// font, i ≥ 0 fallback i.
type run struct {
	text string
	font int
}

// runs splits s into stretches by the font that draws each character.
// Characters no font has stay in the current font's run (fpdf draws its
// missing-glyph box); they are recorded in the chain's missing set.
func (c *Fonts) runs(s string) []run {
	var out []run
	start, cur := 0, -1
	for i, r := range s {
		f, ok := c.fontFor(r)
		if !ok {
			f = -1
		}
		if f != cur && i > start {
			out = append(out, run{s[start:i], cur})
			start = i
		}
		cur = f
	}
	if start < len(s) {
		out = append(out, run{s[start:], cur})
	}
	return out
}

// describe names the fallback fonts used, for the report's About section.
func (c *Fonts) describe(used map[int]bool) []string {
	var out []string
	for i := range used {
		path, _ := c.fallbackData(i)
		out = append(out, filepath.Base(path))
	}
	sort.Strings(out)
	return out
}

// fontBytes returns a copy of a fallback's data for fpdf, which writes into
// the bytes it is given.
func (c *Fonts) fontBytes(i int) []byte {
	_, data := c.fallbackData(i)
	return bytes.Clone(data)
}

// setFont selects the family, style and size of the text that follows.
func (p *pass) setFont(family, style string, size float64) {
	p.family, p.style, p.size = family, style, size
	p.f.SetFont(family, style, size)
}

// keepFont returns a function that restores the current font choice: the
// page header and footer, drawn in the middle of other content when a page
// breaks, use it (fpdf restores its own font state around them).
func (p *pass) keepFont() func() {
	family, style, size := p.family, p.style, p.size
	return func() { p.family, p.style, p.size = family, style, size }
}

// useRunFont selects the font of a run: the current Go font, or fallback i
// (registered with fpdf on first use; fallbacks have no bold or italic).
func (p *pass) useRunFont(i int) {
	if i < 0 {
		p.f.SetFont(p.family, p.style, p.size)
		return
	}
	name := fmt.Sprintf("fallback%d", i)
	if !p.registered[i] {
		p.f.AddUTF8FontFromBytes(name, "", p.fonts.fontBytes(i))
		p.registered[i] = true
	}
	p.f.SetFont(name, "", p.size)
}

// simple reports whether s is drawn entirely in the Go fonts without
// asking the chain (the common case: Latin text).
func simple(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// textWidth returns the width of s in the current font, each character
// measured in the font that draws it.
func (p *pass) textWidth(s string) float64 {
	if simple(s) {
		return p.f.GetStringWidth(s)
	}
	rs := p.fonts.runs(s)
	if len(rs) == 1 && rs[0].font < 0 {
		return p.f.GetStringWidth(s)
	}
	w := 0.0
	for _, r := range rs {
		p.useRunFont(r.font)
		w += p.f.GetStringWidth(r.text)
	}
	p.useRunFont(-1)
	return w
}

// text draws s with its baseline starting at (x, y), each character in the
// font that draws it.
func (p *pass) text(x, y float64, s string) {
	if simple(s) {
		p.f.Text(x, y, s)
		return
	}
	rs := p.fonts.runs(s)
	if len(rs) == 1 && rs[0].font < 0 {
		p.f.Text(x, y, s)
		return
	}
	for _, r := range rs {
		p.useRunFont(r.font)
		p.f.Text(x, y, r.text)
		if r.font >= 0 {
			p.used[r.font] = true
		}
		x += p.f.GetStringWidth(r.text)
	}
	p.useRunFont(-1)
}

// FontNote adds a paragraph that says which fonts print the text and lists
// the characters no font covers (by code point: they cannot be printed),
// so a missing glyph is never a silent box. It belongs in the document's
// "About" section, after the content whose characters it reports.
func (d *Document) FontNote() {
	d.add(func(p *pass) { p.paragraph(p.fontNote()) }, func(*pass) (float64, bool) { return 2 * lineHeight, false })
}

func (p *pass) fontNote() string {
	used := map[int]bool{}
	for i := range p.prevUsed {
		used[i] = true
	}
	for i := range p.used {
		used[i] = true
	}
	s := "Text is set in the Go fonts, embedded in this file."
	if names := p.fonts.describe(used); len(names) > 0 {
		s += " Characters they lack are drawn with " + strings.Join(names, ", ") + " (embedded subsets)."
	}
	if miss := p.fonts.MissingRunes(); len(miss) > 0 {
		s += fmt.Sprintf(" No available font covers %s: %s. They print as empty boxes; rerun with --font FILE.ttf naming a TrueType font that covers them.", plural(len(miss), "character"), CodePoints(miss, 40))
	}
	return s
}

// CodePoints lists runes as "U+4E2D" codes, at most max of them.
func CodePoints(rs []rune, max int) string {
	var parts []string
	for i, r := range rs {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-max))
			break
		}
		parts = append(parts, fmt.Sprintf("U+%04X", r))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
