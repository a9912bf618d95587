package xlsx

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// column describes one column of a table sheet.
type column struct {
	head string
	// min and max bound the width, in characters; the width fits the
	// longest line of the column's cells within them. Cells wider than max
	// wrap when the column's style wraps.
	min, max float64
	// style is the body style; 0 means the text style.
	style int
	// rotate turns the heading 90°, for narrow matrix columns.
	rotate bool
}

// table writes a header row and data rows to a (non-streamed) sheet,
// fitting column widths to the content.
type table struct {
	b      *book
	sheet  string
	cols   []column
	row    int // last row written
	widths []float64
	// xSplit is the number of leading columns frozen with the header.
	xSplit int
	// headHeight is the height rotated headings need, 0 for none.
	headHeight float64
	// wrapped holds, per row, the text of each cell whose style wraps
	// ("" for others), to size the rows once the widths are known.
	wrapped [][]string
}

// date is a calendar date written as a real date formatted yyyy-mm-dd.
type date time.Time

// excelEpoch is day 0 of Excel's 1900 date system (accounting for its
// fictional 1900-02-29).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial is the Excel serial number of the date.
func (d date) serial() int {
	t := time.Time(d)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(day.Sub(excelEpoch).Hours() / 24)
}

// styled is a value with an explicit cell style.
type styled struct {
	v     any
	style int
}

func (b *book) newTable(sheet string, cols []column) (*table, error) {
	t := &table{b: b, sheet: sheet, cols: cols, row: 1, widths: make([]float64, len(cols))}
	heads := make([]string, len(cols))
	for i, c := range cols {
		if c.rotate {
			if err := t.set(i+1, 1, c.head, b.st.headerUp); err != nil {
				return nil, err
			}
			// Rotated, the heading's longest line sets the row height.
			t.headHeight = max(t.headHeight, textWidth(c.head)*6+8)
			continue
		}
		heads[i] = c.head
		if err := t.set(i+1, 1, c.head, b.st.header); err != nil {
			return nil, err
		}
		// Header words are not wrapped mid-word: the longest word sets the
		// minimum.
		for _, w := range strings.Fields(c.head) {
			t.widths[i] = max(t.widths[i], measure(w)*1.1+3) // bold
		}
	}
	t.wrapped = append(t.wrapped, heads)
	return t, nil
}

// add writes one data row. Values are string (always a literal string),
// int, date, styled, or nil for an empty cell with the column's style.
func (t *table) add(values ...any) error {
	t.row++
	wrapped := make([]string, len(t.cols))
	for i, v := range values {
		style := t.cols[i].style
		if s, ok := v.(styled); ok {
			v, style = s.v, s.style
		}
		if style == 0 {
			style = t.b.st.text
		}
		if s, ok := v.(string); ok && t.b.st.wraps[style] {
			wrapped[i] = s
		}
		if err := t.set(i+1, t.row, v, style); err != nil {
			return err
		}
		t.widths[i] = max(t.widths[i], textWidth(v))
	}
	t.wrapped = append(t.wrapped, wrapped)
	return nil
}

// set writes one cell. Strings go through SetCellStr: they are stored as
// shared strings and never parsed as numbers or formulas.
func (t *table) set(col, row int, v any, style int) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	f := t.b.f
	switch v := v.(type) {
	case nil:
	case string:
		err = f.SetCellStr(t.sheet, cell, v)
	case int:
		err = f.SetCellInt(t.sheet, cell, int64(v))
	case date:
		err = f.SetCellInt(t.sheet, cell, int64(v.serial()))
		if style == t.b.st.text {
			style = t.b.st.date
		}
	default:
		return fmt.Errorf("cell %s: unsupported value %T", cell, v)
	}
	if err != nil {
		return err
	}
	return f.SetCellStyle(t.sheet, cell, cell, style)
}

// textWidth is the column width a value needs: its longest line plus
// padding.
func textWidth(v any) float64 {
	switch v := v.(type) {
	case string:
		n := 0.0
		for _, line := range strings.Split(v, "\n") {
			n = max(n, measure(line))
		}
		return n + 2
	case int:
		return float64(len(fmt.Sprint(v))) + 2
	case date:
		return 12
	}
	return 0
}

// finish sets column widths, freezes the header row, adds an autofilter
// over the table and sets up printing.
func (t *table) finish() error {
	for i, c := range t.cols {
		w := t.widths[i]
		if c.min > 0 {
			w = max(w, c.min)
		}
		if c.max > 0 {
			w = min(w, c.max)
		}
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := t.b.f.SetColWidth(t.sheet, name, name, w); err != nil {
			return err
		}
		t.widths[i] = w
	}
	// Size rows to their wrapped text: neither Excel nor LibreOffice
	// reliably grows rows of a generated file on opening.
	for r, texts := range t.wrapped {
		lines := 1
		for i, s := range texts {
			if s != "" {
				lines = max(lines, wrapLines(s, t.widths[i]))
			}
		}
		h := rowHeight(lines)
		if r == 0 {
			h = max(h, min(t.headHeight, 409))
		}
		if lines > 1 || h > rowHeight(1) {
			if err := t.b.f.SetRowHeight(t.sheet, r+1, h); err != nil {
				return err
			}
		}
	}
	return t.b.tableSheet(t.sheet, len(t.cols), t.row, t.xSplit)
}

// rowHeight is the height in points of a row showing lines lines of 11-point
// Calibri, as Excel autofits it (15 points a line), at most the 409 points
// a row can have.
func rowHeight(lines int) float64 {
	return min(float64(lines)*15, 409)
}

// wrapLines estimates how many lines text takes in a wrapping column of
// the given width, breaking at spaces as the spreadsheet does.
func wrapLines(text string, width float64) int {
	capacity := max(width-0.8, 1) // cell padding
	space := runeWidth(' ')
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		n, used := 1, 0.0
		for _, w := range strings.Fields(para) {
			l := measure(w)
			switch {
			case used == 0:
				used = l
			case used+space+l <= capacity:
				used += space + l
			default:
				n++
				used = l
			}
			for used > capacity { // a word longer than the column breaks
				n++
				used -= capacity
			}
		}
		lines += n
	}
	return lines
}

// measure is the width of s in column-width units: the digit width of
// Calibri 11, the workbook's font (Carlito in LibreOffice has the same
// metrics).
func measure(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// runeWidth approximates Calibri's advance widths relative to a digit.
func runeWidth(r rune) float64 {
	switch {
	case r >= '0' && r <= '9':
		return 1
	case strings.ContainsRune("il.,:;'|!ijI`", r):
		return 0.5
	case r == ' ':
		return 0.45
	case strings.ContainsRune("frtsczJ/\\-()[]{}\"", r):
		return 0.75
	case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '@' || r == '%':
		return 1.6
	case r >= 'A' && r <= 'Z':
		return 1.15
	case r >= 'a' && r <= 'z':
		return 0.98
	}
	return 1.1
}

// tableSheet finishes a sheet holding a table with a header row: frozen
// header (and xSplit frozen columns), autofilter, and print setup.
func (b *book) tableSheet(sheet string, cols, lastRow, xSplit int) error {
	f := b.f
	last, err := excelize.CoordinatesToCellName(cols, max(lastRow, 1))
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := b.freeze(sheet, xSplit); err != nil {
		return err
	}
	return b.printSetup(sheet, printOpts{titles: true, fitWidth: true, titleCols: xSplit})
}

// freeze freezes the header row and the first xSplit columns.
func (b *book) freeze(sheet string, xSplit int) error {
	return b.f.SetPanes(sheet, freezePanes(xSplit))
}

// printOpts say how a sheet prints.
type printOpts struct {
	// titles repeats the header row on every page.
	titles bool
	// fitWidth scales the sheet to one page across.
	fitWidth bool
	// portrait instead of landscape.
	portrait bool
	// titleCols repeats the first titleCols columns on every page.
	titleCols int
}

// printSetup sets up printing, with the organisation, sheet name and page
// number in the footer.
func (b *book) printSetup(sheet string, o printOpts) error {
	f := b.f
	orientation, one, unlimited := "landscape", 1, 0
	if o.portrait {
		orientation = "portrait"
	}
	layout := &excelize.PageLayoutOptions{Orientation: &orientation}
	if o.fitWidth {
		fit := true
		if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
			return err
		}
		layout.FitToWidth, layout.FitToHeight = &one, &unlimited
	}
	if err := f.SetPageLayout(sheet, layout); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddFooter: "&L" + footerText(b.org) + "&C&A&RPage &P of &N",
	}); err != nil {
		return err
	}
	if !o.titles {
		return nil
	}
	ref := fmt.Sprintf("'%s'!$1:$1", sheet)
	if o.titleCols > 0 {
		last, err := excelize.ColumnNumberToName(o.titleCols)
		if err != nil {
			return err
		}
		ref = fmt.Sprintf("'%s'!$A:$%s,%s", sheet, last, ref)
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: ref,
		Scope:    sheet,
	})
}

// footerText makes an inventory string safe inside a header/footer, where
// "&" starts a formatting code, and short enough for its 255-character
// limit.
func footerText(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		r = append(r[:59], '…')
	}
	return strings.ReplaceAll(string(r), "&", "&&")
}

// cond sets the conditional formats of rangeRef. Rules on one range must
// be set in one call: a later call replaces the range's rules.
func (b *book) cond(sheet, rangeRef string, rules ...excelize.ConditionalFormatOptions) error {
	return b.f.SetConditionalFormat(sheet, rangeRef, rules)
}

// ifContains formats cells whose text contains value with dxf.
func ifContains(value string, dxf int) excelize.ConditionalFormatOptions {
	return excelize.ConditionalFormatOptions{Type: "text", Criteria: "containing", Value: value, Format: &dxf}
}

// ifEqual formats cells equal to the text value with dxf.
func ifEqual(value string, dxf int) excelize.ConditionalFormatOptions {
	q := `"` + strings.ReplaceAll(value, `"`, `""`) + `"`
	return excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Value: q, Format: &dxf}
}

// ifNumber formats numbers meeting criteria ("<", ">", …) against value
// with dxf.
func ifNumber(criteria string, value, dxf int) excelize.ConditionalFormatOptions {
	return excelize.ConditionalFormatOptions{Type: "cell", Criteria: criteria, Value: fmt.Sprint(value), Format: &dxf}
}

// dropDown adds a list data validation to rangeRef.
func (b *book) dropDown(sheet, rangeRef string, items []string) error {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = rangeRef
	if err := dv.SetDropList(items); err != nil {
		return err
	}
	return b.f.AddDataValidation(sheet, dv)
}

// colRange returns the range of column col (1-based) from row first to
// last, "D2:D40".
func colRange(col, first, last int) string {
	a, _ := excelize.CoordinatesToCellName(col, first)
	z, _ := excelize.CoordinatesToCellName(col, max(last, first))
	return a + ":" + z
}

// span returns the range from (c1, r1) to (c2, r2).
func span(c1, r1, c2, r2 int) string {
	a, _ := excelize.CoordinatesToCellName(c1, r1)
	z, _ := excelize.CoordinatesToCellName(c2, r2)
	return a + ":" + z
}
