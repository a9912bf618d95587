package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// loadDiff plans a sample before and after an edits file, as `coexist
// whatif` does, with the edits described the same way.
func loadDiff(t *testing.T, edits string, base ...string) *planner.Diff {
	t.Helper()
	var paths []string
	for _, b := range base {
		paths = append(paths, "../../samples/"+b)
	}
	inv, src, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatalf("load %v: %v", base, err)
	}
	eds, esrc, err := load.Edits("../../samples/edits/"+edits, load.Options{})
	if err != nil {
		t.Fatalf("edits %s: %v", edits, err)
	}
	after, err := load.ApplyEdits(inv, src, eds, esrc)
	if err != nil {
		t.Fatalf("apply %s: %v", edits, err)
	}
	d := planner.Compare(planner.Run(inv, planner.Options{}), planner.Run(after, planner.Options{}))
	for i, e := range eds {
		text := e.Op
		if e.Note != "" {
			text += ": " + e.Note
		}
		d.Edits = append(d.Edits, fmt.Sprintf("%d. %s", i+1, text))
	}
	return d
}

func diffS1(t *testing.T) *planner.Diff {
	return loadDiff(t, "s1-move-namespaces.toml", "s1-contoso.toml", "variants/s1-before.toml")
}
func diffS2(t *testing.T) *planner.Diff {
	return loadDiff(t, "s2-move-amy.toml", "s2-2007-2010.toml")
}
func diffS3(t *testing.T) *planner.Diff {
	return loadDiff(t, "s3-disable-branch-oa.toml", "s3-2013-2010.toml")
}

func renderDiff(t *testing.T, d *planner.Diff) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDiff(&buf, d); err != nil {
		t.Fatalf("WriteDiff: %v", err)
	}
	return buf.Bytes()
}

// summaryLabels maps the Summary's keys (column A) to their values (B).
func summaryLabels(t *testing.T, f *excelize.File) map[string]string {
	t.Helper()
	labels := map[string]string{}
	for _, r := range rows(t, f, SheetSummary) {
		if len(r) >= 2 {
			labels[r[0]] = r[1]
		}
	}
	return labels
}

var wantDiffSheets = []string{"Summary", "Changes", "Findings", "Client steps"}

func TestDiffSheetsAndHeaders(t *testing.T) {
	f := open(t, renderDiff(t, diffS3(t)))
	if got := f.GetSheetList(); !slices.Equal(got, wantDiffSheets) {
		t.Errorf("sheets: got %q, want %q", got, wantDiffSheets)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet: got %d, want 0 (Summary)", got)
	}
	for _, tc := range []struct{ sheet, want string }{
		{"Changes", "Kind|Protocol|Location|Path|Users|Sample users|Before|Before outcome|After|After outcome|Why (after the change)|Rules (after)|Sources (after)"},
		{"Findings", "Change|ID|Severity|Subject|Message|Remediation|Sources"},
		{"Client steps", "Users|Sample users|Step|Sources"},
	} {
		if got := strings.Join(rows(t, f, tc.sheet)[0], "|"); got != tc.want {
			t.Errorf("%s header: got %q, want %q", tc.sheet, got, tc.want)
		}
	}
}

func TestDiffS3Risk(t *testing.T) {
	d := diffS3(t)
	if !d.Risk {
		t.Fatal("S3 diff: want a risk")
	}
	f := open(t, renderDiff(t, d))
	labels := summaryLabels(t, f)
	for label, want := range map[string]string{
		"Organisation":                   d.Organization,
		"As of":                          d.After.AsOf.Format("2006-01-02"),
		"Verdict":                        "RISK: the change breaks paths or adds blocking findings",
		"Users with a newly broken path": "1",
		"User paths newly broken":        "1",
		"Findings introduced":            "1",
		"of which blocking (error)":      "1",
	} {
		if got := labels[label]; got != want {
			t.Errorf("Summary %s: got %q, want %q", label, got, want)
		}
	}
	if got := labels["1"]; got != "set-outlook-anywhere: Turn off Outlook Anywhere on the branch CAS (it is not Internet-facing)" {
		t.Errorf("Summary edit 1: got %q", got)
	}

	changes := rows(t, f, "Changes")
	mary := map[string]string{"Kind": "Newly broken", "Protocol": planner.ProtocolName("outlook-anywhere"), "Location": "external", "Sample users": "mary"}
	for col, want := range map[string]string{
		"Path":           "own mailbox",
		"Users":          "1",
		"Before":         "mail.o365info.com → Exc2013 (connect, basic) → Exc2010-BR (proxy, kerberos)",
		"Before outcome": "OK",
		"After":          "mail.o365info.com → Exc2013 (connect, basic) → Exc2010-BR (proxy, kerberos)",
		"After outcome":  "Broken",
	} {
		if got := lookup(t, changes, mary, col); got != want {
			t.Errorf("mary's %s: got %q, want %q", col, got, want)
		}
	}
	if why := lookup(t, changes, mary, "Why (after the change)"); !strings.Contains(why, "Outlook Anywhere is disabled on Exc2010-BR") {
		t.Errorf("mary's why: got %q, want the note on the disabled Outlook Anywhere", why)
	}
	if rules := lookup(t, changes, mary, "Rules (after)"); !strings.Contains(rules, "AUTH-LEGACY-NTLM") {
		t.Errorf("mary's rules: got %q, want AUTH-LEGACY-NTLM", rules)
	}

	findings := rows(t, f, "Findings")
	intro := map[string]string{"Change": "introduced", "ID": "AUTH-LEGACY-NTLM"}
	if got := lookup(t, findings, intro, "Severity"); got != "Blocking" {
		t.Errorf("introduced AUTH-LEGACY-NTLM severity: got %q, want Blocking", got)
	}
	if got := lookup(t, findings, intro, "Subject"); got != "Exc2010-BR" {
		t.Errorf("introduced AUTH-LEGACY-NTLM subject: got %q, want Exc2010-BR", got)
	}
	if got := lookup(t, findings, intro, "Remediation"); !strings.Contains(got, "Enable-OutlookAnywhere") {
		t.Errorf("introduced AUTH-LEGACY-NTLM remediation: got %q", got)
	}
	if n := len(findings) - 1; n != len(d.Introduced)+len(d.Resolved)+len(d.Changed) {
		t.Errorf("Findings: got %d rows, want %d", n, len(d.Introduced)+len(d.Resolved)+len(d.Changed))
	}
}

func TestDiffS1AndS2(t *testing.T) {
	d1 := diffS1(t)
	f := open(t, renderDiff(t, d1))
	labels := summaryLabels(t, f)
	// red's POP3 loops back to 2016 once mail.contoso.com moves (CAS2010-1's
	// InternalConnectionSettings name it): the S1 move is a risk.
	if got, want := labels["Verdict"], "RISK: the change breaks paths or adds blocking findings"; got != want {
		t.Errorf("S1 verdict: got %q, want %q", got, want)
	}
	if got, want := labels["User paths fixed"], fmt.Sprint(d1.PathsFixed); got != want {
		t.Errorf("S1 paths fixed: got %q, want %q", got, want)
	}
	for i, e := range []string{"move-namespace: mail.contoso.com to the 2016 servers (LB1 outside)", "move-namespace: autodiscover.contoso.com to the 2016 servers"} {
		if got := labels[fmt.Sprint(i+1)]; got != e {
			t.Errorf("S1 edit %d: got %q, want %q", i+1, got, e)
		}
	}
	changes := rows(t, f, "Changes")
	if got, want := len(changes)-1, len(d1.Changes); got != want {
		t.Errorf("S1 changes: got %d rows, want %d", got, want)
	}
	// Orange's OWA entered at mail.contoso.com: redirected to its region
	// by MBX2016-1 instead of CAS2010-1.
	orange := map[string]string{"Kind": "Route change", "Protocol": planner.ProtocolName("owa"), "Location": "external", "Path": "entered as mail.contoso.com"}
	if got, want := lookup(t, changes, orange, "After"), "mail.contoso.com → LB1 (connect, fba) → MBX2016-1 (balance, fba) → CAS2010-2 at mail-region.contoso.com (redirect-silent, fba)"; got != want {
		t.Errorf("orange's owa after: got %q, want %q", got, want)
	}

	d2 := diffS2(t)
	steps := rows(t, open(t, renderDiff(t, d2)), "Client steps")
	if len(steps) != len(d2.Steps)+1 {
		t.Fatalf("S2 client steps: got %d rows, want %d", len(steps)-1, len(d2.Steps))
	}
	found := false
	for _, r := range steps[1:] {
		if len(r) >= 3 && r[1] == "amy" && strings.HasPrefix(r[2], "Mailbox moves from EX2007-01 (Exchange 2007) to EX2010-01 (Exchange 2010)") {
			found = true
		}
	}
	if !found {
		t.Errorf("S2 client steps: no mailbox move step for amy in %q", steps)
	}
}

func TestDiffSheetFeatures(t *testing.T) {
	d := diffS1(t)
	f := open(t, renderDiff(t, d))
	last := len(d.Changes) + 1
	for _, tc := range []struct {
		sheet  string
		xSplit int
	}{{"Changes", 1}, {"Findings", 0}, {"Client steps", 0}} {
		panes, err := f.GetPanes(tc.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != tc.xSplit {
			t.Errorf("%s panes: got freeze %v ySplit %d xSplit %d, want frozen header, xSplit %d",
				tc.sheet, panes.Freeze, panes.YSplit, panes.XSplit, tc.xSplit)
		}
	}
	filters := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" {
			filters[n.Scope] = strings.ReplaceAll(n.RefersTo, "$", "")
		}
	}
	if got, want := filters["Changes"], fmt.Sprintf("'Changes'!A1:M%d", last); got != want {
		t.Errorf("Changes autofilter: got %q, want %q", got, want)
	}
	cfs, err := f.GetConditionalFormats("Changes")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for ref, opts := range cfs {
		if strings.HasPrefix(ref, "A") {
			for _, o := range opts {
				texts = append(texts, ref+" "+o.Value)
			}
		}
	}
	slices.Sort(texts)
	want := []string{}
	for _, k := range []string{"Fixed", "Newly broken", "Outcome change", "Route change"} {
		want = append(want, fmt.Sprintf(`A2:A%d "%s"`, last, k))
	}
	if !slices.Equal(texts, want) {
		t.Errorf("Changes kind colours: got %q, want %q", texts, want)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	stamp := d.After.AsOf.UTC().Format("2006-01-02T15:04:05Z")
	if props.Created != stamp || props.Modified != stamp || !strings.HasPrefix(props.Title, "Exchange change assessment") {
		t.Errorf("doc props: got title %q created %q modified %q, want dated %s", props.Title, props.Created, props.Modified, stamp)
	}
}

func TestDiffDeterministic(t *testing.T) {
	a, b := renderDiff(t, diffS1(t)), renderDiff(t, diffS1(t))
	if !bytes.Equal(a, b) {
		t.Fatalf("two writes differ: %d and %d bytes", len(a), len(b))
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, zf := range zr.File {
		if !zf.Modified.Equal(want) {
			t.Errorf("%s modified: got %v, want %v", zf.Name, zf.Modified, want)
		}
	}
}

// TestDiffFormulaSafety checks that edit notes, user names and findings
// that look like formulas stay literal strings.
func TestDiffFormulaSafety(t *testing.T) {
	evil := []string{`=HYPERLINK("http://x","click")`, "+cmd", "-1+1", "@SUM(A1)"}
	d := diffS3(t)
	d.Organization = evil[0]
	d.Edits = append(d.Edits, evil[1])
	d.Changes[0].Sample = []string{evil[2]}
	d.Introduced[0].Message = evil[3]
	d.Steps = append(d.Steps, planner.ClientStep{Users: 1, Sample: []string{evil[1]}, Text: evil[0]})
	data := renderDiff(t, d)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	formula := regexp.MustCompile(`<f[ >]`)
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if loc := formula.FindIndex(b); loc != nil {
			t.Errorf("%s has a formula: %s", zf.Name, b[loc[0]:min(len(b), loc[0]+80)])
		}
	}
	f := open(t, data)
	found := map[string]bool{}
	for _, sheet := range f.GetSheetList() {
		for _, row := range rows(t, f, sheet) {
			for _, v := range row {
				for _, e := range evil {
					if strings.Contains(v, e) {
						found[sheet+" "+e] = true
					}
				}
			}
		}
	}
	for _, want := range []string{"Summary " + evil[0], "Summary " + evil[1], "Changes " + evil[2], "Findings " + evil[3], "Client steps " + evil[0]} {
		if !found[want] {
			t.Errorf("literal %q not found", want)
		}
	}
}

func TestDiffNoEffect(t *testing.T) {
	p := loadPlan(t, "s2-2007-2010.toml")
	d := planner.Compare(p, p)
	f := open(t, renderDiff(t, d))
	if got := summaryLabels(t, f)["Verdict"]; !strings.HasPrefix(got, "No effect") {
		t.Errorf("verdict: got %q, want No effect", got)
	}
	for _, sheet := range wantDiffSheets[1:] {
		if rs := rows(t, f, sheet); len(rs) != 1 {
			t.Errorf("%s: got %d rows, want the header only", sheet, len(rs))
		}
	}
	if err := WriteDiff(io.Discard, &planner.Diff{}); err == nil {
		t.Error("WriteDiff of an empty Diff: want an error")
	}
}

func TestChainText(t *testing.T) {
	for _, tc := range []struct {
		p    planner.Path
		want string
	}{
		{planner.Path{Outcome: planner.OutcomeNotApplicable}, "Not applicable"},
		{planner.Path{Outcome: planner.OutcomeBroken}, "no path"},
		{planner.Path{Outcome: planner.OutcomeOK, Hops: []planner.Hop{
			{From: "client", To: "MBX2016-1", Host: "mail.contoso.com", Action: "connect", Auth: "fba"},
			{From: "MBX2016-1", To: "CAS2010-1", Host: "cas2010-1.contoso.com", Action: "proxy", Auth: "kerberos"},
		}}, "mail.contoso.com → MBX2016-1 (connect, fba) → CAS2010-1 (proxy, kerberos)"},
		{planner.Path{Outcome: planner.OutcomeOK, Hops: []planner.Hop{
			{From: "client", To: "EX2010-01", Host: "mail.contoso.com", Action: "connect"},
			{From: "EX2010-01", To: "EX2007-01", Host: "legacy.contoso.com", Action: "redirect-silent", Auth: "fba"},
		}}, "mail.contoso.com → EX2010-01 (connect) → EX2007-01 at legacy.contoso.com (redirect-silent, fba)"},
	} {
		if got := chainText(tc.p); got != tc.want {
			t.Errorf("chainText: got %q, want %q", got, tc.want)
		}
	}
}

// TestDiffManyEdits (D9): a long edit list is written whole, but only the
// first maxMergedEdits edits in merged cells (excelize compares every
// merged range with every other on save: 100,000 took two minutes).
func TestDiffManyEdits(t *testing.T) {
	d := diffS3(t)
	const n = 3000
	d.Edits = nil
	for i := 0; i < n; i++ {
		d.Edits = append(d.Edits, fmt.Sprintf("%d. set-outlook-anywhere: edit %d", i+1, i+1))
	}
	f := open(t, renderDiff(t, d))
	merged, err := f.GetMergeCells(SheetSummary, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(merged) > maxMergedEdits+50 {
		t.Errorf("%d merged ranges in the Summary for %d edits, want at most %d", len(merged), n, maxMergedEdits+50)
	}
	labels := summaryLabels(t, f)
	for _, i := range []int{1, maxMergedEdits, maxMergedEdits + 1, n} {
		if got, want := labels[fmt.Sprint(i)], fmt.Sprintf("set-outlook-anywhere: edit %d", i); got != want {
			t.Errorf("edit %d: got %q, want %q", i, got, want)
		}
	}
}
