// Package report writes report.pdf, the design report a consultant hands to
// a change-advisory board: a cover with the inventory's digest, the
// readiness verdict and its reasons, the topology, one section per client
// protocol with its flow diagram and the cohorts' paths, every finding with
// its remediation, a per-server prerequisite checklist and the sources of
// the rules the plan used.
//
// The report describes routes (planner.Route: the distinct hop sequences
// and their outcomes), naming a few example users on each, and findings
// that say the same about several servers once, so its length follows the
// topology, not the number of users; per-user detail is in checklist.xlsx. The same Input
// always gives the same bytes: everything is sorted and the document date
// is the plan's as-of date.
//
// The PDF is built with the render/pdf kit; this package does not use fpdf.
package report

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/pdf"
)

// Input is everything the report needs besides the plan.
type Input struct {
	// Plan is the planned organisation.
	Plan *planner.Plan
	// Digest is the SHA-256 (hex) of the inventory files' bytes; the cover
	// shows its first characters, the appendix all of it.
	Digest string
	// Files are the inventory file names (base names), in merge order.
	Files []string
	// Topology is the organisation diagram; the zero Drawing leaves it out.
	Topology layout.Drawing
	// TopologyParts, when set, replace Topology in print: the diagram split
	// so that every label prints at pdf.MinTextSize or more.
	TopologyParts []layout.Drawing
	// TopologyLegend is the legend of the topology diagram, printed after it.
	TopologyLegend layout.Drawing
	// FlowLegend is the legend of the flow diagrams, printed once before
	// the first protocol's.
	FlowLegend layout.Drawing
	// Flows maps a protocol (as in planner.Protocols) to its flow diagram;
	// a missing protocol has no diagram.
	Flows map[string]layout.Drawing
	// FlowParts, when set for a protocol, replace its Flows diagram in
	// print: one figure per part, problem routes first.
	FlowParts map[string][]layout.Drawing
	// Creator names the generating program on the cover and in the PDF
	// metadata; empty means "coexist".
	Creator string
	// Fonts draws the characters the embedded Go fonts lack (CJK…); nil
	// records them as missing.
	Fonts *pdf.Fonts
}

// MaxPages is the longest report written in full. A report that would run
// past it (an estate with many sites, servers or routes) is written
// compact instead: the topology as a table of sites, namespaces and
// routes that differ only in a site's number sharing a row, protocols
// that take the same routes as an earlier one sharing its table, flow
// diagrams beyond a few left to their .svg files, long server lists in
// findings named by version or pointing to the checklist, findings that
// differ from another only in a few words as a table, and checklist rows
// shared by servers of any site. Pages left under MaxPages then go to the
// topology's parts and more flow diagrams (fitReport). Every section,
// problem route, finding subject and server stays; the .svg files,
// report.html, plan.json, remediation.ps1 and checklist.xlsx keep every
// detail.
const MaxPages = 39

// Write writes the report for in.Plan to w.
func Write(w io.Writer, in Input) error {
	if in.Plan == nil || in.Plan.Inv == nil {
		return errors.New("report: no plan")
	}
	r, err := fitReport(in)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := r.doc.Write(w); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// fitReport builds the report in full, or compact when that runs past
// MaxPages; a compact report then spends the pages left under MaxPages on
// the diagrams it leaves to their files, the whole topology first, then
// every protocol's flow diagram, while the report still fits.
func fitReport(in Input) (*report, error) {
	r := build(in, fullMode)
	n, err := r.doc.Pages()
	if err != nil || n <= MaxPages {
		return r, err
	}
	m := compactMode
	if r, n, err = buildPages(in, m); err != nil {
		return nil, err
	}
	// The whole topology, when its parts could fit: each takes a page
	// where the site table took about one.
	if topo := len(in.TopologyParts); topo > m.topologyParts && n+topo-1 <= MaxPages {
		try := m
		try.topologyParts = topo
		r2, n2, err := buildPages(in, try)
		if err != nil {
			return nil, err
		}
		if n2 <= MaxPages {
			r, n, m = r2, n2, try
		}
	}
	// Then as many more protocols' flow diagrams as fit (each takes a
	// quarter of a page or more; pages only grow with their number, so
	// search for the most).
	lo, hi := m.flowFigures, m.flowFigures+r.flowsLeft
	hi = min(hi, lo+4*(MaxPages-n))
	for lo < hi {
		try := m
		try.flowFigures = (lo + hi + 1) / 2
		r2, n2, err := buildPages(in, try)
		if err != nil {
			return nil, err
		}
		if n2 <= MaxPages {
			lo, r = try.flowFigures, r2
		} else {
			hi = try.flowFigures - 1
		}
	}
	return r, nil
}

// buildPages builds the report in mode m and counts its pages.
func buildPages(in Input, m mode) (*report, int, error) {
	r := build(in, m)
	n, err := r.doc.Pages()
	return r, n, err
}

// mode is how much a report prints: in full, or compact with at most
// topologyParts parts of the topology diagram (more: the site table
// instead) and flowFigures protocols' flow diagrams.
type mode struct {
	compact       bool
	topologyParts int
	flowFigures   int
}

var (
	fullMode = mode{}
	// compactMode is where a compact report starts: a one-page topology
	// and the first four protocols' flow diagrams.
	compactMode = mode{compact: true, topologyParts: 1, flowFigures: 4}
)

// build records the report's content, in mode m.
func build(in Input, m mode) *report {
	r := newReport(in)
	r.compact, r.mode = m.compact, m
	r.cover()
	r.docControl()
	r.doc.Contents()
	r.summary()
	r.topology()
	r.protocols()
	r.findings()
	r.checklist()
	r.appendix()
	return r
}

// report holds the document under construction and what the sections
// share.
type report struct {
	in     Input
	p      *planner.Plan
	doc    *pdf.Document
	meta   pdf.Meta
	counts planner.Counts
	v      verdict
	// worst holds, per protocol, each cohort's worst outcome ("" when the
	// cohort has no path for it).
	worst map[string][]string
	// bib numbers the sources the plan cites, for short citations.
	bib *planner.Bibliography
	// compact is set for a report that would run past MaxPages in full;
	// mode says how much of the diagrams it prints.
	compact bool
	mode    mode
	// flowsLeft counts the flow diagrams a compact report left to their
	// files for want of pages (mode.flowFigures).
	flowsLeft int
	// flowFigs counts the protocols whose flow diagram was printed;
	// figured holds them.
	flowFigs int
	figured  map[string]bool
}

func newReport(in Input) *report {
	p := in.Plan
	r := &report{in: in, p: p, counts: p.Counts(), worst: map[string][]string{}, bib: p.Bibliography(), figured: map[string]bool{}}
	for _, proto := range planner.Protocols {
		ws := make([]string, len(p.Cohorts))
		for i, co := range p.Cohorts {
			ws[i] = worstOutcome(co.Paths, proto, "")
		}
		r.worst[proto] = ws
	}
	r.v = judge(p, r.counts)
	creator := in.Creator
	if creator == "" {
		creator = "coexist"
	}
	org := orgName(p)
	r.meta = pdf.Meta{
		Title:   "Exchange coexistence plan · " + org,
		Subject: org + " · connectivity and prerequisites",
		Author:  p.DocControl().PreparedBy(),
		Creator: creator,
		Date:    p.AsOf,
	}
	r.doc = r.newDoc()
	return r
}

// newDoc is an empty document with the report's metadata and fonts; the
// report's own, or one to measure a part of it in.
func (r *report) newDoc() *pdf.Document {
	d := pdf.New(r.meta)
	d.SetFonts(r.in.Fonts)
	return d
}

func orgName(p *planner.Plan) string {
	if strings.TrimSpace(p.Organization) != "" {
		return p.Organization
	}
	return "Exchange organisation"
}

// verdict is the readiness verdict of the executive summary.
type verdict struct {
	// Label is "Not ready", "Ready with warnings" or "Ready".
	Label string
	// Kind is the callout kind: "error", "warning" or "ok".
	Kind string
}

// The verdicts (planner.Plan.Readiness).
const (
	VerdictNotReady = planner.ReadinessNotReady
	VerdictWarnings = planner.ReadinessWarnings
	VerdictReady    = planner.ReadinessReady
)

// judge decides the verdict and its callout kind.
func judge(p *planner.Plan, _ planner.Counts) verdict {
	switch l := p.Readiness(); l {
	case VerdictNotReady:
		return verdict{l, "error"}
	case VerdictWarnings:
		return verdict{l, "warning"}
	default:
		return verdict{l, "ok"}
	}
}

// Verdict returns the readiness verdict of a plan (planner.Plan.Readiness).
func Verdict(p *planner.Plan) string { return p.Readiness() }

// cover adds the cover page.
func (r *report) cover() {
	p := r.p
	lines := []string{"Organisation: " + orgName(p)}
	if !p.AsOf.IsZero() {
		lines = append(lines, "Plan date: "+p.AsOf.Format("2 January 2006"))
	}
	lines = append(lines,
		"Readiness: "+r.v.Label,
		"Scope: "+planner.ScopeHeadline+" (see “"+planner.ScopeSectionTitle+"”)",
		"Exchange servers: "+serverSummary(p.Inv),
		fmt.Sprintf("Users: %s in %s", num(r.counts.Users), plural(r.counts.Cohorts, "cohort", "cohorts")),
	)
	if len(r.in.Files) > 0 {
		lines = append(lines, "Inventory: "+strings.Join(r.in.Files, ", "))
	}
	lines = append(lines, "Inventory digest: "+shortDigest(r.in.Digest))
	r.doc.Cover("Exchange coexistence plan", orgName(p)+" · "+versionsPhrase(p.Inv), lines)
}

// shortDigest is the cover's form of the inventory digest.
func shortDigest(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	if d == "" {
		return "not recorded"
	}
	if len(d) > 16 {
		d = d[:16] + "…"
	}
	return "SHA-256 " + d
}

// versionsPhrase is "Exchange 2010 and 2016".
func versionsPhrase(inv *model.Inventory) string {
	vs := versions(inv)
	if len(vs) == 0 {
		return "no Exchange servers"
	}
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.String()
	}
	return "Exchange " + andList(names)
}

// serverSummary is "9 in 3 sites".
func serverSummary(inv *model.Inventory) string {
	sites := map[string]bool{}
	for _, s := range inv.Servers {
		sites[model.Key(s.Site)] = true
	}
	return fmt.Sprintf("%s in %s", num(len(inv.Servers)), plural(len(sites), "site", "sites"))
}

// versions returns the Exchange versions of the servers, ascending.
func versions(inv *model.Inventory) []model.Version {
	seen := map[model.Version]bool{}
	var vs []model.Version
	for _, s := range inv.Servers {
		v := s.Parsed.Version()
		if !seen[v] {
			seen[v] = true
			vs = append(vs, v)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	return vs
}

// Text helpers.

// num formats n with thousands separators: 100,000.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural is "1 user" or "3 users".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// percent is the share n/total as "60%", with "<1%" for small non-zero shares.
func percent(n, total int) string {
	if total <= 0 {
		return "0%"
	}
	if n > 0 && n*100 < total {
		return "<1%"
	}
	return strconv.Itoa(n*100/total) + "%"
}

// sortedKeys returns a map's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lessFold orders names case-insensitively, then exactly.
func lessFold(a, b string) bool {
	if la, lb := strings.ToLower(a), strings.ToLower(b); la != lb {
		return la < lb
	}
	return a < b
}
