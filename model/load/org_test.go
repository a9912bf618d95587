package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeOrganizationName: files of two organizations given together
// are an error at the later name; an overlay that says so may rename the
// organization; an overlay without a name merges as before.
func TestMergeOrganizationName(t *testing.T) {
	base := filepath.Join("testdata", "names-base.toml") // organization "Contoso"
	cases := []struct {
		name    string
		overlay string
		want    string // "" = loads
		org     string
	}{
		{"another organization", "[organization]\nname = \"Fabrikam\"\n", `overlay.toml:2:1: organization name "Fabrikam" differs from "Contoso" (testdata/names-base.toml:2:1)`, ""},
		{"declared rename", "[organization]\nname = \"Contoso Ltd\"\noverlay = true\n", "", "Contoso Ltd"},
		{"same name, other case", "[organization]\nname = \"CONTOSO\"\n", "", "CONTOSO"},
		{"no name", "[organization]\ntls_goal = \"disable-legacy\"\n", "", "Contoso"},
		{"overlay not a boolean", "[organization]\noverlay = \"yes\"\n", "organization.overlay: want true or false", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "overlay.toml")
			if err := os.WriteFile(p, []byte(tc.overlay), 0o644); err != nil {
				t.Fatal(err)
			}
			inv, _, err := Load([]string{base, p}, Options{})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no problem", err)
				}
				if inv.Organization.Name != tc.org {
					t.Errorf("organization %q, want %q", inv.Organization.Name, tc.org)
				}
				return
			}
			if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
