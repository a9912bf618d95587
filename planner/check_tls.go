package planner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
)

// Section 4: TLS 1.2 readiness against organization.tls_goal.
//
// Goal "enable-1.2" (the default): every Exchange server and client can use
// TLS 1.2. Goal "disable-legacy" additionally disables TLS 1.0 and 1.1: it
// needs the newer builds (2010 SP3 RU20, 2013 CU20, 2016 CU9), makes the
// .NET values errors rather than warnings, asks for explicit TLS 1.0/1.1
// disabling values on every server, and needs every client profile to be
// TLS 1.2-capable first.
//
// Registry values in model.TLSRegistry are *int: nil is undefined (the OS
// or framework default). A nil Wow6432Node twin of a .NET value means "the
// same as the native value" (exports usually summarise both keys as one);
// a twin written explicitly is checked on its own.

// goalDisable reports whether the organisation wants TLS 1.0/1.1 disabled.
func goalDisable(p *Pass) bool {
	return p.Inv.Organization.TLSGoal == model.TLSGoalDisableLegacy
}

// goalSev is warning under "enable-1.2" and error under "disable-legacy".
func goalSev(p *Pass) Severity {
	if goalDisable(p) {
		return SevError
	}
	return SevWarning
}

// tls12Min are the first builds supporting TLS 1.2; tlsDisableMin the first
// that support disabling TLS 1.0/1.1 (blog-tls-part1, ms-exchange-tls-configuration).
var (
	tls12Min = map[model.Version]minBuild{
		model.V2010: {model.V2010, "SP3 RU19"},
		model.V2013: {model.V2013, "CU19"},
		model.V2016: {model.V2016, "CU8"},
		model.V2019: {model.V2019, "RTM"},
	}
	tlsDisableMin = map[model.Version]minBuild{
		model.V2010: {model.V2010, "SP3 RU20"},
		model.V2013: {model.V2013, "CU20"},
		model.V2016: {model.V2016, "CU9"},
		model.V2019: {model.V2019, "RTM"},
	}
)

// tlsServers are the servers the TLS checks apply to: Exchange 2010 and
// later with a known build (2007 has no TLS 1.2 path; TLS-EXBUILD says so).
func tlsServers(p *Pass) []*model.Server {
	var r []*model.Server
	for _, s := range p.Topo.Servers() {
		if v := s.Parsed.Version(); v >= model.V2010 {
			r = append(r, s)
		}
	}
	return r
}

var ruleTLSExBuild = checkRule(Rule{
	ID: "TLS-EXBUILD", Title: "Exchange build too old for the TLS goal", Severity: SevError,
	Sources: []string{"blog-tls-part1", "ms-exchange-tls-configuration", "blog-tls-part3"}, Section: "4",
	Doc: "TLS 1.2 support needs Exchange 2010 SP3 RU19 (14.3.382.0), 2013 CU19 (15.0.1365.1), 2016 CU8 (15.1.1415.2) or any 2019 build. Disabling TLS 1.0/1.1 (tls_goal = \"disable-legacy\") needs 2010 SP3 RU20 (14.3.389.1), 2013 CU20 (15.0.1367.3) or 2016 CU9 (15.1.1466.3). Exchange 2007 has no TLS 1.2 path (out of support): a warning under \"enable-1.2\", an error under \"disable-legacy\".",
}, func(p *Pass, r *Rule) {
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		switch {
		case v == model.V2007:
			sev, what := SevWarning, "cannot reach the TLS 1.2 goal"
			if goalDisable(p) {
				sev, what = SevError, "stops working with other servers and partners once TLS 1.0/1.1 are disabled"
			}
			p.ReportAs(r, sev, s.Name, fmt.Sprintf("%s runs %s: Exchange 2007 has no TLS 1.2 support (out of support), so it %s. Move its mailboxes and roles to a newer version and decommission it.", s.Name, buildWords(s.Parsed), what), Fix{
				Steps: []string{fmt.Sprintf("Move %s's mailboxes, connectors and client access to newer servers and uninstall Exchange 2007 before enforcing TLS 1.2.", s.Name)},
			})
			continue
		case v < model.V2010:
			continue
		}
		need, why := tls12Min[v], "TLS 1.2 support"
		if goalDisable(p) {
			need, why = tlsDisableMin[v], "disabling TLS 1.0/1.1 (tls_goal disable-legacy)"
		}
		if s.Parsed.Less(need.Build()) {
			msg := fmt.Sprintf("%s runs %s; %s needs %s or later.%s", s.Name, buildWords(s.Parsed), why, need.Words(), adminVersionCaveat(s))
			p.Report(r, s.Name, msg, buildFix(r.ID, s, need))
		}
	}
})

// hotfixData is the data of the shared HOTFIX remedy template.
type hotfixData struct {
	Server, FQDN string
	KBs          []string
}

func missingKBs(have []string, want ...string) []string {
	var r []string
	for _, kb := range want {
		if !model.HasUpdate(have, kb) {
			r = append(r, kb)
		}
	}
	return r
}

// dotnet35KB is the update letting .NET 3.5.1 use the system default TLS
// versions, per OS release (blog-tls-part1, ms-dotnet-tls).
var dotnet35KB = map[string]string{
	"2008":    "KB3154517",
	"2008 R2": "KB3154518",
	"2012":    "KB3154519",
	"2012 R2": "KB3154520",
}

// dotnetStep is the newest .NET Framework supported from an update on.
type dotnetStep struct {
	From   string // update name in the build catalog
	DotNet string
}

// dotnetNewest lists, per version, the newest .NET Framework 4.x supported
// from each cumulative update on (Exchange Server supportability matrix,
// .NET Framework table in ms-exchange-supportability-matrix; "4.7.1 when 2016 CU8 shipped" in blog-tls-part1).
var dotnetNewest = map[model.Version][]dotnetStep{
	model.V2013: {{"RTM", "4.5"}, {"CU13", "4.6.2"}, {"CU19", "4.7.1"}, {"CU21", "4.7.2"}, {"CU23", "4.8"}},
	model.V2016: {{"RTM", "4.5.2"}, {"CU3", "4.6.2"}, {"CU8", "4.7.1"}, {"CU11", "4.7.2"}, {"CU13", "4.8"}},
	model.V2019: {{"RTM", "4.7.2"}, {"CU2", "4.8"}, {"CU14", "4.8.1"}},
}

// newestDotNet returns the newest .NET Framework the server's build
// supports.
func newestDotNet(b model.Build) string {
	var best string
	for _, st := range dotnetNewest[b.Version()] {
		if !b.Less(mustBuildOf(b.Version(), st.From)) {
			best = st.DotNet
		}
	}
	return best
}

var ruleTLSDotNet = checkRule(Rule{
	ID: "TLS-DOTNET", Title: ".NET Framework not ready for TLS 1.2", Severity: SevError,
	Sources: []string{"blog-tls-part1", "ms-exchange-supportability-matrix", "ms-dotnet-tls"}, Section: "4",
	Doc: "Exchange 2010 runs on .NET 3.5.1, which uses TLS 1.2 only with the system-default-TLS update: KB3154517 on Windows Server 2008 SP2, KB3154518 on 2008 R2 SP1, KB3154519 on 2012, KB3154520 on 2012 R2 (a missing update is an error; a later monthly rollup that contains it counts once recorded in installed_updates). Exchange 2013 and later should run the newest .NET Framework 4.x their cumulative update supports (4.7.1 for 2013 CU19/2016 CU8, 4.7.2 for 2013 CU21/2016 CU11/2019 RTM, 4.8 for 2013 CU23/2016 CU13/2019 CU2, 4.8.1 for 2019 CU14): an older one is a warning (an error under \"disable-legacy\"); one newer than the CU supports is a warning. Servers without a recorded .NET version or OS are not checked.",
}, func(p *Pass, r *Rule) {
	for _, s := range tlsServers(p) {
		v := s.Parsed.Version()
		if v == model.V2010 {
			if dv, ok := dotnetVersion(s.DotNet); ok && dv[0] < 4 && dotnetLess(dv, [3]int{3, 5, 0}) {
				p.Report(r, s.Name, fmt.Sprintf("%s (Exchange 2010) has .NET Framework %s; Exchange 2010 needs .NET Framework 3.5.1 with its TLS update to use TLS 1.2.", s.Name, s.DotNet), Fix{
					Steps: []string{fmt.Sprintf("Install the .NET Framework 3.5.1 feature on %s, then the system-default-TLS update for its OS.", s.Name)},
				})
			}
			o, ok := serverOS(s)
			if !ok {
				continue
			}
			kb := dotnet35KB[o.Release]
			if kb == "" || model.HasUpdate(s.InstalledUpdates, kb) {
				continue
			}
			msg := fmt.Sprintf("%s (Exchange 2010 on %s) lacks %s, the update that lets .NET Framework 3.5.1 use the system default TLS versions: without it Exchange 2010's .NET code stays on SSL 3.0/TLS 1.0 whatever SystemDefaultTlsVersions says. Install %s (or record the later monthly rollup that contains it).",
				s.Name, osWords(o), kb, kb)
			p.Report(r, s.Name, msg, Fix{
				KBs:   []string{kb},
				Steps: []string{fmt.Sprintf("Install %s on %s and restart it; then set SystemDefaultTlsVersions (TLS-NET35).", kb, s.Name)},
				Shell: Remedy(r.ID, hotfixData{Server: s.Name, FQDN: fqdnOr(s), KBs: []string{kb}}),
			})
			continue
		}
		have, ok := dotnetVersion(s.DotNet)
		newest := newestDotNet(s.Parsed)
		want, ok2 := dotnetVersion(newest)
		if !ok || !ok2 {
			continue
		}
		switch {
		case dotnetLess(have, want):
			msg := fmt.Sprintf("%s runs %s with .NET Framework %s; that cumulative update supports .NET Framework %s, the newest Exchange can use for TLS 1.2 (SystemDefaultTlsVersions). Install .NET Framework %s.",
				s.Name, buildWords(s.Parsed), s.DotNet, newest, newest)
			p.ReportAs(r, goalSev(p), s.Name, msg, Fix{
				Steps: []string{fmt.Sprintf("Put %s in maintenance mode, install .NET Framework %s, restart, and take it out of maintenance mode.", s.Name, newest)},
			})
		case dotnetLess(want, have):
			msg := fmt.Sprintf("%s runs %s with .NET Framework %s, newer than that cumulative update supports (%s). Install a cumulative update that supports .NET Framework %s.",
				s.Name, buildWords(s.Parsed), s.DotNet, newest, s.DotNet)
			p.ReportAs(r, SevWarning, s.Name, msg, Fix{
				Steps: []string{fmt.Sprintf("Update Exchange on %s to a cumulative update that supports .NET Framework %s (Exchange Server supportability matrix).", s.Name, s.DotNet)},
			})
		}
	}
})

var ruleTLSOS = checkRule(Rule{
	ID: "TLS-OS", Title: "Windows updates for TLS 1.2 missing", Severity: SevError,
	Sources: []string{"blog-tls-part1", "ms-exchange-tls-configuration"}, Section: "4",
	Doc: "Windows Server 2008 SP2 needs KB4019276 (adds TLS 1.1/1.2 to Schannel) and KB3161949 (WinHTTP); 2008 R2 SP1 supports TLS 1.2 but has it off by default (see TLS-SCHANNEL) and needs KB3161949 (KB3080079 only matters for Remote Desktop); 2012 and 2012 R2 need KB3161949 (or a later monthly rollup containing it, once recorded). Windows Server 2016 and later only need the current monthly cumulative update: an info when the inventory records no update at all. Windows Server 2003 has no TLS 1.2.",
}, func(p *Pass, r *Rule) {
	for _, s := range tlsServers(p) {
		o, ok := serverOS(s)
		if !ok || !o.Server {
			continue
		}
		var kbs []string
		extra := ""
		switch o.Release {
		case "2003":
			p.Report(r, s.Name, fmt.Sprintf("%s runs %s, which has no TLS 1.2 support at all. Move its roles to a server with a supported OS.", s.Name, osWords(o)), Fix{
				Steps: []string{fmt.Sprintf("Replace %s with a server on a supported Windows Server release (COEX-OS).", s.Name)},
			})
			continue
		case "2008":
			kbs = missingKBs(s.InstalledUpdates, "KB4019276", "KB3161949")
			extra = " KB4019276 adds TLS 1.1 and 1.2 to Schannel; KB3161949 lets WinHTTP use them."
		case "2008 R2":
			kbs = missingKBs(s.InstalledUpdates, "KB3161949")
			extra = " KB3161949 lets WinHTTP use TLS 1.1 and 1.2 (TLS 1.2 itself is built in but off by default: TLS-SCHANNEL). KB3080079 is only needed for Remote Desktop over TLS 1.2."
		case "2012", "2012 R2":
			kbs = missingKBs(s.InstalledUpdates, "KB3161949")
			extra = " KB3161949 lets WinHTTP use TLS 1.1 and 1.2."
		default:
			if len(s.InstalledUpdates) == 0 {
				p.ReportAs(r, SevInfo, s.Name, fmt.Sprintf("%s runs %s, which supports TLS 1.2 out of the box; no installed update is recorded, so make sure the current monthly cumulative update is installed.", s.Name, osWords(o)), Fix{
					Steps: []string{fmt.Sprintf("Install the current Windows monthly cumulative update on %s and record it in installed_updates.", s.Name)},
				})
			}
			continue
		}
		if len(kbs) == 0 {
			continue
		}
		msg := fmt.Sprintf("%s (%s) lacks %s, needed for TLS 1.2.%s Install them (a later monthly rollup that contains them also counts once recorded).", s.Name, osWords(o), andList(kbs), extra)
		steps := []string{fmt.Sprintf("Install %s on %s and restart it.", andList(kbs), s.Name)}
		if o.Release == "2008 R2" && !model.HasUpdate(s.InstalledUpdates, "KB3080079") {
			steps = append(steps, "Optional: KB3080079 if administrators use Remote Desktop once TLS 1.0 is disabled.")
		}
		p.Report(r, s.Name, msg, Fix{
			KBs:   kbs,
			Steps: steps,
			Shell: Remedy(r.ID, hotfixData{Server: s.Name, FQDN: fqdnOr(s), KBs: kbs}),
		})
	}
})

// osDefaultsTLS12Off reports whether the OS leaves TLS 1.2 off when its
// Schannel values are undefined (Windows Server 2008 and 2008 R2).
func osDefaultsTLS12Off(s *model.Server) bool {
	o, ok := serverOS(s)
	return ok && (o.Release == "2008" || o.Release == "2008 R2")
}

// norm folds a registry value for comparison: -1 undefined, 0, or 1 for
// any other value.
func norm(v *int) int {
	switch {
	case v == nil:
		return -1
	case *v == 0:
		return 0
	}
	return 1
}

func valWords(v *int) string {
	if v == nil {
		return "undefined"
	}
	if *v < 0 || *v > 9 {
		return fmt.Sprintf("0x%X", uint32(*v))
	}
	return fmt.Sprint(*v)
}

// schannelSide is one Client or Server key of a protocol.
type schannelSide struct {
	Side               string // "Client" or "Server"
	Enabled, DisByDflt *int
}

func tls12Sides(t *model.TLSRegistry) []schannelSide {
	return []schannelSide{
		{"Client", t.Schannel12ClientEnabled, t.Schannel12ClientDisabledByDefault},
		{"Server", t.Schannel12ServerEnabled, t.Schannel12ServerDisabledByDefault},
	}
}

func legacySides(t *model.TLSRegistry) map[string][]schannelSide {
	return map[string][]schannelSide{
		"TLS 1.0": {{"Client", t.Schannel10ClientEnabled, t.Schannel10ClientDisabledByDefault}, {"Server", t.Schannel10ServerEnabled, t.Schannel10ServerDisabledByDefault}},
		"TLS 1.1": {{"Client", t.Schannel11ClientEnabled, t.Schannel11ClientDisabledByDefault}, {"Server", t.Schannel11ServerEnabled, t.Schannel11ServerDisabledByDefault}},
	}
}

// tls12On reports whether TLS 1.2 is effectively on for a side, given the
// OS default for undefined values.
func tls12On(sd schannelSide, osOff bool) bool {
	en := sd.Enabled == nil && !osOff || sd.Enabled != nil && *sd.Enabled != 0
	dis := sd.DisByDflt != nil && *sd.DisByDflt != 0 || sd.DisByDflt == nil && osOff
	return en && !dis
}

// regFix is the Fix of registry findings on a server.
func regFix(id string, s *model.Server, vals []RegValue, reboot bool, steps ...string) Fix {
	return Fix{
		Server:   s.Name,
		Registry: vals,
		Steps:    steps,
		Shell:    Remedy(id, newRegShell(fqdnOr(s), vals, reboot)),
	}
}

var ruleTLSSchannel = checkRule(Rule{
	ID: "TLS-SCHANNEL", Title: "Schannel TLS 1.2 values not set", Severity: SevError,
	Sources: []string{"blog-tls-part2", "ms-exchange-tls-configuration", "css-healthchecker-tls"}, Section: "4",
	Doc: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client and \\Server must have Enabled=1 and DisabledByDefault=0. Undefined values mean the OS default, which is not recommended (make it explicit): a warning on Windows Server 2012 and later, where the default is on, but an error on 2008 and 2008 R2, where TLS 1.2 is off unless the values are set. A disabled side (Enabled=0 or DisabledByDefault=1) is an error, and so is a Client key configured differently from the Server key (Exchange is both a TLS client and server; one side set explicitly while the other is left undefined counts as different). HealthChecker compares effective values and flags undefined ones separately; both lead to the same .reg fix. Enabled values other than 0 and 1 (0xFFFFFFFF) are a warning: HealthChecker wants 1. One finding per server lists every gap; its .reg sets only the values that are wrong or missing.",
}, func(p *Pass, r *Rule) {
	for _, s := range tlsServers(p) {
		osOff := osDefaultsTLS12Off(s)
		sides := tls12Sides(&s.TLS)
		var issues []string
		sev := SevInfo
		raise := func(to Severity) {
			if to.Rank() < sev.Rank() {
				sev = to
			}
		}
		var vals []RegValue
		for _, sd := range sides {
			key := schannelKey("TLS 1.2", sd.Side)
			explicitOff := (sd.Enabled != nil && *sd.Enabled == 0) || (sd.DisByDflt != nil && *sd.DisByDflt != 0)
			switch {
			case explicitOff:
				issues = append(issues, fmt.Sprintf("%s is disabled (Enabled=%s, DisabledByDefault=%s)", sd.Side, valWords(sd.Enabled), valWords(sd.DisByDflt)))
				raise(SevError)
			case sd.Enabled == nil || sd.DisByDflt == nil:
				if osOff {
					o, _ := serverOS(s)
					issues = append(issues, fmt.Sprintf("%s is not set (Enabled=%s, DisabledByDefault=%s), so it is off: %s leaves TLS 1.2 disabled unless these values are set", sd.Side, valWords(sd.Enabled), valWords(sd.DisByDflt), osWords(o)))
					raise(SevError)
				} else {
					issues = append(issues, fmt.Sprintf("%s values are undefined (Enabled=%s, DisabledByDefault=%s): the OS default enables TLS 1.2, but set them explicitly", sd.Side, valWords(sd.Enabled), valWords(sd.DisByDflt)))
					raise(SevWarning)
				}
			case *sd.Enabled != 1:
				issues = append(issues, fmt.Sprintf("%s Enabled is %s, which Schannel reads as enabled, but HealthChecker accepts only 0 or 1: set it to 1", sd.Side, valWords(sd.Enabled)))
				raise(SevWarning)
			}
			if sd.Enabled == nil || *sd.Enabled != 1 {
				vals = append(vals, RegValue{Key: key, Name: "Enabled", Value: 1, Recorded: true, Was: was(sd.Enabled)})
			}
			if sd.DisByDflt == nil || *sd.DisByDflt != 0 {
				vals = append(vals, RegValue{Key: key, Name: "DisabledByDefault", Value: 0, Recorded: true, Was: was(sd.DisByDflt)})
			}
		}
		c, sv := sides[0], sides[1]
		if norm(c.Enabled) != norm(sv.Enabled) || norm(c.DisByDflt) != norm(sv.DisByDflt) {
			issues = append(issues, fmt.Sprintf("the Client key (Enabled=%s, DisabledByDefault=%s) and the Server key (Enabled=%s, DisabledByDefault=%s) differ: Exchange is both a TLS client and a server, so both must match",
				valWords(c.Enabled), valWords(c.DisByDflt), valWords(sv.Enabled), valWords(sv.DisByDflt)))
			raise(SevError)
		}
		if len(issues) == 0 {
			continue
		}
		msg := fmt.Sprintf("%s's Schannel TLS 1.2 settings: %s. Set TLS 1.2 Client and Server to Enabled=1, DisabledByDefault=0 and restart %s.", s.Name, strings.Join(issues, "; "), s.Name)
		p.ReportAs(r, sev, s.Name, msg, regFix(r.ID, s, vals, true,
			fmt.Sprintf("Import %s's .reg file (or run the commands) and restart %s: Schannel reads these values at start-up.", s.Name, s.Name)))
	}
})

// netValue is one .NET registry value with its Wow6432Node twin.
type netValue struct {
	Name        string
	Native, Wow *int
}

// wow returns the effective twin: nil means "same as the native value".
func (n netValue) wow() *int {
	if n.Wow == nil {
		return n.Native
	}
	return n.Wow
}

func (n netValue) ok() bool {
	w := n.wow()
	return n.Native != nil && *n.Native == 1 && w != nil && *w == 1
}

// describe says what is wrong with the value (and its twin).
func (n netValue) describe(ver string) string {
	nat := valWords(n.Native)
	if n.Wow == nil {
		return fmt.Sprintf("%s %s is %s (its Wow6432Node twin is not recorded separately, so taken as the same)", ver, n.Name, nat)
	}
	return fmt.Sprintf("%s %s is %s and its Wow6432Node twin is %s", ver, n.Name, nat, valWords(n.Wow))
}

// fixValues returns the values setting n (native and twin) to 1.
func (n netValue) fixValues(ver string) []RegValue {
	var r []RegValue
	if n.Native == nil || *n.Native != 1 {
		r = append(r, RegValue{Key: netKey + ver, Name: n.Name, Value: 1, Recorded: true, Was: was(n.Native)})
	}
	if w := n.wow(); w == nil || *w != 1 || n.Native == nil || *n.Native != 1 {
		r = append(r, RegValue{Key: netWowKey + ver, Name: n.Name, Value: 1, Recorded: true, Was: was(n.wow())})
	}
	return r
}

var ruleTLSNet35 = checkRule(Rule{
	ID: "TLS-NET35", Title: ".NET 3.5 (v2.0.50727) does not use the system default TLS versions", Severity: SevError,
	Sources: []string{"blog-tls-part2", "ms-dotnet-tls"}, Section: "4",
	Doc: "Exchange 2010 runs on .NET 3.5: HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727 and its Wow6432Node twin need SystemDefaultTlsVersions=1 (undefined behaves as 0: SSL 3.0/TLS 1.0 only). The Exchange Team's TLS guidance (part 2) makes this step required for Exchange 2010 (\"This step is only required for Exchange Server 2010 installations\"): without it Exchange 2010's .NET code cannot use TLS 1.2, so it is an error under either TLS goal, like the Schannel gap on the same server. The fix also sets SchUseStrongCrypto=1 where it is not, as Microsoft's .NET TLS guidance recommends for 3.5. A Wow6432Node twin the inventory leaves out is taken as equal to the native value.",
}, func(p *Pass, r *Rule) {
	for _, s := range tlsServers(p) {
		if s.Parsed.Version() != model.V2010 {
			continue
		}
		t := &s.TLS
		sdtv := netValue{"SystemDefaultTlsVersions", t.Net2SystemDefaultTLSVersions, t.Net2WowSystemDefaultTLSVersions}
		if sdtv.ok() {
			continue
		}
		susc := netValue{"SchUseStrongCrypto", t.Net2SchUseStrongCrypto, t.Net2WowSchUseStrongCrypto}
		vals := sdtv.fixValues(net2)
		if !susc.ok() {
			vals = append(vals, susc.fixValues(net2)...)
		}
		msg := fmt.Sprintf("%s (Exchange 2010): %s; undefined or 0 keeps .NET 3.5 code on SSL 3.0/TLS 1.0. Set SystemDefaultTlsVersions=1 in both keys (needs the %s update, TLS-DOTNET).",
			s.Name, sdtv.describe(net2), "system-default-TLS")
		p.Report(r, s.Name, msg, regFix(r.ID, s, vals, true,
			fmt.Sprintf("Import %s's .reg file (or run the commands) and restart %s (or at least the Exchange services and IIS).", s.Name, s.Name)))
	}
})

var ruleTLSNet4 = checkRule(Rule{
	ID: "TLS-NET4", Title: ".NET 4 (v4.0.30319) TLS values not set", Severity: SevWarning,
	Sources: []string{"blog-tls-part2", "ms-exchange-tls-configuration", "css-healthchecker-tls"}, Section: "4",
	Doc: "Exchange 2013 and later: HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and its Wow6432Node twin need SystemDefaultTlsVersions=1; SchUseStrongCrypto=1 is recommended. A warning under \"enable-1.2\"; an error under \"disable-legacy\" (HealthChecker treats TLS 1.0/1.1 disabled with these values not 1 as an error). A Wow6432Node twin the inventory leaves out is taken as equal to the native value.",
}, func(p *Pass, r *Rule) {
	for _, s := range tlsServers(p) {
		if s.Parsed.Version() < model.V2013 {
			continue
		}
		t := &s.TLS
		var issues []string
		var vals []RegValue
		for _, n := range []netValue{
			{"SystemDefaultTlsVersions", t.Net4SystemDefaultTLSVersions, t.Net4WowSystemDefaultTLSVersions},
			{"SchUseStrongCrypto", t.Net4SchUseStrongCrypto, t.Net4WowSchUseStrongCrypto},
		} {
			if n.ok() {
				continue
			}
			issues = append(issues, n.describe(net4))
			vals = append(vals, n.fixValues(net4)...)
		}
		if len(issues) == 0 {
			continue
		}
		msg := fmt.Sprintf("%s (%s): %s. Set SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 in both keys so Exchange's .NET code negotiates TLS 1.2.",
			s.Name, buildWords(s.Parsed), strings.Join(issues, "; "))
		p.ReportAs(r, goalSev(p), s.Name, msg, regFix(r.ID, s, vals, true,
			fmt.Sprintf("Import %s's .reg file (or run the commands) and restart %s.", s.Name, s.Name)))
	}
})

// legacyState describes TLS 1.0/1.1 on a server: any side explicitly
// disabled, and every side fully disabled (Enabled=0, DisabledByDefault=1).
func legacyState(t *model.TLSRegistry) (anyOff, allOff bool) {
	allOff = true
	for _, sides := range legacySides(t) {
		for _, sd := range sides {
			if sd.Enabled != nil && *sd.Enabled == 0 {
				anyOff = true
			}
			if !(sd.Enabled != nil && *sd.Enabled == 0 && sd.DisByDflt != nil && *sd.DisByDflt == 1) {
				allOff = false
			}
		}
	}
	return anyOff, allOff
}

// serverTLSGaps lists why a server is not ready for TLS 1.0/1.1 to be
// disabled: build, .NET values, TLS 1.2 itself.
func serverTLSGaps(s *model.Server) []string {
	var g []string
	v := s.Parsed.Version()
	if m, ok := tlsDisableMin[v]; ok && s.Parsed.Less(m.Build()) {
		g = append(g, fmt.Sprintf("it runs %s, below %s", buildWords(s.Parsed), m.Words()))
	}
	t := &s.TLS
	switch {
	case v == model.V2010:
		if n := (netValue{"SystemDefaultTlsVersions", t.Net2SystemDefaultTLSVersions, t.Net2WowSystemDefaultTLSVersions}); !n.ok() {
			g = append(g, n.describe(net2))
		}
	case v >= model.V2013:
		for _, n := range []netValue{
			{"SystemDefaultTlsVersions", t.Net4SystemDefaultTLSVersions, t.Net4WowSystemDefaultTLSVersions},
			{"SchUseStrongCrypto", t.Net4SchUseStrongCrypto, t.Net4WowSchUseStrongCrypto},
		} {
			if !n.ok() {
				g = append(g, n.describe(net4))
			}
		}
	}
	osOff := osDefaultsTLS12Off(s)
	for _, sd := range tls12Sides(t) {
		if !tls12On(sd, osOff) {
			g = append(g, "TLS 1.2 "+sd.Side+" is not on")
		}
	}
	return g
}

// clientTLS12 reports whether a client profile can use TLS 1.2, and why
// not. ok is true for unknown operating systems (not checked).
func clientTLS12(cp *model.ClientProfile) (bool, string) {
	if strings.TrimSpace(cp.OS) == "" {
		return true, ""
	}
	o, err := model.ParseWindows(cp.OS)
	if err != nil || o.Server {
		return true, ""
	}
	switch o.Release {
	case "XP", "VISTA", "8":
		return false, fmt.Sprintf("%s has no supported TLS 1.2 path for Outlook", osWords(o))
	case "7":
		if gaps := win7Gaps(cp); len(gaps) > 0 {
			return false, "Windows 7 without " + andList(gaps)
		}
	}
	return true, ""
}

// win7Gaps lists what a Windows 7 profile lacks for TLS 1.2 (TLS-WIN7).
func win7Gaps(cp *model.ClientProfile) []string {
	var g []string
	if !model.HasUpdate(cp.InstalledUpdates, "KB3140245") {
		g = append(g, "KB3140245")
	}
	if cp.DefaultSecureProtocols == nil || *cp.DefaultSecureProtocols&0x800 == 0 {
		g = append(g, fmt.Sprintf("WinHTTP DefaultSecureProtocols=0xA00 (now %s)", valWords(cp.DefaultSecureProtocols)))
	}
	if cp.SecureProtocols == nil || *cp.SecureProtocols&0x800 == 0 {
		g = append(g, fmt.Sprintf("Internet Settings SecureProtocols=0xA80 (now %s)", valWords(cp.SecureProtocols)))
	}
	return g
}

var ruleTLSDisableOld = checkRule(Rule{
	ID: "TLS-DISABLE-OLD", Title: "TLS 1.0/1.1 disabled too early, or still enabled under the disable goal", Severity: SevError,
	Sources: []string{"css-healthchecker-tls", "blog-tls-part3"}, Section: "4",
	Doc: "Disabling TLS 1.0/1.1 before every client and server can do TLS 1.2 breaks them. A server that already has TLS 1.0/1.1 disabled while its build, .NET values or TLS 1.2 itself are not ready is an error (HealthChecker: \"1.0/1.1 disabled but .NET values not 1\"). Under tls_goal \"disable-legacy\": every server where TLS 1.0/1.1 are still enabled is a warning (HealthChecker: \"still enabled\"), with the .reg values that disable them, to apply last; and every client profile that is not TLS 1.2-capable (Windows 7 without KB3140245 and the registry values, Windows XP/Vista/8) is an error: it blocks the goal. Partners (SMTP, hybrid, devices) are not in the inventory: check them separately.",
}, func(p *Pass, r *Rule) {
	usage := profileUsage(p)
	var blocking []string
	anyServerOff := false
	for _, s := range tlsServers(p) {
		if off, _ := legacyState(&s.TLS); off {
			anyServerOff = true
		}
	}
	if goalDisable(p) || anyServerOff {
		for i := range p.Inv.ClientProfiles {
			cp := &p.Inv.ClientProfiles[i]
			ok, why := clientTLS12(cp)
			if ok {
				continue
			}
			who := "no users in the inventory"
			if u := usage[model.Key(cp.Name)]; u != nil {
				who = usersWords(u.Users)
			}
			blocking = append(blocking, cp.Name)
			when := "once TLS 1.0/1.1 are disabled on the servers (tls_goal disable-legacy),"
			if !goalDisable(p) {
				when = "TLS 1.0/1.1 are already disabled on some servers, so"
			}
			msg := fmt.Sprintf("Client profile %s (%s) is not TLS 1.2-capable (%s): %s these clients cannot connect to them. Make them TLS 1.2-capable first (TLS-WIN7), or keep TLS 1.0/1.1 enabled.", cp.Name, who, why, when)
			p.Report(r, profileName(cp), msg, Fix{Steps: []string{
				fmt.Sprintf("Make the clients of profile %s TLS 1.2-capable (see TLS-WIN7 for Windows 7) or upgrade their OS before disabling TLS 1.0/1.1 anywhere.", cp.Name),
			}})
		}
	}
	for _, s := range tlsServers(p) {
		anyOff, allOff := legacyState(&s.TLS)
		gaps := serverTLSGaps(s)
		if anyOff && len(gaps) > 0 {
			msg := fmt.Sprintf("TLS 1.0/1.1 are already disabled on %s, but it is not ready for TLS 1.2 only: %s. Connections that cannot use TLS 1.2 fail now: complete these prerequisites at once, or re-enable TLS 1.0/1.1 until they are done.", s.Name, strings.Join(gaps, "; "))
			p.Report(r, s.Name, msg, Fix{Steps: []string{
				fmt.Sprintf("Fix the listed gaps on %s (TLS-EXBUILD, TLS-NET35/TLS-NET4, TLS-SCHANNEL) immediately.", s.Name),
				fmt.Sprintf("Or, until then, set TLS 1.0/1.1 Client and Server to Enabled=1, DisabledByDefault=0 on %s and restart it.", s.Name),
			}})
			continue
		}
		if !goalDisable(p) || allOff {
			continue
		}
		var vals []RegValue
		for _, proto := range []string{"TLS 1.0", "TLS 1.1"} {
			for _, sd := range legacySides(&s.TLS)[proto] {
				key := schannelKey(proto, sd.Side)
				if sd.Enabled == nil || *sd.Enabled != 0 {
					vals = append(vals, RegValue{Key: key, Name: "Enabled", Value: 0, Recorded: true, Was: was(sd.Enabled)})
				}
				if sd.DisByDflt == nil || *sd.DisByDflt != 1 {
					vals = append(vals, RegValue{Key: key, Name: "DisabledByDefault", Value: 1, Recorded: true, Was: was(sd.DisByDflt)})
				}
			}
		}
		var pre []string
		if len(gaps) > 0 {
			pre = append(pre, "this server's own gaps ("+strings.Join(gaps, "; ")+")")
		}
		switch len(blocking) {
		case 0:
		case 1:
			pre = append(pre, "client profile "+blocking[0])
		default:
			pre = append(pre, "client profiles "+andList(blocking))
		}
		msg := fmt.Sprintf("TLS 1.0 and 1.1 are still enabled on %s (tls_goal disable-legacy). Disable them as the last step, once every server meets the TLS 1.2 prerequisites and every client and partner can use TLS 1.2.", s.Name)
		if len(pre) > 0 {
			msg += " Not yet: " + strings.Join(pre, "; ") + " must be fixed first."
		}
		p.ReportAs(r, SevWarning, s.Name, msg, regFix(r.ID, s, vals, true,
			"Apply LAST: only after every Exchange server and every client profile is TLS 1.2-ready and partners have been checked (SMTP, hybrid, devices).",
			fmt.Sprintf("Import %s's disable-protocols .reg file (or uncomment the commands in remediation.ps1) and restart %s.", s.Name, s.Name)))
	}
})

// win7Data is the data of the TLS-WIN7 remedy template (commented
// commands to run on the clients, never on the Exchange server).
type win7Data struct {
	Profile string
	KBs     []string
	Keys    []regShellKey
	HKCU    bool // also set the per-user SecureProtocols
}

var ruleTLSWin7 = checkRule(Rule{
	ID: "TLS-WIN7", Title: "Windows 7 clients not configured for TLS 1.2", Severity: SevWarning,
	Sources: []string{"kb3140245", "ms-prepare-tls12-office365", "byronwright-coexistence-notes"}, Section: "4",
	Doc: "Windows 7 clients need KB3140245 and DefaultSecureProtocols=0xA00 (TLS 1.1+1.2) under HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp and its Wow6432Node twin, plus Internet Explorer's SecureProtocols=0xA80 (TLS 1.0+1.1+1.2 = 0x80+0x200+0x800) in HKLM and HKCU ...\\Internet Settings. Byron Wright's notes print 0xA8/0xA08: typos; 0xA80 is the bit sum (the finding, the .reg comment and the commands say so). Without them Windows 7 clients \"might see a certificate error when connecting to Exchange 2016 for web services\" (Byron Wright's notes), whatever the TLS goal. The profile's single default_secure_protocols value describes both WinHttp keys. A warning under \"enable-1.2\", an error under \"disable-legacy\". Values that include the TLS 1.2 bit (0x800) are accepted.",
}, func(p *Pass, r *Rule) {
	usage := profileUsage(p)
	for i := range p.Inv.ClientProfiles {
		cp := &p.Inv.ClientProfiles[i]
		o, err := model.ParseWindows(cp.OS)
		if err != nil || o.Server || o.Release != "7" {
			continue
		}
		gaps := win7Gaps(cp)
		if len(gaps) == 0 {
			continue
		}
		who := "no users in the inventory"
		if u := usage[model.Key(cp.Name)]; u != nil {
			who = usersWords(u.Users)
		}
		var vals []RegValue
		var kbs []string
		if !model.HasUpdate(cp.InstalledUpdates, "KB3140245") {
			kbs = []string{"KB3140245"}
		}
		if cp.DefaultSecureProtocols == nil || *cp.DefaultSecureProtocols&0x800 == 0 {
			vals = append(vals,
				RegValue{Key: winHTTPKey, Name: "DefaultSecureProtocols", Value: 0xA00, Recorded: true, Was: was(cp.DefaultSecureProtocols)},
				RegValue{Key: winHTTPWow, Name: "DefaultSecureProtocols", Value: 0xA00, Recorded: true, Was: was(cp.DefaultSecureProtocols)})
		}
		hkcu := cp.SecureProtocols == nil || *cp.SecureProtocols&0x800 == 0
		if hkcu {
			vals = append(vals, RegValue{Key: inetKey, Name: "SecureProtocols", Value: 0xA80, Recorded: true, Was: was(cp.SecureProtocols)})
		}
		msg := fmt.Sprintf("Client profile %s (%s, %s) lacks %s: Outlook on these clients cannot use TLS 1.1/1.2 through WinHTTP/WinINet and might see certificate errors when connecting to Exchange 2016 web services.",
			cp.Name, osWords(o), who, andList(gaps))
		if hkcu := cp.SecureProtocols == nil || *cp.SecureProtocols&0x800 == 0; hkcu {
			msg += " SecureProtocols=0xA80 is TLS 1.0+1.1+1.2 (0x80+0x200+0x800); the 0xA8 and 0xA08 printed in Microsoft's article are typos (0xA8 would be SSL 2.0+SSL 3.0+TLS 1.0)."
		}
		steps := []string{}
		if len(kbs) > 0 {
			steps = append(steps, fmt.Sprintf("Install KB3140245 on the clients of profile %s.", cp.Name))
		}
		if len(vals) > 0 {
			steps = append(steps, "Set the registry values (Group Policy Preferences recommended; the .reg file is per computer).")
		}
		if hkcu {
			steps = append(steps, `Also set HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings\SecureProtocols = 0xA80 for every user (Group Policy: "Turn off encryption support", TLS 1.0, 1.1 and 1.2).`)
		}
		rs := newRegShell("", vals, false)
		p.ReportAs(r, goalSev(p), profileName(cp), msg, Fix{
			Server:   "client profile " + cp.Name,
			Registry: vals,
			KBs:      kbs,
			Steps:    steps,
			Shell:    Remedy(r.ID, win7Data{Profile: cp.Name, KBs: kbs, Keys: rs.Keys, HKCU: hkcu}),
		})
	}
})

// iisLogsTLS reports whether IIS on the release can log the TLS protocol
// with custom logging fields (Windows Server 2012 R2 and later).
func iisLogsTLS(release string) bool {
	switch release {
	case "2003", "2008", "2008 R2", "2012":
		return false
	}
	return true
}

// verifyData is the data of the TLS-VERIFY remedy template.
type verifyData struct {
	Servers []string // FQDNs of the servers with transport protocol logs
}

var ruleTLSVerify = checkRule(Rule{
	ID: "TLS-VERIFY", Title: "How to verify TLS 1.2 use", Severity: SevInfo,
	Sources: []string{"blog-tls-part2"}, Section: "4",
	Doc: "After the TLS changes, verify which protocol is in use: SMTP protocol logs show SP_PROT_TLS1_2_SERVER / SP_PROT_TLS1_2_CLIENT; IIS can log the TLS version with custom logging fields on Windows Server 2012 R2 and 2016 (and later); elsewhere use the load balancer's logs; POP/IMAP offer nothing. Reported once for the organisation (info).",
}, func(p *Pass, r *Rule) {
	ss := tlsServers(p)
	if len(ss) == 0 {
		return
	}
	var fq []string
	var iis, other []*model.Server
	for _, s := range ss {
		v := s.Parsed.Version()
		if v >= model.V2013 || s.HasRole("HubTransport") || s.HasRole("Edge") || s.HasRole("EdgeTransport") {
			fq = append(fq, fqdnOr(s)) // has transport protocol logs
		}
		if !s.HasRole("ClientAccess") {
			continue
		}
		if o, ok := serverOS(s); ok && o.Server && iisLogsTLS(o.Release) {
			iis = append(iis, s)
		} else {
			other = append(other, s)
		}
	}
	msg := "After the TLS changes, verify that TLS 1.2 is used: SMTP protocol logs show SP_PROT_TLS1_2_SERVER and SP_PROT_TLS1_2_CLIENT"
	if len(iis) > 0 {
		msg += "; IIS can log the TLS protocol with custom logging fields on " + casList(p, iis)
	}
	if len(other) > 0 {
		msg += "; for HTTPS on " + casList(p, other) + " use the load balancer's or firewall's logs"
	}
	msg += "; POP3/IMAP4 have no TLS logging."
	p.Report(r, orgName(p), msg, Fix{
		Steps: []string{
			"Enable protocol logging on the Receive and Send connectors if it is off.",
			"On IIS 8.5 and later add custom log fields for the crypt-protocol server variable (CRYPT_PROTOCOL) to see the TLS version per request.",
		},
		Shell: Remedy(r.ID, verifyData{Servers: fq}),
	})
})

// casList names Client Access servers for a message: each by name, but
// the servers of a version are "every Exchange 2010 Client Access server
// (65)" when the list holds all of them and they are many, so that a
// large estate's message stays readable.
func casList(p *Pass, ss []*model.Server) string {
	const many = 8
	byV := map[model.Version]int{}
	for _, s := range ss {
		byV[s.Parsed.Version()]++
	}
	all := map[model.Version]int{}
	for _, s := range p.Topo.Servers() {
		if s.HasRole("ClientAccess") {
			all[s.Parsed.Version()]++
		}
	}
	var parts []string
	done := map[model.Version]bool{}
	for _, s := range ss {
		v := s.Parsed.Version()
		if n := byV[v]; n > many && n == all[v] && v != 0 {
			if !done[v] {
				done[v] = true
				parts = append(parts, fmt.Sprintf("every Exchange %s Client Access server (%d)", v, n))
			}
			continue
		}
		parts = append(parts, s.Name)
	}
	return andList(parts)
}

// hcEnabled is HealthChecker's reading of an Enabled value: any value but
// 0 is enabled (0xFFFFFFFF included); undefined is enabled for TLS 1.0–1.2
// and disabled for TLS 1.3.
func hcEnabled(v *int, proto string) bool {
	if v == nil {
		return proto != "TLS 1.3"
	}
	return *v != 0
}

// hcDisabledByDefault is HealthChecker's reading of DisabledByDefault: any
// value but 0; undefined is not disabled by default.
func hcDisabledByDefault(v *int) bool { return v != nil && *v != 0 }

// otherSides are the Schannel keys of TLS 1.0, 1.1 and 1.3 (TLS 1.2 is
// TLS-SCHANNEL's), in a fixed order.
func otherSides(t *model.TLSRegistry) []struct {
	Proto        string
	Client, Serv schannelSide
} {
	l := legacySides(t)
	type ps = struct {
		Proto        string
		Client, Serv schannelSide
	}
	return []ps{
		{"TLS 1.0", l["TLS 1.0"][0], l["TLS 1.0"][1]},
		{"TLS 1.1", l["TLS 1.1"][0], l["TLS 1.1"][1]},
		{"TLS 1.3", schannelSide{"Client", t.Schannel13ClientEnabled, t.Schannel13ClientDisabledByDefault}, schannelSide{"Server", t.Schannel13ServerEnabled, t.Schannel13ServerDisabledByDefault}},
	}
}

var ruleTLSMismatch = checkRule(Rule{
	ID: "TLS-MISMATCH", Title: "Schannel Client and Server keys differ (TLS 1.0, 1.1, 1.3)", Severity: SevError,
	Sources: []string{"css-healthchecker-tls", "ms-exchange-tls-configuration"}, Section: "4",
	Doc: "Exchange is both a TLS client and a TLS server, so the Client and Server keys of every protocol version must agree. As HealthChecker reads them, Enabled is on for any value but 0 (0xFFFFFFFF is on; undefined is on for TLS 1.0 and 1.1, off for TLS 1.3) and DisabledByDefault is on for any value but 0 (undefined is off); a version whose Client and Server differ in either is \"Misconfigured\", an error. TLS 1.2 is checked by TLS-SCHANNEL.",
}, func(p *Pass, r *Rule) {
	for _, s := range tlsServers(p) {
		var issues []string
		for _, pr := range otherSides(&s.TLS) {
			c, sv := pr.Client, pr.Serv
			if hcEnabled(c.Enabled, pr.Proto) == hcEnabled(sv.Enabled, pr.Proto) && hcDisabledByDefault(c.DisByDflt) == hcDisabledByDefault(sv.DisByDflt) {
				continue
			}
			issues = append(issues, fmt.Sprintf("%s Client (Enabled=%s, DisabledByDefault=%s) and Server (Enabled=%s, DisabledByDefault=%s) differ",
				pr.Proto, valWords(c.Enabled), valWords(c.DisByDflt), valWords(sv.Enabled), valWords(sv.DisByDflt)))
		}
		if len(issues) == 0 {
			continue
		}
		msg := fmt.Sprintf("%s's Schannel settings: %s. Exchange is both a TLS client and a server, so connections fail one way but not the other: give the Client and Server keys of each version the same values and restart %s.", s.Name, strings.Join(issues, "; "), s.Name)
		p.Report(r, s.Name, msg, Fix{Server: s.Name, Steps: []string{
			fmt.Sprintf("On %s, set the Client and Server keys of each listed version to the same values: both enabled (Enabled=1, DisabledByDefault=0) or both disabled (Enabled=0, DisabledByDefault=1), as the TLS goal requires; then restart %s.", s.Name, s.Name),
		}})
	}
})

// tls13Supported reports whether Exchange supports TLS 1.3 on the server:
// Exchange 2019 CU15 or later on Windows Server 2022 or later.
func tls13Supported(s *model.Server) bool {
	if s.Parsed.Version() < model.V2019 || s.Parsed.Less(mustBuildOf(model.V2019, "CU15")) {
		return false
	}
	o, ok := serverOS(s)
	if !ok || !o.Server {
		return false
	}
	year, err := strconv.Atoi(strings.TrimSuffix(o.Release, " R2"))
	return err == nil && year >= 2022
}

var ruleTLS13 = checkRule(Rule{
	ID: "TLS-13", Title: "TLS 1.3 not disabled where Exchange does not support it", Severity: SevError,
	Sources: []string{"css-healthchecker-tls", "ms-exchange-tls-configuration"}, Section: "4",
	Doc: "Exchange supports TLS 1.3 only from Exchange 2019 CU15 on Windows Server 2022 or later, and TLS 1.3 has been known to cause issues elsewhere. HealthChecker treats TLS 1.3 as anything but disabled (undefined values mean disabled for TLS 1.3; Enabled other than 0 or DisabledByDefault 0 on either side is not disabled) on other servers as an error. The fix sets TLS 1.3 Client and Server to Enabled=0, DisabledByDefault=1.",
}, func(p *Pass, r *Rule) {
	for _, s := range tlsServers(p) {
		if tls13Supported(s) {
			continue
		}
		t := &s.TLS
		sides := []schannelSide{
			{"Client", t.Schannel13ClientEnabled, t.Schannel13ClientDisabledByDefault},
			{"Server", t.Schannel13ServerEnabled, t.Schannel13ServerDisabledByDefault},
		}
		disabled := true
		var state []string
		var vals []RegValue
		for _, sd := range sides {
			off := !hcEnabled(sd.Enabled, "TLS 1.3") && (sd.DisByDflt == nil || hcDisabledByDefault(sd.DisByDflt))
			if !off {
				disabled = false
			}
			state = append(state, fmt.Sprintf("%s Enabled=%s, DisabledByDefault=%s", sd.Side, valWords(sd.Enabled), valWords(sd.DisByDflt)))
			key := schannelKey("TLS 1.3", sd.Side)
			vals = append(vals, RegValue{Key: key, Name: "Enabled", Value: 0}, RegValue{Key: key, Name: "DisabledByDefault", Value: 1})
		}
		if disabled {
			continue
		}
		where := buildWords(s.Parsed)
		if o, ok := serverOS(s); ok {
			where += " on " + osWords(o)
		}
		msg := fmt.Sprintf("TLS 1.3 is not disabled on %s (%s): %s. Exchange supports TLS 1.3 only from Exchange 2019 CU15 on Windows Server 2022, and it has been known to cause issues elsewhere. Disable it and restart %s.", s.Name, where, strings.Join(state, "; "), s.Name)
		p.Report(r, s.Name, msg, regFix(r.ID, s, vals, true,
			fmt.Sprintf("Import %s's .reg file (or run the commands) and restart %s.", s.Name, s.Name)))
	}
})
