package planner

import (
	"time"

	"github.com/coexist/coexist/model"
)

// Schema is the plan.json schema identifier.
const Schema = "coexist.plan/v1"

// Protocols in the order outputs list them.
var Protocols = []string{
	"autodiscover", "outlook-anywhere", "mapi-http", "rpc-tcp", "owa", "ecp",
	"eas", "ews", "oab", "pop3", "imap4",
}

// Locations of a client.
var Locations = []string{"internal", "external"}

// Hop actions.
const (
	ActConnect        = "connect"
	ActProxy          = "proxy"
	ActRedirectSilent = "redirect-silent"
	ActRedirectManual = "redirect-manual"
	ActRedirect451    = "redirect-451"
	ActDirect         = "direct"
	// ActBalance is a load balancer handing the connection to one of its
	// members; the client's authentication passes through it.
	ActBalance = "balance"
	// ActRPC is a Client Access server's RPC/MAPI data access: a legacy
	// CAS reaching the mailbox server (or, for Outlook Anywhere, the RPC
	// proxy handing RPC data to the RPC Client Access endpoint). It is not
	// an HTTP proxy.
	ActRPC = "rpc"
)

// Outcomes of a path.
const (
	OutcomeOK            = "ok"
	OutcomeWarning       = "warning"
	OutcomeBroken        = "broken"
	OutcomeNotApplicable = "not-applicable"
)

// Plan is the result of planning one inventory.
type Plan struct {
	Organization string
	AsOf         time.Time
	// Cohorts group users whose paths are identical; paths are computed
	// once per cohort.
	Cohorts []*Cohort
	// Findings about the organisation and its paths, sorted by severity,
	// ID and subject.
	Findings []Finding
	// Inv and Index are the planned inventory (servers' builds resolved).
	Inv   *model.Inventory
	Index *model.Index
	// Topo is the organisation graph the paths were computed on.
	Topo *Topology
	// userCohort maps a mailbox row to its cohort.
	userCohort []int32
	// routes holds Routes' results: the report (twice when it turns
	// compact) and the diagrams ask for each protocol's routes.
	routes *routeCache
}

// Cohort is a set of users with the same path-relevant attributes: mailbox
// database, client profile, namespace and secondary (Full Access)
// mailbox databases.
type Cohort struct {
	ID  int    // 1-based, in order of first user
	Key string // the attributes, readable
	// Mailbox is where the cohort's mailboxes live.
	Mailbox   MailboxRef
	Database  string
	Profile   string
	Namespace string
	// Secondary are the databases of mailboxes the users open with Full
	// Access, each with its own outlook-anywhere path.
	Secondary []string
	// Users are mailbox rows (indexes into Inv.Mailboxes), ascending.
	Users []int32
	// Paths are sorted by protocol, location, then secondary and entry.
	Paths []Path
}

// MailboxRef locates a mailbox: the server with the active database copy.
type MailboxRef struct {
	Server  string `json:"server"`
	Version string `json:"version"`
	Site    string `json:"site"`
	// Database is the mailbox database.
	Database string `json:"database,omitempty"`
}

// Path is how one client protocol reaches a mailbox from one location.
type Path struct {
	Protocol string     `json:"protocol"`
	Location string     `json:"location"`
	Mailbox  MailboxRef `json:"mailbox"`
	// Secondary names the database of a Full Access mailbox this path
	// opens ("" for the user's own mailbox).
	Secondary string `json:"secondary,omitempty"`
	// Entry is set on the extra path of a user whose own namespace is
	// not the primary one: the same protocol entered at the primary name
	// (e.g. OWA typed as mail.contoso.com by a regional user).
	Entry   string   `json:"entry,omitempty"`
	Hops    []Hop    `json:"hops"`
	Outcome string   `json:"outcome"`
	Notes   []string `json:"notes"`
	// Findings are the IDs of the rules that flag a problem on this path
	// (why it is broken or warns); empty when it works as designed.
	Findings []string `json:"findings"`
	// Rules are the IDs of every rule that decided this path, the
	// findings included; the notes cite them.
	Rules []string `json:"rules"`
}

// Hop is one step of a path.
type Hop struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Host   string `json:"host"`
	Action string `json:"action"`
	// Auth is the authentication negotiated on the hop; when the
	// receiving side refuses, the method offered.
	Auth string `json:"auth"`
	// Refused is set when the receiving side refuses the offered method:
	// what it accepts ("/rpc on EX2010-01 accepts NTLM only").
	Refused string `json:"refused,omitempty"`
}

// FrontDoor is the server that first answers the path's client: the
// member a load balancer hands the connection to, else the first hop's
// target ("" without hops).
func (p *Path) FrontDoor() string {
	for _, h := range p.Hops {
		if h.From == "client" && h.To != "" {
			if len(p.Hops) > 1 && p.Hops[1].Action == ActBalance {
				return p.Hops[1].To
			}
			return h.To
		}
	}
	return ""
}

// CohortOf returns the cohort of a mailbox row.
func (p *Plan) CohortOf(row int) *Cohort {
	if row < 0 || row >= len(p.userCohort) {
		return nil
	}
	return p.Cohorts[p.userCohort[row]]
}

// Counts summarises a plan for reports.
type Counts struct {
	Users, Cohorts, Paths int
	BySeverity            map[Severity]int
	ByOutcome             map[string]int // user-weighted path outcomes
	// ByProtocolOutcome counts paths (user-weighted) per protocol and
	// outcome; a user has several paths per protocol.
	ByProtocolOutcome map[string]map[string]int
	// UsersByProtocol counts users per protocol under their worst path
	// (Plan.UsersByOutcome).
	UsersByProtocol  map[string]map[string]int
	ServersByVersion map[string]int
	// BrokenUsers have at least one broken path; WarningUsers have a
	// warning as their worst path (no broken path), so that broken,
	// warning and OK users add up to Users. WarnedUsers have at least one
	// path with a warning, broken paths or not: the users a protocol
	// table's Warning column can name.
	BrokenUsers, WarningUsers, WarnedUsers int
	BlockingFindings                       int
}

// Counts computes the summary counts; path outcomes are weighted by the
// number of users in each cohort.
func (p *Plan) Counts() Counts {
	c := Counts{
		BySeverity:        map[Severity]int{},
		ByOutcome:         map[string]int{},
		ByProtocolOutcome: map[string]map[string]int{},
		ServersByVersion:  map[string]int{},
		Users:             len(p.Inv.Mailboxes),
		Cohorts:           len(p.Cohorts),
		UsersByProtocol:   p.UsersByOutcome(),
	}
	for _, f := range p.Findings {
		c.BySeverity[f.Severity]++
		if f.Severity == SevError {
			c.BlockingFindings++
		}
	}
	for _, co := range p.Cohorts {
		n := len(co.Users)
		worst, warned := OutcomeOK, false
		for _, pa := range co.Paths {
			c.Paths += n
			c.ByOutcome[pa.Outcome] += n
			m := c.ByProtocolOutcome[pa.Protocol]
			if m == nil {
				m = map[string]int{}
				c.ByProtocolOutcome[pa.Protocol] = m
			}
			m[pa.Outcome] += n
			if pa.Outcome == OutcomeBroken {
				worst = OutcomeBroken
			} else if pa.Outcome == OutcomeWarning && worst == OutcomeOK {
				worst = OutcomeWarning
			}
			warned = warned || pa.Outcome == OutcomeWarning
		}
		if warned {
			c.WarnedUsers += n
		}
		switch worst {
		case OutcomeBroken:
			c.BrokenUsers += n
		case OutcomeWarning:
			c.WarningUsers += n
		}
	}
	for _, s := range p.Inv.Servers {
		c.ServersByVersion[s.Parsed.Version().String()]++
	}
	return c
}
