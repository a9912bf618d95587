package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/pdf"
)

// protocols adds the connectivity chapter: per protocol, the flow
// diagram, the route table and a line of counts.
func (r *report) protocols() {
	d := r.doc
	d.Heading(1, "Client connectivity by protocol")
	lists := fmt.Sprintf("each table lists at most %d routes, and checklist.xlsx has every user's paths.", MaxRouteRows)
	if r.compact {
		shared := ""
		for _, proto := range planner.Protocols {
			for _, sr := range r.routeSeries(r.p.Routes(proto)) {
				if len(sr.routes) > 1 {
					shared = ", and routes that differ only in a site's number share a row, ‹N› standing for each number listed under the path"
				}
			}
		}
		lists = fmt.Sprintf("this compact report lists every route with a problem and the %d busiest others per protocol%s; report.html and plan.json have every path of every user.", maxCompactOKRoutes, shared)
	}
	d.Paragraph("For each protocol, the table lists its routes: a route is one sequence of hops with its outcome, and every user whose clients take it is counted on it, whatever their cohort. A path has one line per hop: the name the client connects to and the server that answers, then each proxy or redirect as \"→ action → server\" (with the name used when it is not the server's own), each with its authentication. Clients says whether the route is taken from outside (External), inside (Internal) or Both. Routes with problems come first, then the busiest; " + lists)
	r.outcomes()
	if r.printsFlowFigure() && !empty(r.in.FlowLegend) {
		d.Diagram(r.in.FlowLegend, "Legend of the flow diagrams")
	}
	// A compact report prints a route table once: a protocol whose table
	// would repeat an earlier one's (OWA and ECP, POP3 and IMAP4 often
	// take the same routes) refers to it.
	tables := map[string]string{}
	for _, proto := range planner.Protocols {
		r.protocol(proto, tables)
	}
}

// MaxRouteRows is the most routes a protocol's table lists; the rest are
// summarised in one line that points to the workbook.
const MaxRouteRows = 60

func (r *report) protocol(proto string, tables map[string]string) {
	d, p := r.doc, r.p
	usersBy := r.counts.UsersByProtocol[proto]
	d.Heading(2, protocolName(proto))
	routes := p.Routes(proto)
	if len(routes) == 0 {
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
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Route", Width: 0.5}, {Title: "Users", Width: 2.3},
		{Title: "Clients", Width: 0.65}, {Title: "Path", Width: 5.2},
		{Title: "Outcome", Width: 0.7},
	}}
	if r.compact {
		// A wider users column: "826,022 users · 8,987 cohorts" and an
		// example user on a line each.
		t.Columns[1].Width, t.Columns[3].Width = 2.8, 4.7
	}
	var shown []planner.Route
	if r.compact {
		// Every route with a problem, then the busiest OK ones; routes
		// that differ only in a site's number share a row.
		series := r.routeSeries(routes)
		limit := maxCompactOKRoutes
		for _, sr := range series {
			if o := sr.routes[0].Outcome; o == planner.OutcomeBroken || o == planner.OutcomeWarning {
				limit++
			}
		}
		for _, sr := range series[:min(len(series), limit, MaxRouteRows)] {
			t.Rows = append(t.Rows, sr.row)
			shown = append(shown, sr.routes...)
		}
	} else {
		shown = routes[:min(len(routes), MaxRouteRows)]
		for _, rt := range shown {
			t.Rows = append(t.Rows, r.routeRow(rt))
		}
	}
	summary := "Users: " + outcomeMix(usersBy) + "."
	switch {
	case users == 1:
		summary = "1 user: " + outcomeName(routes[0].Outcome) + "."
	case len(parts(usersBy)) == 1:
		summary = fmt.Sprintf("All %s users: %s.", num(users), outcomeName(routes[0].Outcome))
	}
	summary += fmt.Sprintf(" %s in %s.", capital(plural(len(routes), "route", "routes")), plural(r.cohortsWith(proto), "cohort", "cohorts"))
	if rest := notShown(routes, shown); len(rest) > 0 {
		by := map[string]int{}
		for _, rt := range rest {
			by[rt.Outcome]++
		}
		// The workbook's Connectivity sheets name only each path's last
		// hop; report.html and plan.json have every hop of every path.
		summary += fmt.Sprintf(" … %s more %s (%s), not listed here: report.html and plan.json have every path of every cohort.",
			num(len(rest)), pick(len(rest), "route", "routes"), outcomeMix(by))
	}
	if r.compact {
		key := tableKey(t) + "\x00" + summary
		if same, ok := tables[key]; ok {
			what := "the table of " + protocolName(same) + " above holds"
			if r.figured[same] {
				what = "the table and diagram of " + protocolName(same) + " above hold"
			}
			d.Paragraph(fmt.Sprintf("The same %s as %s: %s for this protocol too (flows-%s.svg beside this report draws its own). %s",
				pick(len(routes), "route", "routes"), protocolName(same), what, proto, summary))
			return
		}
		tables[key] = proto
	}
	// The diagram, or else the table, comes right after the heading,
	// which the kit keeps on the same page as the block after it.
	r.flowFigures(proto, len(shown) == len(routes))
	// The counts stay on the page of the table's last rows.
	t.Note = summary
	d.Table(t)
}

// maxCompactOKRoutes is the most routes without problems a compact
// report lists per protocol (routes with problems are all listed); a
// series of routes counts as one.
const maxCompactOKRoutes = 6

// minRouteSeries is the fewest routes a compact report prints as one
// series row.
const minRouteSeries = 3

// notShown is routes less those in shown, in order.
func notShown(routes, shown []planner.Route) []planner.Route {
	in := map[int]bool{}
	for _, rt := range shown {
		in[rt.ID] = true
	}
	var rest []planner.Route
	for _, rt := range routes {
		if !in[rt.ID] {
			rest = append(rest, rt)
		}
	}
	return rest
}

// series is a row of a compact route table: one route, or routes that
// differ only in one number (a site's: mail-r02… to CAS2010-S02-1 with
// mailboxes in Site02, mail-r06… to CAS2010-S06-1 in Site06).
type series struct {
	routes []planner.Route
	row    []pdf.Cell
}

// routeSeries groups routes, in order, into the rows of a compact route
// table. Routes of one outcome and clients whose first host has one
// number, and whose path and mailbox sites read the same with that number
// taken out, share a row listing the numbers when there are at least
// minRouteSeries of them; each other route has a row of its own.
func (r *report) routeSeries(routes []planner.Route) []series {
	type group struct {
		routes []planner.Route
		nums   []string
		text   string // path and mailboxes with ‹N› for the number
	}
	var order []*group
	byKey := map[string]*group{}
	for _, rt := range routes {
		var key string
		var g *group
		if n, text, ok := r.seriesText(rt); ok {
			key = rt.Outcome + "\x00" + strings.Join(rt.Locations, ",") + "\x00" + text
			g = byKey[key]
			if g == nil {
				g = &group{text: text}
				byKey[key] = g
				order = append(order, g)
			}
			g.nums = append(g.nums, n)
		} else {
			g = &group{}
			order = append(order, g)
		}
		g.routes = append(g.routes, rt)
	}
	var out []series
	for _, g := range order {
		if len(g.routes) < minRouteSeries {
			for _, rt := range g.routes {
				out = append(out, series{routes: []planner.Route{rt}, row: r.routeRow(rt)})
			}
			continue
		}
		out = append(out, series{routes: g.routes, row: r.seriesRow(g.routes, g.nums, g.text)})
	}
	return out
}

// seriesText is a route's path and mailbox sites with the one number of
// its first host ("mail-r18.contoso.com") written ‹N›: ok is false for a
// route whose first host has no number or several.
func (r *report) seriesText(rt planner.Route) (n, text string, ok bool) {
	if rt.Secondary || len(rt.Hops) == 0 {
		return "", "", false
	}
	runs := digitRun.FindAllString(rt.Hops[0].Host, -1)
	if len(runs) != 1 {
		return "", "", false
	}
	n = runs[0]
	// The mailboxes by site and version: how many servers a site has
	// differs from site to site.
	seen := map[string]bool{}
	var sites []string
	for _, ci := range rt.Cohorts {
		m := r.p.Cohorts[ci].Mailbox
		s := fmt.Sprintf("%s (Exchange %s)", m.Site, m.Version)
		if !seen[s] {
			seen[s] = true
			sites = append(sites, s)
		}
	}
	sort.Strings(sites)
	text = routeCell(rt).Text + "\n" + pick(len(rt.Cohorts), "Mailbox in ", "Mailboxes in ") + andList(sites)
	text = digitRun.ReplaceAllStringFunc(text, func(m string) string {
		if m == n {
			return "‹N›"
		}
		return m
	})
	return n, text, strings.Contains(text, "‹N›")
}

// seriesRow is the row of routes that differ only in a number: their
// users and cohorts added up, the path with ‹N› for the number and each
// number with its route.
func (r *report) seriesRow(rts []planner.Route, nums []string, text string) []pdf.Cell {
	users, cohorts := 0, 0
	type member struct {
		n  string
		id int
	}
	ms := make([]member, len(rts))
	for i, rt := range rts {
		users += rt.Users
		cohorts += len(rt.Cohorts)
		ms[i] = member{nums[i], rt.ID}
	}
	sort.SliceStable(ms, func(i, j int) bool {
		a, _ := strconv.Atoi(ms[i].n)
		b, _ := strconv.Atoi(ms[j].n)
		return a < b
	})
	each := make([]string, len(ms))
	for i, m := range ms {
		each[i] = fmt.Sprintf("%s (#%d)", m.n, m.id)
	}
	each[0] = fmt.Sprintf("%s (route #%d)", ms[0].n, ms[0].id)
	who := plural(users, "user", "users") + " · " + plural(cohorts, "cohort", "cohorts")
	if ex := r.p.ExampleUsers(rts[0], 1); len(ex) > 0 {
		who += "\ne.g. " + ex[0] + ", …"
	}
	clients := "Both"
	if len(rts[0].Locations) == 1 {
		clients = capital(rts[0].Locations[0])
	}
	return []pdf.Cell{
		{Text: fmt.Sprintf("%d routes", len(rts)), Bold: true},
		{Text: who},
		{Text: clients},
		{Text: text + "\n‹N› = " + strings.Join(each, ", ")},
		outcomeCell(rts[0].Outcome, shortOutcome(rts[0].Outcome)),
	}
}

// tableKey is a table's text, to find tables that print the same.
func tableKey(t pdf.Table) string {
	var b strings.Builder
	for _, row := range t.Rows {
		for _, c := range row {
			b.WriteString(c.Text)
			b.WriteByte(0)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// cohortsWith counts the cohorts with a path for proto.
func (r *report) cohortsWith(proto string) int {
	n := 0
	for _, w := range r.worst[proto] {
		if w != "" {
			n++
		}
	}
	return n
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

// Route tables list at most this many example users and cohorts.
const (
	maxExampleUsers = 2
	maxCohortLabels = 3
)

// routeRow is a route's row in a protocol's table.
func (r *report) routeRow(rt planner.Route) []pdf.Cell {
	p := r.p
	users := []string{plural(rt.Users, "user", "users")}
	if len(rt.Cohorts) > 1 {
		users[0] += " · " + plural(len(rt.Cohorts), "cohort", "cohorts")
	}
	most := maxExampleUsers
	if r.compact && rt.Users > maxExampleUsers {
		most = 1 // "e.g. user0000001, …" on one line under the counts
	}
	if ex := p.ExampleUsers(rt, most); len(ex) > 0 {
		more := ""
		if rt.Users > len(ex) {
			more = ", …"
		}
		lead := "e.g. "
		if rt.Users == len(ex) {
			lead = ""
		}
		users = append(users, lead+strings.Join(ex, ", ")+more)
	}
	if len(rt.Cohorts) <= maxCohortLabels {
		for _, ci := range rt.Cohorts {
			users = append(users, cohortLine(p.Cohorts[ci]))
		}
	}
	clients := "Both"
	if len(rt.Locations) == 1 {
		clients = capital(rt.Locations[0])
	}
	path := routeCell(rt)
	if line := r.mailboxesLine(rt); line != "" && !rt.Secondary {
		path.Text += "\n" + line
	}
	return []pdf.Cell{
		{Text: fmt.Sprintf("#%d", rt.ID), Bold: true},
		{Text: strings.Join(users, "\n")},
		{Text: clients},
		path,
		outcomeCell(rt.Outcome, shortOutcome(rt.Outcome)),
	}
}

// mailboxesLine names the mailbox servers of a route's cohorts: "Mailbox
// on MBX2010-1 (2010, Site1)"; "" when the route's last hop is the only
// one.
func (r *report) mailboxesLine(rt planner.Route) string {
	var boxes []string
	seen := map[string]bool{}
	var last []string
	if n := len(rt.Servers); n > 0 {
		last = rt.Servers[n-1]
	}
	others := false
	for _, ci := range rt.Cohorts {
		m := r.p.Cohorts[ci].Mailbox
		others = others || !slices.Contains(last, m.Server)
		t := m.Server
		if m.Version != "" || m.Site != "" {
			t += " (" + strings.Join(nonEmpty(m.Version, m.Site), ", ") + ")"
		}
		if m.Server != "" && !seen[t] {
			seen[t] = true
			boxes = append(boxes, t)
		}
	}
	if !others {
		return ""
	}
	if len(boxes) == 0 {
		return "Mailbox server not recorded"
	}
	if len(boxes) > maxCohortLabels {
		boxes = append(boxes[:maxCohortLabels], fmt.Sprintf("%d more", len(boxes)-maxCohortLabels))
	}
	return pick(len(boxes), "Mailbox on ", "Mailboxes on ") + andList(boxes)
}

// nonEmpty drops the empty strings.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// cohortLine names a cohort by what its users share, on one line.
func cohortLine(co *planner.Cohort) string {
	parts := []string{fmt.Sprintf("#%d", co.ID)}
	if co.Database != "" {
		parts = append(parts, co.Database)
	}
	if co.Profile != "" {
		parts = append(parts, co.Profile)
	}
	return "Cohort " + strings.Join(parts, " · ")
}

// routeCell shows a route's hops, what flags it and the inferred rules
// that decided it.
func routeCell(rt planner.Route) pdf.Cell {
	var lines []string
	switch {
	case rt.Secondary:
		dbs := rt.Secondaries
		if len(dbs) > maxServerNames {
			dbs = append(dbs[:maxServerNames:maxServerNames], fmt.Sprintf("%d more databases", len(rt.Secondaries)-maxServerNames))
		}
		lines = append(lines, pick(len(rt.Secondaries), "Full Access mailbox in ", "Full Access mailboxes in ")+andList(dbs)+":")
	case rt.Entry != "":
		lines = append(lines, "Typed as "+rt.Entry+":")
	}
	if len(rt.Hops) == 0 {
		what := "not applicable"
		if rt.Outcome != planner.OutcomeNotApplicable {
			what = "no route"
		}
		lines = append(lines, what)
	}
	for k, h := range rt.Hops {
		if k < len(rt.Servers) && len(rt.Servers[k]) > 1 {
			own := ownName(h.Host, h.To)
			h.To = serverChoice(rt.Servers[k])
			if own {
				h.Host = h.To
			}
		}
		lines = append(lines, hopText(h, k == 0))
	}
	if rt.Outcome == planner.OutcomeBroken || rt.Outcome == planner.OutcomeWarning {
		if ids := problemIDs(planner.Path{Findings: rt.Findings}); len(ids) > 0 {
			lines = append(lines, outcomeName(rt.Outcome)+": "+strings.Join(ids, ", "))
		}
	}
	if ids := inferredIDs(rt.Rules); len(ids) > 0 {
		lines = append(lines, "inferred: "+strings.Join(ids, ", "))
	}
	c := pdf.Cell{Text: strings.Join(lines, "\n")}
	if rt.Outcome == planner.OutcomeNotApplicable {
		c.Color = colMutedFG
	}
	return c
}

// shortOutcome names an outcome in a table cell.
func shortOutcome(o string) string {
	if o == planner.OutcomeNotApplicable {
		return "N/A"
	}
	return outcomeName(o)
}

// maxServerNames is the most servers a route's hop names.
const maxServerNames = 3

// serverChoice names the servers a route's hop reaches, one per path:
// "CAS2010-1 or CAS2010-2", "one of 9: CAS2010-S01-1, CAS2010-S01-2, …".
func serverChoice(names []string) string {
	if len(names) <= maxServerNames {
		return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	}
	return fmt.Sprintf("one of %d: %s, …", len(names), strings.Join(names[:maxServerNames-1], ", "))
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
// path note: " [PATH-MAPI-LEGACY; ms-mapi-over-http]".
var refs = regexp.MustCompile(`\s*\[[A-Z0-9-]+(;[^\]]*)?\]`)

// stripRefs removes the references from a note; the appendix lists the
// rules with their sources.
func stripRefs(note string) string {
	return strings.TrimSpace(refs.ReplaceAllString(note, ""))
}
