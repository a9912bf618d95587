package report

import (
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/pdf"
)

// Blank is what an empty document-control field prints: a line to fill in
// by hand on the printed copy.
const Blank = "________________________"

// blank returns s, or Blank when s is empty.
func blank(s string) string {
	if s == "" {
		return Blank
	}
	return s
}

// blankApprovers is how many approval lines a document without approvers
// gets.
const blankApprovers = 2

// DocControl adds the document-control page (after the cover): customer,
// author, version, status and date, and an approval table with room to
// sign. Empty fields print as lines to fill in; the date is the plan's.
// Extra rows (such as the input's digest) follow the date.
func DocControl(doc *pdf.Document, dc planner.DocControl, title string, extra ...[2]string) {
	doc.Heading(1, "Document control")
	date := ""
	if !dc.Date.IsZero() {
		date = dc.Date.Format("2 January 2006")
	}
	doc.KeyValues(append([][2]string{
		{"Document", title},
		{"Customer", blank(dc.Customer)},
		{"Author", blank(dc.Author)},
		{"Organisation", blank(dc.Company)},
		{"Version", blank(dc.Version)},
		{"Status", blank(dc.Status)},
		{"Date", blank(date)},
	}, extra...))
	t := pdf.Table{Columns: []pdf.Column{{Title: "Approver", Width: 3}, {Title: "Decision (approved / rejected)", Width: 2.2}, {Title: "Signature", Width: 3}, {Title: "Date", Width: 1.6}}}
	names := dc.Approvers
	if len(names) == 0 {
		names = make([]string, blankApprovers)
	}
	for _, n := range names {
		t.Rows = append(t.Rows, []pdf.Cell{{Text: n, Bold: true, MinLines: 3}, {}, {}, {}})
	}
	doc.Table(t)
}

// docControl adds the report's document-control page.
func (r *report) docControl() {
	DocControl(r.doc, r.p.DocControl(), "Exchange coexistence plan")
}
