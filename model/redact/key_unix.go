//go:build unix

package redact

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// privateDir checks that dir is this user's own folder (not a symbolic
// link) and closes it to others.
func privateDir(dir string) error {
	st, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("redaction key: %w", err)
	}
	if !st.IsDir() || !ownedBy(st, os.Geteuid()) {
		return fmt.Errorf("redaction key folder %s is not a folder of your own: remove it or pass --redact-salt", dir)
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("redaction key: %w", err)
		}
	}
	return nil
}

// privateFile checks that the key file is this user's and that nobody
// else may read or change it.
func privateFile(path string, st fs.FileInfo) error {
	if !ownedBy(st, os.Geteuid()) {
		return fmt.Errorf("redaction key %s belongs to another user: remove it (a new key is created)", path)
	}
	if m := st.Mode().Perm(); m&0o077 != 0 {
		return fmt.Errorf("redaction key %s is open to others (mode %04o): others may know it; remove it (a new key is created; earlier pseudonyms change)", path, m)
	}
	return nil
}

func ownedBy(st fs.FileInfo, uid int) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == uid
}
