package pdf

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/coexist/coexist/render/layout"
)

var testDate = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

const unicodeLine = "Zoë Ångström – Łódź, Škoda, Ελληνικά, Кириллица"

// sample builds a document that uses every block.
func sample(rows int) *Document {
	d := New(Meta{Title: "Contoso coexistence design", Subject: "Exchange migration design report", Author: "Fabrikam Consulting", Creator: "coexist test", Date: testDate})
	d.Cover("Contoso coexistence design", "Exchange 2016 to Exchange Server SE", []string{"Organisation: Contoso Ltd", "Inventory digest: sha256:0123abcd", "A line without a key"})
	d.Contents()
	d.Heading(1, "Executive summary")
	d.Paragraph("The organisation can move to Exchange Server SE once the blockers below are resolved.")
	d.Paragraph(unicodeLine)
	d.Callout("error", "Blocker: Exchange 2013 present", "AMS-EX03 runs Exchange 2013 and must be removed first.")
	d.Callout("ok", "", "Namespaces are consistent.")
	d.Heading(2, "Übersicht für Zoë")
	d.KeyValues([][2]string{{"Forest", "corp.contoso.com"}, {"Target", "Exchange Server SE"}})
	d.Heading(1, "Topology")
	d.Diagram(testDrawing(300, 200), "Sites and servers")
	d.Heading(1, "Server inventory")
	t := Table{Columns: []Column{{Title: "No.", Width: 0.5, Align: AlignRight}, {Title: "Server", Width: 2}, {Title: "Version", Width: 3}}}
	for i := range rows {
		t.Rows = append(t.Rows, []Cell{{Text: strconv.Itoa(i + 1)}, {Text: fmt.Sprintf("SRV-%03d", i+1), Bold: true}, {Text: "Exchange 2019 CU14"}})
	}
	d.Table(t)
	d.Heading(2, "After the table")
	d.Paragraph("The end.")
	return d
}

// testDrawing is a box, an ellipse, an arrow and labels, as Graphviz would
// lay them out.
func testDrawing(w, h float64) layout.Drawing {
	black, fill := layout.Black, layout.ParseColor("#d4edda")
	return layout.Drawing{Width: w, Height: h, Ops: []layout.Op{
		{Kind: layout.Polygon, Points: []layout.Point{pt(0, 0), pt(w, 0), pt(w, h), pt(0, h)}, Filled: true, FillColor: layout.RGB(255, 255, 255), LineWidth: 1},
		{Kind: layout.Bezier, Points: []layout.Point{pt(10, 10), pt(10, 10), pt(110, 10), pt(110, 10), pt(110, 10), pt(110, 50), pt(110, 50), pt(110, 50), pt(10, 50), pt(10, 50), pt(10, 50), pt(10, 10), pt(10, 10)}, Filled: true, Color: black, FillColor: fill, LineWidth: 1},
		{Kind: layout.Ellipse, Points: []layout.Point{pt(w-60, h-40)}, RX: 50, RY: 20, Color: black, LineWidth: 1},
		{Kind: layout.Bezier, Points: []layout.Point{pt(60, 50), pt(80, 100), pt(150, 150), pt(w-115, h-42)}, Color: layout.RGB(255, 0, 0), LineWidth: 1, Style: layout.Dashed},
		{Kind: layout.Polygon, Points: []layout.Point{pt(w-115, h-47), pt(w-110, h-40), pt(w-118, h-38)}, Filled: true, Color: black, FillColor: black, LineWidth: 1},
		{Kind: layout.Polyline, Points: []layout.Point{pt(10, h-10), pt(w-10, h-10)}, Color: black, LineWidth: 0.5, Style: layout.Dotted},
		{Kind: layout.Text, Points: []layout.Point{pt(60, 34)}, Text: "EX01", Align: layout.AlignCenter, TextWidth: 24, FontSize: 10, FontName: "Helvetica", Color: black},
		{Kind: layout.Text, Points: []layout.Point{pt(w-60, h-37)}, Text: "Load balancer", Align: layout.AlignCenter, TextWidth: 60, FontSize: 10, FontName: "Helvetica", Color: black},
		{Kind: layout.Text, Points: []layout.Point{pt(120, 110)}, Text: "broken", Align: layout.AlignLeft, TextWidth: 30, FontSize: 9, FontName: "Courier", Bold: true, Color: layout.RGB(255, 0, 0)},
	}}
}

func pt(x, y float64) layout.Point { return layout.Point{X: x, Y: y} }

func write(t *testing.T, d *Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output does not start with %%PDF-: %q", buf.Bytes()[:min(buf.Len(), 16)])
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a := write(t, sample(60))
	b := write(t, sample(60))
	if !bytes.Equal(a, b) {
		t.Error("two documents with the same content differ")
	}
	d := sample(60)
	if c, e := write(t, d), write(t, d); !bytes.Equal(c, e) || !bytes.Equal(a, c) {
		t.Error("writing one document twice gives different bytes")
	}
	if !bytes.Contains(a, []byte("D:20250314093000")) {
		t.Error("creation date is not the pinned Meta.Date")
	}
}

// fpdf writes into the font bytes it is given; the shared gofont
// variables must come out of Write unchanged.
func TestFontsUntouched(t *testing.T) {
	fonts := map[string][]byte{"regular": goregular.TTF, "bold": gobold.TTF, "italic": goitalic.TTF, "bolditalic": gobolditalic.TTF, "mono": gomono.TTF, "monobold": gomonobold.TTF}
	before := map[string][32]byte{}
	for name, b := range fonts {
		before[name] = sha256.Sum256(b)
	}
	write(t, sample(5))
	for name, b := range fonts {
		if sha256.Sum256(b) != before[name] {
			t.Errorf("gofont %s changed during Write", name)
		}
	}
}

func TestZeroDateIsPinned(t *testing.T) {
	d := New(Meta{Title: "T"})
	d.Paragraph("x")
	out := write(t, d)
	if !bytes.Contains(out, []byte("/CreationDate (D:19700101000000)")) {
		t.Error("zero Meta.Date is not written as 1970-01-01")
	}
}

func TestEmptyDocument(t *testing.T) {
	out := write(t, New(Meta{}))
	if got := pageCount(t, out); got != 1 {
		t.Errorf("got %d pages, want 1", got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	d := New(Meta{})
	d.Paragraph("x")
	if err := d.Write(failWriter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write to a failing writer: got %v, want the writer's error", err)
	}
}

func TestOutlines(t *testing.T) {
	out := write(t, sample(10))
	if !bytes.Contains(out, []byte("/Outlines")) {
		t.Error("no /Outlines in the PDF")
	}
	for _, title := range []string{"Contents", "Executive summary", "Übersicht für Zoë", "Topology", "Server inventory", "After the table"} {
		if !bytes.Contains(out, pdfTextString(title)) {
			t.Errorf("no bookmark %q (as UTF-16BE)", title)
		}
	}
	if n := bytes.Count(out, []byte("/Subtype /Link")); n != 5 {
		t.Errorf("got %d link annotations, want one per contents line (5)", n)
	}
}

// pdfTextString encodes s as fpdf writes a UTF-8 font's text string: UTF-16BE
// with a byte order mark, with PDF string escapes.
func pdfTextString(s string) []byte {
	b := []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", `\r`)
	return []byte("(" + r.Replace(string(b)) + ")")
}

// The tests below read the PDF back with poppler-utils.

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (Debian package poppler-utils); skipping the read-back test", name)
	}
}

func writeFile(t *testing.T, data []byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "test.pdf")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func pageCount(t *testing.T, data []byte) int {
	t.Helper()
	needTool(t, "pdfinfo")
	out, err := exec.Command("pdfinfo", writeFile(t, data)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pageTexts returns the text of each page, laid out as on the page.
func pageTexts(t *testing.T, data []byte) []string {
	t.Helper()
	needTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-layout", writeFile(t, data), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

func TestPageCount(t *testing.T) {
	d := New(Meta{Title: "T", Date: testDate})
	d.Cover("Title", "Subtitle", nil)
	d.Contents()
	d.Heading(1, "One")
	d.Paragraph("first")
	d.Heading(1, "Two")
	d.Paragraph("second")
	if got := pageCount(t, write(t, d)); got != 4 {
		t.Errorf("got %d pages, want 4 (cover, contents, two chapters)", got)
	}
}

func TestReadBack(t *testing.T) {
	data := write(t, sample(150))
	n := pageCount(t, data)
	pages := pageTexts(t, data)
	if len(pages) != n {
		t.Fatalf("pdftotext gave %d pages, pdfinfo %d", len(pages), n)
	}
	all := strings.Join(pages, "\n")

	t.Run("cover", func(t *testing.T) {
		for _, want := range []string{"Contoso coexistence design", "Exchange 2016 to Exchange Server SE", "Contoso Ltd", "sha256:0123abcd", "A line without a key", "Fabrikam Consulting", "14 March 2025", "Generated by coexist test"} {
			if !strings.Contains(pages[0], want) {
				t.Errorf("cover lacks %q", want)
			}
		}
		if strings.Contains(pages[0], "Page 1") {
			t.Error("cover has a page footer")
		}
	})

	t.Run("footers", func(t *testing.T) {
		for i := 1; i < n; i++ {
			want := fmt.Sprintf("Page %d of %d", i+1, n)
			if !strings.Contains(pages[i], want) {
				t.Errorf("page %d lacks footer %q", i+1, want)
			}
			if !strings.Contains(pages[i], "Contoso coexistence design") {
				t.Errorf("page %d footer lacks the title", i+1)
			}
		}
	})

	t.Run("unicode", func(t *testing.T) {
		if !strings.Contains(all, unicodeLine) {
			t.Errorf("text lacks %q", unicodeLine)
		}
	})

	t.Run("contents", func(t *testing.T) {
		checkContents(t, pages, pages[1:2], []string{"Executive summary", "Übersicht für Zoë", "Topology", "Server inventory", "After the table"})
	})

	t.Run("table spans pages and repeats its header", func(t *testing.T) {
		rowPage := regexp.MustCompile(`SRV-(\d{3})`)
		var tablePages []int
		first, last := -1, -1
		for i, p := range pages {
			ms := rowPage.FindAllStringSubmatch(p, -1)
			if len(ms) == 0 {
				continue
			}
			tablePages = append(tablePages, i+1)
			if !regexp.MustCompile(`No\.\s+Server\s+Version`).MatchString(p) {
				t.Errorf("page %d has table rows but no header row", i+1)
			}
			if strings.Contains(p, "SRV-001") {
				first = i + 1
			}
			if strings.Contains(p, "SRV-150") {
				last = i + 1
			}
		}
		if len(tablePages) < 3 {
			t.Errorf("150 rows on pages %v, want at least 3 pages", tablePages)
		}
		if first < 0 || last <= first {
			t.Errorf("first row on page %d, last on page %d; want the last on a later page", first, last)
		}
		// Every row is there exactly once.
		seen := map[string]int{}
		for _, m := range rowPage.FindAllString(all, -1) {
			seen[m]++
		}
		for i := 1; i <= 150; i++ {
			if k := fmt.Sprintf("SRV-%03d", i); seen[k] != 1 {
				t.Errorf("%s appears %d times, want 1", k, seen[k])
			}
		}
	})

	t.Run("diagram text", func(t *testing.T) {
		for _, want := range []string{"EX01", "Load balancer", "broken", "Figure 1. Sites and servers"} {
			if !strings.Contains(all, want) {
				t.Errorf("diagram page lacks %q", want)
			}
		}
	})
}

// checkContents checks that the contents pages list each heading with the
// number of a page that holds it.
func checkContents(t *testing.T, pages, toc []string, headings []string) {
	t.Helper()
	line := regexp.MustCompile(`(?m)^\s*(\S.*?)\s{2,}(\d+)\s*$`)
	got := map[string]int{}
	for _, page := range toc {
		for _, m := range line.FindAllStringSubmatch(page, -1) {
			p, _ := strconv.Atoi(m[2])
			got[strings.TrimSpace(m[1])] = p
		}
	}
	for _, h := range headings {
		p, ok := got[h]
		if !ok {
			t.Errorf("contents lack %q", h)
			continue
		}
		if p < 1 || p > len(pages) || !strings.Contains(pages[p-1], h) {
			t.Errorf("contents put %q on page %d, but it is not there", h, p)
		}
	}
}

// TestLongContents has contents that need more than one page, so the
// pages after them move.
func TestLongContents(t *testing.T) {
	d := New(Meta{Title: "Long", Date: testDate})
	d.Cover("Long", "", nil)
	d.Contents()
	var headings []string
	for i := range 12 {
		h := fmt.Sprintf("Chapter %d", i+1)
		headings = append(headings, h)
		d.Heading(1, h)
		for j := range 6 {
			s := fmt.Sprintf("Section %d.%d", i+1, j+1)
			headings = append(headings, s)
			d.Heading(2, s)
			d.Paragraph(strings.Repeat("Words to fill the page. ", 60))
		}
	}
	data := write(t, d)
	pages := pageTexts(t, data)
	if len(pages) != pageCount(t, data) {
		t.Fatalf("pdftotext and pdfinfo disagree on the page count")
	}
	var toc []string
	for _, p := range pages[1:] {
		if strings.Contains(p, "Words to fill") {
			break
		}
		toc = append(toc, p)
	}
	if len(toc) < 2 {
		t.Fatalf("contents take %d pages, want at least 2 for %d headings", len(toc), len(headings))
	}
	checkContents(t, pages, toc, headings)
}

func TestOversizedBlocks(t *testing.T) {
	d := New(Meta{Date: testDate})
	long := strings.Repeat("A callout that goes on and on. ", 400)
	d.Callout("warning", "Very long", long)
	d.Table(Table{Columns: []Column{{Title: "Huge"}}, Rows: [][]Cell{{{Text: strings.Repeat("cell text ", 2000)}}, {{Text: "next row"}}}})
	d.KeyValues(nil)
	d.Table(Table{})
	d.Diagram(layout.Drawing{}, "Nothing to draw")
	d.Diagram(testDrawing(300, 3000), "Very tall")
	data := write(t, d)
	text := strings.Join(pageTexts(t, data), "\n")
	for _, want := range []string{"Very long", "Huge", "next row", "(empty diagram)", "Figure 1. Nothing to draw", "Figure 2. Very tall"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// Page footers interrupt the text where it crosses pages.
	body := regexp.MustCompile(`Page \d+ of \d+`).ReplaceAllString(text, "")
	squeezed := strings.Join(strings.Fields(body), "")
	if n := strings.Count(squeezed, "Acalloutthatgoesonandon."); n != 400 {
		t.Errorf("callout text appears %d times, want 400", n)
	}
}

func TestLandscapeDiagram(t *testing.T) {
	needTool(t, "pdfinfo")
	d := New(Meta{Date: testDate})
	d.Paragraph("before")
	d.Diagram(testDrawing(1400, 500), "A very wide diagram")
	d.Paragraph("after")
	name := writeFile(t, write(t, d))
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "3", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	sizes := regexp.MustCompile(`Page\s+(\d) size:\s+([\d.]+) x ([\d.]+)`).FindAllStringSubmatch(string(out), -1)
	if len(sizes) != 3 {
		t.Fatalf("want 3 pages (portrait, landscape, portrait); pdfinfo says:\n%s", out)
	}
	for i, want := range []bool{false, true, false} {
		w, _ := strconv.ParseFloat(sizes[i][2], 64)
		h, _ := strconv.ParseFloat(sizes[i][3], 64)
		if got := w > h; got != want {
			t.Errorf("page %d is %sx%s, landscape=%v, want %v", i+1, sizes[i][2], sizes[i][3], got, want)
		}
	}
}

// TestNoLoneRows renders tables of many lengths at many positions on the
// page and checks that no page holds a single row of a longer table, that
// the heading and the note stay with the rows, and that every page the
// table spans repeats its header.
func TestNoLoneRows(t *testing.T) {
	needTool(t, "pdftotext")
	rowRE := regexp.MustCompile(`ROW-\d{3}`)
	type layout struct{ n, lines int }
	var cases []layout
	// Long tables ending at every position on their last page…
	for n := 40; n < 50; n++ {
		cases = append(cases, layout{n, 10})
	}
	// … and short ones starting near the foot of a page.
	for _, n := range []int{1, 3, 4, 5} {
		for lines := 30; lines <= 40; lines += 2 {
			cases = append(cases, layout{n, lines})
		}
	}
	for _, c := range cases {
		n, lines := c.n, c.lines
		{
			d := New(Meta{Date: testDate})
			d.Heading(1, "Chapter")
			d.Paragraph(strings.TrimSpace(strings.Repeat("filler line\n", lines+1)))
			d.Heading(2, "Servers heading")
			tb := Table{Columns: []Column{{Title: "Name"}, {Title: "Version"}}, Note: "Table note line."}
			for i := range n {
				tb.Rows = append(tb.Rows, []Cell{{Text: fmt.Sprintf("ROW-%03d", i+1)}, {Text: "Exchange 2019"}})
			}
			d.Table(tb)
			d.Paragraph("After the table.")
			pages := pageTexts(t, write(t, d))
			seen := 0
			for i, text := range pages {
				// The running header names the chapter and section.
				running, body, _ := strings.Cut(text, "\n")
				text = body
				rows := len(rowRE.FindAllString(text, -1))
				seen += rows
				where := fmt.Sprintf("%d rows after %d lines, page %d", n, lines, i+1)
				if rows == 1 && n > 1 {
					t.Errorf("%s holds one row alone:\n%s", where, text)
				}
				if rows > 0 && !strings.Contains(text, "Version") {
					t.Errorf("%s has rows but no header row", where)
				}
				if rows > 0 && !strings.Contains(text, "Servers heading") && !strings.Contains(running, "Chapter · Servers heading") {
					t.Errorf("%s continues the table but its running header %q does not name the section", where, running)
				}
				if rows > 0 && !strings.Contains(text, "Servers heading") && !strings.Contains(text, "Name (continued)") {
					t.Errorf("%s continues the table but its header row does not say so:\n%s", where, text)
				}
				if strings.Contains(text, "Servers heading") && strings.Contains(text, "(continued)") {
					t.Errorf("%s starts the table but its header row says it continues:\n%s", where, text)
				}
				if strings.Contains(text, "Servers heading") && rows == 0 {
					t.Errorf("%s holds the heading without the table", where)
				}
				if strings.Contains(text, "Table note line.") && !strings.Contains(text, fmt.Sprintf("ROW-%03d", n)) {
					t.Errorf("%s holds the note without the last row", where)
				}
			}
			if seen != n {
				t.Errorf("%d rows after %d lines: found %d rows", n, lines, seen)
			}
		}
	}
}

// TestNoteStaysWithItsBlock: a heading and the note under it (a finding's
// sources line) never end a page without the block the note introduces,
// wherever on the page they fall; nor does the section heading above them
// ("Warnings" above a finding's heading).
func TestNoteStaysWithItsBlock(t *testing.T) {
	needTool(t, "pdftotext")
	for lines := 30; lines <= 44; lines++ {
		d := New(Meta{Date: testDate})
		d.Heading(1, "Findings")
		d.Paragraph(strings.TrimSpace(strings.Repeat("filler line\n", lines)))
		d.Heading(2, "SECTION-HEADING")
		d.Heading(3, "RULE-ID · Rule title")
		d.Note("Sources: [1, 2] · Basis: documented")
		d.Callout("warning", "CALLOUT-TITLE", "The finding's message, long enough to take a line or two of the callout box.")
		pages := pageTexts(t, write(t, d))
		for i, text := range pages {
			_, body, _ := strings.Cut(text, "\n") // the running header names the heading on a continuation page
			if strings.Contains(body, "Sources: [1, 2]") && !strings.Contains(body, "CALLOUT-TITLE") {
				t.Errorf("after %d lines, page %d ends with the heading and its note but not the callout:\n%s", lines, i+1, body)
			}
			if strings.Contains(body, "SECTION-HEADING") && !strings.Contains(body, "CALLOUT-TITLE") {
				t.Errorf("after %d lines, page %d ends with the section heading alone:\n%s", lines, i+1, body)
			}
			if strings.Contains(body, "RULE-ID") != strings.Contains(body, "Sources: [1, 2]") {
				t.Errorf("after %d lines, page %d separates the heading from its note:\n%s", lines, i+1, body)
			}
		}
	}
}

// TestHeadingStaysWithDiagram: a heading is never the last thing on a
// page with the diagram it introduces on the next, wherever the heading
// falls and however tall the diagram (a third of a page, most of one,
// all of one, more than one).
func TestHeadingStaysWithDiagram(t *testing.T) {
	needTool(t, "pdftotext")
	for _, h := range []float64{250, 550, 680, 900} {
		for lines := 0; lines <= 46; lines += 3 {
			d := New(Meta{Date: testDate})
			d.Heading(1, "Chapter")
			if lines > 0 {
				d.Paragraph(strings.TrimSpace(strings.Repeat("filler line\n", lines)))
			}
			d.Heading(2, "DIAGRAM-HEADING")
			d.Diagram(testDrawing(400, h), "CAPTION-TEXT")
			d.Paragraph("After the figure.")
			for i, text := range pageTexts(t, write(t, d)) {
				_, body, _ := strings.Cut(text, "\n")
				if strings.Contains(body, "DIAGRAM-HEADING") && !strings.Contains(body, "CAPTION-TEXT") {
					t.Errorf("diagram %g pt tall after %d lines: page %d holds the heading without its diagram:\n%s", h, lines, i+1, body)
				}
			}
		}
	}
}

// TestHeadingStaysWithTallTable: a heading before a table whose first
// rows are tall (the runbook's registry tasks: a row nearly a page high)
// starts on the same page as the table's first row, wherever the page
// before ends (the runbook left "Implementation" alone on a page: the
// heading kept with half-page-capped rows, the table then needed both).
func TestHeadingStaysWithTallTable(t *testing.T) {
	needTool(t, "pdftotext")
	tall := func(tag string, lines int) string {
		return tag + "\n" + strings.TrimSpace(strings.Repeat("Get-ItemProperty -LiteralPath 'HKLM:\\SYSTEM' -Name Enabled\n", lines))
	}
	for _, rows := range [][2]int{{10, 40}, {40, 40}, {25, 3}, {3, 44}} {
		for lines := 0; lines <= 48; lines += 4 {
			d := New(Meta{Date: testDate})
			d.Heading(1, "Chapter")
			if lines > 0 {
				d.Paragraph(strings.TrimSpace(strings.Repeat("filler line\n", lines)))
			}
			d.Heading(2, "TABLE-HEADING")
			tb := Table{Columns: []Column{{Title: "Step", Width: 1}, {Title: "Command", Width: 3}}}
			for i, n := range append(rows[:], 5) {
				tb.Rows = append(tb.Rows, []Cell{{Text: fmt.Sprintf("step %d", i+1)}, {Text: tall(fmt.Sprintf("ROW-%d", i+1), n), Mono: true}})
			}
			d.Table(tb)
			for i, text := range pageTexts(t, write(t, d)) {
				_, body, _ := strings.Cut(text, "\n")
				if strings.Contains(body, "TABLE-HEADING") && !strings.Contains(body, "ROW-1") {
					t.Errorf("rows %v after %d lines: page %d holds the heading without the table's first row", rows, lines, i+1)
				}
			}
		}
	}
}

// TestContinuationNamesTopic: the pages a level 3 section continues on
// name it in the running header, "TOPIC-ID (continued)", and the page it
// starts on does not; a new section ends the naming.
func TestContinuationNamesTopic(t *testing.T) {
	needTool(t, "pdftotext")
	d := New(Meta{Date: testDate, Subject: "Estate · connectivity and prerequisites"})
	d.Heading(1, "Findings")
	d.Heading(2, "Warnings")
	d.Paragraph(strings.TrimSpace(strings.Repeat("filler line\n", 30)))
	d.HeadingAs(3, "TOPIC-ID · A finding whose remediation runs over two pages", "TOPIC-ID")
	d.Paragraph(strings.TrimSpace(strings.Repeat("remediation line\n", 60)))
	d.Heading(2, "Advisories")
	d.Paragraph(strings.TrimSpace(strings.Repeat("advisory line\n", 60)))
	pages := pageTexts(t, write(t, d))
	started, continued := false, 0
	for i, text := range pages {
		running, body, _ := strings.Cut(text, "\n")
		named := strings.Contains(running, "Findings · Warnings · TOPIC-ID (continued)")
		switch {
		case strings.Contains(body, "TOPIC-ID · A finding"):
			started = true
			if named {
				t.Errorf("page %d starts TOPIC-ID but its running header says it continues: %q", i+1, running)
			}
		case started && strings.Contains(body, "remediation line") && !strings.Contains(body, "Advisories"):
			continued++
			if !named {
				t.Errorf("page %d continues TOPIC-ID but its running header is %q", i+1, running)
			}
		case strings.Contains(running, "TOPIC-ID"):
			t.Errorf("page %d names TOPIC-ID in its running header %q but does not continue it", i+1, running)
		}
	}
	if continued == 0 {
		t.Errorf("TOPIC-ID continues on no page: the test lays out nothing to check")
	}
}

// TestCalloutKeepsLines: a callout that breaks across pages leaves at
// least two of its lines on each page, wherever it starts.
func TestCalloutKeepsLines(t *testing.T) {
	needTool(t, "pdftotext")
	lineRE := regexp.MustCompile(`CALLOUT-LINE-\d{2}`)
	var lines []string
	for i := range 8 {
		lines = append(lines, fmt.Sprintf("CALLOUT-LINE-%02d", i+1))
	}
	for filler := 30; filler <= 48; filler++ {
		d := New(Meta{Date: testDate})
		d.Heading(1, "Chapter")
		d.Paragraph(strings.TrimSpace(strings.Repeat("filler line\n", filler)))
		d.Callout("warning", "Title", strings.Join(lines, "\n"))
		seen := 0
		for i, text := range pageTexts(t, write(t, d)) {
			n := len(lineRE.FindAllString(text, -1))
			seen += n
			if n > 0 && n < 2 {
				t.Errorf("after %d lines, page %d holds %d line of the callout alone", filler, i+1, n)
			}
		}
		if seen != len(lines) {
			t.Errorf("after %d lines: found %d of the callout's %d lines", filler, seen, len(lines))
		}
	}
}
