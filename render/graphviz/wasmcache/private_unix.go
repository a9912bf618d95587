//go:build unix

package wasmcache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// privateDir returns os.UserCacheDir()/coexist when it is (or can be
// made) a directory owned by this user that nobody else can enter, with
// nothing inside go-graphviz's part of it owned by anyone else; otherwise
// off.
func privateDir() string {
	base, err := os.UserCacheDir()
	if err != nil || !filepath.IsAbs(base) {
		return off
	}
	if err := os.MkdirAll(base, 0o700); err != nil {
		return off
	}
	dir := filepath.Join(base, name)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return off
	}
	if !ownDir(dir) {
		return off
	}
	if st, err := os.Lstat(dir); err != nil || st.Mode().Perm()&0o077 != 0 {
		if err != nil || os.Chmod(dir, 0o700) != nil {
			return off
		}
	}
	// Below a folder only this user can enter, only root could have put
	// someone else's files; check go-graphviz's folder and its entries all
	// the same.
	gg := filepath.Join(dir, "go-graphviz")
	if _, err := os.Lstat(gg); err == nil {
		if !ownDir(gg) {
			return off
		}
		entries, err := os.ReadDir(gg)
		if err != nil {
			return off
		}
		for _, e := range entries {
			if !owned(filepath.Join(gg, e.Name())) {
				return off
			}
		}
	}
	return dir
}

// ownDir reports whether p is a directory (not a symbolic link) owned by
// this process's effective user.
func ownDir(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.IsDir() && owned(p)
}

func owned(p string) bool {
	st, err := os.Lstat(p)
	if err != nil || st.Mode()&fs.ModeSymlink != 0 {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == os.Geteuid()
}
