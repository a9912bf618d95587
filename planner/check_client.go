package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// Section 1 (client support) and section 3 (Outlook Anywhere client
// authentication) checks.

// outlookSupport reports whether Exchange v supports Outlook o, and the
// supported range in words (ms-exchange-supportability-matrix, ms-exchange-system-requirements).
func outlookSupport(v model.Version, o model.Outlook) (bool, string) {
	switch v {
	case model.V2007:
		// Outlook 2016 and later do not connect to Exchange 2007 (ms-exchange-supportability-matrix).
		return o.Year >= 2003 && o.Year <= 2013, "Outlook 2003 to Outlook 2013"
	case model.V2010:
		return (o.Year == 2003 && o.SP >= 3) || (o.Year >= 2007 && o.Year <= 2016),
			"Outlook 2003 SP3, 2007, 2010, 2013 and 2016"
	case model.V2013:
		return (o.Year == 2007 && o.SP >= 3) || (o.Year == 2010 && o.SP >= 1) || o.Year >= 2013,
			"Outlook 2007 SP3 and Outlook 2010 SP1 or later, with their latest updates"
	case model.V2016:
		return (o.Year == 2010 && o.SP >= 2) || o.Year >= 2013,
			"Outlook 2010 SP2 (with updates), 2013, 2016, 2019 and Microsoft 365 Apps"
	case model.V2019:
		return o.Year >= 2013, "Outlook 2013 or later and Microsoft 365 Apps"
	}
	return true, ""
}

// profileUse is how many users have a client profile, by the version of
// their mailbox.
type profileUse struct {
	Users    int
	Versions map[model.Version]int
}

// profileUsage counts each client profile's users per mailbox version,
// from the cohorts (cheap even for very large organisations).
func profileUsage(p *Pass) map[string]*profileUse {
	m := map[string]*profileUse{}
	for _, c := range p.Cohorts {
		if c.Profile == "" {
			continue
		}
		k := model.Key(c.Profile)
		u := m[k]
		if u == nil {
			u = &profileUse{Versions: map[model.Version]int{}}
			m[k] = u
		}
		u.Users += len(c.Users)
		if d := p.X.Database(c.Database); d != nil {
			if s := p.Topo.Server(d.Server); s != nil {
				u.Versions[s.Parsed.Version()] += len(c.Users)
			}
		}
	}
	return m
}

func usersWords(n int) string {
	if n == 1 {
		return "1 user"
	}
	return fmt.Sprintf("%d users", n)
}

// profileName is the subject of client profile findings.
func profileName(cp *model.ClientProfile) string { return cp.Name }

var ruleClientOutlook = checkRule(Rule{
	ID: "CLIENT-OUTLOOK", Title: "Outlook version not supported by the target Exchange version", Severity: SevError,
	Sources: []string{"ms-exchange-supportability-matrix", "ms-exchange-system-requirements", "ms-ex2013-system-requirements", "ms-mapi-over-http", "redmond-ex2013-cas-legacy"}, Section: "1",
	Doc: "Supported Outlook per Exchange version: 2010 SP3 supports Outlook 2003 SP3 to 2016; 2013 supports Outlook 2007 SP3 and 2010 SP1 or later (with updates) and no Outlook 2003 (2013 also requires RPC encryption, which Outlook 2003 profiles lack by default); 2016 supports Outlook 2010 SP2 (with updates), 2013, 2016, 2019 and Microsoft 365 Apps; 2019 supports Outlook 2013 or later. A client profile whose Outlook the newest Exchange version in the organisation (the migration target) does not support is an error; one that the version of its users' current mailboxes does not support is a warning.",
}, func(p *Pass, r *Rule) {
	target := p.Topo.Newest()
	if target == 0 {
		return
	}
	usage := profileUsage(p)
	for i := range p.Inv.ClientProfiles {
		cp := &p.Inv.ClientProfiles[i]
		o, err := model.ParseOutlook(cp.Outlook)
		if cp.Outlook == "" || err != nil {
			continue
		}
		u := usage[model.Key(cp.Name)]
		who := "no users in the inventory"
		if u != nil {
			who = usersWords(u.Users)
		}
		if ok, want := outlookSupport(target, o); !ok {
			msg := fmt.Sprintf("Client profile %s uses %s (%s), which Exchange %s does not support (it supports %s).", cp.Name, o, who, target, want)
			if o.Year == 2003 && target >= model.V2013 {
				msg += " Exchange 2013 and later also require RPC encryption, which Outlook 2003 profiles do not use by default."
			}
			msg += fmt.Sprintf(" Upgrade Outlook on these clients before their mailboxes move to Exchange %s.", target)
			p.Report(r, profileName(cp), msg, Fix{Steps: []string{
				fmt.Sprintf("Upgrade Outlook for the users of client profile %s to a version Exchange %s supports (%s), ideally Microsoft 365 Apps or Outlook 2016 or later.", cp.Name, target, want),
				"Until then keep these users' mailboxes on a version that supports their Outlook.",
			}})
			continue
		}
		if u == nil {
			continue
		}
		for _, v := range []model.Version{model.V2007, model.V2010, model.V2013, model.V2016, model.V2019} {
			n := u.Versions[v]
			if n == 0 || v == target {
				continue
			}
			if ok, want := outlookSupport(v, o); !ok {
				have := "users of this profile still have Exchange " + v.String() + " mailboxes"
				if n == 1 {
					have = "user of this profile still has an Exchange " + v.String() + " mailbox"
				}
				msg := fmt.Sprintf("Client profile %s uses %s, which Exchange %s does not support (it supports %s), and %d %s. Move these mailboxes to Exchange %s early, or expect unsupported behaviour until then.",
					cp.Name, o, v, want, n, have, target)
				p.ReportAs(r, SevWarning, profileName(cp), msg, Fix{Steps: []string{
					fmt.Sprintf("Move the mailboxes of client profile %s's users to Exchange %s first.", cp.Name, target),
				}})
			}
		}
	}
})

// mapiKBs are the Outlook 2010 SP2 updates that add MAPI/HTTP (ms-mapi-over-http).
var mapiKBs = []string{"KB2956191", "KB2965295"}

var ruleClientMAPI = checkRule(Rule{
	ID: "CLIENT-MAPI", Title: "Outlook cannot use MAPI/HTTP", Severity: SevInfo,
	Sources: []string{"ms-mapi-over-http"}, Section: "1",
	Doc: "MAPI/HTTP needs Outlook 2013 SP1 or later, or Outlook 2010 SP2 with KB2956191 and KB2965295; other Outlook versions stay on Outlook Anywhere (RPC over HTTP) with Exchange 2013 and later mailboxes. Reported (info) for every client profile that the target version supports but that cannot use MAPI/HTTP, once the organisation has Exchange 2013 or later.",
}, func(p *Pass, r *Rule) {
	target := p.Topo.Newest()
	if target < model.V2013 {
		return
	}
	enabled := p.Topo.MapiHTTPEnabled()
	for i := range p.Inv.ClientProfiles {
		cp := &p.Inv.ClientProfiles[i]
		o, err := model.ParseOutlook(cp.Outlook)
		if cp.Outlook == "" || err != nil {
			continue
		}
		if ok, _ := outlookSupport(target, o); !ok {
			continue // CLIENT-OUTLOOK reports it
		}
		if mapiCapableOutlook(o, cp.InstalledUpdates) {
			continue
		}
		var fix Fix
		var need string
		switch {
		case o.Year == 2010 && o.SP >= 2:
			for _, kb := range mapiKBs {
				if !model.HasUpdate(cp.InstalledUpdates, kb) {
					fix.KBs = append(fix.KBs, kb)
				}
			}
			need = "it lacks " + andList(fix.KBs)
			fix.Steps = []string{fmt.Sprintf("Install %s (Outlook 2010 SP2 updates) on the clients of profile %s, then restart Outlook.", andList(fix.KBs), cp.Name)}
		case o.Year == 2010:
			need = "Outlook 2010 needs SP2 with KB2956191 and KB2965295"
			fix.KBs = append([]string(nil), mapiKBs...)
			fix.Steps = []string{fmt.Sprintf("Install Office 2010 SP2, then KB2956191 and KB2965295, on the clients of profile %s.", cp.Name)}
		case o.Year == 2013:
			need = "Outlook 2013 needs SP1"
			fix.Steps = []string{fmt.Sprintf("Install Office 2013 SP1 (or later updates) on the clients of profile %s.", cp.Name)}
		default:
			need = o.String() + " has no MAPI/HTTP support"
			fix.Steps = []string{fmt.Sprintf("Upgrade Outlook for profile %s to Outlook 2013 SP1 or later to use MAPI/HTTP.", cp.Name)}
		}
		state := "MAPI/HTTP is enabled for the organisation"
		if !enabled {
			state = "MAPI/HTTP is currently disabled for the organisation, so this matters once it is enabled"
		}
		msg := fmt.Sprintf("Client profile %s uses %s, which cannot use MAPI/HTTP (%s): with Exchange %s and later mailboxes it stays on Outlook Anywhere. %s.", cp.Name, o, need, model.V2013, state)
		p.Report(r, profileName(cp), msg, fix)
	}
})

// mapiCapableOutlook is the MAPI/HTTP client requirement (ms-mapi-over-http).
func mapiCapableOutlook(o model.Outlook, kbs []string) bool {
	if o.AtLeast(2013, 1) {
		return true
	}
	return o.Year == 2010 && o.SP >= 2 && model.HasUpdate(kbs, mapiKBs[0]) && model.HasUpdate(kbs, mapiKBs[1])
}

// oaUser is one server whose Outlook Anywhere settings Outlook receives.
type oaUser struct {
	S      *model.Server
	Legacy bool   // 2007/2010: one ClientAuthenticationMethod
	Method string // the external (or only) client auth method, as written
}

// oaServers returns the servers whose Outlook Anywhere client settings
// Autodiscover hands out: 2007/2010 CAS with OA enabled, and 2013+ client
// access servers with an external client auth method set.
func oaServers(p *Pass) []oaUser {
	var r []oaUser
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		if !s.HasRole("ClientAccess") && !(v >= model.V2013 && s.HasRole("Mailbox")) {
			continue
		}
		oa := &s.OutlookAnywhere
		if v <= model.V2010 {
			if oa.Enabled && oa.ClientAuthenticationMethod != "" {
				r = append(r, oaUser{S: s, Legacy: true, Method: oa.ClientAuthenticationMethod})
			}
			continue
		}
		if oa.ExternalClientAuthenticationMethod != "" {
			r = append(r, oaUser{S: s, Method: oa.ExternalClientAuthenticationMethod})
		}
	}
	return r
}

// authFamily folds Outlook Anywhere client auth methods: NTLM and
// Negotiate both use integrated Windows authentication (no prompt with
// stored credentials); Basic sends the password.
func authFamily(m string) string {
	switch model.Key(m) {
	case "basic":
		return "Basic"
	case "ntlm", "negotiate", "negoex":
		return "NTLM"
	}
	return m
}

// oaSetData is the data of the shared OASET remedy template.
type oaSetData struct {
	Servers []oaSet
	Prefix  string // "# " prints the commands as optional comments
}

type oaSet struct {
	Server           string
	Legacy           bool
	ClientAuth       string // external (2013+) or only (2007/2010) method; "" = unchanged
	InternalAuth     string // 2013+ internal method; "" = unchanged
	ExternalHostname string // "" = unchanged
	InternalHostname string // "" = unchanged
	// SetSSLOffloading sets SSLOffloading to SSLOffloading (NS-SSLOFFLOAD).
	SetSSLOffloading, SSLOffloading bool
}

var ruleAuthConsistent = checkRule(Rule{
	ID: "AUTH-CONSISTENT", Title: "Outlook Anywhere client authentication and host names are not consistent", Severity: SevWarning,
	Sources: []string{"o365info-ex2013-outlook-infrastructure"}, Section: "3",
	Doc: "Use one client authentication scheme for Outlook Anywhere on the legacy and the new Client Access servers (Autodiscover hands Outlook the method of the server that answers, so a mixture prompts users as namespaces and mailboxes move), and set the legacy Client Access servers' Outlook Anywhere ExternalHostname to the primary namespace so Outlook reaches legacy mailboxes through the new front door. NTLM and Negotiate count as one scheme (integrated Windows authentication). A legacy server whose ExternalHostname is a name that resolves to that server itself (a regional or dual Outlook Anywhere endpoint kept on purpose) is accepted.",
}, func(p *Pass, r *Rule) {
	users := oaServers(p)
	byFamily := map[string][]oaUser{}
	for _, u := range users {
		f := authFamily(u.Method)
		byFamily[f] = append(byFamily[f], u)
	}
	if len(byFamily) > 1 {
		// One recommendation per estate (AUTH-NTLM-PREF defers to this
		// one): the target scheme is NTLM. The articles differ: one
		// recommends NTLM; another asks only for one scheme everywhere
		// and used Basic in its example. Choosing NTLM satisfies both.
		newest := p.Topo.Newest()
		target := "NTLM"
		var parts []string
		var sets []oaSet
		for _, f := range sortedKeys(byFamily) {
			var ns []string
			for _, u := range byFamily[f] {
				n := u.S.Name
				if !u.Legacy {
					n += " (external)"
				}
				ns = append(ns, n)
				if f != target {
					sets = append(sets, oaSet{Server: u.S.Name, Legacy: u.Legacy, ClientAuth: target})
				}
			}
			parts = append(parts, fmt.Sprintf("%s on %s", f, andList(ns)))
		}
		msg := fmt.Sprintf("Outlook Anywhere client authentication differs between servers: %s. Autodiscover hands Outlook the method of the server that answers, so users are prompted or fail when their namespace or mailbox moves. Use one scheme everywhere: %s (coexist's choice where the sources differ: one asks for one scheme and used Basic in its example, another recommends NTLM; this is the only recommendation for the estate, AUTH-NTLM-PREF defers to it).",
			strings.Join(parts, "; "), target)
		_ = newest
		p.Report(r, orgName(p), msg, Fix{
			Steps: []string{fmt.Sprintf("Set the Outlook Anywhere client authentication of every listed server to %s in one change window; legacy servers keep NTLM in IISAuthenticationMethods (AUTH-LEGACY-NTLM).", target)},
			Shell: Remedy(r.ID, oaSetData{Servers: sets}),
		})
	}
	// Legacy ExternalHostname = primary namespace.
	newest := p.Topo.Newest()
	primary := p.Topo.Primary
	if primary == "" {
		return
	}
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		oa := &s.OutlookAnywhere
		if v == 0 || v >= newest || v >= model.V2013 || !oa.Enabled || oa.ExternalHostname == "" {
			continue
		}
		h := strings.ToLower(oa.ExternalHostname)
		if h == primary || resolvesTo(p, h, "external", s) {
			continue
		}
		msg := fmt.Sprintf("%s's Outlook Anywhere ExternalHostname is %s, which is neither the primary namespace (%s) nor a name that resolves to %s itself. Outlook of users homed behind %s is sent to %s; set it to the primary namespace so Outlook reaches these mailboxes through the Exchange %s front door.",
			s.Name, h, primary, s.Name, s.Name, h, newest)
		p.Report(r, s.Name, msg, Fix{
			Steps: []string{fmt.Sprintf("Set the Outlook Anywhere ExternalHostname of %s to %s (and keep that name on the certificate of the servers it resolves to).", s.Name, primary)},
			Shell: Remedy(r.ID, oaSetData{Servers: []oaSet{{Server: s.Name, Legacy: true, ExternalHostname: primary}}}),
		})
	}
})

// oaMixed reports whether Outlook Anywhere client authentication mixes
// schemes across servers (AUTH-CONSISTENT's first part fires).
func oaMixed(p *Pass) bool {
	fam := map[string]bool{}
	for _, u := range oaServers(p) {
		fam[authFamily(u.Method)] = true
	}
	return len(fam) > 1
}

// resolvesTo reports whether host resolves, from location, to a set of
// servers that includes s.
func resolvesTo(p *Pass, host, location string, s *model.Server) bool {
	res, ok := p.Topo.Resolve(host, location)
	if !ok {
		return false
	}
	for _, t := range res.Servers {
		if t == s {
			return true
		}
	}
	return false
}

var ruleAuthNTLMPref = checkRule(Rule{
	ID: "AUTH-NTLM-PREF", Title: "Outlook Anywhere uses Basic client authentication", Severity: SevInfo,
	Sources: []string{"aaronmarks-oa-2007-2010"}, Section: "3",
	Doc: "NTLM is the recommended Outlook Anywhere client authentication where the clients support it (Outlook stores the credentials and no clear-text password crosses the wire inside TLS); Kerberos (Negotiate) suits large deployments. Basic sends the password in clear text inside TLS. Reported once for the organisation (info), listing the servers whose Outlook Anywhere client authentication is Basic, with the commands to switch them to NTLM together.",
}, func(p *Pass, r *Rule) {
	var ns []string
	var sets []oaSet
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		oa := &s.OutlookAnywhere
		if v == 0 {
			continue
		}
		if v <= model.V2010 {
			if oa.Enabled && model.Key(oa.ClientAuthenticationMethod) == "basic" {
				ns = append(ns, s.Name)
				sets = append(sets, oaSet{Server: s.Name, Legacy: true, ClientAuth: "NTLM"})
			}
			continue
		}
		ext := model.Key(oa.ExternalClientAuthenticationMethod) == "basic"
		in := model.Key(oa.InternalClientAuthenticationMethod) == "basic"
		if !ext && !in {
			continue
		}
		set := oaSet{Server: s.Name}
		var which []string
		if ext {
			set.ClientAuth = "NTLM"
			which = append(which, "external")
		}
		if in {
			set.InternalAuth = "NTLM"
			which = append(which, "internal")
		}
		ns = append(ns, s.Name+" ("+strings.Join(which, " and ")+")")
		sets = append(sets, set)
	}
	if len(ns) == 0 {
		return
	}
	sort.Strings(ns)
	msg := fmt.Sprintf("Outlook Anywhere client authentication is Basic on %s: Outlook sends the user's password (in clear text inside TLS) and cannot use stored Windows credentials. NTLM is recommended where clients support it (Negotiate/Kerberos for large deployments).", andList(ns))
	if oaMixed(p) {
		// One recommendation per estate: AUTH-CONSISTENT already switches
		// the legacy and the external methods to NTLM with its commands;
		// only 2013+ internal methods are left to this finding.
		var rest []oaSet
		for _, st := range sets {
			if st.Legacy || st.InternalAuth == "" {
				continue
			}
			rest = append(rest, oaSet{Server: st.Server, InternalAuth: st.InternalAuth})
		}
		fix := Fix{Steps: []string{"Follow AUTH-CONSISTENT (the same change: NTLM everywhere, in one change window)."}}
		extra := ""
		if len(rest) > 0 {
			fix.Shell = Remedy(r.ID, oaSetData{Servers: rest, Prefix: "# "})
			extra = " The commands below switch the internal settings AUTH-CONSISTENT does not cover."
		}
		p.Report(r, orgName(p), msg+" The switch to NTLM of the legacy and external settings is part of AUTH-CONSISTENT, which lists their commands."+extra, fix)
		return
	}
	p.Report(r, orgName(p), msg, Fix{
		Steps: []string{
			"Switch every server at once so the scheme stays consistent (AUTH-CONSISTENT); legacy servers need NTLM in IISAuthenticationMethods (AUTH-LEGACY-NTLM).",
			"Clients that are not domain members will be prompted once and should save their credentials.",
		},
		Shell: Remedy(r.ID, oaSetData{Servers: sets, Prefix: "# "}),
	})
})
