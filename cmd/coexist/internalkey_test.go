package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInternalKeyPattern: the pattern the output tests use catches every
// kind of working-note label and leaves ordinary prose alone.
func TestInternalKeyPattern(t *testing.T) {
	for _, s := range []string{
		"see seed 004", "Seeds 012 and 013", "MS S22", "FIELD T6",
		"coexistence-rules.md", "../shared/style.md", "shared/domain/scenarios.md",
		"shared/reviews/outputs.md", "shared/seeds/README", "shared/fixtures/x.toml",
		"(scenario S2, section 2f)", "§2f", "§ 3", "INFER",
	} {
		if !internalKey.MatchString(s) {
			t.Errorf("internalKey misses %q", s)
		}
	}
	for _, s := range []string{
		"FuzzLoadTOML's seeds are", "Section 4 lists the findings", "shared mailbox",
		"inferred", "the report section of each protocol", "Exchange 2016 CU11",
	} {
		if internalKey.MatchString(s) {
			t.Errorf("internalKey matches ordinary text %q", s)
		}
	}
}

// TestShippedTextsCiteNoInternalKey: the samples, docs/ and README.md, which
// ship with the product, point only to files inside the repository and
// never to the working notes' keys or section numbers.
func TestShippedTextsCiteNoInternalKey(t *testing.T) {
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "README.md")}
	for _, dir := range []string{"samples", "docs"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".toml") || strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".csv")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found %d files to check, want the samples and docs", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if loc := internalKey.FindStringIndex(line); loc != nil {
				t.Errorf("%s:%d: internal key %q: %s", f, i+1, line[loc[0]:loc[1]], line)
			}
		}
	}
}
