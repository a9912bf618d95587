package main

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coexist/coexist/planner"
)

// flat collapses runs of white space, so text wrapped by a PDF or a
// template compares with the one definition.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkScopeJSON: a JSON document's "scope" is planner.PlanScope().
func checkScopeJSON(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Scope *planner.Scope `json:"scope"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Scope == nil {
		t.Fatalf("%s has no scope", filepath.Base(file))
	}
	got, _ := json.Marshal(doc.Scope)
	want, _ := json.Marshal(planner.PlanScope())
	if !bytes.Equal(got, want) {
		t.Errorf("%s scope:\ngot  %s\nwant %s", filepath.Base(file), got, want)
	}
	if len(doc.Scope.Assessed) == 0 || len(doc.Scope.NotAssessed) == 0 {
		t.Errorf("%s scope lists nothing: %s", filepath.Base(file), got)
	}
}

// checkScopeText: text carries the scope line and every area's title and
// detail.
func checkScopeText(t *testing.T, name, text string) {
	t.Helper()
	text = flat(html.UnescapeString(text))
	if !strings.Contains(text, planner.ScopeLine()) {
		t.Errorf("%s lacks the scope line %q", name, planner.ScopeLine())
	}
	sc := planner.PlanScope()
	for _, a := range append(sc.Assessed, sc.NotAssessed...) {
		if !strings.Contains(text, a.Title) || !strings.Contains(text, flat(a.Detail)) {
			t.Errorf("%s lacks the scope area %q (%s)", name, a.Title, a.Detail)
		}
	}
}

// pdfPages returns a PDF's text page by page, or skips without pdftotext.
func pdfPages(t *testing.T, file string) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(out), "\f")
}

// TestEveryOutputStatesItsScope: for every sample and a generated
// 2,000-mailbox estate, plan.json, report.pdf, report.html and
// checklist.xlsx say what the plan assessed and what it did not, from the
// one definition; report.pdf says it in the verdict box of an executive
// summary that still fits on one page, and in full in the appendix.
func TestEveryOutputStatesItsScope(t *testing.T) {
	runs := append([]struct {
		name  string
		files []string
	}(nil), sampleRuns...)
	runs = append(runs, struct {
		name  string
		files []string
	}{"gen-2k", nil})
	for _, s := range runs {
		t.Run(s.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			inputs := samplePaths(s.files)
			if s.files == nil {
				// The estate whose summary's protocol table once ended
				// on a page of its own.
				est := filepath.Join(t.TempDir(), "estate")
				if code, _, stderr := runCLI(t, "gen", "--mailboxes", "2000", "-o", est); code != 0 {
					t.Fatalf("gen: exit %d: %s", code, stderr)
				}
				inputs = []string{filepath.Join(est, "inventory.toml"), filepath.Join(est, "mailboxes.csv")}
			}
			if code, _, stderr := runCLI(t, append(append([]string{"plan"}, inputs...), "-o", dir, "--date", "2026-12-01")...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkScopeJSON(t, filepath.Join(dir, "plan.json"))
			page, err := os.ReadFile(filepath.Join(dir, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			checkScopeText(t, "report.html", string(page))
			if !strings.Contains(string(page), `href="#scope"`) || !strings.Contains(string(page), `id="scope"`) {
				t.Error("report.html's verdict does not link its scope section")
			}
			checkScopeText(t, "checklist.xlsx", workbookText(t, dir, "checklist.xlsx"))

			pages := pdfPages(t, filepath.Join(dir, "report.pdf"))
			checkScopeText(t, "report.pdf", strings.Join(pages, "\n"))
			at := -1
			for i, p := range pages {
				if strings.Contains(p, "Readiness: ") {
					at = i
					break
				}
			}
			if at < 0 {
				t.Fatal("report.pdf has no verdict box")
			}
			sum := flat(pages[at])
			if !strings.Contains(sum, flat(scopeNoteForTest())) {
				t.Errorf("report.pdf's executive summary (page %d) lacks the scope beside its verdict:\n%s", at+1, sum)
			}
			// One page: the summary's last table ends on the verdict's
			// page, and the next page's running header names another
			// chapter.
			tail := sum[max(strings.Index(sum, "Users by protocol, each under their worst path"), 0):]
			if !strings.Contains(tail, "Users by protocol") || !strings.Contains(tail, "IMAP4") {
				t.Errorf("report.pdf's executive summary runs past page %d:\n%s", at+1, sum)
			}
			if at+1 < len(pages) && strings.HasPrefix(flat(pages[at+1]), "Executive summary") {
				t.Errorf("report.pdf's executive summary continues on page %d:\n%.300s", at+2, flat(pages[at+1]))
			}
		})
	}
}

// scopeNoteForTest is the verdict box's scope paragraph as report.pdf
// prints it.
func scopeNoteForTest() string {
	return "Scope. " + planner.ScopeLine() + " See “" + planner.ScopeSectionTitle + "” in the appendix."
}

// TestRunbookStatesItsScope: the programme runbook's outputs carry the
// same scope beside their verdicts.
func TestRunbookStatesItsScope(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "program", filepath.Join("..", "..", "samples", "programs", "contoso-2010.toml"),
		"--stages", filepath.Join("..", "..", "samples", "programs", "contoso-2010-to-2016.toml"), "-o", dir); code != 0 && code != 3 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	pages := checkScopeOutputs(t, dir, "program.json", "runbook.html", "runbook.xlsx", "runbook.pdf", true)
	if first := flat(pages[0]); !strings.Contains(first, flat(scopeNoteForTest())) {
		t.Errorf("runbook.pdf's programme verdict lacks the scope:\n%s", first)
	}
}

// TestDiffStatesItsScope: a what-if's verdict ("Safe") speaks for the
// assessed areas only, and diff.pdf, diff.html, diff.xlsx and diff.json
// say so as the plan's outputs do.
func TestDiffStatesItsScope(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "whatif", filepath.Join("..", "..", "samples", "s3-2013-2010.toml"),
		"--edits", filepath.Join("..", "..", "samples", "edits", "s3-disable-branch-oa.toml"), "-o", dir); code != 0 && code != 3 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	pages := checkScopeOutputs(t, dir, "diff.json", "diff.html", "diff.xlsx", "diff.pdf", true)
	if first := flat(pages[0]); !strings.Contains(first, flat(scopeNoteForTest())) {
		t.Errorf("diff.pdf's verdict (page 1) lacks the scope:\n%s", first)
	}
}

// workbookText is the text of every sheet of one workbook in dir.
func workbookText(t *testing.T, dir, name string) string {
	t.Helper()
	var text string
	for sheet, s := range outputText(t, dir) {
		if strings.HasPrefix(sheet, name+":") {
			text += s
		}
	}
	return text
}

// checkScopeOutputs checks the scope in a JSON document, an HTML page
// (linking its scope section when linked), a workbook and a PDF in dir,
// and returns the PDF's pages.
func checkScopeOutputs(t *testing.T, dir, jsonName, htmlName, xlsxName, pdfName string, linked bool) []string {
	t.Helper()
	checkScopeJSON(t, filepath.Join(dir, jsonName))
	page, err := os.ReadFile(filepath.Join(dir, htmlName))
	if err != nil {
		t.Fatal(err)
	}
	checkScopeText(t, htmlName, string(page))
	if linked && (!strings.Contains(string(page), `href="#scope"`) || !strings.Contains(string(page), `id="scope"`)) {
		t.Errorf("%s's verdict does not link its scope section", htmlName)
	}
	if !strings.Contains(flat(html.UnescapeString(workbookText(t, dir, xlsxName))), planner.ScopeLine()) {
		t.Errorf("%s lacks the scope line", xlsxName)
	}
	pages := pdfPages(t, filepath.Join(dir, pdfName))
	checkScopeText(t, pdfName, strings.Join(pages, "\n"))
	return pages
}
