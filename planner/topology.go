package planner

import (
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner/graph"
)

// NodeKind is the kind of a topology node.
type NodeKind string

// Kinds of topology nodes.
const (
	KindSite      NodeKind = "site"
	KindNamespace NodeKind = "namespace"
	KindLB        NodeKind = "load-balancer"
	KindServer    NodeKind = "server"
	KindDatabase  NodeKind = "database"
)

// Node is a topology node: a kind and the entity's name as written in the
// inventory.
type Node struct {
	Kind NodeKind
	Name string
}

// Edge labels of the topology graph.
const (
	EdgeResolvesInternal = "resolves-internal"
	EdgeResolvesExternal = "resolves-external"
	EdgeMember           = "member"
	EdgeInSite           = "in-site"
	EdgeActiveOn         = "active-on"
)

// Topology is the organisation as a graph plus the lookups the rules use.
type Topology struct {
	Graph *graph.Graph[Node]
	inv   *model.Inventory
	x     *model.Index
	// Versions present in the organisation.
	Versions map[model.Version]bool
	// Primary is the primary namespace FQDN (lower case).
	Primary string
	// Domain is the SMTP/autodiscover domain derived from the primary
	// namespace ("contoso.com").
	Domain string

	sorted []*model.Server            // every server, by name
	cas    map[casKey][]*model.Server // client access servers by site and generation
}

type casKey struct {
	site string // model.Key of the site
	gen  model.Version
}

// generation folds 2019 into 2016: for client access they behave alike.
func generation(v model.Version) model.Version {
	if v >= model.V2016 {
		return model.V2016
	}
	return v
}

// NewTopology builds the graph of inv. inv must have been validated (its
// servers' builds resolved).
func NewTopology(inv *model.Inventory, x *model.Index) *Topology {
	t := &Topology{Graph: graph.New[Node](), inv: inv, x: x, Versions: map[model.Version]bool{}}
	g := t.Graph
	for _, s := range inv.Sites {
		g.AddNode(Node{KindSite, s.Name})
	}
	for i := range inv.Servers {
		s := &inv.Servers[i]
		t.Versions[s.Parsed.Version()] = true
		g.AddEdge(Node{KindServer, s.Name}, Node{KindSite, t.siteName(s.Site)}, EdgeInSite)
	}
	for _, lb := range inv.LoadBalancers {
		for _, m := range lb.Members {
			if s := x.Server(m); s != nil {
				g.AddEdge(Node{KindLB, lb.Name}, Node{KindServer, s.Name}, EdgeMember)
			}
		}
	}
	for _, ns := range inv.Namespaces {
		n := Node{KindNamespace, ns.FQDN}
		g.AddNode(n)
		for _, loc := range []struct {
			label   string
			targets []string
		}{{EdgeResolvesInternal, ns.Internal}, {EdgeResolvesExternal, ns.External}} {
			for _, tg := range loc.targets {
				if s := x.Server(tg); s != nil {
					g.AddEdge(n, Node{KindServer, s.Name}, loc.label)
				} else if lb := x.LoadBalancer(tg); lb != nil {
					g.AddEdge(n, Node{KindLB, lb.Name}, loc.label)
				}
			}
		}
	}
	for _, d := range inv.Databases {
		if s := x.Server(d.Server); s != nil {
			g.AddEdge(Node{KindDatabase, d.Name}, Node{KindServer, s.Name}, EdgeActiveOn)
		}
	}
	t.sorted = make([]*model.Server, len(inv.Servers))
	for i := range inv.Servers {
		t.sorted[i] = &inv.Servers[i]
	}
	sortServers(t.sorted)
	t.cas = map[casKey][]*model.Server{}
	for _, s := range t.sorted {
		if s.HasRole("ClientAccess") {
			k := casKey{model.Key(s.Site), generation(s.Parsed.Version())}
			t.cas[k] = append(t.cas[k], s)
		}
	}
	t.Primary = strings.ToLower(inv.Organization.PrimaryNamespace)
	if t.Primary == "" {
		for _, ns := range inv.Namespaces {
			if !strings.HasPrefix(strings.ToLower(ns.FQDN), "autodiscover.") {
				t.Primary = strings.ToLower(ns.FQDN)
				break
			}
		}
	}
	if i := strings.IndexByte(t.Primary, '.'); i >= 0 {
		t.Domain = t.Primary[i+1:]
	}
	return t
}

func (t *Topology) siteName(s string) string {
	if i, ok := t.x.Sites[model.Key(s)]; ok {
		return t.inv.Sites[i].Name
	}
	return s
}

// Resolution is what a host name resolves to from one location.
type Resolution struct {
	Host      string
	Namespace *model.Namespace // nil when the host is a server FQDN
	LB        *model.LoadBalancer
	Servers   []*model.Server // front-door servers, sorted by name
}

// Resolve returns what host resolves to for clients at location: a
// namespace's targets (load balancers expanded to members) or a server by
// FQDN. ok is false when the name does not resolve there.
func (t *Topology) Resolve(host, location string) (Resolution, bool) {
	r := Resolution{Host: strings.ToLower(host)}
	if ns := t.x.Namespace(host); ns != nil {
		r.Namespace = ns
		label := EdgeResolvesExternal
		if location == "internal" {
			label = EdgeResolvesInternal
		}
		for _, n := range t.Graph.Out(Node{KindNamespace, ns.FQDN}, label) {
			switch n.Kind {
			case KindServer:
				r.Servers = append(r.Servers, t.x.Server(n.Name))
			case KindLB:
				if r.LB == nil {
					r.LB = t.x.LoadBalancer(n.Name)
				}
				for _, m := range t.Graph.Out(n, EdgeMember) {
					r.Servers = append(r.Servers, t.x.Server(m.Name))
				}
			}
		}
		sortServers(r.Servers)
		r.Servers = uniqServers(r.Servers)
		return r, len(r.Servers) > 0
	}
	if s := t.x.Server(host); s != nil && s.FQDN != "" && strings.EqualFold(s.FQDN, host) {
		if location == "external" && !t.externallyReachable(s) {
			return r, false
		}
		r.Servers = []*model.Server{s}
		return r, true
	}
	return r, false
}

// externallyReachable reports whether some namespace publishes the server
// to external clients (a server FQDN alone is not published).
func (t *Topology) externallyReachable(s *model.Server) bool {
	for _, ns := range t.inv.Namespaces {
		if strings.EqualFold(ns.FQDN, s.FQDN) && len(ns.External) > 0 {
			return true
		}
	}
	return false
}

func sortServers(ss []*model.Server) {
	keys := make(map[*model.Server]string, len(ss))
	for _, s := range ss {
		keys[s] = model.Key(s.Name)
	}
	sort.SliceStable(ss, func(i, j int) bool { return keys[ss[i]] < keys[ss[j]] })
}

func uniqServers(ss []*model.Server) []*model.Server {
	out := ss[:0]
	for i, s := range ss {
		if i > 0 && s == ss[i-1] {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Servers returns every server sorted by name. The slice is shared: do
// not modify it.
func (t *Topology) Servers() []*model.Server { return t.sorted }

// ClientAccess returns the servers in site of version v that can serve
// client access (Client Access role, or a 2016+ Mailbox server), sorted by
// name, skipping servers marked IsOutOfService when eligibleOnly
// (kb4294204).
func (t *Topology) ClientAccess(site string, v model.Version, eligibleOnly bool) []*model.Server {
	all := t.cas[casKey{model.Key(site), generation(v)}]
	if !eligibleOnly {
		return all
	}
	var r []*model.Server
	for _, s := range all {
		if !s.IsOutOfService {
			r = append(r, s)
		}
	}
	return r
}

// sameGeneration treats 2016 and 2019 as one client access generation
// (blog-ex2016-coexist-mixed).
func sameGeneration(a, b model.Version) bool {
	if a >= model.V2016 && b >= model.V2016 {
		return true
	}
	return a == b
}

// Site's servers of any version, sorted.
func (t *Topology) SiteServers(site string) []*model.Server {
	var r []*model.Server
	for _, s := range t.Servers() {
		if strings.EqualFold(s.Site, site) {
			r = append(r, s)
		}
	}
	return r
}

// Has reports whether any server of version v exists (2016 includes 2019
// only when asked for explicitly).
func (t *Topology) Has(v model.Version) bool { return t.Versions[v] }

// Newest returns the newest Exchange version present.
func (t *Topology) Newest() model.Version {
	return t.newest()
}

// HasSE reports whether any server runs Exchange Server Subscription
// Edition.
func (t *Topology) HasSE() bool {
	for _, s := range t.sorted {
		if s.Parsed.IsSE() {
			return true
		}
	}
	return false
}

func (t *Topology) newest() model.Version {
	var n model.Version
	for v := range t.Versions {
		if v > n {
			n = v
		}
	}
	return n
}

// MapiHTTPEnabled is the effective org-wide MAPI/HTTP setting: the
// inventory's value, else enabled when 2016+ joined an org without 2013,
// disabled when any 2013 server exists (ms-mapi-over-http).
func (t *Topology) MapiHTTPEnabled() bool {
	if v := t.inv.Organization.MapiHTTPEnabled; v != nil {
		return *v
	}
	if t.Has(model.V2013) {
		return false
	}
	return t.Has(model.V2016) || t.Has(model.V2019)
}

// Provider returns the named Outlook provider (EXPR, EXCH, WEB) or nil.
func (t *Topology) Provider(name string) *model.OutlookProvider { return t.x.Provider(name) }

// Server returns a server by name or FQDN, or nil.
func (t *Topology) Server(name string) *model.Server { return t.x.Server(name) }

// Inventory returns the inventory the topology was built from.
func (t *Topology) Inventory() *model.Inventory { return t.inv }

// Index returns the inventory's index.
func (t *Topology) Index() *model.Index { return t.x }
