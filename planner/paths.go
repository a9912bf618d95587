package planner

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// vdirPath is the URL path a protocol uses behind a load balancer.
var vdirPath = map[string]string{
	"autodiscover": "/autodiscover", "outlook-anywhere": "/rpc", "mapi-http": "/mapi",
	"owa": "/owa", "ecp": "/ecp", "eas": "/microsoft-server-activesync", "ews": "/ews", "oab": "/oab",
}

// cohortCtx is what every path of a cohort shares.
type cohortCtx struct {
	p       *Pass
	c       *Cohort
	mbx     *model.Server // holds the active copy of the cohort's database
	db      *model.Database
	vm      model.Version
	site    string
	prof    *model.ClientProfile
	outlook model.Outlook
	// secondary is set while computing a Full Access path.
	secondary string
	// entry overrides the host a user types (OWA, ECP, EAS, POP, IMAP).
	entry string
}

// typedProtocols start at a name the user types or configures rather than
// one Autodiscover hands out.
var typedProtocols = []string{"owa", "ecp", "eas", "pop3", "imap4"}

// computePaths fills c.Paths for every protocol and location, plus the
// outlook-anywhere paths of each secondary mailbox.
//
// A path depends on the cohort's database, client profile and namespace
// (and, for a secondary mailbox, its database), not on the other Full
// Access mailboxes: cohorts that differ only in those share their paths,
// computed once (a million users form ~10,000 cohorts but far fewer
// routes). Shared paths share their slices, so they are read-only.
func computePaths(p *Pass, c *Cohort) {
	own := pathsKey{c.Database, c.Profile, c.Namespace, ""}
	if p.paths == nil {
		p.paths = map[pathsKey][]Path{}
	}
	cx := &cohortCtx{p: p, c: c, prof: p.X.Profile(c.Profile)}
	cx.outlook = model.Outlook{Year: 2016}
	if cx.prof != nil && cx.prof.Outlook != "" {
		if o, err := model.ParseOutlook(cx.prof.Outlook); err == nil {
			cx.outlook = o
		}
	}
	cx.setMailbox(c.Database)
	paths, ok := p.paths[own]
	if !ok {
		paths = cx.ownPaths()
		p.paths[own] = paths
	}
	c.Paths = append(c.Paths[:0:0], paths...)
	for _, db := range c.Secondary {
		k := own
		k.secondary = db
		paths, ok := p.paths[k]
		if !ok {
			paths = cx.secondaryPaths(db)
			p.paths[k] = paths
		}
		c.Paths = append(c.Paths, paths...)
	}
}

// pathsKey is what a cohort's paths depend on (computePaths).
type pathsKey struct{ database, profile, namespace, secondary string }

// ownPaths computes the paths to the cohort's own mailbox.
func (cx *cohortCtx) ownPaths() []Path {
	p, c := cx.p, cx.c
	var out []Path
	for _, proto := range Protocols {
		for _, loc := range Locations {
			out = append(out, cx.path(proto, loc))
		}
	}
	// A user whose clients use a non-primary namespace may still type the
	// primary name: show those entries too (scenario S1, Orange).
	if c.Namespace != "" && !strings.EqualFold(c.Namespace, p.Topo.Primary) {
		for _, proto := range typedProtocols {
			for _, loc := range Locations {
				ex := *cx
				ex.entry = p.Topo.Primary
				pa := ex.path(proto, loc)
				pa.Entry = p.Topo.Primary
				pa.Notes = append([]string{fmt.Sprintf("If the user enters the organisation's primary name %s instead of %s.", p.Topo.Primary, strings.ToLower(c.Namespace))}, pa.Notes...)
				out = append(out, pa)
			}
		}
	}
	return clipPaths(out)
}

// secondaryPaths computes the outlook-anywhere paths to a Full Access
// mailbox in database db.
func (cx *cohortCtx) secondaryPaths(db string) []Path {
	sx := *cx
	sx.secondary = db
	sx.setMailbox(db)
	var out []Path
	for _, loc := range Locations {
		pa := sx.path("outlook-anywhere", loc)
		pa.Secondary = db
		pa.Rules = addID(pa.Rules, ruleSecondary.ID)
		pa.Notes = append([]string{fmt.Sprintf("Secondary mailbox in %s (Full Access): Outlook opens it over Outlook Anywhere as its own connection, whatever the primary uses. %s", db, ruleSecondary.Tag())}, pa.Notes...)
		out = append(out, pa)
	}
	return clipPaths(out)
}

// clipPaths trims the capacity of each path's slices, so an append to a
// shared path's copy never writes into another cohort's.
func clipPaths(paths []Path) []Path {
	for i := range paths {
		pa := &paths[i]
		pa.Hops, pa.Notes = slices.Clip(pa.Hops), slices.Clip(pa.Notes)
		pa.Findings, pa.Rules = slices.Clip(pa.Findings), slices.Clip(pa.Rules)
	}
	return paths
}

func (cx *cohortCtx) setMailbox(dbName string) {
	cx.db = cx.p.X.Database(dbName)
	cx.mbx, cx.vm, cx.site = nil, 0, ""
	if cx.db != nil {
		cx.mbx = cx.p.Topo.Server(cx.db.Server)
	}
	if cx.mbx != nil {
		cx.vm = cx.mbx.Parsed.Version()
		cx.site = cx.p.Topo.siteName(cx.mbx.Site)
	}
}

// pathBuilder accumulates one path.
type pathBuilder struct {
	cx   *cohortCtx
	path Path
}

func (b *pathBuilder) hop(from, to, host, action, auth string) {
	b.path.Hops = append(b.path.Hops, Hop{From: from, To: to, Host: strings.ToLower(host), Action: action, Auth: auth})
}

// note adds an explanation citing rule r.
func (b *pathBuilder) note(r *Rule, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if r != nil {
		msg += " " + r.Tag()
		b.path.Rules = addID(b.path.Rules, r.ID)
	}
	b.path.Notes = append(b.path.Notes, msg)
}

// flag records rule id as a problem of the path (and a rule it cites).
func (b *pathBuilder) flag(id string) {
	b.path.Findings = addID(b.path.Findings, id)
	b.path.Rules = addID(b.path.Rules, id)
}

func (b *pathBuilder) warn(r *Rule, format string, args ...any) {
	b.note(r, format, args...)
	if r != nil {
		b.flag(r.ID)
	}
	if b.path.Outcome == OutcomeOK {
		b.path.Outcome = OutcomeWarning
	}
}

func (b *pathBuilder) broken(r *Rule, format string, args ...any) {
	b.note(r, format, args...)
	if r != nil {
		b.flag(r.ID)
	}
	b.path.Outcome = OutcomeBroken
}

func (b *pathBuilder) na(r *Rule, format string, args ...any) {
	b.note(r, format, args...)
	b.path.Outcome = OutcomeNotApplicable
}

func addID(ids []string, id string) []string {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	ids = append(ids, id)
	sort.Strings(ids)
	return ids
}

// path computes one protocol × location path for the cohort.
func (cx *cohortCtx) path(proto, loc string) Path {
	b := &pathBuilder{cx: cx, path: Path{Protocol: proto, Location: loc, Outcome: OutcomeOK, Hops: []Hop{}, Notes: []string{}, Findings: []string{}, Rules: []string{}}}
	b.path.Mailbox = cx.c.Mailbox
	if cx.secondary != "" && cx.db != nil {
		b.path.Mailbox = mailboxRef(cx.p.Topo, cx.db)
	}
	if cx.mbx == nil {
		b.broken(nil, "The mailbox database or its server is unknown.")
		return b.path
	}
	if !cx.applicable(b, proto, loc) {
		return b.path
	}
	if proto == "rpc-tcp" {
		cx.rpcTCP(b)
		return b.path
	}
	host, handed := cx.entryHost(b, proto, loc)
	if host == "" {
		return b.path
	}
	fd, lb, ok := cx.frontDoor(b, proto, loc, host)
	if !ok {
		return b.path
	}
	action := ActConnect
	if handed && !strings.EqualFold(host, cx.p.Topo.Primary) {
		action = ActDirect
	}
	auth, refused := cx.clientAuth(b, proto, loc, fd)
	b.enter(lb, fd, host, action, auth, refused)
	if refused != "" {
		return b.path // the front door refused the client: nothing is proxied
	}
	cx.route(b, proto, loc, fd, host)
	return b.path
}

// enter adds the client's first hop to the front door fd, through the load
// balancer lb when the host resolves to one: the client connects to the
// load balancer, which hands the connection (and the client's
// authentication) to fd.
// refused, when set, is what fd's virtual directory accepts instead.
func (b *pathBuilder) enter(lb *model.LoadBalancer, fd *model.Server, host, action, auth, refused string) {
	from := "client"
	if lb != nil {
		b.hop(from, lb.Name, host, action, auth)
		from, host, action = lb.Name, fd.FQDN, ActBalance
	}
	b.hop(from, fd.Name, host, action, auth)
	b.path.Hops[len(b.path.Hops)-1].Refused = refused
}

// applicable decides protocols that do not apply to this mailbox, client
// or location.
func (cx *cohortCtx) applicable(b *pathBuilder, proto, loc string) bool {
	if cx.outlook.Year > 0 && cx.outlook.Year < 2007 {
		switch proto {
		case "autodiscover":
			b.na(ruleOutlook2003NA, "%s has no Autodiscover: the profile is configured by hand (server name, Outlook Anywhere proxy settings).", cx.outlook)
			return false
		case "ews":
			b.na(ruleOutlook2003NA, "%s does not use Exchange Web Services (free/busy and out-of-office go through public folders and MAPI).", cx.outlook)
			return false
		case "oab":
			b.na(ruleOutlook2003NA, "%s does not download the OAB over HTTP: it reads the OAB from public folders (keep PublicFolderDistributionEnabled on the OAB until it is upgraded).", cx.outlook)
			return false
		}
	}
	switch proto {
	case "mapi-http":
		switch {
		case cx.vm < model.V2013:
			b.na(ruleMapiLegacy, "MAPI/HTTP is not available to Exchange %s mailboxes; Outlook uses Outlook Anywhere or RPC/TCP.", cx.vm)
			return false
		case !cx.p.Topo.MapiHTTPEnabled():
			b.na(ruleMapiClient, "MAPI/HTTP is disabled for the organisation (MapiHttpEnabled $false, or the default while a 2013 server exists); Outlook uses Outlook Anywhere.")
			return false
		case !cx.mapiCapable():
			b.na(ruleMapiClient, "%s cannot use MAPI/HTTP (needs Outlook 2013 SP1+, or 2010 SP2 with KB2956191 and KB2965295); it stays on Outlook Anywhere.", cx.outlook)
			return false
		}
	case "rpc-tcp":
		if loc == "external" {
			b.na(nil, "RPC/TCP is only used inside the network.")
			return false
		}
		if cx.vm >= model.V2013 {
			b.na(ruleRPCArray, "Exchange %s mailboxes have no RPC/TCP access; Outlook uses MAPI/HTTP or Outlook Anywhere.", cx.vm)
			return false
		}
	case "outlook-anywhere":
		if loc == "internal" && cx.vm <= model.V2010 && cx.secondary == "" {
			r := ruleRPCArray
			if cx.vm == model.V2007 {
				r = ruleRPC2007 // the 2010 RPC Client Access rule is not cited for a 2007 mailbox
			}
			b.na(r, "Inside the network Outlook reaches an Exchange %s mailbox over RPC/TCP (see rpc-tcp); Outlook Anywhere is used from outside.", cx.vm)
			return false
		}
	case "ecp":
		if cx.vm == model.V2007 {
			b.na(ruleECP2007, "Exchange 2007 has no ECP; users manage options in OWA.")
			return false
		}
	}
	return true
}

func (cx *cohortCtx) mapiCapable() bool {
	o := cx.outlook
	if o.AtLeast(2013, 1) {
		return true
	}
	if o.Year == 2010 && o.SP >= 2 && cx.prof != nil &&
		model.HasUpdate(cx.prof.InstalledUpdates, "KB2956191") && model.HasUpdate(cx.prof.InstalledUpdates, "KB2965295") {
		return true
	}
	return false
}

// entryHost returns the host the client starts at and whether Autodiscover
// handed it to the client (as opposed to typed or configured by the user).
func (cx *cohortCtx) entryHost(b *pathBuilder, proto, loc string) (string, bool) {
	t := cx.p.Topo
	switch proto {
	case "autodiscover":
		if loc == "external" {
			name := "autodiscover." + t.Domain
			if t.inv.Namespaces != nil && cx.p.X.Namespace(name) != nil {
				return name, false
			}
			b.note(nil, "No %s namespace: Outlook falls back to the primary namespace for Autodiscover.", name)
			return t.Primary, false
		}
		return cx.scpHost(b), false
	case "outlook-anywhere":
		return cx.oaHost(b, loc), true
	case "mapi-http":
		return cx.urlHost(b, proto, loc, cx.mbx, func(s *model.Server) *model.VirtualDir { return &s.MAPI }), true
	case "ews", "oab":
		get := func(s *model.Server) *model.VirtualDir { return &s.EWS }
		if proto == "oab" {
			get = func(s *model.Server) *model.VirtualDir { return &s.OAB }
		}
		return cx.urlHost(b, proto, loc, nil, get), true
	}
	// OWA, ECP, EAS, POP3, IMAP4: the name users type or devices are
	// configured with: the user's namespace, else the primary one.
	switch {
	case cx.entry != "":
		return cx.entry, false
	case cx.c.Namespace != "":
		return strings.ToLower(cx.c.Namespace), false
	}
	return t.Primary, false
}

// scpHost is the host of the Autodiscover SCP an internal Outlook finds:
// the AutoDiscoverServiceInternalUri of a CAS in the mailbox's site,
// preferring the newest version.
func (cx *cohortCtx) scpHost(b *pathBuilder) string {
	var best *model.Server
	for _, s := range cx.p.Topo.Servers() {
		if !s.HasRole("ClientAccess") || s.IsOutOfService {
			continue
		}
		inSite := strings.EqualFold(s.Site, cx.site)
		if best == nil {
			best = s
			continue
		}
		bestIn := strings.EqualFold(best.Site, cx.site)
		if inSite && !bestIn || inSite == bestIn && s.Parsed.Version() > best.Parsed.Version() {
			best = s
		}
	}
	if best == nil {
		return cx.p.Topo.Primary
	}
	if h := model.URLHost(best.AutoDiscoverServiceInternalURI); h != "" {
		b.note(nil, "Internal Outlook finds the Autodiscover SCP of %s: %s.", best.Name, best.AutoDiscoverServiceInternalURI)
		return h
	}
	b.note(nil, "SCP of %s is not set in the inventory; assuming its own FQDN.", best.Name)
	return best.FQDN
}

// oaHost is the Outlook Anywhere host Autodiscover hands the client: the
// EXPR provider's Server outside when set, else the profile's namespace when set, else the OA hostname of a CAS of the
// mailbox's version in its site, else of any CAS of that version, else
// the primary namespace.
func (cx *cohortCtx) oaHost(b *pathBuilder, loc string) string {
	if expr := cx.p.Topo.Provider("EXPR"); loc == "external" && expr != nil && expr.Server != "" {
		// aaronmarks-oa-2007-2010: "You can have Autodiscover point to a specific OA
		// proxy by editing the EXPR Outlook Provider": every user.
		b.note(ruleExprServer, "The EXPR Outlook provider's Server is %s: Autodiscover hands every Outlook Anywhere user that endpoint.", strings.ToLower(expr.Server))
		return strings.ToLower(expr.Server)
	}
	if cx.c.Namespace != "" && cx.secondary == "" {
		return strings.ToLower(cx.c.Namespace)
	}
	t := cx.p.Topo
	pick := func(ss []*model.Server) string {
		for _, s := range ss {
			oa := s.OutlookAnywhere
			if !oa.Enabled {
				continue
			}
			h := oa.ExternalHostname
			if loc == "internal" && oa.InternalHostname != "" {
				h = oa.InternalHostname
			}
			if h != "" {
				return strings.ToLower(h)
			}
		}
		return ""
	}
	if cx.vm >= model.V2013 {
		if h := pick([]*model.Server{cx.mbx}); h != "" {
			return h
		}
	}
	if h := pick(t.ClientAccess(cx.site, cx.vm, true)); h != "" {
		return h
	}
	var all []*model.Server
	for _, s := range t.Servers() {
		if sameGeneration(s.Parsed.Version(), cx.vm) && s.HasRole("ClientAccess") && !s.IsOutOfService {
			all = append(all, s)
		}
	}
	if h := pick(all); h != "" {
		return h
	}
	return t.Primary
}

// urlHost is the host of the URL Autodiscover returns for a web service:
// InternalUrl inside, ExternalUrl outside, from the mailbox's server (2013+)
// or a CAS of the mailbox's version in its site, else any Internet-facing
// CAS of that version; the primary namespace when none is set.
func (cx *cohortCtx) urlHost(b *pathBuilder, proto, loc string, prefer *model.Server, get func(*model.Server) *model.VirtualDir) string {
	t := cx.p.Topo
	url := func(s *model.Server) string {
		vd := get(s)
		if loc == "internal" {
			return vd.InternalURL
		}
		return vd.ExternalURL
	}
	var cands []*model.Server
	if prefer != nil {
		cands = append(cands, prefer)
	}
	if cx.vm >= model.V2013 {
		cands = append(cands, cx.mbx)
	}
	cands = append(cands, t.ClientAccess(cx.site, cx.vm, true)...)
	for _, s := range cands {
		if u := url(s); u != "" {
			return model.URLHost(u)
		}
	}
	// Mailbox site not Internet-facing for this protocol: Autodiscover
	// hands out an Internet-facing site's URL, preferring the primary name.
	var found string
	for _, s := range t.Servers() {
		if !sameGeneration(s.Parsed.Version(), cx.vm) || !s.HasRole("ClientAccess") || s.IsOutOfService {
			continue
		}
		if h := model.URLHost(url(s)); h != "" {
			if h == t.Primary {
				found = h
				break
			}
			if found == "" {
				found = h
			}
		}
	}
	if found != "" {
		b.note(nil, "The mailbox's site has no %s %sUrl; Autodiscover hands out %s from another site.", proto, strings.Title(loc), found)
		return found
	}
	return t.Primary
}

// frontDoor resolves host and picks the server that answers.
// lb is the load balancer the host resolves to, if any.
func (cx *cohortCtx) frontDoor(b *pathBuilder, proto, loc, host string) (*model.Server, *model.LoadBalancer, bool) {
	res, ok := cx.p.Topo.Resolve(host, loc)
	if !ok {
		b.broken(ruleResolve, "%s does not resolve for %s clients in the inventory's namespaces.", host, loc)
		return nil, nil, false
	}
	if res.LB != nil && proto != "pop3" && proto != "imap4" && len(res.LB.Paths) > 0 {
		want := vdirPath[proto]
		passes := false
		for _, p := range res.LB.Paths {
			if strings.EqualFold(strings.TrimSuffix(p, "/*"), want) || strings.EqualFold(strings.TrimSuffix(p, "/"), want) {
				passes = true
			}
		}
		if !passes {
			if proto == "mapi-http" {
				// blog-ex2016-coexist-ex2010: "ensure you have the correct firewall and load
				// balancer settings in place prior to moving mailboxes,
				// otherwise client connectivity will fail."
				b.flag("NS-MAPI-LB")
				b.broken(ruleLBPath, "Load balancer %s does not pass %s/* on 443: Outlook of a mailbox moved to Exchange %s is reconfigured for MAPI/HTTP and its connection fails (at best a slow fallback to Outlook Anywhere). Open /mapi before moving mailboxes (NS-MAPI-LB).", res.LB.Name, want, cx.vm)
				return nil, nil, false
			}
			b.broken(ruleLBPath, "Load balancer %s does not pass %s: the request never reaches Exchange.", res.LB.Name, want)
			return nil, nil, false
		}
	}
	var eligible []*model.Server
	for _, s := range res.Servers {
		if s.HasRole("ClientAccess") {
			eligible = append(eligible, s)
		}
	}
	if len(eligible) == 0 {
		b.broken(ruleResolve, "%s resolves to %s, which has no Client Access role.", host, serverNames(res.Servers))
		return nil, nil, false
	}
	fd := eligible[0]
	if len(eligible) > 1 {
		via := ""
		if res.LB != nil {
			via = " via load balancer " + res.LB.Name
		}
		b.note(nil, "%s resolves (%s) to %s%s; %s shown.", host, loc, serverNames(eligible), via, fd.Name)
	}
	for _, s := range eligible[1:] {
		if !sameGeneration(s.Parsed.Version(), fd.Parsed.Version()) {
			b.warn(nil, "%s mixes Exchange %s and %s servers behind one name: the path depends on which server answers.", host, fd.Parsed.Version(), s.Parsed.Version())
			break
		}
	}
	return fd, res.LB, true
}

func serverNames(ss []*model.Server) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// clientAuth is the authentication negotiated on the client's first hop,
// and what the front door accepts instead when it refuses the client's
// method (Outlook Anywhere: the method Autodiscover handed out against
// IIS /rpc; the web clients pick from what the virtual directory offers).
func (cx *cohortCtx) clientAuth(b *pathBuilder, proto, loc string, fd *model.Server) (string, string) {
	switch proto {
	case "owa", "ecp":
		return vdirAuth(proto, loc, vdirOf(fd, proto)), ""
	case "eas", "pop3", "imap4":
		return "basic", ""
	case "outlook-anywhere":
		return cx.oaClientHop(b, loc, fd)
	}
	return vdirAuth(proto, loc, vdirOf(fd, proto)), ""
}

func vdirOf(s *model.Server, proto string) *model.VirtualDir {
	switch proto {
	case "owa":
		return &s.OWA
	case "ecp":
		return &s.ECP
	case "eas":
		return &s.EAS
	case "ews":
		return &s.EWS
	case "oab":
		return &s.OAB
	case "mapi-http":
		return &s.MAPI
	case "autodiscover":
		return &s.Autodiscover
	}
	return &model.VirtualDir{}
}

// vdirAuth picks the method a client uses against a virtual directory:
// FBA for OWA/ECP when enabled; Negotiate inside and NTLM outside for the
// Outlook web services; Basic when that is all there is.
func vdirAuth(proto, loc string, vd *model.VirtualDir) string {
	has := func(m ...string) bool {
		for _, a := range vd.Authentication {
			for _, x := range m {
				if strings.EqualFold(a, x) {
					return true
				}
			}
		}
		return false
	}
	if proto == "owa" || proto == "ecp" {
		switch {
		case len(vd.Authentication) == 0 || has("fba", "forms"):
			return "fba"
		case has("negotiate", "windowsintegrated"):
			return "negotiate"
		case has("ntlm"):
			return "ntlm"
		case has("basic"):
			return "basic"
		}
		return "unspecified"
	}
	switch {
	case len(vd.Authentication) == 0:
		if loc == "internal" {
			return "negotiate"
		}
		return "ntlm"
	case loc == "internal" && has("negotiate", "windowsintegrated"):
		return "negotiate"
	case has("ntlm", "windowsintegrated"):
		return "ntlm"
	case has("negotiate"):
		return "negotiate"
	case has("oauth"):
		return "oauth"
	case has("basic"):
		return "basic"
	}
	return "unspecified"
}
