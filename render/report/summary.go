package report

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/pdf"
)

// summary adds the executive summary: the verdict and why, what blocks,
// and the users by protocol. It takes one page: the first of its forms
// (summaryForms) that a trial layout finds on one page.
func (r *report) summary() { r.summaryTo(r.doc, r.summaryForm()) }

// summaryForm is the fullest form of the executive summary that fits on
// one page, as laid out alone, or the most condensed form.
func (r *report) summaryForm() summaryForm {
	forms := summaryForms()
	for _, f := range forms {
		trial := r.newDoc()
		r.summaryTo(trial, f)
		if n, err := trial.Pages(); err == nil && n <= 1 {
			return f
		}
	}
	return forms[len(forms)-1]
}

// summaryForm is how far the executive summary condenses to fit its page.
type summaryForm struct {
	// titles gives each blocking rule its title only, rules of one area
	// affecting the same servers sharing a row, even when few rules
	// would be described with their fix.
	titles bool
	// mergeProtocols lets protocols with the same user counts share a row
	// of the protocol table.
	mergeProtocols bool
	// mergeBroken gives the broken paths one row per cause (brokenByCause),
	// not one per protocol and location.
	mergeBroken bool
	// named is the most subjects named for a blocking rule (0: counted
	// only, "12 servers").
	named int
	// rows is the most rows of the blockers and broken-path tables, a
	// last row counting the rest (0: no limit).
	rows int
}

// summaryForms are the executive summary's forms, fullest first; the
// last ones keep halving the rows of its tables, down to one each.
func summaryForms() []summaryForm {
	forms := []summaryForm{
		{named: maxAffected},
		{titles: true, named: maxAffected},
		{titles: true, mergeProtocols: true, named: maxAffected},
		{titles: true, mergeProtocols: true, mergeBroken: true, named: maxAffected},
		{titles: true, mergeProtocols: true, mergeBroken: true, named: 3},
		{titles: true, mergeProtocols: true, mergeBroken: true},
	}
	for rows := 16; rows >= 1; rows /= 2 {
		forms = append(forms, summaryForm{titles: true, mergeProtocols: true, mergeBroken: true, rows: rows})
	}
	return forms
}

// summaryTo records the executive summary in d, in the given form.
func (r *report) summaryTo(d *pdf.Document, form summaryForm) {
	c := r.counts
	d.Heading(1, "Executive summary")
	// The verdict speaks for the assessed areas only: its box says so.
	d.Callout(r.v.Kind, "Readiness: "+r.v.Label, r.verdictText()+"\n"+scopeNote())

	blocking := r.blockingFindings()
	broken := r.brokenPaths()
	if len(blocking) > 0 || len(broken) > 0 {
		d.Heading(2, "What blocks the migration")
	}
	if len(blocking) > 0 {
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Rule and problem", Width: 5.6}, {Title: "Affects", Width: 2.6},
		}}
		groups := groupByRule(blocking)
		var rows []blockerRow
		if !form.titles && detailed(groups) {
			for _, g := range groups {
				rows = append(rows, blockerRow{g.id + ": " + ruleProblem(g), r.affectsAtMost(g.findings, form.named), 1})
			}
		} else {
			// Many rules: their titles keep the summary on one page, and
			// rules of one area affecting the same servers share a row;
			// the checklist and the findings chapter say what to do.
			rows = r.blockerRows(groups, form.named)
		}
		more := 0
		if form.rows > 0 && len(rows) > form.rows {
			for _, x := range rows[form.rows-1:] {
				more += x.rules
			}
			rows = rows[:form.rows-1]
		}
		for _, x := range rows {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: x.problem}, {Text: x.affects}})
		}
		if more > 0 {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: fmt.Sprintf("And %s: see “Findings and remediation”.", plural(more, "more blocking rule", "more blocking rules")), Color: colMutedFG}, {}})
		}
		d.Table(t)
	}
	if len(broken) > 0 {
		// The first column's title says what the table is: no paragraph,
		// so that the summary stays on one page.
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Broken (mailbox unreachable)", Width: 2.8}, {Title: "Location", Width: 0.9}, {Title: "Cohorts", Width: 0.8, Align: pdf.AlignRight},
			{Title: "Users", Width: 0.8, Align: pdf.AlignRight}, {Title: "Cause", Width: 2.9},
		}}
		rows := brokenRows(broken)
		if form.mergeBroken {
			rows = r.brokenByCause()
		}
		for _, b := range rows {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: protocolsCell(b.protos)}, {Text: b.location},
				{Text: num(b.cohorts)}, {Text: num(b.users)}, {Text: strings.Join(b.causes, ", ")}})
		}
		if n := len(t.Rows); form.rows > 0 && n > form.rows {
			t.Rows = append(t.Rows[:form.rows-1], []pdf.Cell{
				{Text: fmt.Sprintf("And %s: see “Client connectivity by protocol”.", plural(n-form.rows+1, "more row", "more rows")), Color: colMutedFG}, {}, {}, {}, {}})
		}
		d.Table(t)
	}

	// The heading says how users are counted: no paragraph, so that the
	// summary stays on one page.
	d.Heading(2, "Users by protocol, each under their worst path")
	t := pdf.Table{Columns: []pdf.Column{{Title: "Protocol", Width: 2.6}}}
	for _, o := range outcomeOrder {
		t.Columns = append(t.Columns, pdf.Column{Title: outcomeName(o), Width: 1, Align: pdf.AlignRight})
	}
	for _, protos := range protocolRows(c.UsersByProtocol, form.mergeProtocols) {
		by := c.UsersByProtocol[protos[0]]
		row := []pdf.Cell{{Text: protocolsCell(protos)}}
		for _, o := range outcomeOrder {
			if by[o] == 0 {
				row = append(row, pdf.Cell{Text: "–", Color: colMutedFG})
				continue
			}
			row = append(row, outcomeCell(o, num(by[o])))
		}
		t.Rows = append(t.Rows, row)
	}
	d.Table(t)
}

// protocolRows are the rows of the summary's protocol table, each the
// protocols it counts: one per protocol, or when merged, protocols with
// the same users under each outcome sharing the row of the first.
func protocolRows(by map[string]map[string]int, merge bool) [][]string {
	var rows [][]string
	key := func(p string) string {
		var k []string
		for _, o := range outcomeOrder {
			k = append(k, strconv.Itoa(by[p][o]))
		}
		return strings.Join(k, ",")
	}
	at := map[string]int{}
	for _, p := range planner.Protocols {
		if merge {
			if i, ok := at[key(p)]; ok {
				rows[i] = append(rows[i], p)
				continue
			}
			at[key(p)] = len(rows)
		}
		rows = append(rows, []string{p})
	}
	return rows
}

// outcomes adds the table of users, cohorts and paths by outcome.
func (r *report) outcomes() {
	d, c := r.doc, r.counts
	d.Heading(2, "Users, cohorts and paths by outcome")
	d.Paragraph(fmt.Sprintf("Users are grouped into %s: users in one cohort share a mailbox database, client profile and namespace, so they take the same paths. A user or cohort counts under its worst path. Paths are counted per user, protocol and client location (internal and external).",
		plural(c.Cohorts, "cohort", "cohorts")))
	cohortsBy := map[string]int{}
	usersBy := map[string]int{}
	for _, co := range r.p.Cohorts {
		w := ""
		for _, proto := range planner.Protocols {
			if o := worstOutcome(co.Paths, proto, ""); o != "" && (w == "" || outcomeRank(o) < outcomeRank(w)) {
				w = o
			}
		}
		cohortsBy[w]++
		usersBy[w] += len(co.Users)
	}
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Outcome", Width: 2}, {Title: "Users", Width: 1, Align: pdf.AlignRight},
		{Title: "Share of users", Width: 1, Align: pdf.AlignRight},
		{Title: "Cohorts", Width: 1, Align: pdf.AlignRight}, {Title: "Paths", Width: 1, Align: pdf.AlignRight},
	}}
	count := func(n int) pdf.Cell {
		if n == 0 {
			return pdf.Cell{Text: "–", Color: colMutedFG}
		}
		return pdf.Cell{Text: num(n)}
	}
	for _, o := range outcomeOrder {
		share := count(usersBy[o])
		if usersBy[o] > 0 {
			share.Text = percent(usersBy[o], c.Users)
		}
		t.Rows = append(t.Rows, []pdf.Cell{outcomeCell(o, outcomeName(o)), count(usersBy[o]),
			share, count(cohortsBy[o]), count(c.ByOutcome[o])})
	}
	t.Rows = append(t.Rows, []pdf.Cell{{Text: "Total", Bold: true}, {Text: num(c.Users), Bold: true},
		{Text: "", Bold: true}, {Text: num(c.Cohorts), Bold: true}, {Text: num(c.Paths), Bold: true}})
	d.Table(t)

}

// verdictText explains the verdict in a sentence or two.
func (r *report) verdictText() string {
	c := r.counts
	var parts []string
	if n := c.BlockingFindings; n > 0 {
		parts = append(parts, plural(n, "blocking finding", "blocking findings"))
	}
	if n := c.BrokenUsers; n > 0 {
		parts = append(parts, fmt.Sprintf("%s of %s (%s) with at least one broken path", plural(n, "user", "users"), num(c.Users), percent(n, c.Users)))
	}
	warn := c.BySeverity[planner.SevWarning]
	info := c.BySeverity[planner.SevInfo]
	switch r.v.Label {
	case VerdictNotReady:
		s := capital(andList(parts)) + "."
		if len(parts) == 0 {
			s = "A cohort without users has a broken path."
		}
		return s + " Resolve them before moving namespaces or mailboxes; the checklist lists each server's actions."
	case VerdictWarnings:
		var w []string
		if warn > 0 {
			w = append(w, plural(warn, "warning", "warnings"))
		}
		if n := c.WarningUsers; n > 0 {
			w = append(w, fmt.Sprintf("%s (%s) with a degraded path", plural(n, "user", "users"), percent(n, c.Users)))
		}
		if len(w) == 0 {
			w = append(w, "a degraded path")
		}
		return "No blocking findings and no broken paths, but " + andList(w) + ". Review the warnings with the change board before the change."
	}
	s := "No blocking findings, warnings or broken paths: every user reaches their mailbox on every applicable protocol."
	if info > 0 {
		s += " " + capital(plural(info, "advisory note follows", "advisory notes follow")) + "."
	}
	return s
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// blockingFindings are the findings of severity error, in plan order.
func (r *report) blockingFindings() []planner.Finding {
	var out []planner.Finding
	for _, f := range r.p.Findings {
		if f.Severity == planner.SevError {
			out = append(out, f)
		}
	}
	return out
}

// ruleGroup is the findings of one rule, in plan order.
type ruleGroup struct {
	id       string
	findings []planner.Finding
}

// groupByRule groups findings by rule ID, in order of first appearance.
func groupByRule(fs []planner.Finding) []ruleGroup {
	var out []ruleGroup
	at := map[string]int{}
	for _, f := range fs {
		i, ok := at[f.ID]
		if !ok {
			i = len(out)
			at[f.ID] = i
			out = append(out, ruleGroup{id: f.ID})
		}
		out[i].findings = append(out[i].findings, f)
	}
	return out
}

// maxAffected is the most subjects the summary names for one rule.
const maxAffected = 8

// affectsAtMost names what a rule's findings are about, naming at most
// most subjects: "14 servers: A, B, … and 6 more"; with most 0, several
// subjects are counted only ("14 servers").
func (r *report) affectsAtMost(fs []planner.Finding, most int) string {
	var names []string
	seen := map[string]bool{}
	servers := true
	for _, f := range fs {
		s := f.Subject
		if s == "" {
			s = "the organisation"
		}
		if seen[s] {
			continue
		}
		seen[s] = true
		names = append(names, s)
		if r.p.Index.Server(s) == nil {
			servers = false
		}
	}
	sort.SliceStable(names, func(i, j int) bool { return lessFold(names[i], names[j]) })
	what := plural(len(names), "subject", "subjects")
	if servers {
		what = plural(len(names), "server", "servers")
	}
	if len(seen) == 1 {
		return names[0]
	}
	if most <= 0 {
		return what
	}
	if len(names) > most {
		names = append(names[:most], fmt.Sprintf("and %d more", len(names)-most))
	}
	return what + ": " + strings.Join(names, ", ")
}

// blockerRows are the summary's blocking rules when there are many: each
// rule with its title, except that rules of one area affecting the same
// subjects share a row ("TLS 1.2 readiness, 5 rules: TLS-DOTNET, …").
func (r *report) blockerRows(groups []ruleGroup, named int) []blockerRow {
	type row struct {
		area, affects string
		groups        []ruleGroup
	}
	var rows []*row
	for _, g := range groups {
		area, anySubject := "", false
		if rule := planner.RuleByID(g.id); rule != nil {
			area = rule.Area()
		}
		if strings.HasPrefix(g.id, "LIFE-") {
			// Lifecycle findings name different products (the
			// organisation's Exchange, one server's Windows): one row
			// says the estate has them; the findings chapter has each.
			area, anySubject = "Product lifecycle", true
		}
		affects := r.affectsAtMost(g.findings, named)
		var into *row
		for _, x := range rows {
			if area != "" && x.area == area && (anySubject || x.affects == affects) {
				into = x
			}
		}
		if into == nil {
			into = &row{area: area, affects: affects}
			rows = append(rows, into)
		}
		into.groups = append(into.groups, g)
		if anySubject && len(into.groups) > 1 {
			var all []planner.Finding
			for _, g := range into.groups {
				all = append(all, g.findings...)
			}
			into.affects = r.affectsAtMost(all, named)
		}
	}
	out := make([]blockerRow, len(rows))
	for i, x := range rows {
		if len(x.groups) == 1 {
			out[i] = blockerRow{x.groups[0].id + ": " + ruleTitle(x.groups[0]), x.affects, 1}
			continue
		}
		ids := make([]string, len(x.groups))
		for j, g := range x.groups {
			ids[j] = g.id
		}
		out[i] = blockerRow{fmt.Sprintf("%s, %d rules: %s.", x.area, len(ids), strings.Join(ids, ", ")), x.affects, len(ids)}
	}
	return out
}

// blockerRow is a row of the summary's blocking rules.
type blockerRow struct {
	problem, affects string
	rules            int // the rules it names
}

// maxDetailedRules is the most blocking rules the summary describes with
// their fix, and maxDetailedText the most characters those descriptions
// may take together; beyond either, it gives each rule's title only, so
// that the executive summary stays on one page.
const (
	maxDetailedRules = 4
	maxDetailedText  = 700
)

// detailed reports whether the summary describes each blocking rule with
// its fix.
func detailed(groups []ruleGroup) bool {
	if len(groups) > maxDetailedRules {
		return false
	}
	n := 0
	for _, g := range groups {
		n += len([]rune(ruleProblem(g)))
	}
	return n <= maxDetailedText
}

// ruleTitle is a rule's title, or its first finding's first sentence.
func ruleTitle(g ruleGroup) string {
	if rule := planner.RuleByID(g.id); rule != nil && rule.Title != "" {
		return rule.Title + "."
	}
	return firstSentence(g.findings[0].Message)
}

// ruleProblem is a rule's problem and fix in a sentence or two: the
// rule's title and the first finding's action.
func ruleProblem(g ruleGroup) string {
	f := g.findings[0]
	title := ""
	if rule := planner.RuleByID(g.id); rule != nil {
		title = rule.Title
	}
	if title == "" {
		return firstSentence(f.Message)
	}
	a := action(f)
	if len(g.findings) > 1 && f.Subject != "" && strings.Contains(strings.ToLower(a), strings.ToLower(f.Subject)) {
		// The action names the first subject: point to the per-subject
		// details instead.
		return title + ". The fix for each is under \"Findings and remediation\"."
	}
	return title + ". " + capital(a)
}

// brokenGroup is the broken paths of one protocol and location.
type brokenGroup struct {
	proto, location string
	cohorts, users  int
	causes          []string
}

// brokenRow is a row of the summary's broken paths: protocols broken from
// the same locations for the same cohorts by the same rules.
type brokenRow struct {
	protos         []string
	location       string // "External", "Internal" or "Both"
	cohorts, users int
	causes         []string
}

// brokenRows merges the broken-path groups that differ only in location,
// then the protocols whose rows then agree, so a cause that breaks every
// protocol takes one row, not twenty.
func brokenRows(gs []brokenGroup) []brokenRow {
	same := func(a, b brokenGroup) bool {
		return a.cohorts == b.cohorts && a.users == b.users && strings.Join(a.causes, ",") == strings.Join(b.causes, ",")
	}
	var rows []brokenRow
	for i := 0; i < len(gs); i++ {
		g := gs[i]
		row := brokenRow{protos: []string{g.proto}, location: capital(g.location), cohorts: g.cohorts, users: g.users, causes: g.causes}
		if i+1 < len(gs) && gs[i+1].proto == g.proto && same(g, gs[i+1]) {
			row.location = "Both"
			i++
		}
		if n := len(rows); n > 0 {
			last := &rows[n-1]
			if last.location == row.location && last.cohorts == row.cohorts && last.users == row.users &&
				strings.Join(last.causes, ",") == strings.Join(row.causes, ",") {
				last.protos = append(last.protos, row.protos...)
				continue
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// brokenByCause are the broken paths as one row per set of causes: the
// protocols broken by it, the locations ("Both" when internal and
// external) and the cohorts and users with at least one of those broken
// paths, in the order of the protocols. The users per protocol are in the
// summary's protocol table.
func (r *report) brokenByCause() []brokenRow {
	type group struct {
		protos, locs map[string]bool
		cohorts      int
		users        int
	}
	var order []string
	groups := map[string]*group{}
	for _, proto := range planner.Protocols {
		for _, co := range r.p.Cohorts {
			for _, pa := range co.Paths {
				if pa.Protocol != proto || pa.Outcome != planner.OutcomeBroken {
					continue
				}
				k := strings.Join(sortedKeys(setOf(problemIDs(pa))), ", ")
				if groups[k] == nil {
					groups[k] = &group{protos: map[string]bool{}, locs: map[string]bool{}}
					order = append(order, k)
				}
				groups[k].protos[proto] = true
				groups[k].locs[pa.Location] = true
			}
		}
	}
	var rows []brokenRow
	for _, k := range order {
		g := groups[k]
		for _, co := range r.p.Cohorts {
			for _, pa := range co.Paths {
				if pa.Outcome == planner.OutcomeBroken && g.protos[pa.Protocol] &&
					strings.Join(sortedKeys(setOf(problemIDs(pa))), ", ") == k {
					g.cohorts++
					g.users += len(co.Users)
					break
				}
			}
		}
		row := brokenRow{cohorts: g.cohorts, users: g.users, causes: []string{k}}
		for _, proto := range planner.Protocols {
			if g.protos[proto] {
				row.protos = append(row.protos, proto)
			}
		}
		switch {
		case len(g.locs) > 1:
			row.location = "Both"
		default:
			for l := range g.locs {
				row.location = capital(l)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// setOf is the set of strings.
func setOf(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// protocolsCell names one protocol in full, several by their short names.
func protocolsCell(protos []string) string {
	if len(protos) == 1 {
		return protocolName(protos[0])
	}
	names := make([]string, len(protos))
	for i, p := range protos {
		names[i] = protocolShort(p)
	}
	return strings.Join(names, ", ")
}

// protocolShort is a protocol's name without its explanation:
// "Outlook Anywhere" for "Outlook Anywhere (RPC over HTTP)".
func protocolShort(p string) string {
	n := protocolName(p)
	if i := strings.Index(n, " ("); i > 0 {
		if strings.HasSuffix(n, ")") && strings.ToUpper(n[i+2:len(n)-1]) == n[i+2:len(n)-1] {
			return n[i+2 : len(n)-1] // "Outlook on the web (OWA)" → "OWA"
		}
		return n[:i]
	}
	return n
}

// brokenPaths groups the broken paths by protocol and location, with the
// non-informational rules that flagged them.
func (r *report) brokenPaths() []brokenGroup {
	var out []brokenGroup
	for _, proto := range planner.Protocols {
		for _, loc := range []string{"external", "internal"} {
			g := brokenGroup{proto: proto, location: loc}
			causes := map[string]bool{}
			for _, co := range r.p.Cohorts {
				hit := false
				for _, pa := range co.Paths {
					if pa.Protocol != proto || pa.Location != loc || pa.Outcome != planner.OutcomeBroken {
						continue
					}
					hit = true
					for _, id := range problemIDs(pa) {
						causes[id] = true
					}
				}
				if hit {
					g.cohorts++
					g.users += len(co.Users)
				}
			}
			if g.cohorts > 0 {
				g.causes = sortedKeys(causes)
				out = append(out, g)
			}
		}
	}
	return out
}

// problemIDs are the IDs of the rules that flagged a path and are not
// merely informational (unknown IDs count as problems).
func problemIDs(pa planner.Path) []string {
	var ids []string
	for _, id := range pa.Findings {
		if rule := planner.RuleByID(id); rule == nil || rule.Severity != planner.SevInfo {
			ids = append(ids, id)
		}
	}
	return ids
}

// serverVersionTable lists the Exchange versions with their servers,
// builds and sites.
func (r *report) serverVersionTable() pdf.Table {
	type group struct {
		servers       []string
		builds, sites map[string]bool
	}
	groups := map[model.Version]*group{}
	for _, s := range r.p.Inv.Servers {
		v := s.Parsed.Version()
		g := groups[v]
		if g == nil {
			g = &group{builds: map[string]bool{}, sites: map[string]bool{}}
			groups[v] = g
		}
		g.servers = append(g.servers, s.Name)
		g.builds[s.Parsed.Name()] = true
		g.sites[s.Site] = true
	}
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Version", Width: 1.3}, {Title: "Servers", Width: 0.7, Align: pdf.AlignRight},
		{Title: "Builds", Width: 2.6}, {Title: "Sites", Width: 1.6}, {Title: "Names", Width: 2.8},
	}}
	for _, v := range versions(r.p.Inv) {
		g := groups[v]
		sort.Slice(g.servers, func(i, j int) bool { return lessFold(g.servers[i], g.servers[j]) })
		name := "Exchange " + v.String()
		if v == 0 {
			name = "Unknown version"
		}
		t.Rows = append(t.Rows, []pdf.Cell{{Text: name, Bold: true}, {Text: num(len(g.servers))},
			{Text: strings.Join(sortedKeys(g.builds), "\n")}, {Text: r.capList(sortedKeys(g.sites), "sites")},
			{Text: r.capList(g.servers, "servers")}})
	}
	return t
}

// topology adds the topology section: the diagram and what each
// namespace resolves to.
func (r *report) topology() {
	d, inv := r.doc, r.p.Inv
	d.Heading(1, "Topology")
	// The diagram comes first so that the heading stays with it when it
	// needs a page of its own.
	switch parts := r.in.TopologyParts; {
	case r.compact && len(parts) > r.mode.topologyParts:
		d.Paragraph(fmt.Sprintf("The topology diagram is too large to print legibly here (%d pages): topology.svg beside this report draws every site, server, namespace and load balancer. The table gives each site at a glance: its servers by version and role, whether it is Internet-facing and the namespaces and load balancers that lead to it.", len(parts)))
		d.Table(r.siteTable())
	case len(parts) > 0:
		for i, part := range parts {
			d.Diagram(part, fmt.Sprintf("Sites, servers, load balancers and namespaces, part %d of %d", i+1, len(parts)))
		}
	case !empty(r.in.Topology):
		d.Diagram(r.in.Topology, "Sites, servers, load balancers and namespaces")
	}
	if !empty(r.in.TopologyLegend) && !(r.compact && len(r.in.TopologyParts) > r.mode.topologyParts) {
		d.Diagram(r.in.TopologyLegend, "Legend of the topology diagram")
	}
	d.Paragraph(fmt.Sprintf("%s Exchange servers in %s; %s and %s.", capital(num(len(inv.Servers))),
		plural(len(inv.Sites), "Active Directory site", "Active Directory sites"),
		plural(len(inv.Namespaces), "namespace", "namespaces"), plural(len(inv.LoadBalancers), "load balancer", "load balancers")))
	d.Heading(2, "Servers by version")
	d.Table(r.serverVersionTable())
	if len(inv.Namespaces) == 0 {
		return
	}
	d.Heading(2, "Namespaces")
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Namespace", Width: 2.2}, {Title: "Internal clients reach", Width: 2.4}, {Title: "External clients reach", Width: 2.4},
	}}
	nss := append([]model.Namespace(nil), inv.Namespaces...)
	sort.SliceStable(nss, func(i, j int) bool { return lessFold(nss[i].FQDN, nss[j].FQDN) })
	if r.compact {
		t.Rows = r.namespaceRows(nss)
		if len(t.Rows) < len(nss) {
			t.Note = "Names that differ only in a number, and lead to servers whose names differ in the same number, share a row: ‹N› stands for each of the numbers listed."
		}
	} else {
		for _, ns := range nss {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: ns.FQDN, Bold: true}, r.targetsCell(ns.Internal), r.targetsCell(ns.External)})
		}
	}
	d.Table(t)
}

// minNamespaceSeries is the fewest names a compact report's namespace
// table prints as one series row.
const minNamespaceSeries = 3

// namespaceRows are the rows of a compact report's namespace table: a
// series of names that differ only in one number (outlook-s01…,
// outlook-s02…) and lead to targets that differ in the same number
// (CAS2010-S01-1, CAS2010-S02-1) share a row that lists the numbers; every
// other name has its own row. nss is sorted.
func (r *report) namespaceRows(nss []model.Namespace) [][]pdf.Cell {
	type series struct {
		in, ext pdf.Cell // with ‹N› for the number
		name    string   // the FQDN with ‹N› for the number
		nums    []string // each name's number
		members []model.Namespace
	}
	var order []*series
	byKey := map[string]*series{}
	for _, ns := range nss {
		in, ext := r.targetsCell(ns.Internal), r.targetsCell(ns.External)
		key := "\x00" + ns.FQDN // a name of its own
		var n string
		if runs := digitRun.FindAllString(ns.FQDN, -1); len(runs) == 1 {
			n = runs[0]
			mask := func(text string) string {
				return digitRun.ReplaceAllStringFunc(text, func(m string) string {
					if m == n {
						return "‹N›"
					}
					return m
				})
			}
			in.Text, ext.Text = mask(in.Text), mask(ext.Text)
			key = mask(ns.FQDN) + "\x00" + in.Text + "\x00" + ext.Text
		}
		s := byKey[key]
		if s == nil {
			s = &series{in: in, ext: ext}
			if n != "" {
				s.name = digitRun.ReplaceAllString(ns.FQDN, "‹N›")
			}
			byKey[key] = s
			order = append(order, s)
		}
		s.nums = append(s.nums, n)
		s.members = append(s.members, ns)
	}
	var rows [][]pdf.Cell
	for _, s := range order {
		if s.name == "" || len(s.members) < minNamespaceSeries {
			for _, ns := range s.members {
				rows = append(rows, []pdf.Cell{{Text: ns.FQDN, Bold: true}, r.targetsCell(ns.Internal), r.targetsCell(ns.External)})
			}
			continue
		}
		label := fmt.Sprintf("%s\n‹N› = %s (%d names)", s.name, numberList(s.nums), len(s.members))
		rows = append(rows, []pdf.Cell{{Text: label, Bold: true}, s.in, s.ext})
	}
	return rows
}

// digitRun is a run of digits in a name.
var digitRun = regexp.MustCompile(`[0-9]+`)

// numberList lists a series' numbers (sorted as their names): "01 to 40"
// when they run without a gap, else each.
func numberList(nums []string) string {
	run := true
	for i := 1; i < len(nums); i++ {
		a, errA := strconv.Atoi(nums[i-1])
		b, errB := strconv.Atoi(nums[i])
		if errA != nil || errB != nil || b != a+1 || len(nums[i]) != len(nums[i-1]) {
			run = false
			break
		}
	}
	if run && len(nums) > 2 {
		return nums[0] + " to " + nums[len(nums)-1]
	}
	return strings.Join(nums, ", ")
}

// targetsCell names what a namespace resolves to, expanding load
// balancers to their members.
func (r *report) targetsCell(targets []string) pdf.Cell {
	if len(targets) == 0 {
		return pdf.Cell{Text: "does not resolve", Color: colMutedFG}
	}
	var lines []string
	for _, tg := range targets {
		if lb := r.p.Index.LoadBalancer(tg); lb != nil {
			lines = append(lines, fmt.Sprintf("%s → %s", lb.Name, strings.Join(lb.Members, ", ")))
			continue
		}
		lines = append(lines, tg)
	}
	return pdf.Cell{Text: strings.Join(lines, "\n")}
}

// scopeNote is the scope line printed in every verdict box, naming the
// section that details it.
func scopeNote() string {
	return "Scope. " + planner.ScopeLine() + " See “" + planner.ScopeSectionTitle + "” in the appendix."
}

// siteTable lists the sites with their servers (counted by version and
// roles), the protocols they publish and the namespaces and load
// balancers that lead to them.
func (r *report) siteTable() pdf.Table {
	inv := r.p.Inv
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Site", Width: 1.7}, {Title: "Exchange servers", Width: 4.9}, {Title: "Namespaces and load balancers", Width: 2.4},
	}}
	// What leads where: a namespace to the sites of its targets (a load
	// balancer's members), each with "int", "ext" or both.
	type lead struct{ in, ext bool }
	leads := map[string]map[string]*lead{}  // site key → name → lead
	lbSites := map[string]map[string]bool{} // site key → load balancer names
	sitesOf := func(target string) []string {
		if lb := r.p.Index.LoadBalancer(target); lb != nil {
			var out []string
			for _, m := range lb.Members {
				if s := r.p.Index.Server(m); s != nil {
					k := model.Key(s.Site)
					out = append(out, k)
					if lbSites[k] == nil {
						lbSites[k] = map[string]bool{}
					}
					lbSites[k][lb.Name] = true
				}
			}
			return out
		}
		if s := r.p.Index.Server(target); s != nil {
			return []string{model.Key(s.Site)}
		}
		return nil
	}
	for _, ns := range inv.Namespaces {
		for _, side := range []struct {
			targets []string
			ext     bool
		}{{ns.Internal, false}, {ns.External, true}} {
			for _, tg := range side.targets {
				for _, k := range sitesOf(tg) {
					if leads[k] == nil {
						leads[k] = map[string]*lead{}
					}
					l := leads[k][ns.FQDN]
					if l == nil {
						l = &lead{}
						leads[k][ns.FQDN] = l
					}
					if side.ext {
						l.ext = true
					} else {
						l.in = true
					}
				}
			}
		}
	}
	sites := append([]model.Site(nil), inv.Sites...)
	sort.SliceStable(sites, func(i, j int) bool { return lessFold(sites[i].Name, sites[j].Name) })
	for _, site := range sites {
		k := model.Key(site.Name)
		var servers []*model.Server
		for i := range inv.Servers {
			if model.Key(inv.Servers[i].Site) == k {
				servers = append(servers, &inv.Servers[i])
			}
		}
		if len(servers) == 0 && len(leads[k]) == 0 {
			continue
		}
		name := site.Name
		if ext := publishes(servers); len(ext) > 0 {
			name += "\nInternet-facing: " + strings.Join(ext, ", ")
		}
		// Servers by version and roles, oldest first: "2 × 2010 CAS · HUB:
		// CAS2010-S02-1, CAS2010-S02-2".
		type class struct {
			v     model.Version
			roles string
			names []string
			oos   int
		}
		var classes []*class
		for _, s := range servers {
			roles := rolesShort(s)
			var c *class
			for _, x := range classes {
				if x.v == s.Parsed.Version() && x.roles == roles {
					c = x
				}
			}
			if c == nil {
				c = &class{v: s.Parsed.Version(), roles: roles}
				classes = append(classes, c)
			}
			c.names = append(c.names, s.Name)
			if s.IsOutOfService {
				c.oos++
			}
		}
		sort.SliceStable(classes, func(i, j int) bool { return classes[i].v < classes[j].v })
		var lines []string
		for _, c := range classes {
			sort.Slice(c.names, func(i, j int) bool { return lessFold(c.names[i], c.names[j]) })
			v := c.v.String() // the column says "Exchange servers"
			if c.v == 0 {
				v = "unknown version"
			}
			l := fmt.Sprintf("%d × %s", len(c.names), v)
			if c.roles != "" {
				l += " " + c.roles
			}
			l += ": " + nameRange(c.names)
			if c.oos > 0 {
				l += fmt.Sprintf(" (%d out of service)", c.oos)
			}
			lines = append(lines, l)
		}
		if len(lines) == 0 {
			lines = []string{"none"}
		}
		var to []string
		for _, lb := range sortedKeys(lbSites[k]) {
			to = append(to, "load balancer "+lb)
		}
		names := sortedKeys(leads[k])
		sort.SliceStable(names, func(i, j int) bool { return lessFold(names[i], names[j]) })
		for _, n := range names {
			l := leads[k][n]
			switch {
			case l.in && l.ext:
				to = append(to, n+" (int, ext)")
			case l.ext:
				to = append(to, n+" (ext)")
			default:
				to = append(to, n+" (int)")
			}
		}
		toCell := pdf.Cell{Text: strings.Join(to, ", ")}
		if len(to) == 0 {
			toCell = pdf.Cell{Text: "none", Color: colMutedFG}
		}
		t.Rows = append(t.Rows, []pdf.Cell{{Text: name, Bold: true}, {Text: strings.Join(lines, "\n")}, toCell})
	}
	return t
}

// nameRange names servers compactly: all of up to three, else the first
// and the last ("CAS2010-S01-1 … CAS2010-S01-5").
func nameRange(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return names[0] + " … " + names[len(names)-1]
}

// rolesShort abbreviates a server's roles: "CAS · HUB".
func rolesShort(s *model.Server) string {
	var out []string
	for _, x := range s.Roles {
		switch model.Key(x) {
		case "clientaccess":
			out = append(out, "CAS")
		case "mailbox":
			out = append(out, "MBX")
		case "hubtransport":
			out = append(out, "HUB")
		case "edge", "edgetransport":
			out = append(out, "Edge")
		case "unifiedmessaging":
			out = append(out, "UM")
		}
	}
	return strings.Join(out, " · ")
}

// publishes lists the client protocols for which an in-service server of
// the site has an ExternalUrl (as the topology diagram's "Internet-facing").
func publishes(servers []*model.Server) []string {
	var out []string
	for _, x := range []struct {
		name string
		vd   func(*model.Server) *model.VirtualDir
	}{
		{"OWA", func(s *model.Server) *model.VirtualDir { return &s.OWA }},
		{"EAS", func(s *model.Server) *model.VirtualDir { return &s.EAS }},
		{"EWS", func(s *model.Server) *model.VirtualDir { return &s.EWS }},
		{"OAB", func(s *model.Server) *model.VirtualDir { return &s.OAB }},
		{"MAPI", func(s *model.Server) *model.VirtualDir { return &s.MAPI }},
	} {
		for _, s := range servers {
			if x.vd(s).ExternalURL != "" && !s.IsOutOfService {
				out = append(out, x.name)
				break
			}
		}
	}
	return out
}

// capList joins names; a compact report names at most eight ("… and 131
// more servers").
func (r *report) capList(names []string, what string) string {
	const most = 8
	if !r.compact || len(names) <= most {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, … and %d more %s", strings.Join(names[:most], ", "), len(names)-most, what)
}
