package pdf

import (
	"reflect"
	"strings"
	"testing"

	"github.com/coexist/coexist/render/layout"
)

// testPass returns a pass with the body font selected, for measuring.
func testPass(t *testing.T) *pass {
	t.Helper()
	p := newPass(Meta{}, NewFonts(), nil)
	p.newPage()
	p.f.SetFont(sans, "", 10)
	return p
}

func TestWrap(t *testing.T) {
	p := testPass(t)
	tests := map[string]struct {
		text  string
		width float64
		want  []string
	}{
		"empty":             {"", 100, []string{""}},
		"fits":              {"short text", 200, []string{"short text"}},
		"wraps at spaces":   {"one two three four", 60, []string{"one two", "three four"}},
		"collapses spaces":  {"a   b\tc", 200, []string{"a b c"}},
		"newline":           {"first\nsecond", 200, []string{"first", "second"}},
		"blank line kept":   {"first\n\nsecond", 200, []string{"first", "", "second"}},
		"trailing newlines": {"first\n\n", 200, []string{"first"}},
		"long word breaks":  {"abcdefghijklmnopqrstuvwxyz", 40, []string{"abcdefg", "hijklmno", "pqrstuv", "wxyz"}},
		"unicode":           {"Zoë Ångström", 200, []string{"Zoë Ångström"}},
		"narrower than one": {"xy", 1, []string{"x", "y"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := p.wrap(tt.text, tt.width)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wrap(%q, %g) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
			for _, l := range got {
				if w := p.f.GetStringWidth(l); w > tt.width && len([]rune(l)) > 1 {
					t.Errorf("line %q is %g wide, want at most %g", l, w, tt.width)
				}
			}
		})
	}
}

func TestFit(t *testing.T) {
	p := testPass(t)
	if got := p.fit("short", 100); got != "short" {
		t.Errorf("fit kept %q, want it unchanged", got)
	}
	got := p.fit("a rather long heading that does not fit", 80)
	if !strings.HasSuffix(got, "…") || p.f.GetStringWidth(got) > 80 {
		t.Errorf("fit = %q (%g wide), want at most 80 wide ending in an ellipsis", got, p.f.GetStringWidth(got))
	}
}

func TestClean(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"plain":          {"Zoë Ångström", "Zoë Ångström"},
		"tab":            {"a\tb", "a b"},
		"cr":             {"a\r\nb", "a\nb"},
		"control":        {"a\x00b\x07c", "abc"},
		"outside BMP":    {"ok 😀", "ok \uFFFD"},
		"newline stays":  {"a\nb", "a\nb"},
		"cyrillic, cjk":  {"Кириллица 東京", "Кириллица 東京"},
		"replacement ok": {"\uFFFD", "\uFFFD"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := clean(tt.in); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTOCPlan(t *testing.T) {
	const pageH = 841.89
	entries := func(n int) []tocEntry {
		var es []tocEntry
		for i := range n {
			es = append(es, tocEntry{level: 1 + i%3, text: "x", page: i})
		}
		return es
	}
	tests := map[string]struct {
		n         int
		wantPages int
	}{
		"none":        {0, 1},
		"few":         {5, 1},
		"one page":    {35, 1},
		"two pages":   {60, 2},
		"three pages": {100, 3},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			slots, pages := tocPlan(entries(tt.n), pageH)
			if pages != tt.wantPages {
				t.Errorf("tocPlan(%d entries) needs %d pages, want %d", tt.n, pages, tt.wantPages)
			}
			for i, s := range slots {
				if s.y < contentTop || s.y+18 > pageH-contentBottom {
					t.Errorf("entry %d at y=%g, outside the content area", i, s.y)
				}
				if i > 0 && (s.page < slots[i-1].page || s.page == slots[i-1].page && s.y <= slots[i-1].y) {
					t.Errorf("entry %d at page %d y=%g is not after entry %d", i, s.page, s.y, i-1)
				}
			}
		})
	}
}

func TestColumnWidths(t *testing.T) {
	p := testPass(t)
	total := p.width()
	tests := map[string]struct {
		table Table
		check func(t *testing.T, w []float64)
	}{
		"weights": {
			Table{Columns: []Column{{Width: 1}, {Width: 3}}},
			func(t *testing.T, w []float64) {
				if !near(w[0], total/4) || !near(w[1], total*3/4) {
					t.Errorf("got %v, want 1:3 of %g", w, total)
				}
			},
		},
		"zero weight counts as one": {
			Table{Columns: []Column{{}, {Width: -2}}},
			func(t *testing.T, w []float64) {
				if !near(w[0], w[1]) {
					t.Errorf("got %v, want equal widths", w)
				}
			},
		},
		"narrow column widened for its longest word": {
			Table{Columns: []Column{{Title: "#", Width: 0.1}, {Title: "Text", Width: 10}}, Rows: [][]Cell{{{Text: "12345"}, {Text: "x"}}}},
			func(t *testing.T, w []float64) {
				p.f.SetFont(sans, "", tableSize)
				if need := p.f.GetStringWidth("12345") + 2*tablePadX; w[0] < need {
					t.Errorf("first column %g wide, want at least %g for its number", w[0], need)
				}
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			w := p.columnWidths(tt.table)
			sum := 0.0
			for _, x := range w {
				sum += x
			}
			if !near(sum, total) {
				t.Errorf("widths %v sum to %g, want the page width %g", w, sum, total)
			}
			tt.check(t, w)
		})
	}
}

func near(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 }

func TestPaintStyle(t *testing.T) {
	black, none := layout.Black, layout.Color{}
	tests := map[string]struct {
		op   layout.Op
		want string
	}{
		"outline":            {layout.Op{Kind: layout.Polygon, Color: black, LineWidth: 1}, "D"},
		"filled and outline": {layout.Op{Kind: layout.Polygon, Filled: true, Color: black, FillColor: black, LineWidth: 1}, "FD"},
		"fill only":          {layout.Op{Kind: layout.Ellipse, Filled: true, Color: none, FillColor: black, LineWidth: 1}, "F"},
		"invisible":          {layout.Op{Kind: layout.Bezier, Color: none, LineWidth: 1}, ""},
		"zero width":         {layout.Op{Kind: layout.Polyline, Color: black}, ""},
		"polyline not fill":  {layout.Op{Kind: layout.Polyline, Filled: true, Color: black, FillColor: black, LineWidth: 1}, "D"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := paintStyle(tt.op); got != tt.want {
				t.Errorf("paintStyle = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCalloutStyle(t *testing.T) {
	tests := map[string]string{"error": "Blocker", "warning": "Warning", "ok": "OK", "info": "Note", "other": "Note", "WARNING": "Warning"}
	for kind, want := range tests {
		if _, _, got := calloutStyle(kind); got != want {
			t.Errorf("calloutStyle(%q) label = %q, want %q", kind, got, want)
		}
	}
}

func TestWrapCode(t *testing.T) {
	p := testPass(t)
	p.setFont(mono, "", 10) // 6 pt a character
	tests := map[string]struct {
		text  string
		width float64
		want  []string
	}{
		"indentation kept":       {"if ($x) {\n    y\n}", 200, []string{"if ($x) {", "    y", "}"}},
		"blank line kept":        {"a\n\nb", 200, []string{"a", "", "b"}},
		"breaks after a space":   {`Set-Item -Path HKLM:\x -Value 1`, 120, []string{"Set-Item -Path", `    HKLM:\x -Value 1`}},
		"breaks inside a word":   {"abcdefghijklmnopqrstuvwxyz", 60, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
		"spaces are not doubled": {"a  b", 200, []string{"a  b"}},
		"narrower than one":      {"xy", 1, []string{"x", "y"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := p.wrapCode(tt.text, tt.width)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wrapCode(%q, %g) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}
