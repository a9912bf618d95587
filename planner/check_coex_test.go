package planner

import (
	"testing"

	"github.com/coexist/coexist/model"
)

func TestCoex20102007(t *testing.T) {
	runCases(t, ruleCoex20102007, []ruleCase{
		{name: "no 2007", want: nil},
		{name: "2007 SP2 meets it", edit: func(inv *model.Inventory) { addServer(inv, "EX2007", "8.2.176.2") }},
		{name: "2007 SP1 below", edit: func(inv *model.Inventory) { addServer(inv, "EX2007", "8.1.240.6") },
			want:     []string{"error COEX-2010-2007 EX2007"},
			contains: []string{"EX2007 runs Exchange 2007 SP1 (8.1.240.6); coexistence with Exchange 2010 needs Exchange 2007 SP2 (8.2.176.2) or later"}},
	})
}

func TestCoex20132007(t *testing.T) {
	runCases(t, ruleCoex20132007, []ruleCase{
		{name: "met", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2013", "15.0.712.24")
			addServer(inv, "EX2007", "8.3.298.3")
		}},
		{name: "2007 below RU10 and 2013 below CU2", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2013", "15.0.620.29")
			addServer(inv, "EX2007", "8.3.297.2", "Edge")
		}, want: []string{"error COEX-2013-2007 EX2007", "error COEX-2013-2007 EX2013"},
			contains: []string{"Exchange 2007 SP3 RU10 (8.3.298.3)", "Exchange 2013 CU2 (15.0.712.24)", "Edge Transport server"}},
		{name: "no 2013", edit: func(inv *model.Inventory) { addServer(inv, "EX2007", "8.1.240.6") }},
	})
}

func TestCoex20132010(t *testing.T) {
	runCases(t, ruleCoex20132010, []ruleCase{
		{name: "no 2013"},
		{name: "2010 RU32 with 2013 CU23", edit: func(inv *model.Inventory) { addServer(inv, "EX2013", "15.0.1497.2") }},
		{name: "2010 SP2 is an error", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2013", "15.0.1497.2")
			srv(inv, "EX2010").Build = "14.2.390.3"
		}, want: []string{"error COEX-2013-2010 EX2010"}, contains: []string{"needs Exchange 2010 SP3 (14.3.123.4) or later"}},
		{name: "2010 SP3 RTM is advised to RU1", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2013", "15.0.1497.2")
			srv(inv, "EX2010").Build = "14.3.123.4"
		}, want: []string{"warning COEX-2013-2010 EX2010"}, contains: []string{"Exchange 2010 SP3 RU1 (14.3.146.0)", "open other mailbox"}},
		{name: "2013 CU1 is an error", edit: func(inv *model.Inventory) { addServer(inv, "EX2013", "15.0.620.29") },
			want: []string{"error COEX-2013-2010 EX2013"}},
	})
}

func TestCoex20162010(t *testing.T) {
	runCases(t, ruleCoex20162010, []ruleCase{
		{name: "RU32 meets it"},
		{name: "RU11 meets it", edit: func(inv *model.Inventory) { srv(inv, "EX2010").Build = "14.3.266.2" }},
		{name: "RU5 below", edit: func(inv *model.Inventory) { srv(inv, "EX2010").Build = "14.3.181.6" },
			want: []string{"error COEX-2016-2010 EX2010"},
			contains: []string{
				"EX2010 runs Exchange 2010 SP3 RU5 (14.3.181.6); coexistence with Exchange 2016 needs Exchange 2010 SP3 RU11 (14.3.266.2) or later",
				"Invoke-Command -ComputerName 'ex2010.contoso.com'",
			}},
		{name: "AdminDisplayVersion only", edit: func(inv *model.Inventory) {
			s := srv(inv, "EX2010")
			s.Build, s.Version = "", "Version 14.3 (Build 123.4)"
		}, want: []string{"error COEX-2016-2010 EX2010"}, contains: []string{"AdminDisplayVersion, which Exchange 2010 update rollups do not change"}},
		{name: "Edge below", edit: func(inv *model.Inventory) { addServer(inv, "EDGE2010", "14.3.235.1", "Edge") },
			want: []string{"error COEX-2016-2010 EDGE2010"}},
	})
}

func TestCoex20162013(t *testing.T) {
	runCases(t, ruleCoex20162013, []ruleCase{
		{name: "CU10 meets it", edit: func(inv *model.Inventory) { addServer(inv, "EX2013", "15.0.1130.7") }},
		{name: "CU9 below", edit: func(inv *model.Inventory) { addServer(inv, "EX2013", "15.0.1104.5") },
			want: []string{"error COEX-2016-2013 EX2013"}, contains: []string{"Exchange 2013 CU10 (15.0.1130.7)"}},
	})
}

func TestCoex20192013(t *testing.T) {
	runCases(t, ruleCoex20192013, []ruleCase{
		{name: "no 2019", edit: func(inv *model.Inventory) { addServer(inv, "EX2013", "15.0.1367.3") }},
		{name: "CU21 meets it", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2019", "15.2.1748.10")
			addServer(inv, "EX2013", "15.0.1395.4")
		}},
		{name: "CU20 below", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2019", "15.2.1748.10")
			addServer(inv, "EX2013", "15.0.1367.3")
		}, want: []string{"error COEX-2019-2013 EX2013"}},
	})
}

func TestCoex20192016(t *testing.T) {
	runCases(t, ruleCoex20192016, []ruleCase{
		{name: "CU23 meets it", edit: func(inv *model.Inventory) { addServer(inv, "EX2019", "15.2.1748.10") }},
		{name: "CU10 below", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2019", "15.2.1748.10")
			srv(inv, "EX2016").Build = "15.1.1531.3"
		}, want: []string{"error COEX-2019-2016 EX2016"}, contains: []string{"Exchange 2016 CU11 (15.1.1591.10)"}},
	})
}

func TestCoex20162007(t *testing.T) {
	runCases(t, ruleCoex20162007, []ruleCase{
		{name: "no 2007"},
		{name: "2007 blocks 2016", edit: func(inv *model.Inventory) { addServer(inv, "EX2007", "8.3.517.0") },
			want:     []string{"error COEX-2016-2007 Contoso"},
			contains: []string{"setup blocks", "EX2007", "AdminDisplayVersion.Major -eq 8"}},
	})
}

func TestCoex20192010(t *testing.T) {
	runCases(t, ruleCoex20192010, []ruleCase{
		{name: "no 2019"},
		{name: "2019 with 2010", edit: func(inv *model.Inventory) { addServer(inv, "EX2019", "15.2.1748.10") },
			want: []string{"error COEX-2019-2010 Contoso"}, contains: []string{"AdminDisplayVersion.Major -eq 14"}},
		{name: "2019 with 2010 and 2007", edit: func(inv *model.Inventory) {
			addServer(inv, "EX2019", "15.2.1748.10")
			addServer(inv, "EX2007", "8.3.517.0")
		}, want: []string{"error COEX-2019-2010 Contoso", "error COEX-2019-2010 Contoso"}},
	})
}

func TestCoexOS(t *testing.T) {
	runCases(t, ruleCoexOS, []ruleCase{
		{name: "supported"},
		{name: "OS not recorded", edit: func(inv *model.Inventory) { srv(inv, "EX2016").OS = "" }},
		{name: "2016 on Windows Server 2019", edit: func(inv *model.Inventory) { srv(inv, "EX2016").OS = "Windows Server 2019 Datacenter" },
			want: []string{"error COEX-OS EX2016"}, contains: []string{"which Exchange 2016 does not support (supported: Windows Server 2012, Windows Server 2012 R2 and Windows Server 2016 (from CU3))"}},
		{name: "2010 on 2008 R2 without SP1", edit: func(inv *model.Inventory) { srv(inv, "EX2010").OS = "Windows Server 2008 R2 Enterprise" },
			want: []string{"error COEX-OS EX2010"}, contains: []string{"needs Windows Server 2008 R2 SP1"}},
		{name: "2010 RU4 on 2012 R2", edit: func(inv *model.Inventory) { srv(inv, "EX2010").Build = "14.3.174.1" },
			want: []string{"error COEX-OS EX2010"}, contains: []string{"which needs Exchange 2010 SP3 RU5 (14.3.181.6) or later"}},
		{name: "client OS on a server", edit: func(inv *model.Inventory) { srv(inv, "EX2016").OS = "Windows 10" },
			want: []string{"error COEX-OS EX2016"}},
		{name: "unrecognised OS", edit: func(inv *model.Inventory) { srv(inv, "EX2016").OS = "Server 2016" },
			want: []string{"warning COEX-OS EX2016"}},
		{name: "2019 CU11 on 2022", edit: func(inv *model.Inventory) { addServer(inv, "EX2019", "15.2.986.5").OS = "Windows Server 2022" },
			want: []string{"error COEX-OS EX2019"}, contains: []string{"Exchange 2019 CU12"}},
	})
}
