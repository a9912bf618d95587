package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/coexist/coexist/model"
)

// docFlags are the document-control flags of the commands that write
// reports; each overrides the same key of the inventory's [report] table.
type docFlags struct {
	author, company, customer, version, status *string
	approvers                                  approverList
}

// approverList is the repeatable --approver flag.
type approverList []string

func (a *approverList) String() string { return strings.Join(*a, ", ") }

func (a *approverList) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty name")
	}
	*a = append(*a, s)
	return nil
}

func (f *docFlags) register(fs *flag.FlagSet) {
	f.author = fs.String("author", "", "document control: the `name` of the person who prepared the reports (default: [report] author)")
	f.company = fs.String("company", "", "document control: the author's `organisation` (default: [report] company)")
	f.customer = fs.String("customer", "", "document control: the `name` of the customer the reports are for (default: [report] customer, else organization.name)")
	f.version = fs.String("doc-version", "", "document control: the document `version`, such as 0.3 (default: [report] version)")
	f.status = fs.String("status", "", "document control: `status` Draft, \"For review\", Approved or Final (default: [report] status)")
	fs.Var(&f.approvers, "approver", "document control: an approver's `name` (repeatable; replaces [report] approvers)")
}

// apply writes the flags that were given over inv's [report] table.
func (f *docFlags) apply(inv *model.Inventory) error {
	r := &inv.Report
	if *f.status != "" {
		st, ok := model.ParseDocStatus(*f.status)
		if !ok {
			return fmt.Errorf("--status %q: want %s", *f.status, strings.Join(model.DocStatuses, ", "))
		}
		r.Status = st
	}
	for _, kv := range []struct {
		flag *string
		key  *string
	}{{f.author, &r.Author}, {f.company, &r.Company}, {f.customer, &r.Customer}, {f.version, &r.Version}} {
		if *kv.flag != "" {
			*kv.key = *kv.flag
		}
	}
	if len(f.approvers) > 0 {
		r.Approvers = append([]string(nil), f.approvers...)
	}
	return nil
}
