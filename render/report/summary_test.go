package report

import (
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
)

// synthPlan plans a generated estate as coexist gen makes it.
func synthPlan(t testing.TB, c synth.Config) *planner.Plan {
	t.Helper()
	inv, err := synth.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	if ps := inv.Validate(); len(ps) > 0 {
		t.Fatalf("generated inventory: %s", ps[0].Message)
	}
	asOf, _ := model.ParseDate("2026-12-01")
	return planner.Run(inv, planner.Options{AsOf: asOf})
}

// TestSummaryOnePage: the executive summary takes one page on generated
// estates whose full summary would not (the 2,000-mailbox estate's
// protocol table used to end on a page of its own): the page after the
// verdict's is the topology's, and the summary page ends with the
// protocol table's last protocol.
func TestSummaryOnePage(t *testing.T) {
	for name, c := range map[string]synth.Config{
		"2k":           {Seed: 1, Mailboxes: 2000},
		"2k 2007-2010": {Seed: 1, Mailboxes: 2000, Mix: "2007-2010"},
		"4k 40 sites":  {Seed: 1, Mailboxes: 4000, Sites: 40},
	} {
		t.Run(name, func(t *testing.T) {
			p := synthPlan(t, c)
			r := newReport(Input{Plan: p})
			t.Logf("form %+v", r.summaryForm())
			b := write(t, Input{Plan: p})
			at := 0
			for pg := 1; pg <= 6; pg++ {
				if strings.Contains(pageText(t, b, pg, pg), "Readiness: ") {
					at = pg
					break
				}
			}
			if at == 0 {
				t.Fatal("no verdict in the first pages")
			}
			sum := pageText(t, b, at, at)
			last := protocolName(planner.Protocols[len(planner.Protocols)-1])
			if !strings.Contains(sum, "Users by protocol") || !strings.Contains(sum[strings.Index(sum, "Users by protocol"):], last) {
				t.Errorf("the summary's page %d lacks its protocol table down to %s:\n%s", at, last, sum)
			}
			if next := pageText(t, b, at+1, at+1); !strings.HasPrefix(next, "Topology ") {
				t.Errorf("page %d, after the summary's, is not the topology's: %.200s", at+1, next)
			}
		})
	}
}
