package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNameCharacters (D11): names are one line of visible text: C1
// controls, bidirectional controls and zero-width spaces are refused like
// C0 controls; zero-width joiners, which Persian and Indic names need, are
// kept.
func TestNameCharacters(t *testing.T) {
	cases := []struct {
		name string
		want string // "" = accepted
	}{
		{"Contoso", ""},
		{"Zürich", ""},
		{"می\u200cخواهم", ""}, // Persian with a zero-width non-joiner
		{"Contoso\u009b2J", "the control character U+009B"},
		{"Site\u00851", "a line break"},
		{"gpj\u202eexe", "the bidirectional control U+202E"},
		{"Site\u20661", "the bidirectional control U+2066"},
		{"Site\u200b1", "the invisible character U+200B"},
		{"Site\ufeff1", "the invisible character U+FEFF"},
		{"Site\u20281", "a line break"},
		{"Site\x7f1", "the control character U+007F"},
		{"Site1\U000E0041", "the invisible character U+E0041"}, // a tag character
		{"Site\u31641", "the invisible character U+3164"},      // Hangul filler
		{"Site\u180e1", "the invisible character U+180E"},      // Mongolian vowel separator (format)
		{"\u0600١٢", ""},     // Arabic number sign: visible
		{"Caf\u00ade", ""},   // soft hyphen: kept, ignored when comparing
		{"☺\ufe0f Team", ""}, // variation selector: kept, ignored when comparing
	}
	for _, tc := range cases {
		got := nameProblem(tc.name)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("nameProblem(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDuplicateNamesUnicode (D11): names that differ only in Unicode form,
// width, case folding or invisible characters are duplicates, and the
// message says so without claiming they differ only by case.
func TestDuplicateNamesUnicode(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "names-base.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		first, second string
		how           string
	}{
		{"Zu\u0308rich", "Z\u00fcrich", "Unicode form"},
		{"Site7", "\u017fite7", "differ only by case"},   // long s: a case variant of s
		{"Site7", "\uff33ite7", "Unicode form"},          // full-width S
		{"straße", "STRASSE", "Unicode form"},            // full case folding
		{"Kiel", "\u212aiel", "differ only by case"},     // Kelvin sign: a case variant of K
		{"Site7", "Site7\u00a0", "spacing"},              // trailing no-break space
		{"Site7", "Site\u200d7", "invisible characters"}, // zero-width joiner
		{"Site7", "Site7\u034f", "invisible characters"}, // combining grapheme joiner
		{"Site7", "Site7\ufe0f", "invisible characters"}, // variation selector
		{"Site7", "Si\u00adte7", "invisible characters"}, // soft hyphen
		{"Site7", "SITE7", "differ only by case"},
	}
	for _, tc := range cases {
		t.Run(tc.second, func(t *testing.T) {
			inv := string(base) + "\n[[sites]]\nname = \"" + tc.first + "\"\n\n[[sites]]\nname = \"" + tc.second + "\"\n"
			p := filepath.Join(t.TempDir(), "dup.toml")
			if err := os.WriteFile(p, []byte(inv), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load([]string{p}, Options{})
			if err == nil {
				t.Fatalf("%q and %q: no duplicate reported", tc.first, tc.second)
			}
			msg := err.Error()
			if !strings.Contains(msg, "duplicate site") || !strings.Contains(msg, tc.how) {
				t.Errorf("got %q, want a duplicate site that %s", msg, tc.how)
			}
			if tc.how != "differ only by case" && strings.Contains(msg, "differ only by case") {
				t.Errorf("got %q: the names differ by more than case", msg)
			}
		})
	}
}
