package planner

import (
	"fmt"
	"strings"

	"github.com/coexist/coexist/model"
)

// route continues a path from the front door fd to the mailbox, applying
// the version-pair behaviour of section 2.
func (cx *cohortCtx) route(b *pathBuilder, proto, loc string, fd *model.Server, host string) {
	vf := fd.Parsed.Version()
	vm := cx.vm
	switch {
	case vf >= model.V2016 && vm == model.V2007, vf >= model.V2019 && vm == model.V2010:
		b.broken(ruleUnsupportedPair, "Exchange %s cannot serve an Exchange %s mailbox: the versions cannot coexist.", vf, vm)
	case vf < model.V2013 && vm > vf:
		b.broken(ruleFrontDoorOlder, "%s (Exchange %s) answers %s but cannot serve a newer Exchange %s mailbox: move the namespace to the newest version before moving mailboxes.", fd.Name, vf, host, vm)
	case vf == model.V2013 && vm >= model.V2016, vf >= model.V2016 && vm == model.V2013:
		cx.proxyToMailbox(b, proto, loc, fd, rule2e)
	case vf >= model.V2013 && (proto == "outlook-anywhere" || proto == "mapi-http") && cx.outlook.Year < 2007:
		b.broken(ruleOutlook2003, "%s cannot connect through Exchange %s (%s): Outlook 2003 is not supported and lacks the RPC encryption 2013+ requires.", cx.outlook, vf, fd.Name)
	case vf >= model.V2013 && sameGeneration(vf, vm):
		cx.sameVersion(b, proto, loc, fd, host)
	case vf >= model.V2013 && vm == model.V2010:
		cx.newToLegacy(b, proto, loc, fd, host)
	case vf == model.V2013 && vm == model.V2007:
		cx.newToLegacy(b, proto, loc, fd, host)
	case vf == model.V2010 && vm == model.V2007:
		cx.legacy2010To2007(b, proto, loc, fd, host)
	default: // 2007→2007, 2010→2010
		cx.legacySame(b, proto, loc, fd, host)
	}
	if proto == "eas" {
		cx.easNewDevices(b)
	}
}

// easNewDevices notes where Autodiscover sends a newly configured device
// of a 2007/2010 mailbox whose site publishes its own EAS ExternalUrl under
// a name other than the primary namespace [PATH-EAS-AUTODISCOVER].
func (cx *cohortCtx) easNewDevices(b *pathBuilder) {
	if cx.vm > model.V2010 || b.path.Outcome == OutcomeBroken {
		return
	}
	u := cx.siteExternalURL(cx.p.Topo.ClientAccess(cx.site, cx.vm, true), "eas")
	h := model.URLHost(u)
	if h == "" || strings.EqualFold(h, cx.p.Topo.Primary) {
		return
	}
	b.note(ruleEASAutodiscover, "Any new device the user sets up is configured by Autodiscover with %s, the EAS ExternalUrl of the mailbox's site %s.", h, cx.site)
}

// sameVersion: a 2013+ front door and a mailbox of its generation.
func (cx *cohortCtx) sameVersion(b *pathBuilder, proto, loc string, fd *model.Server, host string) {
	if (proto == "owa" || proto == "ecp") && !strings.EqualFold(fd.Site, cx.mbx.Site) {
		if cx.owaRedirect(b, proto, fd, host, cx.p.Topo.ClientAccess(cx.site, cx.vm, true), ruleOWARedirect) {
			return
		}
	}
	cx.proxyToMailbox(b, proto, loc, fd, ruleSameVersion)
}

// proxyToMailbox proxies from a 2013+ front door to the mailbox server
// (for OAB, to the nearest OAB generation server).
func (cx *cohortCtx) proxyToMailbox(b *pathBuilder, proto, loc string, fd *model.Server, r *Rule) {
	target := cx.mbx
	what := "holds the active copy of " + cx.db.Name
	if proto == "oab" {
		if g := cx.oabGenServer(); g != nil {
			target, what = g, "holds the OABGEN mailbox copy nearest the user"
		}
	}
	if target == fd {
		b.note(r, "%s %s and serves the request itself.", fd.Name, what)
		return
	}
	where := "local"
	if !strings.EqualFold(fd.Site, target.Site) {
		where = "cross-site"
	}
	b.hop(fd.Name, target.Name, target.FQDN, ActProxy, "kerberos")
	b.note(r, "%s proxies (%s) to %s, which %s.", fd.Name, where, target.Name, what)
}

// oabGenServer is the 2013+ server generating the mailbox's OAB, nearest
// the user (same site first).
func (cx *cohortCtx) oabGenServer() *model.Server {
	oab := cx.p.X.OfflineAB(cx.db.OfflineAddressBook)
	if oab == nil && len(cx.p.Inv.OfflineABs) == 1 {
		oab = &cx.p.Inv.OfflineABs[0]
	}
	if oab == nil {
		return nil
	}
	var best *model.Server
	for _, n := range oab.GenerationServers {
		s := cx.p.Topo.Server(n)
		if s == nil || s.Parsed.Version() < model.V2013 {
			continue
		}
		if best == nil || strings.EqualFold(s.Site, cx.mbx.Site) && !strings.EqualFold(best.Site, cx.mbx.Site) {
			best = s
		}
	}
	return best
}

// owaRedirect redirects OWA/ECP to the mailbox site's ExternalUrl when it is
// set and differs from the host the user reached. It reports whether it
// redirected.
func (cx *cohortCtx) owaRedirect(b *pathBuilder, proto string, fd *model.Server, host string, targets []*model.Server, r *Rule) bool {
	for _, t := range targets {
		u := vdirOf(t, proto).ExternalURL
		th := model.URLHost(u)
		if th == "" || th == strings.ToLower(host) {
			continue
		}
		srcFBA := vdirAuth(proto, "external", vdirOf(fd, proto)) == "fba"
		dstFBA := vdirAuth(proto, "external", vdirOf(t, proto)) == "fba"
		b.hop(fd.Name, t.Name, th, ActRedirectSilent, vdirAuth(proto, "external", vdirOf(t, proto)))
		b.note(r, "The mailbox's site %s publishes %s at %s: %s redirects the browser there.", cx.site, strings.ToUpper(proto), u, fd.Name)
		if srcFBA && dstFBA {
			b.note(ruleFBASSO, "Forms-based authentication on %s and %s: the redirect is silent with single sign-on.", fd.Name, t.Name)
		} else {
			b.path.Hops[len(b.path.Hops)-1].Action = ActRedirectManual
			b.warn(ruleFBASSO, "FBA is not enabled on both %s and %s: no single sign-on, users sign in again after the redirect.", fd.Name, t.Name)
			cx.p.Report(ruleFBASSO, t.Name, fmt.Sprintf("OWA redirects from %s to %s (%s) without forms-based authentication on both ends: users sign in twice.", fd.Name, t.Name, th), Fix{Steps: fbaSteps(fd, t)})
		}
		if !cx.resolves(th, "external") {
			b.broken(ruleResolve, "%s does not resolve for clients: the redirect leads nowhere.", th)
		}
		return true
	}
	return false
}

func (cx *cohortCtx) resolves(host, loc string) bool {
	_, ok := cx.p.Topo.Resolve(host, loc)
	return ok
}

// eligibleCAS lists the legacy CAS of the mailbox's version in the
// mailbox's site that are not IsOutOfService, noting the skipped ones. None:
// the path is broken and the site is reported.
func (cx *cohortCtx) eligibleCAS(b *pathBuilder, fd *model.Server) []*model.Server {
	all := cx.p.Topo.ClientAccess(cx.site, cx.vm, false)
	var eligible []*model.Server
	for _, s := range all {
		if s.IsOutOfService {
			b.note(ruleOutOfService, "%s is marked IsOutOfService and is skipped.", s.Name)
			continue
		}
		eligible = append(eligible, s)
	}
	if len(eligible) == 0 {
		b.broken(ruleNoCAS, "No eligible Exchange %s Client Access server in the mailbox's site %s: %s cannot proxy there.", cx.vm, cx.site, fd.Name)
		cx.p.Report(ruleNoCAS, cx.site, fmt.Sprintf("Site %s holds Exchange %s mailboxes but has no eligible Exchange %s Client Access server (none, or all IsOutOfService): their proxied paths are broken.", cx.site, cx.vm, cx.vm),
			Fix{Steps: []string{fmt.Sprintf("Keep at least one Exchange %s CAS in %s in service until its mailboxes are moved.", cx.vm, cx.site)}})
	}
	return eligible
}

// legacyTarget picks the first eligible legacy CAS of the mailbox's version
// in the mailbox's site. nil: broken.
func (cx *cohortCtx) legacyTarget(b *pathBuilder, fd *model.Server) *model.Server {
	if eligible := cx.eligibleCAS(b, fd); len(eligible) > 0 {
		return eligible[0]
	}
	return nil
}

// proxyLegacy proxies from a 2013+ front door to a legacy CAS in the
// mailbox's site (by FQDN), then to the mailbox server.
func (cx *cohortCtx) proxyLegacy(b *pathBuilder, proto, loc string, fd *model.Server, r *Rule) *model.Server {
	t := cx.legacyTarget(b, fd)
	if t == nil {
		return nil
	}
	where := "local"
	if !strings.EqualFold(fd.Site, t.Site) {
		where = "cross-site"
	}
	b.hop(fd.Name, t.Name, t.FQDN, ActProxy, "kerberos")
	b.note(r, "%s proxies (%s) to Exchange %s CAS %s in the mailbox's site %s, addressed by its FQDN %s.", fd.Name, where, cx.vm, t.Name, cx.site, t.FQDN)
	b.path.Rules = addID(b.path.Rules, ruleProxyFQDN.ID)
	if proto == "outlook-anywhere" {
		cx.checkLegacyOA(b, fd, t)
	}
	cx.toMailboxServer(b, proto, t)
	return t
}

// toMailboxServer adds the legacy CAS → mailbox server hop: the CAS's
// RPC/MAPI data access, not an HTTP proxy. For Outlook Anywhere the CAS's
// RPC proxy de-encapsulates the RPC data first [PATH-2010-OA, PATH-2A-OA].
// OAB is a file download from the CAS's web distribution point: no mailbox
// server is involved.
func (cx *cohortCtx) toMailboxServer(b *pathBuilder, proto string, cas *model.Server) {
	if proto == "autodiscover" || proto == "oab" {
		return
	}
	if proto == "outlook-anywhere" {
		cx.rpcProxyToMailbox(b, cas)
		return
	}
	if cas == cx.mbx {
		return
	}
	b.hop(cas.Name, cx.mbx.Name, cx.mbx.FQDN, ActRPC, "kerberos")
}

// rpcProxyToMailbox: the RPC proxy on a legacy CAS de-encapsulates the
// RPC data. A 2007 mailbox server is reached directly; for a 2010 mailbox
// the RPC data goes to the RPC Client Access service in the mailbox's site
// (the CAS itself when it is there, else a CAS in that site), which reads
// the mailbox server.
func (cx *cohortCtx) rpcProxyToMailbox(b *pathBuilder, cas *model.Server) {
	if cx.vm == model.V2007 {
		if cas != cx.mbx {
			b.hop(cas.Name, cx.mbx.Name, cx.mbx.FQDN, ActRPC, "kerberos")
		}
		b.note(rule2aOA, "The RPC proxy on %s de-encapsulates the RPC data and reaches the 2007 mailbox server %s directly.", cas.Name, cx.mbx.Name)
		return
	}
	rpcCAS := cas
	if !strings.EqualFold(cas.Site, cx.mbx.Site) {
		t := cx.legacyTarget(b, cas)
		if t == nil {
			return
		}
		rpcCAS = t
		b.hop(cas.Name, t.Name, t.FQDN, ActRPC, "kerberos")
		b.note(rule2010OA, "The RPC proxy on %s de-encapsulates the RPC data, finds the mailbox in another site (%s) and proxies the Outlook RPC data to Exchange %s CAS %s there.", cas.Name, cx.site, cx.vm, t.Name)
	} else if cas == cx.mbx {
		b.note(rule2010OA, "The RPC proxy on %s de-encapsulates the RPC data; %s also holds the mailbox and serves it.", cas.Name, cas.Name)
	} else {
		b.note(rule2010OA, "The RPC proxy on %s de-encapsulates the RPC data; the mailbox is in its site, so it reads the mailbox server %s.", cas.Name, cx.mbx.Name)
	}
	if rpcCAS != cx.mbx {
		b.hop(rpcCAS.Name, cx.mbx.Name, cx.mbx.FQDN, ActRPC, "kerberos")
	}
}

// fbaSteps are the remediation steps of AUTH-FBA-SSO: forms-based
// authentication on the OWA virtual directories of both servers; on an
// Exchange 2007/2010 directory it also needs Basic authentication on and
// Windows authentication off.
func fbaSteps(servers ...*model.Server) []string {
	names := make([]string, len(servers))
	var legacy []string
	for i, s := range servers {
		names[i] = s.Name
		if s.Parsed.Version() <= model.V2010 {
			legacy = append(legacy, s.Name)
		}
	}
	steps := []string{fmt.Sprintf("Enable forms-based authentication on the OWA virtual directories of %s (Set-OwaVirtualDirectory -FormsAuthentication $true; then iisreset /noforce).", strings.Join(names, " and "))}
	if len(legacy) > 0 {
		steps = append(steps, fmt.Sprintf("On %s (Exchange 2007/2010, in its Management Shell) forms-based authentication also needs Basic authentication on and Windows authentication off on the same directory: Set-OwaVirtualDirectory -Identity '<server>\\owa (Default Web Site)' -FormsAuthentication $true -BasicAuthentication $true -WindowsAuthentication $false.", strings.Join(legacy, " and ")))
	}
	return steps
}

// checkLegacyOA applies AUTH-LEGACY-NTLM and AUTH-KB3140410 to Outlook
// Anywhere proxied to a legacy CAS.
func (cx *cohortCtx) checkLegacyOA(b *pathBuilder, fd, t *model.Server) {
	oa := t.OutlookAnywhere
	n := proxyAuth(t)
	clientAuth := oa.ClientAuthenticationMethod
	if clientAuth == "" {
		clientAuth = "Basic"
	}
	ext := oa.ExternalHostname
	if ext == "" {
		ext = cx.p.Topo.Primary
	}
	fix := Fix{Shell: Remedy(ruleLegacyNTLM.ID, map[string]any{"Server": t.Name, "Enabled": oa.Enabled, "ExternalHostname": ext, "ClientAuth": clientAuth})}
	switch {
	case !oa.Enabled:
		b.broken(ruleLegacyNTLM, "Outlook Anywhere is disabled on %s: %s cannot proxy RPC over HTTP to it.", t.Name, fd.Name)
		cx.p.Report(ruleLegacyNTLM, t.Name, fmt.Sprintf("Outlook Anywhere is disabled on %s (site %s), but Exchange %s proxies Outlook Anywhere for its Exchange %s mailboxes to it: those users cannot connect. Enable it with NTLM in IIS authentication, also in sites that are not Internet-facing.", t.Name, t.Site, fd.Parsed.Version(), cx.vm), fix)
	case n.Refused != "":
		b.path.Hops[len(b.path.Hops)-1].Refused = n.Refused
		if n.Assumed != "" {
			b.note(nil, "%s", n.Assumed)
		}
		b.broken(ruleLegacyNTLM, "%s proxies with Kerberos (Windows authentication); %s: the proxied connection fails and Outlook prompts endlessly. NTLM must be enabled in IIS (Integrated Windows Authentication carries Kerberos).", fd.Name, n.Refused)
		accepts, _ := rpcAccepts(t)
		cx.p.Report(ruleLegacyNTLM, t.Name, fmt.Sprintf("Outlook Anywhere on %s has IIS authentication %s without NTLM; Exchange %s authenticates to it with Kerberos (Windows authentication), so proxied users are prompted endlessly.", t.Name, strings.Join(accepts, ","), fd.Parsed.Version()), fix)
	default:
		if n.Assumed != "" {
			b.note(nil, "%s", n.Assumed)
		}
		b.note(ruleLegacyNTLM, "%s proxies with Kerberos (Windows authentication), which /rpc on %s accepts: Outlook Anywhere is enabled there with NTLM (Integrated Windows Authentication) in IIS.", fd.Name, t.Name)
	}
	// KB3140410: every Outlook Anywhere connection proxied by 2013/2016 to
	// a 2007/2010 CAS on 2008 R2 (in the field: notably 2016 users opening
	// a 2010 shared mailbox, since internal 2010 users use RPC/TCP).
	os, err := model.ParseWindows(t.OS)
	if err != nil || os.Release != "2008 R2" || model.HasUpdate(t.InstalledUpdates, "KB3140410") || strings.EqualFold(t.DefaultAppPoolIdentity, "NetworkService") {
		return
	}
	scope := ""
	if cx.secondary == "" {
		// Seed 003 observed the failure for 2016 users opening a 2010
		// mailbox; "Only an Exchange 2010 mailbox was fine because it used
		// only RPC to Exchange 2010" (internal users). A 2010 user's own
		// Outlook Anywhere proxied by 2016 is the same hop: inferred.
		scope = " (inferred: the article observed 2016 users opening a 2010 mailbox; this user's own Outlook Anywhere crosses the same proxy hop)"
	}
	b.broken(ruleKB3140410, "%s runs %s without KB3140410: Outlook Anywhere proxied from %s prompts for credentials endlessly%s.", t.Name, t.OS, fd.Name, scope)
	cx.p.Report(ruleKB3140410, t.Name, fmt.Sprintf("%s (Exchange %s on %s) lacks KB3140410: users whose Outlook Anywhere is proxied through Exchange %s, notably 2016 users opening shared mailboxes on it (as the article observed; other proxied Outlook Anywhere sessions to it are inferred to fail the same way), are prompted for credentials endlessly. To confirm on the Exchange %s servers: the RpcHttp proxy log (C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\HttpProxy\\RpcHttp) shows ResponseStatusCode=401 with \"NegotiateSecurityContext failed\" … status 'InvalidToken' for requests to %s.", t.Name, t.Parsed.Version(), t.OS, fd.Parsed.Version(), fd.Parsed.Version(), t.FQDN),
		Fix{KBs: []string{"KB3140410"}, Shell: Remedy(ruleKB3140410.ID, map[string]any{"Server": t.Name, "FQDN": fqdnOr(t)}),
			Steps: []string{"Either install KB3140410 and restart, or (workaround) set the IIS DefaultAppPool identity to NetworkService and recycle the pool."}})
}

// newToLegacy: a 2013+ front door and a 2007/2010 mailbox (sections 2b,
// 2c, 2d).
func (cx *cohortCtx) newToLegacy(b *pathBuilder, proto, loc string, fd *model.Server, host string) {
	vf, vm := fd.Parsed.Version(), cx.vm
	proxyRule := rule2cProxy
	if vf >= model.V2016 {
		proxyRule = rule2dProxy
	}
	if vm == model.V2007 {
		proxyRule = rule2bProxy
	}
	cas := cx.p.Topo.ClientAccess(cx.site, vm, true)
	switch proto {
	case "owa", "ecp":
		if vm == model.V2007 {
			cx.redirectLegacy(b, proto, fd, cas)
			return
		}
		if cx.owaRedirect(b, proto, fd, host, cas, ruleOWARedirect) {
			return
		}
		if len(cas) > 0 && vdirOf(cas[0], proto).ExternalURL == "" {
			b.note(ruleOWARedirect, "The mailbox's site %s has no %s ExternalUrl, so %s proxies.", cx.site, strings.ToUpper(proto), fd.Name)
		}
		cx.proxyLegacy(b, proto, loc, fd, ruleOWARedirect)
	case "eas":
		if vf >= model.V2016 {
			b.note(rule2dEAS, "Exchange %s never sends HTTP 451 on-premises.", vf)
			cx.proxyLegacy(b, proto, loc, fd, rule2dEAS)
			return
		}
		t := cx.proxyLegacy(b, proto, loc, fd, proxyRule)
		if t != nil && vm == model.V2007 {
			if h := model.URLHost(t.EAS.ExternalURL); h != "" && h != strings.ToLower(host) {
				b.warn(rule2bProxy, "%s has EAS ExternalUrl %s: set it to %s (or $null) so devices are not sent HTTP 451 to the legacy name.", t.Name, t.EAS.ExternalURL, host)
			}
		}
	case "ews", "oab":
		if vm == model.V2007 {
			// The client was handed the legacy URL by Autodiscover; a
			// front door of 2013+ only sees it if that URL is its own.
			b.warn(rule2bWeb, "Autodiscover should hand this 2007 mailbox the legacy %s URL; it points at %s instead.", strings.ToUpper(proto), host)
			cx.proxyLegacy(b, proto, loc, fd, rule2bProxy)
			return
		}
		if proto == "oab" && vf >= model.V2016 {
			cx.oabLegacy(b, fd)
			return
		}
		cx.proxyLegacy(b, proto, loc, fd, proxyRule)
	case "pop3", "imap4":
		cx.popImapLegacy(b, proto, fd)
	default: // autodiscover, outlook-anywhere
		cx.proxyLegacy(b, proto, loc, fd, proxyRule)
	}
}

// redirectLegacy: OWA for a 2007 mailbox behind 2013 redirects to the 2007
// CAS OWA ExternalUrl; none is broken [PATH-2B-OWA].
func (cx *cohortCtx) redirectLegacy(b *pathBuilder, proto string, fd *model.Server, cas []*model.Server) {
	for _, t := range cas {
		if u := t.OWA.ExternalURL; u != "" {
			h := model.URLHost(u)
			b.hop(fd.Name, t.Name, h, ActRedirectSilent, vdirAuth("owa", "external", &t.OWA))
			b.note(rule2bOWA, "%s redirects 2007 mailbox users to the legacy namespace %s; they sign in there.", fd.Name, u)
			if !cx.resolves(h, "external") {
				b.broken(ruleResolve, "The legacy namespace %s does not resolve for clients.", h)
			}
			return
		}
	}
	b.broken(rule2bOWA, "No Exchange 2007 CAS in site %s has an OWA ExternalUrl: %s has no legacy namespace to redirect to.", cx.site, fd.Name)
	cx.p.Report(rule2bOWA, cx.site, fmt.Sprintf("Exchange 2007 mailboxes in %s cannot use OWA through %s: no 2007 CAS there has an OWA ExternalUrl (legacy namespace).", cx.site, fd.Name),
		Fix{Steps: []string{"Create the legacy namespace (e.g. legacy." + cx.p.Topo.Domain + ") in DNS and on the certificate, and set it as the 2007 CAS OWA ExternalUrl (Set-OwaVirtualDirectory -ExternalUrl)."}})
}

// oabLegacy: 2016 proxies OAB to a web distribution point of the mailbox's
// OAB in the front door's own site [PATH-2D-OAB].
func (cx *cohortCtx) oabLegacy(b *pathBuilder, fd *model.Server) {
	oabName := cx.db.OfflineAddressBook
	var cands []*model.Server
	for _, s := range cx.p.Topo.ClientAccess(cx.p.Topo.siteName(fd.Site), cx.vm, true) {
		if distributes(s, oabName) {
			cands = append(cands, s)
		}
	}
	if len(cands) == 0 {
		b.broken(rule2dOAB, "No Exchange %s CAS in the front door's site %s distributes %q.", cx.vm, fd.Site, oabName)
		return
	}
	t := cands[0]
	b.hop(fd.Name, t.Name, t.FQDN, ActProxy, "kerberos")
	b.note(rule2dOAB, "%s proxies the OAB download to %s, a web distribution point in its own site %s (not the mailbox's site); %s serves the OAB files itself, no mailbox server is involved.", fd.Name, t.Name, fd.Site, t.Name)
	cx.oabGeneration(b)
}

// distributes reports whether the legacy CAS is a web distribution point of
// the OAB (an OAB virtual directory without a recorded list, or an unknown
// OAB, counts as one).
func distributes(s *model.Server, oab string) bool {
	return oab == "" || len(s.OAB.OfflineAddressBooks) == 0 || hasFold(s.OAB.OfflineAddressBooks, oab)
}

// oabLegacySame: a 2007/2010 CAS and an OAB download for a mailbox of its
// own version. The OAB is a set of files the CAS's OAB virtual directory
// serves as a web distribution point; Exchange 2007/2010 do not proxy
// these downloads to another site [PATH-OAB-FILE].
func (cx *cohortCtx) oabLegacySame(b *pathBuilder, fd *model.Server) {
	oab := cx.db.OfflineAddressBook
	what := "the mailbox's OAB"
	if oab != "" {
		what = fmt.Sprintf("%q", oab)
	}
	if !distributes(fd, oab) {
		b.broken(ruleOABFile, "%s is not a web distribution point of %s, and Exchange %s does not proxy OAB downloads: the download fails here (Autodiscover normally hands out a distribution point's URL).", fd.Name, what, fd.Parsed.Version())
		return
	}
	where := "in the mailbox's site"
	if !strings.EqualFold(fd.Site, cx.mbx.Site) {
		where = "although the mailbox is in " + cx.site + ": Exchange " + fd.Parsed.Version().String() + " does not proxy OAB downloads to another site"
	}
	b.note(ruleOABFile, "%s is a web distribution point of %s and serves the OAB files itself, %s; no mailbox server is involved.", fd.Name, what, where)
	cx.oabGeneration(b)
}

// oabGeneration notes an OAB for a 2007/2010 mailbox that only 2013+
// servers generate: a 2007/2010 web distribution point has no files of it
// to serve [PATH-OAB-GEN].
func (cx *cohortCtx) oabGeneration(b *pathBuilder) {
	if cx.vm > model.V2010 {
		return
	}
	oab := cx.p.X.OfflineAB(cx.db.OfflineAddressBook)
	if oab == nil || len(oab.GenerationServers) == 0 {
		return
	}
	for _, n := range oab.GenerationServers {
		if s := cx.p.Topo.Server(n); s == nil || s.Parsed.Version() < model.V2013 {
			return
		}
	}
	b.warn(ruleOABGen, "%q is generated only by Exchange 2013 or later (%s): a 2007/2010 web distribution point has no copy of it to serve. Keep a 2007/2010-generated OAB on the legacy databases until their mailboxes move.", oab.Name, strings.Join(oab.GenerationServers, ", "))
	cx.p.Report(ruleOABGen, oab.Name, fmt.Sprintf("Offline address book %q is generated only by Exchange 2013 or later (%s) but is assigned to Exchange %s databases whose users download it from %s web distribution points, which have no copy of a 2013+-generated OAB. Keep (or create) an OAB generated by an Exchange %s server for those databases until their mailboxes move, and give the new OAB to the 2013+ databases only.", oab.Name, strings.Join(oab.GenerationServers, ", "), cx.vm, cx.vm, cx.vm),
		Fix{Steps: []string{fmt.Sprintf("On Exchange %s: New-OfflineAddressBook -Server <a %s mailbox server> (or keep the existing legacy OAB), then Set-MailboxDatabase <legacy database> -OfflineAddressBook <that OAB> for every Exchange %s database.", cx.vm, cx.vm, cx.vm)}})
}

func hasFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// popImapLegacy: POP/IMAP proxy to a legacy CAS in the mailbox's site at
// its InternalConnectionSettings [PATH-2D-POPIMAP, PATH-2B-POPIMAP,
// PATH-2A-POPIMAP]. The front door enumerates the settings of every
// eligible CAS there and picks a target by the client's incoming channel;
// it does not health-check the POP/IMAP services.
func (cx *cohortCtx) popImapLegacy(b *pathBuilder, proto string, fd *model.Server) {
	r := rule2dPOP
	switch {
	case fd.Parsed.Version() <= model.V2010:
		r = rule2aPOP
	case cx.vm == model.V2007:
		r = rule2bPOP
	case fd.Parsed.Version() == model.V2013:
		r = rule2cProxy // the 2016 rule (PATH-2D-POPIMAP) is not cited for a 2013 front door
	}
	eligible := cx.eligibleCAS(b, fd)
	if len(eligible) == 0 {
		return
	}
	svc := strings.ToUpper(proto)
	channel := cx.popImapChannel()
	order := popImapOrder(channel)
	cands, enc := popImapCandidates(eligible, proto, order)
	var running, stopped []*model.Server
	for _, s := range cands {
		if svcStopped(s, proto) {
			stopped = append(stopped, s)
		} else {
			running = append(running, s)
		}
	}
	t := cands[0]
	if len(running) > 0 {
		t = running[0]
	}
	host := t.FQDN
	if cs := settingWith(popImapOf(t, proto).InternalConnectionSettings, enc); cs != nil {
		host = cs.Host
		b.note(r, "%s enumerates the %s InternalConnectionSettings of every eligible Exchange %s CAS in the mailbox's site %s; the client's channel is %s (client profile pop_imap_channel), so it prefers %s: it proxies to %s at %s:%d (%s).",
			fd.Name, svc, cx.vm, cx.site, channel, orderWords(order), t.Name, host, cs.Port, encName(cs.Encryption))
	} else {
		b.note(r, "%s proxies %s to %s (no InternalConnectionSettings in the inventory; assuming its FQDN).", fd.Name, svc, t.Name)
	}
	if !strings.EqualFold(host, t.FQDN) && cx.popImapElsewhere(b, r, proto, fd, t, host) {
		return
	}
	b.hop(fd.Name, t.Name, host, ActProxy, "basic")
	switch {
	case len(running) == 0:
		if fd.Parsed.Version() >= model.V2016 {
			b.flag(ruleNSPopImapFQDN.ID)
		}
		b.broken(r, "The %s service is not running on %s; %s does not health-check POP/IMAP, so connections fail.", svc, serverNames(stopped), fd.Name)
	case fd.Parsed.Version() >= model.V2016:
		var down []string
		for _, s := range eligible {
			if svcStopped(s, proto) {
				down = append(down, s.Name)
			}
		}
		if len(down) > 0 {
			b.flag(ruleNSPopImapFQDN.ID)
			b.warn(r, "The %s service is stopped on %s in the mailbox's site; %s does not health-check POP/IMAP targets, so sessions it sends there fail (NS-POPIMAP-FQDN).", svc, andList(down), fd.Name)
		}
	}
	cx.toMailboxServer(b, proto, t)
}

// popImapElsewhere handles InternalConnectionSettings that name another
// host than the target CAS's FQDN: the proxied session goes wherever that
// name resolves. It reports whether the path ends there.
func (cx *cohortCtx) popImapElsewhere(b *pathBuilder, r *Rule, proto string, fd, t *model.Server, host string) bool {
	svc := strings.ToUpper(proto)
	b.flag(ruleNSPopImapFQDN.ID)
	res, ok := cx.p.Topo.Resolve(host, "internal")
	if !ok {
		b.hop(fd.Name, t.Name, host, ActProxy, "basic")
		b.warn(r, "%s is not %s's FQDN %s and does not resolve in the inventory: the proxied connection may land on another server (NS-POPIMAP-FQDN).", host, t.Name, t.FQDN)
		cx.toMailboxServer(b, proto, t)
		return true
	}
	for _, s := range res.Servers {
		if s == t {
			return false // a name of the target itself
		}
	}
	to := res.Servers[0]
	b.hop(fd.Name, to.Name, host, ActProxy, "basic")
	if v := to.Parsed.Version(); v >= model.V2013 {
		b.broken(r, "%s names %s in its %s InternalConnectionSettings, not its FQDN %s; %s resolves to %s (Exchange %s), a front door, so the proxied session loops back to Exchange %s instead of reaching %s, and %s fails (NS-POPIMAP-FQDN).",
			t.Name, host, svc, t.FQDN, host, serverNames(res.Servers), v, v, t.Name, svc)
		return true
	}
	b.warn(r, "%s names %s in its %s InternalConnectionSettings, not its FQDN %s; %s resolves to %s, so the session lands there instead of %s (NS-POPIMAP-FQDN).",
		t.Name, host, svc, t.FQDN, host, serverNames(res.Servers), t.Name)
	return true
}

// popImapChannel is the client's incoming POP/IMAP channel: "encrypted"
// (the default) or "plaintext".
func (cx *cohortCtx) popImapChannel() string {
	if cx.prof != nil && cx.prof.PopImapChannel != "" {
		return strings.ToLower(cx.prof.PopImapChannel)
	}
	return model.ChannelEncrypted
}

// popImapOrder is the target preference for a client channel: encrypted
// incoming → SSL, TLS, plain text; plain text incoming → plain text, SSL,
// TLS (blog-ex2016-coexist-ex2010). Plain text is the empty encryption.
func popImapOrder(channel string) []string {
	if channel == model.ChannelPlaintext {
		return []string{"", "SSL", "TLS"}
	}
	return []string{"SSL", "TLS", ""}
}

func orderWords(order []string) string {
	w := make([]string, len(order))
	for i, e := range order {
		w[i] = encName(e)
	}
	return strings.Join(w, ", then ")
}

// popImapCandidates returns the eligible CAS offering the most preferred
// encryption in order, and that encryption. Without any parseable setting
// every eligible CAS is a candidate (encryption "-", matching none).
func popImapCandidates(eligible []*model.Server, proto string, order []string) ([]*model.Server, string) {
	for _, enc := range order {
		var cands []*model.Server
		for _, s := range eligible {
			if settingWith(popImapOf(s, proto).InternalConnectionSettings, enc) != nil {
				cands = append(cands, s)
			}
		}
		if len(cands) > 0 {
			return cands, enc
		}
	}
	return eligible, "-"
}

// settingWith returns the first connection setting with encryption enc.
func settingWith(list []string, enc string) *model.ConnectionSetting {
	for _, s := range list {
		cs, err := model.ParseConnectionSetting(s)
		if err == nil && cs.Encryption == enc {
			return &cs
		}
	}
	return nil
}

func popImapOf(s *model.Server, proto string) *model.PopImap {
	if proto == "imap4" {
		return &s.IMAP4
	}
	return &s.POP3
}

func svcStopped(s *model.Server, proto string) bool {
	r := popImapOf(s, proto).Running
	return r != nil && !*r
}

func encName(e string) string {
	if e == "" {
		return "plain text"
	}
	return e
}

// legacy2010To2007: a 2010 front door and a 2007 mailbox (section 2a).
func (cx *cohortCtx) legacy2010To2007(b *pathBuilder, proto, loc string, fd *model.Server, host string) {
	cas := cx.p.Topo.ClientAccess(cx.site, model.V2007, true)
	switch proto {
	case "autodiscover":
		b.note(rule2aOA, "%s answers Autodiscover itself and returns the 2007 settings and legacy URLs.", fd.Name)
	case "owa":
		for _, t := range cas {
			if u := t.OWA.ExternalURL; u != "" {
				h := model.URLHost(u)
				action := ActRedirectSilent
				if strings.EqualFold(fd.OWA.LegacyRedirectType, "Manual") {
					action = ActRedirectManual
				}
				b.hop(fd.Name, t.Name, h, action, vdirAuth("owa", loc, &t.OWA))
				b.note(rule2aOWA, "The 2007 site is Internet-facing: %s redirects (%s) to the legacy namespace %s.", fd.Name, strings.TrimPrefix(action, "redirect-"), u)
				return
			}
		}
		if t := cx.legacyTarget(b, fd); t != nil {
			b.hop(fd.Name, t.Name, t.FQDN, ActProxy, "kerberos")
			b.note(rule2aOWA, "The 2007 site has no OWA ExternalUrl: %s proxies to %s.", fd.Name, t.Name)
			cx.toMailboxServer(b, proto, t)
		}
	case "eas":
		for _, t := range cas {
			if u := t.EAS.ExternalURL; u != "" && cx.eas451() {
				b.hop(fd.Name, t.Name, model.URLHost(u), ActRedirect451, "basic")
				b.note(rule2aEAS, "The device supports Autodiscover/451: %s answers HTTP 451 pointing at %s.", fd.Name, u)
				return
			}
		}
		if t := cx.legacyTarget(b, fd); t != nil {
			b.hop(fd.Name, t.Name, t.FQDN, ActProxy, "kerberos")
			b.note(rule2aEAS, "%s proxies EAS to %s.", fd.Name, t.Name)
			cx.toMailboxServer(b, proto, t)
		}
	case "pop3", "imap4":
		cx.popImapLegacy(b, proto, fd)
	case "outlook-anywhere":
		cx.rpcProxyToMailbox(b, fd)
	default: // ews, oab: 2010 answered with legacy URLs; the client is here only if they point at 2010
		b.warn(rule2aWeb, "Autodiscover returns the legacy %s URL for 2007 mailboxes; this client reached %s instead, which proxies to a 2007 CAS.", strings.ToUpper(proto), fd.Name)
		if t := cx.legacyTarget(b, fd); t != nil {
			b.hop(fd.Name, t.Name, t.FQDN, ActProxy, "kerberos")
			cx.toMailboxServer(b, proto, t)
		}
	}
}

func (cx *cohortCtx) eas451() bool {
	if cx.prof == nil || cx.prof.EASSupports451 == nil {
		return true
	}
	return *cx.prof.EASSupports451
}

// legacySame: a 2007/2010 front door and a mailbox of its own version.
// Same site: the CAS serves the mailbox over RPC; another site: redirect
// (OWA, EAS) when that site is Internet-facing, else proxy (ms-ex2010-proxy-redirect).
func (cx *cohortCtx) legacySame(b *pathBuilder, proto, loc string, fd *model.Server, host string) {
	if strings.EqualFold(fd.Site, cx.mbx.Site) || proto == "autodiscover" || proto == "outlook-anywhere" {
		switch proto {
		case "autodiscover":
			b.note(rule2010CrossSite, "%s answers Autodiscover for the mailbox.", fd.Name)
		case "outlook-anywhere":
			cx.rpcProxyToMailbox(b, fd)
		case "oab":
			cx.oabLegacySame(b, fd)
		default:
			cx.toMailboxServer(b, proto, fd)
			if fd != cx.mbx {
				b.note(rule2010CrossSite, "%s is in the mailbox's site and serves it over RPC from %s.", fd.Name, cx.mbx.Name)
			}
		}
		return
	}
	if proto == "oab" {
		cx.oabLegacySame(b, fd)
		return
	}
	cas := cx.p.Topo.ClientAccess(cx.site, cx.vm, true)
	switch proto {
	case "owa", "ecp":
		for _, t := range cas {
			if u := vdirOf(t, proto).ExternalURL; u != "" && model.URLHost(u) != strings.ToLower(host) {
				action := ActRedirectManual
				if strings.EqualFold(fd.OWA.CrossSiteRedirectType, "Silent") {
					action = ActRedirectSilent
				}
				b.hop(fd.Name, t.Name, model.URLHost(u), action, vdirAuth(proto, loc, vdirOf(t, proto)))
				b.note(rule2010CrossSite, "The mailbox's site %s is Internet-facing: %s redirects (%s, CrossSiteRedirectType) to %s.", cx.site, fd.Name, strings.TrimPrefix(action, "redirect-"), u)
				if action == ActRedirectManual {
					b.warn(rule2010CrossSite, "Users see a page with a link to %s and sign in again.", u)
				}
				return
			}
		}
	case "eas":
		for _, t := range cas {
			if u := t.EAS.ExternalURL; u != "" && model.URLHost(u) != strings.ToLower(host) && cx.eas451() {
				b.hop(fd.Name, t.Name, model.URLHost(u), ActRedirect451, "basic")
				b.note(rule2010CrossSite, "The device supports Autodiscover/451: %s answers HTTP 451 pointing at %s.", fd.Name, u)
				return
			}
		}
	}
	if proto == "pop3" || proto == "imap4" {
		cx.popImapLegacy(b, proto, fd)
		return
	}
	t := cx.legacyTarget(b, fd)
	if t == nil {
		return
	}
	b.hop(fd.Name, t.Name, t.FQDN, ActProxy, "kerberos")
	if proto == "eas" && !cx.eas451() && cx.siteExternalURL(cas, proto) != "" {
		// Seed 004: "If the device is not on the supported list, then
		// CAS2010 in Site1 will proxy the request to CAS2010 in Site2."
		b.note(rule2010CrossSite, "The mailbox's site %s is Internet-facing for EAS (%s), but the users' devices do not follow an HTTP 451 redirect (client profile eas_supports_451 = false): %s proxies to %s.", cx.site, cx.siteExternalURL(cas, proto), fd.Name, t.Name)
	} else {
		b.note(rule2010CrossSite, "The mailbox's site %s is not Internet-facing for %s: %s proxies to %s.", cx.site, strings.ToUpper(proto), fd.Name, t.Name)
	}
	cx.toMailboxServer(b, proto, t)
}

// siteExternalURL is the first ExternalUrl of the protocol's virtual
// directory on the given CAS, or "".
func (cx *cohortCtx) siteExternalURL(cas []*model.Server, proto string) string {
	for _, t := range cas {
		if u := vdirOf(t, proto).ExternalURL; u != "" {
			return u
		}
	}
	return ""
}

// rpcTCP: internal Outlook to a 2007/2010 mailbox over RPC/TCP.
func (cx *cohortCtx) rpcTCP(b *pathBuilder) {
	if cx.vm == model.V2007 {
		b.hop("client", cx.mbx.Name, cx.mbx.FQDN, ActDirect, "negotiate")
		b.note(ruleRPC2007, "Outlook connects to the 2007 mailbox server %s directly.", cx.mbx.Name)
		return
	}
	host := cx.db.RPCClientAccessServer
	if host == "" {
		host = cx.mbx.FQDN
		b.note(ruleRPCArray, "Database %s has no RpcClientAccessServer in the inventory; assuming the mailbox server.", cx.db.Name)
	}
	res, ok := cx.p.Topo.Resolve(host, "internal")
	if !ok {
		b.hop("client", cx.mbx.Name, host, ActConnect, "negotiate")
		b.note(ruleRPCArray, "Outlook connects to the RPC Client Access endpoint %s.", host)
		return
	}
	fd := res.Servers[0]
	b.hop("client", fd.Name, host, ActConnect, "negotiate")
	if fd.Parsed.Version() >= model.V2013 {
		b.flag("NS-RPC-ARRAY")
		b.broken(ruleRPCArray, "RpcClientAccessServer %s now resolves to Exchange %s (%s), which has no RPC Client Access: Outlook cannot connect over RPC/TCP (NS-RPC-ARRAY: the CAS array name must differ from the HTTPS namespace).", host, fd.Parsed.Version(), fd.Name)
		return
	}
	b.note(ruleRPCArray, "Outlook connects over RPC/TCP to %s (the database's RpcClientAccessServer).", host)
	if fd != cx.mbx {
		b.hop(fd.Name, cx.mbx.Name, cx.mbx.FQDN, ActRPC, "kerberos")
	}
	if cx.outlook.Year > 0 && cx.outlook.Year < 2007 && fd.Parsed.Version() >= model.V2010 {
		b.warn(ruleOutlook2003RPC, "%s reaches Exchange %s RPC Client Access on %s, which requires RPC encryption by default; Outlook 2003 profiles do not encrypt unless told to: enable encryption in the profile or by Group Policy, or the connection is refused.", cx.outlook, fd.Parsed.Version(), fd.Name)
	}
}
