package html

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/graphviz"
	"github.com/coexist/coexist/render/planjson"
)

func TestWriteS1(t *testing.T) {
	p := planOf(t, "s1-contoso.toml")
	b := render(t, input(t, p))
	for _, want := range []string{
		`<title>Exchange coexistence plan · Contoso</title>`,
		`Readiness: <strong>Not ready</strong>`,
		`2 blocking findings must be fixed before the migration.`, // NS-MAPI-LB and LIFE-EXCHANGE (target 2016 out of support)
		`id="topology-figure"`, `<svg width=`, `class="diagram" role="img"`,
		`<details class="flow" id="flow-owa">`,
		`data-rule="NS-MAPI-LB"`, `data-subject="CAS2010-1"`,
		`<option>NS-POPIMAP-FQDN</option>`,
		`Plan date <time datetime="2026-11-22">22 November 2026</time>`,
		`Inventory <code>0123456789ab…</code>`,
		`<tr id="rule-PATH-OWA-REDIRECT">`,
		`<script type="application/json" id="plan-data">{"S":["",`,
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Nothing is loaded from anywhere (links to the cited sources are
	// followed only when clicked).
	b = regexp.MustCompile(`<a class="src-link" href="https?://[^"]*"`).ReplaceAll(b, nil)
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:|//|file:)|@import|url\(\s*["']?(https?:|//)`).Find(b); m != nil {
		t.Errorf("report.html refers to an external resource: %q", m)
	}
}

// TestDeterministic renders the same plan twice, and a second plan of
// the same inventory: the bytes must not change.
func TestDeterministic(t *testing.T) {
	p1 := planOf(t, "s1-contoso.toml")
	a := render(t, input(t, p1))
	b := render(t, input(t, p1))
	c := render(t, input(t, planOf(t, "s1-contoso.toml")))
	if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
		t.Error("two renders of the same plan differ")
	}
	d := planner.Compare(planOf(t, "s1-contoso.toml", "variants/s1-before.toml"), p1)
	if x, y := renderDiff(t, DiffInput{Diff: d}), renderDiff(t, DiffInput{Diff: d}); !bytes.Equal(x, y) {
		t.Error("two renders of the same diff differ")
	}
}

// TestCSP: the policy allows exactly the page's inline scripts, by hash,
// and nothing else.
func TestCSP(t *testing.T) {
	p := planOf(t, "s1-contoso.toml")
	d := planner.Compare(planOf(t, "s1-contoso.toml", "variants/s1-before.toml"), p)
	pages := map[string][]byte{"report": render(t, input(t, p)), "diff": renderDiff(t, DiffInput{Diff: d})}
	for name, b := range pages {
		t.Run(name, func(t *testing.T) {
			m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindSubmatch(b)
			if m == nil {
				t.Fatal("no Content-Security-Policy")
			}
			csp := html.UnescapeString(string(m[1]))
			var want []string
			for _, s := range regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllSubmatch(b, -1) {
				sum := sha256.Sum256(s[1])
				want = append(want, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
			}
			if len(want) == 0 {
				t.Fatal("no inline script")
			}
			wantCSP := "default-src 'none'; script-src " + strings.Join(want, " ") + "; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
			if csp != wantCSP {
				t.Errorf("got CSP %q, want %q", csp, wantCSP)
			}
		})
	}
}

// TestHostileNames: user and server names are data, never markup.
func TestHostileNames(t *testing.T) {
	const user = `</script><script>alert(1)</script>`
	const server = `<img src=x onerror=alert(1)>`
	p := hostilePlan(t, user, server)
	b := render(t, input(t, p))
	if n := bytes.Count(b, []byte("<script")); n != 3 {
		t.Errorf("%d <script tags, want 3 (data, common.js, report.js)", n)
	}
	for _, bad := range []string{"<img", "</script><script>alert", "<!--"} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	data := regexp.MustCompile(`(?s)<script type="application/json" id="plan-data">(.*?)</script>`).FindSubmatch(b)
	if data == nil {
		t.Fatal("no page data")
	}
	var d pageData
	if err := json.Unmarshal(data[1], &d); err != nil {
		t.Fatalf("page data: %v", err)
	}
	if !contains(d.U, user) || !contains(d.S, server) {
		t.Errorf("page data lost the names: users %q", d.U)
	}
	if !bytes.Contains(b, []byte(`data-subject="&lt;img src=x onerror=alert(1)&gt;"`)) && !bytes.Contains(b, []byte(`&lt;img src=x onerror=alert(1)&gt;`)) {
		t.Error("the server name is not shown escaped")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestPageData decodes the compact page data as report.js does and
// compares every user's paths with plan.json's.
func TestPageData(t *testing.T) {
	for _, files := range [][]string{{"s1-contoso.toml"}, {"s4-2016-2010.toml"}, {"s2-2007-2010.toml"}} {
		t.Run(files[0], func(t *testing.T) {
			p := planOf(t, files...)
			var d pageData
			bib := p.Bibliography()
			if err := json.Unmarshal(mustJSON(buildData(p, bib)), &d); err != nil {
				t.Fatal(err)
			}
			rows := planjson.SortedUsers(p)
			if len(d.U) != len(rows) || len(d.UC) != len(rows) {
				t.Fatalf("%d users, %d cohort indexes; want %d", len(d.U), len(d.UC), len(rows))
			}
			for i, row := range rows {
				if d.U[i] != p.Inv.Mailboxes[row].Name {
					t.Fatalf("user %d is %q, want %q", i, d.U[i], p.Inv.Mailboxes[row].Name)
				}
				var got []planner.Path
				for _, pi := range d.C[d.UC[i]][7].([]any) {
					got = append(got, decodePath(t, d, int(pi.(float64))))
				}
				var want []planner.Path
				for _, up := range planjson.UserPaths(p, int(row), "", "") {
					pa := up.Path
					// Notes cite by number into the page's source list.
					notes := pa.Notes
					pa.Notes = nil
					for _, n := range notes {
						pa.Notes = append(pa.Notes, bib.Note(n))
					}
					// The page carries the rules a path cites (its findings
					// are among them) for the rule chips.
					pa.Findings = nil
					if len(pa.Rules) == 0 {
						pa.Rules = nil
					}
					want = append(want, pa)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: decoded paths differ:\ngot  %+v\nwant %+v", d.U[i], got, want)
				}
			}
		})
	}
}

func decodePath(t *testing.T, d pageData, i int) planner.Path {
	t.Helper()
	row := d.P[i]
	s := func(v any) string { return d.S[int(v.(float64))] }
	strs := func(v any) []string {
		var out []string
		for _, x := range v.([]any) {
			out = append(out, s(x))
		}
		return out
	}
	m := d.M[int(row[5].(float64))]
	pa := planner.Path{Protocol: s(row[0]), Location: s(row[1]), Secondary: s(row[2]), Entry: s(row[3]), Outcome: s(row[4]),
		Mailbox: planner.MailboxRef{Server: d.S[m[0]], Version: d.S[m[1]], Site: d.S[m[2]], Database: d.S[m[3]]},
		Notes:   strs(row[7]), Rules: strs(row[8]), Hops: []planner.Hop{}}
	for _, h := range row[6].([]any) {
		x := d.H[int(h.(float64))]
		pa.Hops = append(pa.Hops, planner.Hop{From: d.S[x[0]], To: d.S[x[1]], Host: d.S[x[2]], Action: d.S[x[3]], Auth: d.S[x[4]]})
	}
	return pa
}

// TestLargeEstate: 100,000 users give a page of a few megabytes, because
// paths are stored per cohort and users only as names and cohort numbers.
func TestLargeEstate(t *testing.T) {
	if testing.Short() {
		t.Skip("large estate: skipped with -short")
	}
	p := syntheticPlan(t, 100000)
	b := render(t, Input{Plan: p})
	t.Logf("report.html for 100,000 users in %d cohorts: %d bytes", len(p.Cohorts), len(b))
	if len(b) > 4<<20 {
		t.Errorf("report.html is %d bytes for 100,000 users, want under 4 MiB", len(b))
	}
	if n := bytes.Count(b, []byte(`"hops"`)); n > 0 {
		t.Errorf("page data holds path objects (%d \"hops\" keys), want compact rows", n)
	}
}

func TestVerdict(t *testing.T) {
	path := func(o string) planner.Path { return planner.Path{Protocol: "owa", Location: "external", Outcome: o} }
	plan := func(sev planner.Severity, outcomes ...string) *planner.Plan {
		co := &planner.Cohort{ID: 1, Users: []int32{0}}
		for _, o := range outcomes {
			co.Paths = append(co.Paths, path(o))
		}
		p := &planner.Plan{Inv: &model.Inventory{Mailboxes: []model.Mailbox{{Name: "a"}}}, Cohorts: []*planner.Cohort{co}}
		if sev != "" {
			p.Findings = []planner.Finding{{ID: "X", Severity: sev}}
		}
		return p
	}
	tests := map[string]struct {
		p    *planner.Plan
		want string
	}{
		"clean":          {plan("", "ok", "not-applicable"), VerdictReady},
		"info only":      {plan(planner.SevInfo, "ok"), VerdictReady},
		"warning path":   {plan("", "ok", "warning"), VerdictWarnings},
		"warning":        {plan(planner.SevWarning, "ok"), VerdictWarnings},
		"broken path":    {plan("", "ok", "broken"), VerdictNotReady},
		"blocking":       {plan(planner.SevError, "ok"), VerdictNotReady},
		"no users, warn": {&planner.Plan{Inv: &model.Inventory{}, Cohorts: []*planner.Cohort{{ID: 1, Paths: []planner.Path{path("broken")}}}}, VerdictNotReady},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			v := judge(tt.p, tt.p.Counts())
			if v.Label != tt.want || len(v.Reasons) == 0 {
				t.Errorf("got %q (%q), want %q with reasons", v.Label, v.Reasons, tt.want)
			}
		})
	}
}

func TestWithoutDiagrams(t *testing.T) {
	p := planOf(t, "s1-contoso.toml")
	b := render(t, Input{Plan: p})
	for _, absent := range []string{`id="topology"`, `href="#topology"`, `id="flows"`, `href="#flows"`, `<svg width=`} {
		if bytes.Contains(b, []byte(absent)) {
			t.Errorf("report.html without diagrams contains %q", absent)
		}
	}
	svg := func(size int) []byte {
		b := append([]byte(`<svg xmlns="http://www.w3.org/2000/svg">`), bytes.Repeat([]byte("<g></g>"), size/7)...)
		return append(b, "</svg>"...)
	}
	// One diagram over the limit, and diagrams over the page's budget,
	// are replaced by a pointer to their file.
	flows := map[string][]byte{"owa": svg(MaxInlineSVG + 1)}
	n := 0
	for _, proto := range planner.Protocols[:6] {
		if proto != "owa" {
			flows[proto] = svg(MaxInlineSVG - 100)
			n++
		}
	}
	b = render(t, Input{Plan: p, Flows: flows})
	if !bytes.Contains(b, []byte("open flows-owa.svg, next to this report")) {
		t.Error("an oversized flow diagram is not replaced by a pointer to flows-owa.svg")
	}
	inlined := bytes.Count(b, []byte(`class="diagram" role="img"`))
	if want := MaxInlineSVGTotal / MaxInlineSVG; inlined != want || bytes.Count(b, []byte("too large to embed")) != 1+n-want {
		t.Errorf("%d of %d diagrams inlined, want %d (the page's budget)", inlined, n, want)
	}
}

func TestWriteErrors(t *testing.T) {
	if err := Write(&bytes.Buffer{}, Input{}); err == nil {
		t.Error("Write without a plan: got nil error")
	}
	if err := WriteDiff(&bytes.Buffer{}, DiffInput{}); err == nil {
		t.Error("WriteDiff without a diff: got nil error")
	}
	p := planOf(t, "s1-contoso.toml")
	err := Write(&bytes.Buffer{}, Input{Plan: p, Topology: []byte("<svg><g></svg>")})
	if err == nil || !strings.Contains(err.Error(), "topology") {
		t.Errorf("malformed topology SVG: got %v, want an error naming the topology", err)
	}
}

func TestWriteDiff(t *testing.T) {
	before := planOf(t, "s1-contoso.toml", "variants/s1-before.toml")
	after := planOf(t, "s1-contoso.toml")
	d := planner.Compare(before, after)
	d.Edits = []string{"1. move-namespace: mail.contoso.com to LB1"}
	b := renderDiff(t, DiffInput{Diff: d, Digest: "abc"})
	for _, want := range []string{
		"<strong>" + planjson.Verdict(d) + "</strong>",
		"1. move-namespace: mail.contoso.com to LB1",
		`<article class="change" id="change-1"`,
		`<span class="side-label">Before</span>`, `<span class="side-label">After</span>`,
		`<span class="tag">changed</span>`,
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("diff.html lacks %q", want)
		}
	}
	if got, want := bytes.Count(b, []byte(`<article class="change"`)), len(d.Changes); got != want {
		t.Errorf("%d changes, want %d", got, want)
	}
	// orange's OWA entered at the moved primary name changes; it is
	// labelled as such.
	if !regexp.MustCompile(`<span class="proto">Outlook on the web \(OWA\)</span> <span class="variant">external, entered as mail.contoso.com</span></h4>\s*<p class="change-users"><strong>1 user</strong>: <span class="uname">orange</span>`).Match(b) {
		t.Error("diff.html lacks orange's OWA change entered as mail.contoso.com")
	}
	same := planner.Compare(after, after)
	b = renderDiff(t, DiffInput{Diff: same})
	for _, want := range []string{"No effect: no path or finding changes", "No path changes", "No finding changes"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("diff.html of no change lacks %q", want)
		}
	}
}

func TestMarkChanged(t *testing.T) {
	h := func(from, to string) hopView { return hopView{From: from, To: to, Action: "proxy"} }
	before := []hopView{h("client", "CAS"), h("CAS", "MBX")}
	after := []hopView{h("client", "NEW"), h("NEW", "CAS"), h("CAS", "MBX")}
	markChanged(before, after)
	var got []bool
	for _, x := range append(before, after...) {
		got = append(got, x.Changed)
	}
	if want := []bool{true, false, true, true, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("changed flags %v, want %v", got, want)
	}
}

func TestRemediationBlocks(t *testing.T) {
	tests := map[string]struct {
		line string
		code bool
	}{
		"cmdlet":     {"Set-OutlookAnywhere -Identity 'X'", true},
		"comment":    {"# Then restart x.", true},
		"indented":   {"    New-ItemProperty -LiteralPath 'HKLM:\\X'", true},
		"variable":   {"$req = Get-ExchangeCertificate", true},
		"brace":      {"}", true},
		"registry":   {`HKEY_LOCAL_MACHINE\SOFTWARE\X = 1 (0x1)`, true},
		"prose":      {"Install KB3140410.", false},
		"hyphenated": {"Import EX2010-01's .reg file and restart EX2010-01.", false},
		"path":       {"Add /mapi/* (HTTPS, 443) to LB1.", false},
		"lowercase":  {"re-run Autodiscover", false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := isCommand(tt.line); got != tt.code {
				t.Errorf("isCommand(%q) = %v, want %v", tt.line, got, tt.code)
			}
		})
	}
	// The blocks put back together are the remediation, which is what
	// the copy button copies.
	for _, files := range [][]string{{"s1-contoso.toml"}, {"s2-2007-2010.toml"}, {"s4-2016-2010.toml"}, {"s5-tls.toml"}} {
		for _, f := range planOf(t, files...).Findings {
			var parts []string
			for _, b := range remediationBlocks(f.Remediation) {
				if b.Text != strings.Join(b.Lines, "\n") {
					t.Fatalf("%s: block text and lines differ", f.ID)
				}
				parts = append(parts, b.Text)
			}
			if got := strings.Join(parts, "\n"); got != strings.TrimRight(f.Remediation, "\n") {
				t.Errorf("%s on %s: blocks join to %q, want %q", f.ID, f.Subject, got, f.Remediation)
			}
		}
	}
}

func TestSanitizeSVG(t *testing.T) {
	const head = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt" viewBox="0 0 10 10">`
	tests := map[string]struct {
		in         string
		want, gone []string
	}{
		"script": {in: head + `<script>alert(1)</script><g id="a"><text>x</text></g></svg>`,
			want: []string{`<g id="p-a"><text>x</text></g>`}, gone: []string{"script", "alert"}},
		"handlers": {in: head + `<g onclick="alert(1)" ONLOAD="x" fill="red"/></svg>`,
			want: []string{`<g fill="red"/>`}, gone: []string{"alert", "onclick", "ONLOAD"}},
		"links unwrapped": {in: head + `<a xlink:href="javascript:alert(1)" xlink:title="t"><text>kept</text></a></svg>`,
			want: []string{`<text>kept</text>`}, gone: []string{"<a", "href", "javascript"}},
		"external things": {in: head + `<image href="http://x/y.png"/><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject><use href="#a"/></svg>`,
			gone: []string{"image", "http", "foreignObject", "hi", "use"}},
		"urls": {in: head + `<defs><linearGradient id="g"><stop offset="0" style="stop-color:#fff;stop-opacity:1.0;"/></linearGradient></defs><polygon fill="url(#g)" stroke="url(http://evil/x)" style="background:url(http://evil/y)" points="0,0 1,1"/></svg>`,
			want: []string{`<linearGradient id="p-g">`, `style="stop-color:#fff;stop-opacity:1.0;"`, `<polygon fill="url(#p-g)" points="0,0 1,1"/>`}, gone: []string{"evil"}},
		"comments and doctype": {in: `<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><!-- x --><svg xmlns="http://www.w3.org/2000/svg"><!-- --><script>alert(1)</script> --><title>a&lt;b</title></svg>`,
			want: []string{`<title>a&lt;b</title>`}, gone: []string{"<!", "<?", "DOCTYPE", "-->", "alert"}},
		"text escaped": {in: head + `<text>&lt;img src=x onerror=alert(1)&gt; &amp; "q"</text></svg>`,
			want: []string{`<text>&lt;img src=x onerror=alert(1)&gt; &amp; &#34;q&#34;</text>`}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := sanitizeSVG([]byte(tt.in), "p", "label")
			if err != nil {
				t.Fatal(err)
			}
			s := string(got)
			if !strings.HasPrefix(s, `<svg`) || !strings.Contains(s, `class="diagram" role="img" focusable="false" aria-label="label"`) {
				t.Errorf("no labelled <svg> root: %s", s)
			}
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("got %s\nwant it to contain %s", s, w)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(s, g) {
					t.Errorf("got %s\nwant no %s", s, g)
				}
			}
		})
	}
	for name, in := range map[string]string{"not svg": `<html></html>`, "malformed": `<svg><g></svg>`, "empty": ``, "two roots": `<svg></svg><svg></svg>`} {
		if _, err := sanitizeSVG([]byte(in), "p", ""); err == nil {
			t.Errorf("%s: got nil error", name)
		}
	}
}

// TestGraphvizLabels: Graphviz escapes labels, and the sanitiser keeps
// every label of its output.
func TestGraphvizLabels(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)>`
	dot := `digraph { a [label=` + dotQuote(evil) + `]; b [label="</svg><script>alert(2)</script>"]; a -> b [label="x&y"]; }`
	svg, err := graphviz.SVG(context.Background(), []byte(dot))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(svg, []byte("<img")) || bytes.Contains(svg, []byte("<script")) {
		t.Fatalf("Graphviz did not escape labels: %s", svg)
	}
	got, err := sanitizeSVG(svg, "t", "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "x&amp;y", "<polygon", "<text"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("sanitised Graphviz SVG lacks %q:\n%s", want, got)
		}
	}
}

// TestWarningUsersReconcile: the summary's count of users with a warning
// is at least what any protocol row's Warning column counts. S3's one
// RPC/TCP warning belongs to a user whose worst path is broken; the page
// once said "0 users with warnings" beside that row.
func TestWarningUsersReconcile(t *testing.T) {
	p := planOf(t, "s3-2013-2010.toml")
	c := p.Counts()
	most := 0
	for _, proto := range planner.Protocols {
		most = max(most, c.UsersByProtocol[proto][planner.OutcomeWarning])
	}
	if most == 0 {
		t.Fatal("S3 has no protocol with a warning user; the test needs one")
	}
	if c.WarnedUsers < most {
		t.Errorf("WarnedUsers = %d, but a protocol counts %d users under Warning", c.WarnedUsers, most)
	}
	page := string(render(t, input(t, p)))
	want := fmt.Sprintf(`<p class="stat-detail">%s with a warning path</p>`, plural(c.WarnedUsers, "user", "users"))
	if !strings.Contains(page, want) {
		i := strings.Index(page, "Users with broken paths")
		t.Errorf("report.html lacks %q:\n%.300s", want, page[max(i, 0):])
	}
}
