package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// runCLI runs the command line in-process.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/coexist -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs from the golden file at line %d:\n got  %s\n want %s\n(run go test ./cmd/coexist -update after a deliberate change)", name, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs from the golden file in length: got %d lines, want %d", name, len(gl), len(wl))
	}
}

// sampleRuns are every sample and variant combination, planned end to end.
var sampleRuns = []struct {
	name  string
	files []string
}{
	{"s1", []string{"s1-contoso.toml"}},
	{"s1-before", []string{"s1-contoso.toml", "variants/s1-before.toml"}},
	{"s2", []string{"s2-2007-2010.toml"}},
	{"s2b", []string{"s2-2007-2010.toml", "variants/s2b-expr-server.toml"}},
	{"s3", []string{"s3-2013-2010.toml"}},
	{"s3b", []string{"s3-2013-2010.toml", "variants/s3b-oa-disabled.toml"}},
	{"s3c", []string{"s3-2013-2010.toml", "variants/s3c-basic-only.toml"}},
	{"s4", []string{"s4-2016-2010.toml"}},
	{"s5", []string{"s5-tls.toml"}},
	{"s5b", []string{"s5-tls.toml", "variants/s5-goal-b.toml"}},
	// Audit overlays (testdata/audit at the repository root).
	{"s5-audit-k-os", []string{"s5-tls.toml", "../testdata/audit/K-os.toml"}},
}

func samplePaths(files []string) []string {
	var out []string
	for _, f := range files {
		out = append(out, filepath.Join("..", "..", "samples", f))
	}
	return out
}

// TestSamplesGolden plans every sample through run(...) and compares
// plan.json with its golden file, so samples never go stale.
func TestSamplesGolden(t *testing.T) {
	for _, s := range sampleRuns {
		t.Run(s.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, append(append([]string{"plan"}, samplePaths(s.files)...), "-o", dir)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got, err := os.ReadFile(filepath.Join(dir, "plan.json"))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, s.name+".plan.json", got)
		})
	}
}

func TestValidateSamples(t *testing.T) {
	matches, _ := filepath.Glob(filepath.Join("..", "..", "samples", "*.toml"))
	if len(matches) < 5 {
		t.Fatalf("got %d samples, want at least 5", len(matches))
	}
	for _, m := range matches { // each sample is one organization's inventory
		code, stdout, stderr := runCLI(t, "validate", m)
		if code != 0 {
			t.Errorf("%s: exit %d: %s%s", m, code, stdout, stderr)
		}
	}
}

// TestValidatePrintsOverrides (outputs review item 8): validating a
// sample with its overlay names, on stderr, each value the overlay
// changes, with both positions; a sample alone prints none.
func TestValidatePrintsOverrides(t *testing.T) {
	s3 := filepath.Join("..", "..", "samples", "s3-2013-2010.toml")
	s3b := filepath.Join("..", "..", "samples", "variants", "s3b-oa-disabled.toml")
	code, _, stderr := runCLI(t, "validate", s3, s3b)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(s3b) + `:\d+:\d+: note: overrides \[\[servers\]\] Exc2010-BR of ` + regexp.QuoteMeta(s3) + `:\d+:\d+: outlook_anywhere\.enabled$`)
	if !want.MatchString(stderr) {
		t.Errorf("stderr %q: want the override of Exc2010-BR's outlook_anywhere.enabled", stderr)
	}
	if _, _, stderr := runCLI(t, "validate", s3); stderr != "" {
		t.Errorf("one file: stderr %q, want none", stderr)
	}
}

// TestValidateBroken: a broken copy of a sample yields one positioned
// message per problem and exit 1.
func TestValidateBroken(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "samples", "s1-contoso.toml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	replace := func(old, new string) {
		t.Helper()
		if !strings.Contains(s, old) {
			t.Fatalf("sample no longer contains %q", old)
		}
		s = strings.Replace(s, old, new, 1)
	}
	replace(`site = "Site3"`, `site = "Site9"`)                                              // dangling site
	replace(`name = "CAS2010-2"`, `name = "CAS2010-1"`)                                      // duplicate server
	replace(`build = "14.3.513.0"`, `build = "14.3.513"`)                                    // bad build string
	replace(`cutover_date = "2027-06-30"`, "cutover_date = \"2027-06-30\"\ncutover_dat = 1") // unknown key
	dir := t.TempDir()
	inv := filepath.Join(dir, "broken.toml")
	if err := os.WriteFile(inv, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "more.csv")
	if err := os.WriteFile(csv, []byte("name,database\nzed,NO-SUCH-DB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "validate", inv, csv)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	want := []string{
		`unknown key "cutover_dat" in [organization] (did you mean "cutover_date"?)`,
		`site "Site9" is not a declared site`,
		`duplicate server "CAS2010-1"`,
		`invalid build "14.3.513"`,
		`mailbox "zed" database "NO-SUCH-DB" is not a declared database`,
	}
	for _, w := range want {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, w) {
				n++
				if !strings.HasPrefix(l, inv+":") && !strings.HasPrefix(l, csv+":") {
					t.Errorf("not positioned: %s", l)
				}
			}
		}
		if n != 1 {
			t.Errorf("got %d messages containing %q, want 1:\n%s", n, w, stderr)
		}
	}
}

func TestPathGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"s1-orange-owa.txt", []string{"s1-contoso.toml", "--user", "orange", "--protocol", "owa"}},
		{"s1-red.txt", []string{"s1-contoso.toml", "--user", "red", "--location", "external"}},
		{"s4-alice-oa.txt", []string{"s4-2016-2010.toml", "--user", "alice", "--protocol", "outlook-anywhere"}},
		{"s3b-mary-oa.json", []string{"s3-2013-2010.toml", "variants/s3b-oa-disabled.toml", "--user", "mary", "--protocol", "outlook-anywhere", "--json"}},
		// Audit overlays (testdata/audit at the repository root).
		{"s1-e2-blue-pop3.txt", []string{"s1-contoso.toml", "../testdata/audit/E2-pop-stopped-second.toml", "--user", "blue", "--protocol", "pop3"}},
		{"s1-red-pop3.txt", []string{"s1-contoso.toml", "--user", "red", "--protocol", "pop3"}},
		// Authentication negotiated per hop (audit #3, #15–#17, #21).
		{"s1-a-purple-oa.txt", []string{"s1-contoso.toml", "../testdata/audit/A-splitbrain.toml", "--user", "purple", "--protocol", "outlook-anywhere"}},
		{"s1-before-blue-oa.txt", []string{"s1-contoso.toml", "variants/s1-before.toml", "--user", "blue", "--protocol", "outlook-anywhere"}},
		{"s2-mismatch-ben-oa.txt", []string{"s2-2007-2010.toml", "../testdata/audit/S2-mismatch.toml", "--user", "ben", "--protocol", "outlook-anywhere"}},
		{"s2b-amy-oa.txt", []string{"s2-2007-2010.toml", "variants/s2b-expr-server.toml", "--user", "amy", "--protocol", "outlook-anywhere"}},
		{"s3-g-john-oa.txt", []string{"s3-2013-2010.toml", "../testdata/audit/G-2013-basic-iis.toml", "--user", "john", "--protocol", "outlook-anywhere"}},
		{"s3-gh-john-oa.txt", []string{"s3-2013-2010.toml", "../testdata/audit/G-2013-basic-iis.toml", "../testdata/audit/H-inconsistent.toml", "--user", "john", "--protocol", "outlook-anywhere"}},
		{"s3c-john-oa.txt", []string{"s3-2013-2010.toml", "variants/s3c-basic-only.toml", "--user", "john", "--protocol", "outlook-anywhere"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var args []string
			for _, a := range c.args {
				if strings.HasSuffix(a, ".toml") {
					a = filepath.Join("..", "..", "samples", a)
				}
				args = append(args, a)
			}
			code, stdout, stderr := runCLI(t, append([]string{"path"}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, c.name, []byte(stdout))
		})
	}
}

func TestUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage:"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"help", []string{"--help"}, 0, "Commands:"},
		{"command help", []string{"plan", "--help"}, 0, "Examples:"},
		{"plan without -o", []string{"plan", "x.toml"}, 2, "-o DIR is required"},
		{"validate without files", []string{"validate"}, 2, "no inventory files given"},
		{"bad flag", []string{"validate", "--nope", "x.toml"}, 2, "flag provided but not defined"},
		{"path without user", []string{"path", "x.toml"}, 2, "--user is required"},
		{"path bad protocol", []string{"path", "x.toml", "--user", "a", "--protocol", "smtp"}, 2, `unknown protocol "smtp"`},
		{"missing file", []string{"validate", "does-not-exist.toml"}, 1, "does-not-exist.toml: cannot read"},
		{"unknown user", []string{"path", "../../samples/s1-contoso.toml", "--user", "nobody"}, 1, `no mailbox named "nobody"`},
		{"rules", []string{"rules"}, 0, "AUTH-LEGACY-NTLM"},
		// D13: gen's flags are bounded (-o is never reached).
		{"gen too many sites", []string{"gen", "--mailboxes", "100", "--sites", "1000000", "-o", "never"}, 2, "--sites must be between 1 and 1000"},
		{"gen full access 1000", []string{"gen", "--full-access", "1000", "-o", "never"}, 2, "--full-access must be a percentage above 0 and at most 100, got 1000"},
		{"gen full access NaN", []string{"gen", "--full-access", "NaN", "-o", "never"}, 2, "got NaN"},
		{"gen full access negative", []string{"gen", "--full-access", "-1", "-o", "never"}, 2, "got -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			if code != c.code {
				t.Errorf("exit: got %d, want %d\n%s%s", code, c.code, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, c.want) {
				t.Errorf("output does not contain %q:\n%s%s", c.want, stdout, stderr)
			}
		})
	}
}

// TestPlanKeepsPreviousOutputOnFailure: a failing run leaves DIR as it was.
func TestPlanKeepsPreviousOutputOnFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(marker, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, _ := runCLI(t, "plan", "does-not-exist.toml", "-o", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	got, err := os.ReadFile(marker)
	if err != nil || string(got) != "previous" {
		t.Fatalf("previous output changed: %q, %v", got, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("left %d entries next to DIR, want only DIR", len(entries))
	}
}

// TestPlanInterrupted: a run interrupted (Ctrl-C cancels the context)
// while writing outputs leaves a previous DIR intact and no staging
// directory behind.
func TestPlanInterrupted(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if code, _, stderr := runCLI(t, "plan", "../../samples/s1-contoso.toml", "-o", dir); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before := listFiles(t, dir)
	old, _ := os.ReadFile(filepath.Join(dir, "plan.json"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"plan", "../../samples/s4-2016-2010.toml", "-o", dir}, strings.NewReader(""), &out, &errb)
	if code != 1 {
		t.Fatalf("interrupted run: exit %d, want 1\n%s", code, errb.String())
	}
	if got := listFiles(t, dir); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("files changed: %v → %v", before, got)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "plan.json")); !bytes.Equal(now, old) {
		t.Error("plan.json changed by the interrupted run")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left %d entries beside DIR, want only DIR", len(entries))
	}
}
