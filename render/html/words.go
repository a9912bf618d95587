package html

import (
	"strconv"
	"strings"

	"github.com/coexist/coexist/planner"
)

// protocolShort are the protocols' short names for tables and filters.
var protocolShort = map[string]string{
	"autodiscover":     "Autodiscover",
	"outlook-anywhere": "Outlook Anywhere",
	"mapi-http":        "MAPI/HTTP",
	"rpc-tcp":          "RPC/TCP",
	"owa":              "OWA",
	"ecp":              "ECP",
	"eas":              "ActiveSync",
	"ews":              "EWS",
	"oab":              "OAB",
	"pop3":             "POP3",
	"imap4":            "IMAP4",
}

func protocolName(p string) string { return planner.ProtocolName(p) }

func protocolShortName(p string) string {
	if n, ok := protocolShort[p]; ok {
		return n
	}
	return p
}

func actionName(a string) string { return planner.ActionName(a) }

// authNames spell the authentication methods of hops.
var authNames = map[string]string{
	"basic": "Basic", "ntlm": "NTLM", "negotiate": "Negotiate", "kerberos": "Kerberos",
	"fba": "forms (FBA)", "oauth": "OAuth", "none": "no auth", "unspecified": "auth unspecified",
}

func authName(a string) string {
	if n, ok := authNames[strings.ToLower(a)]; ok {
		return n
	}
	return a
}

func outcomeRank(o string) int { return planner.OutcomeRank(o) }

func outcomeName(o string) string { return planner.OutcomeName(o) }

// outcomeKind is the CSS kind (colour and icon) of an outcome.
func outcomeKind(o string) string {
	switch o {
	case planner.OutcomeOK:
		return "ok"
	case planner.OutcomeWarning:
		return "warning"
	case planner.OutcomeBroken:
		return "broken"
	}
	return "na"
}

// severityName is the word shown for a finding's severity.
func severityName(s planner.Severity) string { return planner.SeverityName(s) }

// severityKind is the CSS kind of a severity.
func severityKind(s planner.Severity) string {
	switch s {
	case planner.SevError:
		return "broken"
	case planner.SevWarning:
		return "warning"
	}
	return "info"
}

// worstOutcome is the worst outcome of the paths of one protocol ("" for
// every protocol) at one location ("" for both); "" when there is none.
func worstOutcome(paths []planner.Path, proto, location string) string {
	worst := ""
	for _, pa := range paths {
		if (proto != "" && pa.Protocol != proto) || (location != "" && pa.Location != location) {
			continue
		}
		if worst == "" || outcomeRank(pa.Outcome) < outcomeRank(worst) {
			worst = pa.Outcome
		}
	}
	return worst
}

// num formats n with thousands separators: 100,000.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// plural is "1 user" or "3 users".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// percent is n/total as "60%", with "<1%" for small non-zero shares.
func percent(n, total int) string {
	if total <= 0 {
		return "0%"
	}
	if n > 0 && n*100 < total {
		return "<1%"
	}
	return strconv.Itoa(n*100/total) + "%"
}

// share is n/total in percent with one decimal, for bar widths.
func share(n, total int) string {
	if total <= 0 {
		return "0"
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64)
}

// lessFold orders names case-insensitively, then exactly.
func lessFold(a, b string) bool {
	if la, lb := strings.ToLower(a), strings.ToLower(b); la != lb {
		return la < lb
	}
	return a < b
}

// remBlock is a run of remediation lines: prose or commands.
type remBlock struct {
	Code  bool
	Text  string
	Lines []string // the lines of Text
}

// remediationBlocks splits a remediation into prose and command runs, so
// the page shows commands as code; copying copies the whole remediation.
func remediationBlocks(s string) []remBlock {
	var out []remBlock
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		code := isCommand(line)
		if n := len(out); n > 0 && out[n-1].Code == code {
			out[n-1].Text += "\n" + line
			out[n-1].Lines = append(out[n-1].Lines, line)
			continue
		}
		out = append(out, remBlock{Code: code, Text: line, Lines: []string{line}})
	}
	return out
}

// isCommand reports whether a remediation line is PowerShell or a
// registry value rather than prose: comments, indented or brace lines,
// variables, Verb-Noun cmdlets and HKEY_ paths.
func isCommand(line string) bool {
	if line == "" {
		return false
	}
	switch line[0] {
	case '#', ' ', '\t', '$', '}', '{', '&', '.':
		return true
	}
	if strings.HasPrefix(line, "HKEY_") || strings.HasPrefix(line, "if (") {
		return true
	}
	verb, rest, ok := strings.Cut(line, "-")
	if !ok || verb == "" || rest == "" {
		return false
	}
	for i, r := range verb {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') || (i == 0 && !(r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return rest[0] >= 'A' && rest[0] <= 'Z'
}
