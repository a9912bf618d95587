package templates_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/exchimport"
)

func readCollector(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("collect.ps1")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// psCode returns the script without its comments (# to the end of a line,
// <# … #> blocks), keeping string literals, so that the read-only header
// may name the verbs the code must not use.
func psCode(src string) string {
	var b strings.Builder
	inSingle, inDouble := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inSingle:
			b.WriteByte(c)
			if c == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					b.WriteByte('\'')
					i++
				} else {
					inSingle = false
				}
			}
		case inDouble:
			b.WriteByte(c)
			switch c {
			case '`':
				if i+1 < len(src) {
					b.WriteByte(src[i+1])
					i++
				}
			case '"':
				inDouble = false
			}
		case c == '<' && i+1 < len(src) && src[i+1] == '#':
			end := strings.Index(src[i+2:], "#>")
			if end < 0 {
				end = len(src) - i - 2
			}
			b.WriteString(strings.Repeat("\n", strings.Count(src[i:i+2+end], "\n"))) // keep line numbers
			i += 2 + end + 1
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		default:
			if c == '\'' {
				inSingle = true
			} else if c == '"' {
				inDouble = true
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

func TestPSCode(t *testing.T) {
	got := psCode("a # Set-X\n<# New-Y\n#> 'it''s # not' \"x`\"# y\" # Remove-Z\nb")
	want := "a \n\n 'it''s # not' \"x`\"# y\" \nb"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCollectorWritesWhatImportReads: every file the importer reads from a
// collector folder is written by collect.ps1, and every .xml file the
// script writes is one the importer knows.
func TestCollectorWritesWhatImportReads(t *testing.T) {
	src := readCollector(t)
	code := psCode(src)
	known := map[string]bool{}
	for _, f := range exchimport.Files {
		known[strings.ToLower(f.Name)] = true
		if !f.Collected {
			continue
		}
		if !strings.Contains(code, "'"+f.Name+"'") && !strings.Contains(code, `\`+f.Name+"'") && !strings.Contains(code, "'"+f.Name) {
			t.Errorf("collect.ps1 does not write %s (%s)", f.Name, f.Source)
		}
		if !strings.Contains(src, f.Name) {
			t.Errorf("collect.ps1's help does not mention %s", f.Name)
		}
	}
	for _, m := range regexp.MustCompile(`'([A-Za-z0-9_]+\.(?:xml|csv))'`).FindAllStringSubmatch(code, -1) {
		if !known[strings.ToLower(m[1])] {
			t.Errorf("collect.ps1 writes %s, which exchimport.Files does not list", m[1])
		}
	}
}

// TestCollectorIsReadOnly: no state-changing command in the code.
func TestCollectorIsReadOnly(t *testing.T) {
	src := readCollector(t)
	code := psCode(src)
	verbs := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_-])((Set|New|Remove|Enable|Disable|Add|Clear|Restart|Stop|Start|Install|Uninstall|Mount|Dismount|Move|Suspend|Resume|Update|Reset|Restore|Rename|Register|Unregister|Import|Test-Set|Write-Event)-[A-Za-z]+)`)
	for i, line := range strings.Split(code, "\n") {
		if m := verbs.FindStringSubmatch(line); m != nil {
			t.Errorf("collect.ps1:%d: state-changing command %s: %s", i+1, m[2], strings.TrimSpace(line))
		}
	}
	for _, bad := range []string{".SetValue(", ".CreateSubKey(", ".DeleteSubKey", ".DeleteValue(", "Invoke-Expression", "iex ", "Invoke-WmiMethod", "Invoke-CimMethod", ".Put(", ".Delete("} {
		if strings.Contains(code, bad) {
			t.Errorf("collect.ps1 uses %s", bad)
		}
	}
	if regexp.MustCompile(`OpenSubKey\([^)]*,`).MatchString(code) {
		t.Error("collect.ps1 opens a registry key with a second (writable) argument")
	}
	header := src[:strings.Index(src, "[CmdletBinding()]")]
	for _, w := range []string{"READ-ONLY", "changes nothing", "Set-", "New-", "Remove-", "Enable-", "Disable-", "Add-", "Clear-", "Restart-", "Stop-"} {
		if !strings.Contains(header, w) {
			t.Errorf("collect.ps1's header does not say %q", w)
		}
	}
}

// TestCollectorPowerShell2: the script avoids what PowerShell 2.0 (Exchange
// 2010 on Windows Server 2008 R2) lacks and is plain ASCII, which every
// PowerShell reads the same way without a byte-order mark.
func TestCollectorPowerShell2(t *testing.T) {
	src := readCollector(t)
	if !strings.HasPrefix(src, "#requires -version 2\n") {
		t.Error("collect.ps1 does not start with #requires -version 2")
	}
	for i, r := range src {
		if r > 0x7e || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') {
			t.Fatalf("collect.ps1: non-ASCII character %q at byte %d", r, i)
		}
	}
	code := psCode(src)
	for _, bad := range []string{
		"[pscustomobject]", "[ordered]", "ConvertTo-Json", "ConvertFrom-Json", ".ForEach(", ".Where(",
		"$PSItem", "$PSScriptRoot", "-Append", "-NoNewline", "::new(", "using namespace", "-ErrorAction Ignore",
		"Invoke-RestMethod", "Invoke-WebRequest",
	} {
		if strings.Contains(strings.ToLower(code), strings.ToLower(bad)) {
			t.Errorf("collect.ps1 uses %s, which PowerShell 2.0 lacks", bad)
		}
	}
	if regexp.MustCompile(`(?i)\s-(not)?in\s`).MatchString(code) {
		t.Error("collect.ps1 uses -in or -notin (PowerShell 3.0)")
	}
	// Get-CimInstance (PowerShell 3.0) only behind a check, with Get-WmiObject as the fallback.
	if strings.Contains(code, "Get-CimInstance -") && (!strings.Contains(code, "Test-CoexistCmdlet 'Get-CimInstance'") || !strings.Contains(code, "Get-WmiObject")) {
		t.Error("Get-CimInstance is used without a PowerShell 2.0 fallback")
	}
	// Braces and parentheses balance outside strings and comments.
	var stack []byte
	pairs := map[byte]byte{')': '(', '}': '{', ']': '['}
	stripped := regexp.MustCompile(`'(?:[^']|'')*'|"(?:[^"`+"`"+`]|`+"`"+`.)*"`).ReplaceAllString(code, "''")
	for i := 0; i < len(stripped); i++ {
		switch c := stripped[i]; c {
		case '(', '{', '[':
			stack = append(stack, c)
		case ')', '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[c] {
				t.Fatalf("collect.ps1: unbalanced %q at offset %d: …%s…", c, i, stripped[max(0, i-60):i+1])
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("collect.ps1: %d unclosed brackets", len(stack))
	}
}
