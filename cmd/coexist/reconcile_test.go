package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// usersByProtocol is protocol → outcome → users.
type usersByProtocol map[string]map[string]int

// Every output counts the same users per protocol and outcome: plan.json's
// summary, the workbook's Summary sheet, report.html's protocol table and
// report.pdf's executive summary (each user once per protocol, under their
// worst path, never a count of paths).
func TestOutputsReconcile(t *testing.T) {
	if testing.Short() {
		t.Skip("plans and renders three estates")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	if code, _, stderr := runCLI(t, "gen", "--mailboxes", "1500", "-o", gen); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	// A 2007-2010 estate whose executive summary condenses to fit its
	// page: protocols with the same counts share a row.
	gen7 := filepath.Join(dir, "gen-2007")
	if code, _, stderr := runCLI(t, "gen", "--mailboxes", "2000", "--mix", "2007-2010", "-o", gen7); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	estates := map[string][]string{
		"s1":       samplePaths([]string{"s1-contoso.toml"}),
		"s3":       samplePaths([]string{"s3-2013-2010.toml"}),
		"gen":      {filepath.Join(gen, "inventory.toml"), filepath.Join(gen, "mailboxes.csv")},
		"gen-2007": {filepath.Join(gen7, "inventory.toml"), filepath.Join(gen7, "mailboxes.csv")},
	}
	for name, files := range estates {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+name)
			if code, _, stderr := runCLI(t, append(append([]string{"plan"}, files...), "-o", out, "--date", "2026-11-22")...); code != 0 {
				t.Fatalf("plan: %s", stderr)
			}
			want := jsonCounts(t, filepath.Join(out, "plan.json"))
			users := 0
			for _, n := range want["owa"] {
				users += n
			}
			if users == 0 {
				t.Fatal("plan.json counts no OWA users")
			}
			for output, got := range map[string]usersByProtocol{
				"checklist.xlsx": xlsxCounts(t, filepath.Join(out, "checklist.xlsx")),
				"report.html":    htmlCounts(t, filepath.Join(out, "report.html"), want),
				"report.pdf":     pdfCounts(t, pdftotext, filepath.Join(out, "report.pdf")),
			} {
				for _, proto := range planner.Protocols {
					for _, o := range planner.OutcomeOrder {
						if g, w := got[proto][o], want[proto][o]; g != w {
							t.Errorf("%s: %s %s: got %d users, plan.json says %d", output, proto, o, g, w)
						}
					}
				}
			}
			checkWarnedUsers(t, out, want)
		})
	}
}

func jsonCounts(t *testing.T, file string) usersByProtocol {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary struct {
			UsersByProtocol usersByProtocol `json:"users_by_protocol"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Summary.UsersByProtocol
}

// summaryRows reads a workbook's Summary sheet.
func summaryRows(t *testing.T, file string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// xlsxCounts reads the Summary sheet's rows that start with a protocol's name:
// OK, Warning, Broken, Not applicable.
func xlsxCounts(t *testing.T, file string) usersByProtocol {
	t.Helper()
	rows := summaryRows(t, file)
	cols := []string{planner.OutcomeOK, planner.OutcomeWarning, planner.OutcomeBroken, planner.OutcomeNotApplicable}
	// Rows name protocols as the PDF and HTML reports do.
	byName := map[string]string{}
	for _, proto := range planner.Protocols {
		byName[planner.ProtocolName(proto)] = proto
	}
	got := usersByProtocol{}
	for _, r := range rows {
		if len(r) < 5 || byName[r[0]] == "" {
			continue
		}
		proto := byName[r[0]]
		got[proto] = map[string]int{}
		for i, o := range cols {
			got[proto][o] = cellCount(t, r[i+1])
		}
	}
	return got
}

// htmlCounts reads report.html's protocol table: one row per protocol
// with users, in planner.Protocols order, cells in planner.OutcomeOrder.
func htmlCounts(t *testing.T, file string, want usersByProtocol) usersByProtocol {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	start := strings.Index(page, `<table class="proto-table">`)
	end := strings.Index(page[start:], "</table>")
	if start < 0 || end < 0 {
		t.Fatal("report.html has no protocol table")
	}
	rowRE := regexp.MustCompile(`(?s)<tr><th scope="row">[^<]*</th>(.*?)</tr>`)
	cellRE := regexp.MustCompile(`<td[^>]*>([^<]*)</td>`)
	rows := rowRE.FindAllStringSubmatch(page[start:start+end], -1)
	got := usersByProtocol{}
	k := 0
	for _, proto := range planner.Protocols {
		if len(want[proto]) == 0 {
			continue
		}
		if k >= len(rows) {
			t.Fatalf("report.html lists %d protocols, plan.json %d or more", len(rows), k+1)
		}
		cells := cellRE.FindAllStringSubmatch(rows[k][1], -1)
		k++
		got[proto] = map[string]int{}
		for i, o := range planner.OutcomeOrder {
			if i < len(cells) {
				got[proto][o] = cellCount(t, cells[i][1])
			}
		}
	}
	return got
}

// pdfCounts reads the executive summary's "Users by protocol" table:
// Broken, Warning, OK, Not applicable after each protocol's name.
func pdfCounts(t *testing.T, pdftotext, file string) usersByProtocol {
	t.Helper()
	out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	// The heading itself, not its line in the contents (which ends in a
	// page number).
	loc := regexp.MustCompile(`(?m)^\s*Users by protocol, each under their worst path\s*$`).FindStringIndex(text)
	at := -1
	if loc != nil {
		at = loc[0]
	}
	if at < 0 {
		t.Fatal("report.pdf has no \"Users by protocol\" table")
	}
	text = text[at:]
	// A row names one protocol in full, or, where the summary condensed
	// to fit its page, several by their short names ("Autodiscover, OWA,
	// EAS"), its first line ending in the four counts and any further
	// line continuing the names.
	byName := map[string]string{}
	for _, proto := range planner.Protocols {
		name := planner.ProtocolName(proto)
		byName[name] = proto
		if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
			if abbr := name[i+2 : len(name)-1]; strings.ToUpper(abbr) == abbr {
				byName[abbr] = proto // "Outlook on the web (OWA)" → "OWA"
			} else {
				byName[name[:i]] = proto // "Outlook Anywhere (RPC over HTTP)" → "Outlook Anywhere"
			}
		}
	}
	row := regexp.MustCompile(`^\s*(\S.*?)\s{2,}(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$`)
	names := func(cell string) []string {
		var out []string
		for _, n := range strings.Split(cell, ",") {
			if proto, ok := byName[strings.TrimSpace(n)]; ok {
				out = append(out, proto)
			}
		}
		return out
	}
	got := usersByProtocol{}
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.Contains(lines[i], "\f") {
			break // the summary's page ends
		}
		m := row.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		cell := m[1]
		if full, ok := byName[strings.TrimSpace(cell)]; ok {
			cell = planner.ProtocolName(full)
		}
		protos := names(cell)
		if len(protos) == 0 {
			continue
		}
		for strings.HasSuffix(strings.TrimSpace(cell), ",") && i+1 < len(lines) {
			i++
			more := strings.TrimSpace(lines[i])
			cell += " " + more
			protos = append(protos, names(more)...)
		}
		for _, proto := range protos {
			got[proto] = map[string]int{}
			for j, o := range planner.OutcomeOrder {
				got[proto][o] = cellCount(t, m[j+2])
			}
		}
	}
	return got
}

// cellCount reads a table cell: "1,500", or "–" / "" for none.
func cellCount(t *testing.T, s string) int {
	t.Helper()
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	if s == "" || s == "–" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("cell %q is not a count", s)
	}
	return n
}

// checkWarnedUsers: the users with a warning path are counted alike in
// plan.json (users_with_warning_paths), report.html's summary and the
// workbook's Summary, and at least as many as any protocol's Warning
// column holds (S3's one RPC/TCP warning once sat beside "0 users with
// warnings": that user's worst path is broken).
func checkWarnedUsers(t *testing.T, out string, byProto usersByProtocol) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary struct {
			Warned *int `json:"users_with_warning_paths"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Warned == nil {
		t.Fatal("plan.json's summary lacks users_with_warning_paths")
	}
	warned := *doc.Summary.Warned
	for proto, by := range byProto {
		if by[planner.OutcomeWarning] > warned {
			t.Errorf("%s counts %d users under Warning, plan.json %d users with a warning path", proto, by[planner.OutcomeWarning], warned)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<p class="stat-detail">([0-9,]+) users? with a warning path</p>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("report.html does not count the users with a warning path")
	}
	if n := cellCount(t, string(m[1])); n != warned {
		t.Errorf("report.html: %d users with a warning path, plan.json %d", n, warned)
	}
	rows := summaryRows(t, filepath.Join(out, "checklist.xlsx"))
	found := false
	for _, r := range rows {
		if len(r) >= 2 && r[0] == "Users with a warning path" {
			found = true
			if n := cellCount(t, r[1]); n != warned {
				t.Errorf("checklist.xlsx: %d users with a warning path, plan.json %d", n, warned)
			}
		}
	}
	if !found {
		t.Error("checklist.xlsx's Summary does not count the users with a warning path")
	}
}
