package planjson

import (
	"bufio"
	"io"

	"github.com/coexist/coexist/planner"
)

// DiffSchema is the diff.json schema identifier.
const DiffSchema = "coexist.diff/v1"

type diffChange struct {
	Protocol  string       `json:"protocol"`
	Location  string       `json:"location"`
	Secondary string       `json:"secondary,omitempty"`
	Entry     string       `json:"entry,omitempty"`
	Kind      string       `json:"kind"`
	Users     int          `json:"users"`
	Sample    []string     `json:"sample_users"`
	Before    planner.Path `json:"before"`
	After     planner.Path `json:"after"`
}

type diffStep struct {
	Users  int      `json:"users"`
	Sample []string `json:"sample_users"`
	Text   string   `json:"text"`
	Source string   `json:"source"`
	// Sources are the bibliography keys of the step (see "sources").
	Sources  []string `json:"sources"`
	Inferred bool     `json:"inferred,omitempty"`
}

type diffDoc struct {
	Schema       string       `json:"schema"`
	Organization string       `json:"organization"`
	AsOf         string       `json:"as_of"`
	Verdict      string       `json:"verdict"`
	Risk         bool         `json:"risk"`
	Edits        []string     `json:"edits"`
	Summary      diffSummary  `json:"summary"`
	Changes      []diffChange `json:"changes"`
	Introduced   []finding    `json:"findings_introduced"`
	Resolved     []finding    `json:"findings_resolved"`
	Changed      []finding    `json:"findings_reworded"`
	Steps        []diffStep   `json:"client_steps"`
	// Scope is what the plans compared cover and what they do not.
	Scope   *planner.Scope `json:"scope,omitempty"`
	Sources []source       `json:"sources"`
}

type diffSummary struct {
	UsersChanged     int `json:"users_changed"`
	UsersNewlyBroken int `json:"users_newly_broken"`
	PathsNewlyBroken int `json:"paths_newly_broken"`
	PathsFixed       int `json:"paths_fixed"`
	FindingsAdded    int `json:"findings_introduced"`
	FindingsResolved int `json:"findings_resolved"`
}

// Verdict is the one-line change-board verdict of a diff.
func Verdict(d *planner.Diff) string {
	switch {
	case d.Risk:
		return "RISK: the change breaks paths or adds blocking findings"
	case d.UsersChanged == 0 && len(d.Introduced) == 0 && len(d.Resolved) == 0:
		return "No effect: no path or finding changes"
	}
	return "Safe: no path becomes broken and no blocking finding is added"
}

// WriteDiff writes diff.json for d.
func WriteDiff(w io.Writer, d *planner.Diff) error {
	doc := diffDocOf(d)
	sc := planner.PlanScope() // program.json states it once for every stage
	doc.Scope = &sc
	bw := bufio.NewWriter(w)
	b := marshalIndent(doc)
	bw.Write(b)
	bw.WriteByte('\n')
	return bw.Flush()
}

// diffDocOf is the JSON form of a diff (diff.json, and each stage of
// program.json).
func diffDocOf(d *planner.Diff) diffDoc {
	doc := diffDoc{
		Schema: DiffSchema, Organization: d.Organization, AsOf: d.After.AsOf.Format("2006-01-02"),
		Verdict: Verdict(d), Risk: d.Risk, Edits: d.Edits,
		Summary: diffSummary{d.UsersChanged, d.UsersNewlyBroken, d.PathsNewlyBroken, d.PathsFixed, len(d.Introduced), len(d.Resolved)},
		Changes: []diffChange{}, Introduced: []finding{}, Resolved: []finding{}, Changed: []finding{}, Steps: []diffStep{},
	}
	if doc.Edits == nil {
		doc.Edits = []string{}
	}
	for _, c := range d.Changes {
		doc.Changes = append(doc.Changes, diffChange{c.Protocol, c.Location, c.Secondary, c.Entry, c.Kind, c.Users, c.Sample, c.Before, c.After})
	}
	for _, f := range d.Introduced {
		doc.Introduced = append(doc.Introduced, newFinding(f))
	}
	for _, f := range d.Resolved {
		doc.Resolved = append(doc.Resolved, newFinding(f))
	}
	for _, f := range d.Changed {
		doc.Changed = append(doc.Changed, newFinding(f))
	}
	for _, s := range d.Steps {
		doc.Steps = append(doc.Steps, diffStep{s.Users, s.Sample, s.Text, s.SourceKeys(), append([]string{}, s.Sources...), s.Inferred})
	}
	doc.Sources = []source{}
	for _, s := range d.Bibliography().Entries {
		doc.Sources = append(doc.Sources, source{s.Key, s.Title, s.Author, s.Publisher, s.Date, s.URL, s.Note, s.Kind})
	}
	return doc
}
