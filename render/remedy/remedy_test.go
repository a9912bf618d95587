package remedy

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

const schannel = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\`

var day = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func testFindings() []planner.Finding {
	return []planner.Finding{
		{ID: "TLS-SCHANNEL", Severity: planner.SevError, Subject: "EX2010-01", Message: "EX2010-01's Schannel TLS 1.2 settings: Client is not set.", Sources: []string{"blog-tls-part2"},
			Fix: planner.Fix{Server: "EX2010-01", Steps: []string{"Import the .reg file and restart."},
				Shell: []string{"Invoke-Command -ComputerName 'ex2010-01.contoso.com' -ScriptBlock {", "}"},
				Registry: []planner.RegValue{
					{Key: schannel + `TLS 1.2\Server`, Name: "Enabled", Value: 1},
					{Key: schannel + `TLS 1.2\Client`, Name: "Enabled", Value: 1},
					{Key: schannel + `TLS 1.2\Client`, Name: "DisabledByDefault", Value: 0},
				}}},
		{ID: "TLS-NET35", Severity: planner.SevWarning, Subject: "EX2010-01", Message: "v2.0.50727 SystemDefaultTlsVersions is undefined … set it → 1.", Sources: []string{"blog-tls-part2"},
			Fix: planner.Fix{Server: "EX2010-01", Registry: []planner.RegValue{
				{Key: `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\.NETFramework\v2.0.50727`, Name: "SystemDefaultTlsVersions", Value: 1},
				{Key: `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727`, Name: "SystemDefaultTlsVersions", Value: 1},
			}}},
		{ID: "TLS-DISABLE-OLD", Severity: planner.SevWarning, Subject: "EX2010-01", Message: "TLS 1.0 and 1.1 are still enabled.", Sources: []string{"css-healthchecker-tls"},
			Fix: planner.Fix{Server: "EX2010-01", Registry: []planner.RegValue{
				{Key: schannel + `TLS 1.0\Server`, Name: "Enabled", Value: 0},
				{Key: schannel + `TLS 1.0\Server`, Name: "DisabledByDefault", Value: 1},
			}}},
		{ID: "TLS-WIN7", Severity: planner.SevWarning, Subject: "win7 / outlook", Message: "Windows 7 lacks KB3140245.", Sources: []string{"kb3140245"},
			Fix: planner.Fix{Server: "client profile win7 / outlook", KBs: []string{"KB3140245"}, Registry: []planner.RegValue{
				{Key: `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`, Name: "DefaultSecureProtocols", Value: 0xA00},
			}}},
		{ID: "COEX-2016-2010", Severity: planner.SevError, Subject: "CAS2010-1", Message: "CAS2010-1 runs Exchange 2010 SP3 RU5.\nSecond line.", Sources: []string{"ms-exchange-system-requirements"},
			Fix: planner.Fix{Steps: []string{"Install RU32."}, Shell: []string{"# check", "Invoke-Command -ComputerName 'cas2010-1' -ScriptBlock { 1 }"}}},
		{ID: "TLS-VERIFY", Severity: planner.SevInfo, Subject: "Contoso", Message: "Verify with the protocol logs.", Sources: []string{"blog-tls-part2"}},
	}
}

// noBareLF reports the first "\n" not preceded by "\r", or -1.
func noBareLF(b []byte) int {
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			return i
		}
	}
	return -1
}

func TestScriptHeaderAndLineEndings(t *testing.T) {
	out := Script("Contoso", day, testFindings())
	if !bytes.HasPrefix(out, []byte("\xef\xbb\xbf# remediation.ps1 - coexist remediation for Contoso\r\n# Date: 2026-11-22\r\n")) {
		t.Errorf("header: got %q", out[:min(120, len(out))])
	}
	if i := noBareLF(out); i >= 0 {
		t.Errorf("bare LF at byte %d: %q", i, out[max(0, i-40):i+1])
	}
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Error("script does not end with CRLF")
	}
	s := string(out)
	for _, want := range []string{
		"REVIEW BEFORE RUNNING",
		"# Findings: 6 (2 errors, 3 warnings, 1 info).",
		"\r\nthrow 'remediation.ps1: review the script and remove this line before running it.'\r\n",
		"# [error] EX2010-01\r\n",
		"# Source: Exchange Server TLS guidance Part 2: Enabling TLS 1.2",
		"# https://techcommunity.microsoft.com/t5/exchange-team-blog/exchange-server-tls-guidance-part-2-enabling-tls-1-2-and/ba-p/607761\r\n",
		"# Install: KB3140245\r\n",
		"# Step: Install RU32.\r\n",
		"# CAS2010-1 runs Exchange 2010 SP3 RU5.\r\n# Second line.\r\n",
		"# Registry: the values set below are also in EX2010-01.reg; to go back, import EX2010-01-undo.reg.\r\n",
		"# Registry: the values set below are also in EX2010-01-disable-protocols.reg; to go back, import\r\n# EX2010-01-disable-protocols-undo.reg.\r\n",
		"Invoke-Command -ComputerName 'cas2010-1' -ScriptBlock { 1 }\r\n",
		"# (no command: see the steps above)\r\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %q", want)
		}
	}
}

func TestScriptGroupsByID(t *testing.T) {
	s := string(Script("Contoso", day, testFindings()))
	re := regexp.MustCompile(`(?m)^# ([A-Z0-9-]+) \((\d+) findings?\)\r$`)
	var got []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		got = append(got, m[1]+" "+m[2])
	}
	// Groups in phase order (Exchange builds, TLS 1.2 enabled,
	// verification, disabling last), within a phase errors first.
	want := []string{"COEX-2016-2010 1", "TLS-SCHANNEL 1", "TLS-NET35 1", "TLS-WIN7 1", "TLS-VERIFY 1", "TLS-DISABLE-OLD 1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got groups %q, want %q", got, want)
	}
}

func TestScriptWrapsLongComments(t *testing.T) {
	f := testFindings()[:1]
	f[0].Message = strings.Repeat("word ", 60)
	for _, l := range strings.Split(string(Script("C", day, f)), "\r\n") {
		if strings.HasPrefix(strings.TrimPrefix(l, bom), "#") && len(l) > wrapWidth+3 && strings.Contains(strings.TrimPrefix(l, "# "), " ") { // BOM on the first line; a single word (a URL) stays whole
			t.Errorf("line of %d characters: %q", len(l), l)
		}
	}
}

func TestScriptDeterministic(t *testing.T) {
	fs := testFindings()
	want := Script("Contoso", day, fs)
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		shuffled := append([]planner.Finding(nil), fs...)
		r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		if got := Script("Contoso", day, shuffled); !bytes.Equal(got, want) {
			t.Fatalf("output depends on input order")
		}
	}
	if got := Script("Contoso", time.Time{}, nil); !bytes.Contains(got, []byte("# Date: (no date)\r\n")) {
		t.Errorf("zero date: got %q", got)
	}
}

func TestRegFiles(t *testing.T) {
	files := RegFiles(testFindings())
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if want := []string{"EX2010-01-disable-protocols-undo.reg", "EX2010-01-disable-protocols.reg", "EX2010-01-undo.reg", "EX2010-01.reg", "client_profile_win7_outlook-undo.reg", "client_profile_win7_outlook.reg"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("files: got %q, want %q", names, want)
	}
	for n, b := range files {
		t.Run(n, func(t *testing.T) {
			if !bytes.HasPrefix(b, []byte("Windows Registry Editor Version 5.00\r\n\r\n")) {
				t.Errorf("header: got %q", b[:min(60, len(b))])
			}
			if i := noBareLF(b); i >= 0 {
				t.Errorf("bare LF at byte %d", i)
			}
			for i, c := range b {
				if c >= 0x80 {
					t.Errorf("non-ASCII byte 0x%x at %d", c, i)
					break
				}
			}
			for _, l := range strings.Split(string(b), "\r\n") {
				if strings.HasPrefix(l, `"`) && !regexp.MustCompile(`^"[^"]+"=dword:[0-9a-f]{8}$`).MatchString(l) {
					t.Errorf("bad value line %q", l)
				}
			}
		})
	}
	main := string(files["EX2010-01.reg"])
	want := "Windows Registry Editor Version 5.00\r\n" +
		"\r\n" +
		"; coexist: registry values for EX2010-01.\r\n" +
		"; Review before importing (regedit /s <file>); restart the computer afterwards.\r\n" +
		"; To go back: EX2010-01-undo.reg restores the values recorded in the inventory.\r\n" +
		"\r\n" +
		"; TLS-NET35: v2.0.50727 SystemDefaultTlsVersions is undefined ... set it -> 1.\r\n" +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727]\r\n" +
		"\"SystemDefaultTlsVersions\"=dword:00000001\r\n" +
		"\r\n" +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v2.0.50727]\r\n" +
		"\"SystemDefaultTlsVersions\"=dword:00000001\r\n" +
		"\r\n" +
		"; TLS-SCHANNEL: EX2010-01's Schannel TLS 1.2 settings: Client is not set.\r\n" +
		"[" + schannel + "TLS 1.2\\Client]\r\n" +
		"\"DisabledByDefault\"=dword:00000000\r\n" +
		"\"Enabled\"=dword:00000001\r\n" +
		"\r\n" +
		"[" + schannel + "TLS 1.2\\Server]\r\n" +
		"\"Enabled\"=dword:00000001\r\n"
	if main != want {
		t.Errorf("EX2010-01.reg:\n got %q\nwant %q", main, want)
	}
	if dis := string(files["EX2010-01-disable-protocols.reg"]); !strings.Contains(dis, "APPLY LAST") || !strings.Contains(dis, "\"DisabledByDefault\"=dword:00000001\r\n\"Enabled\"=dword:00000000\r\n") {
		t.Errorf("disable file: got %q", dis)
	}
	if w7 := string(files["client_profile_win7_outlook.reg"]); !strings.Contains(w7, "\"DefaultSecureProtocols\"=dword:00000a00\r\n") {
		t.Errorf("win7 file: got %q", w7)
	}
}

func TestRegFilesDedupAndDeterminism(t *testing.T) {
	v := planner.RegValue{Key: schannel + `TLS 1.2\Client`, Name: "Enabled", Value: 1}
	fs := []planner.Finding{
		{ID: "B-RULE", Message: "second", Fix: planner.Fix{Server: "S1", Registry: []planner.RegValue{v}}},
		{ID: "A-RULE", Message: "first", Fix: planner.Fix{Server: "S1", Registry: []planner.RegValue{v}}},
		{ID: "C-RULE", Message: "third", Fix: planner.Fix{Server: "S1", Registry: []planner.RegValue{{Key: v.Key, Name: "Enabled", Value: 2}}}},
		{ID: "A-RULE", Message: "none", Fix: planner.Fix{Server: "S1"}},
	}
	out := string(RegFiles(fs)["S1.reg"])
	if n := strings.Count(out, "\"Enabled\"=dword:00000001"); n != 1 {
		t.Errorf("value written %d times, want once:\n%s", n, out)
	}
	for _, want := range []string{"; B-RULE: second\r\n; (values already set above)\r\n", "; replaces the value Enabled=dword:00000001 set above\r\n\"Enabled\"=dword:00000002"} {
		if !strings.Contains(out, want) {
			t.Errorf("S1.reg lacks %q:\n%s", want, out)
		}
	}
	r := rand.New(rand.NewSource(2))
	all := testFindings()
	want := RegFiles(all)
	for i := 0; i < 20; i++ {
		s := append([]planner.Finding(nil), all...)
		r.Shuffle(len(s), func(a, b int) { s[a], s[b] = s[b], s[a] })
		if got := RegFiles(s); !reflect.DeepEqual(got, want) {
			t.Fatal("output depends on input order")
		}
	}
}

func TestRegFilesNameClash(t *testing.T) {
	v := []planner.RegValue{{Key: `HKEY_LOCAL_MACHINE\SOFTWARE\X`, Name: "A", Value: 1}}
	files := RegFiles([]planner.Finding{
		{ID: "X", Fix: planner.Fix{Server: "a b", Registry: v}},
		{ID: "X", Fix: planner.Fix{Server: "a/b", Registry: v}},
		{ID: "X", Fix: planner.Fix{Server: "A_B", Registry: v}},
	})
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	// "a b" and "a/b" both sanitise to "a_b", which Windows also confuses
	// with "A_B": they get the first 8 hex digits of their SHA-256; "A_B",
	// already a clean file name, keeps its own.
	if want := []string{"A_B-undo.reg", "A_B.reg", "a_b-c14cddc0-undo.reg", "a_b-c14cddc0.reg", "a_b-c8687a08-undo.reg", "a_b-c8687a08.reg"}; !reflect.DeepEqual(names, want) {
		t.Errorf("got %q, want %q", names, want)
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"EX2010-01", "EX2010-01"},
		{"client profile win7-outlook2016", "client_profile_win7-outlook2016"},
		{`..\..\etc/passwd`, "etc_passwd"},
		{"", "registry"},
		{"???", "registry"},
		{"CON", "_CON"},
		{"com1.contoso", "_com1.contoso"},
		{"Serveur-Genève", "Serveur-Gen_ve"},
		{strings.Repeat("x", 300), strings.Repeat("x", 300)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := sanitize(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestASCII(t *testing.T) {
	if got, want := ascii("a…b → c\u00e9\x01"), "a...b -> c??"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSampleS5 renders the remediation of the S5 goal B sample twice.
func TestSampleS5(t *testing.T) {
	paths := []string{filepath.Join("..", "..", "samples", "s5-tls.toml"), filepath.Join("..", "..", "samples", "variants", "s5-goal-b.toml")}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("sample %s does not exist yet", p)
		}
	}
	inv, _, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	render := func() ([]byte, map[string][]byte) {
		inv2 := *inv
		pl := planner.Run(&inv2, planner.Options{})
		return Script(pl.Organization, pl.AsOf, pl.Findings), RegFiles(pl.Findings)
	}
	s1, r1 := render()
	s2, r2 := render()
	if !bytes.Equal(s1, s2) || !reflect.DeepEqual(r1, r2) {
		t.Fatal("rendering twice differs")
	}
	for _, n := range []string{"EX2010-01.reg", "EX2013-01.reg", "EX2016-02-disable-protocols.reg", "client_profile_win7-outlook2013.reg"} {
		if _, ok := r1[n]; !ok {
			t.Errorf("no %s among %v", n, keys(r1))
		}
	}
	if _, ok := r1["EX2016-02.reg"]; ok {
		t.Errorf("EX2016-02 has nothing to enable, but got EX2016-02.reg")
	}
	if !bytes.Contains(s1, []byte("# remediation.ps1 - coexist remediation for Contoso\r\n# Date: 2026-11-22\r\n")) {
		t.Errorf("script header: got %q", s1[:200])
	}
}

func keys(m map[string][]byte) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}
