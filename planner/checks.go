package planner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
)

// checkRules are the organisation checks of rule sections 1, 3, 4 and 5
// (coexistence builds, OS and client support, TLS 1.2 readiness,
// certificates, namespace hygiene), in one explicit list. Path
// behaviour (sections 2 and 3 as applied per path) lives in pathRules.
var checkRules = []*Rule{
	// Section 1: coexistence minimum builds and unsupported pairs.
	ruleCoex20102007,
	ruleCoex20132007,
	ruleCoex20132010,
	ruleCoex20162010,
	ruleCoex20162013,
	ruleCoex20162007,
	ruleCoex20192013,
	ruleCoex20192016,
	ruleCoex20192010,
	// Section 1: operating system and client support.
	ruleCoexOS,
	ruleCoexEdition,
	ruleClientOutlook,
	ruleClientMAPI,
	// Section 1: product lifecycle at the plan date.
	ruleLifeExchange,
	ruleLifeExchangeCU,
	ruleLifeWindows,
	ruleLifeOutlook,
	ruleLifeClientOS,
	// Section 2d: split-brain Outlook Anywhere host names.
	ruleNSOASplitBrain,
	// Section 3: authentication checks of the whole organisation.
	ruleAuthConsistent,
	ruleAuthNTLMPref,
	ruleAuthExprWildcard,
	// Section 4: TLS 1.2 readiness.
	ruleTLSExBuild,
	ruleTLSDotNet,
	ruleTLSOS,
	ruleTLSSchannel,
	ruleTLSMismatch,
	ruleTLS13,
	ruleTLSNet35,
	ruleTLSNet4,
	ruleTLSDisableOld,
	ruleTLSWin7,
	ruleTLSVerify,
	// Section 5: certificates and namespaces.
	ruleCertSAN,
	ruleCertLegacy,
	ruleCertExpiry,
	ruleCertSHA512,
	ruleNSAutodSCP,
	ruleNSPopImapFQDN,
	ruleNSMapiLB,
	ruleNSRPCArray,
	ruleNSSSLOffload,
}

// checkRule returns r with its Check calling fn with the rule itself, so
// a rule's check can report under its own ID without an initialisation
// cycle between the rule variable and its function.
func checkRule(r Rule, fn func(p *Pass, r *Rule)) *Rule {
	rr := &r
	rr.Check = func(p *Pass) { fn(p, rr) }
	return rr
}

// orgName is the subject of organisation-wide findings.
func orgName(p *Pass) string {
	if n := strings.TrimSpace(p.Inv.Organization.Name); n != "" {
		return n
	}
	return "organization"
}

// buildWords names a build for people with its number:
// "Exchange 2010 SP3 RU5 (14.3.181.6)".
func buildWords(b model.Build) string {
	n := b.Name()
	if strings.Contains(n, b.String()) {
		return n
	}
	return n + " (" + b.String() + ")"
}

// mustBuildOf is model.BuildOf for updates named in code; a name missing
// from the catalog is a bug (a test covers every name used).
func mustBuildOf(v model.Version, update string) model.Build {
	b, ok := model.BuildOf(v, update)
	if !ok {
		panic(fmt.Sprintf("planner: Exchange %s %q is not in the build catalog", v, update))
	}
	return b
}

// minBuild is a minimum update of one product, e.g. 2010 SP3 RU11.
type minBuild struct {
	V      model.Version
	Update string
}

// Build returns the minimum's build number.
func (m minBuild) Build() model.Build { return mustBuildOf(m.V, m.Update) }

// Words names the minimum: "Exchange 2010 SP3 RU11 (14.3.266.2)".
func (m minBuild) Words() string {
	return fmt.Sprintf("Exchange %s %s (%s)", m.V, m.Update, m.Build())
}

// latestUpdate is the final (or current) servicing update of each product,
// the one to recommend when a server is below a minimum.
var latestUpdate = map[model.Version]string{
	model.V2007: "SP3 RU23",
	model.V2010: "SP3 RU32",
	model.V2013: "CU23",
	model.V2016: "CU23",
	model.V2019: "CU15",
}

// adminVersionCaveat explains, for a 2010 server whose build came from
// AdminDisplayVersion only, that its real update rollup may be newer
// (reported by practitioners).
func adminVersionCaveat(s *model.Server) string {
	if s.Build != "" || s.Parsed.Version() != model.V2010 {
		return ""
	}
	return fmt.Sprintf(" (The build comes from AdminDisplayVersion, which Exchange 2010 update rollups do not change: if ExSetup.exe on %s reports a newer version, record it as build = \"…\" in the inventory.)", s.Name)
}

// serversOf returns the servers of version v, sorted by name.
func serversOf(p *Pass, v model.Version) []*model.Server {
	var r []*model.Server
	for _, s := range p.Topo.Servers() {
		if s.Parsed.Version() == v {
			r = append(r, s)
		}
	}
	return r
}

// serverOS parses a server's OS; ok is false when the inventory does not
// record it or it is not a Windows Server release.
func serverOS(s *model.Server) (model.WindowsOS, bool) {
	if strings.TrimSpace(s.OS) == "" {
		return model.WindowsOS{}, false
	}
	o, err := model.ParseWindows(s.OS)
	if err != nil {
		return model.WindowsOS{}, false
	}
	return o, true
}

// osWords names a parsed OS, "Windows Server 2008 R2 SP1".
func osWords(o model.WindowsOS) string { return o.String() }

// names joins server names: "A, B and C".
func names(ss []*model.Server) string {
	n := make([]string, len(ss))
	for i, s := range ss {
		n[i] = s.Name
	}
	return andList(n)
}

// andList joins words as "a", "a and b", "a, b and c".
func andList(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// sortedKeys returns a map's keys sorted.
func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

// dotnetVersion parses "4.7.1" into comparable parts; ok is false for
// an empty or malformed value.
func dotnetVersion(s string) ([3]int, bool) {
	var v [3]int
	s = strings.TrimSpace(s)
	if s == "" {
		return v, false
	}
	parts := strings.Split(s, ".")
	for i := 0; i < len(parts) && i < 3; i++ {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

func dotnetLess(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// Registry paths (regedit form, HKEY_LOCAL_MACHINE\...).
const (
	hklm         = `HKEY_LOCAL_MACHINE\`
	schannelBase = hklm + `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\`
	netKey       = hklm + `SOFTWARE\Microsoft\.NETFramework\`
	netWowKey    = hklm + `SOFTWARE\Wow6432Node\Microsoft\.NETFramework\`
	net2         = `v2.0.50727`
	net4         = `v4.0.30319`
	winHTTPKey   = hklm + `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
	winHTTPWow   = hklm + `SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
	inetKey      = hklm + `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings`
)

// schannelKey is the Schannel key of a protocol side: "TLS 1.2", "Server".
func schannelKey(proto, side string) string { return schannelBase + proto + `\` + side }

// psPath turns a regedit key into a PowerShell registry path (HKLM:\...).
func psPath(key string) string {
	if rest, ok := strings.CutPrefix(key, hklm); ok {
		return `HKLM:\` + rest
	}
	return key
}

// regShell is the data of the shared "regset" remedy: registry values to
// set on a computer (Computer "" = run locally, e.g. on a client).
type regShell struct {
	Computer string
	Keys     []regShellKey
	Reboot   bool
}

type regShellKey struct {
	Path   string // PowerShell path, HKLM:\...
	Values []RegValue
}

// newRegShell groups values by key in first-appearance order.
func newRegShell(computer string, vals []RegValue, reboot bool) regShell {
	rs := regShell{Computer: computer, Reboot: reboot}
	idx := map[string]int{}
	for _, v := range vals {
		i, ok := idx[v.Key]
		if !ok {
			i = len(rs.Keys)
			idx[v.Key] = i
			rs.Keys = append(rs.Keys, regShellKey{Path: psPath(v.Key)})
		}
		rs.Keys[i].Values = append(rs.Keys[i].Values, v)
	}
	return rs
}

// fqdnOr returns the server's FQDN, or its name when the FQDN is unknown.
func fqdnOr(s *model.Server) string {
	if s.FQDN != "" {
		return s.FQDN
	}
	return s.Name
}
