package redact

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is the name of the per-user redaction key in KeyDir.
const KeyFile = "redact-key"

// KeyDir returns the folder of the per-user redaction key:
// os.UserConfigDir()/coexist (~/.config/coexist on Linux).
func KeyDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no folder for the redaction key: %w (pass --redact-salt)", err)
	}
	return filepath.Join(base, "coexist"), nil
}

// UserKey returns the secret that keys the thumbprint pseudonyms when no
// salt is given: 32 random bytes (64 hexadecimal digits) kept in
// dir/KeyFile, created the first time. The same user's redactions stay
// byte-identical from run to run, while nobody without the file can
// recompute a pseudonym from a certificate's public thumbprint.
//
// dir is created 0700 (and closed to others if it was not); the file is
// written 0600 under a temporary name and linked into place, so two runs
// at once agree on one key. A folder or key owned by another user, a
// symbolic link, a key others may read or a malformed key is refused with
// an error naming the file.
func UserKey(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("redaction key: %w", err)
	}
	if err := privateDir(dir); err != nil {
		return "", err
	}
	path := filepath.Join(dir, KeyFile)
	key, err := readKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := createKey(dir, path); err != nil {
		return "", err
	}
	return readKey(path)
}

// createKey writes a new key to path unless one appeared meanwhile.
func createKey(dir, path string) error {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("redaction key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+KeyFile+"-*") // 0600
	if err != nil {
		return fmt.Errorf("redaction key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(b[:]) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path) // never replaces a key
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("redaction key: %w", err)
	}
	return nil
}

// readKey reads and checks the key file at path.
func readKey(path string) (string, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("redaction key %s is not a regular file: remove it (a new key is created)", path)
	}
	if err := privateFile(path, st); err != nil {
		return "", err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("redaction key: %w", err)
	}
	key := strings.TrimSpace(string(data))
	if b, err := hex.DecodeString(key); err != nil || len(b) != 32 {
		return "", fmt.Errorf("redaction key %s: want 64 hexadecimal digits: remove it (a new key is created)", path)
	}
	return key, nil
}
