package report

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
)

// synthCompact plans a generated estate of 40 sites (as coexist gen makes
// them, each site with its own servers and namespace) and records its
// compact report.
func synthCompact(t *testing.T) (*planner.Plan, *report) {
	t.Helper()
	inv, err := synth.Generate(synth.Config{Seed: 1, Mailboxes: 4000, Sites: 40})
	if err != nil {
		t.Fatal(err)
	}
	if ps := inv.Validate(); len(ps) > 0 {
		t.Fatalf("generated inventory: %s", ps[0].Message)
	}
	asOf, _ := model.ParseDate("2026-12-01")
	p := planner.Run(inv, planner.Options{AsOf: asOf})
	return p, build(Input{Plan: p}, compactMode)
}

// seriesNumbers expands the "‹N› = 01 to 40" or "‹N› = 02, 06, 10" of a
// namespace series row.
func seriesNumbers(t *testing.T, label string) []string {
	t.Helper()
	m := regexp.MustCompile(`‹N› = (.+) \(\d+ names\)`).FindStringSubmatch(label)
	if m == nil {
		t.Fatalf("series row %q does not list its numbers", label)
	}
	if a, b, ok := strings.Cut(m[1], " to "); ok {
		lo, _ := strconv.Atoi(a)
		hi, _ := strconv.Atoi(b)
		var out []string
		for n := lo; n <= hi; n++ {
			out = append(out, fmt.Sprintf("%0*d", len(a), n))
		}
		return out
	}
	return strings.Split(m[1], ", ")
}

// The compact namespace table shares a row among names that differ in one
// number, and the row, read for each number, gives every name with what
// it leads to: no name is dropped and no target changes.
func TestCompactNamespacesListEveryName(t *testing.T) {
	p, r := synthCompact(t)
	nss := append([]model.Namespace(nil), p.Inv.Namespaces...)
	sort.SliceStable(nss, func(i, j int) bool { return lessFold(nss[i].FQDN, nss[j].FQDN) })
	rows := r.namespaceRows(nss)
	if len(rows) >= len(nss) {
		t.Fatalf("got %d rows for %d namespaces, want series sharing rows", len(rows), len(nss))
	}
	type reach struct{ in, ext string }
	got := map[string]reach{}
	for _, row := range rows {
		name, _, _ := strings.Cut(row[0].Text, "\n")
		if !strings.Contains(name, "‹N›") {
			got[name] = reach{row[1].Text, row[2].Text}
			continue
		}
		for _, n := range seriesNumbers(t, row[0].Text) {
			fill := func(s string) string { return strings.ReplaceAll(s, "‹N›", n) }
			got[fill(name)] = reach{fill(row[1].Text), fill(row[2].Text)}
		}
	}
	if len(got) != len(nss) {
		t.Errorf("the rows give %d names, want the %d namespaces", len(got), len(nss))
	}
	for _, ns := range nss {
		want := reach{r.targetsCell(ns.Internal).Text, r.targetsCell(ns.External).Text}
		if g, ok := got[ns.FQDN]; !ok {
			t.Errorf("namespace %s is not in the compact table", ns.FQDN)
		} else if g != want {
			t.Errorf("%s: got internal %q, external %q; want %q, %q", ns.FQDN, g.in, g.ext, want.in, want.ext)
		}
	}
}

// The compact report names every finding's subject and every server: a
// long list of servers in a finding points to the checklist, which names
// each server (a row of many servers is not cut short).
func TestCompactReportNamesEverySubject(t *testing.T) {
	p, r := synthCompact(t)
	var buf bytes.Buffer
	if err := r.doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, f := range p.Findings {
		if f.Subject != "" && !strings.Contains(text, f.Subject) {
			t.Errorf("finding %s on %s: the compact report does not name its subject", f.ID, f.Subject)
		}
	}
	if !strings.Contains(text, "(the prerequisite checklist names each)") {
		t.Error("no finding's server list points to the checklist: want the 40-site estate's long lists shortened")
	}
	start := strings.Index(text, "One row per build, Windows version")
	end := strings.Index(text, "Scope of this plan The readiness verdict")
	if start < 0 || end < start {
		t.Fatalf("checklist not found in the compact report's text")
	}
	checklist := text[start:end]
	for _, s := range p.Inv.Servers {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(s.Name) + `\b`).MatchString(checklist) {
			t.Errorf("the compact checklist does not name server %s", s.Name)
		}
	}
}

func TestNearSameFindings(t *testing.T) {
	f := func(subject, ns string) planner.Finding {
		return planner.Finding{ID: "AUTH-CONSISTENT", Severity: planner.SevWarning, Subject: subject,
			Message:     subject + "'s Outlook Anywhere ExternalHostname is " + ns + ", which is not the primary namespace.",
			Remediation: "Set the Outlook Anywhere ExternalHostname of " + subject + " to mail.contoso.com."}
	}
	other := f("CAS-9", "mail-r09.contoso.com")
	other.Message += " It also lacks the names clients use, so more words differ here than a variant may."
	groups := [][]planner.Finding{
		{f("CAS-2", "mail-r02.contoso.com")},
		{f("CAS-3", "mail-r03.contoso.com"), f("CAS-4", "mail-r03.contoso.com")},
		{f("CAS-6", "mail-r06.contoso.com")},
		{other},
	}
	out, variants := nearSameFindings(groups)
	if len(out) != 3 {
		t.Fatalf("got %d groups, want 3 (CAS-6 a variant of CAS-2)", len(out))
	}
	vs := variants[0]
	if len(vs) != 1 || vs[0].f.Subject != "CAS-6" {
		t.Fatalf("variants of CAS-2: got %+v, want CAS-6", vs)
	}
	if want := [][2]string{{"mail-r06.contoso.com", "mail-r02.contoso.com"}}; fmt.Sprint(vs[0].diffs) != fmt.Sprint(want) {
		t.Errorf("CAS-6 differs in %q, want %q", vs[0].diffs, want)
	}
	n := 0
	for i, g := range out {
		n += len(g) + len(variants[i])
	}
	if n != 5 {
		t.Errorf("groups and variants hold %d findings, want all 5", n)
	}
}

// A compact report's pointers lead to what is there: routes left out of a
// table to the outputs that hold every path (the workbook names only each
// path's last hop), and a protocol sharing an earlier one's routes to its
// table, and to its diagram only when that was printed.
func TestCompactRoutePointers(t *testing.T) {
	_, r := synthCompact(t) // no diagrams given: none printed
	var buf bytes.Buffer
	if err := r.doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	if !strings.Contains(text, "not listed here: report.html and plan.json have every path of every cohort") {
		t.Error("no table says where the routes it leaves out are")
	}
	if strings.Contains(text, "routes): see checklist.xlsx") || strings.Contains(text, "route): see checklist.xlsx") {
		t.Error("routes left out are said to be in checklist.xlsx, which names only each path's last hop")
	}
	if !strings.Contains(text, "above holds for this protocol too") {
		t.Error("no protocol refers to an earlier one's table: want OWA and ECP (or POP3 and IMAP4) to share one")
	}
	if strings.Contains(text, "table and diagram of") {
		t.Error("a protocol refers to a diagram the report did not print")
	}
}

// Routes that differ only in a number share a row of a compact table; each
// route of the row, read with its number, is the route itself, and no
// route is lost or counted twice.
func TestCompactRouteSeries(t *testing.T) {
	p, r := synthCompact(t)
	shared := 0
	for _, proto := range planner.Protocols {
		routes := p.Routes(proto)
		seen := map[int]int{}
		for _, sr := range r.routeSeries(routes) {
			users := 0
			for _, rt := range sr.routes {
				seen[rt.ID]++
				users += rt.Users
			}
			if len(sr.routes) == 1 {
				continue
			}
			shared++
			if !strings.HasPrefix(sr.row[1].Text, plural(users, "user", "users")+" · ") {
				t.Errorf("%s: series row counts %q, want its routes' %d users", proto, sr.row[1].Text, users)
			}
			path := sr.row[3].Text
			for _, rt := range sr.routes {
				n, text, ok := r.seriesText(rt)
				if !ok {
					t.Fatalf("%s route #%d is in a series but has no number", proto, rt.ID)
				}
				if !strings.Contains(path, fmt.Sprintf("%s (#%d)", n, rt.ID)) && !strings.Contains(path, fmt.Sprintf("%s (route #%d)", n, rt.ID)) {
					t.Errorf("%s: series row does not give route #%d its number %s: %q", proto, rt.ID, n, path)
				}
				own := strings.ReplaceAll(text, "‹N›", n)
				if got := strings.ReplaceAll(strings.SplitN(path, "\n‹N› = ", 2)[0], "‹N›", n); got != own {
					t.Errorf("%s route #%d read with %s:\n%s\nwant\n%s", proto, rt.ID, n, got, own)
				}
			}
		}
		for _, rt := range routes {
			if seen[rt.ID] != 1 {
				t.Errorf("%s route #%d is in %d rows, want 1", proto, rt.ID, seen[rt.ID])
			}
		}
	}
	if shared == 0 {
		t.Error("no routes share a row: want the 40 sites' routes in series")
	}
}
