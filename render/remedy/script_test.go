package remedy

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/templates"
)

// planScript plans inventory files (paths relative to the repository
// root, or to this package's testdata when they start with "testdata/")
// and renders remediation.ps1.
func planScript(t *testing.T, files ...string) (string, []planner.Finding) {
	t.Helper()
	var paths []string
	for _, f := range files {
		if !strings.HasPrefix(f, "testdata/") {
			f = filepath.Join("..", "..", f)
		}
		paths = append(paths, f)
	}
	inv, _, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl := planner.Run(inv, planner.Options{})
	return string(Script(pl.Organization, pl.AsOf, pl.Findings)), pl.Findings
}

// scripts are the plans an admin would run: every sample and the audit
// overlays that reach the Outlook Anywhere, FBA and shell-specific remedies.
var scripts = map[string][]string{
	"s1":              {"samples/s1-contoso.toml"},
	"s1-before":       {"samples/s1-contoso.toml", "samples/variants/s1-before.toml"},
	"s1-splitbrain":   {"samples/s1-contoso.toml", "testdata/audit-A-splitbrain.toml"},
	"s1-nofba":        {"samples/s1-contoso.toml", "testdata/audit-D-nofba.toml"},
	"s2":              {"samples/s2-2007-2010.toml"},
	"s2b":             {"samples/s2-2007-2010.toml", "samples/variants/s2b-expr-server.toml"},
	"s3":              {"samples/s3-2013-2010.toml"},
	"s3b":             {"samples/s3-2013-2010.toml", "samples/variants/s3b-oa-disabled.toml"},
	"s3c":             {"samples/s3-2013-2010.toml", "samples/variants/s3c-basic-only.toml"},
	"s3-inconsistent": {"samples/s3-2013-2010.toml", "testdata/audit-H-inconsistent.toml"},
	"s4":              {"samples/s4-2016-2010.toml"},
	"s5":              {"samples/s5-tls.toml"},
	"s5b":             {"samples/s5-tls.toml", "samples/variants/s5-goal-b.toml"},
}

// mutating matches the cmdlets that change something.
var mutating = regexp.MustCompile(`\b(Set|New|Enable|Disable|Import|Restart|Remove|Start|Stop)-[A-Z][A-Za-z]+`)

// codeLines returns the script's lines after the prelude (from the first
// phase), with their brace context: the guards each line sits in.
type scriptLine struct {
	text   string
	guards []string // enclosing "if (...) {" lines, outermost first
}

func body(t *testing.T, script string) []scriptLine {
	t.Helper()
	i := strings.Index(script, "# PHASE ")
	if i < 0 {
		return nil
	}
	src := script[i:]
	r, cls, err := psClassify(src)
	if err != nil {
		t.Fatal(err)
	}
	var out []scriptLine
	var stack []string // the line of each open brace
	lineStart := 0
	for k := 0; k <= len(r); k++ {
		if k < len(r) && r[k] != '\n' {
			continue
		}
		line := strings.TrimRight(string(r[lineStart:k]), "\r")
		sl := scriptLine{text: line}
		for _, g := range stack {
			if strings.HasPrefix(g, "if (") {
				sl.guards = append(sl.guards, g)
			}
		}
		out = append(out, sl)
		for j := lineStart; j < k; j++ {
			if cls[j] != psCode {
				continue
			}
			switch r[j] {
			case '{':
				stack = append(stack, strings.TrimSpace(line))
			case '}':
				if len(stack) == 0 {
					t.Fatalf("unbalanced } at %q", line)
				}
				stack = stack[:len(stack)-1]
			}
		}
		lineStart = k + 1
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed braces: %q", stack)
	}
	return out
}

// TestScriptSafetyNet: in every sample's remediation.ps1, the script
// supports -WhatIf and stops on errors, every command that changes
// something runs only under $PSCmdlet.ShouldProcess (so -WhatIf skips
// it), after a read-only check and backup of the current value, and the
// whole script lexes as PowerShell.
func TestScriptSafetyNet(t *testing.T) {
	for name, files := range scripts {
		t.Run(name, func(t *testing.T) {
			s, _ := planScript(t, files...)
			for _, want := range []string{
				"[CmdletBinding(SupportsShouldProcess = $true)]\r\nparam(",
				"\r\nthrow 'remediation.ps1: review the script and remove this line before running it.'\r\n",
				"$ErrorActionPreference = 'Stop'",
				"Start-Transcript -Path (Join-Path $BackupPath 'transcript.txt')",
			} {
				if !strings.Contains(s, want) {
					t.Errorf("script lacks %q", want)
				}
			}
			if _, _, err := psClassify(s); err != nil {
				t.Fatalf("does not lex as PowerShell: %v", err)
			}
			lastHeader, backedUp := "", false
			for _, l := range body(t, s) {
				tl := strings.TrimSpace(l.text)
				if strings.HasPrefix(tl, "# [") {
					lastHeader, backedUp = tl, false
				}
				if strings.HasPrefix(tl, "Save-Backup ") || strings.HasPrefix(tl, "Save-RegBackup ") {
					backedUp = true
				}
				if strings.HasPrefix(tl, "#") {
					continue
				}
				if strings.HasPrefix(tl, "if ($PSCmdlet.ShouldProcess(") && !backedUp {
					t.Errorf("%s: a change with no check and backup of the current value before it: %s", lastHeader, tl)
				}
				if m := mutating.FindString(tl); m != "" && m != "Import-Module" && m != "Stop-Transcript" && !strings.HasPrefix(tl, "if (") {
					guarded := false
					for _, g := range l.guards {
						if strings.HasPrefix(g, "if ($PSCmdlet.ShouldProcess(") {
							guarded = true
						}
					}
					if !guarded {
						t.Errorf("%s: %s runs even under -WhatIf: %s", lastHeader, m, tl)
					}
				}
			}
		})
	}
}

// TestScriptPhaseOrder: sections follow the dependency order, disabling
// TLS 1.0/1.1 last (it came first when sorted by severity).
func TestScriptPhaseOrder(t *testing.T) {
	s, _ := planScript(t, "samples/s5-tls.toml", "samples/variants/s5-goal-b.toml")
	re := regexp.MustCompile(`(?m)^# ([A-Z0-9-]+) \(\d+ findings?\)\r$`)
	var ids []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		ids = append(ids, m[1])
	}
	pos := map[string]int{}
	for i, id := range ids {
		pos[id] = i
	}
	order := []string{"TLS-OS", "TLS-EXBUILD", "TLS-SCHANNEL", "TLS-VERIFY", "TLS-DISABLE-OLD"}
	for i, id := range order {
		if _, ok := pos[id]; !ok {
			t.Fatalf("no %s section among %v", id, ids)
		}
		if i > 0 && pos[id] < pos[order[i-1]] {
			t.Errorf("%s comes before %s: %v", id, order[i-1], ids)
		}
	}
	if ids[len(ids)-1] != "TLS-DISABLE-OLD" {
		t.Errorf("last section: got %s, want TLS-DISABLE-OLD (%v)", ids[len(ids)-1], ids)
	}
	if i, j := strings.Index(s, "# PHASE 3 of 8: Enable TLS 1.2, then restart"), strings.Index(s, "# PHASE 8 of 8: Disable TLS 1.0 and 1.1 (last)"); i < 0 || j < i {
		t.Errorf("phase banners missing or out of order (3 at %d, 8 at %d)", i, j)
	}
}

// TestEveryRuleHasAPhase: a new rule family must be placed on purpose.
func TestEveryRuleHasAPhase(t *testing.T) {
	for _, r := range planner.Rules() {
		if _, ok := phaseFor(r.ID); !ok {
			t.Errorf("rule %s has no phase in remediation.ps1", r.ID)
		}
	}
}

// TestScriptPowerShell2: commands that run on Exchange 2010 servers
// (Windows Server 2008 R2 ships PowerShell 2.0) use no PowerShell 3.0+
// features, and the TLS log scan reads only the newest days of the SMTP
// protocol logs (#33).
func TestScriptPowerShell2(t *testing.T) {
	for name, files := range scripts {
		t.Run(name, func(t *testing.T) {
			s, _ := planScript(t, files...)
			for _, bad := range []string{".Matches.Value", "Invoke-WebRequest", "$PSScriptRoot", "[ordered]", "::new(", " -Depth ", "TransportRoles\\Logs\" -Recurse", "-Recurse -Filter '*.log'"} {
				if strings.Contains(s, bad) {
					t.Errorf("uses %q, which PowerShell 2.0 lacks or which scans every transport log", bad)
				}
			}
			if strings.Contains(s, "SP_PROT_TLS1_") && (!strings.Contains(s, `'ProtocolLog\SmtpReceive', 'ProtocolLog\SmtpSend'`) || !strings.Contains(s, "$_.LastWriteTime -ge $since")) {
				t.Error("TLS verification does not target the SMTP protocol logs of the newest days")
			}
		})
	}
}

// TestScriptShells: 2007/2010-only cmdlets and parameters run only in the
// Exchange 2007/2010 Management Shell, 2013+-only ones only in the 2013+
// shell, each section saying which (#22).
func TestScriptShells(t *testing.T) {
	legacyOnly := regexp.MustCompile(`Enable-OutlookAnywhere|Set-OutlookAnywhere .* -ClientAuthenticationMethod|New-ClientAccessArray|Set-MailboxDatabase .*-RpcClientAccessServer|Set-(Pop|Imap)Settings`)
	newOnly := regexp.MustCompile(`-ExternalClientAuthenticationMethod|-InternalClientAuthenticationMethod|-InternalHostname|Set-ClientAccessService`)
	seen := map[string]bool{}
	for name, files := range scripts {
		s, _ := planScript(t, files...)
		for _, l := range body(t, s) {
			tl := strings.TrimSpace(l.text)
			code := strings.TrimPrefix(tl, "# ")
			var want string
			switch {
			case legacyOnly.MatchString(code) && !strings.HasPrefix(code, "Exchange 2010, once per site"):
				want = "if (Test-Shell 'EMS2010') {"
			case newOnly.MatchString(code):
				want = "if (Test-Shell 'EMS2013') {"
			default:
				continue
			}
			seen[want] = true
			ok := false
			for _, g := range l.guards {
				ok = ok || g == want
			}
			// A commented-out block carries its guard commented out too.
			if strings.HasPrefix(tl, "#") && strings.Contains(s, "# "+want) {
				ok = true
			}
			if !ok {
				t.Errorf("%s: %q is not inside %s (guards %q)", name, tl, want, l.guards)
			}
		}
	}
	if len(seen) != 2 {
		t.Errorf("the samples reached only %v: the test proves less than it claims", seen)
	}
}

// TestKB3140410OnlyOnItsServer: the DefaultAppPool workaround runs only on
// the Exchange 2010 server that lacks the update, through Invoke-Command,
// and only as the commented-out alternative to installing KB3140410 (#25).
func TestKB3140410OnlyOnItsServer(t *testing.T) {
	s, _ := planScript(t, "samples/s4-2016-2010.toml")
	var found bool
	for _, l := range strings.Split(s, "\r\n") {
		if !strings.Contains(l, `IIS:\AppPools\DefaultAppPool' -Name processModel.identityType -Value`) {
			continue
		}
		found = true
		tl := strings.TrimSpace(l)
		if !strings.HasPrefix(tl, "# Invoke-Command -ComputerName 'ex2010.contoso.com' -ScriptBlock {") {
			t.Errorf("workaround not a commented-out remote command on ex2010.contoso.com: %s", tl)
		}
	}
	if !found {
		t.Fatal("no KB3140410 workaround in the S4 script")
	}
	if !strings.Contains(s, "# Either install KB3140410 on EX2010 and restart it (preferred), or, only while it cannot be installed") {
		t.Error("the workaround is not offered as the alternative to installing KB3140410")
	}
}

// TestRemedyTexts: the Exchange build check does not print the Exchange
// 2010 rollup note for 2013+ servers; the split-brain fix explains why
// internal SSL stays off instead of forcing it (#13); the FBA fix names
// Basic on and Windows authentication off for Exchange 2010.
func TestRemedyTexts(t *testing.T) {
	mod, err := templates.Remedy("EXBUILD", map[string]any{"Server": "EX2016", "FQDN": "ex2016", "Need": "CU23", "Latest": "CU23", "Legacy": false})
	if err != nil {
		t.Fatal(err)
	}
	leg, _ := templates.Remedy("EXBUILD", map[string]any{"Server": "EX2010", "FQDN": "ex2010", "Need": "SP3", "Latest": "RU32", "Legacy": true})
	if strings.Contains(strings.Join(mod, "\n"), "rollups do not change AdminDisplayVersion") || !strings.Contains(strings.Join(leg, "\n"), "rollups do not change AdminDisplayVersion") {
		t.Errorf("rollup note: 2016 got %q, 2010 got %q", mod, leg)
	}
	s, fs := planScript(t, "samples/s5-tls.toml")
	for _, f := range fs {
		if (f.ID == "TLS-EXBUILD" || strings.HasPrefix(f.ID, "COEX-20")) && !strings.HasPrefix(f.Subject, "EX2010") && strings.Contains(strings.Join(f.Fix.Shell, "\n"), "2010 update rollups") {
			t.Errorf("%s on %s prints the Exchange 2010 rollup note", f.ID, f.Subject)
		}
	}
	// The certificate of an Exchange 2010 server is renewed in the 2010
	// shell (certificate cmdlets manage servers of their own version).
	if !strings.Contains(s, "if (Test-Shell 'EMS2010') {\r\n    Save-Backup 'CERT-EXPIRY-") {
		t.Error("the Exchange 2010 certificate renewal is not in the Exchange 2007/2010 Management Shell")
	}
	s, _ = planScript(t, "samples/s1-contoso.toml", "testdata/audit-A-splitbrain.toml")
	for _, want := range []string{"-InternalClientsRequireSsl $false", "Exchange 2016's internal Outlook Anywhere does not require SSL by"} {
		if !strings.Contains(s, want) {
			t.Errorf("split-brain fix lacks %q", want)
		}
	}
	_, fs = planScript(t, "samples/s1-contoso.toml", "testdata/audit-D-nofba.toml")
	fba := false
	for _, f := range fs {
		if f.ID == "AUTH-FBA-SSO" {
			fba = true
			if txt := strings.Join(f.Fix.Steps, " "); !strings.Contains(txt, "-BasicAuthentication $true -WindowsAuthentication $false") {
				t.Errorf("FBA fix for 2010: got %q", txt)
			}
		}
	}
	if !fba {
		t.Error("the no-FBA overlay raises no AUTH-FBA-SSO finding")
	}
}
