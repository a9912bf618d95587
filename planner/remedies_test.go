package planner

import (
	"strings"
	"testing"
)

// TestEveryRuleHasARemedy: every rule that inspects the organisation
// (has a Check) tells the administrator what to do when it fires, and so
// does every path rule (what to do, or "None: describes how clients
// connect"); the remedy table names no rule that does not exist.
func TestEveryRuleHasARemedy(t *testing.T) {
	checks := 0
	for _, r := range Rules() {
		if r.Check != nil {
			checks++
			if strings.TrimSpace(r.Remedy) == "" {
				t.Errorf("check rule %s has no Remedy", r.ID)
			}
			if strings.HasPrefix(r.Remedy, "None") {
				t.Errorf("check rule %s: remedy %q, want what to do when it reports a finding", r.ID, r.Remedy)
			}
			continue
		}
		if strings.TrimSpace(r.Remedy) == "" {
			t.Errorf("path rule %s has no Remedy", r.ID)
		}
	}
	if checks == 0 {
		t.Fatal("no rule has a Check")
	}
	for id, text := range ruleRemedies {
		if RuleByID(id) == nil {
			t.Errorf("ruleRemedies names %s, which is not a rule", id)
		}
		if internalKey.MatchString(text) {
			t.Errorf("remedy of %s carries an internal key: %q", id, text)
		}
		if !strings.HasSuffix(text, ".") {
			t.Errorf("remedy of %s: want a sentence ending with a full stop: %q", id, text)
		}
	}
}
