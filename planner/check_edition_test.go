package planner

import (
	"fmt"
	"testing"

	"github.com/coexist/coexist/model"
)

// addDatabases gives server n more mailbox databases, named DB-n-1…
func addDatabases(inv *model.Inventory, server string, n int) {
	for i := 1; i <= n; i++ {
		inv.Databases = append(inv.Databases, model.Database{Name: fmt.Sprintf("DB-%s-%d", server, i), Server: server})
	}
}

func TestCoexEdition(t *testing.T) {
	edition := func(e string) func(inv *model.Inventory) {
		return func(inv *model.Inventory) { srv(inv, "EX2016").Edition = e }
	}
	runCases(t, ruleCoexEdition, []ruleCase{
		{name: "no edition recorded"},
		{name: "edition Unknown is not checked", edit: edition("Unknown")},
		{name: "Enterprise", edit: edition("Enterprise")},
		{name: "Standard", edit: edition("Standard")},
		{name: "StandardEvaluation on 2016", edit: edition("StandardEvaluation"),
			want:     []string{"warning COEX-EDITION EX2016"},
			contains: []string{"EX2016 is unlicensed: its edition is StandardEvaluation", "up to 180 days", "Set-ExchangeServer 'EX2016' -ProductKey"}},
		{name: "EnterpriseEvaluation on 2010: no 180-day claim", edit: func(inv *model.Inventory) { srv(inv, "EX2010").Edition = "EnterpriseEvaluation" },
			want: []string{"warning COEX-EDITION EX2010"}, contains: []string{"EX2010 is unlicensed"}},
		// The Standard limit: five databases mount, a sixth does not.
		{name: "Standard with five databases", edit: func(inv *model.Inventory) {
			edition("Standard")(inv)
			addDatabases(inv, "EX2016", 4) // DB2016 + 4
		}},
		{name: "Standard with six databases", edit: func(inv *model.Inventory) {
			edition("Standard")(inv)
			addDatabases(inv, "EX2016", 5)
		}, want: []string{"error COEX-EDITION EX2016"},
			contains: []string{"holds the active copy of 6", "DB-EX2016-5", "Enter an Enterprise product key"}},
		{name: "trial with six databases is the database error", edit: func(inv *model.Inventory) {
			edition("EnterpriseEvaluation")(inv)
			addDatabases(inv, "EX2016", 5)
		}, want: []string{"error COEX-EDITION EX2016"}},
		{name: "Enterprise with six databases", edit: func(inv *model.Inventory) {
			edition("Enterprise")(inv)
			addDatabases(inv, "EX2016", 5)
		}},
		{name: "Standard 2010 with six databases: count not checked before 2016", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").Edition = "Standard"
			addDatabases(inv, "EX2010", 5)
		}},
	})
}
