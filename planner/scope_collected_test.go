package planner

import (
	"strings"
	"testing"
)

// TestScopeNamesCollectedButUnassessedSettings: inventory settings that no
// rule reads are named in the scope as recorded but not assessed, so a
// reader does not take their presence for a check.
func TestScopeNamesCollectedButUnassessedSettings(t *testing.T) {
	var text strings.Builder
	sc := PlanScope()
	for _, a := range append(sc.Assessed, sc.NotAssessed...) {
		text.WriteString(a.Detail + "\n")
	}
	for _, want := range []string{
		"ExternalConnectionSettings are recorded but not assessed",
		"the layer recorded for each, 4 or 7, is not assessed",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("scope lacks %q", want)
		}
	}
}
