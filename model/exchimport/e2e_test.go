package exchimport_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/exchimport"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

// importAndPlan imports dir, writes the inventory as coexist import does
// (report as header comments), adds the overlay and loads and plans both.
func importAndPlan(t *testing.T, dir, overlay string) *planner.Plan {
	t.Helper()
	inv, rep, err := exchimport.Import(dir)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	out := t.TempDir()
	var buf bytes.Buffer
	if err := load.WriteTOML(&buf, inv, load.WriteOptions{Header: rep.Lines()}); err != nil {
		t.Fatal(err)
	}
	invPath := filepath.Join(out, "inventory.toml")
	ovPath := filepath.Join(out, "overlay.toml")
	write(t, out, "inventory.toml", buf.Bytes())
	write(t, out, "overlay.toml", []byte(overlay))
	if !strings.HasPrefix(buf.String(), "# Imported by coexist import from ") {
		t.Errorf("inventory does not start with the report:\n%.200s", buf.String())
	}
	loaded, _, err := load.Load([]string{invPath, ovPath}, load.Options{})
	if err != nil {
		data, _ := os.ReadFile(invPath)
		t.Fatalf("load.Load: %v\n%s", err, data)
	}
	plan := planner.Run(loaded, planner.Options{})
	if plan == nil {
		t.Fatal("planner.Run returned nil")
	}
	c := plan.Counts()
	if c.Users == 0 || c.Paths == 0 {
		t.Errorf("plan has %d users and %d paths", c.Users, c.Paths)
	}
	return plan
}

// TestImportFixturePlans: the imported E16 fixture plus a small hand-written
// overlay loads and plans end to end.
func TestImportFixturePlans(t *testing.T) {
	const overlay = `
[organization]
name = "Solo"
as_of = "2023-06-01"

[[namespaces]]
fqdn = "mail.solo.local"
internal = ["SOLO-E16A"]

[[client_profiles]]
name = "office"
outlook = "Outlook 2016"
os = "Windows 10"

[[databases]]
name = "DB1"
server = "SOLO-E16A"

[[mailboxes]]
name = "alice"
database = "DB1"
client_profile = "office"
`
	importAndPlan(t, fixtures, overlay)
}

// TestImportCollectorPlans: a collector folder with two versions plans
// after an overlay of namespaces and a client profile.
func TestImportCollectorPlans(t *testing.T) {
	dir, _ := collectorFolder(t)
	const overlay = `
[organization]
as_of = "2026-01-15"
cutover_date = "2026-12-31"

[[namespaces]]
fqdn = "mail.solo.com"
internal = ["EX2010"]
external = ["EX2010"]

[[namespaces]]
fqdn = "autodiscover.solo.com"
internal = ["EX2010"]
external = ["EX2010"]

[[client_profiles]]
name = "office"
outlook = "Outlook 2016"

[[mailboxes]]
name = "alice"
client_profile = "office"

[[servers]]
name = "EX2010"
os = "Windows Server 2008 R2 SP1"
`
	plan := importAndPlan(t, dir, overlay)
	if plan.Organization != "Solo" {
		t.Errorf("organization %q", plan.Organization)
	}
}
