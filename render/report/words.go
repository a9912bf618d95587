package report

import (
	"strings"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/pdf"
)

func protocolName(p string) string { return planner.ProtocolName(p) }

// authNames spell the authentication methods of hops.
var authNames = map[string]string{
	"basic": "Basic", "ntlm": "NTLM", "negotiate": "Negotiate", "kerberos": "Kerberos",
	"fba": "forms", "oauth": "OAuth", "none": "no auth", "unspecified": "auth unspecified",
}

func authName(a string) string {
	if n, ok := authNames[strings.ToLower(a)]; ok {
		return n
	}
	return a
}

func actionName(a string) string { return planner.ActionName(a) }

var outcomeOrder = []string{planner.OutcomeBroken, planner.OutcomeWarning, planner.OutcomeOK, planner.OutcomeNotApplicable}

func outcomeRank(o string) int { return planner.OutcomeRank(o) }

func outcomeName(o string) string { return planner.OutcomeName(o) }

// Colours of outcome and severity cells.
var (
	colBrokenBG  = layout.RGB(0xfd, 0xe8, 0xe6)
	colBrokenFG  = layout.RGB(0xa3, 0x1d, 0x12)
	colWarnBG    = layout.RGB(0xff, 0xf3, 0xdc)
	colWarnFG    = layout.RGB(0x8a, 0x4b, 0x00)
	colOKBG      = layout.RGB(0xe6, 0xf6, 0xec)
	colOKFG      = layout.RGB(0x0b, 0x6b, 0x3a)
	colMutedFG   = layout.RGB(0x6b, 0x76, 0x84)
	colInfoFG    = layout.RGB(0x17, 0x5c, 0xd3)
	colCodeBG    = layout.RGB(0xf3, 0xf5, 0xf8)
	colCodeTitle = layout.RGB(0x3b, 0x47, 0x55)
)

// outcomeCell is a table cell showing an outcome in its colours.
func outcomeCell(o, text string) pdf.Cell {
	c := pdf.Cell{Text: text}
	switch o {
	case planner.OutcomeBroken:
		c.Fill, c.Color, c.Bold = colBrokenBG, colBrokenFG, true
	case planner.OutcomeWarning:
		c.Fill, c.Color, c.Bold = colWarnBG, colWarnFG, true
	case planner.OutcomeOK:
		c.Fill, c.Color = colOKBG, colOKFG
	default:
		c.Color = colMutedFG
	}
	return c
}

// severityCell is a table cell showing a severity in its colours.
func severityCell(s planner.Severity) pdf.Cell {
	switch s {
	case planner.SevError:
		return pdf.Cell{Text: planner.SeverityName(s), Fill: colBrokenBG, Color: colBrokenFG, Bold: true}
	case planner.SevWarning:
		return pdf.Cell{Text: planner.SeverityName(s), Fill: colWarnBG, Color: colWarnFG, Bold: true}
	}
	return pdf.Cell{Text: planner.SeverityName(s), Color: colInfoFG}
}

func severityKind(s planner.Severity) string {
	switch s {
	case planner.SevError:
		return "error"
	case planner.SevWarning:
		return "warning"
	}
	return "info"
}

// worstOutcome is the worst outcome of a cohort's paths for a protocol,
// at a location ("" for both). A cohort whose every path is not
// applicable is not applicable; one without paths gives "".
func worstOutcome(paths []planner.Path, proto, location string) string {
	worst := ""
	for _, pa := range paths {
		if pa.Protocol != proto || (location != "" && pa.Location != location) {
			continue
		}
		if worst == "" || outcomeRank(pa.Outcome) < outcomeRank(worst) {
			worst = pa.Outcome
		}
	}
	return worst
}
