package planner

import "strings"

// ScopeArea is one area of an Exchange migration, named so a reader can
// tell whether a plan's verdict speaks for it.
type ScopeArea struct {
	// Key is stable, for machine readers of plan.json ("client-paths").
	Key string `json:"key"`
	// Title names the area in a few words.
	Title string `json:"title"`
	// Brief is the area in a word or two, for the one-line scope beside
	// a verdict ("public folders").
	Brief string `json:"-"`
	// Detail says what coexist checked (assessed areas) or what to check
	// elsewhere (areas not assessed).
	Detail string `json:"detail"`
}

// Scope is what a plan assessed and what it did not: the readiness verdict
// speaks only for the assessed areas.
type Scope struct {
	// Summary is ScopeLine: the scope in two sentences.
	Summary     string      `json:"summary"`
	Assessed    []ScopeArea `json:"assessed"`
	NotAssessed []ScopeArea `json:"not_assessed"`
}

// ScopeSectionTitle is the title of the full scope section in the reports;
// the short scope line on summary pages refers to it by this name.
const ScopeSectionTitle = "Scope of this plan"

// ScopeHeadline is the scope in a phrase, for places with room for one
// line (a cover page): the verdict covers client connectivity and what it
// depends on, nothing else.
const ScopeHeadline = "Client connectivity and its prerequisites only"

// scope is the one definition every output prints.
var scope = Scope{
	Assessed: []ScopeArea{
		{Key: "client-paths", Title: "Client connectivity paths", Brief: "connectivity paths per protocol and location",
			Detail: "For every user, protocol (Autodiscover, OWA, ECP, ActiveSync, EWS, OAB, Outlook Anywhere (RPC over HTTP), MAPI/HTTP, RPC/TCP, POP3, IMAP4) and location (inside, outside): the name the client uses, the server that answers, and whether it proxies or redirects to the mailbox. POP3 and IMAP4 paths follow the legacy servers' InternalConnectionSettings; their ExternalConnectionSettings are recorded but not assessed."},
		{Key: "authentication", Title: "Authentication per hop", Brief: "authentication per hop",
			Detail: "The authentication negotiated at each hop of each path and whether the receiving side accepts it (Outlook Anywhere client and IIS methods, OWA forms-based sign-in across redirects)."},
		{Key: "builds", Title: "Builds and patch prerequisites", Brief: "builds and patches",
			Detail: "Exchange builds against the coexistence minimums, and the Windows and Exchange updates the paths depend on."},
		{Key: "tls12", Title: "TLS 1.2 prerequisites", Brief: "TLS 1.2",
			Detail: "Operating system updates, .NET Framework version, Schannel and .NET registry values on servers and client profiles, and the order in which TLS 1.0/1.1 can be turned off."},
		{Key: "certificates-namespaces", Title: "Certificates and namespaces", Brief: "certificates and namespaces",
			Detail: "Names on each server's IIS certificate and its expiry, the legacy namespace, virtual directory URLs, Autodiscover service connection points, the RPC Client Access name, the URL paths load balancers pass and Outlook Anywhere SSL offloading set alike on the servers of each version."},
		{Key: "lifecycle", Title: "Product lifecycle", Brief: "product lifecycle",
			Detail: "Whether Exchange, Windows Server, Outlook and Windows client versions are in support at the plan date."},
	},
	NotAssessed: []ScopeArea{
		{Key: "mail-flow", Title: "Mail flow and transport", Brief: "mail flow",
			Detail: "Send and receive connectors, SMTP routing and relays, MX records, Edge Transport and transport certificates."},
		{Key: "public-folders", Title: "Public folders", Brief: "public folders",
			Detail: "Public folder access from newer mailboxes, replication and migration."},
		{Key: "free-busy", Title: "Free/busy", Brief: "free/busy",
			Detail: "Calendar availability between mailboxes on different versions."},
		{Key: "federation", Title: "Federation and organisation relationships", Brief: "federation",
			Detail: "Federation trust, organisation relationships and sharing with other organisations."},
		{Key: "hybrid", Title: "Hybrid and Exchange Online", Brief: "hybrid",
			Detail: "Hybrid configuration, OAuth, mailbox moves to or from Exchange Online."},
		{Key: "extended-protection", Title: "Extended Protection", Brief: "Extended Protection",
			Detail: "Windows Extended Protection on IIS virtual directories and its requirements on load balancers and TLS offloading."},
		{Key: "kerberos-asa", Title: "Kerberos service account (ASA)", Brief: "Kerberos (ASA)",
			Detail: "The alternate service account credential and SPNs needed for Kerberos to load-balanced names."},
		{Key: "antivirus", Title: "Antivirus exclusions", Brief: "antivirus exclusions",
			Detail: "File, folder and process exclusions on Exchange servers."},
		{Key: "dag-backup", Title: "DAG, database copies and backup", Brief: "DAG/backup",
			Detail: "Database availability groups, copy health, activation preferences and backup."},
		{Key: "active-directory", Title: "Active Directory and schema preparation", Brief: "AD/schema preparation",
			Detail: "Schema, forest and domain preparation, domain controller and forest functional level requirements."},
		{Key: "third-party", Title: "Third-party applications", Brief: "third-party apps",
			Detail: "Archiving, backup, mobile device management, scanners and line-of-business applications that use EWS, SMTP or MAPI."},
		{Key: "load-balancer-health", Title: "Load-balancer health checks", Brief: "load-balancer health checks",
			Detail: "Health probes, persistence, timeouts and TLS termination on load balancers and reverse proxies (coexist reads only which URL paths they pass; the layer recorded for each, 4 or 7, is not assessed)."},
	},
}

// PlanScope returns what every plan assesses and what it does not. Every
// output prints this one definition.
func PlanScope() Scope {
	return Scope{
		Summary:     ScopeLine(),
		Assessed:    append([]ScopeArea(nil), scope.Assessed...),
		NotAssessed: append([]ScopeArea(nil), scope.NotAssessed...),
	}
}

// ScopeLine is the scope in two short sentences, printed beside every
// verdict (report summaries, the checklist's Summary sheet, runbooks) so
// that "Ready" is never read as "nothing else to check".
func ScopeLine() string {
	return "Assessed: " + briefList(scope.Assessed) + ". Not assessed: " + briefList(scope.NotAssessed) + "."
}

func briefList(areas []ScopeArea) string {
	parts := make([]string, len(areas))
	for i, a := range areas {
		parts[i] = a.Brief
	}
	return strings.Join(parts, ", ")
}
