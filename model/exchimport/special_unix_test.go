//go:build unix

package exchimport

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImportNamedPipe (D12): a named pipe in an export folder is
// reported, not read (reading it would wait for a writer forever).
func TestImportNamedPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "GetExchangeServer.xml"), 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := Import(dir)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "GetExchangeServer.xml: cannot read: is a named pipe, not a file") {
			t.Fatalf("got %v, want the pipe refused", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Import blocked on a named pipe")
	}
}
