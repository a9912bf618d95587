package planner

// The words every output uses for the planner's vocabulary, so that the
// PDF, the HTML page and the workbook say the same thing.

// ProtocolNames spell the client protocols for headings.
var ProtocolNames = map[string]string{
	"autodiscover":     "Autodiscover",
	"outlook-anywhere": "Outlook Anywhere (RPC over HTTP)",
	"mapi-http":        "MAPI over HTTP",
	"rpc-tcp":          "RPC/TCP (internal Outlook)",
	"owa":              "Outlook on the web (OWA)",
	"ecp":              "Exchange Control Panel (ECP)",
	"eas":              "Exchange ActiveSync (EAS)",
	"ews":              "Exchange Web Services (EWS)",
	"oab":              "Offline Address Book (OAB)",
	"pop3":             "POP3",
	"imap4":            "IMAP4",
}

// ProtocolName returns a protocol's heading, or the protocol itself.
func ProtocolName(p string) string {
	if n, ok := ProtocolNames[p]; ok {
		return n
	}
	return p
}

// ActionNames spell the hop actions.
var ActionNames = map[string]string{
	ActConnect:        "connect",
	ActProxy:          "proxy",
	ActRedirectSilent: "silent redirect",
	ActRedirectManual: "manual redirect",
	ActRedirect451:    "HTTP 451 redirect",
	ActDirect:         "direct",
	ActBalance:        "load balancer",
	ActRPC:            "RPC/MAPI data access",
}

// ActionName spells a hop action in words ("silent redirect").
func ActionName(a string) string {
	if n, ok := ActionNames[a]; ok {
		return n
	}
	return a
}

// OutcomeOrder lists the outcomes worst first.
var OutcomeOrder = []string{OutcomeBroken, OutcomeWarning, OutcomeOK, OutcomeNotApplicable}

// OutcomeRank orders outcomes worst first: broken 0, warning 1, ok 2,
// not-applicable 3, anything else after.
func OutcomeRank(o string) int {
	for i, x := range OutcomeOrder {
		if x == o {
			return i
		}
	}
	return len(OutcomeOrder)
}

// ChangeKindName is the words shown for the kind of a PathChange
// ("Newly broken" for "newly-broken").
func ChangeKindName(kind string) string {
	switch kind {
	case "newly-broken":
		return "Newly broken"
	case "outcome":
		return "Outcome change"
	case "fixed":
		return "Fixed"
	case "route":
		return "Route change"
	}
	return kind
}

// OutcomeName is the word shown for an outcome ("Broken").
func OutcomeName(o string) string {
	switch o {
	case OutcomeOK:
		return "OK"
	case OutcomeWarning:
		return "Warning"
	case OutcomeBroken:
		return "Broken"
	case OutcomeNotApplicable:
		return "Not applicable"
	case "":
		return "—"
	}
	return o
}

// Readiness verdicts of a plan.
const (
	ReadinessNotReady = "Not ready"
	ReadinessWarnings = "Ready with warnings"
	ReadinessReady    = "Ready"
)

// Readiness is the plan's verdict: "Not ready" when a finding blocks the
// migration (severity error) or any path is broken, "Ready with warnings"
// when a finding or a path warns, else "Ready". Cohorts without users
// count too.
func (p *Plan) Readiness() string {
	worst := OutcomeOK
	for _, co := range p.Cohorts {
		for _, pa := range co.Paths {
			if OutcomeRank(pa.Outcome) < OutcomeRank(worst) {
				worst = pa.Outcome
			}
		}
	}
	sev := map[Severity]bool{}
	for _, f := range p.Findings {
		sev[f.Severity] = true
	}
	switch {
	case sev[SevError] || worst == OutcomeBroken:
		return ReadinessNotReady
	case sev[SevWarning] || worst == OutcomeWarning:
		return ReadinessWarnings
	}
	return ReadinessReady
}

// SeverityName is the word every report uses for a finding's severity:
// "Blocking", "Warning" or "Advisory" (plan.json keeps error, warning and
// info).
func SeverityName(s Severity) string {
	switch s {
	case SevError:
		return "Blocking"
	case SevWarning:
		return "Warning"
	}
	return "Advisory"
}
