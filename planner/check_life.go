package planner

import (
	"fmt"
	"time"

	"github.com/coexist/coexist/model"
)

// Section 1: product lifecycle at the plan date (organization.as_of or
// --date). Exchange servers, their Windows Server releases, and the Outlook
// and Windows versions of the client profiles, each measured against
// Microsoft's published end of support.

// support is one product's support window as its Microsoft Lifecycle page
// gives it: the last day of mainstream support and of (extended) support,
// both inclusive.
type support struct {
	Product    string // "Exchange Server 2016"
	Mainstream string // YYYY-MM-DD; "" when the policy has no mainstream phase
	End        string // YYYY-MM-DD: the last day of support
	// ESU says what Extended Security Updates offered after End, if any.
	ESU string
	// Source is the bibliography key of the product's Lifecycle page: a
	// finding about the product cites it, not every release's page.
	Source string
}

// lifeNearMonths is how long before its end of support a product is
// reported as near the end: a migration planned today runs for months, and
// a year is the usual budget and procurement horizon.
const lifeNearMonths = 12

// lifeState is where a date falls in a support window.
type lifeState int

const (
	lifeSupported lifeState = iota // more than lifeNearMonths before End
	lifeNear                       // within lifeNearMonths of End, End included
	lifePast                       // after End
)

// state places asOf in the window.
func (s support) state(asOf time.Time) lifeState {
	end := s.end()
	switch {
	case asOf.After(end):
		return lifePast
	case !asOf.Before(end.AddDate(0, -lifeNearMonths, 0)):
		return lifeNear
	}
	return lifeSupported
}

func (s support) end() time.Time {
	t, err := model.ParseDate(s.End)
	if err != nil {
		panic("planner: bad lifecycle date " + s.End) // a test covers every entry
	}
	return t
}

// when gives the end date for a message: "2020-10-13" once passed, with
// the distance when still ahead ("2027-01-12, 51 days after the plan date
// (2026-11-22)").
func (s support) when(asOf time.Time) string {
	days := int(s.end().Sub(asOf).Hours() / 24)
	switch {
	case days < 0:
		return s.End
	case days == 0:
		return fmt.Sprintf("%s, the plan date", s.End)
	}
	return fmt.Sprintf("%s, %s after the plan date (%s)", s.End, daysWords(days, "day"), asOf.Format("2006-01-02"))
}

func daysWords(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// exchangeLife is the fixed lifecycle of each Exchange version
// (ms-lifecycle-exchange-*). Exchange Server SE follows the Modern
// Lifecycle Policy: supported while kept on a current update, no end date.
var exchangeLife = map[model.Version]support{
	model.V2007: {Product: "Exchange Server 2007", Mainstream: "2012-04-10", End: "2017-04-11", Source: "ms-lifecycle-exchange-2007"},
	model.V2010: {Product: "Exchange Server 2010", Mainstream: "2015-01-13", End: "2020-10-13", Source: "ms-lifecycle-exchange-2010"},
	model.V2013: {Product: "Exchange Server 2013", Mainstream: "2018-04-10", End: "2023-04-11", Source: "ms-lifecycle-exchange-2013"},
	model.V2016: {Product: "Exchange Server 2016", Mainstream: "2020-10-13", End: "2025-10-14", Source: "ms-lifecycle-exchange-2016"},
	model.V2019: {Product: "Exchange Server 2019", Mainstream: "2024-01-09", End: "2025-10-14", Source: "ms-lifecycle-exchange-2019"},
}

// windowsServerLife is the lifecycle of each Windows Server release
// (ms-lifecycle-windows-server-*), by model.WindowsOS.Release. 2025 is
// supported far beyond any plan date coexist makes and is left out.
var windowsServerLife = map[string]support{
	"2003":    {Product: "Windows Server 2003", Mainstream: "2010-07-13", End: "2015-07-14", Source: "ms-lifecycle-windows-server-2003"},
	"2008":    {Product: "Windows Server 2008", Mainstream: "2015-01-13", End: "2020-01-14", ESU: "Extended Security Updates, where bought, ran to 2023-01-10 (2024-01-09 on Azure) and brought security fixes only", Source: "ms-lifecycle-windows-server-2008"},
	"2008 R2": {Product: "Windows Server 2008 R2", Mainstream: "2015-01-13", End: "2020-01-14", ESU: "Extended Security Updates, where bought, ran to 2023-01-10 (2024-01-09 on Azure) and brought security fixes only", Source: "ms-lifecycle-windows-server-2008-r2"},
	"2012":    {Product: "Windows Server 2012", Mainstream: "2018-10-09", End: "2023-10-10", Source: "ms-lifecycle-windows-server-2012"},
	"2012 R2": {Product: "Windows Server 2012 R2", Mainstream: "2018-10-09", End: "2023-10-10", Source: "ms-lifecycle-windows-server-2012-r2"},
	"2016":    {Product: "Windows Server 2016", Mainstream: "2022-01-11", End: "2027-01-12", Source: "ms-lifecycle-windows-server-2016"},
	"2019":    {Product: "Windows Server 2019", Mainstream: "2024-01-09", End: "2029-01-09", Source: "ms-lifecycle-windows-server-2019"},
	"2022":    {Product: "Windows Server 2022", Mainstream: "2026-10-13", End: "2031-10-14", Source: "ms-lifecycle-windows-server-2022"},
}

// outlookLife is the lifecycle of each Outlook version by year
// (ms-lifecycle-office-2007, ms-lifecycle-outlook-*). Outlook 2021 (and
// LTSC 2021) follows the Modern Lifecycle Policy for on-premises products:
// a retirement date, no mainstream phase. Microsoft 365 Apps has no end
// date; Outlook 2003 and 2024 are not listed.
var outlookLife = map[int]support{
	2007: {Product: "Outlook 2007 (Office 2007)", Mainstream: "2012-10-09", End: "2017-10-10", Source: "ms-lifecycle-office-2007"},
	2010: {Product: "Outlook 2010", Mainstream: "2015-10-13", End: "2020-10-13", Source: "ms-lifecycle-outlook-2010"},
	2013: {Product: "Outlook 2013", Mainstream: "2018-04-10", End: "2023-04-11", Source: "ms-lifecycle-outlook-2013"},
	2016: {Product: "Outlook 2016", Mainstream: "2020-10-13", End: "2025-10-14", Source: "ms-lifecycle-outlook-2016"},
	2019: {Product: "Outlook 2019", Mainstream: "2023-10-10", End: "2025-10-14", Source: "ms-lifecycle-outlook-2019"},
	2021: {Product: "Outlook 2021", End: "2026-10-13", Source: "ms-lifecycle-outlook-2021"},
}

// windowsClientLife is the lifecycle of each Windows client release
// (ms-lifecycle-windows-*). Windows 11 versions each have their own end
// date and are left out.
var windowsClientLife = map[string]support{
	"7":   {Product: "Windows 7", Mainstream: "2015-01-13", End: "2020-01-14", ESU: "Extended Security Updates, where bought, ran to 2023-01-10 and brought security fixes only", Source: "ms-lifecycle-windows-7"},
	"8.1": {Product: "Windows 8.1", Mainstream: "2018-01-09", End: "2023-01-10", Source: "ms-lifecycle-windows-81"},
	"10":  {Product: "Windows 10", End: "2025-10-14", ESU: "Extended Security Updates, where enrolled, bring security fixes only", Source: "ms-lifecycle-windows-10"},
}

// supportedTarget names the supported on-premises destination.
const supportedTarget = "Exchange Server Subscription Edition (SE), on Windows Server 2019, 2022 or 2025"

// lifeTarget reports whether s runs the version the migration ends on:
// Exchange Server SE when any server runs it, else the newest version in
// the organisation. Servers of older versions are being replaced.
func lifeTarget(p *Pass, s *model.Server) bool {
	if p.Topo.HasSE() {
		return s.Parsed.IsSE()
	}
	return s.Parsed.Version() == p.Topo.Newest()
}

// seRoute is how the servers of version v (named in words) reach
// Exchange Server SE (blog-upgrade-exchange-se).
func seRoute(v model.Version, which string) string {
	switch v {
	case model.V2019:
		return fmt.Sprintf("Upgrade %s in place to Exchange Server SE (setup runs like a cumulative update on Exchange 2019 CU14 or CU15), or move their mailboxes to new SE servers.", which)
	case model.V2016:
		return fmt.Sprintf("Introduce Exchange Server SE servers (Windows Server 2019, 2022 or 2025), move the mailboxes and client access of %s to them, then decommission %s.", which, which)
	}
	return fmt.Sprintf("Plan the migration to end on %s: Exchange Server SE coexists with Exchange 2016 and 2019 only, so Exchange %s must be gone before SE is introduced, or the plan must go through a version that coexists with both.", supportedTarget, v)
}

// someNames names at most five servers: "A, B and C", "A, B, C, D, E and
// 9 more".
func someNames(ss []*model.Server) string {
	const most = 5
	if len(ss) <= most {
		return names(ss)
	}
	n := make([]string, most+1)
	for i := range most {
		n[i] = ss[i].Name
	}
	n[most] = fmt.Sprintf("%d more", len(ss)-most)
	return andList(n)
}

var ruleLifeExchange = checkRule(Rule{
	ID: "LIFE-EXCHANGE", Title: "Exchange version past or near its end of support", Severity: SevError,
	Sources: []string{"ms-lifecycle-exchange-2007", "ms-lifecycle-exchange-2010", "ms-lifecycle-exchange-2013", "ms-lifecycle-exchange-2016", "ms-lifecycle-exchange-2019", "blog-upgrade-exchange-se"}, Section: "1",
	Doc: "End of (extended) support per Exchange version: 2007 on 2017-04-11, 2010 on 2020-10-13, 2013 on 2023-04-11, 2016 and 2019 on 2025-10-14. Exchange Server Subscription Edition (SE, from July 2025) follows the Modern Lifecycle Policy and is the supported on-premises version after that, on Windows Server 2019, 2022 or 2025 (2019 CU14 and CU15 upgrade to it in place). Measured at the plan date (organization.as_of or --date). The migration's target is SE when any server runs it, else the newest version in the organisation: a target past its end of support is one blocking finding for the organisation naming its servers and the supported target, within 12 months of its end a warning. Older versions are being replaced by the migration: each of their servers past its end of support is a warning whose remedy is the decommission the plan prepares (a blocker nobody could clear would hide the real work), within 12 months an info.",
}, func(p *Pass, r *Rule) {
	if p.AsOf.IsZero() {
		return
	}
	targets := map[lifeState][]*model.Server{}
	var targetV model.Version
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		life, ok := exchangeLife[v]
		if !ok || s.Parsed.IsSE() {
			continue
		}
		st := life.state(p.AsOf)
		if lifeTarget(p, s) {
			targets[st] = append(targets[st], s)
			targetV = v
			continue
		}
		switch st {
		case lifePast:
			msg := fmt.Sprintf("%s runs %s, out of support since %s: no security updates, fixes or technical support. The migration replaces it, so decommissioning it is the remedy: move its mailboxes and roles and uninstall it as planned, and do not extend its life.",
				s.Name, life.Product, life.when(p.AsOf))
			steps := []string{fmt.Sprintf("Decommission %s once its mailboxes, public folders, connectors and client access have moved to the target servers.", s.Name)}
			cite := []string{life.Source}
			if v == model.V2019 {
				steps = []string{seRoute(v, s.Name)}
				cite = append(cite, "blog-upgrade-exchange-se")
			}
			p.ReportCiting(r, SevWarning, s.Name, msg, Fix{Steps: steps}, cite)
		case lifeNear:
			msg := fmt.Sprintf("%s runs %s, whose support ends on %s. The migration replaces it: finish decommissioning it before then.",
				s.Name, life.Product, life.when(p.AsOf))
			p.ReportCiting(r, SevInfo, s.Name, msg, Fix{Steps: []string{fmt.Sprintf("Schedule the decommission of %s before %s.", s.Name, life.End)}}, []string{life.Source})
		}
	}
	life := exchangeLife[targetV]
	which := fmt.Sprintf("the Exchange %s servers", targetV)
	if ss := targets[lifePast]; len(ss) > 0 {
		msg := fmt.Sprintf("The migration's target version, %s (%s), is out of support since %s: no security updates, fixes or technical support, so the plan ends on an unsupported product. The supported on-premises version is %s.",
			life.Product, someNames(ss), life.when(p.AsOf), supportedTarget)
		p.ReportCiting(r, r.Severity, orgName(p), msg, Fix{Steps: []string{seRoute(targetV, which)}}, []string{life.Source, "blog-upgrade-exchange-se"})
	}
	if ss := targets[lifeNear]; len(ss) > 0 {
		msg := fmt.Sprintf("The migration's target version, %s (%s), reaches the end of its support on %s. Plan the move to %s before then.",
			life.Product, someNames(ss), life.when(p.AsOf), supportedTarget)
		p.ReportCiting(r, SevWarning, orgName(p), msg, Fix{Steps: []string{seRoute(targetV, which)}}, []string{life.Source, "blog-upgrade-exchange-se"})
	}
})

// cuSupportMonths is how long the cumulative update before the latest one
// stays supported when no newer update follows (Exchange 2016 CU22 lost
// support about nine months after CU23, the final one).
const cuSupportMonths = 12

// servicingLine returns the cumulative updates (RTM included, security and
// hotfix updates left out) of b's servicing line released on or before
// asOf, oldest first. Exchange Server SE is its own line.
func servicingLine(b model.Build, asOf time.Time) []model.BuildInfo {
	var out []model.BuildInfo
	for _, e := range model.BuildCatalog {
		if e.Product != b.Version() || e.Build.IsSE() != b.IsSE() || e.IsSecurityUpdate() || e.Released == "" {
			continue
		}
		if t, err := model.ParseDate(e.Released); err != nil || t.After(asOf) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// currentCU returns the cumulative update b is on: the newest entry of the
// line at or below b.
func currentCU(line []model.BuildInfo, b model.Build) (model.BuildInfo, bool) {
	var cu model.BuildInfo
	ok := false
	for _, e := range line {
		if !b.Less(e.Build) {
			cu, ok = e, true
		}
	}
	return cu, ok
}

// supportedCUs returns the cumulative updates of a line supported at asOf:
// the latest, and the one before it for cuSupportMonths after the latest
// was released.
func supportedCUs(line []model.BuildInfo, asOf time.Time) []model.BuildInfo {
	if len(line) == 0 {
		return nil
	}
	latest := line[len(line)-1]
	out := []model.BuildInfo{latest}
	if len(line) > 1 {
		if t, err := model.ParseDate(latest.Released); err == nil && asOf.Before(t.AddDate(0, cuSupportMonths, 0)) {
			out = []model.BuildInfo{line[len(line)-2], latest}
		}
	}
	return out
}

var ruleLifeExchangeCU = checkRule(Rule{
	ID: "LIFE-EXCHANGE-CU", Title: "Exchange server on a cumulative update that is no longer supported", Severity: SevError,
	Sources: []string{"ms-exchange-update-faq", "ms-exchange-build-numbers", "blog-upgrade-exchange-se"}, Section: "1",
	Doc: "Within a version's support, Microsoft supports (and ships security updates for) only recent cumulative updates: the latest and the one before it. Checked for Exchange 2013, 2016, 2019 and Exchange Server SE servers whose version is still supported at the plan date (past the end, LIFE-EXCHANGE reports them): the release dates of the build catalog give the cumulative updates out by the plan date, and the one before the latest counts as supported for 12 months after the latest when nothing newer follows (Exchange 2016 CU22 lost support nine months after CU23, the final one; 2019's last are CU14 and CU15; SE starts at RTM, July 2025). A server of the migration's target version (see LIFE-EXCHANGE) on an older cumulative update is an error; an older version's server being replaced is a warning.",
}, func(p *Pass, r *Rule) {
	if p.AsOf.IsZero() {
		return
	}
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		if v < model.V2013 {
			continue
		}
		if life, ok := exchangeLife[v]; ok && !s.Parsed.IsSE() && life.state(p.AsOf) == lifePast {
			continue
		}
		line := servicingLine(s.Parsed, p.AsOf)
		ok := supportedCUs(line, p.AsOf)
		cu, known := currentCU(line, s.Parsed)
		if !known || len(ok) == 0 {
			continue
		}
		supported := false
		for _, e := range ok {
			if e.Build == cu.Build {
				supported = true
			}
		}
		if supported {
			continue
		}
		var names []string
		for _, e := range ok {
			names = append(names, e.Name())
		}
		latest := ok[len(ok)-1]
		sev, role := SevError, "It is the migration's target version: bring it to a supported cumulative update before mailboxes move to it."
		if !lifeTarget(p, s) {
			sev, role = SevWarning, "The migration replaces it; until it is decommissioned, a supported cumulative update keeps it eligible for security updates."
		}
		msg := fmt.Sprintf("%s runs %s, on %s; at the plan date (%s) Microsoft supports only %s, the cumulative updates that receive security updates. %s",
			s.Name, buildWords(s.Parsed), cu.Name(), p.AsOf.Format("2006-01-02"), andList(names), role)
		p.ReportAs(r, sev, s.Name, msg, Fix{
			Steps: []string{fmt.Sprintf("Install %s (%s) or later on %s, then its latest security update, following the update's prerequisites (.NET, Visual C++ runtimes, schema/AD preparation).", latest.Name(), latest.Build, s.Name)},
			Shell: Remedy("EXBUILD", exbuildData{Server: s.Name, FQDN: fqdnOr(s), Need: fmt.Sprintf("%s (%s)", latest.Name(), latest.Build), Latest: latest.Name()}),
		})
	}
})

var ruleLifeWindows = checkRule(Rule{
	ID: "LIFE-WINDOWS", Title: "Exchange server's Windows Server past or near its end of support", Severity: SevError,
	Sources: []string{"ms-lifecycle-windows-server-2003", "ms-lifecycle-windows-server-2008", "ms-lifecycle-windows-server-2008-r2", "ms-lifecycle-windows-server-2012", "ms-lifecycle-windows-server-2012-r2", "ms-lifecycle-windows-server-2016", "ms-lifecycle-windows-server-2019", "ms-lifecycle-windows-server-2022"}, Section: "1",
	Doc: "End of extended support per Windows Server release: 2003 on 2015-07-14, 2008 and 2008 R2 on 2020-01-14 (Extended Security Updates, security fixes only, ran to 2023-01-10, on Azure 2024-01-09), 2012 and 2012 R2 on 2023-10-10, 2016 on 2027-01-12, 2019 on 2029-01-09, 2022 on 2031-10-14. Measured at the plan date for every Exchange server whose OS the inventory records. A server of the migration's target version (see LIFE-EXCHANGE) on a Windows Server past its end is an error, within 12 months of it a warning; a server being replaced is a warning past the end and an info within 12 months. Extended Security Updates bring security fixes only; they do not extend the release's support. Whether the Exchange version supports the OS at all is COEX-OS.",
}, func(p *Pass, r *Rule) {
	if p.AsOf.IsZero() {
		return
	}
	for _, s := range p.Topo.Servers() {
		o, ok := serverOS(s)
		if !ok || !o.Server {
			continue
		}
		life, ok := windowsServerLife[o.Release]
		if !ok {
			continue
		}
		esu := ""
		if life.ESU != "" {
			esu = " (" + life.ESU + ")"
		}
		target := lifeTarget(p, s)
		report := func(sev Severity, msg string, fix Fix) {
			p.ReportCiting(r, sev, s.Name, msg, fix, []string{life.Source})
		}
		switch st := life.state(p.AsOf); {
		case st == lifePast && target:
			report(r.Severity, fmt.Sprintf("%s runs %s, out of extended support since %s%s. It is a server of the migration's target version: the servers that remain need a supported Windows Server (%s).",
				s.Name, osWords(o), life.when(p.AsOf), esu, supportedTarget), Fix{Steps: []string{
				fmt.Sprintf("Build the servers that replace %s on Windows Server 2019, 2022 or 2025 with Exchange Server SE, and move %s's roles to them; Exchange cannot be moved to a new Windows release in place.", s.Name, s.Name),
			}})
		case st == lifePast:
			report(SevWarning, fmt.Sprintf("%s runs %s, out of extended support since %s%s. The migration replaces the server: decommissioning it removes the unsupported OS too.",
				s.Name, osWords(o), life.when(p.AsOf), esu), Fix{Steps: []string{
				fmt.Sprintf("Decommission %s as the migration plans; do not invest in its operating system.", s.Name),
			}})
		case st == lifeNear && target:
			report(SevWarning, fmt.Sprintf("%s runs %s, whose extended support ends on %s. It is a server of the migration's target version: plan its replacement on Windows Server 2019, 2022 or 2025 before then.",
				s.Name, osWords(o), life.when(p.AsOf)), Fix{Steps: []string{
				fmt.Sprintf("Plan new servers on Windows Server 2019, 2022 or 2025 (%s) to take over from %s before %s.", supportedTarget, s.Name, life.End),
			}})
		case st == lifeNear:
			report(SevInfo, fmt.Sprintf("%s runs %s, whose extended support ends on %s. The migration replaces the server: finish decommissioning it before then.",
				s.Name, osWords(o), life.when(p.AsOf)), Fix{Steps: []string{
				fmt.Sprintf("Schedule the decommission of %s before %s.", s.Name, life.End),
			}})
		}
	}
})

// clientLife reports a client profile's product (Outlook or Windows) past
// or near its end of support: past is a warning (the clients still
// connect, but get no security updates), near an info.
// The message leaves out the profile's user count, so profiles on the
// same version read alike and the reports group them.
//
// still says what keeps working.
func clientLife(p *Pass, r *Rule, cp *model.ClientProfile, what string, life support, still, upgrade string) {
	esu := ""
	if life.ESU != "" {
		esu = " (" + life.ESU + ")"
	}
	report := func(sev Severity, msg string, fix Fix) {
		p.ReportCiting(r, sev, profileName(cp), msg, fix, []string{life.Source})
	}
	switch life.state(p.AsOf) {
	case lifePast:
		report(SevWarning, fmt.Sprintf("Client profile %s uses %s, out of support since %s%s: it gets no security updates. %s, but it is a security risk and a support case Microsoft will not take.",
			cp.Name, what, life.when(p.AsOf), esu, still), Fix{Steps: []string{upgrade}})
	case lifeNear:
		report(SevInfo, fmt.Sprintf("Client profile %s uses %s, whose support ends on %s. Plan the upgrade so it does not fall in the middle of the migration.",
			cp.Name, what, life.when(p.AsOf)), Fix{Steps: []string{upgrade}})
	}
}

var ruleLifeOutlook = checkRule(Rule{
	ID: "LIFE-OUTLOOK", Title: "Outlook version past or near its end of support", Severity: SevWarning,
	Sources: []string{"ms-lifecycle-office-2007", "ms-lifecycle-outlook-2010", "ms-lifecycle-outlook-2013", "ms-lifecycle-outlook-2016", "ms-lifecycle-outlook-2019", "ms-lifecycle-outlook-2021"}, Section: "1",
	Doc: "End of support per Outlook version: 2007 (with Office 2007) on 2017-10-10, 2010 on 2020-10-13, 2013 on 2023-04-11, 2016 and 2019 on 2025-10-14, 2021 (and LTSC 2021) on 2026-10-13. Microsoft 365 Apps has no end date while it is kept current. Measured at the plan date for every client profile: past the end is a warning (the clients still connect while the Exchange version supports them, CLIENT-OUTLOOK, but get no security updates), within 12 months an info.",
}, func(p *Pass, r *Rule) {
	if p.AsOf.IsZero() {
		return
	}
	for i := range p.Inv.ClientProfiles {
		cp := &p.Inv.ClientProfiles[i]
		o, err := model.ParseOutlook(cp.Outlook)
		if cp.Outlook == "" || err != nil {
			continue
		}
		life, ok := outlookLife[o.Year]
		if !ok {
			continue
		}
		clientLife(p, r, cp, o.String(), life, "It still connects where the Exchange version supports it (CLIENT-OUTLOOK)", fmt.Sprintf("Upgrade Outlook for the users of client profile %s to Microsoft 365 Apps (or a supported Office LTSC release).", cp.Name))
	}
})

var ruleLifeClientOS = checkRule(Rule{
	ID: "LIFE-CLIENT-OS", Title: "Windows client version past or near its end of support", Severity: SevWarning,
	Sources: []string{"ms-lifecycle-windows-7", "ms-lifecycle-windows-81", "ms-lifecycle-windows-10"}, Section: "1",
	Doc: "End of support per Windows client release: Windows 7 on 2020-01-14 (Extended Security Updates ran to 2023-01-10), Windows 8.1 on 2023-01-10, Windows 10 on 2025-10-14 (22H2, the final version; Extended Security Updates bring security fixes only). Windows 11 versions each have their own end date and are not checked. Measured at the plan date for every client profile: past the end is a warning (Outlook on it still connects), within 12 months an info.",
}, func(p *Pass, r *Rule) {
	if p.AsOf.IsZero() {
		return
	}
	for i := range p.Inv.ClientProfiles {
		cp := &p.Inv.ClientProfiles[i]
		if cp.OS == "" {
			continue
		}
		o, err := model.ParseWindows(cp.OS)
		if err != nil || o.Server {
			continue
		}
		life, ok := windowsClientLife[o.Release]
		if !ok {
			continue
		}
		clientLife(p, r, cp, osWords(o), life, "Outlook on it still connects", fmt.Sprintf("Upgrade the computers of client profile %s to Windows 11.", cp.Name))
	}
})
