package planner_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
)

// synthetic builds a plan from cohorts given as users and paths.
func synthetic(cohorts ...[]planner.Path) *planner.Plan {
	p := &planner.Plan{Inv: &model.Inventory{}}
	for i, paths := range cohorts {
		co := &planner.Cohort{ID: i + 1, Paths: paths}
		for k := 0; k <= i; k++ { // cohort i has i+1 users
			co.Users = append(co.Users, int32(len(p.Inv.Mailboxes)))
			p.Inv.Mailboxes = append(p.Inv.Mailboxes, model.Mailbox{Name: string(rune('a'+i)) + string(rune('0'+k))})
		}
		p.Cohorts = append(p.Cohorts, co)
	}
	return p
}

func owa(loc, to, auth, outcome string, findings ...string) planner.Path {
	return planner.Path{Protocol: "owa", Location: loc, Outcome: outcome, Findings: findings, Rules: findings,
		Hops: []planner.Hop{{From: "client", To: to, Host: "mail.contoso.com", Action: planner.ActConnect, Auth: auth}}}
}

func TestRoutesGroupEqualHopsAcrossCohortsAndLocations(t *testing.T) {
	p := synthetic(
		[]planner.Path{owa("external", "MBX1", "fba", "ok"), owa("internal", "MBX1", "fba", "ok")},            // 1 user
		[]planner.Path{owa("external", "MBX1", "fba", "ok"), owa("internal", "MBX1", "basic", "ok")},          // 2 users
		[]planner.Path{owa("external", "MBX2", "fba", "broken", "X-1"), owa("internal", "MBX1", "fba", "ok")}, // 3 users
	)
	got := p.Routes("owa")
	type want struct {
		to, auth, outcome string
		locations         []string
		cohorts           []int
		users             int
		findings          []string
	}
	wants := []want{
		{"MBX2", "fba", "broken", []string{"external"}, []int{2}, 3, []string{"X-1"}},
		{"MBX1", "fba", "ok", []string{"internal", "external"}, []int{0, 1, 2}, 6, nil},
		{"MBX1", "basic", "ok", []string{"internal"}, []int{1}, 2, nil},
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d routes, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		r := got[i]
		h := r.Hops[0]
		if r.ID != i+1 || h.To != w.to || h.Auth != w.auth || r.Outcome != w.outcome || !reflect.DeepEqual(r.Locations, w.locations) ||
			!reflect.DeepEqual(r.Cohorts, w.cohorts) || r.Users != w.users || !reflect.DeepEqual(r.Findings, w.findings) {
			t.Errorf("route %d: got %+v, want %+v", i+1, r, w)
		}
	}
	if ex := p.ExampleUsers(got[1], 4); !reflect.DeepEqual(ex, []string{"a0", "b0", "c0", "b1"}) {
		t.Errorf("examples: got %v, want one user of each cohort first", ex)
	}
	if got := p.UsersByOutcome()["owa"]; !reflect.DeepEqual(got, map[string]int{"ok": 3, "broken": 3}) {
		t.Errorf("users by outcome: got %v, want 3 ok, 3 broken (each user once, under the worst path)", got)
	}
}

// Every path of a sample lies on exactly one route whose hops and outcome
// are the path's, and the routes' users add up per cohort.
func TestRoutesCoverEveryPath(t *testing.T) {
	for _, files := range [][]string{{"s1-contoso.toml"}, {"s3-2013-2010.toml"}, {"s5-tls.toml"}} {
		p := plan(t, files...)
		for _, proto := range planner.Protocols {
			routes := p.Routes(proto)
			for ci, co := range p.Cohorts {
				for _, pa := range co.Paths {
					if pa.Protocol != proto {
						continue
					}
					n := 0
					for _, r := range routes {
						if onRoute(r, pa) {
							n++
							if !slices.Contains(r.Cohorts, ci) || !slices.Contains(r.Locations, pa.Location) {
								t.Errorf("%v %s: route %d lacks cohort %d or location %s", files, proto, r.ID, co.ID, pa.Location)
							}
						}
					}
					if n != 1 {
						t.Errorf("%v %s cohort %d %s: on %d routes, want 1", files, proto, co.ID, pa.Location, n)
					}
				}
			}
			for _, r := range routes {
				sum := 0
				for _, ci := range r.Cohorts {
					sum += len(p.Cohorts[ci].Users)
				}
				if sum != r.Users {
					t.Errorf("%v %s route %d: %d users, cohorts hold %d", files, proto, r.ID, r.Users, sum)
				}
			}
		}
	}
}

// onRoute reports whether a path fits a route: same kind, outcome, number
// of hops, and each hop's server among the route's at that hop.
func onRoute(r planner.Route, pa planner.Path) bool {
	if r.Outcome != pa.Outcome || r.Secondary != (pa.Secondary != "") || r.Entry != pa.Entry || len(r.Hops) != len(pa.Hops) {
		return false
	}
	for k, h := range pa.Hops {
		rh := r.Hops[k]
		if !slices.Contains(r.Servers[k], h.To) || rh.Action != h.Action || rh.Auth != h.Auth {
			return false
		}
	}
	return true
}

// Servers of one version and roles at the same place share a route: S1's
// three Exchange 2010 sites each have their own CAS, yet OWA from outside
// through the 2016 servers is fewer routes than cohorts.
func TestRoutesMergeServersOfOneClass(t *testing.T) {
	p := plan(t, "s1-contoso.toml")
	routes := p.Routes("owa")
	merged := false
	for _, r := range routes {
		for k, ss := range r.Servers {
			if len(ss) > 1 {
				merged = true
				for _, s := range ss {
					a, b := p.Index.Server(s), p.Index.Server(ss[0])
					if a == nil || b == nil || a.Parsed.Version() != b.Parsed.Version() {
						t.Errorf("route %d hop %d mixes %s and %s", r.ID, k+1, s, ss[0])
					}
				}
			}
		}
	}
	if !merged {
		t.Errorf("no OWA route of S1 has more than one server at a hop: %+v", routes)
	}
}
