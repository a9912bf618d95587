package planner

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
)

// Prerequisite expectations of the reference scenarios (scenarios.md S3,
// S4, S5) against the samples. A missing sample skips its test, naming
// the file.

// loadSample loads sample files (relative to samples/) merged in order, or
// skips the test when one does not exist yet.
func loadSample(t *testing.T, files ...string) *model.Inventory {
	t.Helper()
	var paths []string
	for _, f := range files {
		p := filepath.Join("..", "samples", filepath.FromSlash(f))
		if _, err := os.Stat(p); err != nil {
			t.Skipf("sample samples/%s does not exist yet: %v", f, err)
		}
		paths = append(paths, p)
	}
	inv, _, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", strings.Join(files, " + "), err)
	}
	return inv
}

// findingsOf plans inv and returns the findings of the rules whose ID has
// one of the prefixes.
func findingsOf(inv *model.Inventory, prefixes ...string) []Finding {
	var out []Finding
	for _, f := range Run(inv, Options{}).Findings {
		for _, pre := range prefixes {
			if strings.HasPrefix(f.ID, pre) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// gaps are the warning and error findings as "ID subject" (info is
// advice, not a gap).
func gaps(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		if f.Severity != SevInfo {
			out = append(out, f.ID+" "+f.Subject)
		}
	}
	sort.Strings(out)
	return out
}

func find(fs []Finding, id, subject string) *Finding {
	for i := range fs {
		if fs[i].ID == id && fs[i].Subject == subject {
			return &fs[i]
		}
	}
	return nil
}

func regSet(f *Finding) map[string]bool {
	m := map[string]bool{}
	for _, v := range f.Fix.Registry {
		m[fmt.Sprintf(`%s\%s=0x%X`, v.Key, v.Name, v.Value)] = true
	}
	return m
}

// s5GoalA are the per-server (and client) TLS gaps scenario S5 lists for
// goal A ("TLS 1.2 enabled everywhere").
var s5GoalA = []string{
	"TLS-DOTNET EX2010-01",
	"TLS-EXBUILD EX2010-01",
	"TLS-NET35 EX2010-01",
	"TLS-OS EX2010-01",
	"TLS-SCHANNEL EX2010-01",
	"TLS-SCHANNEL EX2013-01",
	"TLS-WIN7 win7-outlook2013",
}

// s5GoalB adds what goal B ("disable TLS 1.0/1.1") requires.
var s5GoalB = append(append([]string{}, s5GoalA...),
	"TLS-EXBUILD EX2010-02",
	"TLS-EXBUILD EX2013-01",
	"TLS-EXBUILD EX2016-01",
	"TLS-DISABLE-OLD EX2010-01",
	"TLS-DISABLE-OLD EX2010-02",
	"TLS-DISABLE-OLD EX2013-01",
	"TLS-DISABLE-OLD EX2016-01",
	"TLS-DISABLE-OLD EX2016-02",
	"TLS-DISABLE-OLD win7-outlook2013",
)

func TestScenarioS5GoalA(t *testing.T) {
	inv := loadSample(t, "s5-tls.toml")
	fs := findingsOf(inv, "TLS-")
	want := append([]string{}, s5GoalA...)
	sort.Strings(want)
	if got := gaps(fs); !reflect.DeepEqual(got, want) {
		t.Errorf("TLS gaps:\n got %q\nwant %q", got, want)
	}
	tests := []struct {
		id, subject string
		sev         Severity
		contains    string
		regs        []string
	}{
		{"TLS-EXBUILD", "EX2010-01", SevError, "Exchange 2010 SP3 RU19 (14.3.382.0)", nil},
		{"TLS-OS", "EX2010-01", SevError, "KB3161949", nil},
		{"TLS-DOTNET", "EX2010-01", SevError, "KB3154518", nil},
		{"TLS-SCHANNEL", "EX2010-01", SevError, "Windows Server 2008 R2", []string{
			tls12Client + `\Enabled=0x1`, tls12Client + `\DisabledByDefault=0x0`,
			tls12Server + `\Enabled=0x1`, tls12Server + `\DisabledByDefault=0x0`}},
		{"TLS-NET35", "EX2010-01", SevError, "SystemDefaultTlsVersions", []string{
			net2Native + `\SystemDefaultTlsVersions=0x1`, net2Wow + `\SystemDefaultTlsVersions=0x1`}},
		{"TLS-SCHANNEL", "EX2013-01", SevError, "differ", []string{tls12Server + `\Enabled=0x1`, tls12Server + `\DisabledByDefault=0x0`}},
		{"TLS-WIN7", "win7-outlook2013", SevWarning, "the 0xA8 and 0xA08 printed in Microsoft's article are typos", nil},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.subject, func(t *testing.T) {
			f := find(fs, tt.id, tt.subject)
			if f == nil {
				t.Fatal("missing")
			}
			if f.Severity != tt.sev {
				t.Errorf("severity: got %s, want %s", f.Severity, tt.sev)
			}
			if !strings.Contains(f.Message+f.Remediation, tt.contains) {
				t.Errorf("got %q, want it to mention %q", f.Message, tt.contains)
			}
			regs := regSet(f)
			for _, r := range tt.regs {
				if !regs[r] {
					t.Errorf("registry value %s missing; got %v", r, sortedKeys(regs))
				}
			}
			if len(tt.regs) > 0 && f.Fix.Server != tt.subject {
				t.Errorf("Fix.Server: got %q, want %q", f.Fix.Server, tt.subject)
			}
		})
	}
	// The certificate expiring before the cutover (the sample's own note).
	if f := find(findingsOf(inv, "CERT-EXPIRY"), "CERT-EXPIRY", "9A538C33C7C1DB2531B5366E0829B21B4C2B5568"); f == nil || f.Severity != SevWarning {
		t.Errorf("CERT-EXPIRY for EX2010-01's certificate: got %+v, want a warning", f)
	}
}

func checkS5GoalB(t *testing.T, inv *model.Inventory) {
	t.Helper()
	fs := findingsOf(inv, "TLS-")
	want := append([]string{}, s5GoalB...)
	sort.Strings(want)
	if got := gaps(fs); !reflect.DeepEqual(got, want) {
		t.Errorf("TLS gaps:\n got %q\nwant %q", got, want)
	}
	for _, c := range []struct{ subject, update string }{
		{"EX2010-01", "Exchange 2010 SP3 RU20 (14.3.389.1)"},
		{"EX2010-02", "Exchange 2010 SP3 RU20 (14.3.389.1)"},
		{"EX2013-01", "Exchange 2013 CU20 (15.0.1367.3)"},
		{"EX2016-01", "Exchange 2016 CU9 (15.1.1466.3)"},
	} {
		if f := find(fs, "TLS-EXBUILD", c.subject); f == nil || !strings.Contains(f.Message, c.update) {
			t.Errorf("TLS-EXBUILD %s: got %+v, want it to name %s", c.subject, f, c.update)
		}
	}
	if f := find(fs, "TLS-DISABLE-OLD", "win7-outlook2013"); f == nil || f.Severity != SevError {
		t.Errorf("TLS-DISABLE-OLD win7-outlook2013: got %+v, want an error", f)
	}
	for _, s := range []string{"EX2010-01", "EX2016-02"} {
		f := find(fs, "TLS-DISABLE-OLD", s)
		if f == nil {
			t.Errorf("TLS-DISABLE-OLD %s missing", s)
			continue
		}
		tls10 := `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server`
		if regs := regSet(f); !regs[tls10+`\Enabled=0x0`] || !regs[tls10+`\DisabledByDefault=0x1`] {
			t.Errorf("TLS-DISABLE-OLD %s: registry %v lacks the TLS 1.0 Server disabling values", s, sortedKeys(regs))
		}
	}
	if f := find(fs, "TLS-NET35", "EX2010-01"); f == nil || f.Severity != SevError {
		t.Errorf("TLS-NET35 EX2010-01 under goal B: got %+v, want an error", f)
	}
}

func TestScenarioS5GoalB(t *testing.T) {
	t.Run("variant file", func(t *testing.T) {
		checkS5GoalB(t, loadSample(t, "s5-tls.toml", "variants/s5-goal-b.toml"))
	})
	t.Run("goal switched in memory", func(t *testing.T) {
		inv := loadSample(t, "s5-tls.toml")
		inv.Organization.TLSGoal = model.TLSGoalDisableLegacy
		checkS5GoalB(t, inv)
	})
}

func TestScenarioS4Prerequisites(t *testing.T) {
	inv := loadSample(t, "s4-2016-2010.toml")
	fs := findingsOf(inv, "AUTH-EXPR-WILDCARD", "TLS-", "COEX-", "CLIENT-")
	want := []string{"AUTH-EXPR-WILDCARD Contoso", "TLS-WIN7 win7-outlook2016"}
	if got := gaps(fs); !reflect.DeepEqual(got, want) {
		t.Errorf("gaps: got %q, want %q", got, want)
	}
	if f := find(fs, "AUTH-EXPR-WILDCARD", "Contoso"); f != nil {
		if want := "Set-OutlookProvider EXPR -CertPrincipalName 'msstd:*.contoso.com'"; len(f.Fix.Commands()) == 0 || f.Fix.Commands()[0] != want {
			t.Errorf("AUTH-EXPR-WILDCARD commands: got %q, want first line %q", f.Fix.Commands(), want)
		}
	}
	if f := find(fs, "TLS-WIN7", "win7-outlook2016"); f != nil {
		regs := regSet(f)
		for _, r := range []string{
			`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp\DefaultSecureProtocols=0xA00`,
			`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp\DefaultSecureProtocols=0xA00`,
			`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\SecureProtocols=0xA80`,
		} {
			if !regs[r] {
				t.Errorf("TLS-WIN7 registry value %s missing; got %v", r, sortedKeys(regs))
			}
		}
		if !reflect.DeepEqual(f.Fix.KBs, []string{"KB3140245"}) || f.Fix.Server != "client profile win7-outlook2016" {
			t.Errorf("TLS-WIN7 fix: got KBs %q server %q", f.Fix.KBs, f.Fix.Server)
		}
	}
}

func TestScenarioS3Prerequisites(t *testing.T) {
	inv := loadSample(t, "s3-2013-2010.toml")
	fs := findingsOf(inv, "COEX-", "CLIENT-")
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s %s %s", f.Severity, f.ID, f.Subject))
	}
	sort.Strings(got)
	want := []string{
		"error CLIENT-OUTLOOK win7-outlook2003",
		"error COEX-2013-2010 Exc2010-Edge",
		"warning COEX-2013-2010 Exc2010-BR",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if f := find(fs, "COEX-2013-2010", "Exc2010-Edge"); f != nil {
		if w := "Exc2010-Edge runs Exchange 2010 SP2 RU8 (14.2.390.3); coexistence with Exchange 2013 needs Exchange 2010 SP3 (14.3.123.4) or later"; !strings.Contains(f.Message, w) {
			t.Errorf("got %q, want it to contain %q", f.Message, w)
		}
	}
	if f := find(fs, "CLIENT-OUTLOOK", "win7-outlook2003"); f != nil && !strings.Contains(f.Message, "Outlook 2003 SP3") {
		t.Errorf("got %q, want it to name Outlook 2003 SP3", f.Message)
	}
}

// S5 with a SHA512 certificate (testdata/audit/K-os.toml): seed 004 names
// KB2973337 for Windows Server 2008 SP2 too, so EX2010-01 (2008 SP2) is
// flagged with the 2012 and 2012 R2 servers.
func TestScenarioS5SHA512(t *testing.T) {
	inv := loadSample(t, "s5-tls.toml", "../testdata/audit/K-os.toml")
	var got []string
	for _, f := range findingsOf(inv, "CERT-SHA512") {
		got = append(got, string(f.Severity)+" "+f.Subject)
	}
	want := []string{"error EX2010-01", "error EX2010-02", "error EX2013-01"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CERT-SHA512: got %q, want %q", got, want)
	}
}
