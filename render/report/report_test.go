package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

// plan loads a sample and plans it.
func plan(t testing.TB, sample string) (*planner.Plan, Input) {
	t.Helper()
	path := "../../samples/" + sample + ".toml"
	inv, _, err := load.Load([]string{path}, load.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", sample, err)
	}
	p := planner.Run(inv, planner.Options{})
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	return p, Input{Plan: p, Digest: hex.EncodeToString(sum[:]), Files: []string{filepath.Base(path)}}
}

func write(t testing.TB, in Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("output is not a PDF")
	}
	return buf.Bytes()
}

// tool returns the path of a poppler tool, skipping the test without it.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not found (install poppler-utils to check the PDF's text and pages)", name)
	}
	return p
}

func savePDF(t testing.TB, b []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// pdfText is the PDF's text with runs of white space made single spaces.
func pdfText(t testing.TB, b []byte) string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-enc", "UTF-8", savePDF(t, b), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func pages(t testing.TB, b []byte) int {
	t.Helper()
	out, err := exec.Command(tool(t, "pdfinfo"), savePDF(t, b)).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo printed no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func TestStructure(t *testing.T) {
	p, in := plan(t, "s1-contoso")
	b := write(t, in)
	if n := pages(t, b); n <= 1 {
		t.Errorf("got %d pages, want more than 1", n)
	}
	if !bytes.Contains(b, []byte("/Outlines")) {
		t.Error("no /Outlines: the PDF has no bookmarks")
	}
	text := pdfText(t, b)
	want := []string{
		"Exchange coexistence plan", "Contents", "Executive summary", "Readiness: " + Verdict(p),
		"Topology", "Client connectivity by protocol", "Prerequisite checklist", "Appendix",
		"Rules used in this plan", "Sources", in.Digest[:16], in.Digest, "s1-contoso.toml",
		"22 November 2026", "MBX2010-1",
	}
	for _, proto := range planner.Protocols {
		want = append(want, protocolName(proto))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("report text lacks %q", w)
		}
	}
}

// S1's load balancer does not pass /mapi (NS-MAPI-LB, which must be fixed
// before mailboxes move); S4's Exchange 2010 lacks KB3140410.
func TestVerdicts(t *testing.T) {
	tests := map[string]struct {
		sample string
		want   string
		cause  string
	}{
		"S1 not ready": {"s1-contoso", VerdictNotReady, "NS-MAPI-LB"},
		"S4 not ready": {"s4-2016-2010", VerdictNotReady, "AUTH-KB3140410"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			p, in := plan(t, tt.sample)
			if got := Verdict(p); got != tt.want {
				t.Errorf("Verdict = %q, want %q", got, tt.want)
			}
			text := pdfText(t, write(t, in))
			if !strings.Contains(text, "Readiness: "+tt.want) {
				t.Errorf("report text lacks the verdict %q", "Readiness: "+tt.want)
			}
			_, blocks, ok := strings.Cut(text, "What blocks the migration")
			if !ok || !strings.Contains(blocks, tt.cause) {
				t.Errorf("\"What blocks the migration\" does not list %s", tt.cause)
			}
		})
	}
}

func TestVerdictRules(t *testing.T) {
	cohort := func(outcome string) *planner.Cohort {
		return &planner.Cohort{ID: 1, Users: []int32{0}, Paths: []planner.Path{{Protocol: "owa", Location: "external", Outcome: outcome}}}
	}
	tests := map[string]struct {
		findings []planner.Finding
		cohort   *planner.Cohort
		want     string
	}{
		"clean":             {nil, cohort(planner.OutcomeOK), VerdictReady},
		"info only":         {[]planner.Finding{{ID: "X", Severity: planner.SevInfo}}, cohort(planner.OutcomeOK), VerdictReady},
		"warning finding":   {[]planner.Finding{{ID: "X", Severity: planner.SevWarning}}, cohort(planner.OutcomeOK), VerdictWarnings},
		"warning path":      {nil, cohort(planner.OutcomeWarning), VerdictWarnings},
		"blocking finding":  {[]planner.Finding{{ID: "X", Severity: planner.SevError}}, cohort(planner.OutcomeOK), VerdictNotReady},
		"broken path":       {nil, cohort(planner.OutcomeBroken), VerdictNotReady},
		"not applicable ok": {nil, cohort(planner.OutcomeNotApplicable), VerdictReady},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			p := &planner.Plan{Inv: &model.Inventory{Mailboxes: []model.Mailbox{{Name: "u"}}}, Findings: tt.findings, Cohorts: []*planner.Cohort{tt.cohort}}
			if got := Verdict(p); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindingAndRemediation(t *testing.T) {
	p, in := plan(t, "s4-2016-2010")
	var kb *planner.Finding
	for i, f := range p.Findings {
		if f.ID == "AUTH-KB3140410" {
			kb = &p.Findings[i]
		}
	}
	if kb == nil {
		t.Fatal("S4's plan has no AUTH-KB3140410 finding")
	}
	text := pdfText(t, write(t, in))
	msg := strings.Join(strings.Fields(kb.Message), " ")
	for _, w := range []string{"AUTH-KB3140410", msg, "Blocking findings", "Install KB3140410", "Commands", "(blocking)", "Full Access mailbox in DB2010-01"} {
		if !strings.Contains(text, w) {
			t.Errorf("report text lacks %q", w)
		}
	}
	// A long comment wraps into comment lines, each starting "# ".
	uncomment := func(s string) string {
		return strings.Join(slices.DeleteFunc(strings.Fields(s), func(w string) bool { return w == "#" }), " ")
	}
	if len(kb.Fix.Shell) > 0 && !strings.Contains(uncomment(text), uncomment(kb.Fix.Shell[0])) {
		t.Errorf("report text lacks the first command %q", kb.Fix.Shell[0])
	}
}

// Rules marked Inferred are labelled "inferred" next to their ID.
func TestInferredLabelled(t *testing.T) {
	p, in := plan(t, "s2-2007-2010")
	var id string
	for _, co := range p.Cohorts {
		for _, pa := range co.Paths {
			if ids := inferredIDs(pa.Rules); len(ids) > 0 && id == "" {
				id = ids[0]
			}
		}
	}
	if id == "" {
		t.Fatal("S2's plan uses no inferred rule")
	}
	text := pdfText(t, write(t, in))
	for _, w := range []string{"inferred: " + id, id + " "} {
		if !strings.Contains(text, w) {
			t.Errorf("report text lacks %q", w)
		}
	}
	rule := planner.RuleByID(id)
	bib := in.Plan.Bibliography()
	if re := regexp.MustCompile(regexp.QuoteMeta(id) + `.*` + regexp.QuoteMeta(bib.Cite(rule.Sources)) + `\s*inferred`); !re.MatchString(text) {
		t.Errorf("the appendix does not mark %s (sources %s) inferred", id, bib.Cite(rule.Sources))
	}
}

func TestDeterministic(t *testing.T) {
	p, in := plan(t, "s4-2016-2010")
	in.Topology, in.Flows = drawings(t, p)
	a, b := write(t, in), write(t, in)
	if !bytes.Equal(a, b) {
		t.Error("writing the same input twice gives different bytes")
	}
	_, in2 := plan(t, "s4-2016-2010")
	in2.Topology, in2.Flows = drawings(t, in2.Plan)
	if c := write(t, in2); !bytes.Equal(a, c) {
		t.Error("planning and writing again gives different bytes")
	}
}

func TestDiagrams(t *testing.T) {
	p, in := plan(t, "s1-contoso")
	in.Topology, in.Flows = drawings(t, p)
	with := write(t, in)
	text := pdfText(t, with)
	for _, w := range []string{"Figure 1. Sites, servers, load balancers and namespaces", "Autodiscover: routes from clients to mailboxes", "mail-region.contoso.com"} {
		if !strings.Contains(text, w) {
			t.Errorf("report text lacks %q", w)
		}
	}
	_, bare := plan(t, "s1-contoso")
	without := write(t, bare)
	if pw, pb := pages(t, with), pages(t, without); pw <= pb {
		t.Errorf("with diagrams %d pages, without %d: want the diagrams to add pages", pw, pb)
	}
	if strings.Contains(pdfText(t, without), "Figure") {
		t.Error("a report without drawings has figures")
	}
}

// bigPlan is S1 with n users, spread over its existing cohorts.
func bigPlan(t testing.TB, n int) *planner.Plan {
	t.Helper()
	inv, _, err := load.Load([]string{"../../samples/s1-contoso.toml"}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := append([]model.Mailbox(nil), inv.Mailboxes...)
	for i := len(inv.Mailboxes); i < n; i++ {
		m := base[i%len(base)]
		m.Name = fmt.Sprintf("user%06d", i)
		m.FullAccess = nil
		inv.Mailboxes = append(inv.Mailboxes, m)
	}
	return planner.Run(inv, planner.Options{})
}

func TestLargePlan(t *testing.T) {
	small, in := plan(t, "s1-contoso")
	p := bigPlan(t, 100_000)
	if len(p.Cohorts) != len(small.Cohorts) {
		t.Fatalf("100,000 users fell into %d cohorts, want S1's %d", len(p.Cohorts), len(small.Cohorts))
	}
	in.Plan = p
	start := time.Now()
	b := write(t, in)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("writing the report for 100,000 users took %v, want under 5s", d)
	}
	_, smallIn := plan(t, "s1-contoso")
	np, ns := pages(t, b), pages(t, write(t, smallIn))
	if np > ns+2 {
		t.Errorf("100,000 users give %d pages, 4 users %d: want about the same", np, ns)
	}
	text := pdfText(t, b)
	if !strings.Contains(text, "100,000") {
		t.Error("report text lacks the user count 100,000")
	}
	if strings.Contains(text, "user099999") {
		t.Error("the report lists individual users")
	}
}

// Many cohorts on the same paths: the report lists routes, each with its
// users and cohorts, so it is no longer than S1's.
func TestRoutesNotCohorts(t *testing.T) {
	p := manyCohorts(t, 30)
	small, _ := plan(t, "s1-contoso")
	b := write(t, Input{Plan: p})
	text := pdfText(t, b)
	owa := p.Routes("owa")
	if len(owa) != len(small.Routes("owa")) {
		t.Fatalf("got %d OWA routes for %d cohorts, want S1's %d", len(owa), len(p.Cohorts), len(small.Routes("owa")))
	}
	first := owa[0]
	want := fmt.Sprintf("%s users · %d cohorts", num(first.Users), len(first.Cohorts))
	if !strings.Contains(text, want) {
		t.Errorf("report text lacks the busiest OWA route's %q", want)
	}
	// +2: the copies' client profiles are named in S1's lifecycle findings
	// (Outlook 2016 and Windows 10 past their end), one group each.
	if np, ns := pages(t, b), pages(t, write(t, Input{Plan: small})); np > ns+2 {
		t.Errorf("%d cohorts give %d pages, S1's %d cohorts %d: want about the same", len(p.Cohorts), np, len(small.Cohorts), ns)
	}
}

// manyCohorts is S1 with its users copied onto n more client profiles,
// each copy a cohort of its own.
func manyCohorts(t testing.TB, n int) *planner.Plan {
	t.Helper()
	inv, _, err := load.Load([]string{"../../samples/s1-contoso.toml"}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := inv.ClientProfiles[0]
	mbs := append([]model.Mailbox(nil), inv.Mailboxes...)
	for i := range n {
		cp := base
		cp.Name = fmt.Sprintf("profile-%02d", i)
		inv.ClientProfiles = append(inv.ClientProfiles, cp)
		for j, m := range mbs {
			for k := range i + 1 {
				m.Name = fmt.Sprintf("u%02d-%d-%d", i, j, k)
				m.ClientProfile = cp.Name
				m.FullAccess = nil
				inv.Mailboxes = append(inv.Mailboxes, m)
			}
		}
	}
	return planner.Run(inv, planner.Options{})
}

func TestNoPlan(t *testing.T) {
	if err := Write(&bytes.Buffer{}, Input{}); err == nil {
		t.Error("Write without a plan succeeded, want an error")
	}
}

// Every non-ASCII character the report prints on its own account must be
// in the Go fonts the kit embeds (U+2610 BALLOT BOX is not: the checklist
// uses U+25A1).
func TestGlyphs(t *testing.T) {
	used := box + "→…·—–"
	for name, ttf := range map[string][]byte{"regular": goregular.TTF, "bold": gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for _, r := range used {
			if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
				t.Errorf("Go %s font has no glyph for %q (%U)", name, r, r)
			}
		}
	}
}

func TestStripRefs(t *testing.T) {
	tests := map[string]string{
		"MAPI/HTTP is not available. [PATH-MAPI-LEGACY; MS S17]":                "MAPI/HTTP is not available.",
		"Outlook connects. [PATH-RPC-2007; INFER; inferred]":                    "Outlook connects.",
		"Open /mapi (NS-MAPI-LB). [PATH-LB-PATH; seed 004] Then move. [X-1; a]": "Open /mapi (NS-MAPI-LB). Then move.",
		"No reference [here].": "No reference [here].",
	}
	for in, want := range tests {
		if got := stripRefs(in); got != want {
			t.Errorf("stripRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNum(t *testing.T) {
	tests := map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567", -4200: "-4,200"}
	for n, want := range tests {
		if got := num(n); got != want {
			t.Errorf("num(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		n, total int
		want     string
	}{{0, 10, "0%"}, {3, 5, "60%"}, {1, 1000, "<1%"}, {5, 5, "100%"}, {1, 0, "0%"}}
	for _, tt := range tests {
		if got := percent(tt.n, tt.total); got != tt.want {
			t.Errorf("percent(%d, %d) = %q, want %q", tt.n, tt.total, got, tt.want)
		}
	}
}

func TestHopText(t *testing.T) {
	tests := map[string]struct {
		hop   planner.Hop
		first bool
		want  string
	}{
		"connect":  {planner.Hop{From: "client", To: "MBX2016-1", Host: "mail.contoso.com", Action: planner.ActConnect, Auth: "ntlm"}, true, "mail.contoso.com → MBX2016-1 (NTLM)"},
		"direct":   {planner.Hop{From: "client", To: "CAS2010-3", Host: "cas2010-3.contoso.com", Action: planner.ActDirect, Auth: "negotiate"}, true, "cas2010-3.contoso.com → direct → CAS2010-3 (Negotiate)"},
		"proxy":    {planner.Hop{From: "MBX2016-1", To: "CAS2010-1", Host: "cas2010-1.contoso.com", Action: planner.ActProxy, Auth: "kerberos"}, false, "→ proxy → CAS2010-1 (Kerberos)"},
		"via name": {planner.Hop{From: "MBX2016-1", To: "CAS2010-1", Host: "mail.contoso.com", Action: planner.ActProxy, Auth: "basic"}, false, "→ proxy mail.contoso.com → CAS2010-1 (Basic)"},
		"redirect": {planner.Hop{From: "EX2010-01", To: "EX2007-01", Host: "legacy.contoso.com", Action: planner.ActRedirect451, Auth: "basic"}, false, "→ HTTP 451 redirect legacy.contoso.com → EX2007-01 (Basic)"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := hopText(tt.hop, tt.first); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWriteSamples writes every sample's report, with diagrams, into the
// directory named by COEXIST_REPORT_DIR, for looking at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("COEXIST_REPORT_DIR")
	if dir == "" {
		t.Skip("set COEXIST_REPORT_DIR to write the sample reports")
	}
	files, _ := filepath.Glob("../../samples/*.toml")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".toml")
		p, in := plan(t, name)
		in.Topology, in.Flows = drawings(t, p)
		short, _, _ := strings.Cut(name, "-")
		if err := os.WriteFile(filepath.Join(dir, "report-"+short+".pdf"), write(t, in), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, p := range map[string]*planner.Plan{"many-cohorts": manyCohorts(t, 30), "100k": bigPlan(t, 100_000)} {
		if err := os.WriteFile(filepath.Join(dir, "report-"+name+".pdf"), write(t, Input{Plan: p}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// One server's build upgrades asked for by several rules are one to-do:
// the highest build, with every rule's ID.
func TestTodoMergesBuildUpgrades(t *testing.T) {
	step := func(build string) planner.Fix {
		return planner.Fix{Steps: []string{"Install Exchange 2010 " + build + " or later on EDGE (recommended: Exchange 2010 SP3 RU32, the final update). More."}}
	}
	fs := []planner.Finding{
		{ID: "COEX-2013-2010", Severity: planner.SevError, Fix: step("SP3 (14.3.123.4)")},
		{ID: "TLS-DOTNET", Severity: planner.SevError, Fix: planner.Fix{KBs: []string{"KB3154518"}}},
		{ID: "TLS-EXBUILD", Severity: planner.SevWarning, Fix: step("SP3 RU19 (14.3.382.0)")},
	}
	got := todoCell(fs).Text
	want := box + " COEX-2013-2010, TLS-EXBUILD (blocking): Install Exchange 2010 SP3 RU19 (14.3.382.0) or later on EDGE (recommended: Exchange 2010 SP3 RU32, the final update).\n" +
		box + " TLS-DOTNET (blocking): Install KB3154518."
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestSamplesInFull: the reference scenarios' reports fit MaxPages in
// full, so none is written compact: a consultant's small estate keeps
// every topology diagram, route table and finding in detail.
func TestSamplesInFull(t *testing.T) {
	for _, s := range []string{"s1-contoso", "s2-2007-2010", "s3-2013-2010", "s4-2016-2010", "s5-tls"} {
		_, in := plan(t, s)
		n, err := build(in, fullMode).doc.Pages()
		if err != nil {
			t.Fatal(err)
		}
		if n > MaxPages {
			t.Errorf("%s: %d pages in full, over %d: the report would be written compact", s, n, MaxPages)
		}
	}
}

// TestCodeTableRows: a finding's commands are one row per script (a
// comment starts a script); a script longer than maxCodeRow lines goes on
// in rows marked as continuing it, so the PDF draws them as one block.
func TestCodeTableRows(t *testing.T) {
	var lines []string
	lines = append(lines, "# First script", "Get-A")
	lines = append(lines, "# Second script, a long one")
	for i := range maxCodeRow + 3 {
		lines = append(lines, fmt.Sprintf("    Set-B %d", i))
	}
	lines = append(lines, "# Third script", "Get-C")
	tb := codeTable("Commands", lines, 100)
	type row struct {
		first     string
		continues bool
	}
	var got []row
	for _, r := range tb.Rows {
		first, _, _ := strings.Cut(r[0].Text, "\n")
		got = append(got, row{first, r[0].Continues})
	}
	want := []row{
		{"# First script", false},
		{"# Second script, a long one", false},
		{fmt.Sprintf("    Set-B %d", maxCodeRow-1), true},
		{"# Third script", false},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got rows %v, want %v", got, want)
	}
}
