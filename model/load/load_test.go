package load

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// base is a small valid inventory used by the tests.
const base = `[organization]
name = "Contoso"
as_of = "2026-11-22"

[[sites]]
name = "Site1"

[[namespaces]]
fqdn = "mail.contoso.com"
internal = ["CAS1"]
external = ["CAS1"]

[[servers]]
name = "CAS1"
fqdn = "cas1.contoso.com"
site = "Site1"
version = "Version 14.3 (Build 123.4)"
build = "14.3.389.1"
roles = ["ClientAccess", "Mailbox"]
  [servers.tls]
  schannel_tls12_client_enabled = 1
  [servers.owa]
  external_url = "https://mail.contoso.com/owa"

[[databases]]
name = "DB1"
server = "CAS1"

[[mailboxes]]
name = "red"
database = "DB1"
`

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// messages returns the problems as "base:line:col: message" strings.
func messages(err error) []string {
	var el ErrorList
	if !errors.As(err, &el) {
		if err == nil {
			return nil
		}
		return []string{err.Error()}
	}
	var out []string
	for _, e := range el {
		e.Pos.File = filepath.Base(e.Pos.File)
		out = append(out, e.Error())
	}
	return out
}

func TestLoadValid(t *testing.T) {
	dir := t.TempDir()
	inv, _, err := Load([]string{write(t, dir, "a.toml", base)}, Options{})
	if err != nil {
		t.Fatalf("got %v, want no error", err)
	}
	s := inv.Servers[0]
	if got, want := s.Parsed.String(), "14.3.389.1"; got != want {
		t.Errorf("build: got %s, want %s", got, want)
	}
	if s.TLS.Schannel12ClientEnabled == nil || *s.TLS.Schannel12ClientEnabled != 1 {
		t.Errorf("tls value: got %v, want 1", s.TLS.Schannel12ClientEnabled)
	}
	if s.TLS.Schannel12ServerEnabled != nil {
		t.Errorf("undefined tls value: got %v, want nil", *s.TLS.Schannel12ServerEnabled)
	}
	if got, want := s.OWA.ExternalURL, "https://mail.contoso.com/owa"; got != want {
		t.Errorf("owa: got %q, want %q", got, want)
	}
}

func TestMerge(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.toml", base)
	b := write(t, dir, "b.toml", `
[organization]
cutover_date = "2027-03-01"

[[servers]]
name = "cas1"          # same server, different case: merged
os = "Windows Server 2012 R2"
  [servers.owa]
  internal_url = "https://cas1.contoso.com/owa"

[[sites]]
name = "Site2"

[[mailboxes]]
name = "red"
database = "DB1"
namespace = "mail.contoso.com"
`)
	inv, _, err := Load([]string{a, b}, Options{})
	if err != nil {
		t.Fatalf("got %v, want no error", err)
	}
	if len(inv.Servers) != 1 || len(inv.Sites) != 2 || len(inv.Mailboxes) != 1 {
		t.Fatalf("got %d servers, %d sites, %d mailboxes, want 1, 2, 1", len(inv.Servers), len(inv.Sites), len(inv.Mailboxes))
	}
	s := inv.Servers[0]
	tests := []struct{ name, got, want string }{
		{"kept name", s.Name, "CAS1"},
		{"added os", s.OS, "Windows Server 2012 R2"},
		{"kept owa external", s.OWA.ExternalURL, "https://mail.contoso.com/owa"},
		{"added owa internal", s.OWA.InternalURL, "https://cas1.contoso.com/owa"},
		{"org name kept", inv.Organization.Name, "Contoso"},
		{"org cutover added", inv.Organization.CutoverDate, "2027-03-01"},
		{"mailbox overridden", inv.Mailboxes[0].Namespace, "mail.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name    string
		replace [][2]string // applied to base
		extra   string      // appended to base
		want    []string
	}{
		{"unknown key with suggestion", [][2]string{{`site = "Site1"`, "site = \"Site1\"\nsitee = 1"}}, "",
			[]string{`a.toml:17:1: unknown key "sitee" in [[servers]] "CAS1" (did you mean "site"?)`}},
		{"dangling site", [][2]string{{`site = "Site1"`, `site = "Site9"`}}, "",
			[]string{`a.toml:16:1: server "CAS1" site "Site9" is not a declared site`}},
		{"bad build", [][2]string{{`build = "14.3.389.1"`, `build = "14.3.x"`}}, "",
			[]string{`a.toml:18:1: invalid build "14.3.x": want "Version 14.3 (Build 123.4)" or "14.3.123.4"`}},
		{"wrong type", [][2]string{{`roles = ["ClientAccess", "Mailbox"]`, `roles = "Mailbox"`}}, "",
			[]string{`a.toml:13:1: server "CAS1" has no roles`, `a.toml:19:1: roles: want an array, got string "Mailbox"`, `a.toml:27:1: database "DB1" is on server "CAS1", which does not have the Mailbox role`}},
		{"dangling namespace target element", [][2]string{{`internal = ["CAS1"]`, `internal = ["CAS1", "CAS9"]`}}, "",
			[]string{`a.toml:10:21: namespace "mail.contoso.com" internal target "CAS9" is neither a server nor a load balancer`}},
		{"duplicate server in one file", nil, "\n[[servers]]\nname = \"cas1\"\nfqdn = \"cas2.contoso.com\"\nsite = \"Site1\"\nbuild = \"14.3.389.1\"\nroles = [\"Mailbox\"]\n",
			[]string{`a.toml:34:1: duplicate server "cas1": already defined as "CAS1" (names differ only by case; Exchange names are case-insensitive)`}},
		{"database on server without mailbox role", [][2]string{{`roles = ["ClientAccess", "Mailbox"]`, `roles = ["ClientAccess"]`}}, "",
			[]string{`a.toml:27:1: database "DB1" is on server "CAS1", which does not have the Mailbox role`}},
		{"oa enabled without hostname", [][2]string{{"  [servers.owa]", "  [servers.outlook_anywhere]\n  enabled = true\n  [servers.owa]"}}, "",
			[]string{`a.toml:23:3: server "CAS1" has Outlook Anywhere enabled without external_hostname or internal_hostname`}},
		{"bad url and date", [][2]string{{`as_of = "2026-11-22"`, `as_of = "22.11.2026"`}, {`"https://mail.contoso.com/owa"`, `"mail.contoso.com/owa"`}}, "",
			[]string{`a.toml:3:1: date "22.11.2026": want YYYY-MM-DD`, `a.toml:23:3: owa.external_url: "mail.contoso.com/owa" is not an absolute URL`}},
		{"dangling full_access", [][2]string{{`database = "DB1"` + "\n", "database = \"DB1\"\nfull_access = [\"bob\"]\n"}}, "",
			[]string{`a.toml:32:16: mailbox "red" full_access user "bob" is not a declared mailbox`}},
		{"syntax error stops validation", [][2]string{{`name = "Site1"`, `name = "Site1`}}, "",
			[]string{`a.toml:6:14: syntax: strings cannot contain newlines (after key "sites.name")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := base
			for _, r := range tt.replace {
				if !strings.Contains(src, r[0]) {
					t.Fatalf("test bug: %q not in base", r[0])
				}
				src = strings.Replace(src, r[0], r[1], 1)
			}
			src += tt.extra
			_, _, err := Load([]string{write(t, t.TempDir(), "a.toml", src)}, Options{})
			if got := messages(err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestCSV(t *testing.T) {
	dir := t.TempDir()
	toml := write(t, dir, "a.toml", "mailboxes_csv = \"m.csv\"\n"+base)
	write(t, dir, "m.csv", "\xEF\xBB\xBFname,database,full_access\r\nblue,DB1,red;green\r\nred,DB1,\r\n")
	inv, _, err := Load([]string{toml}, Options{})
	if got := messages(err); !reflect.DeepEqual(got, []string{`m.csv:2:10: mailbox "blue" full_access user "green" is not a declared mailbox`}) {
		t.Fatalf("got %q", got)
	}
	write(t, dir, "m.csv", "name,database,full_access\nblue,DB1,red\n")
	inv, _, err = Load([]string{toml}, Options{})
	if err != nil {
		t.Fatalf("got %v, want no error", err)
	}
	if len(inv.Mailboxes) != 2 || inv.Mailboxes[1].Name != "blue" || !reflect.DeepEqual(inv.Mailboxes[1].FullAccess, []string{"red"}) {
		t.Errorf("got %+v", inv.Mailboxes)
	}
}

func TestCSVProblems(t *testing.T) {
	tests := []struct {
		name, csv string
		want      []string
	}{
		{"dangling database", "name,database\nblue,DB9\n", []string{`m.csv:2:6: mailbox "blue" database "DB9" is not a declared database`}},
		{"unknown column", "name,database,colour\nblue,DB1,red\n", []string{`m.csv:1:15: unknown mailbox CSV column "colour": want name, database, client_profile, namespace, full_access`}},
		{"bad quoting", "name,database\n\"blue,DB1\n", []string{`m.csv:2:11: csv: extraneous or missing " in quoted-field`}},
		{"field count", "name,database\nblue\n", []string{`m.csv:2:1: row has 1 fields, header has 2`}},
		{"duplicate row", "name,database\nblue,DB1\nBlue,DB1\n", []string{`m.csv:3:1: duplicate mailbox "Blue": already defined as "blue" (names differ only by case; Exchange names are case-insensitive)`}},
		{"no name column", "database\nDB1\n", []string{`m.csv:1:1: mailbox CSV has no name column`}},
		{"empty", "", []string{`m.csv:1:1: empty mailbox CSV: want a header row name,database,client_profile,namespace,full_access`}},
		{"huge line", "name,database\n" + strings.Repeat("x", MaxCSVLine+10) + "\n", []string{`m.csv:2:1: line longer than 64 KiB: this does not look like a mailbox CSV`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			a := write(t, dir, "a.toml", base)
			m := write(t, dir, "m.csv", tt.csv)
			_, _, err := Load([]string{a, m}, Options{})
			if got := messages(err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestInputErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"nul byte", "[organization]\nname = \"a\x00\"\n", "a.toml:2:10: NUL byte in file: this is not a text file"},
		{"invalid utf-8", "[organization]\nname = \"\xff\"\n", "a.toml:2:9: invalid UTF-8: save the file as UTF-8"},
		{"utf-16", "\xff\xfe[\x00", "a.toml:1:1: file is UTF-16: save it as UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load([]string{write(t, dir, "a.toml", tt.content)}, Options{})
			got := messages(err)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	_, _, err := Load([]string{filepath.Join(dir, "missing.toml")}, Options{})
	if got := messages(err); len(got) != 1 || !strings.Contains(got[0], "missing.toml: cannot read: no such file or directory") {
		t.Errorf("missing file: got %q", got)
	}
}

func TestStdin(t *testing.T) {
	inv, _, err := Load([]string{"-"}, Options{Stdin: strings.NewReader(base)})
	if err != nil || inv.Organization.Name != "Contoso" {
		t.Fatalf("got %v, %v", inv, err)
	}
}

func TestScanPositions(t *testing.T) {
	src := "a = 1\n[t]\nb = \"x\" # c\nc = [\n  1,\n  \"two\",\n]\n[[arr]]\nk = 'v'\n[[arr]]\nk = \"\"\"\nmulti\n\"\"\"\n[arr.sub]\nz = {x = 1, y = 2}\n"
	kp := scanPositions("f", src)
	tests := []struct {
		path string
		line int
		col  int
	}{
		{"a", 1, 1}, {"t", 2, 1}, {"t\x1fb", 3, 1}, {"t\x1fc", 4, 1}, {"t\x1fc\x1f1", 6, 3},
		{"arr\x1f0", 8, 1}, {"arr\x1f0\x1fk", 9, 1}, {"arr\x1f1\x1fk", 11, 1}, {"arr\x1f1\x1fsub\x1fz", 15, 1},
		{"arr\x1f1\x1fsub\x1fz\x1fy", 15, 13},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.path, "\x1f", "."), func(t *testing.T) {
			p, ok := kp[tt.path]
			if !ok || p.Line != tt.line || p.Col != tt.col {
				t.Errorf("got %v (found %v), want %d:%d", p, ok, tt.line, tt.col)
			}
		})
	}
}

// An overlay's unset list removes keys of the merged entity, so a value
// goes back to "not recorded"; bad names are positioned errors.
func TestMergeUnset(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.toml", base)
	b := write(t, dir, "b.toml", `[organization]
unset = ["cutover_date"]

[[servers]]
name = "CAS1"
unset = ["owa.external_url"]
`)
	inv, _, err := Load([]string{a, write(t, dir, "c.toml", "[organization]\ncutover_date = \"2027-03-01\"\n"), b}, Options{})
	if err != nil {
		t.Fatalf("got %v, want no error", err)
	}
	if got := inv.Servers[0].OWA.ExternalURL; got != "" {
		t.Errorf("owa.external_url: got %q, want it unset", got)
	}
	if got := inv.Organization.CutoverDate; got != "" {
		t.Errorf("cutover_date: got %q, want it unset", got)
	}
	if got := inv.Organization.Name; got != "Contoso" {
		t.Errorf("organization name: got %q, want Contoso kept", got)
	}
	bad := write(t, dir, "bad.toml", `[[servers]]
name = "CAS1"
os = "Windows Server 2016"
unset = ["owa.colour", "name", "os", 3]
`)
	_, _, err = Load([]string{a, bad}, Options{})
	want := []string{
		`bad.toml:4:10: unset: "owa.colour" is not a key of [[servers]]`,
		`bad.toml:4:24: unset: "name" identifies the entity and cannot be unset`,
		`bad.toml:4:32: unset: "os" is also set in this file; unset or set it, not both`,
		`bad.toml:4:38: unset: want a key name, got integer 3`,
	}
	got := messages(err)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLMCompatibilityLevelRange(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.toml", base)
	b := write(t, dir, "b.toml", `[[client_profiles]]
name = "old-xp"
lm_compatibility_level = 7

[[client_profiles]]
name = "win10"
lm_compatibility_level = 1
`)
	_, _, err := Load([]string{a, b}, Options{})
	got := strings.Join(messages(err), "\n")
	want := "b.toml:3:1: lm_compatibility_level 7: want 0 to 5 (LmCompatibilityLevel)"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
