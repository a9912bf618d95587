package planner

import (
	"fmt"
	"strings"

	"github.com/coexist/coexist/model"
)

// Section 1: which versions may coexist, at which minimum builds, on which
// operating systems.

// coexBuild describes one row of the coexistence table: a newer version
// joining an existing one, with the minimum build of every existing server
// and, optionally, of the newer servers and an advised (not required)
// existing build.
type coexBuild struct {
	New, Old model.Version
	MinOld   minBuild
	MinNew   *minBuild
	// Advised is a newer existing build recommended (warning, not error).
	Advised       *minBuild
	AdvisedReason string
}

// exbuildData is the data of the shared "exbuild" remedy template.
type exbuildData struct {
	Server, FQDN, Need, Latest string
	Legacy                     bool // Exchange 2007/2010: rollups leave AdminDisplayVersion unchanged
}

func newCoexBuildRule(id, title string, sources []string, doc string, cb coexBuild) *Rule {
	return checkRule(Rule{
		ID: id, Title: title, Severity: SevError, Sources: sources, Section: "1", Doc: doc,
	}, func(p *Pass, r *Rule) {
		if !p.Topo.Has(cb.New) || !p.Topo.Has(cb.Old) {
			return
		}
		for _, s := range serversOf(p, cb.Old) {
			switch {
			case s.Parsed.Less(cb.MinOld.Build()):
				msg := fmt.Sprintf("%s runs %s; coexistence with Exchange %s needs %s or later on every Exchange %s server, Edge Transport included. Update %s (the final update is Exchange %s %s) before Exchange %s serves clients or mail flows through it.%s",
					s.Name, buildWords(s.Parsed), cb.New, cb.MinOld.Words(), cb.Old, s.Name, cb.Old, latestUpdate[cb.Old], cb.New, adminVersionCaveat(s))
				p.Report(r, s.Name, msg, buildFix(r.ID, s, cb.MinOld))
			case cb.Advised != nil && s.Parsed.Less(cb.Advised.Build()):
				msg := fmt.Sprintf("%s runs %s: enough for coexistence with Exchange %s (minimum %s), but %s or later is advised: %s.%s",
					s.Name, buildWords(s.Parsed), cb.New, cb.MinOld.Words(), cb.Advised.Words(), cb.AdvisedReason, adminVersionCaveat(s))
				p.ReportAs(r, SevWarning, s.Name, msg, buildFix(r.ID, s, *cb.Advised))
			}
		}
		if cb.MinNew == nil {
			return
		}
		for _, s := range serversOf(p, cb.New) {
			if s.Parsed.Less(cb.MinNew.Build()) {
				msg := fmt.Sprintf("%s runs %s; Exchange %s coexists with Exchange %s only from %s onwards. Install the latest cumulative update (Exchange %s %s) on %s.",
					s.Name, buildWords(s.Parsed), cb.New, cb.Old, cb.MinNew.Words(), cb.New, latestUpdate[cb.New], s.Name)
				p.Report(r, s.Name, msg, buildFix(r.ID, s, *cb.MinNew))
			}
		}
	})
}

// buildFix is the remedy for a server below a minimum build.
func buildFix(id string, s *model.Server, need minBuild) Fix {
	latest := fmt.Sprintf("Exchange %s %s", need.V, latestUpdate[need.V])
	steps := []string{fmt.Sprintf("Install %s or later on %s (recommended: %s, the final update), following the update's prerequisites (.NET, Visual C++ runtimes, schema/AD preparation for cumulative updates).", need.Words(), s.Name, latest)}
	if s.HasRole("Edge") || s.HasRole("EdgeTransport") {
		steps = append(steps, fmt.Sprintf("%s is an Edge Transport server: update it as well, then re-create the Edge subscription if the update requires it.", s.Name))
	}
	return Fix{
		Steps: steps,
		Shell: Remedy(id, exbuildData{Server: s.Name, FQDN: fqdnOr(s), Need: need.Words(), Latest: latest, Legacy: s.Parsed.Version() <= model.V2010}),
	}
}

var (
	ruleCoex20102007 = newCoexBuildRule("COEX-2010-2007", "Exchange 2007 servers need SP2 to coexist with Exchange 2010", []string{"ms-ex2010-system-requirements"},
		"Exchange 2010 coexists with Exchange 2007 only when every Exchange 2007 server runs Exchange 2007 SP2 (8.2.176.2) or later. Each 2007 server below it is an error naming its current build and the update to install.",
		coexBuild{New: model.V2010, Old: model.V2007, MinOld: minBuild{model.V2007, "SP2"}})

	ruleCoex20132007 = newCoexBuildRule("COEX-2013-2007", "Exchange 2007 needs SP3 RU10 and Exchange 2013 CU2 to coexist", []string{"ms-ex2013-system-requirements"},
		"Exchange 2013 coexists with Exchange 2007 only when every Exchange 2007 server, Edge Transport included, runs Exchange 2007 SP3 RU10 (8.3.298.3) or later, and every Exchange 2013 server runs CU2 (15.0.712.24) or later (setup readiness checks).",
		coexBuild{New: model.V2013, Old: model.V2007, MinOld: minBuild{model.V2007, "SP3 RU10"}, MinNew: &minBuild{model.V2013, "CU2"}})

	ruleCoex20132010 = newCoexBuildRule("COEX-2013-2010", "Exchange 2010 needs SP3 and Exchange 2013 CU2 to coexist", []string{"ms-ex2013-system-requirements", "ms-ex2013-release-notes", "redmond-ex2013-cas-legacy"},
		"Exchange 2013 coexists with Exchange 2010 only when every Exchange 2010 server, Edge Transport included, runs Exchange 2010 SP3 (14.3.123.4) or later and every Exchange 2013 server runs CU2 (15.0.712.24) or later. SP3 RU1 (14.3.146.0) is advised (a warning): before it, OWA proxied from 2013 cannot open another user's mailbox.",
		coexBuild{New: model.V2013, Old: model.V2010, MinOld: minBuild{model.V2010, "SP3"}, MinNew: &minBuild{model.V2013, "CU2"},
			Advised: &minBuild{model.V2010, "SP3 RU1"}, AdvisedReason: "before it, OWA proxied from Exchange 2013 cannot open another user's mailbox (\"open other mailbox\")"})

	ruleCoex20162010 = newCoexBuildRule("COEX-2016-2010", "Exchange 2010 servers need SP3 RU11 to coexist with Exchange 2016", []string{"ms-exchange-system-requirements"},
		"Exchange 2016 coexists with Exchange 2010 only when every Exchange 2010 server, Edge Transport included, runs Exchange 2010 SP3 RU11 (14.3.266.2) or later (setup readiness check E16E14CoexistenceMinVersionRequirement).",
		coexBuild{New: model.V2016, Old: model.V2010, MinOld: minBuild{model.V2010, "SP3 RU11"}})

	ruleCoex20162013 = newCoexBuildRule("COEX-2016-2013", "Exchange 2013 servers need CU10 to coexist with Exchange 2016", []string{"ms-exchange-system-requirements"},
		"Exchange 2016 coexists with Exchange 2013 only when every Exchange 2013 server runs CU10 (15.0.1130.7) or later (setup readiness check E16E15CoexistenceMinVersionRequirement).",
		coexBuild{New: model.V2016, Old: model.V2013, MinOld: minBuild{model.V2013, "CU10"}})

	ruleCoex20192013 = newCoexBuildRule("COEX-2019-2013", "Exchange 2013 servers need CU21 to coexist with Exchange 2019", []string{"ms-exchange-system-requirements"},
		"Exchange 2019 coexists with Exchange 2013 only when every Exchange 2013 server runs CU21 (15.0.1395.4) or later.",
		coexBuild{New: model.V2019, Old: model.V2013, MinOld: minBuild{model.V2013, "CU21"}})

	ruleCoex20192016 = newCoexBuildRule("COEX-2019-2016", "Exchange 2016 servers need CU11 to coexist with Exchange 2019", []string{"ms-exchange-system-requirements"},
		"Exchange 2019 coexists with Exchange 2016 only when every Exchange 2016 server runs CU11 (15.1.1591.10) or later.",
		coexBuild{New: model.V2019, Old: model.V2016, MinOld: minBuild{model.V2016, "CU11"}})

	ruleCoex20162007 = newUnsupportedPairRule("COEX-2016-2007", "Exchange 2016 cannot coexist with Exchange 2007", []string{"ms-exchange-system-requirements"},
		"Exchange 2016 setup refuses to install while any Exchange 2007 server exists; the supported path is 2007 → 2013 → 2016 (or decommission every 2007 server first).",
		model.V2016, []model.Version{model.V2007}, "migrate from Exchange 2007 to Exchange 2013 first, decommission every Exchange 2007 server (Edge Transport included), then introduce Exchange 2016")

	ruleCoex20192010 = newUnsupportedPairRule("COEX-2019-2010", "Exchange 2019 cannot coexist with Exchange 2010 or 2007", []string{"ms-exchange-system-requirements"},
		"Exchange 2019 setup refuses to install while any Exchange 2010 or 2007 server exists; go through Exchange 2013 or 2016 and decommission the older servers first.",
		model.V2019, []model.Version{model.V2010, model.V2007}, "migrate to Exchange 2016 (or 2013) first, decommission every Exchange 2010/2007 server (Edge Transport included), then introduce Exchange 2019")
)

// unsupportedData is the data of the unsupported-pair remedy templates.
type unsupportedData struct {
	New   string
	Major string // AdminDisplayVersion.Major of the blocking version: "8" or "14"
}

func newUnsupportedPairRule(id, title string, sources []string, doc string, newV model.Version, olds []model.Version, what string) *Rule {
	return checkRule(Rule{ID: id, Title: title, Severity: SevError, Sources: sources, Section: "1", Doc: doc},
		func(p *Pass, r *Rule) {
			if !p.Topo.Has(newV) {
				return
			}
			for _, old := range olds {
				ss := serversOf(p, old)
				if len(ss) == 0 {
					continue
				}
				major := "14"
				if old == model.V2007 {
					major = "8"
				}
				msg := fmt.Sprintf("Exchange %s cannot coexist with Exchange %s: setup blocks while any Exchange %s server exists (here %s). To reach Exchange %s, %s.",
					newV, old, old, names(ss), newV, what)
				p.Report(r, orgName(p), msg, Fix{
					Steps: []string{
						fmt.Sprintf("Plan the migration through an intermediate version: %s.", what),
						fmt.Sprintf("Before uninstalling each Exchange %s server, move its mailboxes, public folders, OAB generation and connectors.", old),
					},
					Shell: Remedy(id, unsupportedData{New: newV.String(), Major: major}),
				})
			}
		})
}

// osSupport is one supported operating system of an Exchange version.
type osSupport struct {
	Release string // model.WindowsOS.Release
	MinSP   int
	// MinBuild is the first Exchange build supporting this OS, if later
	// than the version's first build.
	MinBuild *minBuild
}

// supportedOS lists the supported server OS per Exchange version
// (ms-exchange-supportability-matrix, ms-exchange-system-requirements,
// ms-ex2013-system-requirements). 2007 on 2008 R2 needs 2007 SP3
// (practitioner reports); 2010 on 2012 needs SP3 and on 2012 R2 SP3 RU5;
// 2013 on 2012 R2 needs SP1; 2016 on 2016 needs CU3; 2019 on 2022 needs
// CU12 and on 2025 CU15 (supportability matrix).
var supportedOS = map[model.Version][]osSupport{
	model.V2007: {{Release: "2003"}, {Release: "2008"}, {Release: "2008 R2", MinBuild: &minBuild{model.V2007, "SP3"}}},
	model.V2010: {{Release: "2008", MinSP: 2}, {Release: "2008 R2", MinSP: 1}, {Release: "2012", MinBuild: &minBuild{model.V2010, "SP3"}}, {Release: "2012 R2", MinBuild: &minBuild{model.V2010, "SP3 RU5"}}},
	model.V2013: {{Release: "2008 R2", MinSP: 1}, {Release: "2012"}, {Release: "2012 R2", MinBuild: &minBuild{model.V2013, "SP1"}}},
	model.V2016: {{Release: "2012"}, {Release: "2012 R2"}, {Release: "2016", MinBuild: &minBuild{model.V2016, "CU3"}}},
	model.V2019: {{Release: "2019"}, {Release: "2022", MinBuild: &minBuild{model.V2019, "CU12"}}, {Release: "2025", MinBuild: &minBuild{model.V2019, "CU15"}}},
}

func osSupportWords(v model.Version) string {
	var w []string
	for _, o := range supportedOS[v] {
		s := "Windows Server " + o.Release
		if o.MinSP > 0 {
			s += fmt.Sprintf(" SP%d", o.MinSP)
		}
		if o.MinBuild != nil {
			s += " (from " + o.MinBuild.Update + ")"
		}
		w = append(w, s)
	}
	return andList(w)
}

// osData is the data of the COEX-OS remedy template.
type osData struct{ Server, FQDN string }

var ruleCoexOS = checkRule(Rule{
	ID: "COEX-OS", Title: "Exchange server runs an operating system its version does not support", Severity: SevError,
	Sources: []string{"ms-exchange-supportability-matrix", "ms-exchange-system-requirements", "ms-ex2013-system-requirements"}, Section: "1",
	Doc: "Supported server operating systems per version: 2007 on Windows Server 2003 x64 and 2008 (2008 R2 from 2007 SP3); 2010 SP3 on 2008 SP2, 2008 R2 SP1, 2012 and 2012 R2 (from SP3 RU5); 2013 on 2008 R2 SP1, 2012 and 2012 R2 (from SP1); 2016 on 2012, 2012 R2 and 2016 (from CU3); 2019 on 2019, 2022 (from CU12) and 2025 (from CU15). A server on an unsupported OS, missing service pack or too old a build for its OS is an error; an OS the planner cannot recognise is a warning. Servers without a recorded OS are not checked.",
}, func(p *Pass, r *Rule) {
	for _, s := range p.Topo.Servers() {
		v := s.Parsed.Version()
		if v == 0 || strings.TrimSpace(s.OS) == "" {
			continue
		}
		fix := Fix{Shell: Remedy(r.ID, osData{Server: s.Name, FQDN: fqdnOr(s)})}
		o, err := model.ParseWindows(s.OS)
		if err != nil {
			fix.Steps = []string{fmt.Sprintf("Record %s's operating system as Windows Server <release> [R2] [SPn] in the inventory.", s.Name)}
			p.ReportAs(r, SevWarning, s.Name, fmt.Sprintf("%s's operating system %q is not recognised, so its support for Exchange %s cannot be checked (supported: %s).", s.Name, s.OS, v, osSupportWords(v)), fix)
			continue
		}
		var match *osSupport
		for i := range supportedOS[v] {
			if o.Server && supportedOS[v][i].Release == o.Release {
				match = &supportedOS[v][i]
			}
		}
		switch {
		case match == nil:
			fix.Steps = []string{fmt.Sprintf("Move %s's roles to a new server running a supported operating system (%s); Exchange cannot be upgraded in place.", s.Name, osSupportWords(v))}
			p.Report(r, s.Name, fmt.Sprintf("%s runs %s on %s, which Exchange %s does not support (supported: %s).", s.Name, buildWords(s.Parsed), osWords(o), v, osSupportWords(v)), fix)
		case o.SP < match.MinSP:
			fix.Steps = []string{fmt.Sprintf("Install Service Pack %d for Windows Server %s on %s.", match.MinSP, match.Release, s.Name)}
			p.Report(r, s.Name, fmt.Sprintf("%s runs Exchange %s on %s; Exchange %s needs Windows Server %s SP%d: install the service pack.", s.Name, v, osWords(o), v, match.Release, match.MinSP), fix)
		case match.MinBuild != nil && s.Parsed.Less(match.MinBuild.Build()):
			fix.Steps = []string{fmt.Sprintf("Install %s or later on %s.", match.MinBuild.Words(), s.Name)}
			p.Report(r, s.Name, fmt.Sprintf("%s runs %s on %s, which needs %s or later.%s", s.Name, buildWords(s.Parsed), osWords(o), match.MinBuild.Words(), adminVersionCaveat(s)), fix)
		}
	}
})
