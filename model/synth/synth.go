// Package synth generates realistic synthetic inventories for benchmarks
// and demonstrations: sites (a hub, Internet-facing regional sites with
// their own namespace, sites that are not Internet-facing), legacy and new
// servers in plausible mixes, databases, client profiles, mailboxes and
// Full Access delegations. The same Config always gives the same
// inventory.
package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/coexist/coexist/model"
)

// MaxSites is the most sites Generate makes: with about 3.5 servers a
// site, 1,000 sites stay well inside an inventory's 64 MiB and 100,000
// entity limits.
const MaxSites = 1000

// Config describes the estate to generate.
type Config struct {
	Seed      uint64
	Mailboxes int
	// Sites is the number of AD sites, at most MaxSites (default: 1 per 20,000 mailboxes,
	// between 3 and 40).
	Sites int
	// Mix is the coexistence: "2010-2016" (default), "2007-2010",
	// "2010-2013", "2013-2016" or "2010-2019".
	Mix string
	// FullAccessPercent of mailboxes grant Full Access to another user
	// (default 1).
	FullAccessPercent float64
}

type mixInfo struct {
	legacyBuild, newBuild string
	newOS, legacyOS       string
	domain                string
}

var mixes = map[string]mixInfo{
	"2010-2016": {"14.3.513.0", "15.1.2507.6", "Windows Server 2016", "Windows Server 2008 R2 SP1", "contoso.com"},
	"2007-2010": {"8.3.517.0", "14.3.513.0", "Windows Server 2008 R2 SP1", "Windows Server 2008 SP2", "fabrikam.com"},
	"2010-2013": {"14.3.513.0", "15.0.1497.48", "Windows Server 2012 R2", "Windows Server 2008 R2 SP1", "tailspin.com"},
	"2013-2016": {"15.0.1497.48", "15.1.2507.6", "Windows Server 2016", "Windows Server 2012 R2", "litware.com"},
	"2010-2019": {"14.3.513.0", "15.2.1748.10", "Windows Server 2019", "Windows Server 2012 R2", "northwind.com"},
}

// Mixes lists the supported version mixes.
func Mixes() []string {
	return []string{"2010-2016", "2007-2010", "2010-2013", "2013-2016", "2010-2019"}
}

// Generate builds the inventory. It returns an error for an unknown mix
// or a negative size.
func Generate(c Config) (*model.Inventory, error) {
	if c.Mix == "" {
		c.Mix = "2010-2016"
	}
	mx, ok := mixes[c.Mix]
	if !ok {
		return nil, fmt.Errorf("unknown mix %q: want one of %v", c.Mix, Mixes())
	}
	if c.Mailboxes < 0 || c.Sites < 0 {
		return nil, fmt.Errorf("sizes must not be negative")
	}
	if c.Sites > MaxSites {
		return nil, fmt.Errorf("at most %d sites (about 3.5 servers each; more would exceed an inventory's limits)", MaxSites)
	}
	if !(c.FullAccessPercent >= 0 && c.FullAccessPercent <= 100) { // NaN fails both
		return nil, fmt.Errorf("the Full Access percentage must be between 0 and 100, got %v", c.FullAccessPercent)
	}
	if c.Sites == 0 {
		c.Sites = min(max(3, c.Mailboxes/20000), 40)
	}
	if c.FullAccessPercent == 0 {
		c.FullAccessPercent = 1
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x636f6578697374))
	g := &gen{c: c, mx: mx, rng: rng, inv: &model.Inventory{}}
	g.org()
	g.sites()
	g.profiles()
	g.mailboxes()
	return g.inv, nil
}

type gen struct {
	c   Config
	mx  mixInfo
	rng *rand.Rand
	inv *model.Inventory
	// dbs per site; regional[site] = regional namespace or "".
	dbs      [][]string
	regional []string
}

func (g *gen) fqdn(name string) string { return fmt.Sprintf("%s.%s", lower(name), g.mx.domain) }

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func (g *gen) org() {
	on := true
	g.inv.Organization = model.Organization{
		Name: "Synthetic " + g.mx.domain, AsOf: "2026-11-22", CutoverDate: "2027-06-30",
		SplitBrainDNS: true, TLSGoal: model.TLSGoalEnable12, PrimaryNamespace: "mail." + g.mx.domain,
	}
	if g.c.Mix == "2010-2016" || g.c.Mix == "2010-2019" {
		g.inv.Organization.MapiHTTPEnabled = &on
	}
}

func (g *gen) server(name, site, build, os string, roles ...string) *model.Server {
	one := 1
	g.inv.Servers = append(g.inv.Servers, model.Server{
		Name: name, FQDN: g.fqdn(name), Site: site, Build: build, Roles: roles, OS: os,
		InstalledUpdates: []string{"KB3161949", "KB3140410"}, DotNet: "4.8",
		TLS: model.TLSRegistry{Schannel12ClientEnabled: &one, Schannel12ServerEnabled: &one,
			Net2SystemDefaultTLSVersions: &one, Net4SystemDefaultTLSVersions: &one},
	})
	return &g.inv.Servers[len(g.inv.Servers)-1]
}

func url(host, path string) string { return "https://" + host + path }

func (g *gen) sites() {
	primary := "mail." + g.mx.domain
	legacyV := model.MustBuild(g.mx.legacyBuild).Version()
	g.dbs = make([][]string, g.c.Sites)
	g.regional = make([]string, g.c.Sites)
	var hubFront []string
	for si := 0; si < g.c.Sites; si++ {
		site := fmt.Sprintf("Site%02d", si+1)
		g.inv.Sites = append(g.inv.Sites, model.Site{Name: site})
		internetFacing := si == 0 || si%4 == 1
		ns := ""
		if si == 0 {
			ns = primary
		} else if internetFacing {
			ns = fmt.Sprintf("mail-r%02d.%s", si+1, g.mx.domain)
			g.regional[si] = ns
		}
		// Legacy CAS and mailbox servers.
		nCAS := 1 + g.rng.IntN(2)
		var casNames []string
		for k := 0; k < nCAS; k++ {
			name := fmt.Sprintf("CAS%d-S%02d-%d", legacyV, si+1, k+1)
			roles := []string{"ClientAccess", "HubTransport"}
			s := g.server(name, site, g.mx.legacyBuild, g.mx.legacyOS, roles...)
			s.OutlookAnywhere = model.OutlookAnywhere{Enabled: true, ExternalHostname: primary, ClientAuthenticationMethod: "NTLM", IISAuthenticationMethods: []string{"Basic", "NTLM"}}
			if ns != "" && si > 0 {
				s.OutlookAnywhere.ExternalHostname = ns
			}
			for _, vd := range []struct {
				dir  *model.VirtualDir
				path string
			}{{&s.OWA, "/owa"}, {&s.ECP, "/ecp"}, {&s.EAS, "/Microsoft-Server-ActiveSync"}, {&s.EWS, "/EWS/Exchange.asmx"}, {&s.OAB, "/OAB"}} {
				vd.dir.InternalURL = url(s.FQDN, vd.path)
				if ns != "" {
					vd.dir.ExternalURL = url(ns, vd.path)
				}
			}
			s.OWA.Authentication = []string{"FBA"}
			s.OAB.OfflineAddressBooks = []string{"Default Offline Address Book"}
			s.AutoDiscoverServiceInternalURI = url("autodiscover."+g.mx.domain, "/Autodiscover/Autodiscover.xml")
			running := true
			s.POP3 = model.PopImap{InternalConnectionSettings: []string{s.FQDN + ":995:SSL"}, Running: &running}
			s.IMAP4 = model.PopImap{InternalConnectionSettings: []string{s.FQDN + ":993:SSL"}, Running: &running}
			casNames = append(casNames, name)
		}
		if si == 2 && nCAS > 1 { // one out-of-service CAS
			g.inv.Servers[len(g.inv.Servers)-1].IsOutOfService = true
		}
		nMBX := 1 + g.rng.IntN(3)
		for k := 0; k < nMBX; k++ {
			name := fmt.Sprintf("MBX%d-S%02d-%d", legacyV, si+1, k+1)
			g.server(name, site, g.mx.legacyBuild, g.mx.legacyOS, "Mailbox")
			for d := 0; d < 2+g.rng.IntN(4); d++ {
				db := fmt.Sprintf("DB%d-S%02d-%d-%d", legacyV, si+1, k+1, d+1)
				g.inv.Databases = append(g.inv.Databases, model.Database{Name: db, Server: name,
					RPCClientAccessServer: fmt.Sprintf("outlook-s%02d.%s", si+1, g.mx.domain), OfflineAddressBook: "Default Offline Address Book"})
				g.dbs[si] = append(g.dbs[si], db)
			}
		}
		if ns != "" && si > 0 {
			g.inv.Namespaces = append(g.inv.Namespaces, model.Namespace{FQDN: ns, Internal: casNames[:1], External: casNames[:1]})
		}
		if si == 0 {
			// The new version's servers in the hub, behind a load balancer.
			newV := model.MustBuild(g.mx.newBuild).Version()
			for k := 0; k < 4; k++ {
				name := fmt.Sprintf("EX%d-%d", newV, k+1)
				s := g.server(name, site, g.mx.newBuild, g.mx.newOS, "Mailbox")
				if newV == model.V2013 {
					s.Roles = []string{"Mailbox", "ClientAccess"}
				}
				s.OutlookAnywhere = model.OutlookAnywhere{Enabled: true, ExternalHostname: primary, InternalHostname: primary,
					ExternalClientAuthenticationMethod: "NTLM", InternalClientAuthenticationMethod: "NTLM", IISAuthenticationMethods: []string{"Basic", "NTLM", "Negotiate"}}
				for _, vd := range []struct {
					dir  *model.VirtualDir
					path string
				}{{&s.OWA, "/owa"}, {&s.ECP, "/ecp"}, {&s.EAS, "/Microsoft-Server-ActiveSync"}, {&s.EWS, "/EWS/Exchange.asmx"}, {&s.OAB, "/OAB"}, {&s.MAPI, "/mapi"}} {
					vd.dir.InternalURL = url(primary, vd.path)
					vd.dir.ExternalURL = url(primary, vd.path)
				}
				s.OWA.Authentication = []string{"FBA"}
				s.AutoDiscoverServiceInternalURI = url("autodiscover."+g.mx.domain, "/Autodiscover/Autodiscover.xml")
				hubFront = append(hubFront, name)
				for d := 0; d < 3; d++ {
					db := fmt.Sprintf("DB%d-%d-%d", newV, k+1, d+1)
					g.inv.Databases = append(g.inv.Databases, model.Database{Name: db, Server: name, OfflineAddressBook: "Default Offline Address Book"})
					g.dbs[si] = append(g.dbs[si], db)
				}
			}
		}
		// RPC Client Access array of the site.
		g.inv.Namespaces = append(g.inv.Namespaces, model.Namespace{FQDN: fmt.Sprintf("outlook-s%02d.%s", si+1, g.mx.domain), Internal: casNames[:1]})
	}
	g.inv.LoadBalancers = []model.LoadBalancer{{Name: "LB-HUB", Members: hubFront, Layer: 7,
		Paths: []string{"/owa", "/ecp", "/ews", "/rpc", "/mapi", "/Microsoft-Server-ActiveSync", "/oab", "/autodiscover"}}}
	g.inv.Namespaces = append([]model.Namespace{
		{FQDN: primary, Internal: hubFront, External: []string{"LB-HUB"}},
		{FQDN: "autodiscover." + g.mx.domain, Internal: hubFront, External: []string{"LB-HUB"}},
	}, g.inv.Namespaces...)
	g.inv.OfflineABs = []model.OfflineAB{{Name: "Default Offline Address Book", GenerationServers: hubFront[:2]}}
	var all []string
	for _, s := range g.inv.Servers {
		all = append(all, s.Name)
	}
	sans := []string{primary, "autodiscover." + g.mx.domain}
	for _, r := range g.regional {
		if r != "" {
			sans = append(sans, r)
		}
	}
	g.inv.Certificates = []model.Certificate{{Thumbprint: "5A1E9C0FFEE0000000000000000000000000C0DE", Subject: "CN=" + primary, SANs: sans,
		NotAfter: "2028-03-31", SignatureAlgorithm: "sha256RSA", Services: []string{"IIS", "SMTP"}, Servers: all}}
	g.inv.OutlookProviders = []model.OutlookProvider{{Name: "EXPR"}, {Name: "EXCH"}}
}

func (g *gen) profiles() {
	t, f := true, false
	a00 := 0xA00
	a80 := 0xA80
	g.inv.ClientProfiles = []model.ClientProfile{
		{Name: "win10-m365", Outlook: "Microsoft 365 Apps", OS: "Windows 10", EASSupports451: &t},
		{Name: "win10-outlook2016", Outlook: "Outlook 2016", OS: "Windows 10", EASSupports451: &t},
		{Name: "win10-outlook2013", Outlook: "Outlook 2013 SP1", OS: "Windows 10", EASSupports451: &t},
		{Name: "win7-outlook2010", Outlook: "Outlook 2010 SP2", OS: "Windows 7 SP1", InstalledUpdates: []string{"KB3140245"}, DefaultSecureProtocols: &a00, SecureProtocols: &a80, EASSupports451: &f},
		{Name: "win7-outlook2010-unpatched", Outlook: "Outlook 2010 SP2", OS: "Windows 7 SP1", EASSupports451: &f},
	}
}

func (g *gen) mailboxes() {
	n := g.c.Mailboxes
	g.inv.Mailboxes = make([]model.Mailbox, n)
	weights := []int{40, 30, 15, 10, 5}
	for i := 0; i < n; i++ {
		si := 0
		if g.c.Sites > 1 && g.rng.IntN(3) > 0 {
			si = 1 + g.rng.IntN(g.c.Sites-1)
		}
		dbs := g.dbs[si]
		m := model.Mailbox{Name: fmt.Sprintf("user%07d", i+1), Database: dbs[g.rng.IntN(len(dbs))]}
		r := g.rng.IntN(100)
		for p, w := range weights {
			if r < w {
				m.ClientProfile = g.inv.ClientProfiles[p].Name
				break
			}
			r -= w
		}
		if g.regional[si] != "" {
			m.Namespace = g.regional[si]
		}
		g.inv.Mailboxes[i] = m
	}
	grants := int(float64(n) * g.c.FullAccessPercent / 100)
	for k := 0; k < grants && n > 1; k++ {
		owner := g.rng.IntN(n)
		user := g.rng.IntN(n)
		if owner != user {
			g.inv.Mailboxes[owner].FullAccess = append(g.inv.Mailboxes[owner].FullAccess, g.inv.Mailboxes[user].Name)
		}
	}
}
