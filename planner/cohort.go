package planner

import (
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// cohortKey is what decides a user's paths. Users with equal keys share one
// computed path set, so planning cost grows with distinct cohorts, not
// users.
type cohortKey struct {
	db, profile, ns int
	secondary       string // sorted secondary database names joined by "\x00"
}

// buildCohorts groups mailboxes into cohorts in order of first appearance
// and returns each mailbox row's cohort index.
func buildCohorts(inv *model.Inventory, x *model.Index, topo *Topology) ([]*Cohort, []int32) {
	// Full Access is recorded on the mailbox it grants; invert it to the
	// users who open that mailbox as a secondary one.
	secondary := map[int32][]string{}
	for _, m := range inv.Mailboxes {
		for _, u := range m.FullAccess {
			if row, ok := x.Mailboxes[model.Key(u)]; ok {
				if d := x.Database(m.Database); d != nil {
					secondary[int32(row)] = append(secondary[int32(row)], d.Name)
				}
			}
		}
	}
	index := map[cohortKey]int32{}
	var cohorts []*Cohort
	userCohort := make([]int32, len(inv.Mailboxes))
	for row := range inv.Mailboxes {
		m := &inv.Mailboxes[row]
		k := cohortKey{db: lookup(x.Databases, m.Database), profile: lookup(x.Profiles, m.ClientProfile), ns: lookup(x.Namespaces, m.Namespace)}
		var sec []string
		if s := secondary[int32(row)]; len(s) > 0 {
			sec = uniqSorted(s, inv.Databases[k.db].Name)
			k.secondary = strings.Join(sec, "\x00")
		}
		id, ok := index[k]
		if !ok {
			id = int32(len(cohorts))
			index[k] = id
			cohorts = append(cohorts, newCohort(int(id)+1, k, sec, inv, topo))
		}
		cohorts[id].Users = append(cohorts[id].Users, int32(row))
		userCohort[row] = id
	}
	return cohorts, userCohort
}

func lookup(m map[string]int, name string) int {
	if name == "" {
		return -1
	}
	if i, ok := m[model.Key(name)]; ok {
		return i
	}
	return -1
}

// uniqSorted sorts names, drops duplicates and the user's own database
// (a secondary mailbox in the same database takes the primary's path).
func uniqSorted(names []string, own string) []string {
	sort.Strings(names)
	var out []string
	for i, n := range names {
		if (i > 0 && n == names[i-1]) || strings.EqualFold(n, own) {
			continue
		}
		out = append(out, n)
	}
	return out
}

func newCohort(id int, k cohortKey, sec []string, inv *model.Inventory, topo *Topology) *Cohort {
	c := &Cohort{ID: id, Secondary: sec}
	if k.db >= 0 {
		d := &inv.Databases[k.db]
		c.Database = d.Name
		c.Mailbox = mailboxRef(topo, d)
	}
	if k.profile >= 0 {
		c.Profile = inv.ClientProfiles[k.profile].Name
	}
	if k.ns >= 0 {
		c.Namespace = inv.Namespaces[k.ns].FQDN
	}
	parts := []string{"database " + c.Database}
	if c.Profile != "" {
		parts = append(parts, "profile "+c.Profile)
	}
	if c.Namespace != "" {
		parts = append(parts, "namespace "+c.Namespace)
	}
	if len(sec) > 0 {
		parts = append(parts, "full access to "+strings.Join(sec, ", "))
	}
	c.Key = strings.Join(parts, "; ")
	return c
}

func mailboxRef(topo *Topology, d *model.Database) MailboxRef {
	r := MailboxRef{Database: d.Name}
	if s := topo.Server(d.Server); s != nil {
		r.Server = s.Name
		r.Version = s.Parsed.Version().String()
		r.Site = topo.siteName(s.Site)
	}
	return r
}
