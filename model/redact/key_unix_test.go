//go:build unix

package redact

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestUserKey: the key is created once, 0600 in a 0700 folder, and read
// back unchanged; a key others could read or write, a symbolic link, a
// malformed key or one owned by someone else is refused.
func TestUserKey(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantErr string // "" = a key
	}{
		{"new", func(*testing.T, string) {}, ""},
		{"folder open to others", func(t *testing.T, dir string) {
			must(t, os.Mkdir(dir, 0o755))
			must(t, os.Chmod(dir, 0o777))
		}, ""},
		{"key readable by others", func(t *testing.T, dir string) {
			writeKey(t, dir, strings.Repeat("ab", 32), 0o644)
		}, "open to others"},
		{"key a symbolic link", func(t *testing.T, dir string) {
			must(t, os.MkdirAll(dir, 0o700))
			other := filepath.Join(t.TempDir(), "k")
			must(t, os.WriteFile(other, []byte(strings.Repeat("ab", 32)), 0o600))
			must(t, os.Symlink(other, filepath.Join(dir, KeyFile)))
		}, "not a regular file"},
		{"folder a symbolic link", func(t *testing.T, dir string) {
			must(t, os.Symlink(t.TempDir(), dir))
		}, "not a folder of your own"},
		{"malformed key", func(t *testing.T, dir string) {
			writeKey(t, dir, "secret", 0o600)
		}, "64 hexadecimal digits"},
		{"key owned by someone else", func(t *testing.T, dir string) {
			needRoot(t)
			writeKey(t, dir, strings.Repeat("ab", 32), 0o600)
			must(t, os.Chown(filepath.Join(dir, KeyFile), 65534, 65534))
		}, "belongs to another user"},
		{"folder owned by someone else", func(t *testing.T, dir string) {
			needRoot(t)
			must(t, os.Mkdir(dir, 0o700))
			must(t, os.Chown(dir, 65534, 65534))
		}, "not a folder of your own"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "coexist")
			tc.setup(t, dir)
			key, err := UserKey(dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("UserKey: got %q, %v; want an error with %q", key, err, tc.wantErr)
				}
				return
			}
			if err != nil || len(key) != 64 {
				t.Fatalf("UserKey: got %q, %v; want 64 hexadecimal digits", key, err)
			}
			for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, KeyFile): 0o600} {
				if st, err := os.Stat(path); err != nil || st.Mode().Perm() != want {
					t.Errorf("%s: got %v, %v; want mode %04o", path, st.Mode().Perm(), err, want)
				}
			}
			if again, err := UserKey(dir); again != key || err != nil {
				t.Errorf("second UserKey: got %q, %v; want the first key %q", again, err, key)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("folder holds %d entries, want the key alone", len(entries))
			}
		})
	}
}

// TestUserKeyConcurrent: runs that create the key at the same time agree
// on one.
func TestUserKeyConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "coexist")
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := UserKey(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if k != keys[0] {
			t.Fatalf("keys differ: %q", keys)
		}
	}
}

func writeKey(t *testing.T, dir, key string, mode os.FileMode) {
	t.Helper()
	must(t, os.MkdirAll(dir, 0o700))
	path := filepath.Join(dir, KeyFile)
	must(t, os.WriteFile(path, []byte(key+"\n"), mode))
	must(t, os.Chmod(path, mode))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func needRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a file to another user")
	}
}
