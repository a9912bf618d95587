//go:build unix

package wasmcache

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPrivateDir: the cache folder is created 0700 under the user's cache
// directory; a folder that is not the user's own, or a symbolic link, is
// never used.
func TestPrivateDir(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  bool // the private folder is used
	}{
		{"new", func(t *testing.T, dir string) {}, true},
		{"existing, too open", func(t *testing.T, dir string) {
			mkdir(t, dir, 0o777)
			os.Chmod(dir, 0o777)
		}, true},
		{"symbolic link", func(t *testing.T, dir string) {
			other := t.TempDir()
			if err := os.Symlink(other, dir); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a file", func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"owned by someone else", func(t *testing.T, dir string) {
			needRoot(t)
			mkdir(t, dir, 0o700)
			chownNobody(t, dir)
		}, false},
		{"go-graphviz folder owned by someone else", func(t *testing.T, dir string) {
			needRoot(t)
			mkdir(t, filepath.Join(dir, "go-graphviz"), 0o755)
			chownNobody(t, filepath.Join(dir, "go-graphviz"))
		}, false},
		{"cached code owned by someone else", func(t *testing.T, dir string) {
			needRoot(t)
			mkdir(t, filepath.Join(dir, "go-graphviz", "wazero-v1.8.1-amd64-linux"), 0o700)
			chownNobody(t, filepath.Join(dir, "go-graphviz", "wazero-v1.8.1-amd64-linux"))
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cache := t.TempDir()
			t.Setenv("XDG_CACHE_HOME", cache)
			t.Setenv("HOME", cache)
			dir := filepath.Join(cache, name)
			tc.setup(t, dir)
			got := privateDir()
			if tc.want {
				if got != dir {
					t.Fatalf("privateDir() = %q, want %q", got, dir)
				}
				st, err := os.Stat(dir)
				if err != nil || st.Mode().Perm() != 0o700 {
					t.Fatalf("%s: %v, %v; want a 0700 directory", dir, st.Mode(), err)
				}
			} else if got != off {
				t.Fatalf("privateDir() = %q, want %q (no cache)", got, off)
			}
		})
	}
}

func mkdir(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(dir, mode); err != nil {
		t.Fatal(err)
	}
}

func needRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a folder to another user")
	}
}

func chownNobody(t *testing.T, p string) {
	t.Helper()
	if err := os.Chown(p, 65534, 65534); err != nil {
		t.Fatal(err)
	}
}
