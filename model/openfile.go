package model

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// OpenFile opens an input file for reading. It refuses what is not a
// regular file or a directory (which the caller reports in its own
// words): reading a named pipe or a terminal would wait for a writer
// forever, and a device has no end. The file is opened without
// blocking, so a named pipe is refused rather than waited on.
func OpenFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if what := special(st.Mode()); what != "" {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("is %s, not a file: give a regular file, or - for standard input", what)}
	}
	return f, nil
}

// special names a file mode that is neither a regular file nor a
// directory.
func special(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "not a regular file"
	}
	return ""
}
