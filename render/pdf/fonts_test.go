package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// scripts are names in the scripts a multinational customer's inventory
// holds: accented Latin, Greek, Cyrillic, CJK (Chinese, Japanese kana,
// Korean).
var scripts = map[string]string{
	"accented Latin": "Zürich Ærøskøbing Łódź Çağlar",
	"Greek":          "Σωκράτης Παπαδόπουλος",
	"Cyrillic":       "Иван Петров Київ",
	"CJK":            "田中太郎 東京本社 すずき 김민준", // Hangul is not in every CJK font
}

// glyphOf reports whether the font data has a glyph for r.
func glyphOf(t *testing.T, data []byte, r rune) bool {
	t.Helper()
	f, err := sfnt.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	var b sfnt.Buffer
	i, err := f.GlyphIndex(&b, r)
	return err == nil && i != 0
}

// writeNames renders a document holding every name with the chain and
// returns the PDF.
func writeNames(t *testing.T, fonts *Fonts) []byte {
	t.Helper()
	d := New(Meta{Title: "Glyphs"})
	d.SetFonts(fonts)
	d.Heading(1, "Names")
	for _, name := range []string{"accented Latin", "Greek", "Cyrillic", "CJK"} {
		d.Paragraph(scripts[name])
	}
	d.Table(Table{Columns: []Column{{Title: "Name", Width: 1}}, Rows: [][]Cell{{{Text: scripts["CJK"]}}, {{Text: scripts["Greek"]}}}})
	d.FontNote()
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGlyphCoverage checks, character by character, that every name is
// drawn with a font that has its glyph: the Go fonts for Latin, Greek and
// Cyrillic, a fallback for CJK; and that with no fallback the CJK
// characters are reported, never drawn silently as boxes.
func TestGlyphCoverage(t *testing.T) {
	for _, name := range []string{"accented Latin", "Greek", "Cyrillic"} {
		for _, r := range scripts[name] {
			if r != ' ' && !glyphOf(t, goregular.TTF, r) {
				t.Errorf("%s: the embedded Go font lacks %q (U+%04X)", name, r, r)
			}
		}
	}

	t.Run("no fallback", func(t *testing.T) {
		fonts := NewFonts()
		pdf := writeNames(t, fonts)
		miss := fonts.MissingRunes()
		for _, r := range scripts["CJK"] {
			if r == ' ' {
				continue
			}
			found := false
			for _, m := range miss {
				found = found || m == r
			}
			if !found {
				t.Errorf("U+%04X %q: not reported missing", r, r)
			}
		}
		for _, r := range scripts["Greek"] + scripts["Cyrillic"] + scripts["accented Latin"] {
			for _, m := range miss {
				if m == r {
					t.Errorf("U+%04X %q reported missing, but the Go fonts have it", r, r)
				}
			}
		}
		if !bytes.Contains(pdf, []byte("%PDF")) {
			t.Error("no PDF written")
		}
	})

	t.Run("system fallback", func(t *testing.T) {
		// Whatever fonts this machine has: every character is drawn by a
		// font that has its glyph, or reported missing.
		fonts := NewFonts(SystemFonts()...)
		writeNames(t, fonts)
		missing := map[rune]bool{}
		for _, r := range fonts.MissingRunes() {
			missing[r] = true
		}
		for _, name := range []string{"CJK", "Greek", "Cyrillic", "accented Latin"} {
			for _, r := range scripts[name] {
				i, ok := fonts.fontFor(r)
				switch {
				case !ok:
					if !missing[r] {
						t.Errorf("U+%04X: no font, and not reported missing", r)
					}
				case i < 0 && r != ' ' && !glyphOf(t, goregular.TTF, r):
					t.Errorf("U+%04X drawn with the Go font, which lacks it", r)
				case i >= 0:
					if _, data := fonts.fallbackData(i); !glyphOf(t, data, r) {
						t.Errorf("U+%04X drawn with a fallback that lacks it", r)
					}
				}
			}
		}
		if cjkFont(t) != "" {
			for _, r := range "田中太郎東京本社すずき" {
				if missing[r] {
					t.Errorf("U+%04X reported missing though %s covers it", r, cjkFont(t))
				}
			}
		}
	})
}

// cjkFont returns an installed TrueType font with Chinese and Japanese
// glyphs, or "".
func cjkFont(t *testing.T) string {
	for _, f := range SystemFonts() {
		if data, err := os.ReadFile(f); err == nil && parseErr(data) == nil && glyphOf(t, data, '田') && glyphOf(t, data, 'す') {
			return f
		}
	}
	return ""
}

func parseErr(data []byte) error {
	_, err := parseFont(data)
	return err
}

// TestFallbackEmbedded checks the fallback font is embedded in the PDF
// when used, with the text in the text layer, and that the document
// names it in its font note.
func TestFallbackEmbedded(t *testing.T) {
	cjk := cjkFont(t)
	if cjk == "" {
		t.Skip("no TrueType CJK font installed (Debian: fonts-droid-fallback)")
	}
	fonts := NewFonts(cjk)
	out := writeNames(t, fonts)
	if !bytes.Contains(out, []byte("/FontFile2")) || bytes.Count(out, []byte("/Type /FontDescriptor")) < 2 {
		t.Error("no embedded fallback font in the PDF")
	}
	if txt := pdfText(t, out); txt != "" {
		for _, want := range []string{"田中太郎", filepath.Base(cjk)} {
			if !strings.Contains(txt, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	}
	if !bytes.Equal(out, writeNames(t, NewFonts(cjk))) {
		t.Error("two renderings with the same fonts differ")
	}
}

func TestCheckFont(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := map[string]struct {
		data []byte
		want string
	}{
		"go.ttf":      {goregular.TTF, ""},
		"fake.ttc":    {append([]byte("ttcf"), make([]byte, 20)...), "font collection"},
		"fake.otf":    {append([]byte("OTTO"), make([]byte, 20)...), "CFF outlines"},
		"garbage.ttf": {[]byte("hello, this is not a font"), "not a TrueType font"},
		"empty.ttf":   {nil, "not a TrueType font"},
	}
	for name, tc := range tests {
		err := CheckFont(write(name, tc.data))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want an error with %q", name, err, tc.want)
		}
	}
	if err := CheckFont(dir); err == nil {
		t.Error("a directory passed as a font")
	}
}

// pdfText returns the PDF's text by pdftotext, or "" when it is not
// installed (.ci/run installs it).
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return ""
	}
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
