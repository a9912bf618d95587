package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// Diff is what a change does to an organisation's paths and findings: the
// change-board view of a what-if.
type Diff struct {
	Organization string
	Before       *Plan
	After        *Plan
	// Changes group users whose paths change the same way, by protocol
	// and location.
	Changes []PathChange
	// Introduced and Resolved findings; Changed are findings whose
	// message changed (same ID, subject and severity), after version.
	Introduced, Resolved, Changed []Finding
	// Steps are what users and administrators will notice or must do.
	Steps []ClientStep
	// Summary counts.
	UsersChanged, UsersNewlyBroken, PathsNewlyBroken, PathsFixed int
	// Risk is true when any path becomes broken or a new blocking
	// (error) finding appears: the what-if exits 3.
	Risk bool
	// Edits describe the change (from the edits file notes), if any.
	Edits []string
}

// PathChange is one protocol × location path that changes for a group of
// users (all users moving from one cohort to another).
type PathChange struct {
	Protocol, Location, Secondary, Entry string
	Users                                int
	// Sample lists up to five user names, sorted.
	Sample        []string
	Before, After Path
	// Kind is "newly-broken", "fixed", "outcome" (another outcome
	// change), or "route" (same outcome, other hops).
	Kind string
}

// ClientStep is a visible consequence of the change for users.
type ClientStep struct {
	Users  int
	Sample []string
	Text   string
	// Sources are the bibliography keys the step rests on.
	Sources []string
	// Inferred marks a step no source states outright.
	Inferred bool
}

// SourceKeys is the step's bibliography keys in one string, with
// "inferred" when it is.
func (s *ClientStep) SourceKeys() string {
	k := strings.Join(s.Sources, "; ")
	if s.Inferred {
		k = strings.TrimPrefix(k+"; inferred", "; ")
	}
	return k
}

// Sources of the client steps: a mailbox move makes Outlook restart and
// re-run Autodiscover (practitioner report); MAPI/HTTP after a move to
// 2016 (documented).
var (
	srcOutlookRestart = []string{"aaronmarks-oa-2007-2010"}
	srcMapiSwitch     = []string{"ms-mapi-over-http", "blog-ex2016-coexist-ex2010"}
	srcDeviceResync   = []string{"blog-transition-cas-2010"}
)

type cohortPair struct{ before, after int32 }

// Compare computes the diff between two plans of the same mailboxes (a
// what-if never adds or removes mailboxes; users are matched by name).
func Compare(before, after *Plan) *Diff {
	d := &Diff{Organization: after.Organization, Before: before, After: after}
	afterRow := make(map[string]int, len(after.Inv.Mailboxes))
	for i, m := range after.Inv.Mailboxes {
		afterRow[model.Key(m.Name)] = i
	}
	groups := map[cohortPair][]int32{} // pair → before rows
	var order []cohortPair
	for row, m := range before.Inv.Mailboxes {
		ar, ok := afterRow[model.Key(m.Name)]
		if !ok {
			continue
		}
		k := cohortPair{before.userCohort[row], after.userCohort[ar]}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], int32(row))
	}
	changedUsers := map[int32]bool{}
	brokenUsers := map[int32]bool{}
	for _, k := range order {
		bc, ac := before.Cohorts[k.before], after.Cohorts[k.after]
		rows := groups[k]
		sample := sampleNames(before.Inv, rows)
		bp := pathsByKey(bc)
		for _, ap := range ac.Paths {
			key := pathKey(ap)
			b, ok := bp[key]
			if !ok {
				b = Path{Protocol: ap.Protocol, Location: ap.Location, Secondary: ap.Secondary, Entry: ap.Entry, Outcome: OutcomeNotApplicable, Hops: []Hop{}, Notes: []string{"This path did not exist before the change."}}
			}
			delete(bp, key)
			if samePath(b, ap) {
				continue
			}
			d.addChange(b, ap, rows, sample, changedUsers, brokenUsers)
		}
		for _, b := range bp { // paths that disappeared (e.g. a Full Access target moved away)
			gone := Path{Protocol: b.Protocol, Location: b.Location, Secondary: b.Secondary, Entry: b.Entry, Outcome: OutcomeNotApplicable, Hops: []Hop{}, Notes: []string{"This path no longer exists after the change."}}
			d.addChange(b, gone, rows, sample, changedUsers, brokenUsers)
		}
		d.clientSteps(bc, ac, rows, sample)
	}
	d.UsersChanged = len(changedUsers)
	d.UsersNewlyBroken = len(brokenUsers)
	sort.SliceStable(d.Changes, func(i, j int) bool {
		a, b := d.Changes[i], d.Changes[j]
		if ka, kb := kindRank(a.Kind), kindRank(b.Kind); ka != kb {
			return ka < kb
		}
		if a.Protocol != b.Protocol {
			return protoRank(a.Protocol) < protoRank(b.Protocol)
		}
		if a.Location != b.Location {
			return a.Location < b.Location
		}
		if a.Secondary != b.Secondary {
			return a.Secondary < b.Secondary
		}
		if a.Users != b.Users {
			return a.Users > b.Users
		}
		return strings.Join(a.Sample, ",") < strings.Join(b.Sample, ",")
	})
	d.findingDiff()
	d.mergeSteps()
	d.Risk = d.PathsNewlyBroken > 0
	for _, f := range d.Introduced {
		if f.Severity == SevError {
			d.Risk = true
		}
	}
	return d
}

func (d *Diff) addChange(b, a Path, rows []int32, sample []string, changed, broken map[int32]bool) {
	kind := "route"
	switch {
	case a.Outcome == OutcomeBroken && b.Outcome != OutcomeBroken:
		kind = "newly-broken"
		d.PathsNewlyBroken += len(rows)
		for _, r := range rows {
			broken[r] = true
		}
	case b.Outcome == OutcomeBroken && a.Outcome != OutcomeBroken:
		kind = "fixed"
		d.PathsFixed += len(rows)
	case a.Outcome != b.Outcome:
		kind = "outcome"
	}
	for _, r := range rows {
		changed[r] = true
	}
	// Merge with an identical change of another cohort pair.
	for i := range d.Changes {
		c := &d.Changes[i]
		if c.Kind == kind && pathKey(c.After) == pathKey(a) && samePath(c.Before, b) && samePath(c.After, a) {
			c.Users += len(rows)
			c.Sample = mergeSample(c.Sample, sample)
			return
		}
	}
	d.Changes = append(d.Changes, PathChange{Protocol: a.Protocol, Location: a.Location, Secondary: a.Secondary, Entry: a.Entry,
		Users: len(rows), Sample: sample, Before: b, After: a, Kind: kind})
}

func kindRank(k string) int {
	switch k {
	case "newly-broken":
		return 0
	case "outcome":
		return 1
	case "fixed":
		return 2
	}
	return 3
}

func protoRank(p string) int {
	for i, x := range Protocols {
		if x == p {
			return i
		}
	}
	return len(Protocols)
}

func pathKey(p Path) string {
	return p.Protocol + "\x00" + p.Location + "\x00" + p.Secondary + "\x00" + p.Entry
}

func pathsByKey(c *Cohort) map[string]Path {
	m := make(map[string]Path, len(c.Paths))
	for _, p := range c.Paths {
		m[pathKey(p)] = p
	}
	return m
}

// samePath compares what a user experiences: hops and outcome.
func samePath(a, b Path) bool {
	if a.Outcome != b.Outcome || len(a.Hops) != len(b.Hops) {
		return false
	}
	for i := range a.Hops {
		if a.Hops[i] != b.Hops[i] {
			return false
		}
	}
	return true
}

func sampleNames(inv *model.Inventory, rows []int32) []string {
	var names []string
	for _, r := range rows {
		names = append(names, inv.Mailboxes[r].Name)
	}
	sort.Strings(names)
	if len(names) > 5 {
		names = names[:5]
	}
	return names
}

func mergeSample(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	sort.Strings(out)
	var u []string
	for i, s := range out {
		if i == 0 || s != out[i-1] {
			u = append(u, s)
		}
	}
	if len(u) > 5 {
		u = u[:5]
	}
	return u
}

// clientSteps lists what the users of a cohort pair will notice.
func (d *Diff) clientSteps(bc, ac *Cohort, rows []int32, sample []string) {
	add := func(text string, sources []string, inferred bool) {
		d.Steps = append(d.Steps, ClientStep{Users: len(rows), Sample: sample, Text: text, Sources: sources, Inferred: inferred})
	}
	if bc.Mailbox.Server != ac.Mailbox.Server && bc.Mailbox.Server != "" {
		add(fmt.Sprintf("Mailbox moves from %s (Exchange %s) to %s (Exchange %s): Outlook is told to restart; on restart it re-runs Autodiscover and picks up the new settings.",
			bc.Mailbox.Server, bc.Mailbox.Version, ac.Mailbox.Server, ac.Mailbox.Version), srcOutlookRestart, false)
		bo, ao := firstHost(bc, "outlook-anywhere", "external"), firstHost(ac, "outlook-anywhere", "external")
		if bo != "" && ao != "" && bo != ao {
			add(fmt.Sprintf("After the Outlook restart, Outlook Anywhere switches from %s to %s.", bo, ao), srcOutlookRestart, false)
		}
		if bc.Mailbox.Version != ac.Mailbox.Version && ac.Mailbox.Version >= "2013" && bc.Mailbox.Version < "2013" {
			if p := findPath(ac, "mapi-http", "external"); p != nil && p.Outcome != OutcomeNotApplicable {
				add("Outlook switches to MAPI/HTTP after the restart (the load balancer must pass /mapi).", srcMapiSwitch, false)
			}
		}
		if bc.Mailbox.Version < "2013" && ac.Mailbox.Version >= "2013" {
			add("Mobile devices re-synchronise through the new server; devices that do not follow Autodiscover may need their profile recreated.", srcDeviceResync, true)
		}
	}
	// A name that another server now answers: one step per new front
	// door, host and old front door, naming every protocol it serves.
	type answer struct{ to, host, was string }
	var order []answer
	protos := map[answer][]string{}
	for _, proto := range []string{"autodiscover", "outlook-anywhere", "mapi-http", "owa", "ecp", "eas", "ews", "oab"} {
		b, a := findPath(bc, proto, "external"), findPath(ac, proto, "external")
		if b == nil || a == nil || len(b.Hops) == 0 || len(a.Hops) == 0 {
			continue
		}
		if b.FrontDoor() != a.FrontDoor() && b.Hops[0].Host == a.Hops[0].Host && bc.Mailbox.Server == ac.Mailbox.Server {
			k := answer{a.FrontDoor(), a.Hops[0].Host, b.FrontDoor()}
			if _, ok := protos[k]; !ok {
				order = append(order, k)
			}
			protos[k] = append(protos[k], ProtocolName(proto))
		}
	}
	for _, k := range order {
		add(fmt.Sprintf("%s now answers %s for %s (was %s): clients see its certificate; no client change once DNS has converged.",
			k.to, k.host, andWords(protos[k]), k.was), ruleCertSAN.Sources, false)
	}
}

// andWords joins words as "a, b and c".
func andWords(w []string) string {
	if len(w) <= 1 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

func firstHost(c *Cohort, proto, loc string) string {
	if p := findPath(c, proto, loc); p != nil && len(p.Hops) > 0 {
		return p.Hops[0].Host
	}
	return ""
}

func findPath(c *Cohort, proto, loc string) *Path {
	for i := range c.Paths {
		if c.Paths[i].Protocol == proto && c.Paths[i].Location == loc && c.Paths[i].Secondary == "" {
			return &c.Paths[i]
		}
	}
	return nil
}

// mergeSteps joins identical steps of different cohort pairs.
func (d *Diff) mergeSteps() {
	var out []ClientStep
	idx := map[string]int{}
	for _, s := range d.Steps {
		if i, ok := idx[s.Text]; ok {
			out[i].Users += s.Users
			out[i].Sample = mergeSample(out[i].Sample, s.Sample)
			continue
		}
		idx[s.Text] = len(out)
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Users != out[j].Users {
			return out[i].Users > out[j].Users
		}
		return out[i].Text < out[j].Text
	})
	d.Steps = out
}

func (d *Diff) findingDiff() {
	key := func(f Finding) string { return f.ID + "\x00" + f.Subject + "\x00" + f.Message }
	before := map[string]bool{}
	for _, f := range d.Before.Findings {
		before[key(f)] = true
	}
	after := map[string]bool{}
	for _, f := range d.After.Findings {
		after[key(f)] = true
		if !before[key(f)] {
			d.Introduced = append(d.Introduced, f)
		}
	}
	for _, f := range d.Before.Findings {
		if !after[key(f)] {
			d.Resolved = append(d.Resolved, f)
		}
	}
	// A finding whose message changed (same ID and subject, same
	// severity) is neither introduced nor resolved: it is reworded.
	same := func(a, b Finding) bool { return a.ID == b.ID && a.Subject == b.Subject && a.Severity == b.Severity }
	var intro []Finding
	used := make([]bool, len(d.Resolved))
	for _, f := range d.Introduced {
		matched := false
		for i, r := range d.Resolved {
			if !used[i] && same(f, r) {
				used[i], matched = true, true
				d.Changed = append(d.Changed, f)
				break
			}
		}
		if !matched {
			intro = append(intro, f)
		}
	}
	var res []Finding
	for i, r := range d.Resolved {
		if !used[i] {
			res = append(res, r)
		}
	}
	d.Introduced, d.Resolved = intro, res
}
