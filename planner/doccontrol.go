package planner

import (
	"strings"
	"time"

	"github.com/coexist/coexist/model"
)

// DocControl is the document-control block of a plan's reports: who
// prepared them, for whom, the version, status and date, and who approves
// them. Empty fields are left for the reader to fill in by hand.
type DocControl struct {
	Author    string
	Company   string
	Customer  string // the inventory's [report] customer, else the organisation's name
	Version   string
	Status    string // one of model.DocStatuses, or ""
	Approvers []string
	Date      time.Time // the plan date
}

// DocControl returns the document control of p, from the inventory's
// [report] table (with any command-line values already applied to it).
func (p *Plan) DocControl() DocControl {
	var r model.Report
	if p.Inv != nil {
		r = p.Inv.Report
	}
	dc := DocControl{
		Author:   strings.TrimSpace(r.Author),
		Company:  strings.TrimSpace(r.Company),
		Customer: strings.TrimSpace(r.Customer),
		Version:  strings.TrimSpace(r.Version),
		Date:     p.AsOf,
	}
	if dc.Customer == "" {
		dc.Customer = strings.TrimSpace(p.Organization)
	}
	dc.Status, _ = model.ParseDocStatus(r.Status)
	for _, a := range r.Approvers {
		if a = strings.TrimSpace(a); a != "" {
			dc.Approvers = append(dc.Approvers, a)
		}
	}
	return dc
}

// PreparedBy is the author and company as "Ana Pérez, Fabrikam
// Consulting", or whichever of them is set.
func (dc DocControl) PreparedBy() string {
	var parts []string
	for _, s := range []string{dc.Author, dc.Company} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
