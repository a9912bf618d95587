// Package remedy writes a plan's remediation outputs: remediation.ps1, the
// commands of every finding grouped by finding ID in dependency order
// (phases), and one .reg file per server (or client profile) with the
// registry values its findings ask for, each with an undo file beside it.
//
// Both are meant to be reviewed by a consultant, never run blindly:
// remediation.ps1 starts with a throw that stops it until that line is
// removed, supports -WhatIf for every change, shows and saves every value
// before changing it, and runs each section only in the shell it needs;
// values that disable Schannel protocols (TLS 1.0/1.1) go into a separate
// "<server>-disable-protocols.reg" file so that importing a server's main
// .reg file can never cut clients off.
//
// Encoding: remediation.ps1 is UTF-8 with a byte order mark (Windows
// PowerShell 5.1 reads BOM-less files in the ANSI code page and would
// garble non-ASCII text) and CRLF line endings. The .reg files are plain
// ASCII with CRLF line endings and the "Windows Registry Editor Version
// 5.00" header: regedit exports UTF-16LE, but imports ASCII files with that
// header as well; non-ASCII characters in comments are transliterated or
// replaced by '?'. Output is deterministic: findings, keys and values are
// sorted, never taken from map order.
//
// The package uses the standard library only.
package remedy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/templates"
)

const crlf = "\r\n"

// bom is the UTF-8 byte order mark.
const bom = "\ufeff"

// wrapWidth is the width comment text is wrapped at in remediation.ps1.
const wrapWidth = 100

// sevRank orders severities, errors first.
func sevRank(s planner.Severity) int { return s.Rank() }

// phase is a step of the remediation order: what must be done before
// the next phase can work.
type phase struct {
	n           int
	title, note string
}

// phases is the order remediation.ps1 follows: updates before the builds
// that need them, TLS 1.2 enabled (and servers restarted) before anything
// relies on it, certificates before the virtual directories and Outlook
// Anywhere settings that use their names, those before namespaces move,
// verification, and disabling TLS 1.0/1.1 strictly last.
var phases = []phase{
	{1, "OS updates and .NET", "Windows and .NET updates on the servers (and client upgrades) come first: the Exchange updates and TLS settings of later phases depend on them. Restart each server after its updates."},
	{2, "Exchange builds", "Bring every Exchange server to the build coexistence and TLS 1.2 need. Check the installed build first (read-only commands below), then install the update outside this script."},
	{3, "Enable TLS 1.2, then restart", "Schannel and .NET read these registry values at start-up: restart each server changed in this phase before phase 4."},
	{4, "Certificates", "Request, import and enable certificates with every name clients will use before any virtual directory or namespace points at those names."},
	{5, "Virtual directories and Outlook Anywhere", "Authentication and URLs of the virtual directories and Outlook Anywhere, on the servers each line names."},
	{6, "Namespaces and DNS", "Move names (DNS, load balancers, Autodiscover, RPC Client Access) only after phases 1 to 5 are done."},
	{7, "Verification", "Read-only: confirm that TLS 1.2 is used and that connections work before disabling anything."},
	{8, "Disable TLS 1.0 and 1.1 (last)", "Only after every server, client and partner uses TLS 1.2 (phase 7). Commented out on purpose."},
}

// phaseByID places rule IDs in phases; phasePrefix places the rest by
// their family.
var (
	phaseByID = map[string]int{
		"TLS-OS": 1, "TLS-DOTNET": 1, "CERT-SHA512": 1, "AUTH-KB3140410": 1, "COEX-OS": 1,
		"LIFE-WINDOWS": 1, "LIFE-OUTLOOK": 1, "LIFE-CLIENT-OS": 1,
		"TLS-EXBUILD":  2,
		"TLS-SCHANNEL": 3, "TLS-NET35": 3, "TLS-NET4": 3, "TLS-WIN7": 3,
		"CERT-LEGACY":     5,
		"TLS-VERIFY":      7,
		"TLS-DISABLE-OLD": 8,
	}
	phasePrefix = []struct {
		prefix string
		n      int
	}{{"CLIENT-", 1}, {"COEX-", 2}, {"LIFE-", 2}, {"CERT-", 4}, {"AUTH-", 5}, {"NS-", 6}, {"PATH-", 6}, {"TLS-", 3}}
)

// phaseOf returns the phase of a rule ID; an ID of no known family goes
// to phase 6, after every prerequisite and before verification.
func phaseOf(id string) phase {
	p, _ := phaseFor(id)
	return p
}

// phaseFor returns the phase of a rule ID and whether the ID or its
// family is placed (phase 6 otherwise).
func phaseFor(id string) (phase, bool) {
	n, ok := phaseByID[id]
	for _, p := range phasePrefix {
		if !ok && strings.HasPrefix(id, p.prefix) {
			n, ok = p.n, true
		}
	}
	if !ok {
		return phases[5], false
	}
	return phases[n-1], true
}

// sortFindings returns the findings grouped by ID: groups ordered by
// phase, then by their most severe finding, then ID; findings within a
// group by severity, subject and message. The input is not modified.
func sortFindings(fs []planner.Finding) [][]planner.Finding {
	best := map[string]int{}
	for _, f := range fs {
		r, ok := best[f.ID]
		if !ok || sevRank(f.Severity) < r {
			best[f.ID] = sevRank(f.Severity)
		}
	}
	s := append([]planner.Finding(nil), fs...)
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if pa, pb := phaseOf(a.ID).n, phaseOf(b.ID).n; pa != pb {
			return pa < pb
		}
		if best[a.ID] != best[b.ID] {
			return best[a.ID] < best[b.ID]
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if sevRank(a.Severity) != sevRank(b.Severity) {
			return sevRank(a.Severity) < sevRank(b.Severity)
		}
		if la, lb := strings.ToLower(a.Subject), strings.ToLower(b.Subject); la != lb {
			return la < lb
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		return a.Message < b.Message
	})
	var groups [][]planner.Finding
	for i, f := range s {
		if i == 0 || f.ID != s[i-1].ID {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], f)
	}
	return groups
}

// lines collects output lines and joins them with CRLF.
type lines struct{ b bytes.Buffer }

func (l *lines) add(s string) {
	// A value with its own line breaks becomes several lines.
	for _, part := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		l.b.WriteString(strings.TrimRight(part, " \t\r"))
		l.b.WriteString(crlf)
	}
}

func (l *lines) blank() { l.b.WriteString(crlf) }

// comment adds text as "# " comment lines wrapped at wrapWidth.
//
// Characters that would end the comment or hide text (see
// templates.CommentText) are shown as [U+XXXX]; "\n" starts a paragraph.
func (l *lines) comment(prefix, text string) {
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		para = templates.CommentText(para)
		for _, w := range wrap(prefix+para, wrapWidth-2) {
			l.add("# " + w)
			prefix = ""
		}
		prefix = ""
	}
}

// wrap breaks text into lines of at most width runes at spaces (a longer
// word stays whole).
func wrap(text string, width int) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	cur := words[0]
	for _, w := range words[1:] {
		if utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return append(out, cur)
}

// Script renders remediation.ps1 for the organisation's findings: a
// header (organisation, date, review warning, how to run it, counts), a
// param block (-WhatIf, -BackupPath, -LogDays, -LegacyOnly), a guard line
// that stops the script until it is removed, the prelude (prelude.ps1:
// $ErrorActionPreference = 'Stop', a transcript and backup folder, shell
// detection), then the findings in phase order (see phases), one section
// per finding ID, with a comment block per finding (severity, subject,
// message, source, updates, steps, registry files) followed by its
// commands run as their "#!" directives say: each in its shell, each
// change after a read-only check and backup of the current value, and
// only if -WhatIf is off.
func Script(org string, date time.Time, findings []planner.Finding) []byte {
	var l lines
	l.b.WriteString(bom)
	day := "(no date)"
	if !date.IsZero() {
		day = date.Format("2006-01-02")
	}
	count := map[planner.Severity]int{}
	for _, f := range findings {
		count[f.Severity]++
	}
	l.add("# remediation.ps1 - coexist remediation for " + oneLine(org))
	l.add("# Date: " + day)
	l.add("#")
	l.comment("", "REVIEW BEFORE RUNNING. These commands change Exchange servers, the organisation configuration and the registry. Read the finding each section fixes and run the script in a change window. Sections follow the order the changes depend on, in phases: 1 OS updates and .NET, 2 Exchange builds, 3 enable TLS 1.2 and restart, 4 certificates, 5 virtual directories and Outlook Anywhere, 6 namespaces and DNS, 7 verification, 8 disable TLS 1.0/1.1 last. Commands meant for clients, optional recommendations and commands that disable protocols are commented out.")
	l.add("#")
	l.comment("", "How to run: .\\remediation.ps1 -WhatIf first: it changes nothing, but shows and saves every current value. Then .\\remediation.ps1 (add -Confirm to be asked before each change). Before each change the script shows the current value and saves it (Get-* output, reg export) in -BackupPath (default: a coexist-backup-<date> folder beside the script), with a transcript of the run. Each section says which shell it needs; sections for another shell are skipped with a warning. Run the script in the Exchange 2013 or later Management Shell (in an organisation without Exchange 2013 or later, once in the Exchange 2010 one); then, if it skipped sections that need the Exchange 2007/2010 Management Shell, run it there with -LegacyOnly. The script needs Windows PowerShell 2.0 or later and WinRM to the servers.")
	l.add(fmt.Sprintf("# Findings: %d (%s, %s, %d info).", len(findings), plural(count[planner.SevError], "error"), plural(count[planner.SevWarning], "warning"), count[planner.SevInfo]))
	l.blank()
	for _, pl := range strings.Split(strings.TrimSpace(prelude), "\n") {
		if pl == "throw" {
			l.add("throw 'remediation.ps1: review the script and remove this line before running it.'")
			continue
		}
		l.add(pl)
	}
	groups := sortFindings(findings)
	lay := layout(findings)
	cur := 0
	for _, g := range groups {
		if ph := phaseOf(g[0].ID); ph.n != cur {
			cur = ph.n
			l.blank()
			l.add("# " + strings.Repeat("#", wrapWidth-2))
			l.add(fmt.Sprintf("# PHASE %d of %d: %s", ph.n, len(phases), ph.title))
			l.comment("", ph.note)
			l.add("# " + strings.Repeat("#", wrapWidth-2))
		}
		l.blank()
		l.add("# " + strings.Repeat("=", wrapWidth-2))
		n := "finding"
		if len(g) != 1 {
			n = "findings"
		}
		l.add(fmt.Sprintf("# %s (%d %s)", g[0].ID, len(g), n))
		l.add("# " + strings.Repeat("=", wrapWidth-2))
		for _, f := range g {
			l.blank()
			l.add(fmt.Sprintf("# [%s] %s", f.Severity, oneLine(templates.CommentText(f.Subject))))
			l.comment("", f.Message)
			for _, src := range planner.SourcesOf(f.Sources) {
				l.comment("Source: ", src.Citation())
			}
			if f.Inferred {
				l.comment("", "Basis: inferred (our reading of the sources): verify it for this estate.")
			}
			if len(f.Fix.KBs) > 0 {
				l.comment("Install: ", strings.Join(f.Fix.KBs, ", "))
			}
			for _, st := range f.Fix.Steps {
				l.comment("Step: ", st)
			}
			if len(f.Fix.Registry) > 0 {
				files := lay.regFileNames(f.Fix.Server, f.Fix.Registry)
				var undo []string
				for _, n := range files {
					undo = append(undo, undoName(n))
				}
				l.comment("Registry: ", fmt.Sprintf("the values set below are also in %s; to go back, import %s.", strings.Join(files, " and "), strings.Join(undo, " and ")))
			}
			if len(f.Fix.Commands()) == 0 {
				l.add("# (no command: see the steps above)")
				continue
			}
			writeCommands(&l, f.ID+"-"+f.Subject, f.Fix.Shell)
		}
	}
	l.blank()
	l.add("try { Stop-Transcript -WhatIf:$false | Out-Null } catch { }")
	return l.b.Bytes()
}

// prelude follows the header of remediation.ps1 ("throw" marks the guard
// line). It must run on Windows PowerShell 2.0 (Exchange 2010 on Windows
// Server 2008 R2): no member enumeration, no $PSScriptRoot, .NET calls
// for the backup files so that -WhatIf never suppresses a backup.
const prelude = `
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    # Folder for the transcript and the backups of every value before it changes.
    [string]$BackupPath = '',
    # Days of SMTP protocol logs the TLS verification reads, newest first.
    [int]$LogDays = 7,
    # Run only the sections that need the Exchange 2007/2010 Management Shell.
    [switch]$LegacyOnly
)

throw

$ErrorActionPreference = 'Stop'
if (-not $BackupPath) {
    $BackupPath = Join-Path (Split-Path -Parent $MyInvocation.MyCommand.Definition) ('coexist-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))
}
$BackupPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($BackupPath)
[void][IO.Directory]::CreateDirectory($BackupPath)
try {
    Start-Transcript -Path (Join-Path $BackupPath 'transcript.txt') -Append -WhatIf:$false | Out-Null
} catch {
    Write-Warning ('No transcript (this host cannot record one): ' + $_.Exception.Message)
}

# Which shell is this? Get-ExchangeServer exists in every Exchange Management Shell,
# Enable-OutlookAnywhere only in the 2007/2010 one (Outlook Anywhere is always on in 2013+).
$script:EMS = [bool](Get-Command Get-ExchangeServer -ErrorAction SilentlyContinue)
$script:EMS2010 = [bool](Get-Command Enable-OutlookAnywhere -ErrorAction SilentlyContinue)
$script:Backups = 0

# Test-Shell: may this section run in this shell? If not, say where to run it.
function Test-Shell([string]$Need) {
    if ($LegacyOnly -and $Need -ne 'EMS2010') { return $false }
    switch ($Need) {
        'EMS' { $ok = $script:EMS; $where = 'an Exchange Management Shell' }
        'EMS2010' { $ok = $script:EMS2010; $where = 'the Exchange 2007/2010 Management Shell (run this script there with -LegacyOnly)' }
        'EMS2013' { $ok = $script:EMS -and -not $script:EMS2010; $where = 'the Exchange 2013 or later Management Shell' }
        default { $ok = $true; $where = 'Windows PowerShell' }
    }
    if (-not $ok) { Write-Warning ('Section skipped: it needs ' + $where + '.') }
    return $ok
}

# Save-Backup: show the current value (a read-only command) and keep it in the backup
# folder, also under -WhatIf.
function Save-Backup([string]$Label, [scriptblock]$Read) {
    $script:Backups++
    $file = Join-Path $BackupPath ('{0:D3}-{1}.txt' -f $script:Backups, ($Label -replace '[^A-Za-z0-9._-]', '_'))
    $text = & $Read | Out-String -Width 4096
    [IO.File]::WriteAllText($file, $text)
    Write-Host ('Current value, saved to ' + $file + ':')
    Write-Host $text
}

# Save-RegBackup: reg export of each registry key on a server before it changes.
function Save-RegBackup([string]$Label, [string]$Computer, [string[]]$Keys) {
    foreach ($key in $Keys) {
        $script:Backups++
        $regKey = $key -replace '^HKLM:\\', 'HKLM\'
        $file = Join-Path $BackupPath ('{0:D3}-{1}.reg' -f $script:Backups, ($Label -replace '[^A-Za-z0-9._-]', '_'))
        $text = Invoke-Command -ComputerName $Computer -ArgumentList $regKey -ScriptBlock {
            param($k)
            if (-not (Test-Path -LiteralPath ('Registry::' + $k))) { return '' }
            $tmp = [IO.Path]::GetTempFileName()
            & reg.exe export $k $tmp /y | Out-Null
            $t = [IO.File]::ReadAllText($tmp)
            Remove-Item -LiteralPath $tmp
            $t
        }
        if ($text) {
            [IO.File]::WriteAllText($file, $text, [Text.Encoding]::Unicode)
            Write-Host ('Saved ' + $regKey + ' of ' + $Computer + ' to ' + $file)
        } else {
            Write-Host ($regKey + ' does not exist yet on ' + $Computer + ': nothing to back up.')
        }
    }
}
`

// shellNames say which shell a "#!shell" directive asks for.
var shellNames = map[string]string{
	"PS":      "Windows PowerShell 2.0 or later (no Exchange cmdlets; remote commands over WinRM)",
	"EMS":     "any Exchange Management Shell",
	"EMS2010": "the Exchange 2007/2010 Management Shell",
	"EMS2013": "the Exchange 2013 or later Management Shell",
}

// cmdItem is one command line, read-only check, registry backup or
// change of a remedy.
type cmdItem struct {
	kind  string   // "line", "check", "regbackup", "change"
	text  string   // the line, the check command, the backup or change arguments
	lines []string // a change's commands
}

// shellBlock is a remedy's items that need one shell.
type shellBlock struct {
	shell string
	items []cmdItem
}

// parseCommands splits a remedy's lines by their "#!" directives (see
// package templates).
func parseCommands(shell []string) []shellBlock {
	blocks := []shellBlock{{}}
	inChange := false
	for _, line := range shell {
		b := &blocks[len(blocks)-1]
		t := strings.TrimSpace(line)
		verb, arg, _ := strings.Cut(strings.TrimPrefix(t, "#!"), " ")
		switch {
		case !templates.IsDirective(line):
			if inChange {
				c := &b.items[len(b.items)-1]
				c.lines = append(c.lines, line)
			} else {
				b.items = append(b.items, cmdItem{kind: "line", text: line})
			}
		case verb == "shell":
			inChange = false
			if len(b.items) == 0 {
				b.shell = arg
			} else {
				blocks = append(blocks, shellBlock{shell: arg})
			}
		case verb == "check" || verb == "regbackup":
			b.items = append(b.items, cmdItem{kind: verb, text: arg})
		case verb == "change":
			inChange = true
			b.items = append(b.items, cmdItem{kind: "change", text: arg})
		case verb == "end":
			inChange = false
		}
	}
	return blocks
}

// allComments reports whether every line is a comment.
func allComments(ls []string) bool {
	for _, x := range ls {
		if !strings.HasPrefix(strings.TrimSpace(x), "#") {
			return false
		}
	}
	return len(ls) > 0
}

// commented reports whether every command of the block is commented out
// (client commands, optional recommendations, the last-step disabling):
// its check, backup and change wrappers are then commented out too, so
// that uncommenting the block gives the whole guarded sequence.
func (b shellBlock) commented() bool {
	some := false
	for _, it := range b.items {
		ls := it.lines
		if it.kind == "line" {
			ls = []string{it.text}
		}
		for _, x := range ls {
			if !strings.HasPrefix(strings.TrimSpace(x), "#") {
				return false
			}
			some = true
		}
	}
	return some
}

// writeCommands writes a finding's commands: per shell block a "Shell:"
// comment and a Test-Shell guard, Save-Backup / Save-RegBackup calls for
// the checks (label names the backup files), and each change inside
// $PSCmdlet.ShouldProcess, which -WhatIf turns off.
func writeCommands(l *lines, label string, shell []string) {
	label = sanitize(label)
	if len(label) > 60 {
		label = strings.TrimRight(label[:60], "._-")
	}
	for _, b := range parseCommands(shell) {
		if len(b.items) == 0 {
			continue
		}
		pre := ""
		if b.commented() {
			pre = "# "
		}
		ind := ""
		if name, ok := shellNames[b.shell]; ok {
			l.add("# Shell: " + name + ".")
			if b.shell != "PS" {
				l.add(pre + "if (Test-Shell '" + b.shell + "') {")
				ind = "    "
			}
		}
		for _, it := range b.items {
			switch it.kind {
			case "line":
				l.add(ind + it.text)
			case "check":
				l.add(ind + pre + "Save-Backup " + templates.PSQuote(label) + " { " + it.text + " }")
			case "regbackup":
				l.add(ind + pre + "Save-RegBackup " + templates.PSQuote(label) + " " + it.text)
			case "change":
				// A change whose commands are all commented out (an
				// either/or alternative) has its guard commented out too.
				cpre := pre
				if allComments(it.lines) {
					cpre = "# "
				}
				l.add(ind + cpre + "if ($PSCmdlet.ShouldProcess(" + it.text + ")) {")
				for _, x := range it.lines {
					if cpre != "" {
						l.add(ind + x)
					} else {
						l.add(ind + "    " + x)
					}
				}
				l.add(ind + cpre + "}")
			}
		}
		if ind != "" {
			l.add(pre + "}")
		}
	}
}

// plural writes "1 error", "2 errors".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// oneLine folds line breaks into spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// isDisabling reports whether a registry value disables an older Schannel
// protocol (Enabled=0 or DisabledByDefault=1 under ...\SCHANNEL\Protocols):
// such values go to a separate file, applied last. Disabling TLS 1.3 where
// Exchange does not support it (TLS-13) is a fix to apply now, with the
// TLS 1.2 values, so it stays in the server's main file.
func isDisabling(v planner.RegValue) bool {
	k := strings.ToUpper(v.Key)
	if !strings.Contains(k, `\SCHANNEL\PROTOCOLS\`) || strings.Contains(k, `\PROTOCOLS\TLS 1.3\`) {
		return false
	}
	return (strings.EqualFold(v.Name, "Enabled") && v.Value == 0) ||
		(strings.EqualFold(v.Name, "DisabledByDefault") && v.Value == 1)
}

// File name suffixes: the protocol-disabling file, the undo file beside
// each file, and the extension.
const (
	disableSuffix = "-disable-protocols"
	undoSuffix    = "-undo"
	regExt        = ".reg"
)

// fileSuffixes are every suffix a server's base name can carry; names
// are unique across all of them.
var fileSuffixes = []string{
	regExt, disableSuffix + regExt, undoSuffix + regExt, disableSuffix + undoSuffix + regExt,
}

// maxName caps a whole output file name (Windows tools and zip archives
// cope badly with longer ones); maxBase leaves room for the longest suffix.
const (
	maxName = 100
	maxBase = maxName - len(disableSuffix+undoSuffix+regExt)
)

// hashedBase is a server's base name with a stable hash of the full
// name: the sanitised name cut to leave room, "-", and the first 8 hex
// digits of the name's SHA-256. Two names that sanitise alike, or are
// too long, get different file names that never change between runs.
func hashedBase(server string) string {
	sum := sha256.Sum256([]byte(server))
	s := sanitize(server)
	if keep := maxBase - 9; len(s) > keep {
		s = strings.TrimRight(s[:keep], "._-")
	}
	return s + "-" + hex.EncodeToString(sum[:4])
}

// baseNames gives every server (or "client profile X") a file base name:
// its sanitised name, or the hashed base when that is longer than maxBase
// or when any of its file names would collide, letters case ignored (as
// on Windows), with another server's (a name that already is a clean file
// name keeps it when hashing the others is enough). The result depends only on the set
// of names, never on their order.
func baseNames(servers []string) map[string]string {
	names := append([]string(nil), servers...)
	sort.Strings(names)
	base := map[string]string{}
	hashed := map[string]bool{}
	for _, s := range names {
		base[s] = sanitize(s)
		if len(base[s]) > maxBase {
			base[s], hashed[s] = hashedBase(s), true
		}
	}
	for round := 0; ; round++ {
		owner := map[string]string{}
		clash := map[string]bool{}
		for _, s := range names {
			for _, suf := range fileSuffixes {
				n := strings.ToLower(base[s] + suf)
				if o, ok := owner[n]; ok && o != s {
					clash[s], clash[o] = true, true
				} else {
					owner[n] = s
				}
			}
		}
		if len(clash) == 0 {
			return base
		}
		// A name that is already a clean file name (it sanitises to itself)
		// keeps it if hashing the others resolves the clash.
		changed := false
		for _, exactToo := range []bool{false, true} {
			for _, s := range names {
				if clash[s] && !hashed[s] && (exactToo || sanitize(s) != s) {
					base[s], hashed[s], changed = hashedBase(s), true, true
				}
			}
			if changed {
				break
			}
		}
		if !changed {
			// Hashed names still clash (a 32-bit hash collision with the same
			// prefix): number them in name order.
			for i, s := range names {
				if clash[s] {
					base[s] = fmt.Sprintf("%s-%d", base[s], i+1)
				}
			}
		}
	}
}

// regEntry is one finding's values for one file.
type regEntry struct {
	id, msg string
	vals    []planner.RegValue
}

// regFile accumulates one output file.
type regFile struct {
	server  string
	disable bool
	entries []regEntry
}

// regLayout is the .reg files of a plan: which file holds which values,
// and every server's base name.
type regLayout struct {
	files []*regFile // sorted by server, main file first
	base  map[string]string
}

// layout sorts the findings' registry values into files.
func layout(findings []planner.Finding) regLayout {
	files := map[string]*regFile{}
	for _, f := range findings {
		if len(f.Fix.Registry) == 0 {
			continue
		}
		var main, dis []planner.RegValue
		for _, v := range f.Fix.Registry {
			if isDisabling(v) {
				dis = append(dis, v)
			} else {
				main = append(main, v)
			}
		}
		for _, part := range []struct {
			disable bool
			vals    []planner.RegValue
		}{{false, main}, {true, dis}} {
			if len(part.vals) == 0 {
				continue
			}
			k := fmt.Sprintf("%s\x00%t", f.Fix.Server, part.disable)
			rf := files[k]
			if rf == nil {
				rf = &regFile{server: f.Fix.Server, disable: part.disable}
				files[k] = rf
			}
			rf.entries = append(rf.entries, regEntry{id: f.ID, msg: f.Message, vals: part.vals})
		}
	}
	var lay regLayout
	var servers []string
	seen := map[string]bool{}
	for _, rf := range files {
		lay.files = append(lay.files, rf)
		if !seen[rf.server] {
			seen[rf.server] = true
			servers = append(servers, rf.server)
		}
	}
	sort.Slice(lay.files, func(i, j int) bool {
		if lay.files[i].server != lay.files[j].server {
			return lay.files[i].server < lay.files[j].server
		}
		return !lay.files[i].disable && lay.files[j].disable
	})
	lay.base = baseNames(servers)
	return lay
}

// name is the file name of a server's main or disabling file.
func (lay regLayout) name(server string, disable bool) string {
	b := lay.base[server]
	if disable {
		b += disableSuffix
	}
	return b + regExt
}

// undoName is the undo file beside a .reg file.
func undoName(name string) string {
	return strings.TrimSuffix(name, regExt) + undoSuffix + regExt
}

// regFileNames names the files a finding's values go to.
func (lay regLayout) regFileNames(server string, vals []planner.RegValue) []string {
	var main, dis bool
	for _, v := range vals {
		if isDisabling(v) {
			dis = true
		} else {
			main = true
		}
	}
	var r []string
	if main {
		r = append(r, lay.name(server, false))
	}
	if dis {
		r = append(r, lay.name(server, true))
	}
	return r
}

// RegFiles renders the .reg files of the findings that carry registry
// values, keyed by file name: per Fix.Server (a server, or "client
// profile X") "<name>.reg" and, for values that disable Schannel
// protocols, "<name>-disable-protocols.reg"; beside each an undo file
// "<name>-undo.reg" / "<name>-disable-protocols-undo.reg" that restores
// the values the inventory recorded (deleting those it records as
// undefined). <name> is the sanitised server name, or, when that is
// longer than maxBase characters or its files would collide with another
// server's, a shortened name with a stable hash suffix; no file name is
// longer than maxName. Each file is ASCII with CRLF line endings: the
// "Windows Registry Editor Version 5.00" header, a blank line, a comment
// header, then per finding (sorted by ID and message) a "; <ID>:
// <message>" comment and its key blocks ("[HKEY_LOCAL_MACHINE\...]"
// followed by "\"Name\"=dword:0000000a" lines, keys and names sorted). A
// value already written by an earlier finding in the same file is not
// repeated.
func RegFiles(findings []planner.Finding) map[string][]byte {
	lay := layout(findings)
	out := map[string][]byte{}
	for _, rf := range lay.files {
		name := lay.name(rf.server, rf.disable)
		out[name] = rf.render(name)
		out[undoName(name)] = rf.renderUndo(name)
	}
	return out
}

func (rf *regFile) render(name string) []byte {
	var l lines
	l.add("Windows Registry Editor Version 5.00")
	l.blank()
	who := rf.server
	if who == "" {
		who = "(no server named)"
	}
	if rf.disable {
		l.add(ascii("; coexist: values that DISABLE protocols on " + oneLine(who) + "."))
		l.add("; APPLY LAST: only after every Exchange server and client is TLS 1.2-ready and partners are checked.")
	} else {
		l.add(ascii("; coexist: registry values for " + oneLine(who) + "."))
	}
	l.add("; Review before importing (regedit /s <file>); restart the computer afterwards.")
	l.add(ascii("; To go back: " + undoName(name) + " restores the values recorded in the inventory."))
	sort.SliceStable(rf.entries, func(i, j int) bool {
		if rf.entries[i].id != rf.entries[j].id {
			return rf.entries[i].id < rf.entries[j].id
		}
		return rf.entries[i].msg < rf.entries[j].msg
	})
	written := map[string]uint32{} // key\x00name → value
	for _, e := range rf.entries {
		l.blank()
		l.add(ascii("; " + e.id + ": " + oneLine(e.msg)))
		byKey := map[string][]planner.RegValue{}
		for _, v := range e.vals {
			byKey[v.Key] = append(byKey[v.Key], v)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		first := true
		for _, k := range keys {
			vs := byKey[k]
			sort.SliceStable(vs, func(i, j int) bool { return vs[i].Name < vs[j].Name })
			var body []string
			for _, v := range vs {
				id := strings.ToLower(k) + "\x00" + strings.ToLower(v.Name)
				if old, ok := written[id]; ok {
					if old == v.Value {
						continue
					}
					body = append(body, ascii(fmt.Sprintf("; replaces the value %s=dword:%08x set above", v.Name, old)))
				}
				written[id] = v.Value
				body = append(body, fmt.Sprintf("%s=dword:%08x", regString(v.Name), v.Value))
			}
			if len(body) == 0 {
				continue
			}
			if !first {
				l.blank()
			}
			first = false
			l.add(ascii("[" + k + "]"))
			for _, b := range body {
				l.add(b)
			}
		}
		if first {
			l.add("; (values already set above)")
		}
	}
	return l.b.Bytes()
}

// renderUndo renders the undo file of rf (written as name): every value
// rf sets, back to what the inventory recorded before the change, or
// deleted ("Name"=-) where the inventory records it as undefined. A value
// whose earlier state the inventory does not record is listed as a
// comment pointing to the backup remediation.ps1 takes.
func (rf *regFile) renderUndo(name string) []byte {
	var l lines
	l.add("Windows Registry Editor Version 5.00")
	l.blank()
	who := rf.server
	if who == "" {
		who = "(no server named)"
	}
	l.add(ascii("; coexist: UNDO of " + name))
	l.add(ascii("; for " + oneLine(who) + "."))
	l.add("; Restores the values it sets to their state in the inventory (a value the inventory records as")
	l.add("; undefined is deleted). If the server changed since the")
	l.add("; inventory was taken, prefer the backup remediation.ps1 saved (reg export) before its change.")
	l.add("; Review before importing (regedit /s <file>); restart the computer afterwards.")
	byKey := map[string][]planner.RegValue{}
	seen := map[string]bool{}
	for _, e := range rf.entries {
		for _, v := range e.vals {
			id := strings.ToLower(v.Key) + "\x00" + strings.ToLower(v.Name)
			if seen[id] {
				continue
			}
			seen[id] = true
			byKey[v.Key] = append(byKey[v.Key], v)
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := byKey[k]
		sort.SliceStable(vs, func(i, j int) bool { return vs[i].Name < vs[j].Name })
		l.blank()
		l.add(ascii("[" + k + "]"))
		for _, v := range vs {
			switch {
			case !v.Recorded:
				l.add(ascii(fmt.Sprintf("; %s: its earlier value is not in the inventory; restore it from the backup.", v.Name)))
			case v.Was == nil:
				l.add(regString(v.Name) + "=-")
			default:
				l.add(fmt.Sprintf("%s=dword:%08x", regString(v.Name), *v.Was))
			}
		}
	}
	return l.b.Bytes()
}

// regString quotes a value name for a .reg file.
func regString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + ascii(s) + `"`
}

// asciiFor transliterates the non-ASCII characters coexist's messages use.
var asciiFor = map[rune]string{
	'…': "...", '–': "-", '—': "-", '→': "->", '←': "<-", '‘': "'", '’': "'",
	'“': `"`, '”': `"`, '×': "x", '≥': ">=", '≤': "<=", '\u00a0': " ",
}

// ascii makes s ASCII-safe for a .reg file: known characters are
// transliterated, other non-ASCII or control characters become '?'.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			if t, ok := asciiFor[r]; ok {
				b.WriteString(t)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

// reserved are Windows device names that cannot be file names.
var reserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true}

func init() {
	for i := 1; i <= 9; i++ {
		reserved[fmt.Sprintf("COM%d", i)] = true
		reserved[fmt.Sprintf("LPT%d", i)] = true
	}
}

// sanitize turns a server or profile name into a safe file base name:
// letters, digits, '.', '-' and '_' are kept, every other run of characters
// becomes one '_'; leading and trailing dots and underscores are trimmed;
// Windows device names get a leading '_'; empty becomes "registry".
func sanitize(name string) string {
	var b strings.Builder
	under := false
	for _, r := range name {
		ok := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
		if ok && r != '_' {
			b.WriteRune(r)
			under = false
			continue
		}
		if !under {
			b.WriteByte('_')
			under = true
		}
	}
	s := strings.Trim(b.String(), "._ ")
	if s == "" {
		return "registry"
	}
	base := strings.ToUpper(s)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	if reserved[base] {
		s = "_" + s
	}
	return s
}
