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
		// At its plan date (2026) S2's target, Exchange 2010, is long out of support (LIFE-EXCHANGE).
		{[]string{"s2-2007-2010.toml"}, planner.ReadinessNotReady},
	}
	for _, tt := range tests {
		t.Run(tt.files[0], func(t *testing.T) {
			if got := plan(t, tt.files...).Readiness(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// In mid-2019 Exchange 2010 was still supported: only warnings remain
	// (2007 has no TLS 1.2 path and is past its end; Windows Server 2008 R2
	// ends within a year).
	t.Run("s2 in 2019", func(t *testing.T) {
		p := planAt(t, "2019-06-01", "s2-2007-2010.toml")
		if got := p.Readiness(); got != planner.ReadinessWarnings {
			t.Errorf("got %q, want %q", got, planner.ReadinessWarnings)
			for _, f := range p.Findings {
				t.Logf("%s %s %s: %s", f.Severity, f.ID, f.Subject, f.Message)
			}
		}
	})
	if planner.OutcomeRank(planner.OutcomeBroken) >= planner.OutcomeRank(planner.OutcomeWarning) {
		t.Error("broken must rank worse than warning")
	}
	if planner.ActionName(planner.ActRedirect451) != "HTTP 451 redirect" || planner.OutcomeName("") != "—" {
		t.Error("words changed")
	}
}
