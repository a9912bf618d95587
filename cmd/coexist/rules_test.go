package main

import (
	"strings"
	"testing"

	"github.com/coexist/coexist/planner"
)

// TestRulesLongPrintsRemedies: "coexist rules --long" tells, under each
// rule, what to do when it fires.
func TestRulesLongPrintsRemedies(t *testing.T) {
	code, out, stderr := runCLI(t, "rules", "--long")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, r := range planner.Rules() {
		i := strings.Index(out, "\n"+r.ID+" — ")
		if i < 0 {
			t.Errorf("rules --long lacks %s", r.ID)
			continue
		}
		block := out[i+1:]
		if j := strings.Index(block, "\n\n"); j >= 0 {
			block = block[:j]
		}
		if r.Remedy == "" || !strings.Contains(block, "\n  Remedy: "+r.Remedy+"\n") {
			t.Errorf("rules --long: %s has no remedy line; got:\n%s", r.ID, block)
		}
	}
}
