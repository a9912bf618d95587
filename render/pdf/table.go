package pdf

import (
	"strings"

	"github.com/coexist/coexist/render/layout"
)

// Align is the horizontal alignment of text in a table column.
type Align = layout.Align

// The alignments.
const (
	// AlignLeft aligns text to the left edge of its cell.
	AlignLeft = layout.AlignLeft
	// AlignCenter centres text in its cell.
	AlignCenter = layout.AlignCenter
	// AlignRight aligns text to the right edge of its cell (for numbers).
	AlignRight = layout.AlignRight
)

// Table is a table with a header row.
type Table struct {
	// Columns are the table's columns, left to right.
	Columns []Column
	// Rows are the body rows; a row may have fewer cells than there are
	// columns (the rest are empty); extra cells are ignored.
	Rows [][]Cell
	// Note is a line of text set below the table (a total, a pointer to
	// the rest), kept on the page of the table's last rows.
	Note string
}

// Column is a table column.
type Column struct {
	// Title is the header text.
	Title string
	// Width is the column's share of the page width, relative to the other
	// columns' Widths; zero or negative counts as 1.
	Width float64
	// Align aligns the column's header and cells.
	Align Align
}

// Cell is one table cell.
type Cell struct {
	// Text is the cell text; it wraps, and newlines start new lines.
	Text string
	// Fill is the background colour; the zero Color keeps the table's
	// striping.
	Fill layout.Color
	// Color is the text colour; the zero Color means the body text colour.
	Color layout.Color
	// Bold sets the cell in bold.
	Bold bool
	// Mono sets the cell as code: a monospaced font, indentation kept, and
	// a line too long for the cell continued on the next line, indented
	// deeper and marked with an arrow (see wrapCode).
	Mono bool
	// Path marks a Mono cell that holds a path (a registry key), whose
	// spaces belong to its names: a long path wraps after a "\" or "/"
	// rather than at a space.
	Path bool
	// MinLines makes the row at least this many lines tall: room to
	// write by hand, such as a signature.
	MinLines int
	// Continues, on a row's first cell, marks the row as the rest of the
	// row above (a script cut into rows, since a row never breaks across
	// pages): on one page the two share their shading with no rule
	// between them, so they read as one block.
	Continues bool
}

// Table layout.
const (
	tableSize = 8.5
	tableLH   = 11.0
	tablePadX = 5.0
	tablePadY = 4.0
	// monoSize is the size of code in tables: a Go Mono character is
	// 0.6 em wide, so 7.5 pt fits about 100 characters on an A4 line.
	monoSize = 7.5
	// codeIndent starts a code line's continuation.
	codeIndent = "    "
)

// Table adds a table as wide as the page. Rows are as tall as their
// longest cell; a page break never splits a row, and the header row is
// repeated at the top of every page the table spans, its widest column's
// title followed by "(continued)" where it fits (and the running header
// names the section it continues). No page holds a lone row of a longer
// table: the header is kept with the first two rows, the last two rows
// (and the Note) go to the next page together, and a table of up to three
// rows is kept whole. A single row taller than a page is cut short with an
// ellipsis.
func (d *Document) Table(t Table) {
	t.Columns = append([]Column(nil), t.Columns...)
	rows := make([][]Cell, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = append([]Cell(nil), r...)
	}
	t.Rows = rows
	d.add(func(p *pass) { p.table(t) }, func(p *pass) (float64, bool) { return p.tableLead(t), false })
}

// tableRow is a laid-out row: the lines of each cell and the row height.
type tableRow struct {
	cells []Cell
	lines [][]string
	h     float64
}

// Table notes.
const (
	noteSize = 9.0
	noteLH   = 12.5
)

// tableKeep is how many rows must share a page at the start and at the end
// of a table that breaks across pages.
const tableKeep = 2

func (p *pass) table(t Table) {
	if len(t.Columns) == 0 {
		return
	}
	p.begin()

	widths := p.columnWidths(t)
	head, rows, noteH := p.tableRows(t, widths)
	again := p.continuedHead(t, widths, head)
	n := len(rows)
	sum := func(rs []tableRow) float64 {
		h := 0.0
		for _, r := range rs {
			h += r.h
		}
		return h
	}

	// Keep the header with the first rows: a header alone at the foot of
	// a page would only be repeated on the next, and a lone row reads as
	// an afterthought. A table too short to split is kept whole.
	need := p.tableNeed(head, rows, noteH)
	if p.headOnly && n > 0 && p.y()+need > p.bottom() {
		// The headings above moved to this page to stay with this table:
		// breaking now would leave them alone on it. Keep the header with
		// the first row only.
		need = head.h + rows[0].h
	}
	p.ensure(need)
	p.tableDraw(head, widths, t.Columns, false)
	onPage := 0 // rows drawn on the current page
	stripe := 0 // rows that continue the row above share its stripe
	for i, row := range rows {
		if i > 0 && !row.cells[0].Continues {
			stripe++
		}
		brk := p.y()+row.h > p.bottom()
		// With the last rows left, break before them unless they all fit
		// here with the note: the next page never gets one row alone.
		if !brk && i == n-tableKeep && onPage >= tableKeep && p.y()+sum(rows[i:])+noteH > p.bottom() {
			brk = true
		}
		if brk && onPage > 0 {
			p.newPage()
			p.tableDraw(again, widths, t.Columns, false)
			onPage = 0
		}
		p.tableDrawJoined(row, widths, t.Columns, stripe%2 == 1, onPage > 0 && row.cells[0].Continues)
		onPage++
	}
	if noteH > 0 {
		p.setY(p.y() + 4)
		p.setFont(sans, "", noteSize)
		setText(p.f, colInk)
		for _, l := range p.wrap(t.Note, p.width()) {
			p.ensure(noteLH)
			p.setFont(sans, "", noteSize)
			setText(p.f, colInk)
			p.text(p.left(), baseline(p.y(), noteLH, noteSize), l)
			p.setY(p.y() + noteLH)
		}
	}
	p.setY(p.y() + 12)
}

// tableRows lays out the header and body rows of t and measures its note.
func (p *pass) tableRows(t Table, widths []float64) (head tableRow, rows []tableRow, noteH float64) {
	header := make([]Cell, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Cell{Text: c.Title, Bold: true, Fill: colNavy, Color: colWhite}
	}
	head = p.tableLayout(header, widths, 0)
	maxBody := p.bottom() - contentTop - head.h
	rows = make([]tableRow, len(t.Rows))
	for i, cells := range t.Rows {
		rows[i] = p.tableLayout(cells, widths, maxBody)
	}
	if strings.TrimSpace(t.Note) != "" {
		p.setFont(sans, "", noteSize)
		noteH = 4 + float64(len(p.wrap(t.Note, p.width())))*noteLH
	}
	return head, rows, noteH
}

// continuedHead is the header row repeated on the pages a table continues
// on: its widest column's title followed by "(continued)", unless that
// makes the row taller than head.
func (p *pass) continuedHead(t Table, widths []float64, head tableRow) tableRow {
	widest := 0
	for i, w := range widths {
		if w > widths[widest] {
			widest = i
		}
	}
	cells := append([]Cell(nil), head.cells...)
	cells[widest].Text = strings.TrimSpace(cells[widest].Text + " (continued)")
	if again := p.tableLayout(cells, widths, 0); again.h <= head.h {
		return again
	}
	return head
}

// columnWidths shares the page width among the columns by their weights,
// but widens a column, at the others' expense, so that its longest word
// (a server name, a number) fits on one line, within reason.
func (p *pass) columnWidths(t Table) []float64 {
	n := len(t.Columns)
	total := p.width()
	weights := make([]float64, n)
	need := make([]float64, n)
	for i, c := range t.Columns {
		weights[i] = weight(c.Width)
		p.setFont(sans, "B", tableSize)
		need[i] = longestWord(p, c.Title)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			if i < n {
				p.cellFont(c)
				need[i] = max(need[i], longestWord(p, c.Text))
			}
		}
	}
	sumNeed := 0.0
	for i := range need {
		need[i] = min(need[i]+2*tablePadX+0.5, total*0.35)
		sumNeed += need[i]
	}
	if sumNeed > total {
		for i := range need {
			need[i] *= total / sumNeed
		}
	}
	// Fix the columns that are too narrow at their minimum and share the
	// rest among the others by weight, until no column is too narrow.
	fixed := make([]bool, n)
	widths := make([]float64, n)
	for range n + 1 {
		rest, flex := total, 0.0
		for i := range n {
			if fixed[i] {
				rest -= need[i]
			} else {
				flex += weights[i]
			}
		}
		changed := false
		for i := range n {
			if fixed[i] {
				widths[i] = need[i]
				continue
			}
			widths[i] = rest * weights[i] / flex
			if widths[i] < need[i] {
				fixed[i], changed = true, true
			}
		}
		if !changed {
			break
		}
	}
	return widths
}

// longestWord returns the width of the widest word of text in the current font.
func longestWord(p *pass, text string) float64 {
	w := 0.0
	for _, word := range strings.Fields(clean(text)) {
		w = max(w, p.textWidth(word))
	}
	return w
}

// tableLead is the height the table needs at the foot of a page: the
// header and the first rows it keeps together (see Document.Table).
func (p *pass) tableLead(t Table) float64 {
	if len(t.Columns) == 0 {
		return 0
	}
	widths := p.columnWidths(t)
	head, rows, noteH := p.tableRows(t, widths)
	return p.tableNeed(head, rows, noteH)
}

// headingsReserve is room left for the headings a table's start keeps
// with: at most a chapter, a section and a topic heading.
const headingsReserve = 110

// tableNeed is the height a table keeps together where it starts: the
// whole table when it is too short to split, else its header with the
// first tableKeep rows; when that would not fit on a page under its
// headings, its header with the first row. The heading above keeps with
// the same height, so it never moves to a page the table then leaves.
func (p *pass) tableNeed(head tableRow, rows []tableRow, noteH float64) float64 {
	need := head.h
	if len(rows) <= 2*tableKeep-1 {
		for _, r := range rows {
			need += r.h
		}
		need += noteH
	} else {
		for _, r := range rows[:tableKeep] {
			need += r.h
		}
	}
	if need > p.bodyHeight()-headingsReserve && len(rows) > 0 {
		need = head.h + rows[0].h
	}
	return need
}

func weight(w float64) float64 {
	if w > 0 {
		return w
	}
	return 1
}

// tableLayout wraps a row's cells; if maxH > 0, cells are cut to fit in it.
func (p *pass) tableLayout(cells []Cell, widths []float64, maxH float64) tableRow {
	row := tableRow{cells: make([]Cell, len(widths)), lines: make([][]string, len(widths))}
	copy(row.cells, cells)
	n := 1
	for i, c := range row.cells {
		p.cellFont(c)
		if c.Mono {
			row.lines[i] = p.wrapCode(c.Text, widths[i]-2*tablePadX, c.Path)
		} else {
			row.lines[i] = p.wrap(c.Text, widths[i]-2*tablePadX)
		}
		n = max(n, len(row.lines[i]), c.MinLines)
	}
	if maxH > 0 {
		if fit := max(int((maxH-2*tablePadY)/tableLH), 1); n > fit {
			n = fit
			for i, ls := range row.lines {
				if len(ls) > n {
					p.cellFont(row.cells[i])
					ls = ls[:n]
					last, cont := strings.CutPrefix(ls[n-1], contMark)
					ls[n-1] = p.fit(last+" …", widths[i]-2*tablePadX)
					if cont {
						ls[n-1] = contMark + ls[n-1]
					}
					row.lines[i] = ls
				}
			}
		}
	}
	row.h = float64(n)*tableLH + 2*tablePadY
	return row
}

func (p *pass) cellFont(c Cell) {
	style := ""
	if c.Bold {
		style = "B"
	}
	family, size := sans, tableSize
	if c.Mono {
		family, size = mono, monoSize
	}
	p.setFont(family, style, size)
}

// contMark starts a wrapped code line that continues the line above it:
// tableDraw draws a muted hooked arrow in its indentation (a vector mark,
// so it is never copied with the command) and drops the mark. clean
// removes control characters from every text, so no text carries it.
const contMark = "\x01"

// codeSeps are the characters a code line may break after when no space
// outside a quoted string is available: path and list separators.
const codeSeps = `\/,;|({[=`

// wrapCode breaks code into lines no wider than w in the current font.
// Each line keeps its leading spaces. A longer line breaks, within what
// fits, at the last space outside quotes, else after the last separator
// (see codeSeps: "\" in a registry path), else at a space inside quotes,
// and between characters only when none of these is available. Its
// continuation is indented deeper than the line it continues and starts
// with contMark; a comment's continuation starts with "# " at the
// comment's indentation instead, so that it is still a comment, and a
// commented-out command ("#   Set-Item …") continues as a marked, deeper
// line of the same comment ("#       …").
//
// path is set for a cell that holds a path (a registry key), whose spaces
// belong to the name: it breaks after a separator before a space.
func (p *pass) wrapCode(text string, w float64, path bool) []string {
	var out []string
	for _, line := range strings.Split(clean(text), "\n") {
		out = append(out, p.wrapCodeLine(strings.TrimRight(line, " "), w, path)...)
	}
	return out
}

func (p *pass) wrapCodeLine(line string, w float64, path bool) []string {
	if p.textWidth(line) <= w {
		return []string{line}
	}
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	comment := strings.HasPrefix(body, "#")
	// A comment's text after "#" and two or more spaces is a command
	// commented out (for clients, or optional): wrapped as code, inside
	// the comment.
	hashed := ""
	if comment {
		inner := body[1:]
		if n := len(inner) - len(strings.TrimLeft(inner, " ")); n >= 2 {
			hashed = "#" + inner[:n]
		}
	}
	// The continuation's prefix: deeper than the line, or "# " for a
	// comment. In a narrow column the line's own indentation goes first.
	cont, mark := indent+codeIndent, contMark
	switch {
	case hashed != "":
		cont = indent + hashed + codeIndent
	case comment:
		cont, mark = indent+"# ", ""
	}
	if p.textWidth(cont)*3 > w {
		cont = strings.TrimPrefix(cont, indent)
	}
	if p.textWidth(cont)*3 > w {
		cont, mark = "", ""
		if comment {
			cont = "# "
		}
	}
	quoted := make([]bool, len(line))
	if !comment || hashed != "" { // an apostrophe in prose opens no string
		quoted = quoteMask(line)
	}
	var out []string
	prefix, lead, off := "", "", 0
	for {
		if p.textWidth(prefix+line[off:]) <= w {
			out = append(out, lead+prefix+line[off:])
			break
		}
		end := p.codeBreak(line, off, prefix, quoted, w, path)
		// Leave no scrap (a closing "}") alone on the last line: break
		// one candidate earlier when the rest then fits on one line.
		if rest := strings.TrimLeft(line[end:], " "); rest != "" && len(rest) <= 3 {
			shorter := p.textWidth(prefix+strings.TrimRight(line[off:end], " ")) - 0.01
			if e := p.codeBreak(line, off, prefix, quoted, shorter, path); e > off && e < end && cleanBreak(line, e) &&
				strings.TrimSpace(line[off:e]) != "" && p.textWidth(cont+strings.TrimLeft(line[e:], " ")) <= w {
				end = e
			} else if !cleanBreak(line, end) && end-(4-len(rest)) > off+len(indent) {
				// Cut inside a word: cut it earlier, leaving four
				// characters rather than one.
				end -= 4 - len(rest)
				for line[end]&0xC0 == 0x80 {
					end--
				}
			}
		}
		out = append(out, lead+prefix+strings.TrimRight(line[off:end], " "))
		for end < len(line) && line[end] == ' ' {
			end++
		}
		if end >= len(line) {
			break
		}
		prefix, lead, off = cont, mark, end
	}
	return out
}

// codeBreak returns where the chunk of line that starts at off (set after
// prefix) ends: see wrapCode for the order of preference. A chunk ends in
// its first third only when nothing later will do.
func (p *pass) codeBreak(line string, off int, prefix string, quoted []bool, w float64, path bool) int {
	head, _ := p.splitWord(prefix+line[off:], w)
	fit := off + max(len(head)-len(prefix), 1)
	if fit > len(line) {
		fit = len(line)
	}
	// Move fit back to the start of a UTF-8 character.
	for fit > off+1 && fit < len(line) && line[fit]&0xC0 == 0x80 {
		fit--
	}
	// Leading spaces (a code line's indentation) are never a break.
	start := off
	for start < fit && line[start] == ' ' {
		start++
	}
	// Candidate ends by class: a space outside quotes (the chunk ends
	// before it), a separator (the chunk ends after it), a space inside
	// quotes.
	spaceOut := func(e int) bool { return e < len(line) && line[e] == ' ' && !quoted[e] }
	sep := func(e int) bool { return strings.IndexByte(codeSeps, line[e-1]) >= 0 }
	spaceIn := func(e int) bool { return e < len(line) && line[e] == ' ' && quoted[e] }
	classes := []func(int) bool{spaceOut, sep, spaceIn}
	if path {
		classes = []func(int) bool{sep, spaceOut, spaceIn}
	}
	// A piece holds a letter or digit: never a "/" or "(" alone.
	word := len(line)
	for i := start; i < fit; i++ {
		if c := line[i]; c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80 {
			word = i
			break
		}
	}
	for _, from := range []int{start + (fit-start)/3, start} {
		for _, ok := range classes {
			for e := fit; e > from && e > word; e-- {
				if ok(e) {
					return e
				}
			}
		}
	}
	return fit
}

// cleanBreak reports whether line may break before byte e without
// splitting a word: at a space or after a separator.
func cleanBreak(line string, e int) bool {
	return line[e] == ' ' || strings.IndexByte(codeSeps, line[e-1]) >= 0
}

// quoteMask reports, for each byte of a line of code, whether it lies
// inside a '…' or "…" string (a quote character itself counts as inside).
func quoteMask(line string) []bool {
	in := make([]bool, len(line))
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q == 0 && (c == '\'' || c == '"'):
			q = c
			in[i] = true
		case q != 0 && c == q:
			in[i] = true
			q = 0
		default:
			in[i] = q != 0
		}
	}
	return in
}

// tableDraw draws a laid-out row at the cursor and moves below it.
func (p *pass) tableDraw(row tableRow, widths []float64, cols []Column, zebra bool) {
	p.tableDrawJoined(row, widths, cols, zebra, false)
}

// tableDrawJoined draws a row like tableDraw; joined joins it to the row
// drawn just above it: the rule between them is painted over.
func (p *pass) tableDrawJoined(row tableRow, widths []float64, cols []Column, zebra, joined bool) {
	const rule = 0.4
	f := p.f
	y := p.y()
	x := p.left()
	f.SetLineWidth(rule)
	setDraw(f, colRule)
	for i, c := range row.cells {
		w := widths[i]
		fill := c.Fill
		if fill.Transparent() && zebra {
			fill = colZebra
		}
		if !fill.Transparent() {
			setFill(f, fill)
			f.Rect(x, y, w, row.h, "F")
		}
		if joined {
			// Paint over the rule above, then draw the other three sides.
			cover := fill
			if cover.Transparent() {
				cover = colWhite
			}
			setFill(f, cover)
			f.Rect(x+rule/2, y-rule, w-rule, 2*rule, "F")
			f.Line(x, y-rule, x, y+row.h)
			f.Line(x+w, y-rule, x+w, y+row.h)
			f.Line(x, y+row.h, x+w, y+row.h)
		} else {
			f.Rect(x, y, w, row.h, "D")
		}
		p.cellFont(c)
		ink := c.Color
		if ink.Transparent() {
			ink = colInk
		}
		setText(f, ink)
		for j, l := range row.lines[i] {
			l, cont := strings.CutPrefix(l, contMark)
			if l == "" {
				continue
			}
			lw := p.textWidth(l)
			tx := x + tablePadX
			switch cols[i].Align {
			case AlignRight:
				tx = x + w - tablePadX - lw
			case AlignCenter:
				tx = x + (w-lw)/2
			}
			size := tableSize
			if c.Mono {
				size = monoSize
			}
			base := baseline(y+tablePadY+float64(j)*tableLH, tableLH, size)
			if cont {
				p.contArrow(tx, base, l)
				setText(f, ink)
			}
			p.text(tx, base, l)
		}
		x += w
	}
	p.setY(y + row.h)
	p.drawn()
}

// contArrow draws the mark of a continued code line l set at x on
// baseline base: a small muted hooked arrow (↪) in the last characters of
// its indentation, drawn as lines so that copying the command leaves it
// out.
func (p *pass) contArrow(x, base float64, l string) {
	f := p.f
	n := len(l) - len(strings.TrimLeft(l, " "))
	if body := l[n:]; strings.HasPrefix(body, "#") {
		// A commented-out command: the arrow goes after the "#".
		if sp := len(body) - 1 - len(strings.TrimLeft(body[1:], " ")); sp >= 2 {
			n += 1 + sp
		}
	}
	if n < 2 {
		return
	}
	cw := p.textWidth(" ")
	x0 := x + float64(n-3)*cw + cw*0.4 // the arrow spans about two characters
	if n < 3 {
		x0 = x + cw*0.2
	}
	x1 := x + float64(n)*cw - cw*0.5
	top, mid := base-p.size*0.62, base-p.size*0.28
	setDraw(f, colMuted)
	f.SetLineWidth(0.6)
	f.SetLineCapStyle("round")
	f.SetLineJoinStyle("round")
	f.MoveTo(x0, top)
	f.LineTo(x0, mid)
	f.LineTo(x1, mid)
	f.MoveTo(x1-cw*0.45, mid-cw*0.4)
	f.LineTo(x1, mid)
	f.LineTo(x1-cw*0.45, mid+cw*0.4)
	f.DrawPath("D")
	f.SetLineCapStyle("butt")
	f.SetLineJoinStyle("miter")
	setDraw(f, colRule)
	f.SetLineWidth(0.4)
}
