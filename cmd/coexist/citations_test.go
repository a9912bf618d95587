package main

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/coexist/coexist/planner"
)

// internalKey matches the labels of the project's working notes, which a
// reader of an output cannot look up: "seed 004" (any seed number), "MS
// S22", "FIELD T6", the working rule catalogue's file name, its section
// numbers ("section 2f", "§2f") or a path outside the repository
// ("../shared", "shared/domain", "shared/reviews", "shared/seeds",
// "shared/fixtures").
var internalKey = regexp.MustCompile(`(?i)\bseeds? [0-9]{3}\b|\bMS S[0-9]+\b|\bFIELD T[0-9]+\b|coexistence-rules\.md|\.\./shared\b|\bshared/(domain|reviews|seeds|fixtures)\b|\bsection [0-9][a-z]\b|§ ?[0-9]|\bINFER\b`)

// sourceKeys matches any bibliography key: machine outputs (plan.json,
// diff.json) cite by key next to their source list; what people read
// cites by number or title.
var sourceKeys = func() *regexp.Regexp {
	var alts []string
	for _, s := range planner.Sources() {
		alts = append(alts, regexp.QuoteMeta(s.Key))
	}
	sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	return regexp.MustCompile(`(?:^|[^a-z0-9-])(` + strings.Join(alts, "|") + `)(?:[^a-z0-9-]|$)`)
}()

// checkNoSourceKeys fails for every text of an output a person reads that
// names a bibliography key.
func checkNoSourceKeys(t *testing.T, corpus map[string]string) {
	t.Helper()
	for name, text := range corpus {
		if strings.HasSuffix(name, ".json") {
			continue
		}
		if loc := sourceKeys.FindStringSubmatchIndex(text); loc != nil {
			t.Errorf("%s prints the source key %q: …%s…", name, text[loc[2]:loc[3]], text[max(0, loc[0]-60):min(len(text), loc[1]+20)])
		}
	}
}

// citation matches a short citation: "[3]" or "[2, 5]".
var citation = regexp.MustCompile(`\[(\d+(?:, \d+)*)\]`)

type planSources struct {
	Findings []struct {
		ID      string   `json:"id"`
		Sources []string `json:"sources"`
		Basis   string   `json:"basis"`
	} `json:"findings"`
	Paths []struct {
		Notes []string `json:"notes"`
	} `json:"paths"`
	Sources []struct {
		Key, Title, Publisher, URL, Note, Basis string
	} `json:"sources"`
}

// TestOutputsCiteTheBibliography: for every sample, no output carries an
// internal source key, and every citation in plan.json, report.pdf,
// report.html, checklist.xlsx and remediation.ps1 resolves to a
// bibliography entry with a title and a URL (or a note saying why not).
func TestOutputsCiteTheBibliography(t *testing.T) {
	for _, s := range sampleRuns {
		t.Run(s.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := runCLI(t, append(append([]string{"plan"}, samplePaths(s.files)...), "-o", dir)...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			corpus := outputText(t, dir)
			checkNoSourceKeys(t, corpus)
			for name, text := range corpus {
				if loc := internalKey.FindStringIndex(text); loc != nil {
					lo, hi := max(0, loc[0]-60), min(len(text), loc[1]+60)
					t.Errorf("%s carries an internal key: …%s…", name, text[lo:hi])
				}
			}

			var doc planSources
			data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			listed := map[string]bool{}
			for _, e := range doc.Sources {
				listed[e.Key] = true
				if e.Title == "" || e.Publisher == "" || (e.URL == "" && e.Note == "") {
					t.Errorf("plan.json source %q lacks a title, publisher, or URL/note: %+v", e.Key, e)
				}
				if planner.SourceByKey(e.Key) == nil {
					t.Errorf("plan.json lists %q, which is not in the bibliography", e.Key)
				}
			}
			if len(doc.Sources) == 0 {
				t.Fatal("plan.json lists no sources")
			}
			for _, f := range doc.Findings {
				if len(f.Sources) == 0 && f.Basis != string(planner.BasisInferred) {
					t.Errorf("finding %s cites no source", f.ID)
				}
				for _, k := range f.Sources {
					if !listed[k] {
						t.Errorf("finding %s cites %q, which plan.json's sources do not list", f.ID, k)
					}
				}
			}
			tag := regexp.MustCompile(`\[([A-Z0-9-]+)((?:; [^\]]*)?)\]$`)
			for _, pa := range doc.Paths {
				for _, n := range pa.Notes {
					m := tag.FindStringSubmatch(n)
					if m == nil {
						continue
					}
					for _, part := range strings.Split(strings.TrimPrefix(m[2], "; "), "; ") {
						for _, k := range strings.Split(part, ", ") {
							if k != "" && k != "inferred" && !listed[k] {
								t.Errorf("note %q cites %q, which plan.json's sources do not list", n, k)
							}
						}
					}
				}
			}

			// Short citations in the PDF and the HTML number into the
			// same bibliography, which both end with.
			if pdf, ok := corpus["report.pdf"]; ok {
				i := strings.LastIndex(pdf, "Every publication the rules of this document rest on")
				if i < 0 {
					t.Error("report.pdf has no Sources list")
				}
				for _, m := range citation.FindAllStringSubmatch(pdf, -1) {
					for _, n := range strings.Split(m[1], ", ") {
						if k, _ := strconv.Atoi(n); k < 1 || k > len(doc.Sources) {
							t.Errorf("report.pdf cites [%s]; its bibliography has %d entries", n, len(doc.Sources))
						}
					}
				}
				flat := strings.Join(strings.Fields(pdf[max(i, 0):]), " ")
				for _, e := range doc.Sources {
					if words := strings.Fields(e.Title); !strings.Contains(flat, strings.Join(words[:min(3, len(words))], " ")) {
						t.Errorf("report.pdf's source list lacks %q", e.Title)
					}
				}
			}
			page := corpus["report.html"]
			for _, m := range regexp.MustCompile(`href="#src-(\d+)"`).FindAllStringSubmatch(page, -1) {
				if !strings.Contains(page, `id="src-`+m[1]+`"`) {
					t.Errorf("report.html links #src-%s, which is not in its source list", m[1])
				}
			}
			for _, e := range doc.Sources {
				if !strings.Contains(html.UnescapeString(page), e.Title) {
					t.Errorf("report.html's source list lacks %q", e.Title)
				}
			}
			var sheet string
			for name, text := range corpus {
				if strings.HasPrefix(name, "checklist.xlsx:") {
					sheet += html.UnescapeString(text)
				}
			}
			for _, f := range doc.Findings {
				for _, k := range f.Sources {
					if src := planner.SourceByKey(k); src != nil && !strings.Contains(sheet, src.Title) {
						t.Errorf("checklist.xlsx lacks the source %q of %s", src.Title, f.ID)
					}
				}
			}
		})
	}
}

// TestRulesLongCitesEverySource: "coexist rules --long" lists every rule
// with its sources in full, and every short citation resolves to the
// numbered list it prints.
func TestRulesLongCitesEverySource(t *testing.T) {
	code, out, stderr := runCLI(t, "rules", "--long")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if loc := internalKey.FindStringIndex(out); loc != nil {
		t.Errorf("rules --long carries an internal key: %q", out[max(0, loc[0]-40):min(len(out), loc[1]+40)])
	}
	i := strings.LastIndex(out, "\nSources:\n")
	if i < 0 {
		t.Fatal("rules --long prints no source list")
	}
	entries := regexp.MustCompile(`(?m)^  \[(\d+)\] (.+)$`).FindAllStringSubmatch(out[i:], -1)
	for _, m := range citation.FindAllStringSubmatch(out[:i], -1) {
		for _, n := range strings.Split(m[1], ", ") {
			if k, _ := strconv.Atoi(n); k < 1 || k > len(entries) {
				t.Errorf("rules cites [%s]; the list has %d entries", n, len(entries))
			}
		}
	}
	for _, r := range planner.Rules() {
		for _, s := range planner.SourcesOf(r.Sources) {
			if !strings.Contains(out, s.Citation()) {
				t.Errorf("rules --long lacks %s's source %q", r.ID, s.Citation())
			}
		}
		if !strings.Contains(out, r.ID+" — "+r.Title) {
			t.Errorf("rules --long lacks %s", r.ID)
		}
	}
}

// TestPathNotesCiteByNumber: the notes of "coexist path", diff.html,
// diff.xlsx and diff.pdf name their rule and cite its sources by number
// into the output's source list (or in a Sources column), never by key.
func TestPathNotesCiteByNumber(t *testing.T) {
	sample := func(name string) string { return filepath.Join("..", "..", "samples", name) }
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "whatif", sample("s1-contoso.toml"), sample("variants/s1-before.toml"),
		"--edits", sample("edits/s1-move-namespaces.toml"), "-o", dir); code != 0 && code != 3 {
		t.Fatalf("whatif: exit %d: %s", code, stderr)
	}
	corpus := outputText(t, dir)
	checkNoSourceKeys(t, corpus)
	page := html.UnescapeString(corpus["diff.html"])
	if !regexp.MustCompile(`\[PATH-[A-Z0-9-]+\] <a class="cite" href="#src-\d+"`).MatchString(page) {
		t.Error("diff.html: no path note cites its rule's sources by number")
	}

	code, out, stderr := runCLI(t, "path", sample("s1-contoso.toml"), "--user", "orange")
	if code != 0 {
		t.Fatalf("path: exit %d: %s", code, stderr)
	}
	checkNoSourceKeys(t, map[string]string{"path": out})
	listed := len(regexp.MustCompile(`(?m)^  \[\d+\] `).FindAllString(out, -1))
	notes := regexp.MustCompile(`(?m)^  - .* \[[A-Z0-9-]+(?:, inferred)?\] \[(\d+(?:, \d+)*)\]$`).FindAllStringSubmatch(out, -1)
	if len(notes) == 0 {
		t.Fatalf("path: no note cites by number:\n%s", out)
	}
	for _, m := range notes {
		for _, n := range strings.Split(m[1], ", ") {
			if k, _ := strconv.Atoi(n); k < 1 || k > listed {
				t.Errorf("path: a note cites [%s]; the source list has %d entries", n, listed)
			}
		}
	}
}
