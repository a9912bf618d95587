package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOverridesReported (outputs review item 8): what a later file changes
// of what an earlier file set is listed, with both positions: changed
// keys (nested ones dotted), unset keys and [organization] keys. Keys the
// later file sets to the same value, or adds, are not overrides.
func TestOverridesReported(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "names-base.toml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b := filepath.Join(dir, "base.toml")
	o := filepath.Join(dir, "overlay.toml")
	if err := os.WriteFile(b, base, 0o644); err != nil {
		t.Fatal(err)
	}
	overlay := `[organization]
as_of = "2026-12-01"

[[servers]]
name = "cas1"
build = "14.3.513.0"
site = "Site1"
unset = ["owa.external_url"]
  [servers.owa]
  internal_url = "https://cas1.contoso.com/owa"

[[servers]]
name = "MBX2016"
fqdn = "mbx2016.contoso.com"
`
	if err := os.WriteFile(o, []byte(overlay), 0o644); err != nil {
		t.Fatal(err)
	}
	_, src, err := Load([]string{b, o}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ov := range src.Overrides {
		got = append(got, ov.String())
	}
	want := []string{
		o + ":1:1: note: overrides [organization] of " + b + ":1:1: as_of",
		o + ":4:1: note: overrides [[servers]] cas1 of " + b + ":20:1: build, unset owa.external_url",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("overrides:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
