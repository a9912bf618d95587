package planner

import (
	"testing"
	"time"

	"github.com/coexist/coexist/model"
)

// at returns a pass hook that sets the plan date.
func at(date string) func(p *Pass) {
	t, err := model.ParseDate(date)
	if err != nil {
		panic(err)
	}
	return func(p *Pass) { p.AsOf = t }
}

// TestLifeWindowBoundaries: every lifecycle entry is supported until 12
// months before its end, near from then to its end date included, and past
// from the next day.
func TestLifeWindowBoundaries(t *testing.T) {
	all := map[string]support{}
	for v, s := range exchangeLife {
		all["exchange "+v.String()] = s
	}
	for k, s := range windowsServerLife {
		all["windows server "+k] = s
	}
	for y, s := range outlookLife {
		all["outlook "+model.Outlook{Year: y}.String()] = s
	}
	for k, s := range windowsClientLife {
		all["windows "+k] = s
	}
	for name, s := range all {
		t.Run(name, func(t *testing.T) {
			end := s.end()
			if s.Mainstream != "" {
				m, err := model.ParseDate(s.Mainstream)
				if err != nil || !m.Before(end) {
					t.Errorf("mainstream end %q is not a date before %s", s.Mainstream, s.End)
				}
			}
			day := 24 * time.Hour
			nearFrom := end.AddDate(0, -lifeNearMonths, 0)
			for _, tc := range []struct {
				at   time.Time
				want lifeState
			}{
				{nearFrom.Add(-day), lifeSupported},
				{nearFrom, lifeNear},
				{end, lifeNear},
				{end.Add(day), lifePast},
			} {
				if got := s.state(tc.at); got != tc.want {
					t.Errorf("%s at %s: got state %d, want %d", s.Product, tc.at.Format("2006-01-02"), got, tc.want)
				}
			}
		})
	}
	// The dates a 2026 plan rests on.
	for _, tc := range []struct {
		s    support
		want string
	}{
		{exchangeLife[model.V2007], "2017-04-11"},
		{exchangeLife[model.V2010], "2020-10-13"},
		{exchangeLife[model.V2013], "2023-04-11"},
		{exchangeLife[model.V2016], "2025-10-14"},
		{exchangeLife[model.V2019], "2025-10-14"},
		{windowsServerLife["2008 R2"], "2020-01-14"},
		{windowsServerLife["2012 R2"], "2023-10-10"},
		{windowsServerLife["2016"], "2027-01-12"},
		{windowsServerLife["2019"], "2029-01-09"},
		{windowsServerLife["2022"], "2031-10-14"},
		{outlookLife[2013], "2023-04-11"},
		{windowsClientLife["8.1"], "2023-01-10"},
		{windowsClientLife["10"], "2025-10-14"},
	} {
		if tc.s.End != tc.want {
			t.Errorf("%s ends %s, want %s", tc.s.Product, tc.s.End, tc.want)
		}
	}
}

// The base inventory: EX2010 (Exchange 2010 SP3 RU32 on Windows Server
// 2012 R2, being replaced) and EX2016 (2016 CU23 on Windows Server 2016, the
// target); client profile win10 uses Outlook 2016 on Windows 10.

func TestLifeExchange(t *testing.T) {
	runCases(t, ruleLifeExchange, []ruleCase{
		{name: "2026: the 2016 target is out of support, 2010 is being replaced", pass: at("2026-01-01"),
			want: []string{"error LIFE-EXCHANGE Contoso", "warning LIFE-EXCHANGE EX2010"},
			contains: []string{
				"The migration's target version, Exchange Server 2016 (EX2016), is out of support since 2025-10-14",
				"The supported on-premises version is Exchange Server Subscription Edition (SE), on Windows Server 2019, 2022 or 2025",
				"EX2010 runs Exchange Server 2010, out of support since 2020-10-13",
				"decommissioning it is the remedy",
				"Introduce Exchange Server SE servers",
			}},
		{name: "last day of 2016 support: a warning", pass: at("2025-10-14"),
			want:     []string{"warning LIFE-EXCHANGE Contoso", "warning LIFE-EXCHANGE EX2010"},
			contains: []string{"reaches the end of its support on 2025-10-14, the plan date"}},
		{name: "the day after: an error", pass: at("2025-10-15"),
			want: []string{"error LIFE-EXCHANGE Contoso", "warning LIFE-EXCHANGE EX2010"}},
		{name: "12 months before the end: a warning", pass: at("2024-10-14"),
			want:     []string{"warning LIFE-EXCHANGE Contoso", "warning LIFE-EXCHANGE EX2010"},
			contains: []string{"2025-10-14, 365 days after the plan date (2024-10-14)"}},
		{name: "a day earlier: nothing for the target", pass: at("2024-10-13"),
			want: []string{"warning LIFE-EXCHANGE EX2010"}},
		{name: "a version being replaced near its end: info", pass: at("2019-10-13"),
			want: []string{"info LIFE-EXCHANGE EX2010"}},
		{name: "before that: nothing", pass: at("2019-10-12"), want: nil},
		{name: "one finding for many target servers, naming five",
			edit: func(inv *model.Inventory) {
				for _, n := range []string{"EX2016-B", "EX2016-C", "EX2016-D", "EX2016-E", "EX2016-F"} {
					addServer(inv, n, "15.1.2507.6")
				}
			}, pass: at("2026-01-01"),
			want:     []string{"error LIFE-EXCHANGE Contoso", "warning LIFE-EXCHANGE EX2010"},
			contains: []string{"Exchange Server 2016 (EX2016, EX2016-B, EX2016-C, EX2016-D, EX2016-E and 1 more)"}},
		{name: "Exchange SE present: it is the target and supported; 2016 is being replaced",
			edit: func(inv *model.Inventory) { addServer(inv, "EXSE", "15.2.2562.17") }, pass: at("2026-01-01"),
			want: []string{"warning LIFE-EXCHANGE EX2016", "warning LIFE-EXCHANGE EX2010"}},
		{name: "a 2019 target upgrades in place to SE",
			edit: func(inv *model.Inventory) { addServer(inv, "EX2019", "15.2.1748.10") }, pass: at("2026-01-01"),
			want:     []string{"error LIFE-EXCHANGE Contoso", "warning LIFE-EXCHANGE EX2016", "warning LIFE-EXCHANGE EX2010"},
			contains: []string{"Exchange Server 2019 (EX2019)", "Upgrade the Exchange 2019 servers in place to Exchange Server SE"}},
		{name: "a 2019 server beside SE: upgrade it in place",
			edit: func(inv *model.Inventory) {
				addServer(inv, "EX2019", "15.2.1748.10")
				addServer(inv, "EXSE", "15.2.2562.17")
			}, pass: at("2026-01-01"),
			want:     []string{"warning LIFE-EXCHANGE EX2019", "warning LIFE-EXCHANGE EX2016", "warning LIFE-EXCHANGE EX2010"},
			contains: []string{"Upgrade EX2019 in place to Exchange Server SE"}},
	})
}

func TestLifeExchangeCU(t *testing.T) {
	cu22 := func(inv *model.Inventory) { srv(inv, "EX2016").Build = "15.1.2375.7" }
	runCases(t, ruleLifeExchangeCU, []ruleCase{
		{name: "2016 CU23 is supported", pass: at("2025-06-01"), want: nil},
		{name: "2016 CU22 in 2025: error on the target", edit: cu22, pass: at("2025-06-01"),
			want:     []string{"error LIFE-EXCHANGE-CU EX2016"},
			contains: []string{"on Exchange 2016 CU22", "Microsoft supports only Exchange 2016 CU23", "Install Exchange 2016 CU23 (15.1.2507.6) or later on EX2016"}},
		{name: "CU22 still supported 12 months after CU23 (2022-04-20)", edit: cu22, pass: at("2023-04-19"), want: nil},
		{name: "and no longer from 2023-04-20", edit: cu22, pass: at("2023-04-20"),
			want: []string{"error LIFE-EXCHANGE-CU EX2016"}},
		{name: "a security update on CU22 is still CU22", edit: func(inv *model.Inventory) { srv(inv, "EX2016").Build = "15.1.2375.37" }, pass: at("2025-06-01"),
			want: []string{"error LIFE-EXCHANGE-CU EX2016"}},
		{name: "past the version's end LIFE-EXCHANGE reports instead", edit: cu22, pass: at("2026-01-01"), want: nil},
		{name: "2019 CU14 and CU15 are supported in 2025", edit: func(inv *model.Inventory) { addServer(inv, "EX2019", "15.2.1544.4") }, pass: at("2025-06-01"),
			want: nil},
		{name: "2019 CU13 is not; a 2016 CU22 being replaced is a warning",
			edit: func(inv *model.Inventory) { cu22(inv); addServer(inv, "EX2019", "15.2.1258.12") }, pass: at("2025-06-01"),
			want:     []string{"error LIFE-EXCHANGE-CU EX2019", "warning LIFE-EXCHANGE-CU EX2016"},
			contains: []string{"Microsoft supports only Exchange 2019 CU14 and Exchange 2019 CU15"}},
		{name: "Exchange SE RTM is current", edit: func(inv *model.Inventory) { addServer(inv, "EXSE", "15.2.2562.17") }, pass: at("2026-01-01"),
			want: nil},
		{name: "Exchange 2010 is not on the CU model", pass: at("2014-01-01"), want: nil},
	})
}

func TestLifeWindows(t *testing.T) {
	runCases(t, ruleLifeWindows, []ruleCase{
		{name: "2026: 2012 R2 of a server being replaced", pass: at("2026-01-01"),
			want:     []string{"warning LIFE-WINDOWS EX2010"},
			contains: []string{"EX2010 runs Windows Server 2012 R2, out of extended support since 2023-10-10", "decommissioning it removes the unsupported OS"}},
		{name: "Windows Server 2016 of the target 12 months before its end", pass: at("2026-01-12"),
			want:     []string{"warning LIFE-WINDOWS EX2016", "warning LIFE-WINDOWS EX2010"},
			contains: []string{"whose extended support ends on 2027-01-12, 365 days after the plan date (2026-01-12)"}},
		{name: "past its end: error", pass: at("2027-01-13"),
			want:     []string{"error LIFE-WINDOWS EX2016", "warning LIFE-WINDOWS EX2010"},
			contains: []string{"need a supported Windows Server (Exchange Server Subscription Edition (SE), on Windows Server 2019, 2022 or 2025)"}},
		{name: "a replaced server's OS near its end: info", pass: at("2022-10-10"),
			want: []string{"info LIFE-WINDOWS EX2010"}},
		{name: "a day earlier: nothing", pass: at("2022-10-09"), want: nil},
		{name: "2008 R2 names its Extended Security Updates",
			edit: func(inv *model.Inventory) { srv(inv, "EX2010").OS = "Windows Server 2008 R2 SP1" }, pass: at("2026-01-01"),
			want:     []string{"warning LIFE-WINDOWS EX2010"},
			contains: []string{"Windows Server 2008 R2 SP1, out of extended support since 2020-01-14 (Extended Security Updates, where bought, ran to 2023-01-10"}},
		{name: "no recorded OS: not checked",
			edit: func(inv *model.Inventory) { srv(inv, "EX2010").OS = "" }, pass: at("2026-01-01"), want: nil},
	})
}

func TestLifeOutlook(t *testing.T) {
	outlook := func(v string) func(inv *model.Inventory) {
		return func(inv *model.Inventory) { inv.ClientProfiles[0].Outlook = v }
	}
	runCases(t, ruleLifeOutlook, []ruleCase{
		{name: "Outlook 2016 in 2026: a warning", pass: at("2026-01-01"),
			want:     []string{"warning LIFE-OUTLOOK win10"},
			contains: []string{"Client profile win10 uses Outlook 2016, out of support since 2025-10-14", "Microsoft 365 Apps"}},
		{name: "on its last day: info", pass: at("2025-10-14"), want: []string{"info LIFE-OUTLOOK win10"}},
		{name: "12 months before: info", pass: at("2024-10-14"), want: []string{"info LIFE-OUTLOOK win10"}},
		{name: "earlier: nothing", pass: at("2024-10-13"), want: nil},
		{name: "Outlook LTSC 2021 after 2026-10-13", edit: outlook("Outlook LTSC 2021"), pass: at("2026-10-14"),
			want: []string{"warning LIFE-OUTLOOK win10"}},
		{name: "Outlook 2007 (Office 2007)", edit: outlook("Outlook 2007 SP3"), pass: at("2026-01-01"),
			want: []string{"warning LIFE-OUTLOOK win10"}, contains: []string{"since 2017-10-10"}},
		{name: "Microsoft 365 Apps has no end", edit: outlook("Microsoft 365 Apps"), pass: at("2030-01-01"), want: nil},
	})
}

func TestLifeClientOS(t *testing.T) {
	osOf := func(v string) func(inv *model.Inventory) {
		return func(inv *model.Inventory) { inv.ClientProfiles[0].OS = v }
	}
	runCases(t, ruleLifeClientOS, []ruleCase{
		{name: "Windows 10 in 2026: a warning", pass: at("2026-01-01"),
			want:     []string{"warning LIFE-CLIENT-OS win10"},
			contains: []string{"Client profile win10 uses Windows 10, out of support since 2025-10-14", "Upgrade the computers of client profile win10 to Windows 11"}},
		{name: "Windows 10 on its last day: info", pass: at("2025-10-14"), want: []string{"info LIFE-CLIENT-OS win10"}},
		{name: "Windows 10 a year and a day before: nothing", pass: at("2024-10-13"), want: nil},
		{name: "Windows 7", edit: osOf("Windows 7 SP1"), pass: at("2020-01-15"),
			want: []string{"warning LIFE-CLIENT-OS win10"}, contains: []string{"Windows 7 SP1"}},
		{name: "Windows 8.1 on its last day", edit: osOf("Windows 8.1"), pass: at("2023-01-10"),
			want: []string{"info LIFE-CLIENT-OS win10"}},
		{name: "Windows 11 is not checked", edit: osOf("Windows 11"), pass: at("2030-01-01"), want: nil},
	})
}
