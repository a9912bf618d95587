// Package xlsx writes checklist.xlsx, the workbook consultants hand to
// customers and change boards: a summary with the readiness verdict, one
// sheet each for servers, TLS registry values, certificates and namespaces,
// every user's connectivity per protocol and location, and the findings with
// owner and status columns to track them.
//
// The workbook is deterministic: the same plan gives the same bytes. Document
// properties are pinned to the plan's as-of date, and a ZIP writer of our own
// (installed with excelize's SetZipWriter) stores the parts in name order
// with the as-of date as their timestamp, because excelize emits streamed
// sheets in map order.
//
// Every value that comes from the inventory is stored as a literal string,
// never as a formula, so a server named `=HYPERLINK(...)` stays text.
//
// This package is the only importer of github.com/xuri/excelize/v2.
package xlsx

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// Sheet names, in workbook order. Connectivity continues on "Connectivity 2",
// "Connectivity 3", … when its rows exceed Excel's row limit.
const (
	SheetSummary      = "Summary"
	SheetServers      = "Servers"
	SheetTLS          = "TLS"
	SheetCertificates = "Certificates"
	SheetNamespaces   = "Namespaces"
	SheetConnectivity = "Connectivity"
	SheetFindings     = "Findings"
)

// sheetRowLimit is the most rows one sheet holds, header included: Excel's
// 1,048,576. Tests lower it to exercise the overflow sheets.
var sheetRowLimit = 1_048_576

// Write writes the checklist workbook for p to w.
func Write(w io.Writer, p *planner.Plan) error {
	b, err := newBook(p)
	if err != nil {
		return err
	}
	defer b.f.Close()
	for _, step := range []struct {
		name string
		fn   func() error
	}{
		{SheetSummary, b.summary},
		{SheetServers, b.servers},
		{SheetTLS, b.tls},
		{SheetCertificates, b.certificates},
		{SheetNamespaces, b.namespaces},
		{SheetConnectivity, b.connectivity},
		{SheetFindings, b.findings},
	} {
		if err := step.fn(); err != nil {
			return fmt.Errorf("xlsx: %s sheet: %w", strings.ToLower(step.name), err)
		}
	}
	if err := b.docProps(); err != nil {
		return fmt.Errorf("xlsx: document properties: %w", err)
	}
	b.f.SetActiveSheet(0)
	// The archive goes straight to w; the buffer excelize would fill
	// (and hold whole) stays empty.
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		z := newSortedZip(w, zipTime(p.AsOf))
		z.rows = b.connRows
		return z
	})
	if _, err := b.f.WriteTo(io.Discard); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	if b.connRows != nil {
		return b.connRows.check()
	}
	return nil
}

// book is one workbook being written.
type book struct {
	p   *planner.Plan
	f   *excelize.File
	x   *model.Index
	st  styles
	org string
	// connSheets are the Connectivity sheet names, first one included.
	connSheets []string
	// connMarker marks the rows of a Connectivity sheet to generate, and
	// connRows generates them as the workbook is saved.
	connMarker string
	connRows   *connRows
	// byServer lists the findings about each server (index into
	// p.Findings), keyed by model.Key of the server name.
	byServer map[string][]int
	// checked reports whether any rule with the ID prefix ("COEX-",
	// "TLS-") exists, so a missing finding can say "OK".
	checked map[string]bool
}

func newBook(p *planner.Plan) (*book, error) {
	f := excelize.NewFile()
	b := &book{p: p, f: f, x: p.Index, org: p.Organization}
	var err error
	if b.connMarker, err = newMarker(); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	if b.x == nil {
		b.x = model.NewIndex(p.Inv)
	}
	if err := b.st.init(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: styles: %w", err)
	}
	rows := len(p.Inv.Mailboxes) * len(planner.Locations)
	per := sheetRowLimit - 1
	n := 1
	if per > 0 && rows > per {
		n = (rows + per - 1) / per
	}
	b.connSheets = []string{SheetConnectivity}
	for i := 2; i <= n; i++ {
		b.connSheets = append(b.connSheets, fmt.Sprintf("%s %d", SheetConnectivity, i))
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	names := []string{SheetServers, SheetTLS, SheetCertificates, SheetNamespaces}
	names = append(names, b.connSheets...)
	names = append(names, SheetFindings)
	for _, name := range names {
		if _, err := f.NewSheet(name); err != nil {
			f.Close()
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	}
	b.indexFindings()
	return b, nil
}

// indexFindings attributes findings to servers: a finding is about a server
// when its subject names it (by name or FQDN) or its fix changes the
// server's registry.
func (b *book) indexFindings() {
	b.byServer = map[string][]int{}
	for i, f := range b.p.Findings {
		seen := ""
		for _, name := range []string{f.Subject, f.Fix.Server} {
			if name == "" {
				continue
			}
			if s := b.x.Server(name); s != nil {
				k := model.Key(s.Name)
				if k != seen {
					b.byServer[k] = append(b.byServer[k], i)
					seen = k
				}
			}
		}
	}
	b.checked = map[string]bool{}
	for _, r := range planner.Rules() {
		for _, prefix := range []string{"COEX-", "TLS-", "CERT-"} {
			if strings.HasPrefix(r.ID, prefix) {
				b.checked[prefix] = true
			}
		}
	}
}

// serverFindings returns the findings about server s whose ID starts with
// prefix ("" for all).
func (b *book) serverFindings(s *model.Server, prefix string) []*planner.Finding {
	var out []*planner.Finding
	for _, i := range b.byServer[model.Key(s.Name)] {
		if f := &b.p.Findings[i]; strings.HasPrefix(f.ID, prefix) {
			out = append(out, f)
		}
	}
	return out
}

func (b *book) docProps() error {
	props := &excelize.DocProperties{
		Creator:        "coexist",
		LastModifiedBy: "coexist",
		Title:          "Exchange coexistence checklist",
		Subject:        "Exchange coexistence checklist",
		Keywords:       "Exchange; coexistence; migration; checklist",
		Category:       "Migration plan",
		Language:       "en",
	}
	if b.org != "" {
		props.Title += ": " + b.org
	}
	if !b.p.AsOf.IsZero() {
		stamp := b.p.AsOf.UTC().Format("2006-01-02T15:04:05Z")
		props.Created, props.Modified = stamp, stamp
		props.Description = "Planned by coexist as of " + b.p.AsOf.Format("2006-01-02") + "."
	}
	return b.f.SetDocProps(props)
}

// zipTime is the timestamp of the workbook's ZIP entries: the plan's as-of
// date, or none when the plan has no date.
func zipTime(asOf time.Time) time.Time {
	if asOf.IsZero() {
		return time.Time{}
	}
	return asOf.UTC()
}
