package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/pdf"
)

// severities in report order, with their section titles.
var severities = []struct {
	sev   planner.Severity
	title string
}{
	{planner.SevError, "Blocking findings"},
	{planner.SevWarning, "Warnings"},
	{planner.SevInfo, "Advisories"},
}

// findings adds the findings chapter: by severity, then by rule, each
// finding with its remediation.
func (r *report) findings() {
	d, c := r.doc, r.counts
	d.Heading(1, "Findings and remediation")
	if len(r.p.Findings) == 0 {
		d.Callout("ok", "No findings", "The prerequisite checks found nothing to change.")
		return
	}
	d.Paragraph(fmt.Sprintf("%s: %s blocking, %s %s and %s %s. Blocking findings must be resolved before the migration; each finding names its subject (a server, namespace, client profile or the organisation), what is wrong and how to fix it. Commands are for the Exchange Management Shell unless they say otherwise.",
		capital(plural(len(r.p.Findings), "finding", "findings")), num(c.BySeverity[planner.SevError]),
		num(c.BySeverity[planner.SevWarning]), pick(c.BySeverity[planner.SevWarning], "warning", "warnings"),
		num(c.BySeverity[planner.SevInfo]), pick(c.BySeverity[planner.SevInfo], "advisory", "advisories")))
	for _, s := range severities {
		var fs []planner.Finding
		for _, f := range r.p.Findings {
			if f.Severity == s.sev {
				fs = append(fs, f)
			}
		}
		if len(fs) == 0 {
			continue
		}
		d.Heading(2, s.title)
		// Findings are sorted by severity, ID, subject: group by ID.
		for len(fs) > 0 {
			n := 1
			for n < len(fs) && fs[n].ID == fs[0].ID {
				n++
			}
			r.findingGroup(fs[:n])
			fs = fs[n:]
		}
	}
}

// findingGroup adds the findings of one rule and severity.
func (r *report) findingGroup(fs []planner.Finding) {
	d := r.doc
	id := fs[0].ID
	rule := planner.RuleByID(id)
	title := id
	if rule != nil && rule.Title != "" {
		title += " · " + rule.Title
	}
	d.HeadingAs(3, title, id)
	// The rule's findings may each cite part of its sources (a lifecycle
	// finding its product's page): the heading cites them all.
	var keys []string
	for _, f := range fs {
		keys = append(keys, f.Sources...)
	}
	if rule != nil && len(keys) == 0 {
		keys = rule.Sources
	}
	basis := fs[0].Basis
	if basis == "" && rule != nil {
		basis = rule.Basis()
	}
	meta := []string{}
	if cite := r.bib.Cite(keys); cite != "" {
		meta = append(meta, "Sources: "+cite)
	}
	if basis == planner.BasisInferred {
		meta = append(meta, "inferred: our best reading of the sources, verify it for this estate")
	} else if basis != "" {
		meta = append(meta, "Basis: "+string(basis))
	}
	if len(meta) > 0 {
		d.Note(strings.Join(meta, " · "))
	}
	groups := sameFindings(fs)
	var variants map[int][]variant
	if r.compact {
		groups, variants = nearSameFindings(groups)
	}
	for i, g := range groups {
		f := g[0]
		subject := f.Subject
		if subject == "" {
			subject = id
		}
		if len(g) == 1 {
			d.Callout(severityKind(f.Severity), subject, f.Message)
			r.remediation(f, "")
			r.variantTable(f, variants[i])
			continue
		}
		names := make([]string, len(g))
		for i, f := range g {
			names[i] = f.Subject
		}
		what := "subjects"
		if r.p.Index.Server(f.Subject) != nil {
			what = "servers"
		}
		d.Callout(severityKind(f.Severity), fmt.Sprintf("%d %s: %s", len(g), what, r.subjectNames(names, what)),
			fmt.Sprintf("The same finding on each, with its own name; as on %s: %s", f.Subject, f.Message))
		r.remediation(f, fmt.Sprintf("each of the %d %s (shown for %s; remediation.ps1 has each one's own)", len(g), what, f.Subject))
	}
}

// maxCompactSubjects is the most subjects a compact report names in the
// heading of findings that say the same about each; the checklist names
// every one.
const maxCompactSubjects = 8

// subjectNames names the subjects of findings that say the same about
// each. A compact report names a longer list by the Exchange versions it
// covers in full ("every Exchange 2010 server") or by its first names,
// pointing to the checklist, which names each.
func (r *report) subjectNames(names []string, what string) string {
	if !r.compact || len(names) <= maxCompactSubjects {
		return strings.Join(names, ", ")
	}
	const where = " (the prerequisite checklist names each)"
	if what == "servers" {
		in := map[string]bool{}
		for _, n := range names {
			in[model.Key(n)] = true
		}
		named, total := map[model.Version]int{}, map[model.Version]int{}
		for _, s := range r.p.Inv.Servers {
			v := s.Parsed.Version()
			total[v]++
			if in[model.Key(s.Name)] {
				named[v]++
			}
		}
		var vs []string
		whole := true
		for _, v := range versions(r.p.Inv) {
			if named[v] > 0 {
				vs = append(vs, v.String())
				whole = whole && v != 0 && named[v] == total[v]
			}
		}
		if whole && len(vs) > 0 {
			return "every Exchange " + andList(vs) + " server" + where
		}
	}
	return fmt.Sprintf("%s, … and %d more%s", strings.Join(names[:maxCompactSubjects], ", "), len(names)-maxCompactSubjects, where)
}

// variant is a finding that says what another of its rule says but for a
// few words besides its subject's name (a site's namespace): a compact
// report prints the other in full and this one as a table row.
type variant struct {
	f planner.Finding
	// diffs are the words that differ, each with the word it replaces.
	diffs [][2]string
}

// maxVariantWords is the most words (besides the subject's name) in which
// a finding may differ from another to be printed as its variant.
const maxVariantWords = 4

// nearSameFindings takes the single findings that differ from an earlier
// single finding of the rule only in a few words (once each subject's
// name is blanked) out of groups, as variants of that earlier one, keyed
// by its index in the groups returned.
func nearSameFindings(groups [][]planner.Finding) ([][]planner.Finding, map[int][]variant) {
	var out [][]planner.Finding
	variants := map[int][]variant{}
	var bases []int // indexes in out of single findings
	for _, g := range groups {
		if len(g) == 1 {
			found := false
			for _, b := range bases {
				if diffs, ok := wordDiffs(out[b][0], g[0]); ok {
					variants[b] = append(variants[b], variant{g[0], diffs})
					found = true
					break
				}
			}
			if found {
				continue
			}
			bases = append(bases, len(out))
		}
		out = append(out, g)
	}
	return out, variants
}

// wordDiffs compares two findings word by word, each with its subject's
// name blanked: ok when they have as many words and differ in at most
// maxVariantWords of them, listed (b's word, a's word) without repeats.
func wordDiffs(a, b planner.Finding) (diffs [][2]string, ok bool) {
	if a.Severity != b.Severity || a.Subject == "" || b.Subject == "" {
		return nil, false
	}
	wa, wb := strings.Fields(findingShape(a)), strings.Fields(findingShape(b))
	if len(wa) != len(wb) {
		return nil, false
	}
	seen := map[[2]string]bool{}
	for i := range wa {
		if wa[i] == wb[i] {
			continue
		}
		d := [2]string{strings.Trim(wb[i], trimWord), strings.Trim(wa[i], trimWord)}
		if !seen[d] {
			seen[d] = true
			diffs = append(diffs, d)
		}
		if len(diffs) > maxVariantWords {
			return nil, false
		}
	}
	return diffs, len(diffs) > 0
}

// trimWord is the punctuation around a word that a variant's table leaves
// out.
const trimWord = "\"'.,;:()[]{}\\"

// variantTable lists the variants of f: their subjects and the words in
// which each differs from f.
func (r *report) variantTable(f planner.Finding, vs []variant) {
	if len(vs) == 0 {
		return
	}
	d := r.doc
	what := "subjects"
	if r.p.Index.Server(vs[0].f.Subject) != nil {
		what = "servers"
	}
	d.Paragraph(fmt.Sprintf("The same finding on %d more %s, each with its own name and the words the table gives in place of %s's; remediation.ps1 has each one's commands.", len(vs), what, f.Subject))
	t := pdf.Table{Columns: []pdf.Column{{Title: "Subject", Width: 1.8}, {Title: "As for " + f.Subject + ", but with", Width: 6}}}
	for _, v := range vs {
		parts := make([]string, len(v.diffs))
		for i, x := range v.diffs {
			parts[i] = x[0] + " for " + x[1]
		}
		t.Rows = append(t.Rows, []pdf.Cell{{Text: v.f.Subject, Bold: true}, {Text: strings.Join(parts, "; ")}})
	}
	d.Table(t)
}

// sameFindings splits one rule's findings into groups that say the same
// thing about different subjects: equal once each subject's name is taken
// out of its message and fix. Groups keep the findings' order.
func sameFindings(fs []planner.Finding) [][]planner.Finding {
	var out [][]planner.Finding
	at := map[string]int{}
	for _, f := range fs {
		k := findingShape(f)
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], f)
	}
	return out
}

// findingShape is a finding's severity, message and fix with its
// subject's name blanked (case-insensitively).
func findingShape(f planner.Finding) string {
	s := fmt.Sprintf("%s|%q|%q|%q|%v|%q|%q", f.Severity, f.Message, f.Remediation, f.Fix.Shell, f.Fix.Registry, f.Fix.KBs, f.Fix.Steps)
	if f.Subject == "" {
		return s
	}
	re := regexp.MustCompile("(?i)" + regexp.QuoteMeta(f.Subject))
	return re.ReplaceAllLiteralString(s, "\x00")
}

// remediation adds a finding's fix: updates, steps, registry values and
// commands.
//
// on, when set, names the servers the fix is for instead of the finding's
// own subject.
func (r *report) remediation(f planner.Finding, on string) {
	d, fix := r.doc, f.Fix
	var kv [][2]string
	if len(fix.KBs) > 0 {
		kv = append(kv, [2]string{"Install", strings.Join(fix.KBs, ", ")})
	}
	if len(fix.Steps) == 1 {
		kv = append(kv, [2]string{"Remediation", fix.Steps[0]})
	} else if len(fix.Steps) > 1 {
		lines := make([]string, len(fix.Steps))
		for i, s := range fix.Steps {
			lines[i] = fmt.Sprintf("%d. %s", i+1, s)
		}
		kv = append(kv, [2]string{"Steps", strings.Join(lines, "\n")})
	}
	noFix := len(fix.KBs) == 0 && len(fix.Steps) == 0 && len(fix.Shell) == 0 && len(fix.Registry) == 0
	if noFix && strings.TrimSpace(f.Remediation) != "" {
		kv = append(kv, [2]string{"Remediation", f.Remediation})
	}
	if len(kv) > 0 {
		d.KeyValues(kv)
	}
	if len(fix.Registry) > 0 {
		if on == "" {
			on = fix.Server
		}
		if on == "" {
			on = f.Subject
		}
		t := pdf.Table{Columns: []pdf.Column{{Title: "Registry on " + on, Width: 5}, {Title: "Value", Width: 2.2}, {Title: "Data (DWORD)", Width: 1.1, Align: pdf.AlignRight}}}
		for _, v := range fix.Registry {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: v.Key, Mono: true, Path: true}, {Text: v.Name, Bold: true, Mono: true}, {Text: fmt.Sprintf("%d (0x%X)", v.Value, v.Value)}})
		}
		d.Table(t)
	}
	if c := fix.Commands(); len(c) > 0 {
		most := maxCodeLines
		if r.compact {
			most = maxCompactCodeLines
		}
		d.Table(codeTable("Commands", c, most))
	}
}

// maxCodeRow is the most command lines one table row holds: a row never
// breaks across pages, so a longer script continues in the next row.
const maxCodeRow = 12

// maxCodeLines is the most command lines the report prints for one
// finding; remediation.ps1 has them all.
const maxCodeLines = 48

// maxCompactCodeLines is maxCodeLines in a compact report.
const maxCompactCodeLines = 16

// codeTable shows command lines in a monospaced one-column table: each
// comment starts a row that holds the commands after it, so a multi-line
// script copies out as one block and a page break falls between scripts.
// Past most lines the table ends with a pointer to remediation.ps1.
func codeTable(title string, lines []string, most int) pdf.Table {
	t := pdf.Table{Columns: []pdf.Column{{Title: title}}}
	var block []string
	// cut is set when the block was cut at maxCodeRow lines: the next
	// row continues the same script.
	cut := false
	flush := func() {
		for len(block) > 0 && strings.TrimSpace(block[len(block)-1]) == "" {
			block = block[:len(block)-1]
		}
		if len(block) > 0 {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: strings.Join(block, "\n"), Mono: true, Continues: cut}})
		}
		block, cut = nil, false
	}
	shown := 0
	for i, l := range lines {
		if shown == most {
			if rest := len(lines) - i; rest > 0 {
				flush()
				t.Rows = append(t.Rows, []pdf.Cell{{Text: fmt.Sprintf("… %s more: remediation.ps1 has every command.", plural(rest, "line", "lines")), Color: colMutedFG}})
			}
			break
		}
		comment := strings.HasPrefix(strings.TrimSpace(l), "#")
		if comment && len(block) > 0 && !strings.HasPrefix(strings.TrimSpace(block[len(block)-1]), "#") {
			flush()
		} else if len(block) >= maxCodeRow {
			flush()
			cut = true
		}
		if len(block) == 0 && strings.TrimSpace(l) == "" {
			continue
		}
		block = append(block, l)
		shown++
	}
	flush()
	return t
}

// checklist adds the per-server prerequisite checklist and the items that
// belong to no server.
func (r *report) checklist() {
	d, p := r.doc, r.p
	d.Heading(1, "Prerequisite checklist")
	if r.compact {
		d.Paragraph("One row per build, Windows version and list of actions, with every server (of any site) that needs exactly these actions; tick an action when it is done on all of them (checklist.xlsx has a row per server to track each). The finding ID leads to the details and commands in \"Findings and remediation\".")
	} else {
		d.Paragraph("One row per Exchange server with the actions the findings ask for (servers of one site with the same build and the same actions share a row, a box each); tick each box when done. The finding ID leads to the details and commands in \"Findings and remediation\".")
	}
	byServer := map[*model.Server][]planner.Finding{}
	var other []planner.Finding
	for _, f := range p.Findings {
		s := p.Index.Server(f.Fix.Server)
		if s == nil {
			s = p.Index.Server(f.Subject)
		}
		if s == nil {
			other = append(other, f)
			continue
		}
		byServer[s] = append(byServer[s], f)
	}
	servers := make([]*model.Server, len(p.Inv.Servers))
	for i := range p.Inv.Servers {
		servers[i] = &p.Inv.Servers[i]
	}
	sort.SliceStable(servers, func(i, j int) bool {
		a, b := servers[i], servers[j]
		if !strings.EqualFold(a.Site, b.Site) {
			return lessFold(a.Site, b.Site)
		}
		return lessFold(a.Name, b.Name)
	})
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Server", Width: 1.3}, {Title: "Exchange", Width: 1.7}, {Title: "Windows", Width: 1.5}, {Title: "To do", Width: 4.5},
	}}
	// Servers of one site with the same build, Windows and to-do list
	// (each naming itself) share a row, a tick box per server.
	var rows []*checkRow
	byKey := map[string]*checkRow{}
	for _, s := range servers {
		ex := s.Parsed.Name()
		if !s.Parsed.IsZero() {
			ex += "\n" + s.Parsed.String()
		}
		os := s.OS
		if os == "" {
			os = "not recorded"
		}
		todo := todoCell(byServer[s])
		self := regexp.MustCompile("(?i)" + regexp.QuoteMeta(s.Name))
		key := fmt.Sprintf("%s|%s|%s|%t|%s", model.Key(s.Site), ex, os, s.IsOutOfService, self.ReplaceAllLiteralString(todo.Text, "\x00"))
		if r.compact {
			// Servers of any site share a row.
			key = key[len(model.Key(s.Site)):]
			if rw := byKey[key]; rw != nil {
				rw.names = append(rw.names, s.Name)
				if !slices.Contains(rw.sites, s.Site) {
					rw.sites = append(rw.sites, s.Site)
				}
				continue
			}
		} else if n := len(rows); n > 0 && rows[n-1].key == key && len(rows[n-1].names) < maxServersPerRow {
			rows[n-1].names = append(rows[n-1].names, s.Name)
			continue
		}
		rows = append(rows, &checkRow{key: key, ex: ex, os: os, site: s.Site, sites: []string{s.Site}, todo: todo, names: []string{s.Name}, oos: s.IsOutOfService})
		byKey[key] = rows[len(rows)-1]
	}
	if r.compact {
		r.compactChecklist(other, rows)
		return
	}
	for _, rw := range rows {
		name := rw.names[0]
		todo := rw.todo
		if len(rw.names) > 1 {
			name = box + " " + strings.Join(rw.names, "\n"+box+" ")
			todo.Text = strings.ReplaceAll(todo.Text, rw.names[0], "each server")
			todo.Text = strings.ReplaceAll(todo.Text, strings.ToLower(rw.names[0]), "<server>")
		}
		name += "\n" + rw.site
		if rw.oos {
			name += "\nout of service"
		}
		t.Rows = append(t.Rows, []pdf.Cell{{Text: name, Bold: true}, {Text: rw.ex}, {Text: rw.os}, todo})
	}
	d.Table(t)
	r.otherChecklist(other)
}

// otherChecklist lists the to-dos of findings about no server.
func (r *report) otherChecklist(other []planner.Finding) {
	d := r.doc
	if len(other) > 0 {
		d.Heading(2, "Organisation, namespaces and clients")
		t := pdf.Table{Columns: []pdf.Column{{Title: "Subject", Width: 1.8}, {Title: "To do", Width: 6}}}
		// other is in plan order (severity, ID, subject); list by subject.
		bySubject := map[string][]planner.Finding{}
		for _, f := range other {
			bySubject[f.Subject] = append(bySubject[f.Subject], f)
		}
		subjects := sortedKeys(bySubject)
		sort.SliceStable(subjects, func(i, j int) bool { return lessFold(subjects[i], subjects[j]) })
		for _, s := range subjects {
			label := s
			if label == "" {
				label = "Organisation"
			}
			t.Rows = append(t.Rows, []pdf.Cell{{Text: label, Bold: true}, todoCell(bySubject[s])})
		}
		d.Table(t)
	}
}

// checkRow is a row of the checklist: servers with the same build,
// Windows and to-do list (each naming itself).
type checkRow struct {
	key, ex, os, site string
	sites             []string
	todo              pdf.Cell
	names             []string
	oos               bool
}

// compactChecklist adds the checklist of a compact report: one row per
// build, Windows and to-do list, whatever the servers' sites, naming its
// servers and their sites; checklist.xlsx has a row per server.
func (r *report) compactChecklist(other []planner.Finding, rows []*checkRow) {
	// The servers' names share a wide cell with their build and Windows
	// (a row never breaks across pages, so a narrow column of 78 names,
	// one a line, would be cut short).
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Servers", Width: 4.3}, {Title: "To do", Width: 4.7},
	}}
	for _, rw := range rows {
		todo := rw.todo
		head := rw.names[0] + " (" + rw.site + ")"
		if len(rw.names) > 1 {
			todo.Text = strings.ReplaceAll(todo.Text, rw.names[0], "each server")
			todo.Text = strings.ReplaceAll(todo.Text, strings.ToLower(rw.names[0]), "<server>")
			head = fmt.Sprintf("%d servers in %s", len(rw.names), plural(len(rw.sites), "site", "sites"))
		}
		if rw.oos {
			head += ", " + pick(len(rw.names), "out of service", "all out of service")
		}
		ex := rw.ex
		if name, build, ok := strings.Cut(ex, "\n"); ok {
			ex = name + " (" + build + ")"
		}
		lines := []string{head, ex + " · " + rw.os}
		if len(rw.names) > 1 {
			lines = append(lines, strings.Join(rw.names, ", "))
		}
		t.Rows = append(t.Rows, []pdf.Cell{{Text: strings.Join(lines, "\n")}, todo})
	}
	r.doc.Table(t)
	r.otherChecklist(other)
}

// maxServersPerRow is the most servers one checklist row lists (a row
// never breaks across pages).
const maxServersPerRow = 24

// ruleTable lists rules by ID with their title, severity, short
// citations into the bibliography and basis (documented, practitioner or
// inferred). A rule whose findings in this
// plan have more than one severity (the rule's documentation says when it
// is raised or lowered) shows them all.
func ruleTable(ids []string, findings []planner.Finding, bib *planner.Bibliography) pdf.Table {
	sevs := map[string]map[planner.Severity]bool{}
	for _, f := range findings {
		if sevs[f.ID] == nil {
			sevs[f.ID] = map[planner.Severity]bool{}
		}
		sevs[f.ID][f.Severity] = true
	}
	t := pdf.Table{Columns: []pdf.Column{
		{Title: "Rule", Width: 1.9}, {Title: "Title", Width: 3.8}, {Title: "Severity", Width: 0.9},
		{Title: "Sources", Width: 1.2}, {Title: "Basis", Width: 1.1},
	}}
	for _, id := range ids {
		rule := planner.RuleByID(id)
		if rule == nil {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: id, Bold: true}, {Text: "(not in the rule catalogue)", Color: colMutedFG}, {}, {}, {}})
			continue
		}
		sev := severityCell(rule.Severity)
		if len(sevs[id]) > 1 {
			var names []string
			for _, s := range []planner.Severity{planner.SevError, planner.SevWarning, planner.SevInfo} {
				if sevs[id][s] {
					names = append(names, planner.SeverityName(s))
				}
			}
			sev.Text = strings.Join(names, " or ")
		}
		t.Rows = append(t.Rows, []pdf.Cell{{Text: rule.ID, Bold: true}, {Text: rule.Title}, sev, {Text: bib.Cite(rule.Sources)}, basisCell(rule.Basis())})
	}
	return t
}

// basisCell shows a basis; inferred stands out so a reader verifies it.
func basisCell(b planner.Basis) pdf.Cell {
	if b == planner.BasisInferred {
		return pdf.Cell{Text: string(b), Color: colWarnFG, Bold: true}
	}
	return pdf.Cell{Text: string(b), Color: colMutedFG}
}

// bibliography adds the numbered list of sources the short citations
// ("[3]") refer to.
func bibliography(d *pdf.Document, bib *planner.Bibliography) {
	d.Heading(2, "Sources")
	if len(bib.Entries) == 0 {
		d.Paragraph("No source was cited.")
		return
	}
	d.Paragraph("Every publication the rules of this document rest on, numbered as cited in the findings and rule tables. Documented: Microsoft product documentation, support (KB) articles and the Exchange Team Blog. Practitioner: articles by consultants and administrators, consistent with field experience but not stated by Microsoft. Inferred rules are our reading of these sources: verify them for this estate.")
	t := pdf.Table{Columns: []pdf.Column{{Title: "#", Width: 0.4, Align: pdf.AlignRight}, {Title: "Source", Width: 7.1}, {Title: "Basis", Width: 1.1}}}
	for i, s := range bib.Entries {
		t.Rows = append(t.Rows, []pdf.Cell{{Text: strconv.Itoa(i + 1)}, {Text: s.Citation()}, {Text: string(s.Kind), Color: colMutedFG}})
	}
	d.Table(t)
}

// box is the checklist's tick box (U+25A1 WHITE SQUARE: the Go fonts have
// no U+2610 BALLOT BOX).
const box = "□"

// todoCell lists the actions of some findings, one tick box each. Build
// upgrades of one server asked for by several rules (coexistence and TLS
// minimums) are one action: the highest build asked for, with every rule.
func todoCell(fs []planner.Finding) pdf.Cell {
	if len(fs) == 0 {
		return pdf.Cell{Text: "Nothing to do", Color: colMutedFG}
	}
	type item struct {
		ids   []string
		sev   planner.Severity
		text  string
		build string // the minimum build of an upgrade action
	}
	var items []*item
	var upgrade *item
	for _, f := range fs {
		text := action(f)
		it := &item{ids: []string{f.ID}, sev: f.Severity, text: text}
		if m := buildAction.FindStringSubmatch(text); m != nil {
			it.build = m[1]
			if upgrade != nil {
				upgrade.ids = append(upgrade.ids, f.ID)
				if f.Severity.Rank() < upgrade.sev.Rank() {
					upgrade.sev = f.Severity
				}
				if newerBuild(it.build, upgrade.build) {
					upgrade.text, upgrade.build = text, it.build
				}
				continue
			}
			upgrade = it
		}
		items = append(items, it)
	}
	lines := make([]string, len(items))
	for i, it := range items {
		tag := ""
		switch it.sev {
		case planner.SevError:
			tag = " (blocking)"
		case planner.SevWarning:
			tag = " (warning)"
		}
		lines[i] = fmt.Sprintf("%s %s%s: %s", box, strings.Join(it.ids, ", "), tag, it.text)
	}
	return pdf.Cell{Text: strings.Join(lines, "\n")}
}

// buildAction matches an upgrade to-do: "Install Exchange 2010 SP3 RU19
// (14.3.382.0) or later on …".
var buildAction = regexp.MustCompile(`^Install Exchange .*?\((\d+(?:\.\d+)+)\) or later\b`)

// newerBuild reports whether build a is above build b ("14.3.382.0").
func newerBuild(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x > y
		}
	}
	return false
}

// action is a finding's to-do item in one sentence.
func action(f planner.Finding) string {
	switch {
	case len(f.Fix.KBs) > 0:
		return "Install " + strings.Join(f.Fix.KBs, ", ") + "."
	case len(f.Fix.Steps) > 0:
		return firstSentence(f.Fix.Steps[0])
	case len(f.Fix.Registry) > 0:
		return "set the registry values listed under the finding."
	}
	if rule := planner.RuleByID(f.ID); rule != nil && rule.Title != "" {
		return rule.Title + "."
	}
	return firstSentence(f.Message)
}

// firstSentence cuts text after its first sentence.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

// appendix adds the sources of every rule the plan used and the key to
// the source references.
func (r *report) appendix() {
	d, p := r.doc, r.p
	d.Heading(1, "Appendix")
	scopeSection(d)
	d.Heading(2, "Rules used in this plan")
	d.Paragraph("Every rule that decided a path or reported a finding in this plan, by ID. Rules marked \"inferred\" encode our best inference from the sources rather than a documented statement: verify them for this estate before relying on them.")
	if t := ruleTable(p.CitedRules(), p.Findings, r.bib); len(t.Rows) == 0 {
		d.Paragraph("No rule applied.")
	} else {
		d.Table(t)
	}

	d.Heading(2, "About this report")
	digest := strings.ToLower(strings.TrimSpace(r.in.Digest))
	if digest == "" {
		digest = "not recorded"
	}
	files := "not recorded"
	if len(r.in.Files) > 0 {
		files = strings.Join(r.in.Files, "\n")
	}
	date := "not recorded"
	if !p.AsOf.IsZero() {
		date = p.AsOf.Format("2 January 2006")
	}
	d.KeyValues([][2]string{
		{"Organisation", orgName(p)},
		{"Plan date", date},
		{"Inventory files", files},
		{"Inventory SHA-256", digest},
		{"Per-user detail", "checklist.xlsx (every user's paths) and plan.json"},
	})
	d.FontNote()
	bibliography(d, r.bib)
}

// scopeSection adds what the plan assessed and what it did not, one table
// each, from the planner's one definition.
func scopeSection(d *pdf.Document) {
	sc := planner.PlanScope()
	d.Heading(2, planner.ScopeSectionTitle)
	d.Paragraph("The readiness verdict and the findings speak for the areas coexist assessed. The areas it did not assess need their own checks before a namespace or mailbox moves: a \"Ready\" verdict says nothing about them.")
	table := func(title string, areas []planner.ScopeArea) pdf.Table {
		t := pdf.Table{Columns: []pdf.Column{{Title: title, Width: 2.4}, {Title: "What", Width: 5.8}}}
		for _, a := range areas {
			t.Rows = append(t.Rows, []pdf.Cell{{Text: a.Title, Bold: true}, {Text: a.Detail}})
		}
		return t
	}
	d.Table(table("Assessed", sc.Assessed))
	d.Table(table("Not assessed: check separately", sc.NotAssessed))
}
