package html

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"sort"
	"strings"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/planjson"
)

// pageData is the JSON the page's script reads to find users and draw
// their paths. It is built for size: a plan of 100,000 users has about a
// thousand cohorts whose paths share most hops, notes and rule lists, so
// every string is stored once (S) and every value refers to it by index;
// hops (H), mailbox locations (M) and whole paths (P) are stored once and
// referred to by index too. Users are listed once, sorted, with the index
// of their cohort: the page never holds a copy of a path per user.
//
// Encoded as arrays to keep the file small; report.js reads them:
//
//	S  []string                      the string table; S[0] is ""
//	M  [][server, version, site, database]            string indexes
//	H  [][from, to, host, action, auth]               string indexes
//	P  [][protocol, location, secondary, entry, outcome, mailbox (M),
//	      [hops (H)], [notes (S)], [rule IDs (S)]]
//	C  [][id, key, mailbox (M), profile, namespace, [secondary (S)],
//	      users, [paths (P)]]                          one per cohort
//	U  []string  user names, sorted case-insensitively
//	UC []int     UC[i] is the index in C of U[i]'s cohort
//	R  map[rule ID][title, "[sources] basis", inferred (0/1)]     rules the plan cites
//	Names        display names of protocols, actions, auths, outcomes
type pageData struct {
	S     []string          `json:"S"`
	M     [][4]int          `json:"M"`
	H     [][5]int          `json:"H"`
	P     [][]any           `json:"P"`
	C     [][]any           `json:"C"`
	U     []string          `json:"U"`
	UC    []int             `json:"UC"`
	R     map[string][3]any `json:"R"`
	Names names             `json:"Names"`
}

type names struct {
	Protocols      []string          `json:"protocols"` // in planner order
	Protocol       map[string]string `json:"protocol"`
	ProtocolShort  map[string]string `json:"protocolShort"`
	Action         map[string]string `json:"action"`
	Auth           map[string]string `json:"auth"`
	Outcome        map[string]string `json:"outcome"`
	OutcomeKind    map[string]string `json:"outcomeKind"`
	OutcomeOrder   []string          `json:"outcomeOrder"`
	RedirectAction []string          `json:"redirect"`
}

// dataBuilder interns strings, hops, mailbox references and paths.
type dataBuilder struct {
	d     pageData
	str   map[string]int
	hop   map[[5]int]int
	mbx   map[[4]int]int
	path  map[string]int
	rules map[string]bool
	// bib numbers the notes' citations; cite memoizes bib.Note.
	bib  *planner.Bibliography
	cite map[string]string
	// scratch buffers of pathIndex
	hops, notes, ruleIDs []int
	key                  []byte
}

func (b *dataBuilder) s(v string) int {
	if i, ok := b.str[v]; ok {
		return i
	}
	i := len(b.d.S)
	b.d.S = append(b.d.S, v)
	b.str[v] = i
	return i
}

func (b *dataBuilder) strs(vs []string) []int {
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = b.s(v)
	}
	return out
}

func (b *dataBuilder) mailbox(m planner.MailboxRef) int {
	k := [4]int{b.s(m.Server), b.s(m.Version), b.s(m.Site), b.s(m.Database)}
	if i, ok := b.mbx[k]; ok {
		return i
	}
	b.mbx[k] = len(b.d.M)
	b.d.M = append(b.d.M, k)
	return b.mbx[k]
}

func (b *dataBuilder) pathIndex(pa *planner.Path) int {
	hops := b.hops[:0]
	for _, h := range pa.Hops {
		k := [5]int{b.s(h.From), b.s(h.To), b.s(h.Host), b.s(h.Action), b.s(h.Auth)}
		j, ok := b.hop[k]
		if !ok {
			j = len(b.d.H)
			b.hop[k] = j
			b.d.H = append(b.d.H, k)
		}
		hops = append(hops, j)
	}
	b.hops = hops
	for _, id := range pa.Rules {
		b.rules[id] = true
	}
	head := [6]int{b.s(pa.Protocol), b.s(pa.Location), b.s(pa.Secondary), b.s(pa.Entry), b.s(pa.Outcome),
		b.mailbox(pa.Mailbox)}
	notes := b.notes[:0]
	for _, n := range pa.Notes {
		notes = append(notes, b.s(b.note(n)))
	}
	rules := b.strsTo(b.ruleIDs[:0], pa.Rules)
	b.notes, b.ruleIDs = notes, rules
	// The row's key: its numbers, each list length-prefixed, in a reused
	// buffer (a path repeats in most cohorts).
	key := b.key[:0]
	for _, v := range head {
		key = binary.AppendUvarint(key, uint64(v))
	}
	for _, l := range [3][]int{hops, notes, rules} {
		key = binary.AppendUvarint(key, uint64(len(l)))
		for _, v := range l {
			key = binary.AppendUvarint(key, uint64(v))
		}
	}
	b.key = key
	if i, ok := b.path[string(key)]; ok {
		return i
	}
	row := []any{head[0], head[1], head[2], head[3], head[4], head[5], clone(hops), clone(notes), clone(rules)}
	i := len(b.d.P)
	b.path[string(key)] = i
	b.d.P = append(b.d.P, row)
	return i
}

// note is a path note with its citations numbered into the page's
// source list.
func (b *dataBuilder) note(n string) string {
	c, ok := b.cite[n]
	if !ok {
		c = b.bib.Note(n)
		b.cite[n] = c
	}
	return c
}

// strsTo appends the numbers of vs to out.
func (b *dataBuilder) strsTo(out []int, vs []string) []int {
	for _, v := range vs {
		out = append(out, b.s(v))
	}
	return out
}

// clone copies l, empty as [] (not null) in JSON.
func clone(l []int) []int {
	out := make([]int, len(l))
	copy(out, l)
	return out
}

// buildData builds the page data of a plan. Everything is in plan order
// (cohorts by ID, paths in plan.json order, users by name), so the same
// plan gives the same bytes.
func buildData(p *planner.Plan, bib *planner.Bibliography) pageData {
	b := &dataBuilder{
		d:   pageData{R: map[string][3]any{}},
		str: map[string]int{}, hop: map[[5]int]int{}, mbx: map[[4]int]int{},
		path: map[string]int{}, rules: map[string]bool{},
		bib: bib, cite: map[string]string{},
	}
	b.s("")
	pos := make(map[*planner.Cohort]int, len(p.Cohorts))
	for ci, co := range p.Cohorts {
		pos[co] = ci
		paths := planjson.SortedPaths(co)
		idx := make([]int, len(paths))
		for i, pa := range paths {
			idx[i] = b.pathIndex(pa)
		}
		b.d.C = append(b.d.C, []any{co.ID, b.s(co.Key), b.mailbox(co.Mailbox), b.s(co.Profile), b.s(co.Namespace),
			b.strs(co.Secondary), len(co.Users), idx})
	}
	rows := planjson.SortedUsers(p)
	b.d.U = make([]string, len(rows))
	b.d.UC = make([]int, len(rows))
	for i, row := range rows {
		b.d.U[i] = p.Inv.Mailboxes[row].Name
		if co := p.CohortOf(int(row)); co != nil {
			b.d.UC[i] = pos[co]
		} else {
			b.d.UC[i] = -1
		}
	}
	for _, f := range p.Findings {
		b.rules[f.ID] = true
	}
	for id := range b.rules {
		if r := planner.RuleByID(id); r != nil {
			inf := 0
			if r.Inferred {
				inf = 1
			}
			b.d.R[id] = [3]any{r.Title, strings.TrimSpace(bib.Cite(r.Sources) + " " + string(r.Basis())), inf}
		}
	}
	b.d.Names = pageNames()
	return b.d
}

func pageNames() names {
	n := names{
		Protocols: planner.Protocols, Protocol: planner.ProtocolNames, ProtocolShort: protocolShort,
		Action: planner.ActionNames, Auth: authNames,
		Outcome: map[string]string{}, OutcomeKind: map[string]string{}, OutcomeOrder: planner.OutcomeOrder,
		RedirectAction: []string{planner.ActRedirectSilent, planner.ActRedirectManual, planner.ActRedirect451},
	}
	for _, o := range planner.OutcomeOrder {
		n.Outcome[o] = outcomeName(o)
		n.OutcomeKind[o] = outcomeKind(o)
	}
	return n
}

// mustJSON encodes v for a <script type="application/json"> element:
// encoding/json escapes <, > and & as \u003c, \u003e and \u0026 (and
// U+2028/U+2029), so no name can close the element or open a comment.
// Maps are written with sorted keys.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // page data is plain strings and numbers
	}
	return b
}

// scriptSafe reports whether b can sit inside a script element as is.
func scriptSafe(b []byte) bool {
	return !bytes.ContainsAny(b, "<>")
}

// sortedKeys returns a map's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
