package report

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/pdf"
)

// protocols adds the connectivity chapter: per protocol, the flow
// diagram, the cohort table and a line of counts.
func (r *report) protocols() {
	d := r.doc
	d.Heading(1, "Client connectivity by protocol")
	d.Paragraph(fmt.Sprintf("For each protocol, the table shows how each cohort's clients reach their mailbox from outside (External) and inside (Internal) the network, or Both when the two paths are the same. A path has one line per hop: the name the client connects to and the server that answers, then each proxy or redirect as \"→ action → server\" (with the name used when it is not the server's own), each with its authentication. Cohorts with problems come first, then the largest; each table lists at most %d cohorts, and checklist.xlsx has every user's paths.", MaxCohortRows))
	for _, proto := range planner.Protocols {
		r.protocol(proto)
	}
}

func (r *report) protocol(proto string) {
	d, p := r.doc, r.p
	worst := r.worst[proto]
	var rows []int // cohort indexes with paths for proto
	usersBy := map[string]int{}
	for i, co := range p.Cohorts {
		if worst[i] == "" {
			continue
		}
		rows = append(rows, i)
		usersBy[worst[i]] += len(co.Users)
	}
	d.Heading(2, protocolName(proto))
	if len(rows) == 0 {
		d.Paragraph("The plan has no paths for this protocol.")
		return
	}
	users := 0
	for _, n := range usersBy {
		users += n
	}
	if usersBy[planner.OutcomeNotApplicable] == users {
		d.Paragraph(fmt.Sprintf("Not applicable to any of the %s. %s", plural(users, "user", "users"), notApplicableWhy(p, proto)))
		return
	}
	// The diagram, or else the table, comes right after the heading,
	// which the kit keeps on the same page as the block after it.
	if dr, ok := r.in.Flows[proto]; ok && !empty(dr) {
		d.Diagram(fit(dr), protocolName(proto)+": paths from clients to mailboxes")
	}

	sort.SliceStable(rows, func(a, b int) bool {
		i, j := rows[a], rows[b]
		if ra, rb := outcomeRank(worst[i]), outcomeRank(worst[j]); ra != rb {
			return ra < rb
		}
		if ni, nj := len(p.Cohorts[i].Users), len(p.Cohorts[j].Users); ni != nj {
			return ni > nj
		}
		return p.Cohorts[i].ID < p.Cohorts[j].ID
	})
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Cohort", Width: 1.3}, {Title: "Users", Width: 0.45, Align: pdf.AlignRight},
		{Title: "Mailbox", Width: 0.95}, {Title: "Clients", Width: 0.65}, {Title: "Path", Width: 5.6},
		{Title: "Outcome", Width: 0.7},
	}}
	shown := rows[:min(len(rows), MaxCohortRows)]
	for n, i := range shown {
		t.Rows = append(t.Rows, cohortRows(p.Cohorts[i], proto, n%2 == 1)...)
	}
	d.Table(t)
	summary := "Users: " + outcomeMix(usersBy) + "."
	switch {
	case users == 1:
		summary = "1 user: " + outcomeName(worst[rows[0]]) + "."
	case len(parts(usersBy)) == 1:
		summary = fmt.Sprintf("All %s users: %s.", num(users), outcomeName(worst[rows[0]]))
	}
	if rest := rows[len(shown):]; len(rest) > 0 {
		by := map[string]int{}
		restUsers := 0
		for _, i := range rest {
			by[worst[i]]++
			restUsers += len(p.Cohorts[i].Users)
		}
		summary += fmt.Sprintf(" … %s more %s (%s; %s): see checklist.xlsx.",
			num(len(rest)), pick(len(rest), "cohort", "cohorts"), plural(restUsers, "user", "users"), outcomeMix(by))
	}
	d.Paragraph(summary)
}

// parts are the counts of a map by outcome, worst first, as "3 OK".
func parts(by map[string]int) []string {
	var out []string
	for _, o := range outcomeOrder {
		if n := by[o]; n > 0 {
			name := outcomeName(o)
			if o != planner.OutcomeOK {
				name = strings.ToLower(name)
			}
			out = append(out, num(n)+" "+name)
		}
	}
	return out
}

// outcomeMix is "1 broken, 3 OK".
func outcomeMix(by map[string]int) string { return strings.Join(parts(by), ", ") }

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Row fills of the cohort tables: the kit stripes rows one by one, but a
// cohort may take two rows (external and internal clients), so the report
// stripes cohorts itself.
var (
	colRowPlain = layout.RGB(0xff, 0xff, 0xff)
	colRowZebra = layout.RGB(0xf4, 0xf6, 0xf9)
)

// cohortRows are a cohort's rows in a protocol's table: one for external
// and one for internal clients, or one for both when their paths are the
// same.
func cohortRows(co *planner.Cohort, proto string, zebra bool) [][]pdf.Cell {
	fill := colRowPlain
	if zebra {
		fill = colRowZebra
	}
	type loc struct {
		label, outcome string
		path           pdf.Cell
	}
	ext := loc{"External", worstOutcome(co.Paths, proto, "external"), pathCell(co.Paths, proto, "external")}
	in := loc{"Internal", worstOutcome(co.Paths, proto, "internal"), pathCell(co.Paths, proto, "internal")}
	locs := []loc{ext, in}
	if ext.outcome == in.outcome && ext.path.Text == in.path.Text {
		locs = []loc{{"Both", ext.outcome, ext.path}}
	}
	var rows [][]pdf.Cell
	for k, l := range locs {
		l.path.Fill = fill
		row := []pdf.Cell{
			{Text: cohortLabel(co), Fill: fill},
			{Text: num(len(co.Users)), Fill: fill},
			{Text: mailboxText(co.Mailbox), Fill: fill},
			{Text: l.label, Fill: fill},
			l.path,
			outcomeCell(l.outcome, shortOutcome(l.outcome)),
		}
		if k > 0 {
			// The cohort's second row: name it again, quietly, in case a
			// page break separates it from the first.
			row[0] = pdf.Cell{Text: fmt.Sprintf("#%d", co.ID), Fill: fill, Color: colMutedFG}
			row[1] = pdf.Cell{Fill: fill}
			row[2] = pdf.Cell{Fill: fill}
		}
		if l.outcome == "" || l.outcome == planner.OutcomeNotApplicable {
			row[5].Fill = fill
		}
		rows = append(rows, row)
	}
	return rows
}

// mailboxText is "MBX2010-1\n2010 · Site1".
func mailboxText(m planner.MailboxRef) string {
	var second []string
	if m.Version != "" {
		second = append(second, m.Version)
	}
	if m.Site != "" {
		second = append(second, m.Site)
	}
	return m.Server + "\n" + strings.Join(second, " · ")
}

// shortOutcome names an outcome in a table cell.
func shortOutcome(o string) string {
	if o == planner.OutcomeNotApplicable {
		return "N/A"
	}
	return outcomeName(o)
}

// cohortLabel describes a cohort by what its users share. The namespace
// a cohort's clients use is the first host of its paths, so it is left out
// here to keep the column narrow.
func cohortLabel(co *planner.Cohort) string {
	lines := []string{fmt.Sprintf("#%d", co.ID)}
	if co.Database != "" {
		lines = append(lines, co.Database)
	}
	if co.Profile != "" {
		lines = append(lines, co.Profile)
	}
	if len(co.Secondary) > 0 {
		lines = append(lines, "Full Access: "+strings.Join(co.Secondary, ", "))
	}
	return strings.Join(lines, "\n")
}

// pathCell shows a cohort's paths for a protocol at one location: the own
// mailbox's first, then each Full Access mailbox's.
func pathCell(paths []planner.Path, proto, location string) pdf.Cell {
	var sel []planner.Path
	for _, pa := range paths {
		if pa.Protocol == proto && pa.Location == location {
			sel = append(sel, pa)
		}
	}
	if len(sel) == 0 {
		return pdf.Cell{Text: "—", Color: colMutedFG}
	}
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].Secondary < sel[j].Secondary })
	var blocks []string
	worst := ""
	for _, pa := range sel {
		if worst == "" || outcomeRank(pa.Outcome) < outcomeRank(worst) {
			worst = pa.Outcome
		}
		var lines []string
		switch {
		case pa.Secondary != "":
			lines = append(lines, "Full Access mailbox in "+pa.Secondary+":")
		case len(sel) > 1:
			lines = append(lines, "Own mailbox:")
		}
		if len(pa.Hops) == 0 {
			what := "not applicable"
			if pa.Outcome != planner.OutcomeNotApplicable {
				what = "no route"
			}
			lines = append(lines, what)
		}
		for k, h := range pa.Hops {
			lines = append(lines, hopText(h, k == 0))
		}
		if pa.Outcome == planner.OutcomeBroken || pa.Outcome == planner.OutcomeWarning {
			if ids := problemIDs(pa); len(ids) > 0 {
				lines = append(lines, outcomeName(pa.Outcome)+": "+strings.Join(ids, ", "))
			}
		}
		if ids := inferredIDs(pa.Rules); len(ids) > 0 {
			lines = append(lines, "inferred: "+strings.Join(ids, ", "))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	c := pdf.Cell{Text: strings.Join(blocks, "\n")}
	if worst == planner.OutcomeNotApplicable || worst == "" {
		c.Color = colMutedFG
	}
	return c
}

// hopText is one hop as "host → action → server (auth)". The client's
// first connection leaves out the action ("connect"); a later hop leaves
// out the host when it is the server's own name.
func hopText(h planner.Hop, first bool) string {
	var s string
	switch {
	case first && h.Action == planner.ActConnect:
		s = h.Host + " → " + h.To
	case first:
		s = h.Host + " → " + actionName(h.Action) + " → " + h.To
	case ownName(h.Host, h.To):
		s = "→ " + actionName(h.Action) + " → " + h.To
	default:
		s = "→ " + actionName(h.Action) + " " + h.Host + " → " + h.To
	}
	if h.Auth != "" {
		s += " (" + authName(h.Auth) + ")"
	}
	return s
}

// ownName reports whether host names the server itself: its name or an
// FQDN starting with it.
func ownName(host, server string) bool {
	h, s := strings.ToLower(host), strings.ToLower(server)
	return h == s || strings.HasPrefix(h, s+".")
}

// inferredIDs are the IDs among ids of rules marked Inferred.
func inferredIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if rule := planner.RuleByID(id); rule != nil && rule.Inferred {
			out = append(out, id)
		}
	}
	return out
}

// notApplicableWhy gives the planner's reasons a protocol does not apply,
// from the paths' notes (up to three distinct ones).
func notApplicableWhy(p *planner.Plan, proto string) string {
	seen := map[string]bool{}
	var notes []string
	for _, co := range p.Cohorts {
		for _, pa := range co.Paths {
			if pa.Protocol != proto {
				continue
			}
			for _, n := range pa.Notes {
				n = stripRefs(n)
				if n != "" && !seen[n] && len(notes) < 3 {
					seen[n] = true
					notes = append(notes, n)
				}
			}
		}
	}
	return strings.Join(notes, " ")
}

// refs matches the rule and source references the planner appends to a
// path note: " [PATH-MAPI-LEGACY; MS S17]".
var refs = regexp.MustCompile(`\s*\[[A-Z0-9-]+(;[^\]]*)?\]`)

// stripRefs removes the references from a note; the appendix lists the
// rules with their sources.
func stripRefs(note string) string {
	return strings.TrimSpace(refs.ReplaceAllString(note, ""))
}
