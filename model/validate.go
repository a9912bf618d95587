package model

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Ref names the place in an inventory a problem is about: an entity of a
// kind ("servers", "mailboxes", …) by its name, an optional field path
// ("owa.external_url"), and an optional element of a list field.
type Ref struct {
	Kind  string // top-level table: "organization", "servers", "mailboxes", …
	Name  string // the entity's name (fqdn for namespaces, thumbprint for certificates)
	Field string // dotted field path, "" for the entity itself
	Elem  int    // element of a list field, -1 for none
	// Row is the entity's index in its slice; loaders use it to find
	// positions without a name map (mailboxes from CSV).
	Row int
}

// Problem is one thing wrong with an inventory.
type Problem struct {
	Ref     Ref
	Message string
}

// Problems collects validation problems.
type Problems []Problem

func (ps *Problems) add(ref Ref, format string, args ...any) {
	*ps = append(*ps, Problem{Ref: ref, Message: fmt.Sprintf(format, args...)})
}

// Server roles recognised in the inventory (Get-ExchangeServer ServerRole).
var knownRoles = map[string]bool{
	"mailbox": true, "clientaccess": true, "hubtransport": true, "unifiedmessaging": true,
	"edge": true, "edgetransport": true, "frontendtransport": true,
}

var knownAuth = map[string]bool{
	"basic": true, "ntlm": true, "negotiate": true, "kerberos": true, "fba": true,
	"forms": true, "oauth": true, "windowsintegrated": true, "digest": true,
	"liveid": true, "adfs": true, "wssecurity": true, "certificate": true, "none": true,
}

// Validate checks inv and returns every problem found. It also resolves
// each server's build into Server.Parsed. Problems come in inventory order;
// callers sort them by position.
func (inv *Inventory) Validate() Problems {
	var ps Problems
	x := NewIndex(inv)
	inv.validateOrg(&ps, x)
	inv.validateReport(&ps)
	checkDuplicates(&ps, "sites", len(inv.Sites), func(i int) string { return inv.Sites[i].Name }, "name")
	for i, s := range inv.Sites {
		if strings.TrimSpace(s.Name) == "" {
			ps.add(Ref{Kind: "sites", Row: i, Elem: -1}, "site has no name")
		}
	}
	inv.validateNamespaces(&ps, x)
	inv.validateLoadBalancers(&ps, x)
	inv.validateServers(&ps, x)
	inv.validateProviders(&ps)
	inv.validateCertificates(&ps, x)
	inv.validateDatabases(&ps, x)
	inv.validateOABs(&ps, x)
	inv.validateProfiles(&ps)
	inv.validateMailboxes(&ps, x)
	return ps
}

var singular = map[string]string{
	"sites": "site", "namespaces": "namespace", "load_balancers": "load balancer", "servers": "server",
	"outlook_providers": "Outlook provider", "certificates": "certificate", "databases": "database",
	"offline_address_books": "offline address book", "client_profiles": "client profile", "mailboxes": "mailbox",
}

func checkDuplicates(ps *Problems, kind string, n int, name func(int) string, field string) {
	seen := make(map[string]int, n)
	for i := 0; i < n; i++ {
		nm := name(i)
		if nm == "" {
			continue
		}
		k := Key(nm)
		if j, ok := seen[k]; ok {
			first := name(j)
			how := ""
			switch {
			case first == nm:
			case strings.EqualFold(first, nm):
				how = " (names differ only by case; Exchange names are case-insensitive)"
			default:
				how = " (the names differ only in case, spacing, character width or Unicode form, or by invisible characters: they look alike)"
			}
			ps.add(Ref{Kind: kind, Name: nm, Field: field, Row: i, Elem: -1},
				"duplicate %s %q: already defined as %q%s", singular[kind], nm, first, how)
			continue
		}
		seen[k] = i
	}
}

func (inv *Inventory) validateOrg(ps *Problems, x *Index) {
	o := inv.Organization
	ref := func(f string) Ref { return Ref{Kind: "organization", Field: f, Elem: -1} }
	if strings.TrimSpace(o.Name) == "" {
		ps.add(ref(""), "organization.name is missing")
	}
	if o.CutoverDate != "" {
		if _, err := ParseDate(o.CutoverDate); err != nil {
			ps.add(ref("cutover_date"), "%v", err)
		}
	}
	if o.AsOf != "" {
		if _, err := ParseDate(o.AsOf); err != nil {
			ps.add(ref("as_of"), "%v", err)
		}
	}
	switch o.TLSGoal {
	case "", TLSGoalEnable12, TLSGoalDisableLegacy:
	default:
		ps.add(ref("tls_goal"), "tls_goal %q: want %q or %q", o.TLSGoal, TLSGoalEnable12, TLSGoalDisableLegacy)
	}
	if o.PrimaryNamespace != "" && x.Namespace(o.PrimaryNamespace) == nil {
		ps.add(ref("primary_namespace"), "primary_namespace %q is not a declared namespace", o.PrimaryNamespace)
	}
}

func (inv *Inventory) validateReport(ps *Problems) {
	r := inv.Report
	if _, ok := ParseDocStatus(r.Status); !ok {
		ps.add(Ref{Kind: "report", Field: "status", Elem: -1}, "report.status %q: want %s", r.Status, quotedOr(DocStatuses))
	}
	for i, a := range r.Approvers {
		if strings.TrimSpace(a) == "" {
			ps.add(Ref{Kind: "report", Field: "approvers", Elem: i}, "report.approvers: approver %d is empty (leave the list out for blank lines to fill in)", i+1)
		}
	}
}

// quotedOr is `"a", "b" or "c"`.
func quotedOr(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// TLS goals of the organisation.
const (
	TLSGoalEnable12      = "enable-1.2"
	TLSGoalDisableLegacy = "disable-legacy"
)

func (inv *Inventory) validateNamespaces(ps *Problems, x *Index) {
	checkDuplicates(ps, "namespaces", len(inv.Namespaces), func(i int) string { return inv.Namespaces[i].FQDN }, "fqdn")
	for i, ns := range inv.Namespaces {
		r := Ref{Kind: "namespaces", Name: ns.FQDN, Row: i, Elem: -1}
		if err := CheckFQDN(ns.FQDN); err != nil {
			r.Field = "fqdn"
			ps.add(r, "namespace %v", err)
			r.Field = ""
		}
		if len(ns.Internal) == 0 && len(ns.External) == 0 {
			ps.add(r, "namespace %q resolves nowhere: give internal and/or external targets", ns.FQDN)
		}
		for _, loc := range []struct {
			field   string
			targets []string
		}{{"internal", ns.Internal}, {"external", ns.External}} {
			for j, t := range loc.targets {
				if x.Server(t) == nil && x.LoadBalancer(t) == nil {
					ps.add(Ref{Kind: "namespaces", Name: ns.FQDN, Field: loc.field, Elem: j, Row: i},
						"namespace %q %s target %q is neither a server nor a load balancer", ns.FQDN, loc.field, t)
				}
			}
		}
	}
}

func (inv *Inventory) validateLoadBalancers(ps *Problems, x *Index) {
	checkDuplicates(ps, "load_balancers", len(inv.LoadBalancers), func(i int) string { return inv.LoadBalancers[i].Name }, "name")
	for i, lb := range inv.LoadBalancers {
		r := Ref{Kind: "load_balancers", Name: lb.Name, Row: i, Elem: -1}
		if lb.Name == "" {
			ps.add(r, "load balancer has no name")
		}
		if x.Server(lb.Name) != nil {
			ps.add(Ref{Kind: "load_balancers", Name: lb.Name, Field: "name", Row: i, Elem: -1}, "load balancer %q has the name of a server", lb.Name)
		}
		if len(lb.Members) == 0 {
			ps.add(r, "load balancer %q has no members", lb.Name)
		}
		for j, m := range lb.Members {
			if x.Server(m) == nil {
				ps.add(Ref{Kind: "load_balancers", Name: lb.Name, Field: "members", Elem: j, Row: i}, "load balancer %q member %q is not a declared server", lb.Name, m)
			}
		}
		for j, p := range lb.Paths {
			if !strings.HasPrefix(p, "/") {
				ps.add(Ref{Kind: "load_balancers", Name: lb.Name, Field: "paths", Elem: j, Row: i}, "load balancer path %q must start with /", p)
			}
		}
		if lb.Layer != 0 && lb.Layer != 4 && lb.Layer != 7 {
			ps.add(Ref{Kind: "load_balancers", Name: lb.Name, Field: "layer", Row: i, Elem: -1}, "load balancer layer %d: want 4 or 7", lb.Layer)
		}
	}
}

func (inv *Inventory) validateServers(ps *Problems, x *Index) {
	checkDuplicates(ps, "servers", len(inv.Servers), func(i int) string { return inv.Servers[i].Name }, "name")
	fqdns := map[string]string{}
	for i := range inv.Servers {
		s := &inv.Servers[i]
		ref := func(field string) Ref { return Ref{Kind: "servers", Name: s.Name, Field: field, Row: i, Elem: -1} }
		if strings.TrimSpace(s.Name) == "" {
			ps.add(ref(""), "server has no name")
		}
		if s.FQDN == "" {
			ps.add(ref(""), "server %q has no fqdn (front doors proxy to legacy servers by FQDN)", s.Name)
		} else if err := CheckFQDN(s.FQDN); err != nil {
			ps.add(ref("fqdn"), "server %v", err)
		} else if other, dup := fqdns[Key(s.FQDN)]; dup && Key(other) != Key(s.Name) {
			ps.add(ref("fqdn"), "server %q has the fqdn %q of server %q", s.Name, s.FQDN, other)
		} else {
			fqdns[Key(s.FQDN)] = s.Name
		}
		if s.Site == "" {
			ps.add(ref(""), "server %q has no site", s.Name)
		} else if !x.HasSite(s.Site) {
			ps.add(ref("site"), "server %q site %q is not a declared site", s.Name, s.Site)
		}
		s.Parsed = Build{}
		switch {
		case s.Build != "":
			b, err := ParseBuild(s.Build)
			if err != nil {
				ps.add(ref("build"), "%v", err)
				break
			}
			s.Parsed = b
			if s.Version != "" {
				if v, err := ParseBuild(s.Version); err != nil {
					ps.add(ref("version"), "%v", err)
				} else if v.Version() != b.Version() {
					ps.add(ref("version"), "version %q (Exchange %s) contradicts build %q (Exchange %s)", s.Version, v.Version(), s.Build, b.Version())
				}
			}
		case s.Version != "":
			b, err := ParseBuild(s.Version)
			if err != nil {
				ps.add(ref("version"), "%v", err)
				break
			}
			s.Parsed = b
		default:
			ps.add(ref(""), "server %q has neither version nor build", s.Name)
		}
		if len(s.Roles) == 0 {
			ps.add(ref(""), "server %q has no roles", s.Name)
		}
		for j, r := range s.Roles {
			if !knownRoles[Key(r)] {
				ps.add(Ref{Kind: "servers", Name: s.Name, Field: "roles", Elem: j, Row: i}, "unknown role %q: want Mailbox, ClientAccess, HubTransport, UnifiedMessaging or Edge", r)
			}
		}
		if s.AutoDiscoverServiceInternalURI != "" {
			if err := CheckURL(s.AutoDiscoverServiceInternalURI); err != nil {
				ps.add(ref("auto_discover_service_internal_uri"), "%v", err)
			}
		}
		switch Key(s.DefaultAppPoolIdentity) {
		case "", "applicationpoolidentity", "networkservice", "localsystem":
		default:
			ps.add(ref("default_app_pool_identity"), "default_app_pool_identity %q: want ApplicationPoolIdentity or NetworkService", s.DefaultAppPoolIdentity)
		}
		if s.DotNet != "" && !dotnetRe.MatchString(s.DotNet) {
			ps.add(ref("dotnet"), "dotnet %q: want a version such as 3.5.1 or 4.8", s.DotNet)
		}
		for j, kb := range s.InstalledUpdates {
			if !kbRe.MatchString(kb) {
				ps.add(Ref{Kind: "servers", Name: s.Name, Field: "installed_updates", Elem: j, Row: i}, "installed update %q: want KB followed by digits", kb)
			}
		}
		validateTLS(ps, ref, &s.TLS)
		validateOA(ps, ref, s)
		for _, vd := range s.VirtualDirs() {
			validateVdir(ps, ref, vd.Field, vd.Dir)
		}
		validatePopImap(ps, ref, "pop3", &s.POP3)
		validatePopImap(ps, ref, "imap4", &s.IMAP4)
	}
}

var (
	dotnetRe = regexp.MustCompile(`^\d+(\.\d+){0,3}$`)
	kbRe     = regexp.MustCompile(`(?i)^KB\d{5,8}$`)
)

// NamedVirtualDir is a server's virtual directory with its inventory field
// name ("owa", "eas", …).
type NamedVirtualDir struct {
	Field string
	Dir   *VirtualDir
}

// VirtualDirs lists the server's HTTP virtual directories in a fixed order.
func (s *Server) VirtualDirs() []NamedVirtualDir {
	return []NamedVirtualDir{
		{"autodiscover", &s.Autodiscover}, {"owa", &s.OWA}, {"ecp", &s.ECP}, {"eas", &s.EAS},
		{"ews", &s.EWS}, {"oab", &s.OAB}, {"mapi", &s.MAPI},
	}
}

func validateTLS(ps *Problems, ref func(string) Ref, t *TLSRegistry) {
	for _, v := range t.Values() {
		if v.Value == nil {
			continue
		}
		n := *v.Value
		if n != 0 && n != 1 && !(strings.HasSuffix(v.Field, "_enabled") && n == 0xffffffff) {
			ps.add(ref("tls."+v.Field), "tls.%s = %d: want 0 or 1", v.Field, n)
		}
	}
}

// TLSValue is one registry value of a TLSRegistry with its field name.
type TLSValue struct {
	Field string
	Value *int
}

// Values lists the registry values in a fixed order.
func (t *TLSRegistry) Values() []TLSValue {
	return []TLSValue{
		{"schannel_tls10_client_enabled", t.Schannel10ClientEnabled},
		{"schannel_tls10_client_disabled_by_default", t.Schannel10ClientDisabledByDefault},
		{"schannel_tls10_server_enabled", t.Schannel10ServerEnabled},
		{"schannel_tls10_server_disabled_by_default", t.Schannel10ServerDisabledByDefault},
		{"schannel_tls11_client_enabled", t.Schannel11ClientEnabled},
		{"schannel_tls11_client_disabled_by_default", t.Schannel11ClientDisabledByDefault},
		{"schannel_tls11_server_enabled", t.Schannel11ServerEnabled},
		{"schannel_tls11_server_disabled_by_default", t.Schannel11ServerDisabledByDefault},
		{"schannel_tls12_client_enabled", t.Schannel12ClientEnabled},
		{"schannel_tls12_client_disabled_by_default", t.Schannel12ClientDisabledByDefault},
		{"schannel_tls12_server_enabled", t.Schannel12ServerEnabled},
		{"schannel_tls12_server_disabled_by_default", t.Schannel12ServerDisabledByDefault},
		{"schannel_tls13_client_enabled", t.Schannel13ClientEnabled},
		{"schannel_tls13_client_disabled_by_default", t.Schannel13ClientDisabledByDefault},
		{"schannel_tls13_server_enabled", t.Schannel13ServerEnabled},
		{"schannel_tls13_server_disabled_by_default", t.Schannel13ServerDisabledByDefault},
		{"net2_system_default_tls_versions", t.Net2SystemDefaultTLSVersions},
		{"net2_sch_use_strong_crypto", t.Net2SchUseStrongCrypto},
		{"net4_system_default_tls_versions", t.Net4SystemDefaultTLSVersions},
		{"net4_sch_use_strong_crypto", t.Net4SchUseStrongCrypto},
		{"net2_wow6432_system_default_tls_versions", t.Net2WowSystemDefaultTLSVersions},
		{"net2_wow6432_sch_use_strong_crypto", t.Net2WowSchUseStrongCrypto},
		{"net4_wow6432_system_default_tls_versions", t.Net4WowSystemDefaultTLSVersions},
		{"net4_wow6432_sch_use_strong_crypto", t.Net4WowSchUseStrongCrypto},
	}
}

func validateOA(ps *Problems, ref func(string) Ref, s *Server) {
	oa := &s.OutlookAnywhere
	if oa.Enabled && oa.ExternalHostname == "" && oa.InternalHostname == "" {
		ps.add(ref("outlook_anywhere.enabled"), "server %q has Outlook Anywhere enabled without external_hostname or internal_hostname", s.Name)
	}
	for _, h := range []struct{ field, v string }{{"external_hostname", oa.ExternalHostname}, {"internal_hostname", oa.InternalHostname}} {
		if h.v != "" {
			if err := CheckFQDN(h.v); err != nil {
				ps.add(ref("outlook_anywhere."+h.field), "outlook_anywhere.%s: %v", h.field, err)
			}
		}
	}
	for _, m := range []struct{ field, v string }{
		{"client_authentication_method", oa.ClientAuthenticationMethod},
		{"external_client_authentication_method", oa.ExternalClientAuthenticationMethod},
		{"internal_client_authentication_method", oa.InternalClientAuthenticationMethod},
	} {
		switch Key(m.v) {
		case "", "basic", "ntlm", "negotiate", "negoex":
		default:
			ps.add(ref("outlook_anywhere."+m.field), "outlook_anywhere.%s %q: want Basic, NTLM or Negotiate", m.field, m.v)
		}
	}
	for j, a := range oa.IISAuthenticationMethods {
		if !knownAuth[Key(a)] {
			r := ref("outlook_anywhere.iis_authentication_methods")
			r.Elem = j
			ps.add(r, "unknown authentication method %q", a)
		}
	}
}

func validateVdir(ps *Problems, ref func(string) Ref, name string, vd *VirtualDir) {
	for _, u := range []struct{ field, v string }{{"internal_url", vd.InternalURL}, {"external_url", vd.ExternalURL}} {
		if u.v != "" {
			if err := CheckURL(u.v); err != nil {
				ps.add(ref(name+"."+u.field), "%s.%s: %v", name, u.field, err)
			}
		}
	}
	for j, a := range vd.Authentication {
		if !knownAuth[Key(a)] {
			r := ref(name + ".authentication")
			r.Elem = j
			ps.add(r, "unknown authentication method %q", a)
		}
	}
	for _, rt := range []struct{ field, v string }{{"legacy_redirect_type", vd.LegacyRedirectType}, {"cross_site_redirect_type", vd.CrossSiteRedirectType}} {
		switch Key(rt.v) {
		case "", "silent", "manual":
		default:
			ps.add(ref(name+"."+rt.field), "%s.%s %q: want Silent or Manual", name, rt.field, rt.v)
		}
	}
}

func validatePopImap(ps *Problems, ref func(string) Ref, name string, p *PopImap) {
	for _, set := range []struct {
		field string
		v     []string
	}{{"internal_connection_settings", p.InternalConnectionSettings}, {"external_connection_settings", p.ExternalConnectionSettings}} {
		for j, cs := range set.v {
			if _, err := ParseConnectionSetting(cs); err != nil {
				r := ref(name + "." + set.field)
				r.Elem = j
				ps.add(r, "%s.%s: %v", name, set.field, err)
			}
		}
	}
}

// ConnectionSetting is a POP3/IMAP4 "host:port:encryption" entry.
type ConnectionSetting struct {
	Host       string
	Port       int
	Encryption string // "SSL", "TLS" or "" (plain text)
}

// ParseConnectionSetting parses "host:port:SSL|TLS" or "host:port".
func ParseConnectionSetting(s string) (ConnectionSetting, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return ConnectionSetting{}, fmt.Errorf("connection setting %q: want host:port:SSL|TLS", s)
	}
	port, err := strconv.Atoi(parts[1])
	if err != nil || port <= 0 || port > 65535 {
		return ConnectionSetting{}, fmt.Errorf("connection setting %q: bad port %q", s, parts[1])
	}
	cs := ConnectionSetting{Host: parts[0], Port: port}
	if len(parts) == 3 {
		switch strings.ToUpper(parts[2]) {
		case "SSL", "TLS":
			cs.Encryption = strings.ToUpper(parts[2])
		case "", "NONE":
		default:
			return ConnectionSetting{}, fmt.Errorf("connection setting %q: encryption %q: want SSL or TLS", s, parts[2])
		}
	}
	if cs.Host == "" {
		return ConnectionSetting{}, fmt.Errorf("connection setting %q: missing host", s)
	}
	return cs, nil
}

func (inv *Inventory) validateProviders(ps *Problems) {
	checkDuplicates(ps, "outlook_providers", len(inv.OutlookProviders), func(i int) string { return inv.OutlookProviders[i].Name }, "name")
	for i, p := range inv.OutlookProviders {
		ref := func(f string) Ref { return Ref{Kind: "outlook_providers", Name: p.Name, Field: f, Row: i, Elem: -1} }
		switch strings.ToUpper(p.Name) {
		case "EXPR", "EXCH", "WEB", "EXHTTP":
		default:
			ps.add(ref("name"), "outlook provider %q: want EXPR, EXCH or WEB", p.Name)
		}
		if p.CertPrincipalName != "" && !strings.HasPrefix(strings.ToLower(p.CertPrincipalName), "msstd:") {
			ps.add(ref("cert_principal_name"), "cert_principal_name %q: want msstd:<name>", p.CertPrincipalName)
		}
		if p.Server != "" {
			if err := CheckFQDN(p.Server); err != nil {
				ps.add(ref("server"), "outlook provider server: %v", err)
			}
		}
	}
}

var hexRe = regexp.MustCompile(`^[0-9A-Fa-f]+$`)

func (inv *Inventory) validateCertificates(ps *Problems, x *Index) {
	checkDuplicates(ps, "certificates", len(inv.Certificates), func(i int) string { return inv.Certificates[i].Thumbprint }, "thumbprint")
	for i, c := range inv.Certificates {
		ref := func(f string) Ref { return Ref{Kind: "certificates", Name: c.Thumbprint, Field: f, Row: i, Elem: -1} }
		if c.Thumbprint == "" {
			ps.add(ref(""), "certificate has no thumbprint")
		} else if !hexRe.MatchString(c.Thumbprint) {
			ps.add(ref("thumbprint"), "thumbprint %q: want hexadecimal digits", c.Thumbprint)
		}
		if c.NotAfter == "" {
			ps.add(ref(""), "certificate %s has no not_after date", c.Thumbprint)
		} else if _, err := ParseDate(c.NotAfter); err != nil {
			ps.add(ref("not_after"), "%v", err)
		}
		if len(c.SANs) == 0 && c.Subject == "" {
			ps.add(ref(""), "certificate %s has neither subject nor sans", c.Thumbprint)
		}
		for j, san := range c.SANs {
			if err := CheckFQDN(strings.TrimPrefix(san, "*.")); err != nil {
				r := ref("sans")
				r.Elem = j
				ps.add(r, "san %v", err)
			}
		}
		for j, s := range c.Servers {
			if x.Server(s) == nil {
				r := ref("servers")
				r.Elem = j
				ps.add(r, "certificate server %q is not a declared server", s)
			}
		}
	}
}

func (inv *Inventory) validateDatabases(ps *Problems, x *Index) {
	checkDuplicates(ps, "databases", len(inv.Databases), func(i int) string { return inv.Databases[i].Name }, "name")
	for i, d := range inv.Databases {
		ref := func(f string) Ref { return Ref{Kind: "databases", Name: d.Name, Field: f, Row: i, Elem: -1} }
		if d.Name == "" {
			ps.add(ref(""), "database has no name")
		}
		if d.Server == "" {
			ps.add(ref(""), "database %q has no server", d.Name)
		} else if s := x.Server(d.Server); s == nil {
			ps.add(ref("server"), "database %q server %q is not a declared server", d.Name, d.Server)
		} else if !s.HasRole("Mailbox") {
			ps.add(ref("server"), "database %q is on server %q, which does not have the Mailbox role", d.Name, d.Server)
		}
		if d.RPCClientAccessServer != "" {
			if err := CheckFQDN(d.RPCClientAccessServer); err != nil {
				ps.add(ref("rpc_client_access_server"), "rpc_client_access_server %v", err)
			}
		}
		if d.OfflineAddressBook != "" && len(inv.OfflineABs) > 0 && x.OfflineAB(d.OfflineAddressBook) == nil {
			ps.add(ref("offline_address_book"), "database %q offline_address_book %q is not a declared offline address book", d.Name, d.OfflineAddressBook)
		}
	}
}

func (inv *Inventory) validateOABs(ps *Problems, x *Index) {
	checkDuplicates(ps, "offline_address_books", len(inv.OfflineABs), func(i int) string { return inv.OfflineABs[i].Name }, "name")
	for i, o := range inv.OfflineABs {
		for j, s := range o.GenerationServers {
			if x.Server(s) == nil {
				ps.add(Ref{Kind: "offline_address_books", Name: o.Name, Field: "generation_servers", Elem: j, Row: i}, "offline address book %q generation server %q is not a declared server", o.Name, s)
			}
		}
	}
}

func (inv *Inventory) validateProfiles(ps *Problems) {
	checkDuplicates(ps, "client_profiles", len(inv.ClientProfiles), func(i int) string { return inv.ClientProfiles[i].Name }, "name")
	for i, p := range inv.ClientProfiles {
		ref := func(f string) Ref { return Ref{Kind: "client_profiles", Name: p.Name, Field: f, Row: i, Elem: -1} }
		if p.Name == "" {
			ps.add(ref(""), "client profile has no name")
		}
		if p.Outlook != "" {
			if _, err := ParseOutlook(p.Outlook); err != nil {
				ps.add(ref("outlook"), "%v", err)
			}
		}
		if l := p.LMCompatibilityLevel; l != nil && (*l < 0 || *l > 5) {
			ps.add(ref("lm_compatibility_level"), "lm_compatibility_level %d: want 0 to 5 (LmCompatibilityLevel)", *l)
		}
		switch strings.ToLower(p.PopImapChannel) {
		case "", ChannelEncrypted, ChannelPlaintext:
		default:
			ps.add(ref("pop_imap_channel"), "pop_imap_channel %q: want %q or %q", p.PopImapChannel, ChannelEncrypted, ChannelPlaintext)
		}
		for j, kb := range p.InstalledUpdates {
			if !kbRe.MatchString(kb) {
				r := ref("installed_updates")
				r.Elem = j
				ps.add(r, "installed update %q: want KB followed by digits", kb)
			}
		}
	}
}

func (inv *Inventory) validateMailboxes(ps *Problems, x *Index) {
	checkDuplicates(ps, "mailboxes", len(inv.Mailboxes), func(i int) string { return inv.Mailboxes[i].Name }, "name")
	for i := range inv.Mailboxes {
		m := &inv.Mailboxes[i]
		ref := func(f string) Ref { return Ref{Kind: "mailboxes", Name: m.Name, Field: f, Row: i, Elem: -1} }
		if m.Name == "" {
			ps.add(ref("name"), "mailbox has no name")
		}
		if m.Database == "" {
			ps.add(ref("database"), "mailbox %q has no database", m.Name)
		} else if x.Database(m.Database) == nil {
			ps.add(ref("database"), "mailbox %q database %q is not a declared database", m.Name, m.Database)
		}
		if m.ClientProfile != "" && x.Profile(m.ClientProfile) == nil {
			ps.add(ref("client_profile"), "mailbox %q client_profile %q is not a declared client profile", m.Name, m.ClientProfile)
		}
		if m.Namespace != "" && x.Namespace(m.Namespace) == nil {
			ps.add(ref("namespace"), "mailbox %q namespace %q is not a declared namespace", m.Name, m.Namespace)
		}
		for j, u := range m.FullAccess {
			if x.Mailbox(u) == nil {
				r := ref("full_access")
				r.Elem = j
				ps.add(r, "mailbox %q full_access user %q is not a declared mailbox", m.Name, u)
			}
		}
	}
}

// HasRole reports whether the server has the role (case-insensitive).
// Exchange 2013+ Mailbox servers also run the Client Access (front end)
// services; HasRole("ClientAccess") is true for them.
func (s *Server) HasRole(role string) bool {
	want := Key(role)
	for _, r := range s.Roles {
		if Key(r) == want {
			return true
		}
	}
	if want == "clientaccess" && s.Parsed.Version() >= V2016 {
		return s.HasRole("Mailbox")
	}
	return false
}

var fqdnLabel = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$`)

// CheckFQDN checks that s is a syntactically valid DNS host name.
func CheckFQDN(s string) error {
	if s == "" {
		return fmt.Errorf("fqdn is empty")
	}
	if len(s) > 253 {
		return fmt.Errorf("fqdn %.40q… is longer than 253 characters", s)
	}
	labels := strings.Split(strings.TrimSuffix(s, "."), ".")
	if len(labels) < 2 {
		return fmt.Errorf("%q is not a fully qualified domain name (want host.domain)", s)
	}
	for _, l := range labels {
		if !fqdnLabel.MatchString(l) {
			return fmt.Errorf("%q is not a valid host name (label %q)", s, l)
		}
	}
	return nil
}

// CheckURL checks that s is an absolute http(s) URL with a valid host.
func CheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", s)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("%q: scheme must be https", s)
	}
	if err := CheckFQDN(u.Hostname()); err != nil {
		return fmt.Errorf("url %q: %v", s, err)
	}
	return nil
}

// URLHost returns the lower-case host of a URL, or "" when it has none.
func URLHost(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// ParseDate parses a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}
