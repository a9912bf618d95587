package planjson

import (
	"bufio"
	"io"
	"strings"

	"github.com/coexist/coexist/planner"
)

// programDoc is program.json (schema coexist.program/v1).
type programDoc struct {
	Schema       string `json:"schema"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	AsOf         string `json:"as_of"`
	// Verdict is the worst stage verdict: safe, needs-review or
	// breaks-paths.
	Verdict string `json:"verdict"`
	Summary string `json:"summary"`
	// FirstRiskStage is the 1-based number of the first stage that breaks
	// paths or adds a blocking finding (the run exits 3), 0 when none.
	FirstRiskStage int `json:"first_risk_stage"`
	// Scope is what the stage verdicts cover and what they do not.
	Scope  planner.Scope `json:"scope"`
	Stages []stageDoc    `json:"stages"`
	// Sources is the bibliography of every key the prerequisites cite.
	Sources []source `json:"sources"`
}

type stageDoc struct {
	Number        int         `json:"number"`
	Name          string      `json:"name"`
	Date          string      `json:"date,omitempty"`
	Window        string      `json:"window,omitempty"`
	Owner         string      `json:"owner,omitempty"`
	Note          string      `json:"note,omitempty"`
	Verdict       string      `json:"verdict"`
	Reasons       []string    `json:"reasons"`
	Prerequisites []prereqDoc `json:"prerequisites"`
	Diff          diffDoc     `json:"diff"`
	Runbook       runbookDoc  `json:"runbook"`
}

type prereqDoc struct {
	Rule     string           `json:"rule"`
	Title    string           `json:"title"`
	Severity planner.Severity `json:"severity"`
	Subject  string           `json:"subject"`
	Users    int              `json:"users,omitempty"`
	Why      string           `json:"why"`
	Needs    string           `json:"needs"`
	Source   string           `json:"source"`
	// Sources are bibliography keys (see the plan's "sources").
	Sources []string `json:"sources"`
	// ProvidedByStage is the 1-based number of the later stage that
	// provides it (the order is wrong), 0 when no stage does.
	ProvidedByStage int `json:"provided_by_stage"`
}

type runbookDoc struct {
	GoNoGo []string            `json:"go_no_go"`
	DNS    []dnsDoc            `json:"dns_changes"`
	URLs   []planner.URLChange `json:"url_changes"`
	Tasks  []taskDoc           `json:"tasks"`
}

type dnsDoc struct {
	Record string   `json:"record"`
	Zone   string   `json:"zone"`
	View   string   `json:"view"`
	Before []string `json:"before"`
	After  []string `json:"after"`
	TTL    string   `json:"ttl"`
}

type taskDoc struct {
	Phase   string `json:"phase"`
	Server  string `json:"server,omitempty"`
	Shell   string `json:"shell"`
	Action  string `json:"action"`
	Command string `json:"command,omitempty"`
	From    string `json:"from"`
}

// WriteProgram writes program.json for pr.
func WriteProgram(w io.Writer, pr *planner.Program) error {
	doc := programDoc{Schema: planner.ProgramSchema, Name: pr.Name, Organization: pr.Organization,
		AsOf: pr.Base.AsOf.Format("2006-01-02"), Verdict: pr.Verdict, Summary: pr.Summary(), FirstRiskStage: pr.FirstRisk + 1, Scope: planner.PlanScope(), Stages: []stageDoc{}}
	for _, s := range pr.Stages {
		sd := stageDoc{Number: s.Index + 1, Name: s.Stage.Name, Date: s.Stage.Date, Window: s.Stage.Window, Owner: s.Stage.Owner, Note: s.Stage.Note,
			Verdict: s.Verdict, Reasons: nonNil(s.Reasons), Prerequisites: []prereqDoc{}, Diff: diffDocOf(s.Diff)}
		sd.Diff.Schema = ""
		for _, p := range s.Prereqs {
			sd.Prerequisites = append(sd.Prerequisites, prereqDoc{p.Rule, p.Title, p.Severity, p.Subject, p.Users, p.Why, p.Needs, strings.Join(p.Sources, "; "), append([]string{}, p.Sources...), p.ProvidedBy + 1})
		}
		rb := runbookDoc{GoNoGo: nonNil(s.Runbook.GoNoGo), DNS: []dnsDoc{}, URLs: s.Runbook.URLs, Tasks: []taskDoc{}}
		if rb.URLs == nil {
			rb.URLs = []planner.URLChange{}
		}
		for _, c := range s.Runbook.DNS {
			rb.DNS = append(rb.DNS, dnsDoc{c.Record, c.Zone, c.View, nonNil(c.Before), nonNil(c.After), c.TTL})
		}
		for _, t := range s.Runbook.Tasks {
			rb.Tasks = append(rb.Tasks, taskDoc{t.Phase, t.Server, t.Shell, t.Action, t.Command, t.From})
		}
		sd.Runbook = rb
		doc.Stages = append(doc.Stages, sd)
	}
	bw := bufio.NewWriter(w)
	var keys []string
	for _, st := range doc.Stages {
		for _, p := range st.Prerequisites {
			keys = append(keys, p.Sources...)
		}
	}
	doc.Sources = []source{}
	for _, s := range planner.NewBibliography(keys).Entries {
		doc.Sources = append(doc.Sources, source{s.Key, s.Title, s.Author, s.Publisher, s.Date, s.URL, s.Note, s.Kind})
	}
	bw.Write(marshalIndent(doc))
	bw.WriteByte('\n')
	return bw.Flush()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
