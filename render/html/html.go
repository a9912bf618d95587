// Package html writes report.html and diff.html: interactive, single-file
// reports a consultant can open from a USB stick or an e-mail attachment
// and share on screen with a change board.
//
// Each page is one self-contained file: the stylesheet, the scripts, the
// icons and the Graphviz diagrams are inlined, nothing is fetched (a
// Content-Security-Policy forbids it, and lets only the page's own scripts
// run, by hash). report.html holds the summary and readiness verdict, the
// topology, a search that finds any user (also by cohort, site, server or
// database) and draws each of their protocol × location paths as a hop
// chain, the findings with their remediation and filters, the per-protocol
// flow diagrams and the rules the plan cites. diff.html shows a what-if's
// changed paths before and after, side by side.
//
// The plan is embedded once as compact JSON (see pageData): cohorts and
// their paths once, then the sorted user names with the index of their
// cohort, so 100,000 users cost a few megabytes, not a copy of every path
// per user. Pages are built with html/template from templates/html, and
// the same input always gives the same bytes.
package html

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/templates"
)

// Diagram limits keep the page quick to open and small enough to mail for
// very large estates: a diagram larger than MaxInlineSVG, or one that would
// take the page's diagrams past MaxInlineSVGTotal (topology first, then
// the flows in protocol order), is left out with a pointer to its .svg
// file beside the report.
const (
	MaxInlineSVG      = 2 << 20
	MaxInlineSVGTotal = 8 << 20
)

// maxTopFindings is how many findings the summary lists.
const maxTopFindings = 6

// Input is what report.html shows.
type Input struct {
	// Plan is the planned organisation.
	Plan *planner.Plan
	// Topology is the topology diagram as SVG (Graphviz output); nil
	// leaves it out.
	Topology []byte
	// Flows maps a protocol (as in planner.Protocols) to its flow
	// diagram as SVG; a missing protocol has no diagram.
	Flows map[string][]byte
	// Digest is the SHA-256 (hex) of the inventory, shown in the header.
	Digest string
	// Files are the inventory file names, in merge order (optional).
	Files []string
}

// DiffInput is what diff.html shows.
type DiffInput struct {
	// Diff is the what-if's diff.
	Diff *planner.Diff
	// Digest is the SHA-256 (hex) of the base inventory (optional).
	Digest string
}

var (
	loadOnce sync.Once
	loaded   *assets
	loadErr  error
)

// assets are the parsed templates and the inline stylesheet and scripts.
type assets struct {
	tmpl *template.Template
	css  template.CSS
	js   map[string]template.JS
	hash map[string]string // script name → CSP source
}

func loadAssets() (*assets, error) {
	loadOnce.Do(func() {
		fsys := templates.HTML()
		a := &assets{js: map[string]template.JS{}, hash: map[string]string{}}
		a.tmpl, loadErr = template.New("").Funcs(funcs).ParseFS(fsys, "*.html.tmpl")
		if loadErr != nil {
			return
		}
		css, err := fs.ReadFile(fsys, "report.css")
		if err != nil {
			loadErr = err
			return
		}
		a.css = template.CSS(css)
		for _, name := range []string{"common.js", "report.js", "program.js"} {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				loadErr = err
				return
			}
			if strings.Contains(strings.ToLower(string(b)), "</script") {
				loadErr = fmt.Errorf("%s contains </script", name)
				return
			}
			sum := sha256.Sum256(b)
			a.js[name] = template.JS(b)
			a.hash[name] = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		}
		loaded = a
	})
	if loadErr != nil {
		return nil, fmt.Errorf("html templates: %w", loadErr)
	}
	return loaded, nil
}

// csp is the page's Content-Security-Policy: nothing may be fetched and
// only the page's own scripts (by hash) run, so neither injected markup
// nor a hostile diagram could execute or phone home.
func (a *assets) csp(scripts ...string) string {
	var hashes []string
	for _, s := range scripts {
		hashes = append(hashes, a.hash[s])
	}
	return "default-src 'none'; script-src " + strings.Join(hashes, " ") +
		"; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
}

var funcs = template.FuncMap{
	"num":    num,
	"plural": plural,
	"inc":    func(i int) int { return i + 1 },
	"badge":  func(kind, label string) badgeView { return badgeView{kind, label} },
}

// badgeView is an icon and a word in the colours of kind.
type badgeView struct{ Kind, Label string }

// pageHead is what both pages show at the top.
type pageHead struct {
	Title       string // the <title>
	Heading     string
	Org         string
	AsOf        string // "22 November 2026", "" when unknown
	AsOfISO     string
	Digest      string
	DigestShort string
	Files       string
	CSS         template.CSS
	CSP         string
	Scripts     []template.JS
}

func newHead(a *assets, title, heading, org string, p *planner.Plan, digest string, files []string, scripts ...string) pageHead {
	h := pageHead{Title: title, Heading: heading, Org: org, CSS: a.css, CSP: a.csp(scripts...)}
	if p != nil && !p.AsOf.IsZero() {
		h.AsOf = p.AsOf.Format("2 January 2006")
		h.AsOfISO = p.AsOf.Format("2006-01-02")
	}
	h.Digest = strings.ToLower(strings.TrimSpace(digest))
	h.DigestShort = h.Digest
	if len(h.DigestShort) > 12 {
		h.DigestShort = h.DigestShort[:12] + "…"
	}
	h.Files = strings.Join(files, ", ")
	for _, s := range scripts {
		h.Scripts = append(h.Scripts, a.js[s])
	}
	return h
}

// reportPage is the view of report.html.
type reportPage struct {
	Head pageHead
	// DocControl is the document-control block at the top of the summary.
	DocControl docControlView
	Verdict    verdict
	Stats      []stat
	UserBar    []barPart
	Protocols  []protoRow
	// OutcomeHeads head the protocol table's outcome columns.
	OutcomeHeads []badgeView
	Topology     diagram
	Flows        []flowView
	Findings     []findingView
	// TopFindings are the first blocking findings and warnings, for the
	// summary; MoreFindings counts the rest of them.
	TopFindings  []findingView
	MoreFindings int
	SevCounts    []sevCount
	Subjects     []string
	RuleIDs      []string
	Rules        []ruleView
	Sources      []sourceView
	Users        int
	Data         template.JS
	// Scope says what the verdict covers and what it does not
	// (planner.PlanScope).
	Scope scopeView
}

// scopeView is the scope section: the assessed areas, then the others.
type scopeView struct {
	Title, Line string
	Groups      []scopeGroup
}

type scopeGroup struct {
	Title string
	Areas []planner.ScopeArea
}

func newScopeView() scopeView {
	sc := planner.PlanScope()
	return scopeView{Title: planner.ScopeSectionTitle, Line: planner.ScopeLine(), Groups: []scopeGroup{
		{"Assessed", sc.Assessed}, {"Not assessed: check separately", sc.NotAssessed},
	}}
}

// docControlView is the document control: fields (an empty one prints as
// a line to fill in) and the approvers, one signature row each.
type docControlView struct {
	Fields    []docField
	Approvers []string
}

type docField struct{ Label, Value string }

// blankApprovers is how many empty approval rows a report without
// approvers gets.
const blankApprovers = 2

func docControl(dc planner.DocControl) docControlView {
	date := ""
	if !dc.Date.IsZero() {
		date = dc.Date.Format("2 January 2006")
	}
	v := docControlView{Fields: []docField{
		{"Customer", dc.Customer}, {"Author", dc.Author}, {"Organisation", dc.Company},
		{"Version", dc.Version}, {"Status", dc.Status}, {"Date", date},
	}, Approvers: dc.Approvers}
	if len(v.Approvers) == 0 {
		v.Approvers = make([]string, blankApprovers)
	}
	return v
}

// verdict is the readiness verdict with the reasons behind it.
type verdict struct {
	Label, Kind string
	Reasons     []string
}

// Verdict labels, as in report.pdf.
const (
	VerdictNotReady = "Not ready"
	VerdictWarnings = "Ready with warnings"
	VerdictReady    = "Ready"
)

type stat struct{ Label, Value, Detail string }

type barPart struct {
	Kind, Label, Count, Percent, Width string
}

type protoRow struct {
	ID, Name string
	Cells    []protoCell // broken, warning, ok, not applicable
}

type protoCell struct {
	Kind, Label string
	Users       int
}

type diagram struct {
	SVG     template.HTML
	Omitted string // why it is not inlined
	File    string
}

type flowView struct {
	ID, Name string
	Summary  []protoCell
	Diagram  diagram
}

type findingView struct {
	N                           int
	Anchor                      string
	ID, Title, Subject, Message string
	Severity, SevName, SevKind  string
	Remediation                 string
	Blocks                      []remBlock
	// Cites are the short citations of the finding's sources; Basis is
	// documented, practitioner or inferred.
	Cites    []citeView
	Basis    string
	Inferred bool
}

// citeView is one short citation: "[N]" linking to the source list.
type citeView struct {
	N     int
	Title string
}

// sourceView is one entry of the numbered source list.
type sourceView struct {
	N          int
	Text, URL  string
	Kind, Note string
}

// cites are the short citations of some bibliography keys, by number.
func cites(bib *planner.Bibliography, keys []string) []citeView {
	var out []citeView
	seen := map[int]bool{}
	for _, s := range planner.SourcesOf(keys) {
		if n := bib.Number(s.Key); n > 0 && !seen[n] {
			seen[n] = true
			out = append(out, citeView{N: n, Title: s.Title})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].N < out[j].N })
	return out
}

// sourceList is the numbered source list of a bibliography.
func sourceList(bib *planner.Bibliography) []sourceView {
	var out []sourceView
	for i, s := range bib.Entries {
		// The citation without its URL and note, which the page shows as a
		// link and an aside.
		u := *s
		u.URL, u.Note = "", ""
		out = append(out, sourceView{N: i + 1, Text: u.Citation(), URL: s.URL, Kind: string(s.Kind), Note: s.Note})
	}
	return out
}

type sevCount struct {
	Value, Label, Kind string
	Count              int
}

type ruleView struct {
	ID, Title string
	Cites     []citeView
	Basis     string
	Inferred  bool
}

// Write writes report.html for in.Plan to w.
func Write(w io.Writer, in Input) error {
	p := in.Plan
	if p == nil || p.Inv == nil {
		return errors.New("report.html: no plan")
	}
	a, err := loadAssets()
	if err != nil {
		return err
	}
	org := orgName(p.Organization)
	pg := reportPage{Head: newHead(a, "Exchange coexistence plan · "+org, "Exchange coexistence plan", org, p, in.Digest, in.Files, "common.js", "report.js")}
	pg.DocControl = docControl(p.DocControl())
	c := p.Counts()
	pg.Users = c.Users
	pg.Verdict = judge(p, c)
	pg.Scope = newScopeView()
	pg.Stats, pg.UserBar = summary(p, c)
	pg.Protocols = protocolRows(p)
	for _, o := range planner.OutcomeOrder {
		pg.OutcomeHeads = append(pg.OutcomeHeads, badgeView{outcomeKind(o), outcomeName(o)})
	}
	budget := MaxInlineSVGTotal
	if pg.Topology, err = inline(in.Topology, "topo", "Topology of "+org, "topology.svg", &budget); err != nil {
		return fmt.Errorf("report.html: topology: %w", err)
	}
	rows := map[string]protoRow{}
	for _, r := range pg.Protocols {
		rows[r.ID] = r
	}
	for _, proto := range planner.Protocols {
		svg := in.Flows[proto]
		if len(svg) == 0 {
			continue
		}
		f := flowView{ID: proto, Name: protocolName(proto), Summary: rows[proto].Cells}
		if f.Diagram, err = inline(svg, "flow-"+proto, protocolName(proto)+" flows", "flows-"+proto+".svg", &budget); err != nil {
			return fmt.Errorf("report.html: %s flows: %w", proto, err)
		}
		pg.Flows = append(pg.Flows, f)
	}
	bib := p.Bibliography()
	pg.Findings, pg.SevCounts, pg.Subjects, pg.RuleIDs = findings(p.Findings, "finding", bib)
	for _, f := range pg.Findings {
		if f.Severity == string(planner.SevInfo) {
			continue
		}
		if len(pg.TopFindings) < maxTopFindings {
			pg.TopFindings = append(pg.TopFindings, f)
		} else {
			pg.MoreFindings++
		}
	}
	pg.Rules = citedRules(p, bib)
	pg.Sources = sourceList(bib)
	data := mustJSON(buildData(p, bib))
	if !scriptSafe(data) {
		return errors.New("report.html: page data is not script-safe")
	}
	pg.Data = template.JS(data)
	return execute(w, a, "report.html.tmpl", pg)
}

func execute(w io.Writer, a *assets, name string, data any) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := a.tmpl.ExecuteTemplate(bw, name, data); err != nil {
		return fmt.Errorf("%s: %w", strings.TrimSuffix(name, ".tmpl"), err)
	}
	return bw.Flush()
}

func orgName(s string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	return "Exchange organisation"
}

// judge decides the readiness verdict as report.pdf does: not ready when a
// finding blocks (error) or a path is broken; with warnings when a finding
// or a path warns.
func judge(p *planner.Plan, c planner.Counts) verdict {
	worst := planner.OutcomeOK
	for _, co := range p.Cohorts {
		if o := worstOutcome(co.Paths, "", ""); o != "" && outcomeRank(o) < outcomeRank(worst) {
			worst = o
		}
	}
	var v verdict
	switch p.Readiness() {
	case planner.ReadinessNotReady:
		v = verdict{Label: VerdictNotReady, Kind: "broken"}
	case planner.ReadinessWarnings:
		v = verdict{Label: VerdictWarnings, Kind: "warning"}
	default:
		v = verdict{Label: VerdictReady, Kind: "ok"}
	}
	if n := c.BlockingFindings; n > 0 {
		v.Reasons = append(v.Reasons, plural(n, "blocking finding", "blocking findings")+" must be fixed before the migration.")
	}
	if n := c.BrokenUsers; n > 0 {
		v.Reasons = append(v.Reasons, plural(n, "user has", "users have")+" at least one broken path ("+percent(n, c.Users)+" of users).")
	} else if worst == planner.OutcomeBroken {
		v.Reasons = append(v.Reasons, "A cohort without users has a broken path.")
	}
	if n := c.BySeverity[planner.SevWarning]; n > 0 {
		v.Reasons = append(v.Reasons, plural(n, "finding warns", "findings warn")+" of a caveat to check.")
	}
	if n := c.WarnedUsers; n > 0 {
		v.Reasons = append(v.Reasons, plural(n, "user has", "users have")+" paths that work with a caveat.")
	}
	if len(v.Reasons) == 0 {
		v.Reasons = []string{"No finding blocks the migration and every path works."}
	}
	return v
}

func summary(p *planner.Plan, c planner.Counts) ([]stat, []barPart) {
	sites := map[string]bool{}
	for _, s := range p.Inv.Servers {
		sites[model.Key(s.Site)] = true
	}
	var vers []string
	for _, v := range sortedKeys(c.ServersByVersion) {
		vers = append(vers, fmt.Sprintf("%s × %d", v, c.ServersByVersion[v]))
	}
	stats := []stat{
		{"Users", num(c.Users), "in " + plural(c.Cohorts, "cohort", "cohorts") + " with identical paths"},
		{"Exchange servers", num(len(p.Inv.Servers)), "in " + plural(len(sites), "site", "sites") + " · " + strings.Join(vers, ", ")},
		{"Blocking findings", num(c.BySeverity[planner.SevError]), plural(c.BySeverity[planner.SevWarning], "warning", "warnings") + " · " + plural(c.BySeverity[planner.SevInfo], "advisory", "advisories")},
		// Users with a warning path, broken or not: as many as the
		// protocol table's Warning column can name.
		{"Users with broken paths", num(c.BrokenUsers), plural(c.WarnedUsers, "user", "users") + " with a warning path"},
	}
	ok := c.Users - c.BrokenUsers - c.WarningUsers
	var bar []barPart
	for _, part := range []struct {
		kind, label string
		n           int
	}{{"broken", "Broken path", c.BrokenUsers}, {"warning", "Warnings only", c.WarningUsers}, {"ok", "All paths OK", ok}} {
		bar = append(bar, barPart{Kind: part.kind, Label: part.label, Count: num(part.n), Percent: percent(part.n, c.Users), Width: share(part.n, c.Users)})
	}
	return stats, bar
}

// protocolRows counts, per protocol, the users whose worst path of that
// protocol (either location) has each outcome.
func protocolRows(p *planner.Plan) []protoRow {
	var rows []protoRow
	byProto := p.Counts().UsersByProtocol
	for _, proto := range planner.Protocols {
		counts := byProto[proto]
		if len(counts) == 0 {
			continue
		}
		r := protoRow{ID: proto, Name: protocolShortName(proto)}
		for _, o := range planner.OutcomeOrder {
			r.Cells = append(r.Cells, protoCell{Kind: outcomeKind(o), Label: outcomeName(o), Users: counts[o]})
		}
		rows = append(rows, r)
	}
	return rows
}

// inline sanitises a diagram for the page, or explains why it is left
// out; budget is what the page's diagrams may still take.
func inline(svg []byte, prefix, label, file string, budget *int) (diagram, error) {
	d := diagram{File: file}
	switch {
	case len(svg) == 0:
		d.File = "" // no diagram: the page leaves its section out
	case len(svg) > MaxInlineSVG || len(svg) > *budget:
		d.Omitted = fmt.Sprintf("This diagram is too large to embed in the page (%s KB): open %s, next to this report.", num(len(svg)>>10), file)
	default:
		*budget -= len(svg)
		h, err := sanitizeSVG(svg, prefix, label)
		if err != nil {
			return d, err
		}
		d.SVG = h
	}
	return d, nil
}

func findings(fs []planner.Finding, anchor string, bib *planner.Bibliography) ([]findingView, []sevCount, []string, []string) {
	var out []findingView
	counts := map[planner.Severity]int{}
	subjects, rules := map[string]bool{}, map[string]bool{}
	for i, f := range fs {
		v := findingView{N: i + 1, Anchor: anchor + "-" + strconv.Itoa(i+1), ID: f.ID, Subject: f.Subject, Message: f.Message, Severity: string(f.Severity),
			SevName: severityName(f.Severity), SevKind: severityKind(f.Severity),
			Remediation: f.Remediation, Blocks: remediationBlocks(f.Remediation), Cites: cites(bib, f.Sources), Basis: string(f.Basis), Inferred: f.Inferred}
		if r := planner.RuleByID(f.ID); r != nil {
			v.Title = r.Title
		}
		if f.Remediation == "" {
			v.Blocks = nil
		}
		out = append(out, v)
		counts[f.Severity]++
		subjects[f.Subject] = true
		rules[f.ID] = true
	}
	var sev []sevCount
	for _, s := range []planner.Severity{planner.SevError, planner.SevWarning, planner.SevInfo} {
		sev = append(sev, sevCount{Value: string(s), Label: severityName(s), Kind: severityKind(s), Count: counts[s]})
	}
	subj := sortedKeys(subjects)
	sort.SliceStable(subj, func(i, j int) bool { return lessFold(subj[i], subj[j]) })
	return out, sev, subj, sortedKeys(rules)
}

// citedRules are the rules the plan's paths and findings cite, in the
// order of "coexist rules".
func citedRules(p *planner.Plan, bib *planner.Bibliography) []ruleView {
	var out []ruleView
	for _, id := range p.CitedRules() {
		r := planner.RuleByID(id)
		out = append(out, ruleView{ID: r.ID, Title: r.Title, Cites: cites(bib, r.Sources), Basis: string(r.Basis()), Inferred: r.Inferred})
	}
	return out
}
