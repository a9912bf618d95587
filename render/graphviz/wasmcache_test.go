package graphviz

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWasmCacheInitOrder runs this test binary again with a fresh cache
// directory and TMPDIR: go-graphviz's init must have put its compiled code
// into the private cache folder (so package wasmcache initialised first)
// and nothing into TMPDIR, and TMPDIR must be back to the caller's.
func TestWasmCacheInitOrder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("TMPDIR is per user on Windows")
	}
	if os.Getenv("COEXIST_WASMCACHE_CHILD") != "" {
		if got := os.Getenv("TMPDIR"); got != os.Getenv("COEXIST_WASMCACHE_CHILD") {
			t.Fatalf("TMPDIR = %q after init, want it restored to %q", got, os.Getenv("COEXIST_WASMCACHE_CHILD"))
		}
		if _, err := SVG(context.Background(), []byte("digraph { a -> b }")); err != nil {
			t.Fatal(err)
		}
		return
	}
	tmp, cache := t.TempDir(), t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWasmCacheInitOrder$")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "XDG_CACHE_HOME="+cache, "HOME="+cache, "COEXIST_WASMCACHE_CHILD="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("go-graphviz wrote %v into the shared TMPDIR", entries[0].Name())
	}
	if _, err := os.Stat(filepath.Join(cache, "coexist", "go-graphviz")); err != nil {
		t.Errorf("no compilation cache in the private folder: %v", err)
	}
}
