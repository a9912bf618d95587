package planner

import (
	"sort"
	"strings"
)

// Severity ranks a finding: error blocks the migration.
type Severity string

// Severities, most serious first.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// Rank orders severities: error 0, warning 1, info 2.
func (s Severity) Rank() int {
	switch s {
	case SevError:
		return 0
	case SevWarning:
		return 1
	}
	return 2
}

// Rule is one piece of Exchange coexistence knowledge, identified as in
// coexistence-rules.md. Path rules are applied while computing paths;
// check rules have a Check that inspects the whole organisation.
type Rule struct {
	ID       string
	Title    string
	Severity Severity // default severity of its findings
	// Doc is the long description printed by "coexist rules --long".
	Doc string
	// Source cites coexistence-rules.md's source keys ("MS S14; seed 001").
	Source string
	// Inferred marks behaviour tagged [INFER] in the rules: outputs label
	// it "inferred" so a consultant verifies it.
	Inferred bool
	// Section of coexistence-rules.md the rule comes from ("1", "2d", …).
	Section string
	// Check, when set, inspects the organisation and reports findings.
	Check func(p *Pass)
}

// SourceText is the rule's source with an "(inferred)" label when the rule
// is an inference.
func (r *Rule) SourceText() string {
	if r.Inferred {
		return r.Source + " (inferred)"
	}
	return r.Source
}

var ruleIndex map[string]*Rule

// RuleByID returns the rule with that ID, or nil.
func RuleByID(id string) *Rule {
	if ruleIndex == nil {
		ruleIndex = map[string]*Rule{}
		for _, r := range Rules() {
			ruleIndex[r.ID] = r
		}
	}
	return ruleIndex[id]
}

// Rules returns every rule, sorted by section then ID. The list is the
// concatenation of pathRules (section 2–3 behaviour applied per path) and
// checkRules (sections 1, 3, 4, 5 organisation checks).
func Rules() []*Rule {
	all := append(append([]*Rule{}, pathRules...), checkRules...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Section != all[j].Section {
			return all[i].Section < all[j].Section
		}
		return all[i].ID < all[j].ID
	})
	return all
}

// Finding is one problem or advisory the plan reports.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	// Subject is what the finding is about: a server, namespace,
	// certificate, client profile or the organisation.
	Subject     string `json:"subject"`
	Message     string `json:"message"`
	Remediation string `json:"remediation,omitempty"`
	Source      string `json:"source"`
	Inferred    bool   `json:"inferred,omitempty"`
	// Fix is the structured remediation behind Remediation, for
	// remediation.ps1 and the .reg files.
	Fix Fix `json:"-"`
}

// Fix is what to do about a finding, in machine-usable parts.
type Fix struct {
	// Shell holds Exchange Management Shell / PowerShell commands, with
	// the "#!" directives remediation.ps1 runs them by (shell, read-only
	// check, backup, change); Commands drops the directives.
	Shell []string
	// Registry holds registry values to set on Server (a .reg file).
	Server   string
	Registry []RegValue
	// KBs lists updates to install.
	KBs []string
	// Steps are manual steps in words.
	Steps []string
}

// RegValue is one registry DWORD to set.
type RegValue struct {
	Key   string // full key path, starting with HKEY_LOCAL_MACHINE\
	Name  string
	Value uint32
	// Recorded says the inventory records the value's state before the
	// change: Was, or nil when the value is undefined (absent). The undo
	// .reg file restores Was or deletes the value; without a record it
	// points to the backup remediation.ps1 takes.
	Recorded bool
	Was      *uint32
}

// was returns the inventory's record of a registry value for
// RegValue.Was: nil when undefined.
func was(v *int) *uint32 {
	if v == nil {
		return nil
	}
	u := uint32(*v)
	return &u
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() < b.Severity.Rank()
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if a.Subject != b.Subject {
			return strings.ToLower(a.Subject) < strings.ToLower(b.Subject)
		}
		return a.Message < b.Message
	})
}
