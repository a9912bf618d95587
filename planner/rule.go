package planner

import (
	"regexp"
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

// Rule is one piece of Exchange coexistence knowledge. Path rules are
// applied while computing paths; check rules have a Check that inspects
// the whole organisation.
type Rule struct {
	ID       string
	Title    string
	Severity Severity // default severity of its findings
	// Doc is the long description printed by "coexist rules --long".
	Doc string
	// Remedy is what an administrator does when the rule fires, in a
	// sentence or two (see ruleRemedies); rules that describe how clients
	// connect say "None: describes how clients connect".
	Remedy string
	// Sources are bibliography keys (see SourceByKey) of the publications
	// the rule rests on; a test fails on a key the bibliography lacks.
	Sources []string
	// Inferred marks behaviour no source states outright: our reading of
	// them. Outputs label it "inferred" so a consultant verifies it.
	Inferred bool
	// Section orders and groups the rules ("1" support and builds, "2…"
	// client connectivity, "3" authentication, "4" TLS, "5" certificates
	// and namespaces). Outputs print Area, never the section.
	Section string
	// Check, when set, inspects the organisation and reports findings.
	Check func(p *Pass)
}

// Basis says how the rule is known: inferred when marked so, documented
// when a Microsoft text supports it, practitioner otherwise.
func (r *Rule) Basis() Basis { return basisOf(r.Sources, r.Inferred) }

// Tag is the citation a path note ends with: the rule ID, its
// bibliography keys and "inferred" when it is, as "[ID; key, key]".
func (r *Rule) Tag() string {
	parts := []string{r.ID}
	if len(r.Sources) > 0 {
		parts = append(parts, strings.Join(r.Sources, ", "))
	}
	if r.Inferred {
		parts = append(parts, "inferred")
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// Area names the rule's group in words, for catalogues.
func (r *Rule) Area() string {
	switch {
	case strings.HasPrefix(r.Section, "1"):
		return "Coexistence, builds and support"
	case strings.HasPrefix(r.Section, "2"):
		return "Client connectivity"
	case strings.HasPrefix(r.Section, "3"):
		return "Authentication"
	case strings.HasPrefix(r.Section, "4"):
		return "TLS 1.2 readiness"
	case strings.HasPrefix(r.Section, "5"):
		return "Certificates and namespaces"
	}
	return "Other"
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
	// Sources are the bibliography keys of the rule behind the finding.
	Sources []string `json:"sources"`
	// Basis is how the finding's rule is known.
	Basis    Basis `json:"basis"`
	Inferred bool  `json:"inferred,omitempty"`
	// Fix is the structured remediation behind Remediation, for
	// remediation.ps1 and the .reg files.
	Fix Fix `json:"-"`
}

// SourceKeys is the finding's bibliography keys in one string
// ("kb3140410; byronwright-coexistence-notes").
func (f *Finding) SourceKeys() string { return strings.Join(f.Sources, "; ") }

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

// noteTag matches a citation Tag left in a path note:
// "[PATH-RPC-ARRAY; ms-ex2013-cas, blog-ambiguous-urls; inferred]".
var noteTag = regexp.MustCompile(`\[([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)((?:; [^\]\[]*)?)\]`)

// rewriteTags replaces each citation Tag in a path note by what cite
// makes of its rule, source keys and inferred mark. Brackets that are not
// a known rule's tag are left alone.
func rewriteTags(note string, cite func(id string, keys []string, inferred bool) string) string {
	if !strings.Contains(note, "[") {
		return note
	}
	return noteTag.ReplaceAllStringFunc(note, func(tag string) string {
		m := noteTag.FindStringSubmatch(tag)
		if RuleByID(m[1]) == nil {
			return tag
		}
		var keys []string
		inferred := false
		for _, part := range strings.Split(strings.TrimPrefix(m[2], "; "), "; ") {
			if part == "inferred" {
				inferred = true
				continue
			}
			for _, k := range strings.Split(part, ", ") {
				if k != "" {
					keys = append(keys, k)
				}
			}
		}
		return cite(m[1], keys, inferred)
	})
}

// ruleMark is "[ID]", or "[ID, inferred]" for an inferred rule.
func ruleMark(id string, inferred bool) string {
	if inferred {
		return "[" + id + ", inferred]"
	}
	return "[" + id + "]"
}

// NoteForReader rewrites the citation tags of a path note for an output
// without a bibliography of its own: the rule ID and "inferred" stay,
// the source keys go (the output names the rule's sources elsewhere).
func NoteForReader(note string) string {
	return rewriteTags(note, func(id string, _ []string, inferred bool) string { return ruleMark(id, inferred) })
}

// NoteSources are the bibliography keys the citation tags of a path note
// name, in order.
func NoteSources(note string) []string {
	var out []string
	rewriteTags(note, func(_ string, keys []string, _ bool) string {
		out = append(out, keys...)
		return ""
	})
	return out
}
