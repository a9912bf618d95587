// Package planjson writes plan.json (schema coexist.plan/v1, see
// contracts.md): every user's paths and every finding, sorted so the file
// is byte-identical for the same input. Paths are marshalled once per
// cohort and streamed per user, so a million users cost one pass.
package planjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/coexist/coexist/planner"
)

// document is the plan.json header; paths and findings are streamed.
type finding struct {
	ID          string           `json:"id"`
	Severity    planner.Severity `json:"severity"`
	Subject     string           `json:"subject"`
	Message     string           `json:"message"`
	Remediation string           `json:"remediation"`
	// Source is Sources in one string, kept for readers of the first
	// schema; each key resolves in the document's "sources".
	Source   string        `json:"source"`
	Sources  []string      `json:"sources"`
	Basis    planner.Basis `json:"basis"`
	Inferred bool          `json:"inferred,omitempty"`
}

func newFinding(f planner.Finding) finding {
	keys := f.Sources
	if keys == nil {
		keys = []string{}
	}
	return finding{f.ID, f.Severity, f.Subject, f.Message, f.Remediation, f.SourceKeys(), keys, f.Basis, f.Inferred}
}

// source is one bibliography entry of the "sources" list.
type source struct {
	Key       string        `json:"key"`
	Title     string        `json:"title"`
	Author    string        `json:"author,omitempty"`
	Publisher string        `json:"publisher"`
	Date      string        `json:"date,omitempty"`
	URL       string        `json:"url,omitempty"`
	Note      string        `json:"note,omitempty"`
	Basis     planner.Basis `json:"basis"`
}

// writeSources writes the bibliography entries as the "sources" array.
func writeSources(bw *bufio.Writer, b *planner.Bibliography) {
	bw.WriteString("\n  \"sources\": [")
	for i, s := range b.Entries {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		writeJSON(bw, source{s.Key, s.Title, s.Author, s.Publisher, s.Date, s.URL, s.Note, s.Kind})
	}
	bw.WriteString("\n  ]")
}

// Options tune plan.json.
type Options struct {
	// UserPathLimit caps the per-user expansion of "paths": above this many
	// users, "paths" is left empty (every path is still in "cohorts", and
	// "users" maps each user to a cohort). 0 means no limit.
	UserPathLimit int
}

// DefaultUserPathLimit keeps plan.json readable and fast: 10,000 users
// expand to 240,000 path objects.
const DefaultUserPathLimit = 10000

type cohortDoc struct {
	ID        int                `json:"id"`
	Key       string             `json:"key"`
	Users     int                `json:"users"`
	Mailbox   planner.MailboxRef `json:"mailbox"`
	Profile   string             `json:"client_profile,omitempty"`
	Namespace string             `json:"namespace,omitempty"`
	Secondary []string           `json:"secondary,omitempty"`
}

// Write writes plan.json for p.
func Write(w io.Writer, p *planner.Plan, opt Options) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("{\n  \"schema\": ")
	writeJSON(bw, planner.Schema)
	bw.WriteString(",\n  \"organization\": ")
	writeJSON(bw, p.Organization)
	bw.WriteString(",\n  \"as_of\": ")
	writeJSON(bw, p.AsOf.Format("2006-01-02"))
	c := p.Counts()
	bw.WriteString(",\n  \"summary\": ")
	writeJSON(bw, map[string]any{
		"users": c.Users, "cohorts": c.Cohorts, "paths": c.Paths,
		"users_with_broken_paths": c.BrokenUsers, "users_with_warnings": c.WarningUsers,
		"users_with_warning_paths": c.WarnedUsers,
		"findings_by_severity":     c.BySeverity, "path_outcomes": c.ByOutcome,
		"users_by_protocol": c.UsersByProtocol,
	})
	// What the verdict speaks for, and what it does not.
	bw.WriteString(",\n  \"scope\": ")
	writeJSON(bw, planner.PlanScope())
	users := SortedUsers(p)
	perUser := opt.UserPathLimit == 0 || len(users) <= opt.UserPathLimit
	// Each cohort's paths are encoded once; they are kept for the per-user
	// expansion only, else each cohort's are dropped once written.
	var encoded [][][]byte
	if perUser {
		encoded = make([][][]byte, len(p.Cohorts))
		for i, co := range p.Cohorts {
			encoded[i] = CohortPaths(co)
		}
	}
	bw.WriteString(",\n  \"paths_per_user\": ")
	writeJSON(bw, perUser)
	if !perUser {
		bw.WriteString(",\n  \"paths_note\": ")
		writeJSON(bw, fmt.Sprintf("%d users exceed the per-user limit of %d: each cohort's paths are listed once under \"cohorts\" and \"users\" maps every user to a cohort (coexist plan --user-paths 0 expands them all).", len(users), opt.UserPathLimit))
	}
	bw.WriteString(",\n  \"cohorts\": [")
	var enc encoder
	for i, co := range p.Cohorts {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		head := enc.marshal(cohortDoc{co.ID, co.Key, len(co.Users), co.Mailbox, co.Profile, co.Namespace, co.Secondary})
		bw.Write(head[:len(head)-1])
		bw.WriteString(`,"paths":[`)
		if perUser {
			for j, pj := range encoded[i] {
				if j > 0 {
					bw.WriteByte(',')
				}
				bw.WriteString("\n      ")
				bw.Write(pj)
			}
		} else {
			// Written as encoded, not kept.
			for j, pa := range SortedPaths(co) {
				if j > 0 {
					bw.WriteByte(',')
				}
				bw.WriteString("\n      ")
				bw.Write(enc.marshal(pa))
			}
		}
		bw.WriteString("]}")
	}
	bw.WriteString("\n  ],\n  \"users\": [")
	// User names are encoded as json.Marshal does (HTML characters
	// escaped), in a reused buffer.
	names := encoder{html: true}
	var num []byte
	for i, row := range users {
		if i > 0 {
			bw.WriteByte(',')
		}
		if i%8 == 0 {
			bw.WriteString("\n    ")
		}
		bw.WriteString(`{"user":`)
		bw.Write(names.marshal(p.Inv.Mailboxes[row].Name))
		bw.WriteString(`,"cohort":`)
		num = strconv.AppendInt(num[:0], int64(p.CohortOf(int(row)).ID), 10)
		bw.Write(num)
		bw.WriteByte('}')
	}
	bw.WriteString("\n  ],\n  \"paths\": [")
	if !perUser {
		users = nil
	}
	first := true
	for _, row := range users {
		name := p.Inv.Mailboxes[row].Name
		qn := names.marshal(name)
		co := p.CohortOf(int(row))
		for _, pj := range encoded[co.ID-1] {
			if !first {
				bw.WriteByte(',')
			}
			first = false
			bw.WriteString("\n    {\"user\":")
			bw.Write(qn)
			bw.WriteByte(',')
			bw.Write(pj[1:])
		}
	}
	bw.WriteString("\n  ],\n  \"findings\": [")
	for i, f := range p.Findings {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		writeJSON(bw, newFinding(f))
	}
	bw.WriteString("\n  ],")
	writeSources(bw, p.Bibliography())
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// CohortPaths returns the cohort's paths as compact JSON objects (without
// the user), sorted by protocol, location and secondary mailbox.
func CohortPaths(co *planner.Cohort) [][]byte {
	paths := SortedPaths(co)
	out := make([][]byte, len(paths))
	var enc encoder
	for i, pa := range paths {
		out[i] = bytes.Clone(enc.marshal(pa))
	}
	return out
}

// SortedPaths returns the cohort's paths in contract order: protocol,
// location, secondary. The paths are the cohort's own, not copies.
func SortedPaths(co *planner.Cohort) []*planner.Path {
	paths := make([]*planner.Path, len(co.Paths))
	for i := range co.Paths {
		paths[i] = &co.Paths[i]
	}
	sort.SliceStable(paths, func(i, j int) bool {
		a, b := paths[i], paths[j]
		if a.Protocol != b.Protocol {
			return a.Protocol < b.Protocol
		}
		if a.Location != b.Location {
			return a.Location < b.Location
		}
		if a.Secondary != b.Secondary {
			return a.Secondary < b.Secondary
		}
		return a.Entry < b.Entry
	})
	return paths
}

// SortedUsers returns mailbox rows sorted by user name (case-insensitive,
// then exact).
func SortedUsers(p *planner.Plan) []int32 {
	rows := make([]int32, len(p.Inv.Mailboxes))
	for i := range rows {
		rows[i] = int32(i)
	}
	mb := p.Inv.Mailboxes
	sort.Slice(rows, func(i, j int) bool {
		a, b := mb[rows[i]].Name, mb[rows[j]].Name
		if la, lb := strings.ToLower(a), strings.ToLower(b); la != lb {
			return la < lb
		}
		return a < b
	})
	return rows
}

func marshal(v any) []byte {
	var enc encoder
	return enc.marshal(v)
}

// encoder encodes compact JSON without HTML escaping into a buffer that
// each call reuses, so encoding a million paths or user names allocates
// per call only what the caller keeps.
type encoder struct {
	b    bytes.Buffer
	enc  *json.Encoder
	html bool // escape <, > and & as json.Marshal does
}

// marshal returns v's JSON, valid until the next call.
func (e *encoder) marshal(v any) []byte {
	if e.enc == nil {
		e.enc = json.NewEncoder(&e.b)
		e.enc.SetEscapeHTML(e.html)
	}
	e.b.Reset()
	if err := e.enc.Encode(v); err != nil {
		panic(err) // plan types always marshal
	}
	return bytes.TrimRight(e.b.Bytes(), "\n")
}

func marshalIndent(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // diff types always marshal
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func writeJSON(w *bufio.Writer, v any) {
	w.Write(marshal(v))
}

// UserPath is a path with its user, as plan.json writes it.
type UserPath struct {
	User string `json:"user"`
	planner.Path
}

// UserPaths returns one user's paths in plan.json form, optionally
// filtered by protocol and location ("" for all).
func UserPaths(p *planner.Plan, row int, protocol, location string) []UserPath {
	co := p.CohortOf(row)
	if co == nil {
		return nil
	}
	var out []UserPath
	for _, pa := range SortedPaths(co) {
		if (protocol == "" || pa.Protocol == protocol) && (location == "" || pa.Location == location) {
			out = append(out, UserPath{User: p.Inv.Mailboxes[row].Name, Path: *pa})
		}
	}
	return out
}
