//go:build unix

package load

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFiles (D12, D14): a named pipe or a device given as an
// inventory or a mailbox CSV is refused at once (reading a pipe would wait
// forever), and a file named on the command line is named once.
func TestSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	base, err := os.ReadFile(filepath.Join("..", "..", "samples", "s1-contoso.toml"))
	if err != nil {
		t.Fatal(err)
	}
	inv := filepath.Join(dir, "inv.toml")
	if err := os.WriteFile(inv, base, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.csv")
	type special struct {
		name  string
		paths []string
		want  string
	}
	cases := []special{
		{"named pipe as inventory", []string{fifo}, fifo + ": cannot read: is a named pipe, not a file"},
		{"named pipe as mailbox CSV", []string{inv, strings.TrimSuffix(fifo, ".toml") + ".csv"}, "is a named pipe, not a file"},
		{"device as mailbox CSV", []string{inv, "/dev/null"}, "/dev/null: cannot read: is a device, not a file"},
		{"missing CSV named once", []string{inv, missing}, missing + ": cannot read: no such file or directory"},
	}
	// A file that opens but fails to read (a read error, not a CSV
	// problem): positioned where the inventory names it, named once.
	if _, err := os.Stat("/proc/self/mem"); err == nil {
		ref := filepath.Join(dir, "mem.toml")
		if err := os.WriteFile(ref, append([]byte("mailboxes_csv = [\"/proc/self/mem\"]\n"), base...), 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases,
			special{"unreadable CSV named by the inventory", []string{ref}, ref + ":1:18: /proc/self/mem: cannot read: input/output error"},
			special{"unreadable inventory", []string{"/proc/self/mem"}, "/proc/self/mem: cannot read: input/output error"})
	}
	os.Rename(fifo, strings.TrimSuffix(fifo, ".toml")+".csv")
	syscall.Mkfifo(fifo, 0o600)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, _, err := Load(tc.paths, Options{})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want %q", err, tc.want)
				}
				if strings.Count(err.Error(), filepath.Base(tc.paths[len(tc.paths)-1])) > 1 {
					t.Errorf("the file is named twice: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Load blocked on a special file")
			}
		})
	}
}

// TestMessageNits (D14): UTF-32 is called UTF-32, and standard input
// named twice is said to be so (it was "file is empty").
func TestMessageNits(t *testing.T) {
	dir := t.TempDir()
	utf32 := filepath.Join(dir, "utf32.csv")
	var b []byte
	for _, r := range "name,database\n" {
		b = append(b, byte(r), 0, 0, 0)
	}
	if err := os.WriteFile(utf32, b, 0o644); err != nil {
		t.Fatal(err)
	}
	crCSV := filepath.Join(dir, "cr.csv")
	if err := os.WriteFile(crCSV, []byte("name,database\r\nzed,DB1\rmary,DB2\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	year0 := filepath.Join(dir, "year0.toml")
	if err := os.WriteFile(year0, []byte("[organization]\nname = \"x\"\nas_of = 0000-01-01\ncutover_date = 10:00:00\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := filepath.Join("..", "..", "samples", "s1-contoso.toml")
	for _, tc := range []struct {
		paths []string
		stdin string
		want  string
	}{
		{[]string{inv, utf32}, "", "utf32.csv:1:1: file is UTF-32: save it as UTF-8"},
		{[]string{"-", "-"}, "[organization]\nname = \"x\"\n", "-: standard input is given twice"},
		{[]string{inv, crCSV}, "", "cr.csv:2:1: row has 3 fields, header has 2 (lines are separated by a carriage return alone"},
		{[]string{year0}, "", "year0.toml:4:1: cutover_date: want a string, got a time of day"},
	} {
		_, _, err := Load(tc.paths, Options{Stdin: strings.NewReader(tc.stdin)})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.paths, err, tc.want)
		}
		if tc.paths[0] == year0 && strings.Contains(err.Error(), "as_of: want a string, got a time of day") {
			t.Errorf("the date 0000-01-01 is called a time of day: %v", err)
		}
	}
}
