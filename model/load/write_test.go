package load

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestWriteRoundTrip writes every sample back as TOML (+CSV) and reads it
// again: the inventory must be identical.
func TestWriteRoundTrip(t *testing.T) {
	samples, _ := filepath.Glob("../../samples/*.toml")
	if len(samples) == 0 {
		t.Fatal("no samples")
	}
	for _, s := range samples {
		t.Run(filepath.Base(s), func(t *testing.T) {
			inv, _, err := Load([]string{s}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var b bytes.Buffer
			if err := WriteTOML(&b, inv, WriteOptions{Header: []string{"round trip"}, MailboxesCSV: "m.csv"}); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "inv.toml"), b.Bytes(), 0o644)
			var c bytes.Buffer
			if err := WriteMailboxesCSV(&c, inv.Mailboxes); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "m.csv"), c.Bytes(), 0o644)
			back, _, err := Load([]string{filepath.Join(dir, "inv.toml")}, Options{})
			if err != nil {
				t.Fatalf("reading back: %v\n%s", err, b.String())
			}
			if !reflect.DeepEqual(inv, back) {
				t.Errorf("round trip changed the inventory:\n%s", b.String())
			}
		})
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:        `"plain"`,
		`a"b\c`:        `"a\"b\\c"`,
		"x\ny\x01":     `"x\ny\u0001"`,
		"Zoë Ångström": `"Zoë Ångström"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q): got %s, want %s", in, got, want)
		}
	}
}
