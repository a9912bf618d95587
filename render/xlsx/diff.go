package xlsx

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/planjson"
	"github.com/xuri/excelize/v2"
)

// Sheet names of diff.xlsx, the workbook of a what-if or diff, in workbook
// order. The Summary and Findings sheets share their names with the
// checklist's.
const (
	SheetChanges     = "Changes"
	SheetClientSteps = "Client steps"
)

// Change kinds of planner.PathChange.
const (
	kindNewlyBroken = "newly-broken"
	kindOutcome     = "outcome"
	kindFixed       = "fixed"
	kindRoute       = "route"
)

// kindName is a change kind in the words of diff.pdf and diff.html, not
// plan.json's value.
func kindName(kind string) string { return planner.ChangeKindName(kind) }

// diffSheetGuide describes each sheet of diff.xlsx on its Summary.
var diffSheetGuide = [][2]string{
	{SheetChanges, "One row per path that changes for a group of users: kind, protocol, location, the users, and the path before and after (name → server (action, auth) → …) with its outcome."},
	{SheetFindings, "Findings the change introduces, resolves or rewords, with their remediation and source."},
	{SheetClientSteps, "What users will notice and what to tell them or do (Outlook restarts, new host names, certificates)."},
}

// maxMergedEdits is how many edits the Summary lists in cells merged
// across the value columns. Excelize checks every merged range against
// every other when it saves, so 100,000 merged rows took two minutes.
const maxMergedEdits = 500

// WriteDiff writes diff.xlsx, the change-board workbook of d: a Summary
// with the verdict, the counts and the edits; the path Changes; the
// Findings introduced, resolved and reworded; and the Client steps. Like
// the checklist it is deterministic (document properties and ZIP entries
// are dated d.After.AsOf) and stores every text as a literal string.
func WriteDiff(w io.Writer, d *planner.Diff) error {
	if d == nil || d.After == nil || d.Before == nil {
		return errors.New("xlsx: no diff")
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{p: d.After, f: f, org: d.Organization}
	if err := b.st.init(f); err != nil {
		return fmt.Errorf("xlsx: styles: %w", err)
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for _, name := range []string{SheetChanges, SheetFindings, SheetClientSteps} {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	for _, step := range []struct {
		name string
		fn   func(*planner.Diff) error
	}{
		{SheetSummary, b.diffSummary},
		{SheetChanges, b.diffChanges},
		{SheetFindings, b.diffFindings},
		{SheetClientSteps, b.diffSteps},
	} {
		if err := step.fn(d); err != nil {
			return fmt.Errorf("xlsx: %s sheet: %w", strings.ToLower(step.name), err)
		}
	}
	if err := b.diffDocProps(); err != nil {
		return fmt.Errorf("xlsx: document properties: %w", err)
	}
	f.SetActiveSheet(0)
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newSortedZip(w, zipTime(d.After.AsOf)) })
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

// diffVerdict is the verdict of a diff and the style of its Summary cell.
func (b *book) diffVerdict(d *planner.Diff) (string, int) {
	v := planjson.Verdict(d)
	switch {
	case d.Risk:
		return v, b.st.notReady
	case strings.HasPrefix(v, "No effect"):
		return v, b.st.infoReady
	}
	return v, b.st.ready
}

// blockingCount is the number of introduced findings of severity error.
func blockingCount(fs []planner.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == planner.SevError {
			n++
		}
	}
	return n
}

// diffSummary writes the Summary sheet: the verdict, the counts, the edits
// and a guide to the other sheets.
func (b *book) diffSummary(d *planner.Diff) error {
	const sh = SheetSummary
	f, st := b.f, &b.st
	put := func(col, row int, v any, style int) error {
		t := table{b: b, sheet: sh}
		return t.set(col, row, v, style)
	}
	var errs []error
	must := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	asOf := d.After.AsOf
	must(put(1, 1, "Change assessment", st.title))
	must(f.SetRowHeight(sh, 1, 30))
	sub := b.org
	if !asOf.IsZero() {
		sub += " · as of " + asOf.Format("2006-01-02")
	}
	must(put(1, 2, strings.TrimPrefix(sub, " · "), st.subtitle))

	row := 4
	// label writes a key and its value and returns the row.
	label := func(name string, v any, style int) int {
		must(put(1, row, name, st.label))
		must(put(2, row, v, style))
		row++
		return row - 1
	}
	label("Organisation", b.org, st.kvText)
	if asOf.IsZero() {
		label("As of", "not set", st.kvText)
	} else {
		label("As of", date(asOf), st.kvDate)
	}
	verdict, vstyle := b.diffVerdict(d)
	must(f.MergeCell(sh, span(2, row, 6, row), ""))
	must(f.SetRowHeight(sh, row, 22))
	label("Verdict", verdict, vstyle)
	// The verdict speaks for the assessed areas only: say so beside it.
	scope := planner.ScopeLine()
	must(f.MergeCell(sh, span(2, row, 6, row), ""))
	must(f.SetRowHeight(sh, row, mergedHeight(scope, 5*summaryColWidth)))
	label("Scope of the verdict", scope, st.wrap)
	users := 0
	if d.Before.Inv != nil {
		users = len(d.Before.Inv.Mailboxes)
	}
	blocking := blockingCount(d.Introduced)
	label("Users", users, st.kvNum)
	label("Users whose paths change", d.UsersChanged, st.kvNum)
	// The counts that make a change risky turn red when non-zero, fixed
	// paths green.
	flag := func(r, dxf int) {
		must(b.cond(sh, cellName(2, r), ifNumber(">", 0, dxf)))
	}
	flag(label("Users with a newly broken path", d.UsersNewlyBroken, st.kvNum), st.cfBad)
	flag(label("User paths newly broken", d.PathsNewlyBroken, st.kvNum), st.cfBad)
	flag(label("User paths fixed", d.PathsFixed, st.kvNum), st.cfGood)
	label("Path changes (rows on Changes)", len(d.Changes), st.kvNum)
	label("Findings introduced", len(d.Introduced), st.kvNum)
	flag(label("of which blocking (error)", blocking, st.kvNum), st.cfBad)
	label("Findings resolved", len(d.Resolved), st.kvNum)
	label("Findings reworded", len(d.Changed), st.kvNum)
	label("Client steps", len(d.Steps), st.kvNum)

	section := func(title string, heads ...string) {
		row++
		must(put(1, row, title, st.section))
		for col := 2; col <= 6; col++ {
			must(put(col, row, nil, st.section))
		}
		row++
		for i, h := range heads {
			must(put(i+1, row, h, st.header))
		}
		if len(heads) == 2 {
			must(f.MergeCell(sh, span(2, row, 6, row), ""))
			for col := 3; col <= 6; col++ {
				must(put(col, row, nil, st.header))
			}
		}
		row++
	}
	// wide writes a label and a text merged across the value columns; a
	// merged cell does not grow with its text, so the row is sized here.
	wide := func(key, text string) {
		must(put(1, row, key, st.text))
		must(f.MergeCell(sh, span(2, row, 6, row), ""))
		must(put(2, row, text, st.wrap))
		for col := 3; col <= 6; col++ {
			must(put(col, row, nil, st.wrap))
		}
		if n := wrapLines(text, summaryValueWidth); n > 1 {
			must(f.SetRowHeight(sh, row, rowHeight(n)))
		}
		row++
	}

	section("The change", "Edit", "Description")
	if len(d.Edits) == 0 {
		wide("—", "No edits recorded.")
	}
	for i, e := range d.Edits {
		key, text := fmt.Sprint(i+1), e
		// whatif numbers its edits "1. move-namespace: note".
		if n, rest, ok := strings.Cut(e, ". "); ok && n == key {
			text = rest
		}
		if i < maxMergedEdits {
			wide(key, text)
			continue
		}
		// Past maxMergedEdits the text is not merged: unwrapped, it runs on
		// over the empty cells to its right.
		must(put(1, row, key, st.text))
		must(put(2, row, text, st.text))
		row++
	}

	section("Changes by kind", "Kind", "Changes", "User paths", "Protocols")
	for _, k := range []struct{ kind, name string }{
		{kindNewlyBroken, "worked, now broken"}, {kindOutcome, "another outcome change"},
		{kindFixed, "was broken, now works"}, {kindRoute, "same outcome, other hops"},
	} {
		n, users := 0, 0
		var protos []string
		for _, c := range d.Changes {
			if c.Kind != k.kind {
				continue
			}
			n++
			users += c.Users
			if name := planner.ProtocolName(c.Protocol); !slices.Contains(protos, name) {
				protos = append(protos, name)
			}
		}
		must(put(1, row, kindName(k.kind)+" ("+k.name+")", st.text))
		must(put(2, row, n, st.num))
		must(put(3, row, users, st.num))
		must(f.MergeCell(sh, span(4, row, 6, row), ""))
		must(put(4, row, strings.Join(protos, ", "), st.wrap))
		for col := 5; col <= 6; col++ {
			must(put(col, row, nil, st.wrap))
		}
		if l := wrapLines(strings.Join(protos, ", "), 3*summaryColWidth); l > 1 {
			must(f.SetRowHeight(sh, row, rowHeight(l)))
		}
		if n > 0 {
			switch k.kind {
			case kindNewlyBroken:
				must(f.SetCellStyle(sh, cellName(1, row), cellName(1, row), st.statusError))
			case kindFixed:
				must(f.SetCellStyle(sh, cellName(1, row), cellName(1, row), st.statusOK))
			case kindOutcome:
				must(f.SetCellStyle(sh, cellName(1, row), cellName(1, row), st.statusWarning))
			}
		}
		row++
	}

	section("Sheets in this workbook", "Sheet", "Contents")
	for _, g := range diffSheetGuide {
		wide(g[0], g[1])
	}

	must(f.SetColWidth(sh, "A", "A", 36))
	must(f.SetColWidth(sh, "B", "F", summaryColWidth))
	noGrid := false
	must(f.SetSheetView(sh, 0, &excelize.ViewOptions{ShowGridLines: &noGrid}))
	must(b.printSetup(sh, printOpts{fitWidth: true, portrait: true}))
	return errors.Join(errs...)
}

// Widths of the diff Summary's value columns B–F, one and merged.
const (
	summaryColWidth   = 16
	summaryValueWidth = 5 * summaryColWidth
)

// diffChanges writes the Changes sheet: one row per path change, in the
// diff's order (newly broken first).
func (b *book) diffChanges(d *planner.Diff) error {
	const sh = SheetChanges
	st := &b.st
	t, err := b.newTable(sh, []column{
		{head: "Kind", min: 14},
		{head: "Protocol", min: 10},
		{head: "Location", min: 10},
		{head: "Path", min: 10, max: 34, style: st.wrap},
		{head: "Users", min: 8, style: st.num},
		{head: "Sample users", min: 14, max: 34, style: st.wrap},
		{head: "Before", min: 30, max: 60, style: st.wrap},
		{head: "Before outcome", min: 12},
		{head: "After", min: 30, max: 60, style: st.wrap},
		{head: "After outcome", min: 12},
		{head: "Why (after the change)", min: 30, max: 60, style: st.wrap},
		{head: "Rules (after)", min: 14, max: 34, style: st.wrap},
		{head: "Sources (after)", min: 30, max: 60, style: st.wrap},
	})
	if err != nil {
		return err
	}
	for _, c := range d.Changes {
		sample := strings.Join(c.Sample, ", ")
		if more := c.Users - len(c.Sample); more > 0 {
			sample += fmt.Sprintf(" and %d more", more)
		}
		if err := t.add(kindName(c.Kind), planner.ProtocolName(c.Protocol), c.Location, changeScope(c), c.Users, sample,
			chainText(c.Before), outcomeText(c.Before.Outcome), chainText(c.After), outcomeText(c.After.Outcome),
			strings.Join(newNotes(c.Before, c.After), "\n"), strings.Join(c.After.Rules, ", "),
			citations(planner.RuleSources(c.After.Rules), "")); err != nil {
			return err
		}
	}
	t.xSplit = 1
	if err := t.finish(); err != nil {
		return err
	}
	if len(d.Changes) == 0 {
		return nil
	}
	if err := b.cond(sh, colRange(1, 2, t.row),
		ifEqual(kindName(kindNewlyBroken), st.cfBad),
		ifEqual(kindName(kindOutcome), st.cfWarn),
		ifEqual(kindName(kindFixed), st.cfGood),
		ifEqual(kindName(kindRoute), st.cfInfo)); err != nil {
		return err
	}
	for _, col := range []int{8, 10} {
		if err := b.cond(sh, colRange(col, 2, t.row),
			ifEqual(planner.OutcomeBroken, st.cfBad),
			ifEqual(planner.OutcomeWarning, st.cfWarn),
			ifEqual(planner.OutcomeOK, st.cfGood),
			ifEqual(notApplicable, st.cfMuted)); err != nil {
			return err
		}
	}
	return nil
}

// changeScope says which of the users' paths a change is about beyond
// protocol and location: the own mailbox, a name entered other than the
// user's own namespace, or a Full Access mailbox.
func changeScope(c planner.PathChange) string {
	var parts []string
	if c.Entry != "" {
		parts = append(parts, "entered as "+c.Entry)
	}
	if c.Secondary != "" {
		parts = append(parts, "Full Access mailbox in "+c.Secondary)
	}
	if len(parts) == 0 {
		return "own mailbox"
	}
	return strings.Join(parts, "; ")
}

// chainText renders a path's hops on one line: the name the client uses,
// then each server with the hop's action and authentication, and the name
// a hop uses when it is not the server's own:
// "mail.contoso.com → MBX2016-1 (connect, fba) → CAS2010-2 at
// mail-region.contoso.com (redirect-silent, fba)".
func chainText(p planner.Path) string {
	if len(p.Hops) == 0 {
		if p.Outcome == planner.OutcomeNotApplicable {
			return notApplicable
		}
		return "no path"
	}
	var s strings.Builder
	for i, h := range p.Hops {
		switch {
		case i == 0:
			s.WriteString(h.Host + " → " + h.To)
		case h.Host == "" || isOwnName(h.Host, h.To):
			s.WriteString(" → " + h.To)
		default:
			s.WriteString(" → " + h.To + " at " + h.Host)
		}
		if h.Auth != "" {
			s.WriteString(" (" + h.Action + ", " + h.Auth + ")")
		} else {
			s.WriteString(" (" + h.Action + ")")
		}
	}
	return s.String()
}

// isOwnName reports whether host is server's own name: the name itself or
// an FQDN starting with it.
func isOwnName(host, server string) bool {
	h, s := strings.ToLower(host), strings.ToLower(server)
	return h == s || strings.HasPrefix(h, s+".")
}

// newNotes are the notes of the path after the change that it did not
// have before: why the outcome or the route changed. They name their rule;
// the row's Sources column cites the rules' sources.
func newNotes(before, after planner.Path) []string {
	var out []string
	for _, n := range after.Notes {
		if !slices.Contains(before.Notes, n) {
			out = append(out, planner.NoteForReader(n))
		}
	}
	return out
}

// diffFindings writes the Findings sheet: the introduced, resolved and
// reworded findings.
func (b *book) diffFindings(d *planner.Diff) error {
	const sh = SheetFindings
	st := &b.st
	t, err := b.newTable(sh, []column{
		{head: "Change", min: 12},
		{head: "ID", min: 10, max: 22},
		{head: "Severity", min: 10},
		{head: "Subject", min: 12, max: 30, style: st.wrap},
		{head: "Message", min: 30, max: 60, style: st.wrap},
		{head: "Remediation", min: 30, max: 80, style: st.wrap},
		{head: "Sources", min: 30, max: 60, style: st.wrap},
	})
	if err != nil {
		return err
	}
	for _, g := range []struct {
		change string
		fs     []planner.Finding
	}{{"introduced", d.Introduced}, {"resolved", d.Resolved}, {"reworded", d.Changed}} {
		for _, f := range g.fs {
			if err := t.add(g.change, f.ID, planner.SeverityName(f.Severity), f.Subject, f.Message, f.Remediation, sourceText(f)); err != nil {
				return err
			}
		}
	}
	if err := t.finish(); err != nil {
		return err
	}
	if t.row < 2 {
		return nil
	}
	if err := b.cond(sh, colRange(1, 2, t.row),
		ifEqual("introduced", st.cfBad),
		ifEqual("resolved", st.cfGood),
		ifEqual("reworded", st.cfInfo)); err != nil {
		return err
	}
	return b.cond(sh, colRange(3, 2, t.row),
		ifEqual(string(planner.SevError), st.cfBad),
		ifEqual(string(planner.SevWarning), st.cfWarn),
		ifEqual(string(planner.SevInfo), st.cfInfo))
}

// diffSteps writes the Client steps sheet.
func (b *book) diffSteps(d *planner.Diff) error {
	st := &b.st
	t, err := b.newTable(SheetClientSteps, []column{
		{head: "Users", min: 8, style: st.num},
		{head: "Sample users", min: 14, max: 34, style: st.wrap},
		{head: "Step", min: 40, max: 90, style: st.wrap},
		{head: "Sources", min: 30, max: 60, style: st.wrap},
	})
	if err != nil {
		return err
	}
	for _, s := range d.Steps {
		sample := strings.Join(s.Sample, ", ")
		if more := s.Users - len(s.Sample); more > 0 {
			sample += fmt.Sprintf(" and %d more", more)
		}
		basis := planner.Basis("")
		if s.Inferred {
			basis = planner.BasisInferred
		}
		if err := t.add(s.Users, sample, s.Text, citations(s.Sources, basis)); err != nil {
			return err
		}
	}
	return t.finish()
}

func (b *book) diffDocProps() error {
	props := &excelize.DocProperties{
		Creator:        "coexist",
		LastModifiedBy: "coexist",
		Title:          "Exchange change assessment",
		Subject:        "Exchange coexistence what-if: change assessment",
		Keywords:       "Exchange; coexistence; migration; change; what-if",
		Category:       "Change assessment",
		Language:       "en",
	}
	if b.org != "" {
		props.Title += ": " + b.org
	}
	if asOf := b.p.AsOf; !asOf.IsZero() {
		stamp := asOf.UTC().Format("2006-01-02T15:04:05Z")
		props.Created, props.Modified = stamp, stamp
		props.Description = "Assessed by coexist as of " + asOf.Format("2006-01-02") + "."
	}
	return b.f.SetDocProps(props)
}
