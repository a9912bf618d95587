package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type diffJSON struct {
	Risk    bool `json:"risk"`
	Changes []struct {
		Protocol, Location, Kind, Entry, Secondary string
		Users                                      int
		Sample                                     []string `json:"sample_users"`
		Before, After                              struct {
			Outcome string
			Hops    []struct{ From, To, Host, Action, Auth string }
		}
	} `json:"changes"`
	Steps []struct{ Text string } `json:"client_steps"`
}

func whatif(t *testing.T, wantCode int, args ...string) (diffJSON, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	var full []string
	for _, a := range args {
		if strings.HasSuffix(a, ".toml") {
			a = filepath.Join("..", "..", "samples", a)
		}
		full = append(full, a)
	}
	code, stdout, stderr := runCLI(t, append(append([]string{"whatif"}, full...), "-o", dir)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d\n%s%s", code, wantCode, stdout, stderr)
	}
	var d diffJSON
	data, err := os.ReadFile(filepath.Join(dir, "diff.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	return d, stdout
}

// S1: moving the namespaces to 2016 changes Red's and Blue's paths from
// direct 2010 to a 2016 proxy; Orange's own regional paths do not change.
// CAS2010-1's POP3 InternalConnectionSettings name mail.contoso.com, which
// now resolves to 2016: red's POP3 loops back to 2016 and breaks, so the
// change is a risk (exit 3), not "Safe".
func TestWhatifS1NamespaceMove(t *testing.T) {
	d, stdout := whatif(t, 3, "s1-contoso.toml", "variants/s1-before.toml", "--edits", "edits/s1-move-namespaces.toml")
	if !d.Risk || !strings.Contains(stdout, "RISK") {
		t.Errorf("got risk %v, summary %s; want a risk (red's POP3 breaks)", d.Risk, stdout)
	}
	found := map[string]bool{}
	for _, c := range d.Changes {
		if c.Protocol == "pop3" && c.Kind == "newly-broken" && strings.Join(c.Sample, ",") == "red" {
			found["red pop3 "+c.Location] = true
		}
		if c.Protocol == "imap4" && c.Kind == "newly-broken" {
			t.Errorf("imap4 %s newly broken for %v: CAS2010-1's IMAP4 settings name its FQDN", c.Location, c.Sample)
		}
		for _, u := range c.Sample {
			if u == "orange" && c.Entry == "" && c.Protocol != "autodiscover" {
				t.Errorf("orange's %s %s path changed: %+v → %+v", c.Protocol, c.Location, c.Before.Hops, c.After.Hops)
			}
			if (u == "red" || u == "blue") && c.Location == "external" && (c.Protocol == "owa" || c.Protocol == "outlook-anywhere") {
				if c.Before.Hops[0].To != "CAS2010-1" || c.After.Hops[0].To != "LB1" || c.After.Hops[1].To != "MBX2016-1" || c.After.Hops[1].Action != "balance" || c.After.Hops[2].Action != "proxy" {
					t.Errorf("%s %s: got %+v → %+v, want CAS2010-1 first, then LB1 handing to MBX2016-1 proxying", u, c.Protocol, c.Before.Hops, c.After.Hops)
				}
				found[u+" "+c.Protocol] = true
			}
		}
	}
	for _, k := range []string{"red owa", "red outlook-anywhere", "blue owa", "blue outlook-anywhere", "red pop3 internal", "red pop3 external"} {
		if !found[k] {
			t.Errorf("no change for %s", k)
		}
	}
}

// S2: moving a 2007 user's mailbox to 2010 switches Outlook Anywhere to
// the 2010 endpoint after an Outlook restart.
func TestWhatifS2MailboxMove(t *testing.T) {
	d, stdout := whatif(t, 0, "s2-2007-2010.toml", "--edits", "edits/s2-move-amy.toml")
	ok := false
	for _, c := range d.Changes {
		if c.Protocol == "outlook-anywhere" && c.Location == "external" {
			ok = c.Before.Hops[0].Host == "legacy.contoso.com" && c.After.Hops[0].Host == "mail.contoso.com"
		}
	}
	if !ok {
		t.Errorf("outlook-anywhere did not move from legacy.contoso.com to mail.contoso.com: %+v", d.Changes)
	}
	var steps []string
	for _, s := range d.Steps {
		steps = append(steps, s.Text)
	}
	all := strings.Join(steps, "\n")
	for _, want := range []string{"Outlook is told to restart", "Outlook Anywhere switches from legacy.contoso.com to mail.contoso.com"} {
		if !strings.Contains(all, want) {
			t.Errorf("client steps %q do not contain %q", steps, want)
		}
	}
	if !strings.Contains(stdout, "Safe") {
		t.Errorf("summary: %s", stdout)
	}
}

// An edit that breaks paths (disable OA on a legacy CAS) exits 3.
func TestWhatifBreakingEditExits3(t *testing.T) {
	d, stdout := whatif(t, 3, "s3-2013-2010.toml", "--edits", "edits/s3-disable-branch-oa.toml")
	if !d.Risk || !strings.Contains(stdout, "RISK") {
		t.Errorf("got risk %v, summary %s", d.Risk, stdout)
	}
	broken := false
	for _, c := range d.Changes {
		broken = broken || (c.Kind == "newly-broken" && c.Protocol == "outlook-anywhere" && c.After.Outcome == "broken")
	}
	if !broken {
		t.Error("no newly broken outlook-anywhere path")
	}
}

func TestWhatifEditErrors(t *testing.T) {
	dir := t.TempDir()
	edits := filepath.Join(dir, "e.toml")
	os.WriteFile(edits, []byte(`[[edit]]
op = "move-namespace"
namespace = "nope.contoso.com"
internal = ["X"]

[[edit]]
op = "upgrade-server"
server = "CAS2010-1"
build = "15.1.2507.6"

[[edit]]
op = "fly"

[[edit]]
op = "set-out-of-service"
server = "CAS2010-1"
is_out_of_service = true
mailboxes = ["red"]
`), 0o644)
	code, _, stderr := runCLI(t, "whatif", "../../samples/s1-contoso.toml", "--edits", edits, "-o", filepath.Join(dir, "out"))
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		edits + `:3:1: namespace "nope.contoso.com" is not in the inventory`,
		edits + `:9:1: build 15.1.2507.6 is Exchange 2016 but CAS2010-1 runs Exchange 2010`,
		edits + `:12:1: unknown op "fly"`,
		edits + `:18:1: mailboxes does not apply to op "set-out-of-service"`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("output directory written despite errors")
	}
}
