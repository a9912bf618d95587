package xlsx

import (
	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// Colours: a dark blue header band and Excel's own "Good", "Neutral" and
// "Bad" cell colours for outcomes, so the workbook looks familiar.
const (
	colHeaderFill = "1F3864"
	colHeaderFont = "FFFFFF"
	colBorder     = "BFBFBF"
	colTitle      = "1F3864"
	colGreyFont   = "808080"
	colBadFill    = "FFC7CE"
	colBadFont    = "9C0006"
	colWarnFill   = "FFEB9C"
	colWarnFont   = "9C5700"
	colGoodFill   = "C6EFCE"
	colGoodFont   = "006100"
	colInfoFill   = "DDEBF7"
	colInfoFont   = "1F4E79"
	colGreyFill   = "EDEDED"
	colSection    = "D9E1F2"
)

// The workbook's font, excelize's default.
const (
	fontFamily = "Calibri"
	fontSize   = 11
)

// styles are the cell styles (s) and conditional formats (dxf) of a
// workbook.
type styles struct {
	header, headerUp, text, wrap, num, date, center int
	// Key-value cells of the Summary, without borders.
	kvText, kvNum, kvDate int
	// kvBlank is an empty Summary value to fill in: an underline.
	kvBlank                         int
	title, subtitle, label, section int
	// Verdict cells; infoReady is neutral (a change with no effect).
	ready, notReady, warnReady, infoReady int
	undefined, inherited, muted           int
	flagError, flagWarning, flagInfo      int
	// Status cells (wrapped, left-aligned) by worst severity.
	statusOK, statusError, statusWarning, statusInfo, statusUnknown int
	// wraps holds the styles that wrap text, for row heights.
	wraps map[int]bool
	// Conditional (differential) formats.
	cfBad, cfWarn, cfGood, cfInfo, cfGrey, cfMuted int
}

func (s *styles) init(f *excelize.File) error {
	border := []excelize.Border{
		{Type: "left", Color: colBorder, Style: 1},
		{Type: "right", Color: colBorder, Style: 1},
		{Type: "top", Color: colBorder, Style: 1},
		{Type: "bottom", Color: colBorder, Style: 1},
	}
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	dateFmt := "yyyy-mm-dd"
	cell := func(st *excelize.Style) excelize.Style {
		if st.Border == nil {
			st.Border = border
		}
		if st.Alignment == nil {
			st.Alignment = top
		}
		return *st
	}
	fill := func(c string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}
	}
	defs := []struct {
		id *int
		st excelize.Style
	}{
		{&s.header, cell(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: colHeaderFont},
			Fill:      fill(colHeaderFill),
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		})},
		{&s.headerUp, cell(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: colHeaderFont},
			Fill:      fill(colHeaderFill),
			Alignment: &excelize.Alignment{Vertical: "bottom", Horizontal: "center", WrapText: true, TextRotation: 90},
		})},
		{&s.kvText, excelize.Style{Alignment: top}},
		{&s.kvBlank, excelize.Style{Alignment: top, Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}}},
		{&s.kvNum, excelize.Style{NumFmt: 3, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}},
		{&s.kvDate, excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}},
		{&s.text, cell(&excelize.Style{})},
		{&s.wrap, cell(&excelize.Style{Alignment: wrapTop})},
		{&s.num, cell(&excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "right"}})},
		{&s.date, cell(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}})},
		{&s.center, cell(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}})},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 18, Color: colTitle}}},
		{&s.subtitle, excelize.Style{Font: &excelize.Font{Size: 12, Color: colGreyFont}}},
		{&s.label, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top}},
		{&s.section, excelize.Style{
			Font:   &excelize.Font{Bold: true, Size: 12, Color: colTitle},
			Border: []excelize.Border{{Type: "bottom", Color: colHeaderFill, Style: 2}},
		}},
		{&s.ready, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: colGoodFont}, Fill: fill(colGoodFill), Alignment: top}},
		{&s.warnReady, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: colWarnFont}, Fill: fill(colWarnFill), Alignment: top}},
		{&s.notReady, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: colBadFont}, Fill: fill(colBadFill), Alignment: top}},
		{&s.infoReady, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: colInfoFont}, Fill: fill(colInfoFill), Alignment: top}},
		{&s.undefined, cell(&excelize.Style{
			Font:      &excelize.Font{Italic: true, Color: colGreyFont},
			Fill:      fill(colGreyFill),
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
		})},
		{&s.inherited, cell(&excelize.Style{
			Font:      &excelize.Font{Italic: true, Color: colGreyFont},
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
		})},
		{&s.muted, cell(&excelize.Style{Font: &excelize.Font{Italic: true, Color: colGreyFont}, Alignment: wrapTop})},
		{&s.statusOK, cell(&excelize.Style{Font: &excelize.Font{Color: colGoodFont}, Fill: fill(colGoodFill), Alignment: wrapTop})},
		{&s.statusError, cell(&excelize.Style{Font: &excelize.Font{Color: colBadFont}, Fill: fill(colBadFill), Alignment: wrapTop})},
		{&s.statusWarning, cell(&excelize.Style{Font: &excelize.Font{Color: colWarnFont}, Fill: fill(colWarnFill), Alignment: wrapTop})},
		{&s.statusInfo, cell(&excelize.Style{Font: &excelize.Font{Color: colInfoFont}, Fill: fill(colInfoFill), Alignment: wrapTop})},
		{&s.statusUnknown, cell(&excelize.Style{Font: &excelize.Font{Italic: true, Color: colGreyFont}, Alignment: wrapTop})},
		{&s.flagError, cell(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: colBadFont},
			Fill:      fill(colBadFill),
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
		})},
		{&s.flagWarning, cell(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: colWarnFont},
			Fill:      fill(colWarnFill),
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
		})},
		{&s.flagInfo, cell(&excelize.Style{
			Font:      &excelize.Font{Color: colInfoFont},
			Fill:      fill(colInfoFill),
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
		})},
	}
	for _, d := range defs {
		// A font without a name and size falls back to the application's
		// default (a serif face in LibreOffice): spell out the workbook's.
		if d.st.Font != nil {
			d.st.Font.Family = fontFamily
			if d.st.Font.Size == 0 {
				d.st.Font.Size = fontSize
			}
		}
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return err
		}
		*d.id = id
		if d.st.Alignment != nil && d.st.Alignment.WrapText {
			if s.wraps == nil {
				s.wraps = map[int]bool{}
			}
			s.wraps[id] = true
		}
	}
	conds := []struct {
		id *int
		st excelize.Style
	}{
		{&s.cfBad, excelize.Style{Font: &excelize.Font{Color: colBadFont}, Fill: fill(colBadFill)}},
		{&s.cfWarn, excelize.Style{Font: &excelize.Font{Color: colWarnFont}, Fill: fill(colWarnFill)}},
		{&s.cfGood, excelize.Style{Font: &excelize.Font{Color: colGoodFont}, Fill: fill(colGoodFill)}},
		{&s.cfInfo, excelize.Style{Font: &excelize.Font{Color: colInfoFont}, Fill: fill(colInfoFill)}},
		{&s.cfGrey, excelize.Style{Font: &excelize.Font{Color: colGreyFont}, Fill: fill(colGreyFill)}},
		{&s.cfMuted, excelize.Style{Font: &excelize.Font{Color: colGreyFont}}},
	}
	for _, d := range conds {
		id, err := f.NewConditionalStyle(&d.st)
		if err != nil {
			return err
		}
		*d.id = id
	}
	return nil
}

// status returns the style of a status cell whose worst finding has
// severity sev ("" for none: OK).
func (s *styles) status(sev planner.Severity) int {
	switch sev {
	case "":
		return s.statusOK
	case planner.SevError:
		return s.statusError
	case planner.SevWarning:
		return s.statusWarning
	}
	return s.statusInfo
}

// severityFlag returns the style of a TLS cell a finding of severity sev
// flags.
func (s *styles) severityFlag(sev planner.Severity) int {
	switch sev {
	case planner.SevError:
		return s.flagError
	case planner.SevWarning:
		return s.flagWarning
	}
	return s.flagInfo
}
