package xlsx

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/planjson"
	"github.com/xuri/excelize/v2"
)

// Connectivity columns before the protocols; "Overall" is the worst outcome
// of the row, first so it can be filtered on without scrolling.
var connLead = []string{"User", "Location", "Cohort", "Mailbox server", "Version", "Site", "Overall"}

// connFullAccess heads the last column: paths to Full Access mailboxes.
const connFullAccess = "Full Access mailboxes"

// notApplicable is the text of a path that does not apply.
const notApplicable = "Not applicable"

// connectivity streams the Connectivity sheets: one row per user and
// client location, one column per protocol. Outcomes are coloured by
// conditional formats keyed on the cell text, so a large sheet carries no
// per-cell colour styles.
func (b *book) connectivity() error {
	p, st := b.p, &b.st
	heads := append([]string{}, connLead...)
	for _, proto := range planner.Protocols {
		heads = append(heads, planner.ProtocolName(proto))
	}
	heads = append(heads, connFullAccess)
	widths := make([]float64, len(heads))
	for i, h := range heads {
		widths[i] = measure(h)*1.1 + 4 // bold, and room for the filter button
	}
	fit := func(i int, s string) {
		for _, line := range strings.Split(s, "\n") {
			widths[i] = max(widths[i], measure(line)+2)
		}
	}

	// Every user of a cohort shares its cells: build them once per cohort
	// and location, from the Location column on.
	tails := make([][][]any, len(p.Cohorts))
	rowTexts := make([][][]string, len(p.Cohorts))
	for ci, co := range p.Cohorts {
		tails[ci] = make([][]any, len(planner.Locations))
		rowTexts[ci] = make([][]string, len(planner.Locations))
		for li, loc := range planner.Locations {
			texts := cohortRow(co, loc, b.versionOf)
			tail := make([]any, len(texts))
			for i, s := range texts {
				fit(i+1, s)
				var v any = s
				style := st.text
				switch {
				case i == 1: // Cohort
					v, style = co.ID, st.num
				case strings.Contains(s, "\n"):
					style = st.wrap
				}
				tail[i] = excelize.Cell{StyleID: style, Value: v}
			}
			tails[ci][li] = tail
			rowTexts[ci][li] = texts
		}
	}
	users := planjson.SortedUsers(p)
	for _, row := range users {
		fit(0, p.Inv.Mailboxes[row].Name)
	}
	for i := range widths {
		widths[i] = min(widths[i], 60)
	}
	// Rows with several paths in a cell are as tall as their text.
	heights := make([][]float64, len(p.Cohorts))
	for ci := range rowTexts {
		heights[ci] = make([]float64, len(planner.Locations))
		for li, row := range rowTexts[ci] {
			lines := 1
			for i, s := range row {
				if strings.Contains(s, "\n") {
					lines = max(lines, wrapLines(s, widths[i+1]))
				}
			}
			if lines > 1 {
				heights[ci][li] = rowHeight(lines)
			}
		}
	}

	header := make([]any, len(heads))
	for i, h := range heads {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}

	// The data rows are generated as the workbook is saved (rows.go): here
	// each sheet gets its header and a marker row to replace.
	rows := &connRows{
		marker:    b.connMarker,
		per:       sheetRowLimit - 1,
		locs:      len(planner.Locations),
		name:      func(row int32) string { return p.Inv.Mailboxes[row].Name },
		textStyle: st.text,
		tmpl:      make([][]rowTmpl, len(p.Cohorts)),
	}
	var err error
	if rows.colPrefix, err = colPrefixes(len(heads)); err != nil {
		return err
	}
	for ci := range p.Cohorts {
		rows.tmpl[ci] = make([]rowTmpl, len(planner.Locations))
		for li := range planner.Locations {
			t := rowTmpl{attrs: rowAttrs(heights[ci][li])}
			for _, v := range tails[ci][li] {
				c := v.(excelize.Cell)
				t.cells = append(t.cells, cellTail(nil, c.StyleID, c.Value))
			}
			rows.tmpl[ci][li] = t
		}
	}
	rows.users = make([]int32, 0, len(users))
	rows.cohort = make([]int32, 0, len(users))
	for _, row := range users {
		if co := p.CohortOf(int(row)); co != nil {
			rows.users = append(rows.users, int32(row))
			rows.cohort = append(rows.cohort, int32(co.ID-1))
		}
	}
	if rows.per <= 0 {
		return fmt.Errorf("sheet row limit %d too low", sheetRowLimit)
	}
	sheets := max(1, (rows.rows()+rows.per-1)/rows.per)
	if sheets > len(b.connSheets) {
		return fmt.Errorf("more rows than %d sheets hold", len(b.connSheets))
	}
	rows.done = make([]bool, sheets)
	for k := range sheets {
		sw, err := b.f.NewStreamWriter(b.connSheets[k])
		if err != nil {
			return err
		}
		for i, w := range widths {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(freezePanes(1)); err != nil {
			return err
		}
		if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 20}); err != nil {
			return err
		}
		if err := sw.SetRow("A2", []any{rows.marker + strconv.Itoa(k) + "."}); err != nil {
			return err
		}
		if err := b.closeConn(sw, k, 1+rows.sheetRows(k), len(heads)); err != nil {
			return err
		}
	}
	b.connRows = rows
	return nil
}

// closeConn adds the conditional formats, autofilter and print setup to a
// Connectivity sheet and flushes it. They must be set before Flush, which
// writes the streamed sheet's XML.
func (b *book) closeConn(sw *excelize.StreamWriter, sheet, lastRow, cols int) error {
	st := &b.st
	name := b.connSheets[sheet]
	last := max(lastRow, 2)
	overall := colRange(len(connLead), 2, last)
	if err := b.cond(name, overall,
		ifEqual(planner.OutcomeName(planner.OutcomeBroken), st.cfBad),
		ifEqual(planner.OutcomeName(planner.OutcomeWarning), st.cfWarn),
		ifEqual(notApplicable, st.cfMuted)); err != nil {
		return err
	}
	if err := b.cond(name, span(len(connLead)+1, 2, cols, last),
		ifContains("("+planner.OutcomeName(planner.OutcomeBroken)+")", st.cfBad),
		ifContains("("+planner.OutcomeName(planner.OutcomeWarning)+")", st.cfWarn),
		ifContains(notApplicable, st.cfMuted)); err != nil {
		return err
	}
	lastCell, err := excelize.CoordinatesToCellName(cols, max(lastRow, 1))
	if err != nil {
		return err
	}
	if err := b.f.AutoFilter(name, "A1:"+lastCell, nil); err != nil {
		return err
	}
	// Too wide to fit one page across: print landscape at full size.
	if err := b.printSetup(name, printOpts{titles: true, titleCols: 1}); err != nil {
		return err
	}
	return sw.Flush()
}

// cohortRow returns the texts of a Connectivity row from the Location column
// on, for the cohort's users at location loc. A protocol cell holds the
// user's own path and, on further lines, the same protocol entered at
// another name ("entered as mail.contoso.com: redirect-silent → …").
func cohortRow(co *planner.Cohort, loc string, versionOf func(string) string) []string {
	cells := map[string][]string{}
	var fullAccess []string
	worst := ""
	for _, pa := range planjson.SortedPaths(co) {
		if pa.Location != loc {
			continue
		}
		worst = worse(worst, pa.Outcome)
		text := pathText(pa, versionOf)
		switch {
		case pa.Secondary != "":
			fullAccess = append(fullAccess, fmt.Sprintf("%s · %s: %s", pa.Secondary, planner.ProtocolName(pa.Protocol), text))
		case pa.Entry != "":
			cells[pa.Protocol] = append(cells[pa.Protocol], "entered as "+pa.Entry+": "+text)
		default:
			// The own path sorts first (Entry "").
			cells[pa.Protocol] = append(cells[pa.Protocol], text)
		}
	}
	out := []string{loc, "", co.Mailbox.Server, co.Mailbox.Version, co.Mailbox.Site, outcomeText(worst)}
	for _, proto := range planner.Protocols {
		out = append(out, strings.Join(cells[proto], "\n"))
	}
	return append(out, strings.Join(fullAccess, "\n"))
}

// worse returns the worse of two outcomes: broken, warning, ok,
// not-applicable ("" is none yet).
func worse(a, b string) string {
	rank := func(o string) int {
		switch o {
		case planner.OutcomeBroken:
			return 3
		case planner.OutcomeWarning:
			return 2
		case planner.OutcomeOK:
			return 1
		case planner.OutcomeNotApplicable:
			return 0
		}
		return -1
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// outcomeText is an outcome in the reports' words ("Broken", "Not
// applicable").
func outcomeText(o string) string { return planner.OutcomeName(o) }

// pathText describes a path as "action → endpoint": the hop that decides
// where the request is served ("proxy → CAS2010-1", "redirect-silent →
// mail-region.contoso.com", "connect → MBX2016-1"), followed by the outcome
// in brackets when it is a warning or broken. versionOf returns a server's
// Exchange version ("2010").
func pathText(pa *planner.Path, versionOf func(string) string) string {
	if pa.Outcome == planner.OutcomeNotApplicable {
		return notApplicable
	}
	text := "no path"
	if h := decisiveHop(pa, versionOf); h != nil {
		action := h.Action
		if action == planner.ActBalance && len(pa.Hops) > 0 {
			action = pa.Hops[0].Action // the client's connection, handed on by the load balancer
		}
		text = action + " → " + endpoint(h)
	}
	switch pa.Outcome {
	case planner.OutcomeWarning, planner.OutcomeBroken:
		text += " (" + planner.OutcomeName(pa.Outcome) + ")"
	}
	return text
}

// decisiveHop is the hop that hands the request to the server answering
// it: the last hop, ignoring a trailing back-end hop of Exchange 2007/2010,
// from a Client Access server of the mailbox's version to the mailbox
// server (RPC/MAPI data access, the same with or without coexistence).
func decisiveHop(pa *planner.Path, versionOf func(string) string) *planner.Hop {
	hops := pa.Hops
	legacy := pa.Mailbox.Version == model.V2007.String() || pa.Mailbox.Version == model.V2010.String()
	for legacy && len(hops) > 1 {
		h := hops[len(hops)-1]
		if h.From == "client" || !strings.EqualFold(h.To, pa.Mailbox.Server) || versionOf(h.From) != pa.Mailbox.Version {
			break
		}
		hops = hops[:len(hops)-1]
	}
	if len(hops) == 0 {
		return nil
	}
	return &hops[len(hops)-1]
}

// versionOf returns the Exchange version of the named server ("2010"), or
// "" when it is not in the inventory.
func (b *book) versionOf(name string) string {
	if s := b.x.Server(name); s != nil {
		return s.Parsed.Version().String()
	}
	return ""
}

// endpoint is where a hop goes: the host name the client is sent to for
// redirects and URLs handed out, else the server.
func endpoint(h *planner.Hop) string {
	switch h.Action {
	case planner.ActRedirectSilent, planner.ActRedirectManual, planner.ActRedirect451, planner.ActDirect:
		if h.Host != "" {
			return h.Host
		}
	}
	if h.To != "" {
		return h.To
	}
	return h.Host
}

// freezePanes freezes the header row and the first xSplit columns.
func freezePanes(xSplit int) *excelize.Panes {
	topLeft, _ := excelize.CoordinatesToCellName(xSplit+1, 2)
	pane := "bottomLeft"
	if xSplit > 0 {
		pane = "bottomRight"
	}
	return &excelize.Panes{
		Freeze:      true,
		XSplit:      xSplit,
		YSplit:      1,
		TopLeftCell: topLeft,
		ActivePane:  pane,
		Selection:   []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: pane}},
	}
}
