package pdf

import (
	"fmt"
	"math"
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
	const c = contMark
	tests := map[string]struct {
		text  string
		width float64
		path  bool
		want  []string
	}{
		"indentation kept":       {"if ($x) {\n    y\n}", 200, false, []string{"if ($x) {", "    y", "}"}},
		"blank line kept":        {"a\n\nb", 200, false, []string{"a", "", "b"}},
		"breaks after a space":   {`Set-Item -Path HKLM:\x -Value 1`, 120, false, []string{"Set-Item -Path", c + `    HKLM:\x -Value 1`}},
		"breaks inside a word":   {"abcdefghijklmnopqrstuvwxyz", 120, false, []string{"abcdefghijklmnopqrst", c + "    uvwxyz"}},
		"narrow: no indent":      {"abcdefghijklmnopqrstuvwxyz", 60, false, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
		"spaces are not doubled": {"a  b", 200, false, []string{"a  b"}},
		"narrower than one":      {"xy", 1, false, []string{"x", "y"}},
		// A continuation is deeper than the line it continues, however
		// deep that is.
		"continuation deeper than nesting": {"        Get-ChildItem -LiteralPath $path -Filter x", 240, false,
			[]string{"        Get-ChildItem -LiteralPath $path", c + "            -Filter x"}},
		// A quoted registry path breaks after a backslash, not inside a
		// name nor at the space of "TLS 1.2".
		"quoted path breaks after a backslash": {`New-Item -Path 'HKLM:\SYSTEM\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Force`, 300, false,
			[]string{`New-Item -Path 'HKLM:\SYSTEM\SecurityProviders\`, c + `    SCHANNEL\Protocols\TLS 1.2\Client' -Force`}},
		// A registry key in a table cell: its spaces belong to the name.
		"path cell breaks after a backslash": {`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client`, 300, true,
			[]string{`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\`, c + `    Control\SecurityProviders\SCHANNEL\Protocols\`, c + `    TLS 1.2\Client`}},
		// No scrap such as a closing brace is left alone on a line.
		"no scrap on the last line": {"if ($x) { New-Item -Path 'C:\\temp' -Force }", 252, false,
			[]string{"if ($x) { New-Item -Path 'C:\\temp'", c + "    -Force }"}},
		// A separator is never a piece alone, and a word cut as a last
		// resort leaves more than a scrap.
		"no separator alone": {"Setup.exe /Mode:Install /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", 240, false,
			[]string{"Setup.exe /Mode:Install", c + "    /IAcceptExchangeServerLicenseTerms_D", c + "    iagnosticDataOFF"}},
		"word cut leaves more than a scrap": {"abcdefghijklmnopqrstuvwxyz0", 156, false,
			[]string{"abcdefghijklmnopqrstuvw", c + "    xyz0"}},
		// A command commented out continues inside the comment, deeper
		// and marked, and keeps its quoted path whole.
		"commented-out command": {`#   New-Item -Path 'HKLM:\SOFTWARE\Internet Settings\WinHttp' -Force`, 300, false,
			[]string{`#   New-Item -Path`, c + `#       'HKLM:\SOFTWARE\Internet Settings\WinHttp'`, c + `#       -Force`}},
		// A comment continues as a comment at its own indentation; an
		// apostrophe in it opens no string.
		"comment continues as a comment": {"    # Count the TLS protocols in each server's SMTP protocol logs of the last days", 300, false,
			[]string{"    # Count the TLS protocols in each server's", "    # SMTP protocol logs of the last days"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := p.wrapCode(tt.text, tt.width, tt.path)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wrapCode(%q, %g) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

// TestWrapCodeCopiesBack wraps real remediation lines at many widths and
// checks what a reader relies on: every line fits; a continuation is
// indented deeper than the line it continues and is marked, or, for a
// comment, is itself a comment at the same indentation; a line breaks
// inside a word only when the piece it ends holds no space or separator;
// and the pieces are the original line in order, losing only the spaces
// at the breaks.
func TestWrapCodeCopiesBack(t *testing.T) {
	p := testPass(t)
	p.setFont(mono, "", monoSize)
	lines := []string{
		`New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 0x0 -Force | Out-Null`,
		`    if (-not (Test-Path -LiteralPath 'HKLM:\SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727')) { New-Item -Path 'HKLM:\SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727' -Force | Out-Null }`,
		`# Protocol logging must be on for the Receive and Send connectors. Exchange 2016 also shows the negotiated TLS version in`,
		`        # message headers, except for authenticated client submission (SMTP AUTH), whose headers do not show the client's TLS version.`,
		`            Get-ChildItem -LiteralPath $path -Filter '*.log' | Where-Object { $_.LastWriteTime -ge $since } | Select-String -Pattern 'SP_PROT_TLS1_[0-3]_(SERVER|CLIENT)' -AllMatches`,
		`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client`,
		`#   New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp' -Name 'DefaultSecureProtocols' -PropertyType DWord -Value 0xA00 -Force | Out-Null`,
	}
	for _, line := range lines {
		body := strings.TrimLeft(line, " ")
		indent := len(line) - len(body)
		comment := strings.HasPrefix(body, "#")
		commented := strings.HasPrefix(body, "#  ") // a command commented out
		for w := 150.0; w <= 520; w += 7 {
			got := p.wrapCode(line, w, strings.HasPrefix(line, "HKEY"))
			pos := 0 // where the next piece starts in line
			for i, l := range got {
				where := fmt.Sprintf("width %g, line %d of %q", w, i+1, got)
				text, cont := strings.CutPrefix(l, contMark)
				if p.textWidth(text) > w {
					t.Errorf("%s: wider than the column", where)
				}
				piece := text
				if i == 0 {
					if cont {
						t.Errorf("%s: the first line is marked as a continuation", where)
					}
				} else {
					lead := len(text) - len(strings.TrimLeft(text, " "))
					piece = text[lead:]
					switch {
					case commented:
						inner := len(body) - len(strings.TrimLeft(body[1:], " "))
						if !cont || lead != indent || !strings.HasPrefix(piece, "#") || len(piece)-len(strings.TrimLeft(piece[1:], " ")) <= inner {
							t.Errorf("%s: a commented-out command's continuation is not a marked, deeper line of the comment", where)
						}
						piece = strings.TrimLeft(piece[1:], " ")
					case comment:
						if cont || lead != indent || !strings.HasPrefix(piece, "# ") {
							t.Errorf("%s: a comment's continuation is not a comment at indentation %d", where, indent)
						}
						piece = strings.TrimPrefix(piece, "# ")
					case !cont:
						t.Errorf("%s: a continuation is not marked", where)
					case lead <= indent && p.textWidth(strings.Repeat(" ", indent)+codeIndent)*3 <= w:
						// (A column too narrow for that gives up the indentation.)
						t.Errorf("%s: a continuation is not deeper than indentation %d", where, indent)
					}
					for pos < len(line) && line[pos] == ' ' {
						pos++
					}
				}
				if !strings.HasPrefix(line[pos:], piece) {
					t.Fatalf("%s: %q is not the next piece of %q", where, piece, line[pos:])
				}
				pos += len(piece)
				if pos < len(line) && line[pos] != ' ' && !strings.ContainsRune(codeSeps, rune(line[pos-1])) {
					// Broken inside a word: only when nothing else fits.
					if inner := strings.TrimLeft(strings.TrimPrefix(strings.TrimLeft(piece, " "), "#"), " "); strings.ContainsAny(inner, " "+codeSeps) {
						t.Errorf("%s: broken inside a word though %q has a space or separator", where, inner)
					}
				}
			}
			if pos != len(line) {
				t.Errorf("width %g: the pieces %q lose the end of %q", w, got, line)
			}
		}
	}
}

// TestDiagramTextNotShrunkBelowMin: a label that Graphviz measured
// narrower than the Go fonts set it is shrunk to its measured width, but
// never below MinTextSize when its scaled size is at least that (the
// report's flow diagrams printed 6.2 pt labels at 5.7 pt); smaller text
// and larger text still shrink.
func TestDiagramTextNotShrunkBelowMin(t *testing.T) {
	p := testPass(t)
	pt := func(q layout.Point) (float64, float64) { return 100 + q.X, 100 + q.Y }
	p.setFont(sans, "", 9)
	natural := p.textWidth("MBX2016-1 · Exchange 2016") // at 9 pt
	for name, tc := range map[string]struct {
		size, scale, measured float64 // measured: Graphviz's width as a share of the Go fonts'
		want                  float64
	}{
		"legible, 5% narrower":    {9, 6.2 / 9, 0.95, MinTextSize},
		"legible, fits":           {9, 6.2 / 9, 1.1, 6.2},
		"large, 10% narrower":     {9, 1, 0.9, 8.1},
		"already small, narrower": {9, 5 / 9.0, 0.9, 4.5},
	} {
		t.Run(name, func(t *testing.T) {
			op := layout.Op{Kind: layout.Text, Text: "MBX2016-1 · Exchange 2016", FontSize: tc.size, Color: layout.RGB(0, 0, 0),
				TextWidth: natural * tc.measured, Points: []layout.Point{{X: 10, Y: 10}}}
			p.paintText(op, pt, tc.scale)
			if math.Abs(p.size-tc.want) > 0.01 {
				t.Errorf("printed at %.2f pt, want %.2f", p.size, tc.want)
			}
		})
	}
}
