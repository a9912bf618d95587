package planner

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// internalKey matches the labels of the project's working notes ("seed
// 004", "MS S22", "FIELD T6", "INFER", "section 2f", paths under
// ../shared), which a reader cannot look up.
var internalKey = regexp.MustCompile(`(?i)\bseeds? [0-9]{3}\b|\bMS S[0-9]+|\bFIELD T[0-9]+|coexistence-rules\.md|\.\./shared\b|\bshared/(domain|reviews|seeds|fixtures)\b|\bsection [0-9][a-z]\b|§ ?[0-9]|\bINFER\b`)

// TestBibliographyWellFormed: every entry has a key, a title, a publisher,
// a kind, and either a web address or a note saying it is unconfirmed.
func TestBibliographyWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Sources() {
		if seen[s.Key] {
			t.Errorf("duplicate source key %q", s.Key)
		}
		seen[s.Key] = true
		if !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`).MatchString(s.Key) {
			t.Errorf("source key %q: want lower-case words joined by hyphens", s.Key)
		}
		if s.Title == "" || s.Publisher == "" {
			t.Errorf("%s: title %q publisher %q: both are needed to find it", s.Key, s.Title, s.Publisher)
		}
		if s.Kind != BasisDocumented && s.Kind != BasisPractitioner {
			t.Errorf("%s: kind %q, want documented or practitioner", s.Key, s.Kind)
		}
		if s.URL == "" && s.Note == "" {
			t.Errorf("%s: no URL and no note saying why", s.Key)
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
			t.Errorf("%s: URL %q is not a web address", s.Key, s.URL)
		}
		if internalKey.MatchString(s.Citation()) {
			t.Errorf("%s: citation carries an internal key: %s", s.Key, s.Citation())
		}
	}
}

// TestEveryCitationResolves: every rule (path and check rules) and every
// client step cites keys the bibliography has, and rules that are not
// inferred cite at least one.
func TestEveryCitationResolves(t *testing.T) {
	for _, r := range Rules() {
		if len(r.Sources) == 0 && !r.Inferred {
			t.Errorf("rule %s cites no source and is not marked inferred", r.ID)
		}
		for _, k := range r.Sources {
			if SourceByKey(k) == nil {
				t.Errorf("rule %s cites %q, which is not in the bibliography", r.ID, k)
			}
		}
		for _, text := range []string{r.Title, r.Doc} {
			if internalKey.MatchString(text) {
				t.Errorf("rule %s text carries an internal key: %q", r.ID, text)
			}
		}
	}
	for _, keys := range [][]string{srcOutlookRestart, srcMapiSwitch, srcDeviceResync} {
		for _, k := range keys {
			if SourceByKey(k) == nil {
				t.Errorf("client step cites %q, which is not in the bibliography", k)
			}
		}
	}
}

// TestBasis: a rule's basis follows its sources and the inferred mark.
func TestBasis(t *testing.T) {
	tests := []struct {
		sources  []string
		inferred bool
		want     Basis
	}{
		{[]string{"kb3140410"}, false, BasisDocumented},
		{[]string{"byronwright-coexistence-notes"}, false, BasisPractitioner},
		{[]string{"byronwright-coexistence-notes", "kb3140410"}, false, BasisDocumented},
		{[]string{"kb3140410"}, true, BasisInferred},
		{nil, true, BasisInferred},
	}
	for _, tt := range tests {
		r := &Rule{ID: "X", Sources: tt.sources, Inferred: tt.inferred}
		if got := r.Basis(); got != tt.want {
			t.Errorf("sources %v inferred %v: got %s, want %s", tt.sources, tt.inferred, got, tt.want)
		}
	}
	if got := RuleByID("PATH-2A-OA").Basis(); got != BasisPractitioner {
		t.Errorf("PATH-2A-OA rests on a practitioner article only: got %s", got)
	}
}

// TestNoteCitations: a path note's tag becomes the rule ID with numbered
// citations, or the rule ID alone; other brackets are left as they are.
func TestNoteCitations(t *testing.T) {
	r := RuleByID("PATH-2D-PROXY")
	if r == nil || len(r.Sources) == 0 {
		t.Fatal("PATH-2D-PROXY missing or without sources")
	}
	note := "Proxies to [2001:db8::1] over TLS [1.2]. " + r.Tag()
	bib := NewBibliography(r.Sources)
	want := "Proxies to [2001:db8::1] over TLS [1.2]. [PATH-2D-PROXY] " + bib.Cite(r.Sources)
	if got := bib.Note(note); got != want {
		t.Errorf("Note = %q, want %q", got, want)
	}
	if got, want := NoteForReader(note), "Proxies to [2001:db8::1] over TLS [1.2]. [PATH-2D-PROXY]"; got != want {
		t.Errorf("NoteForReader = %q, want %q", got, want)
	}
	if got := NoteSources(note); !slices.Equal(got, r.Sources) {
		t.Errorf("NoteSources = %q, want %q", got, r.Sources)
	}
	inf := &Rule{ID: "PATH-RPC-2007", Inferred: true}
	if got, want := NoteForReader("x "+inf.Tag()), "x [PATH-RPC-2007, inferred]"; got != want {
		t.Errorf("inferred: %q, want %q", got, want)
	}
	if got := bib.Note("[NOT-A-RULE; ms-ex2013-cas]"); got != "[NOT-A-RULE; ms-ex2013-cas]" {
		t.Errorf("unknown rule rewritten: %q", got)
	}
}

// TestNoteTagsEndTheirNote: in every sample, a path note that cites a rule
// ends with its tag, so that outputs turn it into a short citation at the
// end of the sentence (report.html links "[3]" only there).
func TestNoteTagsEndTheirNote(t *testing.T) {
	for _, s := range []string{"s1-contoso.toml", "s2-2007-2010.toml", "s3-2013-2010.toml", "s4-2016-2010.toml", "s5-tls.toml"} {
		p := Run(loadSample(t, s), Options{})
		seen := map[string]bool{}
		for _, co := range p.Cohorts {
			for _, pa := range co.Paths {
				for _, n := range pa.Notes {
					if seen[n] {
						continue
					}
					seen[n] = true
					if locs := noteTag.FindAllStringIndex(n, -1); len(locs) > 0 && locs[len(locs)-1][1] != len(n) {
						t.Errorf("%s: a note's tag is not at its end: %q", s, n)
					}
				}
			}
		}
	}
}
