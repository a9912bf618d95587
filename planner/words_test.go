package planner_test

import (
	"testing"

	"github.com/coexist/coexist/planner"
)

func TestReadiness(t *testing.T) {
	tests := []struct {
		files []string
		want  string
	}{
		{[]string{"s1-contoso.toml"}, planner.ReadinessNotReady},                                    // NS-MAPI-LB blocks
		{[]string{"s3-2013-2010.toml", "variants/s3b-oa-disabled.toml"}, planner.ReadinessNotReady}, // broken paths
		{[]string{"s2-2007-2010.toml"}, planner.ReadinessWarnings},                                  // 2007 has no TLS 1.2 path
	}
	for _, tt := range tests {
		t.Run(tt.files[0], func(t *testing.T) {
			if got := plan(t, tt.files...).Readiness(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if planner.OutcomeRank(planner.OutcomeBroken) >= planner.OutcomeRank(planner.OutcomeWarning) {
		t.Error("broken must rank worse than warning")
	}
	if planner.ActionName(planner.ActRedirect451) != "HTTP 451 redirect" || planner.OutcomeName("") != "—" {
		t.Error("words changed")
	}
}
