package planner

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Route is one distinct way a protocol's clients reach mailboxes: the same
// sequence of hops with the same outcome, taken by one or more cohorts from
// one or both client locations. Hops are compared on every field (host,
// action, authentication…) except that a server counts by its Exchange
// version and roles, and a host that is the server's own name by that
// fact: the same route through each site's Client Access server is one
// route, and Servers names the servers at each hop. Reports list routes
// rather than cohorts, so their length follows the topology, not the
// number of users.
type Route struct {
	// ID numbers the routes of a protocol from 1, in the order Routes
	// returns them.
	ID       int
	Protocol string
	// Secondary is true for the paths to Full Access mailboxes;
	// Secondaries are those mailboxes' databases, sorted.
	Secondary   bool
	Secondaries []string
	// Entry is the name a user of another namespace typed (Path.Entry).
	Entry string
	// Hops are the first path's; Servers[k] are the distinct servers
	// (Hop.To) at hop k across the route's paths, sorted.
	Hops    []Hop
	Servers [][]string
	Outcome string
	// Locations are the client locations on the route, in Locations order.
	Locations []string
	// Findings and Rules are the union of the paths' IDs, sorted.
	Findings, Rules []string
	// Notes are the distinct notes of the paths, in first-seen order.
	Notes []string
	// Cohorts are indexes into Plan.Cohorts, ascending.
	Cohorts []int
	// Users counts the users of those cohorts.
	Users int
}

// routeKeys computes the keys that identify routes: two paths share a
// route when their kind (own or Full Access mailbox), Entry, Outcome and
// hops are equal, a hop compared on every field (the Hop value itself, so
// a field added to Hop keys routes without a change here) with its servers
// replaced by their class and a host that is the server's own name by that
// fact. Each distinct hop is classed once and numbered; a key is the kind,
// Entry and Outcome (length-prefixed) followed by the hops' numbers, and
// is built in a reused buffer, so grouping a million users' paths
// allocates only per distinct hop and route.
type routeKeys struct {
	p   *Plan
	hop map[Hop]uint32 // a path's hop → number of its classed form
	ids map[Hop]uint32 // classed hop → number
	cls map[string]string
	buf []byte
}

func newRouteKeys(p *Plan) *routeKeys {
	return &routeKeys{p: p, hop: map[Hop]uint32{}, ids: map[Hop]uint32{}, cls: map[string]string{}}
}

// key returns pa's key in a buffer that the next call reuses.
func (k *routeKeys) key(pa *Path) []byte {
	b := k.buf[:0]
	if pa.Secondary != "" {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(pa.Entry)))
	b = append(b, pa.Entry...)
	b = binary.AppendUvarint(b, uint64(len(pa.Outcome)))
	b = append(b, pa.Outcome...)
	for _, h := range pa.Hops {
		id, ok := k.hop[h]
		if !ok {
			id = k.classed(h)
			k.hop[h] = id
		}
		b = binary.BigEndian.AppendUint32(b, id)
	}
	k.buf = b
	return b
}

// classed numbers h with its servers replaced by their class.
func (k *routeKeys) classed(h Hop) uint32 {
	if ownHost(h.Host, h.To, k.p.serverFQDN(h.To)) {
		h.Host = "\x00own"
	}
	h.From, h.To = k.class(h.From), k.class(h.To)
	id, ok := k.ids[h]
	if !ok {
		id = uint32(len(k.ids))
		k.ids[h] = id
	}
	return id
}

func (k *routeKeys) class(name string) string {
	c, ok := k.cls[name]
	if !ok {
		c = k.p.serverClass(name)
		k.cls[name] = c
	}
	return c
}

// serverClass is a server's Exchange version and roles ("\x00 2010
// cas,mailbox"), or name itself when it is not a server (the client, a
// load balancer).
func (p *Plan) serverClass(name string) string {
	if p.Index == nil {
		return name
	}
	s := p.Index.Server(name)
	if s == nil {
		return name
	}
	roles := slices.Clone(s.Roles)
	slices.Sort(roles)
	return fmt.Sprintf("\x00%s %s", s.Parsed.Version(), strings.Join(roles, ","))
}

func (p *Plan) serverFQDN(name string) string {
	if p.Index == nil {
		return ""
	}
	if s := p.Index.Server(name); s != nil {
		return s.FQDN
	}
	return ""
}

// ownHost reports whether host is the server's own name or FQDN.
func ownHost(host, server, fqdn string) bool {
	h := strings.ToLower(host)
	s := strings.ToLower(server)
	return h == s || strings.HasPrefix(h, s+".") || (fqdn != "" && strings.EqualFold(host, fqdn))
}

// routeCache keeps each protocol's routes once computed; outputs are
// written concurrently, so it is locked.
type routeCache struct {
	mu sync.Mutex
	by map[string][]Route
}

// Routes groups the paths of one protocol into routes, worst outcome
// first, then most users, then the first cohort's order. The result is
// computed once per plan and shared: callers must not modify it.
func (p *Plan) Routes(proto string) []Route {
	if p.routes == nil {
		return p.groupRoutes(proto)
	}
	c := p.routes
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.by[proto]; ok {
		return r
	}
	r := p.groupRoutes(proto)
	c.by[proto] = r
	return r
}

// groupRoutes computes Routes.
func (p *Plan) groupRoutes(proto string) []Route {
	index := map[string]int{}
	keys := newRouteKeys(p)
	var out []Route
	for ci, co := range p.Cohorts {
		for i := range co.Paths {
			pa := &co.Paths[i]
			if pa.Protocol != proto {
				continue
			}
			k := keys.key(pa)
			ri, ok := index[string(k)]
			if !ok {
				ri = len(out)
				index[string(k)] = ri
				out = append(out, Route{Protocol: proto, Secondary: pa.Secondary != "", Entry: pa.Entry, Hops: pa.Hops,
					Servers: make([][]string, len(pa.Hops)), Outcome: pa.Outcome})
			}
			r := &out[ri]
			for k, h := range pa.Hops {
				r.Servers[k] = union(r.Servers[k], []string{h.To})
			}
			if !slices.Contains(r.Locations, pa.Location) {
				r.Locations = append(r.Locations, pa.Location)
			}
			if n := len(r.Cohorts); n == 0 || r.Cohorts[n-1] != ci {
				r.Cohorts = append(r.Cohorts, ci)
				r.Users += len(co.Users)
			}
			if pa.Secondary != "" {
				r.Secondaries = union(r.Secondaries, []string{pa.Secondary})
			}
			r.Findings = union(r.Findings, pa.Findings)
			r.Rules = union(r.Rules, pa.Rules)
			for _, n := range pa.Notes {
				if !slices.Contains(r.Notes, n) {
					r.Notes = append(r.Notes, n)
				}
			}
		}
	}
	for i := range out {
		r := &out[i]
		sort.Slice(r.Locations, func(a, b int) bool {
			return slices.Index(Locations, r.Locations[a]) < slices.Index(Locations, r.Locations[b])
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if ra, rb := OutcomeRank(a.Outcome), OutcomeRank(b.Outcome); ra != rb {
			return ra < rb
		}
		if a.Secondary != b.Secondary {
			return !a.Secondary
		}
		if a.Users != b.Users {
			return a.Users > b.Users
		}
		return a.Cohorts[0] < b.Cohorts[0]
	})
	for i := range out {
		out[i].ID = i + 1
	}
	return out
}

// union adds the IDs of add missing from ids, keeping ids sorted.
func union(ids, add []string) []string {
	for _, id := range add {
		if i, found := slices.BinarySearch(ids, id); !found {
			ids = slices.Insert(ids, i, id)
		}
	}
	return ids
}

// ExampleUsers names up to n users of a route: the first user of each of
// its cohorts in turn, then the second, so the examples span cohorts.
func (p *Plan) ExampleUsers(r Route, n int) []string {
	var out []string
	for k := 0; len(out) < n; k++ {
		added := false
		for _, ci := range r.Cohorts {
			users := p.Cohorts[ci].Users
			if k < len(users) && len(out) < n {
				out = append(out, p.Inv.Mailboxes[users[k]].Name)
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// UsersByOutcome counts, per protocol, each user once under the worst
// outcome of their paths for it (every location, Full Access mailbox and
// entry name); a user without a path for the protocol is not counted.
// Every output's "users by protocol" figures come from here.
func (p *Plan) UsersByOutcome() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, co := range p.Cohorts {
		worst := map[string]string{}
		for _, pa := range co.Paths {
			if w, ok := worst[pa.Protocol]; !ok || OutcomeRank(pa.Outcome) < OutcomeRank(w) {
				worst[pa.Protocol] = pa.Outcome
			}
		}
		for proto, o := range worst {
			m := out[proto]
			if m == nil {
				m = map[string]int{}
				out[proto] = m
			}
			m[o] += len(co.Users)
		}
	}
	return out
}
