package load

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coexist/coexist/model"
)

// The fuzz targets run as ordinary tests on their seeds and on the
// crashers kept under testdata/fuzz; run one with
//
//	go test ./model/load -run XXX -fuzz '^FuzzLoadTOML$' -fuzztime 5m -fuzzminimizetime 0
//
// -fuzzminimizetime 0 matters: by default every new interesting input is
// minimised for up to a minute, and inputs grown from the multi-KiB
// sample seeds kept the worker minimising (30 executions in 4 minutes;
// without minimisation 170,000). The seeds are also stripped of their
// comment lines, which are most of the samples' bytes and exercise
// nothing the small seeds do not.
//
// Every input must load without a panic, quickly, into either an inventory
// or positioned problems.

// slowInput is how long one fuzz input may take. Inputs are small (a few
// KiB): anything this slow is a quadratic (or worse) path.
const slowInput = 3 * time.Second

// seedFiles adds every sample inventory (or edits file) as a seed.
// seedPieces adds the files matching patterns, comments stripped, cut at
// lines that begin a table into pieces of at most max bytes (a longer
// table is one piece).
func seedPieces(f *testing.F, max int, patterns ...string) {
	f.Helper()
	n := 0
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			var piece []byte
			for _, line := range bytes.SplitAfter(stripComments(data), []byte("\n")) {
				if len(piece) > 0 && bytes.HasPrefix(line, []byte("[")) && len(piece)+len(line) > max {
					f.Add(piece)
					n++
					piece = nil
				}
				piece = append(piece, line...)
			}
			if len(bytes.TrimSpace(piece)) > 0 {
				f.Add(piece)
				n++
			}
		}
	}
	if n == 0 {
		f.Fatalf("no seed files match %v", patterns)
	}
}

func seedFiles(f *testing.F, patterns ...string) {
	f.Helper()
	n := 0
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(stripComments(data))
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files match %v", patterns)
	}
}

// stripComments drops whole-line comments, keeping seeds small.
func stripComments(data []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			out = append(out, line...)
		}
	}
	return out
}

// checkErrors checks that err is nil or a non-empty ErrorList whose every
// entry names a file and is either a whole-file error (line 0) or has a
// line of its file (when the file's content is known).
func checkErrors(t *testing.T, err error, content map[string][]byte) {
	t.Helper()
	if err == nil {
		return
	}
	var el ErrorList
	if !errors.As(err, &el) {
		t.Fatalf("error is %T, want an ErrorList: %v", err, err)
	}
	if len(el) == 0 {
		t.Fatal("empty ErrorList returned as an error")
	}
	if len(el) > MaxErrors+1 {
		t.Errorf("got %d problems, want at most %d", len(el), MaxErrors+1)
	}
	for _, e := range el {
		if e.Pos.File == "" || e.Msg == "" {
			t.Errorf("problem without file or message: %q", e.Error())
		}
		if e.Pos.Line < 0 || e.Pos.Col < 0 || e.Pos.Line == 0 && e.Pos.Col != 0 {
			t.Errorf("bad position %+v: %s", e.Pos, e.Msg)
		}
		if data, ok := content[e.Pos.File]; ok && e.Pos.Line > 0 {
			if lines := bytes.Count(data, []byte("\n")) + 1; e.Pos.Line > lines {
				t.Errorf("line %d beyond the file's %d lines: %s", e.Pos.Line, lines, e.Error())
			}
		}
		if len(e.Msg) > 2*MaxString+1024 {
			t.Errorf("message of %d bytes", len(e.Msg))
		}
	}
}

// timed fails the test when fn is slow.
func timed(t *testing.T, fn func()) {
	t.Helper()
	start := time.Now()
	fn()
	if d := time.Since(start); d > slowInput {
		t.Errorf("took %v, want under %v", d, slowInput)
	}
}

// roundTrip writes inv back as TOML and loads it again: it must read back
// the same inventory.
func roundTrip(t *testing.T, dir string, inv *model.Inventory) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTOML(&b, inv, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "back.toml")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, _, err := Load([]string{p}, Options{})
	if err != nil {
		t.Fatalf("reading back what WriteTOML wrote: %v\n%s", err, b.String())
	}
	// An empty list and no list are the same in an inventory; the writer
	// leaves both out.
	if !reflect.DeepEqual(emptyToNil(inv), emptyToNil(back)) {
		t.Fatalf("round trip changed the inventory:\n got %+v\nwant %+v\n%s", back, inv, b.String())
	}
}

// emptyToNil returns a copy of inv whose empty lists are nil.
func emptyToNil(inv *model.Inventory) *model.Inventory {
	c := *inv
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Slice:
			if v.Len() == 0 {
				v.Set(reflect.Zero(v.Type()))
				return
			}
			cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(cp, v)
			v.Set(cp)
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(&c).Elem())
	return &c
}

// FuzzLoadTOML's seeds are the samples cut into pieces of at most 1 KiB
// at table headers, not whole 10–20 KiB files: from whole files a worker
// spent minutes minimising each new input (30 executions in 4 minutes,
// D15) instead of fuzzing.
func FuzzLoadTOML(f *testing.F) {
	seedPieces(f, 1<<10, "../../samples/*.toml", "../../samples/variants/*.toml")
	for _, s := range []string{
		base,
		"mailboxes_csv = \"m.csv\"\n" + base,
		"a = 1\n[t]\nb = \"x\" # c\nc = [\n  1,\n  \"two\",\n]\n[[arr]]\nk = 'v'\n[[arr]]\nk = \"\"\"\nmulti\n\"\"\"\n[arr.sub]\nz = {x = 1, y = 2}\n",
		"[organization]\nname = \"a\x00\"\n",
		"[organization]\nname = \"\xff\"\n",
		"\xff\xfe[\x00",
		"\xEF\xBB\xBF[organization]\r\nname = \"x\"\r\n",
		"[[servers]]\nname = \"cas1\"\nsitee = 1\n",
		"x = [[[[[[[[1]]]]]]]]\n",
		"x = {a = {b = {c = {d = 1}}}}\n",
		"a.b.c.d.e = 1\n[f.g.h]\n",
		"[organization]\nas_of = 2026-11-22\ncutover_date = 10:00:00\n",
		"[[servers]]\nname = 'x'\n[[servers.owa]]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "a.toml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var inv *model.Inventory
		var err error
		timed(t, func() { inv, _, err = Load([]string{p}, Options{}) })
		checkErrors(t, err, map[string][]byte{p: data})
		if err == nil {
			if inv == nil {
				t.Fatal("no inventory and no error")
			}
			roundTrip(t, dir, inv)
		}
	})
}

func FuzzMailboxCSV(f *testing.F) {
	for _, s := range []string{
		"name,database,full_access\nblue,DB1,red;green\nred,DB1,\n",
		"\xEF\xBB\xBFname,database,full_access\r\nblue,DB1,red\r\n",
		"name,database\nblue,DB9\n",
		"name,database,colour\nblue,DB1,red\n",
		"name,database\n\"blue,DB1\n",
		"name,database\nblue\n",
		"name,database\nblue,DB1\nBlue,DB1\n",
		"database\nDB1\n",
		"",
		"name,database,client_profile,namespace,full_access\n\"multi\nline\",DB1,,mail.contoso.com,\n",
		"name,database\n\"a\"\"b\",DB1\n",
		"name,database\na\"b,DB1\nc,DB1\n",
		"name,name\nx,y\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		a := filepath.Join(dir, "a.toml")
		m := filepath.Join(dir, "m.csv")
		if err := os.WriteFile(a, []byte(base), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(m, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var inv *model.Inventory
		var err error
		timed(t, func() { inv, _, err = Load([]string{a, m}, Options{}) })
		checkErrors(t, err, map[string][]byte{a: []byte(base), m: data})
		if err != nil {
			return
		}
		if len(inv.Mailboxes) == 0 || inv.Mailboxes[0].Name != "red" {
			t.Fatalf("the TOML's mailbox is gone: %+v", inv.Mailboxes)
		}
		// What loaded writes back as a CSV that loads the same.
		var c bytes.Buffer
		if err := WriteMailboxesCSV(&c, inv.Mailboxes[1:]); err != nil {
			t.Fatal(err)
		}
		m2 := filepath.Join(dir, "m2.csv")
		if err := os.WriteFile(m2, c.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		back, _, err := Load([]string{a, m2}, Options{})
		if err != nil {
			t.Fatalf("reading back the written CSV: %v\n%s", err, c.String())
		}
		if !reflect.DeepEqual(inv.Mailboxes, back.Mailboxes) {
			t.Fatalf("CSV round trip changed the mailboxes:\n got %+v\nwant %+v", back.Mailboxes, inv.Mailboxes)
		}
	})
}

// editsBase is a small valid inventory for FuzzEdits: two sites, a 2010
// and a 2016 server, a load balancer, two databases and mailboxes.
const editsBase = `[organization]
name = "Contoso"
as_of = "2026-11-22"

[[sites]]
name = "Site1"

[[sites]]
name = "Site2"

[[namespaces]]
fqdn = "mail.contoso.com"
internal = ["CAS1"]
external = ["LB1"]

[[load_balancers]]
name = "LB1"
members = ["CAS1"]

[[servers]]
name = "CAS1"
fqdn = "cas1.contoso.com"
site = "Site1"
build = "14.3.389.1"
roles = ["ClientAccess", "Mailbox"]
  [servers.owa]
  external_url = "https://mail.contoso.com/owa"

[[servers]]
name = "MBX2016"
fqdn = "mbx2016.contoso.com"
site = "Site2"
build = "15.1.2507.61"
roles = ["Mailbox"]

[[certificates]]
thumbprint = "A6F09430E29C884E100399DD0E049EF4BF8CBF0B"
subject = "CN=mail.contoso.com"
not_after = "2027-10-14"
servers = ["CAS1"]

[[databases]]
name = "DB1"
server = "CAS1"

[[databases]]
name = "DB2"
server = "MBX2016"

[[client_profiles]]
name = "win10"
outlook = "Outlook 2016"

[[mailboxes]]
name = "red"
database = "DB1"

[[mailboxes]]
name = "blue"
database = "DB2"
client_profile = "win10"
`

func FuzzEdits(f *testing.F) {
	seedFiles(f, "../../samples/edits/*.toml")
	for _, s := range []string{
		"[[edit]]\nop = \"move-mailboxes\"\nmailboxes = [\"red\"]\nto_database = \"DB2\"\n",
		"[[edit]]\nop = \"move-database\"\ndatabase = \"DB1\"\nto_server = \"MBX2016\"\n",
		"[[edit]]\nop = \"upgrade-server\"\nserver = \"CAS1\"\nbuild = \"14.3.513.0\"\n",
		"[[edit]]\nop = \"set-registry\"\nserver = \"CAS1\"\n[edit.tls]\nschannel_tls12_client_enabled = 1\n",
		"[[edit]]\nop = \"set-virtual-directory\"\nserver = \"CAS1\"\nvirtual_directory = \"owa\"\n[edit.settings]\nexternal_url = \"\"\n",
		"[[edit]]\nop = \"add-server\"\n[edit.new_server]\nname = \"CAS2\"\nfqdn = \"cas2.contoso.com\"\nsite = \"Site1\"\nbuild = \"15.1.2507.61\"\nroles = [\"Mailbox\"]\n",
		"[[edit]]\nop = \"decommission-server\"\nserver = \"MBX2016\"\n",
		"[[edit]]\nop = \"move-database\"\ndatabase = \"DB2\"\nto_server = \"CAS1\"\n[[edit]]\nop = \"decommission-server\"\nserver = \"MBX2016\"\n",
		"[[edit]]\nop = \"replace-certificate\"\nreplaces = \"A6F09430E29C884E100399DD0E049EF4BF8CBF0B\"\n[edit.certificate]\nthumbprint = \"AB\"\nsubject = \"CN=x\"\nnot_after = \"2028-01-01\"\n",
		"[[edit]]\nop = \"set-outlook-anywhere\"\nserver = \"CAS1\"\n[edit.outlook_anywhere]\nenabled = true\n",
		"[[edit]]\nop = \"install-updates\"\nclient_profile = \"win10\"\nupdates = [\"KB1234567\"]\n",
		"[[edit]]\nop = \"set-mapi-http\"\nmapi_http_enabled = false\n",
		"[[edit]]\nop = \"move-namespace\"\nnamespace = \"mail.contoso.com\"\nexternal = [\"MBX2016\"]\n",
		"[[edit]]\nop = \"frobnicate\"\n",
		"[[edit]]\nop = \"move-database\"\nserver = \"CAS1\"\n",
		"[[edit]]\nop = \"set-out-of-service\"\nserver = \"CAS1\"\nis_out_of_service = true\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	basePath := filepath.Join(dir, "base.toml")
	if err := os.WriteFile(basePath, []byte(editsBase), 0o644); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "names.csv"), []byte("name\nred\nblue\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	if _, _, err := Load([]string{basePath}, Options{}); err != nil {
		f.Fatalf("editsBase: %v", err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A fresh base each time: ApplyEdits must not modify it, and a
		// fuzz input must not see another's leftovers.
		inv, src, err := Load([]string{basePath}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		before := mustJSON(t, inv)
		p := filepath.Join(t.TempDir(), "e.toml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		timed(t, func() {
			edits, esrc, err := Edits(p, Options{})
			checkErrors(t, err, map[string][]byte{p: data})
			if err != nil {
				return
			}
			out, err := ApplyEdits(inv, src, edits, esrc)
			checkErrors(t, err, map[string][]byte{p: data, basePath: []byte(editsBase)})
			if err == nil && out == nil {
				t.Fatal("no inventory and no error")
			}
		})
		if after := mustJSON(t, inv); after != before {
			t.Fatalf("ApplyEdits modified the base inventory")
		}
	})
}

// mustJSON renders inv for comparison (reflect.DeepEqual would also see
// the resolved builds Apply does not touch).
func mustJSON(t *testing.T, inv *model.Inventory) string {
	t.Helper()
	var b strings.Builder
	if err := WriteTOML(&b, inv, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestFuzzRegressions keeps the inputs the fuzz targets found problems
// with (their corpus entries are under testdata/fuzz), by name.
func TestFuzzRegressions(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		// FuzzLoadTOML 2bf3c038869e8a9d: the decoder reports line 0 (and
		// one line early after any CR LF) for an error at a CR LF; the
		// message had line 0 with a column.
		{"syntax error at a CR LF on line 1", "\"\r\n", []string{`a.toml:1:2: syntax: strings cannot contain newlines`}},
		{"syntax error at a CR LF on line 2", "a=1\r\nb=\"x\r\nc=1\r\n", []string{`a.toml:2:5: syntax: strings cannot contain newlines (after key "b")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load([]string{write(t, t.TempDir(), "a.toml", tt.input)}, Options{})
			if got := messages(err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}
