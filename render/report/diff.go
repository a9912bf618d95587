package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/pdf"
	"github.com/coexist/coexist/render/planjson"
)

// DiffInput is what diff.pdf, the change assessment of a what-if or diff,
// is made from.
type DiffInput struct {
	// Diff is the change: the plans before and after and what differs.
	Diff *planner.Diff
	// Digest is the SHA-256 (hex) of the base inventory files' bytes.
	Digest string
	// Fonts draws the characters the embedded Go fonts lack (CJK…); nil
	// records them as missing.
	Fonts *pdf.Fonts
}

// MaxChangeRows is the most path changes a protocol's table in diff.pdf
// lists; the rest are counted in one line that points to diff.xlsx.
const MaxChangeRows = 40

// WriteDiff writes diff.pdf for in.Diff to w. Page 1 is the change board's
// answer on its own: the verdict, the change, the key counts, the newly
// broken paths and new blocking findings, and the client steps, with long
// lists cut to fit the page ("… N more, see diff.xlsx"). The details
// follow: the path changes by protocol, the findings introduced, resolved
// and reworded, every client step, and the sources of the rules involved.
// The same input always gives the same bytes.
func WriteDiff(w io.Writer, in DiffInput) error {
	d := in.Diff
	if d == nil || d.Before == nil || d.After == nil {
		return errors.New("diff report: no diff")
	}
	s := newDiffSummary(in)
	lim, err := s.fit()
	if err != nil {
		return fmt.Errorf("diff report: %w", err)
	}
	doc := s.newDoc()
	s.page(doc, lim)
	DocControl(doc, d.After.DocControl(), "Change assessment")
	dr := &diffReport{d: d, bib: d.Bibliography(), in: in, doc: doc, org: s.org}
	dr.changes()
	dr.findings()
	dr.steps()
	dr.appendix()
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("diff report: %w", err)
	}
	return nil
}

// Verdict kinds of the page 1 callout.
const (
	diffRisk     = "error"
	diffSafe     = "ok"
	diffNoEffect = "info"
)

// diffKind is the callout kind of a diff's verdict.
func diffKind(d *planner.Diff) string {
	switch v := planjson.Verdict(d); {
	case d.Risk:
		return diffRisk
	case strings.HasPrefix(v, "No effect"):
		return diffNoEffect
	}
	return diffSafe
}

// Change kinds, in the diff's order, with their names in narrow table
// columns (planner.ChangeKindName names them elsewhere).
var changeKinds = []struct{ kind, short string }{
	{"newly-broken", "Newly broken"},
	{"outcome", "Outcome"},
	{"fixed", "Fixed"},
	{"route", "Route"},
}

// kindCell shows a change kind, by its short name when short, in the
// colours of what it means.
func kindCell(kind string, short bool) pdf.Cell {
	c := pdf.Cell{Text: kind, Bold: true}
	for _, k := range changeKinds {
		if k.kind == kind {
			c.Text = planner.ChangeKindName(kind)
			if short {
				c.Text = k.short
			}
		}
	}
	switch kind {
	case "newly-broken":
		c.Fill, c.Color = colBrokenBG, colBrokenFG
	case "outcome":
		c.Fill, c.Color = colWarnBG, colWarnFG
	case "fixed":
		c.Fill, c.Color = colOKBG, colOKFG
	default:
		c.Bold, c.Color = false, colInfoFG
	}
	return c
}

// diffSummary builds page 1.
type diffSummary struct {
	in       DiffInput
	d        *planner.Diff
	org      string
	broken   []planner.PathChange
	blocking []planner.Finding
}

func newDiffSummary(in DiffInput) *diffSummary {
	d := in.Diff
	s := &diffSummary{in: in, d: d, org: orgName(d.After)}
	if strings.TrimSpace(d.Organization) != "" {
		s.org = d.Organization
	}
	for _, c := range d.Changes {
		if c.Kind == "newly-broken" {
			s.broken = append(s.broken, c)
		}
	}
	for _, f := range d.Introduced {
		if f.Severity == planner.SevError {
			s.blocking = append(s.blocking, f)
		}
	}
	return s
}

func (s *diffSummary) newDoc() *pdf.Document {
	doc := pdf.New(pdf.Meta{
		Title:   "Change assessment · " + s.org,
		Subject: s.org + " · effect of a change on paths and findings",
		Creator: "coexist",
		Date:    s.d.After.AsOf,
	})
	doc.SetFonts(s.in.Fonts)
	return doc
}

// pageSample is the most sample users page 1 names per row.
const pageSample = 3

// pageLimits bound what page 1 lists: the most edits, newly broken paths,
// blocking findings and client steps, the longest text of a cell, and
// whether the overview of the changes by kind and the pointer to the
// following pages are shown.
type pageLimits struct {
	edits, broken, blocking, steps int
	text                           int
	kinds, next                    bool
}

// fit finds the most generous limits with which page 1 fits on one page.
// The kit does not measure content, so a candidate is laid out on its own
// and its pages counted. The candidates are a ladder, each giving up a
// little more than the one before, least important first; as each lists
// less than the one before, a binary search finds the first that fits in a
// few layouts. Most diffs fit the first.
func (s *diffSummary) fit() (pageLimits, error) {
	ladder := limitLadder()
	fits := func(i int) (bool, error) {
		n, err := s.pages(ladder[i])
		return n <= 1, err
	}
	ok, err := fits(0)
	if ok || err != nil {
		return ladder[0], err
	}
	// ladder[lo] does not fit; ladder[hi] fits, or is the shortest there is.
	lo, hi := 0, len(ladder)-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		ok, err := fits(mid)
		if err != nil {
			return ladder[0], err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	return ladder[hi], nil
}

// limitLadder lists page 1's limits from the most generous to the
// shortest.
func limitLadder() []pageLimits {
	lim := pageLimits{edits: 8, broken: 6, blocking: 4, steps: 6, text: 260, kinds: true, next: true}
	ladder := []pageLimits{lim}
	for _, step := range []func(*pageLimits){
		func(l *pageLimits) { l.next = false },
		func(l *pageLimits) { l.steps = 4 },
		func(l *pageLimits) { l.edits = 4 },
		func(l *pageLimits) { l.broken = 4 },
		func(l *pageLimits) { l.blocking = 3 },
		func(l *pageLimits) { l.kinds = false },
		func(l *pageLimits) { l.text = 160 },
		func(l *pageLimits) { l.steps = 2 },
		func(l *pageLimits) { l.broken = 3 },
		func(l *pageLimits) { l.blocking = 2 },
		func(l *pageLimits) { l.edits = 2 },
		func(l *pageLimits) { l.steps = 1 },
		func(l *pageLimits) { l.broken = 2 },
		func(l *pageLimits) { l.text = 100 },
		func(l *pageLimits) { l.blocking = 1 },
		func(l *pageLimits) { l.edits = 1 },
		func(l *pageLimits) { l.broken = 1 },
		func(l *pageLimits) { l.steps = 0 },
		func(l *pageLimits) { l.text = 60 },
	} {
		step(&lim)
		ladder = append(ladder, lim)
	}
	return ladder
}

// pages lays out page 1 alone with lim and counts its pages.
func (s *diffSummary) pages(lim pageLimits) (int, error) {
	doc := s.newDoc()
	s.page(doc, lim)
	var b bytes.Buffer
	if err := doc.Write(&b); err != nil {
		return 0, err
	}
	n := pageCount(b.Bytes())
	if n == 0 {
		return 0, errors.New("cannot count the pages of the summary")
	}
	return n, nil
}

// pageCount counts the page objects of a PDF written by the kit.
func pageCount(b []byte) int {
	return bytes.Count(b, []byte("<</Type /Page\n"))
}

// page adds page 1: the change board's summary.
func (s *diffSummary) page(doc *pdf.Document, lim pageLimits) {
	d := s.d
	doc.Heading(1, "Change assessment")
	date := "not recorded"
	if !d.After.AsOf.IsZero() {
		date = d.After.AsOf.Format("2 January 2006")
	}
	doc.KeyValues([][2]string{
		{"Organisation", clip(s.org, lim.text)},
		{"Assessed as of", date},
		{"Base inventory", shortDigest(s.in.Digest)},
		{"The change", s.editsText(lim)},
	})
	// The verdict speaks for the assessed areas only: its box says so.
	doc.Callout(diffKind(d), planjson.Verdict(d), s.verdictText()+"\n"+scopeNote())
	doc.Table(s.countsTable())

	if len(s.broken) > 0 {
		doc.Heading(2, "Newly broken paths")
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Protocol", Width: 1.4}, {Title: "Users", Width: 1.6},
			{Title: "Path", Width: 2.8}, {Title: "Why it breaks", Width: 3.2},
		}}
		for _, c := range s.broken[:min(len(s.broken), lim.broken)] {
			why := strings.Join(stripAll(newNotes(c.Before, c.After)), " ")
			if why == "" {
				why = "The outcome changes from " + strings.ToLower(outcomeName(c.Before.Outcome)) + " to broken."
			}
			t.Rows = append(t.Rows, []pdf.Cell{
				{Text: shortProtocol(c.Protocol) + "\n" + locationText(c), Bold: true},
				{Text: usersText(c.Users, c.Sample[:min(len(c.Sample), pageSample)])},
				{Text: clip(chainLine(c.After), lim.text)},
				{Text: clip(why, lim.text), Color: colBrokenFG},
			})
		}
		if more := len(s.broken) - lim.broken; more > 0 {
			t.Rows = append(t.Rows, moreRow(4, 3, fmt.Sprintf("… %s more, see diff.xlsx", num(more))))
		}
		doc.Table(t)
	}

	if len(s.blocking) > 0 {
		doc.Heading(2, "New blocking findings")
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Finding", Width: 1.7}, {Title: "Subject", Width: 1.2}, {Title: "Problem", Width: 5.1},
		}}
		for _, f := range s.blocking[:min(len(s.blocking), lim.blocking)] {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: f.ID, Bold: true, Color: colBrokenFG}, {Text: f.Subject}, {Text: clip(f.Message, lim.text)}})
		}
		if more := len(s.blocking) - lim.blocking; more > 0 {
			t.Rows = append(t.Rows, moreRow(3, 2, fmt.Sprintf("… %s more, see diff.xlsx", num(more))))
		}
		doc.Table(t)
	}

	// The changes by kind, unless every change is a newly broken path
	// listed above.
	if lim.kinds && len(d.Changes) > len(s.broken) {
		doc.Heading(2, "What changes")
		doc.Table(s.kindsTable())
	}

	doc.Heading(2, "Client steps")
	switch {
	case len(d.Steps) == 0:
		doc.Paragraph("None: no mailbox moves, and no client is sent to another server or name.")
	case lim.steps == 0:
		doc.Paragraph(fmt.Sprintf("%s: see \"Client steps\" below and diff.xlsx.", capital(plural(len(d.Steps), "client step", "client steps"))))
	default:
		t := pdf.Table{Columns: []pdf.Column{{Title: "Users", Width: 1.8}, {Title: "What users notice or must do", Width: 6.2}}}
		for _, st := range d.Steps[:min(len(d.Steps), lim.steps)] {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: usersText(st.Users, st.Sample[:min(len(st.Sample), pageSample)])}, {Text: clip(st.Text, lim.text)}})
		}
		if more := len(d.Steps) - lim.steps; more > 0 {
			t.Rows = append(t.Rows, moreRow(2, 1, fmt.Sprintf("… %s more, see diff.xlsx", num(more))))
		}
		doc.Table(t)
	}
	if lim.next {
		doc.Paragraph("The following pages give every path change by protocol, the findings introduced, resolved and reworded, all client steps and the sources of the rules involved. diff.xlsx lists every change with its users.")
	}
}

// editsText lists the edits, one per line, at most lim.edits.
func (s *diffSummary) editsText(lim pageLimits) string {
	edits := s.d.Edits
	if len(edits) == 0 {
		return "not described"
	}
	var lines []string
	for _, e := range edits[:min(len(edits), lim.edits)] {
		lines = append(lines, clip(e, lim.text))
	}
	if more := len(edits) - lim.edits; more > 0 {
		lines = append(lines, fmt.Sprintf("… %s more, see diff.xlsx", num(more)))
	}
	return strings.Join(lines, "\n")
}

// verdictText gives the reasons for the verdict.
func (s *diffSummary) verdictText() string {
	d := s.d
	users := userCount(d)
	var parts []string
	switch diffKind(d) {
	case diffNoEffect:
		return fmt.Sprintf("No user's path changes (%s planned) and no finding is introduced or resolved.", plural(users, "user", "users"))
	case diffRisk:
		if d.UsersNewlyBroken > 0 {
			parts = append(parts, fmt.Sprintf("%s %s a working path (%s newly broken).",
				capital(plural(d.UsersNewlyBroken, "user", "users")), pick(d.UsersNewlyBroken, "loses", "lose"),
				plural(d.PathsNewlyBroken, "user path", "user paths")))
		}
		if n := len(s.blocking); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s introduced.", capital(plural(n, "blocking finding", "blocking findings")), pick(n, "is", "are")))
		}
		parts = append(parts, "Resolve these, or change the plan, before approving the change.")
	}
	if diffKind(d) != diffNoEffect {
		parts = append(parts, fmt.Sprintf("The paths of %s of %s change.", num(d.UsersChanged), plural(users, "user", "users")))
	}
	if d.PathsFixed > 0 {
		parts = append(parts, fmt.Sprintf("%s fixed.", capital(plural(d.PathsFixed, "broken user path is", "broken user paths are"))))
	}
	return strings.Join(parts, " ")
}

// countsTable shows the key counts in one row, the risky ones red when
// not zero and the fixed paths green.
func (s *diffSummary) countsTable() pdf.Table {
	d := s.d
	cols := []string{"Users whose paths change", "Users newly broken", "User paths newly broken", "User paths fixed",
		"Findings introduced", "of which blocking", "Findings resolved"}
	t := pdf.Table{}
	for _, c := range cols {
		t.Columns = append(t.Columns, pdf.Column{Title: c, Width: 1, Align: pdf.AlignCenter})
	}
	cell := func(n int, bad, good bool) pdf.Cell {
		c := pdf.Cell{Text: num(n), Bold: true}
		switch {
		case n == 0:
			c.Bold, c.Color = false, colMutedFG
		case bad:
			c.Fill, c.Color = colBrokenBG, colBrokenFG
		case good:
			c.Fill, c.Color = colOKBG, colOKFG
		}
		return c
	}
	changed := cell(d.UsersChanged, false, false)
	changed.Text += " of " + num(userCount(d))
	t.Rows = [][]pdf.Cell{{
		changed,
		cell(d.UsersNewlyBroken, true, false),
		cell(d.PathsNewlyBroken, true, false),
		cell(d.PathsFixed, false, true),
		cell(len(d.Introduced), false, false),
		cell(len(s.blocking), true, false),
		cell(len(d.Resolved), false, true),
	}}
	return t
}

// kindsTable counts the path changes by kind, with the protocols they
// touch.
func (s *diffSummary) kindsTable() pdf.Table {
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Change", Width: 1.6}, {Title: "Changes", Width: 1, Align: pdf.AlignRight},
		{Title: "User paths", Width: 1.1, Align: pdf.AlignRight}, {Title: "Protocols", Width: 4.7},
	}}
	for _, k := range changeKinds {
		n, users := 0, 0
		var protos []string
		for _, c := range s.d.Changes {
			if c.Kind != k.kind {
				continue
			}
			n++
			users += c.Users
			if name := shortProtocol(c.Protocol); !slices.Contains(protos, name) {
				protos = append(protos, name)
			}
		}
		if n == 0 {
			continue
		}
		t.Rows = append(t.Rows, []pdf.Cell{kindCell(k.kind, false), {Text: num(n)}, {Text: num(users)}, {Text: strings.Join(protos, ", ")}})
	}
	return t
}

// userCount is the number of users the diff compares.
func userCount(d *planner.Diff) int {
	if d.Before.Inv == nil {
		return 0
	}
	return len(d.Before.Inv.Mailboxes)
}

// moreRow is the last row of a cut table: the text in column at of n.
func moreRow(n, at int, text string) []pdf.Cell {
	row := make([]pdf.Cell, n)
	row[at] = pdf.Cell{Text: text, Color: colMutedFG}
	return row
}

// usersText is "3 users\nblue, purple, red" or "12 users\na, b, c, d, e
// and 7 more".
func usersText(n int, sample []string) string {
	s := plural(n, "user", "users")
	if len(sample) == 0 {
		return s
	}
	s += "\n" + strings.Join(sample, ", ")
	if more := n - len(sample); more > 0 {
		s += " and " + num(more) + " more"
	}
	return s
}

// locationText is where a change's path starts: "External", with the name
// entered or the Full Access mailbox when it is not the user's own path.
func locationText(c planner.PathChange) string {
	s := capital(c.Location)
	if c.Entry != "" {
		s += "\nentered as " + c.Entry
	}
	if c.Secondary != "" {
		s += "\nFull Access mailbox in " + c.Secondary
	}
	return s
}

// shortProtocols are the protocols' names in lists.
var shortProtocols = map[string]string{
	"autodiscover": "Autodiscover", "outlook-anywhere": "Outlook Anywhere", "mapi-http": "MAPI/HTTP",
	"rpc-tcp": "RPC/TCP", "owa": "OWA", "ecp": "ECP", "eas": "ActiveSync", "ews": "EWS", "oab": "OAB",
	"pop3": "POP3", "imap4": "IMAP4",
}

func shortProtocol(p string) string {
	if n, ok := shortProtocols[p]; ok {
		return n
	}
	return p
}

// chainLine is a path on one line: "mail.contoso.com → MBX2016-1 (connect,
// forms) → CAS2010-1 (proxy, Kerberos)".
func chainLine(p planner.Path) string {
	return strings.Join(chainLines(p), " ")
}

// chainLines is a path with a line per hop: the name the client uses,
// then "→ server (action, auth)" for each hop, with the name a hop uses
// when it is not the server's own ("→ CAS2010-2 at mail-region.contoso.com
// (silent redirect, forms)").
func chainLines(p planner.Path) []string {
	if len(p.Hops) == 0 {
		if p.Outcome == planner.OutcomeNotApplicable {
			return []string{"not applicable"}
		}
		return []string{"no route"}
	}
	lines := []string{p.Hops[0].Host}
	for i, h := range p.Hops {
		l := "→ " + h.To
		if i > 0 && h.Host != "" && !ownName(h.Host, h.To) {
			l += " at " + h.Host
		}
		l += " (" + actionName(h.Action)
		if h.Auth != "" {
			l += ", " + authName(h.Auth)
		}
		lines = append(lines, l+")")
	}
	return lines
}

// newNotes are the notes of the path after a change that it did not have
// before: why its outcome or route changed.
func newNotes(before, after planner.Path) []string {
	var out []string
	for _, n := range after.Notes {
		if !slices.Contains(before.Notes, n) {
			out = append(out, n)
		}
	}
	return out
}

// stripAll removes the rule references from notes.
func stripAll(notes []string) []string {
	out := make([]string, 0, len(notes))
	for _, n := range notes {
		if n = stripRefs(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// clip shortens s to at most n characters, at a word boundary, with an
// ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if n <= 0 || len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexAny(cut, " \n"); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.\n") + "…"
}

// diffReport is the detail sections of diff.pdf.
type diffReport struct {
	d   *planner.Diff
	bib *planner.Bibliography
	in  DiffInput
	doc *pdf.Document
	org string
}

// changes adds the path changes, a table per protocol.
func (r *diffReport) changes() {
	d, doc := r.d, r.doc
	doc.Heading(1, "Path changes by protocol")
	if len(d.Changes) == 0 {
		doc.Callout("info", "No path changes", "Every user reaches their mailbox on every protocol exactly as before the change.")
		return
	}
	doc.Paragraph(fmt.Sprintf("Each row is one path that changes the same way for a group of users: newly broken (it works today and stops working), an outcome change (for example from OK to a warning), fixed (broken today, working after) or a route change (same outcome, other hops). A path reads from the name the client uses, then each hop as \"→ server (action, authentication)\", with the name the hop uses when it is not the server's own. Why a path breaks or changes outcome follows the path after the change. Each protocol lists at most %d changes; diff.xlsx has them all.", MaxChangeRows))
	protos := append([]string(nil), planner.Protocols...)
	for _, c := range d.Changes {
		if !slices.Contains(protos, c.Protocol) {
			protos = append(protos, c.Protocol)
		}
	}
	for _, proto := range protos {
		var cs []planner.PathChange
		for _, c := range d.Changes {
			if c.Protocol == proto {
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			continue
		}
		doc.Heading(2, protocolName(proto))
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Change", Width: 1}, {Title: "Location", Width: 1.1}, {Title: "Users", Width: 1.1},
			{Title: "Before", Width: 2.5}, {Title: "After", Width: 2.9}, {Title: "Outcome", Width: 1},
		}}
		for _, c := range cs[:min(len(cs), MaxChangeRows)] {
			after := strings.Join(chainLines(c.After), "\n")
			if c.Kind != "route" {
				if why := stripAll(newNotes(c.Before, c.After)); len(why) > 0 {
					after += "\n\nWhy: " + strings.Join(why, " ")
				}
			}
			t.Rows = append(t.Rows, []pdf.Cell{
				kindCell(c.Kind, true),
				{Text: locationText(c)},
				{Text: usersText(c.Users, c.Sample)},
				pathText(c.Before, strings.Join(chainLines(c.Before), "\n")),
				pathText(c.After, after),
				outcomeChange(c),
			})
		}
		if more := len(cs) - MaxChangeRows; more > 0 {
			users := 0
			for _, c := range cs[MaxChangeRows:] {
				users += c.Users
			}
			t.Note = fmt.Sprintf("… %s more %s (%s): see diff.xlsx.", num(more), pick(more, "change", "changes"), plural(users, "user path", "user paths"))
		}
		doc.Table(t)
	}
}

// pathText is a path cell, muted when the path does not apply.
func pathText(p planner.Path, text string) pdf.Cell {
	c := pdf.Cell{Text: text}
	if len(p.Hops) == 0 {
		c.Color = colMutedFG
	}
	return c
}

// outcomeChange is "OK → Broken" in the colours of the outcome after, or
// the one outcome of a route change.
func outcomeChange(c planner.PathChange) pdf.Cell {
	if c.Before.Outcome == c.After.Outcome {
		return outcomeCell(c.After.Outcome, shortOutcome(c.After.Outcome))
	}
	return outcomeCell(c.After.Outcome, shortOutcome(c.Before.Outcome)+"\n→ "+shortOutcome(c.After.Outcome))
}

// findings adds the findings introduced, resolved and reworded, each
// with its message and, for the introduced ones, the remediation.
func (r *diffReport) findings() {
	d, doc := r.d, r.doc
	doc.Heading(1, "Findings and client steps")
	if len(d.Introduced)+len(d.Resolved)+len(d.Changed) == 0 {
		doc.Heading(2, "Findings")
		doc.Paragraph("The change introduces, resolves and rewords no finding.")
		return
	}
	doc.Paragraph(fmt.Sprintf("%s introduced, %s resolved and %s reworded by the change (the same finding, worded anew). Blocking findings must be resolved before the change; commands are for the Exchange Management Shell unless they say otherwise.",
		capital(plural(len(d.Introduced), "finding", "findings")), num(len(d.Resolved)), num(len(d.Changed))))
	for _, g := range []struct {
		title, head string
		fs          []planner.Finding
		fix         bool
	}{
		{"Findings introduced", "Problem and remediation", d.Introduced, true},
		{"Findings resolved", "Problem (before the change)", d.Resolved, false},
		{"Findings reworded", "Message after the change", d.Changed, false},
	} {
		if len(g.fs) == 0 {
			continue
		}
		doc.Heading(2, g.title)
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Severity", Width: 0.9}, {Title: "Finding", Width: 1.8}, {Title: g.head, Width: 5.3},
		}}
		for _, f := range g.fs {
			text := f.Message
			if fix := strings.TrimSpace(f.Remediation); g.fix && fix != "" {
				text += "\n\nRemediation:\n" + fix
			}
			if src := sourceOf(f, r.bib); src != "" {
				text += "\nSources: " + src
			}
			t.Rows = append(t.Rows, []pdf.Cell{severityCell(f.Severity), {Text: f.ID + "\n" + f.Subject, Bold: true}, {Text: text}})
		}
		doc.Table(t)
	}
}

// sourceOf is a finding's short citation, with "inferred" when its rule
// is an inference.
func sourceOf(f planner.Finding, bib *planner.Bibliography) string {
	keys := f.Sources
	rule := planner.RuleByID(f.ID)
	if len(keys) == 0 && rule != nil {
		keys = rule.Sources
	}
	src := bib.Cite(keys)
	if f.Inferred || (rule != nil && rule.Inferred) {
		src = strings.TrimSpace(src + " (inferred)")
	}
	return src
}

// steps adds every client step.
func (r *diffReport) steps() {
	d, doc := r.d, r.doc
	doc.Heading(2, "Client steps")
	if len(d.Steps) == 0 {
		doc.Paragraph("None: no mailbox moves, and no client is sent to another server or name.")
		return
	}
	doc.Paragraph("What users will notice and what to tell them or do, largest groups first. A mailbox move makes Outlook restart; a new server behind a name presents its own certificate.")
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Users", Width: 0.6, Align: pdf.AlignRight}, {Title: "Sample users", Width: 1.6},
		{Title: "Step", Width: 5}, {Title: "Source", Width: 1},
	}}
	for _, s := range d.Steps {
		sample := strings.Join(s.Sample, ", ")
		if more := s.Users - len(s.Sample); more > 0 {
			sample += " and " + num(more) + " more"
		}
		t.Rows = append(t.Rows, []pdf.Cell{{Text: num(s.Users)}, {Text: sample}, {Text: s.Text}, {Text: stepSource(s, r.bib), Color: colMutedFG}})
	}
	doc.Table(t)
}

// stepSource is a client step's short citation, with "inferred" when it is.
func stepSource(s planner.ClientStep, bib *planner.Bibliography) string {
	src := bib.Cite(s.Sources)
	if s.Inferred {
		src = strings.TrimSpace(src + " (inferred)")
	}
	return src
}

// appendix adds the sources of the rules that decided the changed paths
// or reported the changed findings, and what the assessment is based on.
func (r *diffReport) appendix() {
	d, doc := r.d, r.doc
	doc.Heading(1, "Appendix")
	doc.Heading(2, "Rule sources")
	used := map[string]bool{}
	for _, c := range d.Changes {
		for _, id := range c.Before.Rules {
			used[id] = true
		}
		for _, id := range c.After.Rules {
			used[id] = true
		}
	}
	for _, fs := range [][]planner.Finding{d.Introduced, d.Resolved, d.Changed} {
		for _, f := range fs {
			used[f.ID] = true
		}
	}
	if len(used) == 0 {
		doc.Paragraph("No rule decided a changed path or a changed finding.")
	} else {
		doc.Paragraph("The rules that decided the changed paths (before or after the change) or reported the changed findings. Rules marked \"inferred\" encode our best inference from the sources rather than a documented statement: verify them for this estate before relying on them.")
		doc.Table(ruleTable(sortedKeys(used), nil, r.bib))
	}

	doc.Heading(2, "About this assessment")
	digest := strings.ToLower(strings.TrimSpace(r.in.Digest))
	if digest == "" {
		digest = "not recorded"
	}
	date := "not recorded"
	if !d.After.AsOf.IsZero() {
		date = d.After.AsOf.Format("2 January 2006")
	}
	edits := "not described"
	if len(d.Edits) > 0 {
		edits = strings.Join(d.Edits, "\n")
	}
	doc.KeyValues([][2]string{
		{"Organisation", r.org},
		{"Assessed as of", date},
		{"Base inventory SHA-256", digest},
		{"The change", edits},
		{"Plans compared", fmt.Sprintf("Before: %s, %s. After: %s, %s.",
			plural(len(d.Before.Cohorts), "cohort", "cohorts"), plural(len(d.Before.Findings), "finding", "findings"),
			plural(len(d.After.Cohorts), "cohort", "cohorts"), plural(len(d.After.Findings), "finding", "findings"))},
	})
	scopeSection(doc)
	bibliography(doc, r.bib)
}
