package planner

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/coexist/coexist/model"
)

// Section 5 (certificates) and the wildcard-certificate part of section 3
// (AUTH-EXPR-WILDCARD).

// subjectCN returns the CN of a certificate subject ("CN=mail.contoso.com,
// O=Contoso" → "mail.contoso.com"), or "".
func subjectCN(subject string) string {
	for _, part := range strings.Split(subject, ",") {
		part = strings.TrimSpace(part)
		if len(part) > 3 && strings.EqualFold(part[:3], "CN=") {
			return strings.TrimSpace(part[3:])
		}
	}
	return ""
}

// certNames are the names a certificate is valid for: its SANs, or its
// subject CN when it has no SANs.
func certNames(c *model.Certificate) []string {
	if len(c.SANs) > 0 {
		return c.SANs
	}
	if cn := subjectCN(c.Subject); cn != "" {
		return []string{cn}
	}
	return nil
}

// nameMatches reports whether a certificate name covers host: exactly, or
// as a wildcard "*.d" covering exactly one label left of d.
func nameMatches(pattern, host string) bool {
	p, h := strings.ToLower(strings.TrimSuffix(pattern, ".")), strings.ToLower(strings.TrimSuffix(host, "."))
	if p == h {
		return true
	}
	if suffix, ok := strings.CutPrefix(p, "*"); ok && strings.HasPrefix(suffix, ".") && strings.HasSuffix(h, suffix) {
		label := h[:len(h)-len(suffix)]
		return label != "" && !strings.Contains(label, ".")
	}
	return false
}

func certCovers(c *model.Certificate, host string) bool {
	for _, n := range certNames(c) {
		if nameMatches(n, host) {
			return true
		}
	}
	return false
}

// isIIS reports whether the certificate is bound to IIS (a certificate
// without recorded services is assumed to be).
func isIIS(c *model.Certificate) bool {
	if len(c.Services) == 0 {
		return true
	}
	for _, s := range c.Services {
		if model.Key(s) == "iis" {
			return true
		}
	}
	return false
}

// iisCerts returns the IIS certificates bound on server s.
func iisCerts(p *Pass, s *model.Server) []*model.Certificate {
	var r []*model.Certificate
	for i := range p.Inv.Certificates {
		c := &p.Inv.Certificates[i]
		if !isIIS(c) {
			continue
		}
		for _, n := range c.Servers {
			if p.Topo.Server(n) == s {
				r = append(r, c)
				break
			}
		}
	}
	return r
}

// certLabel names a certificate for people: "CN=mail.contoso.com
// (thumbprint 3C4250A8…)".
func certLabel(c *model.Certificate) string {
	tp := c.Thumbprint
	if len(tp) > 8 {
		tp = tp[:8] + "…"
	}
	if c.Subject == "" {
		return "certificate " + c.Thumbprint
	}
	return fmt.Sprintf("%s (thumbprint %s)", c.Subject, tp)
}

// httpProtocols are the protocols whose endpoints present the IIS
// certificate.
var httpProtocols = map[string]bool{
	"autodiscover": true, "outlook-anywhere": true, "mapi-http": true, "owa": true,
	"ecp": true, "eas": true, "ews": true, "oab": true,
}

// terminations maps each server to the client-facing HTTPS names that
// terminate on it, with one reason per name.
type terminations map[*model.Server]map[string]string

func (t terminations) add(p *Pass, host, location, reason string) {
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" {
		return
	}
	locs := []string{location}
	if location == "" {
		locs = []string{"internal", "external"}
	}
	for _, loc := range locs {
		res, ok := p.Topo.Resolve(host, loc)
		if !ok {
			continue
		}
		for _, s := range res.Servers {
			t.addServer(s, host, reason)
		}
	}
}

func (t terminations) addServer(s *model.Server, host, reason string) {
	m := t[s]
	if m == nil {
		m = map[string]string{}
		t[s] = m
	}
	if _, ok := m[host]; !ok {
		m[host] = reason
	}
}

// clientNames collects every name a client is sent to (CERT-SAN sources):
// the primary and Autodiscover namespaces, the namespaces mailboxes use,
// virtual directory URLs, Outlook Anywhere host names, the Autodiscover
// SCP, and every client-facing hop (connect, direct, redirect) of the
// computed HTTPS paths.
func clientNames(p *Pass) terminations {
	t := terminations{}
	t.add(p, p.Topo.Primary, "", "the primary namespace")
	if d := p.Topo.Domain; d != "" && p.X.Namespace("autodiscover."+d) != nil {
		t.add(p, "autodiscover."+d, "", "Autodiscover")
	}
	for _, c := range p.Cohorts {
		if c.Namespace != "" {
			t.add(p, c.Namespace, "", "the namespace of users' clients")
		}
	}
	for _, s := range p.Topo.Servers() {
		for _, vd := range s.VirtualDirs() {
			if vd.Dir.InternalURL != "" {
				t.add(p, model.URLHost(vd.Dir.InternalURL), "internal", fmt.Sprintf("%s's %s InternalUrl", s.Name, strings.ToUpper(vd.Field)))
			}
			if vd.Dir.ExternalURL != "" {
				t.add(p, model.URLHost(vd.Dir.ExternalURL), "external", fmt.Sprintf("%s's %s ExternalUrl", s.Name, strings.ToUpper(vd.Field)))
			}
		}
		oa := &s.OutlookAnywhere
		if oa.Enabled || s.Parsed.Version() >= model.V2013 {
			t.add(p, oa.ExternalHostname, "external", fmt.Sprintf("%s's Outlook Anywhere ExternalHostname", s.Name))
			t.add(p, oa.InternalHostname, "internal", fmt.Sprintf("%s's Outlook Anywhere InternalHostname", s.Name))
		}
		if s.AutoDiscoverServiceInternalURI != "" {
			t.add(p, model.URLHost(s.AutoDiscoverServiceInternalURI), "internal", fmt.Sprintf("%s's Autodiscover SCP", s.Name))
		}
	}
	for _, c := range p.Cohorts {
		for _, pa := range c.Paths {
			if !httpProtocols[pa.Protocol] {
				continue
			}
			for i, h := range pa.Hops {
				host, action := h.Host, h.Action
				switch {
				case h.Action == ActBalance && i > 0:
					// The member terminates the name the client used at
					// the load balancer, not its own FQDN.
					host, action = pa.Hops[i-1].Host, pa.Hops[i-1].Action
				case h.Action == ActProxy || h.Action == ActRPC || h.Action == ActBalance:
					continue
				}
				if host == "" {
					continue
				}
				if s := p.Topo.Server(h.To); s != nil {
					t.addServer(s, strings.ToLower(host), fmt.Sprintf("the %s %s path (%s)", pa.Location, pa.Protocol, action))
				}
			}
		}
	}
	return t
}

// emsOf is the "#!shell" directive value for Exchange cmdlets that must
// run in the Management Shell of s's version (certificate cmdlets manage
// the servers of their own version): EMS2010 for 2007/2010, EMS2013 for
// 2013 and later, EMS when the version is unknown.
func emsOf(s *model.Server) string {
	switch v := serverVersion(s); {
	case v == 0:
		return "EMS"
	case v <= model.V2010:
		return "EMS2010"
	}
	return "EMS2013"
}

// certReqData is the data of the CERT-SAN remedy template.
type certReqData struct {
	Server, Subject, RequestFile string
	Shell                        string // see emsOf
	Names                        []string
}

var ruleCertSAN = checkRule(Rule{
	ID: "CERT-SAN", Title: "Certificate does not cover a name clients reach", Severity: SevError,
	Sources: []string{"aaronmarks-oa-2007-2010", "o365info-ex2013-outlook-infrastructure", "redmond-ex2013-cas-legacy"}, Section: "5",
	Doc: "Every name a client is sent to (primary, autodiscover, legacy, regional, Outlook Anywhere internal/external host names, MAPI/EWS/OAB hosts, the Autodiscover SCP) must be on the IIS certificate (SAN, or a matching one-label wildcard) of every server that terminates it: the servers the name resolves to, and the servers that client-facing hops (connect, direct, redirect) of the computed HTTPS paths end on. Server-to-server proxy and RPC hops do not count; behind a load balancer, the member it hands the connection to terminates the client's name. A server that terminates names but has no IIS certificate in the inventory is a warning. Skipped when the inventory records no certificates.",
}, func(p *Pass, r *Rule) {
	if len(p.Inv.Certificates) == 0 {
		return
	}
	t := clientNames(p)
	for _, s := range p.Topo.Servers() {
		hosts := t[s]
		if len(hosts) == 0 {
			continue
		}
		certs := iisCerts(p, s)
		hs := sortedKeys(hosts)
		if len(certs) == 0 {
			var list []string
			for _, h := range hs {
				list = append(list, fmt.Sprintf("%s (%s)", h, hosts[h]))
			}
			msg := fmt.Sprintf("No IIS certificate is recorded for %s, which clients reach as %s. Record its certificate (Get-ExchangeCertificate) so the names can be checked.", s.Name, strings.Join(list, ", "))
			p.ReportAs(r, SevWarning, s.Name, msg, Fix{Steps: []string{fmt.Sprintf("Add %s's IIS certificate to the inventory (thumbprint, subject, SANs, expiry, servers).", s.Name)}})
			continue
		}
		var missing []string
		for _, h := range hs {
			covered := false
			for _, c := range certs {
				if certCovers(c, h) {
					covered = true
					break
				}
			}
			if !covered {
				missing = append(missing, h)
			}
		}
		if len(missing) == 0 {
			continue
		}
		var list, labels []string
		for _, h := range missing {
			list = append(list, fmt.Sprintf("%s (%s)", h, hosts[h]))
		}
		for _, c := range certs {
			labels = append(labels, certLabel(c))
		}
		// The replacement covers the current names and the missing ones.
		want := map[string]bool{}
		var req []string
		for _, c := range certs {
			for _, n := range certNames(c) {
				if k := strings.ToLower(n); !want[k] {
					want[k] = true
					req = append(req, k)
				}
			}
		}
		for _, h := range missing {
			if !want[h] {
				want[h] = true
				req = append(req, h)
			}
		}
		subject := "CN=" + missing[0]
		if cn := subjectCN(certs[0].Subject); cn != "" {
			subject = "CN=" + cn
		}
		msg := fmt.Sprintf("%s's IIS certificate %s does not cover %s. Clients sent there get certificate warnings or fail (Outlook Anywhere and MAPI/HTTP refuse the connection). Replace the certificate with one whose SANs include these names.",
			s.Name, andList(labels), strings.Join(list, ", "))
		p.Report(r, s.Name, msg, Fix{
			Steps: []string{
				fmt.Sprintf("Request a certificate for %s with the names %s, from the same CA as the current one.", s.Name, strings.Join(req, ", ")),
				fmt.Sprintf("Import it on every server that terminates these names and enable it for IIS (Enable-ExchangeCertificate -Services IIS), then restart IIS on %s.", s.Name),
			},
			Shell: Remedy(r.ID, certReqData{Server: s.Name, Subject: subject, Names: req, RequestFile: `C:\certreq-` + s.Name + `.req`, Shell: emsOf(s)}),
		})
	}
})

// legacyData is the data of the CERT-LEGACY remedy template.
type legacyData struct {
	Servers []string // Exchange 2007 CAS names
	Host    string   // legacy host name to use
}

var ruleCertLegacy = checkRule(Rule{
	ID: "CERT-LEGACY", Title: "Legacy namespace for Exchange 2007 missing or wrong", Severity: SevError,
	Sources: []string{"blog-ex2013-ssl-offloading", "blog-ex2013-cas-config"}, Section: "5",
	Doc: "When Exchange 2007 coexists with 2010 or later, Internet-facing 2007 Client Access servers need a legacy namespace (legacy.contoso.com): in DNS, on the 2007 CAS certificate, and set as their OWA (and EWS, OAB, EAS) ExternalUrl. Exchange 2013 and later always redirect OWA for 2007 mailboxes to it, so with 2013+ and no 2007 CAS having an OWA ExternalUrl, 2007 users' OWA breaks. A 2007 ExternalUrl whose host does not resolve externally, resolves to the newer servers (the new namespace: redirect loop), or is not on the 2007 CAS's IIS certificate is an error.",
}, func(p *Pass, r *Rule) {
	legacy := serversOf(p, model.V2007)
	newest := p.Topo.Newest()
	if len(legacy) == 0 || newest <= model.V2007 {
		return
	}
	suggest := "legacy." + p.Topo.Domain
	var cas []*model.Server
	var casNames []string
	withURL := 0
	for _, s := range legacy {
		if !s.HasRole("ClientAccess") {
			continue
		}
		cas = append(cas, s)
		casNames = append(casNames, s.Name)
		u := s.OWA.ExternalURL
		if u == "" {
			continue
		}
		withURL++
		h := model.URLHost(u)
		fix := Fix{
			Steps: []string{fmt.Sprintf("Create %s in external (and internal) DNS pointing to the Internet-facing Exchange 2007 Client Access servers, add it to their certificate, and set their OWA, EWS, OAB and EAS ExternalUrls to it.", suggest)},
			Shell: Remedy(r.ID, legacyData{Servers: []string{s.Name}, Host: suggest}),
		}
		res, ok := p.Topo.Resolve(h, "external")
		switch {
		case !ok:
			p.Report(r, s.Name, fmt.Sprintf("%s's OWA ExternalUrl is %s, but %s does not resolve for external clients (no namespace in the inventory publishes it): Exchange %s sends 2007 users there. Create the legacy namespace in DNS.", s.Name, u, h, newest), fix)
			continue
		case !hasVersion(res.Servers, model.V2007):
			p.Report(r, s.Name, fmt.Sprintf("%s's OWA ExternalUrl is %s, but %s resolves to %s (Exchange %s), not to Exchange 2007: users redirected to the legacy URL land on the new servers again. Use a separate legacy namespace such as %s that resolves to the Exchange 2007 Client Access servers.", s.Name, u, h, names(res.Servers), res.Servers[0].Parsed.Version(), suggest), fix)
			continue
		}
		if certs := iisCerts(p, s); len(certs) > 0 {
			covered := false
			for _, c := range certs {
				covered = covered || certCovers(c, h)
			}
			if !covered {
				fix.Steps = []string{fmt.Sprintf("Add %s to the certificate of %s (and of every server it resolves to) and enable it for IIS.", h, s.Name)}
				fix.Shell = nil
				p.Report(r, s.Name, fmt.Sprintf("The legacy namespace %s (%s's OWA ExternalUrl) is not on %s's IIS certificate: users redirected to it get certificate errors.", h, s.Name, s.Name), fix)
			}
		}
	}
	if withURL == 0 && len(cas) > 0 && newest >= model.V2013 {
		msg := fmt.Sprintf("No Exchange 2007 Client Access server (%s) has an OWA ExternalUrl, so there is no legacy namespace: Exchange %s redirects OWA users with Exchange 2007 mailboxes to that URL, and without it their OWA breaks. Create %s in DNS for the Internet-facing 2007 Client Access servers, add it to their certificate and set their ExternalUrls to it.", andList(casNames), newest, suggest)
		p.Report(r, orgName(p), msg, Fix{
			Steps: []string{fmt.Sprintf("Create %s in external and internal DNS pointing to the Internet-facing Exchange 2007 Client Access servers and add it to their certificate.", suggest)},
			Shell: Remedy(r.ID, legacyData{Servers: casNames, Host: suggest}),
		})
	}
})

func hasVersion(ss []*model.Server, v model.Version) bool {
	for _, s := range ss {
		if s.Parsed.Version() == v {
			return true
		}
	}
	return false
}

// expiryData is the data of the CERT-EXPIRY remedy template.
type expiryData struct {
	Server, Thumbprint, RequestFile string
	Shell                           string // see emsOf
}

var ruleCertExpiry = checkRule(Rule{
	ID: "CERT-EXPIRY", Title: "Certificate expired or expiring before the cutover", Severity: SevError,
	Sources: []string{"css-healthchecker"}, Section: "5",
	Doc: "A certificate that has expired (not_after before the plan's as-of date) is an error; one that expires before organization.cutover_date, or within 60 days of the as-of date (HealthChecker warns at 60 and 30 days), is a warning. Without a pinned as-of date (organization.as_of or --date) only the cutover comparison is made.",
}, func(p *Pass, r *Rule) {
	var cutover time.Time
	if p.Inv.Organization.CutoverDate != "" {
		cutover, _ = model.ParseDate(p.Inv.Organization.CutoverDate)
	}
	for i := range p.Inv.Certificates {
		c := &p.Inv.Certificates[i]
		na, err := model.ParseDate(c.NotAfter)
		if err != nil {
			continue
		}
		where := "bound to no server in the inventory"
		if len(c.Servers) > 0 {
			where = "on " + andList(c.Servers)
		}
		if len(c.Services) > 0 {
			where += " for " + strings.Join(c.Services, ", ")
		}
		label := certLabel(c) + ", " + where + ","
		server := ""
		if len(c.Servers) > 0 {
			server = c.Servers[0]
		}
		fix := Fix{
			Steps: []string{
				fmt.Sprintf("Renew %s with the same names before %s, import it on %s and enable it for the same services (%s).", certLabel(c), c.NotAfter, andList(c.Servers), strings.Join(c.Services, ", ")),
				"Remove the old certificate once the new one is enabled everywhere (check Send connectors that name it).",
			},
			Shell: Remedy(r.ID, expiryData{Server: server, Thumbprint: c.Thumbprint, RequestFile: `C:\certrenew-` + c.Thumbprint[:min(8, len(c.Thumbprint))] + `.req`, Shell: emsOf(p.X.Server(server))}),
		}
		days := -1
		if !p.AsOf.IsZero() {
			days = int(na.Sub(p.AsOf).Hours() / 24)
		}
		switch {
		case !p.AsOf.IsZero() && na.Before(p.AsOf):
			p.Report(r, c.Thumbprint, fmt.Sprintf("Certificate %s expired on %s: clients and servers using it fail TLS now. Renew it immediately.", label, c.NotAfter), fix)
		case !cutover.IsZero() && na.Before(cutover):
			left := ""
			if days >= 0 {
				left = fmt.Sprintf(" (%d days after %s)", days, p.AsOf.Format("2006-01-02"))
			}
			p.ReportAs(r, SevWarning, c.Thumbprint, fmt.Sprintf("Certificate %s expires on %s%s, before the planned cutover on %s. Renew it before the migration's last phase.", label, c.NotAfter, left, p.Inv.Organization.CutoverDate), fix)
		case days >= 0 && days <= 60:
			p.ReportAs(r, SevWarning, c.Thumbprint, fmt.Sprintf("Certificate %s expires on %s, in %d days (HealthChecker warns at 60 and 30 days). Renew it now.", label, c.NotAfter, days), fix)
		}
	}
})

var ruleCertSHA512 = checkRule(Rule{
	ID: "CERT-SHA512", Title: "SHA512 certificate without KB2973337", Severity: SevError,
	Sources: []string{"blog-tls-part1"}, Section: "5",
	Doc: "A certificate signed with SHA512 (sha512RSA, sha512ECDSA) fails TLS 1.2 handshakes on Windows Server 2008 SP2, 2008 R2, 2012 and 2012 R2 without KB2973337 (which adds SHA512 to the TLS 1.2 signature algorithms); the Exchange Team's TLS guidance (part 1) names the update for each of these releases, 2008 SP2 included. Each such server without the update is an error.",
}, func(p *Pass, r *Rule) {
	type hit struct {
		s     *model.Server
		certs []string
	}
	hits := map[string]*hit{}
	for i := range p.Inv.Certificates {
		c := &p.Inv.Certificates[i]
		if !strings.Contains(strings.ToLower(c.SignatureAlgorithm), "sha512") {
			continue
		}
		for _, n := range c.Servers {
			s := p.Topo.Server(n)
			if s == nil || model.HasUpdate(s.InstalledUpdates, "KB2973337") {
				continue
			}
			o, ok := serverOS(s)
			if !ok || (o.Release != "2008" && o.Release != "2008 R2" && o.Release != "2012" && o.Release != "2012 R2") {
				continue
			}
			h := hits[s.Name]
			if h == nil {
				h = &hit{s: s}
				hits[s.Name] = h
			}
			h.certs = append(h.certs, certLabel(c))
		}
	}
	for _, n := range sortedKeys(hits) {
		h := hits[n]
		o, _ := serverOS(h.s)
		sort.Strings(h.certs)
		msg := fmt.Sprintf("%s (%s) uses the SHA512-signed certificate %s but lacks KB2973337: TLS 1.2 connections with that certificate fail. Install KB2973337 (or use a SHA256 certificate).", h.s.Name, osWords(o), andList(h.certs))
		p.Report(r, h.s.Name, msg, Fix{
			KBs:   []string{"KB2973337"},
			Steps: []string{fmt.Sprintf("Install KB2973337 on %s and restart it.", h.s.Name)},
			Shell: Remedy(r.ID, hotfixData{Server: h.s.Name, FQDN: fqdnOr(h.s), KBs: []string{"KB2973337"}}),
		})
	}
})

// wildcardData is the data of the AUTH-EXPR-WILDCARD remedy template.
type wildcardData struct {
	Principal string // msstd:*.contoso.com
	EXCH      bool   // 2013+ present: mention the EXCH provider
}

var ruleAuthExprWildcard = checkRule(Rule{
	ID: "AUTH-EXPR-WILDCARD", Title: "Wildcard certificate without EXPR CertPrincipalName", Severity: SevWarning,
	Sources: []string{"byronwright-coexistence-notes", "blog-outlook-providers"}, Section: "3",
	Doc: "With a wildcard certificate (subject CN=*.domain) on the Client Access servers, set the EXPR Outlook provider's CertPrincipalName to msstd:*.<domain>: Outlook checks the proxy server's principal name (by default msstd:<Outlook Anywhere host name>) against the certificate, and Outlook Anywhere connections fail or prompt when they differ. Reported once per wildcard principal when the EXPR provider's value differs (not set counts).",
}, func(p *Pass, r *Rule) {
	oaInUse := false
	for _, s := range p.Topo.Servers() {
		if s.OutlookAnywhere.Enabled || s.Parsed.Version() >= model.V2013 {
			oaInUse = true
		}
	}
	if !oaInUse {
		return
	}
	current := ""
	if pr := p.Topo.Provider("EXPR"); pr != nil {
		current = pr.CertPrincipalName
	}
	seen := map[string]bool{}
	for i := range p.Inv.Certificates {
		c := &p.Inv.Certificates[i]
		if !isIIS(c) {
			continue
		}
		principal := subjectCN(c.Subject)
		if principal == "" && len(c.SANs) > 0 {
			principal = c.SANs[0]
		}
		if !strings.HasPrefix(principal, "*.") {
			continue
		}
		want := "msstd:" + strings.ToLower(principal)
		if strings.EqualFold(current, want) || seen[want] {
			continue
		}
		seen[want] = true
		where := ""
		if len(c.Servers) > 0 {
			where = " on " + andList(c.Servers)
		}
		state := "is not set, so Autodiscover hands Outlook msstd:<Outlook Anywhere host name>, which does not match the certificate"
		if current != "" {
			state = fmt.Sprintf("is %s, which does not match the certificate", current)
		}
		msg := fmt.Sprintf("The IIS certificate %s%s is a wildcard certificate, but the EXPR Outlook provider's CertPrincipalName %s. Outlook checks the proxy server's principal name against the certificate, so Outlook Anywhere connections fail or keep prompting. Set it to %s.",
			certLabel(c), where, state, want)
		p.Report(r, orgName(p), msg, Fix{
			Steps: []string{
				fmt.Sprintf("Set the EXPR Outlook provider's CertPrincipalName to %s (organisation-wide).", want),
				"Outlook picks it up at its next Autodiscover: restart Outlook or wait for the periodic refresh.",
			},
			Shell: Remedy(r.ID, wildcardData{Principal: want, EXCH: p.Topo.Newest() >= model.V2013}),
		})
	}
})
