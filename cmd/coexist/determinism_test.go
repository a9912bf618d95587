package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestDeterministicOutputs plans every sample twice and compares every
// output byte for byte: change boards diff these files.
func TestDeterministicOutputs(t *testing.T) {
	for _, s := range sampleRuns {
		t.Run(s.name, func(t *testing.T) {
			var dirs [2]string
			for i := range dirs {
				dirs[i] = filepath.Join(t.TempDir(), "out")
				code, _, stderr := runCLI(t, append(append([]string{"plan"}, samplePaths(s.files)...), "-o", dirs[i])...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
			}
			a, b := listFiles(t, dirs[0]), listFiles(t, dirs[1])
			if len(a) < 4 {
				t.Fatalf("only %d outputs: %v", len(a), a)
			}
			if len(a) != len(b) {
				t.Fatalf("different file sets: %v vs %v", a, b)
			}
			for i, name := range a {
				if b[i] != name {
					t.Fatalf("different file sets: %v vs %v", a, b)
				}
				x, _ := os.ReadFile(filepath.Join(dirs[0], name))
				y, _ := os.ReadFile(filepath.Join(dirs[1], name))
				if !bytes.Equal(x, y) {
					t.Errorf("%s differs between two runs", name)
				}
			}
		})
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}
