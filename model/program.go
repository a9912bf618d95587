package model

import "fmt"

// Program is a migration programme: stages of edits applied in order, each
// on the result of the one before (a program file's [program] table and
// [[stage]] tables).
type Program struct {
	// Name titles the programme ("Contoso 2010 to 2016").
	Name   string  `toml:"name"`
	Stages []Stage `toml:"-"`
}

// Stage is one change window of a programme: what is done, when, by whom.
type Stage struct {
	Name string `toml:"name"`
	// Date is the planned day (YYYY-MM-DD) the stage starts.
	Date string `toml:"date"`
	// Window is the change window in words ("Sat 08:00–18:00 CET").
	Window string `toml:"window"`
	// Owner is who carries the stage out and signs it off.
	Owner string `toml:"owner"`
	// Note describes the stage for the change board.
	Note string `toml:"note"`
	// Edits are the stage's [[stage.edit]] tables, in the what-if edit
	// vocabulary (EditOps).
	Edits []Edit `toml:"-"`
}

// Check reports problems of the programme itself (not of its edits): each
// stage needs a unique name and edits; dates are YYYY-MM-DD and never go
// back in time. Ref.Kind is "stage", Ref.Row the stage's index.
func (p *Program) Check() Problems {
	var ps Problems
	seen := map[string]int{}
	last, lastRow := "", -1
	for i, s := range p.Stages {
		ref := func(field string) Ref { return Ref{Kind: "stage", Row: i, Field: field, Elem: -1} }
		switch j, dup := seen[Key(s.Name)]; {
		case s.Name == "":
			ps.add(ref(""), "stage %d has no name", i+1)
		case dup:
			ps.add(ref("name"), "stage name %q is already used by stage %d", s.Name, j+1)
		default:
			seen[Key(s.Name)] = i
		}
		if len(s.Edits) == 0 {
			ps.add(ref(""), "stage %q has no [[stage.edit]] tables: nothing to do", s.Name)
		}
		if s.Date != "" {
			if _, err := ParseDate(s.Date); err != nil {
				ps.add(ref("date"), "%v", err)
			} else {
				if last != "" && s.Date < last {
					ps.add(ref("date"), "date %s is before stage %d's date %s: stages run in order", s.Date, lastRow+1, last)
				}
				last, lastRow = s.Date, i
			}
		}
	}
	if len(p.Stages) == 0 {
		ps.add(Ref{Kind: "program", Elem: -1}, "no [[stage]] tables: nothing to plan")
	}
	return ps
}

// StageLabel names stage i (0-based) for messages: "stage 2 \"Namespaces\"".
func (p *Program) StageLabel(i int) string {
	return fmt.Sprintf("stage %d %q", i+1, p.Stages[i].Name)
}
