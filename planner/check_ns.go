package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// Section 5 (namespaces) and the split-brain Outlook Anywhere host names of
// section 2d.

// splitBrainData is the data of the NS-OA-SPLITBRAIN remedy template.
type splitBrainData struct {
	Server, Suggest string
}

var ruleNSOASplitBrain = checkRule(Rule{
	ID: "NS-OA-SPLITBRAIN", Title: "Same Outlook Anywhere host name inside and outside with split-brain DNS", Severity: SevWarning,
	Sources: []string{"blog-ex2016-coexist-ex2010"}, Section: "2d",
	Doc: "Exchange 2013 and later hand Outlook two Outlook Anywhere settings, internal (EXCH) and external (EXPR), and Outlook tries the internal one first. With split-brain DNS, when the internal and external host names are the same, external clients connect with the internal authentication settings too (and Kerberos inside cannot work). Reported when the two host names are equal while the internal and external client authentication methods differ; with identical methods the shared name is harmless.",
}, func(p *Pass, r *Rule) {
	if !p.Inv.Organization.SplitBrainDNS {
		return
	}
	for _, s := range p.Topo.Servers() {
		if s.Parsed.Version() < model.V2013 {
			continue
		}
		oa := &s.OutlookAnywhere
		in, ex := oa.InternalClientAuthenticationMethod, oa.ExternalClientAuthenticationMethod
		if oa.InternalHostname == "" || !strings.EqualFold(oa.InternalHostname, oa.ExternalHostname) || in == "" || ex == "" || model.Key(in) == model.Key(ex) {
			continue
		}
		h := strings.ToLower(oa.ExternalHostname)
		msg := fmt.Sprintf("%s's Outlook Anywhere internal and external host names are both %s while their client authentication differs (internal %s, external %s). With split-brain DNS, Outlook outside also resolves %s and tries the internal settings first, so external clients authenticate with %s (and Kerberos inside cannot be relied on). Give the internal setting its own host name that resolves only inside and is on the certificate.",
			s.Name, h, in, ex, h, in)
		suggest := "mail-int." + p.Topo.Domain
		p.Report(r, s.Name, msg, Fix{
			Steps: []string{
				fmt.Sprintf("Create an internal-only DNS name (e.g. %s) for the same servers, add it to their certificate, then set it as %s's Outlook Anywhere InternalHostname.", suggest, s.Name),
			},
			Shell: Remedy(r.ID, splitBrainData{Server: s.Name, Suggest: suggest}),
		})
	}
})

// scpData is the data of the NS-AUTOD-SCP remedy template.
type scpData struct {
	Server, Cmdlet, URI string
}

var ruleNSAutodSCP = checkRule(Rule{
	ID: "NS-AUTOD-SCP", Title: "Autodiscover SCP does not point at the Autodiscover namespace", Severity: SevWarning,
	Sources: []string{"blog-ex2016-coexist-ex2010"}, Section: "5",
	Doc: "AutoDiscoverServiceInternalUri (the service connection point domain-joined Outlook finds in Active Directory) on every Client Access server should point at autodiscover.<domain> (with split-brain DNS) or the load-balanced name, so moving that one name moves internal Autodiscover to the new version. An SCP naming a single server, a name the inventory does not declare, or a name that does not resolve for internal clients is a warning. Servers without a recorded SCP are not checked.",
}, func(p *Pass, r *Rule) {
	target := ""
	if d := p.Topo.Domain; d != "" {
		if _, ok := p.Topo.Resolve("autodiscover."+d, "internal"); ok {
			target = "autodiscover." + d
		}
	}
	if target == "" {
		target = p.Topo.Primary
	}
	for _, s := range p.Topo.Servers() {
		if !s.HasRole("ClientAccess") || s.AutoDiscoverServiceInternalURI == "" {
			continue
		}
		h := model.URLHost(s.AutoDiscoverServiceInternalURI)
		var problem string
		if ns := p.X.Namespace(h); ns != nil {
			if _, ok := p.Topo.Resolve(h, "internal"); ok {
				continue
			}
			problem = fmt.Sprintf("%s does not resolve for internal clients (the namespace has no internal targets)", h)
		} else if t := p.Topo.Server(h); t != nil {
			problem = fmt.Sprintf("it names the single server %s instead of the Autodiscover namespace: internal Autodiscover depends on that server and does not move with the namespace", t.Name)
		} else {
			problem = fmt.Sprintf("%s is not a namespace in the inventory, so where it leads cannot be checked", h)
		}
		if target == "" {
			continue
		}
		uri := "https://" + target + "/Autodiscover/Autodiscover.xml"
		cmdlet := "Set-ClientAccessServer"
		if s.Parsed.Version() >= model.V2016 {
			cmdlet = "Set-ClientAccessService"
		}
		msg := fmt.Sprintf("%s's Autodiscover SCP (AutoDiscoverServiceInternalUri) is %s: %s. Point it at %s like the other Client Access servers.", s.Name, s.AutoDiscoverServiceInternalURI, problem, uri)
		p.Report(r, s.Name, msg, Fix{
			Steps: []string{fmt.Sprintf("Set %s's AutoDiscoverServiceInternalUri to %s (make sure %s resolves internally to the current Autodiscover front door and is on its certificate).", s.Name, uri, target)},
			Shell: Remedy(r.ID, scpData{Server: s.Name, Cmdlet: cmdlet, URI: uri}),
		})
	}
})

// popImapData is the data of the NS-POPIMAP-FQDN remedy template.
type popImapData struct {
	Server, FQDN, Cmdlet, Service string
	Settings                      []string // corrected InternalConnectionSettings; empty: only start the service
}

var ruleNSPopImapFQDN = checkRule(Rule{
	ID: "NS-POPIMAP-FQDN", Title: "Legacy POP3/IMAP4 settings unusable for proxying", Severity: SevWarning,
	Sources: []string{"blog-ex2016-coexist-ex2010"}, Section: "5",
	Doc: "Exchange 2013 and later proxy POP3 and IMAP4 to a legacy (2007/2010) Client Access server in the mailbox's site using that server's InternalConnectionSettings, which must therefore name the server's own FQDN, not a load-balanced name. Exchange 2016 does not health-check POP/IMAP targets, so the POP3/IMAP4 services must run on every legacy Client Access server: a stopped service is a warning too.",
}, func(p *Pass, r *Rule) {
	newest := p.Topo.Newest()
	if newest < model.V2013 {
		return
	}
	for _, s := range p.Topo.Servers() {
		if s.Parsed.Version() > model.V2010 || !s.HasRole("ClientAccess") {
			continue
		}
		for _, proto := range []struct {
			name, cmdlet, service string
			cfg                   *model.PopImap
		}{
			{"POP3", "Set-PopSettings", "MSExchangePOP3", &s.POP3},
			{"IMAP4", "Set-ImapSettings", "MSExchangeIMAP4", &s.IMAP4},
		} {
			var wrong, fixed []string
			for _, e := range proto.cfg.InternalConnectionSettings {
				cs, err := model.ParseConnectionSetting(e)
				if err != nil {
					continue
				}
				if !strings.EqualFold(cs.Host, s.FQDN) {
					wrong = append(wrong, e)
				}
				f := fmt.Sprintf("%s:%d", strings.ToLower(s.FQDN), cs.Port)
				if cs.Encryption != "" {
					f += ":" + cs.Encryption
				}
				fixed = append(fixed, f)
			}
			if len(wrong) > 0 && s.FQDN != "" {
				msg := fmt.Sprintf("%s's %s InternalConnectionSettings name %s, not the server's FQDN %s: Exchange %s proxies %s for mailboxes in %s's site to the host in these settings, so the session goes to that name (possibly back to a front door) instead of this server. Set them to %s.",
					s.Name, proto.name, strings.Join(wrong, ", "), strings.ToLower(s.FQDN), newest, proto.name, s.Name, strings.Join(fixed, ", "))
				p.Report(r, s.Name, msg, Fix{
					Steps: []string{fmt.Sprintf("Set %s's %s InternalConnectionSettings to %s and restart the %s service.", s.Name, proto.name, strings.Join(fixed, ", "), proto.service)},
					Shell: Remedy(r.ID, popImapData{Server: s.Name, FQDN: fqdnOr(s), Cmdlet: proto.cmdlet, Service: proto.service, Settings: fixed}),
				})
			}
			if newest >= model.V2016 && proto.cfg.Running != nil && !*proto.cfg.Running {
				msg := fmt.Sprintf("The %s service is not running on %s: Exchange %s does not health-check POP/IMAP targets, so %s sessions proxied to %s fail. Start the service (startup type Automatic), or record that %s is not offered.",
					proto.name, s.Name, newest, proto.name, s.Name, proto.name)
				p.Report(r, s.Name, msg, Fix{
					Steps: []string{fmt.Sprintf("Set the %s service on %s to Automatic and start it.", proto.service, s.Name)},
					Shell: Remedy(r.ID, popImapData{Server: s.Name, FQDN: fqdnOr(s), Service: proto.service}),
				})
			}
		}
	}
})

// mapiLBData is the data of the NS-MAPI-LB remedy template.
type mapiLBData struct {
	LB    string
	Hosts []string
}

// passesMapi reports whether a load balancer path list lets /mapi through
// (an empty list passes everything).
func passesMapi(paths []string) bool {
	if len(paths) == 0 {
		return true
	}
	for _, pa := range paths {
		k := strings.ToLower(strings.TrimSpace(pa))
		if k == "/" || k == "/*" || k == "/mapi" || strings.HasPrefix(k, "/mapi/") || strings.HasPrefix(k, "/mapi*") {
			return true
		}
	}
	return false
}

var ruleNSMapiLB = checkRule(Rule{
	ID: "NS-MAPI-LB", Title: "Load balancer does not pass /mapi", Severity: SevError,
	Sources: []string{"blog-ex2016-coexist-ex2010"}, Section: "5",
	Doc: "Before mailboxes move to Exchange 2016 or later, the load balancer and firewall in front of those servers must pass /mapi/* on 443: Outlook uses MAPI/HTTP for 2016+ mailboxes when it is enabled for the organisation. A load balancer whose paths list is non-empty and lacks /mapi is an error while MAPI/HTTP is enabled, a warning otherwise (it will be needed once enabled). With MAPI/HTTP enabled, a load balancer in front of Exchange 2013 servers is checked too.",
}, func(p *Pass, r *Rule) {
	enabled := p.Topo.MapiHTTPEnabled()
	for i := range p.Inv.LoadBalancers {
		lb := &p.Inv.LoadBalancers[i]
		if passesMapi(lb.Paths) {
			continue
		}
		var members []*model.Server
		for _, m := range lb.Members {
			s := p.Topo.Server(m)
			if s == nil {
				continue
			}
			if v := s.Parsed.Version(); v >= model.V2016 || (enabled && v == model.V2013) {
				members = append(members, s)
			}
		}
		if len(members) == 0 {
			continue
		}
		sort.Slice(members, func(a, b int) bool { return model.Key(members[a].Name) < model.Key(members[b].Name) })
		var hosts []string
		for _, ns := range p.Inv.Namespaces {
			for _, t := range append(append([]string{}, ns.Internal...), ns.External...) {
				if model.Key(t) == model.Key(lb.Name) {
					hosts = append(hosts, strings.ToLower(ns.FQDN))
					break
				}
			}
		}
		sort.Strings(hosts)
		sev, state := SevError, "MAPI/HTTP is enabled for the organisation, so Outlook of every mailbox moved there connects to https://<namespace>/mapi and fails (or falls back slowly to Outlook Anywhere)"
		if !enabled {
			sev, state = SevWarning, "MAPI/HTTP is disabled for the organisation today, but once it is enabled Outlook of the mailboxes there uses /mapi"
		}
		via := ""
		if len(hosts) > 0 {
			via = " (" + andList(hosts) + ")"
		}
		msg := fmt.Sprintf("Load balancer %s%s in front of %s passes only %s, not /mapi: %s. Add /mapi/* on 443 to the load balancer and firewall before moving any mailbox.",
			lb.Name, via, names(members), strings.Join(lb.Paths, ", "), state)
		p.ReportAs(r, sev, lb.Name, msg, Fix{
			Steps: []string{fmt.Sprintf("Add /mapi/* (HTTPS, 443) to the virtual service of %s and to the firewall rules, with the same persistence and health check as /rpc.", lb.Name)},
			Shell: Remedy(r.ID, mapiLBData{LB: lb.Name, Hosts: hosts}),
		})
	}
})

// rpcArrayData is the data of the NS-RPC-ARRAY remedy template.
type rpcArrayData struct {
	Name, Suggest string
	Sites         []string
	Databases     []string
}

// httpsNames are the names clients use for HTTPS: primary and
// Autodiscover namespaces, virtual directory URL hosts and Outlook
// Anywhere host names (lower case).
func httpsNames(p *Pass) map[string]bool {
	m := map[string]bool{}
	add := func(h string) {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			m[h] = true
		}
	}
	add(p.Topo.Primary)
	if p.Topo.Domain != "" {
		add("autodiscover." + p.Topo.Domain)
	}
	for _, s := range p.Topo.Servers() {
		for _, vd := range s.VirtualDirs() {
			add(model.URLHost(vd.Dir.InternalURL))
			add(model.URLHost(vd.Dir.ExternalURL))
		}
		add(s.OutlookAnywhere.ExternalHostname)
		add(s.OutlookAnywhere.InternalHostname)
	}
	return m
}

var ruleNSRPCArray = checkRule(Rule{
	ID: "NS-RPC-ARRAY", Title: "RPC Client Access name is also the HTTPS namespace", Severity: SevError,
	Sources: []string{"ms-ex2013-cas", "ms-cmdlet-set-mailboxdatabase", "blog-ambiguous-urls"}, Section: "5",
	Doc: "A legacy database's RpcClientAccessServer (the 2010 CAS array FQDN internal Outlook opens RPC/TCP to) must differ from the HTTPS namespace that moves to Exchange 2013 or later: otherwise internal Outlook sends RPC/TCP to a front door without RPC Client Access (the \"ambiguous URL\" problem). An RPC name that already resolves to 2013+ servers is an error; one that is still an HTTPS name of the legacy servers is a warning (it breaks when the namespace moves). Server FQDNs are fine.",
}, func(p *Pass, r *Rule) {
	if p.Topo.Newest() < model.V2013 {
		return
	}
	https := httpsNames(p)
	type group struct {
		dbs   []string
		sites map[string]bool
	}
	groups := map[string]*group{}
	for i := range p.Inv.Databases {
		d := &p.Inv.Databases[i]
		rc := strings.ToLower(strings.TrimSpace(d.RPCClientAccessServer))
		s := p.Topo.Server(d.Server)
		if rc == "" || s == nil || s.Parsed.Version() > model.V2010 {
			continue
		}
		if t := p.Topo.Server(rc); t != nil && strings.EqualFold(t.FQDN, rc) {
			continue
		}
		g := groups[rc]
		if g == nil {
			g = &group{sites: map[string]bool{}}
			groups[rc] = g
		}
		g.dbs = append(g.dbs, d.Name)
		g.sites[p.Topo.siteName(s.Site)] = true
	}
	for _, rc := range sortedKeys(groups) {
		g := groups[rc]
		sort.Strings(g.dbs)
		var newer []*model.Server
		for _, loc := range Locations {
			if res, ok := p.Topo.Resolve(rc, loc); ok {
				for _, s := range res.Servers {
					if s.Parsed.Version() >= model.V2013 && !containsServer(newer, s) {
						newer = append(newer, s)
					}
				}
			}
		}
		suggest := "outlook." + p.Topo.Domain
		if suggest == rc || https[suggest] {
			suggest = "rpc." + p.Topo.Domain
		}
		fix := Fix{
			Steps: []string{
				fmt.Sprintf("Create a separate RPC name (e.g. %s) in internal DNS for the Exchange 2010 Client Access servers (array) of %s and set it as RpcClientAccessServer of %s.", suggest, andList(sortedKeys(g.sites)), andList(g.dbs)),
				"Existing Outlook profiles keep the old RPC name until they are repaired or the mailbox moves; plan the change before the namespace moves.",
			},
			Shell: Remedy(r.ID, rpcArrayData{Name: rc, Suggest: suggest, Sites: sortedKeys(g.sites), Databases: g.dbs}),
		}
		switch {
		case len(newer) > 0:
			sort.Slice(newer, func(a, b int) bool { return model.Key(newer[a].Name) < model.Key(newer[b].Name) })
			msg := fmt.Sprintf("Databases %s have RpcClientAccessServer %s, which resolves to %s (Exchange %s): internal Outlook opens RPC/TCP to a front door without RPC Client Access, so users of these legacy mailboxes cannot connect (ambiguous URL). Use a separate RPC name for the legacy Client Access servers.",
				andList(g.dbs), rc, names(newer), newer[0].Parsed.Version())
			p.Report(r, rc, msg, fix)
		case https[rc]:
			msg := fmt.Sprintf("Databases %s have RpcClientAccessServer %s, which is also an HTTPS name of the legacy servers: when %s moves to Exchange %s, internal Outlook of these mailboxes breaks (ambiguous URL). Give RPC/TCP its own name before moving the namespace.",
				andList(g.dbs), rc, rc, p.Topo.Newest())
			p.ReportAs(r, SevWarning, rc, msg, fix)
		}
	}
})

func containsServer(ss []*model.Server, s *model.Server) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

var ruleNSSSLOffload = checkRule(Rule{
	ID: "NS-SSLOFFLOAD", Title: "Outlook Anywhere SSL offloading differs between Client Access servers of one version", Severity: SevWarning,
	Sources: []string{"blog-ex2013-ssl-offloading"}, Section: "5",
	Doc: "Outlook Anywhere's SSLOffloading must match what the load balancer in front of the Client Access servers does with TLS ($true when it terminates TLS, $false when it passes TLS through or re-encrypts), and Microsoft's SSL offloading guidance asks that every Client Access server be configured identically: a load balancer sends a client to any of them. Checked per Exchange version among the Client Access servers (2013 and later: Mailbox servers) with Outlook Anywhere enabled; a warning names the servers of each value. coexist does not know whether the load balancer terminates TLS (see the scope), so the remedy prints the commands for the value most servers have as comments to check and run.",
}, func(p *Pass, r *Rule) {
	byVersion := map[model.Version]map[bool][]string{}
	var versions []model.Version
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		if v == 0 || !(s.HasRole("ClientAccess") || (v >= model.V2013 && s.HasRole("Mailbox"))) {
			continue
		}
		if v <= model.V2010 && !s.OutlookAnywhere.Enabled {
			continue
		}
		if byVersion[v] == nil {
			byVersion[v] = map[bool][]string{}
			versions = append(versions, v)
		}
		off := s.OutlookAnywhere.SSLOffloading
		byVersion[v][off] = append(byVersion[v][off], s.Name)
	}
	sort.Slice(versions, func(i, j int) bool { return versions[i] < versions[j] })
	for _, v := range versions {
		on, off := byVersion[v][true], byVersion[v][false]
		if len(on) == 0 || len(off) == 0 {
			continue
		}
		// The value most servers have (on a tie, $false: TLS reaches the
		// servers, which works whatever the load balancer does).
		want, change := false, on
		if len(on) > len(off) {
			want, change = true, off
		}
		var sets []oaSet
		for _, n := range change {
			sets = append(sets, oaSet{Server: n, Legacy: v <= model.V2010, SetSSLOffloading: true, SSLOffloading: want})
		}
		msg := fmt.Sprintf("Outlook Anywhere SSLOffloading differs between the Exchange %s Client Access servers: $true on %s, $false on %s. Microsoft's SSL offloading guidance asks for every Client Access server to be configured alike, to match whether the load balancer in front of them terminates TLS.",
			v, andList(on), andList(off))
		p.Report(r, orgName(p), msg, Fix{
			Steps: []string{fmt.Sprintf("Find out whether the load balancer in front of the Exchange %s servers terminates TLS ($true) or passes it through or re-encrypts ($false), then set SSLOffloading to that value on every one of them; the commands below set $%t, the value most of them have.", v, want)},
			Shell: Remedy("OASET", oaSetData{Servers: sets, Prefix: "# "}),
		})
	}
})
