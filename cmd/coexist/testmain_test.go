package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain points the user's configuration folder at a temporary one, so
// that no test writes a redaction key into the real one.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "coexist-config-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("XDG_CONFIG_HOME", dir) // Linux and the BSDs
	os.Setenv("AppData", dir)         // Windows
	code := m.Run()
	os.RemoveAll(dir)
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// builtDir holds the coexist binary the subprocess tests build, if any.
var builtDir string
