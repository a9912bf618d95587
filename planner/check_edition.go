package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// Section 1: the edition each Exchange server is licensed as
// (Get-ExchangeServer Edition).

// standardDatabaseLimit is how many databases a Standard Edition (or
// trial) Exchange 2016/2019 server mounts: "If the product key you
// purchased is for an Enterprise Edition license, it lets you mount more
// than five databases per server" (ms-exchange-product-key).
const standardDatabaseLimit = 5

// editionOf classifies a recorded Edition: trial for the unlicensed
// evaluation editions ("StandardEvaluation", "EnterpriseEvaluation"),
// standard when the server mounts at most five databases (Standard, and
// every trial, which "functions just like an Exchange Standard Edition
// server"), known false for an empty or "Unknown" value.
func editionOf(edition string) (trial, standard, known bool) {
	e := strings.ToLower(strings.TrimSpace(edition))
	if e == "" || e == "unknown" {
		return false, false, false
	}
	trial = strings.Contains(e, "evaluation") || strings.Contains(e, "trial")
	standard = trial || strings.HasPrefix(e, "standard")
	return trial, standard, true
}

var ruleCoexEdition = checkRule(Rule{
	ID: "COEX-EDITION", Title: "Exchange server unlicensed (trial edition), or Standard Edition with more than five databases", Severity: SevError,
	Sources: []string{"ms-exchange-product-key"}, Section: "1",
	Doc: "An Exchange server without a product key runs as a trial edition (Get-ExchangeServer Edition StandardEvaluation or EnterpriseEvaluation): Microsoft's product key page for Exchange 2016 and 2019 says a trial edition may be used for up to 180 days, after which the Exchange admin center keeps asking for a product key, and that the trial works like Standard Edition. Every server recorded as a trial edition is a warning: enter a Standard or Enterprise product key before it carries production mailboxes or namespaces. Standard Edition (and the trial) mounts at most five databases per server; only an Enterprise product key lets a server mount more. An Exchange 2016 or 2019 server of Standard or trial edition holding the active copy of more than five of the inventory's mailbox databases is an error: the databases beyond the fifth cannot be mounted. The inventory records only active copies (databases.server): passive DAG copies count towards the limit too, so a server at or under five may still exceed it. Servers without a recorded edition, and the database count of Exchange 2007 to 2013 servers, are not checked.",
}, func(p *Pass, r *Rule) {
	dbs := map[string][]string{}
	for i := range p.Inv.Databases {
		d := &p.Inv.Databases[i]
		if s := p.Topo.Server(d.Server); s != nil {
			dbs[s.Name] = append(dbs[s.Name], d.Name)
		}
	}
	for _, s := range p.Topo.Servers() {
		trial, standard, known := editionOf(s.Edition)
		if !known {
			continue
		}
		v := s.Parsed.Version()
		modern := v == model.V2016 || v == model.V2019
		held := dbs[s.Name]
		sort.Strings(held)
		license := fmt.Sprintf("Set-ExchangeServer %s -ProductKey <product key>, then on a Mailbox server Restart-Service MSExchangeIS (the Microsoft Exchange Information Store service)", psQuote(s.Name))
		if standard && modern && len(held) > standardDatabaseLimit {
			msg := fmt.Sprintf("%s is licensed as %s, which mounts at most %d databases per server, but holds the active copy of %d: %s. The databases beyond the fifth cannot be mounted, and their mailboxes are unreachable. Enter an Enterprise product key on %s, or move databases to other servers until it holds at most %d.",
				s.Name, s.Edition, standardDatabaseLimit, len(held), andList(held), s.Name, standardDatabaseLimit)
			p.Report(r, s.Name, msg, Fix{Steps: []string{
				fmt.Sprintf("License %s as Enterprise Edition: %s.", s.Name, license),
				fmt.Sprintf("Or move mailbox databases (or their active copies) off %s until it holds at most %d, passive DAG copies included.", s.Name, standardDatabaseLimit),
			}})
			continue
		}
		if trial {
			expiry := ""
			if modern {
				expiry = " Microsoft allows a trial edition for up to 180 days after installation; after that the Exchange admin center keeps asking for a product key."
			}
			msg := fmt.Sprintf("%s is unlicensed: its edition is %s, a trial edition.%s Enter its Standard or Enterprise product key before it carries production mailboxes or namespaces.",
				s.Name, s.Edition, expiry)
			p.ReportAs(r, SevWarning, s.Name, msg, Fix{Steps: []string{
				fmt.Sprintf("License %s: %s.", s.Name, license),
				fmt.Sprintf("Verify: Get-ExchangeServer %s | Format-List Name,Edition,*Trial*.", psQuote(s.Name)),
			}})
		}
	}
})

// psQuote quotes s as a PowerShell single-quoted string, for commands
// quoted in a finding's steps.
func psQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
