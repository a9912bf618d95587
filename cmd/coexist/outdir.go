package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// outDir stages a command's outputs in a temporary directory beside the
// destination and moves them into place only when every file was written,
// so a failed or interrupted run leaves a previous DIR as it was.
type outDir struct {
	dest string
	tmp  string
}

func newOutDir(dest string) (*outDir, error) {
	dest = filepath.Clean(dest)
	if st, err := os.Stat(dest); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("%s exists and is not a directory", dest)
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("create temporary output directory: %w", err)
	}
	return &outDir{dest: dest, tmp: tmp}, nil
}

// safeName reduces a name derived from inventory data to a plain file name:
// no directories, no leading dots, only portable characters.
func safeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if len(s) > 100 {
		s = s[:100]
	}
	if s == "" {
		s = "_"
	}
	return s
}

// write writes one file (name must be a plain file name) into the staging
// directory.
func (o *outDir) write(name string, data []byte) error {
	if name != safeName(name) {
		return fmt.Errorf("refusing unsafe output file name %q", name)
	}
	return os.WriteFile(filepath.Join(o.tmp, name), data, 0o644)
}

// create opens a file in the staging directory for streaming.
func (o *outDir) create(name string) (*os.File, error) {
	if name != safeName(name) {
		return nil, fmt.Errorf("refusing unsafe output file name %q", name)
	}
	return os.Create(filepath.Join(o.tmp, name))
}

// stream writes one file through a buffered writer function.
func (o *outDir) stream(name string, write func(io.Writer) error) error {
	f, err := o.create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// commit replaces dest with the staged directory.
func (o *outDir) commit() error {
	old := ""
	if _, err := os.Stat(o.dest); err == nil {
		old = o.tmp + ".old"
		if err := os.Rename(o.dest, old); err != nil {
			return fmt.Errorf("replace %s: %w", o.dest, err)
		}
	}
	if err := os.Rename(o.tmp, o.dest); err != nil {
		if old != "" {
			os.Rename(old, o.dest)
		}
		return fmt.Errorf("move outputs into %s: %w", o.dest, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// abort removes the staging directory.
func (o *outDir) abort() { os.RemoveAll(o.tmp) }
