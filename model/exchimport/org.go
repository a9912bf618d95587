package exchimport

import (
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/clixml"
)

// applyOrgConfig maps Get-OrganizationConfig: name and MapiHttpEnabled.
func (im *importer) applyOrgConfig(d *doc, v *clixml.Value) {
	if n := str(v.Get("Name")); n != "" {
		switch {
		case im.org.Name == "":
			im.org.Name, im.orgFrom = n, d.rel
		case !strings.EqualFold(im.org.Name, n):
			im.note("%s: organisation %q differs from %q (%s): kept %q", d.rel, n, im.org.Name, im.orgFrom, im.org.Name)
		}
	}
	if b := v.Get("MapiHttpEnabled"); b != nil && b.Kind == clixml.Bool && im.org.MapiHTTPEnabled == nil {
		val := b.Bool
		im.org.MapiHTTPEnabled = &val
	}
}

// applyADSite maps one AD site (Get-ADSite, or a Select-Object of the
// forest's sites).
func (im *importer) applyADSite(v *clixml.Value) {
	if n := serverName(v); n != "" {
		im.sitesAD = true
		im.addSite(n)
	}
}

// applyProvider maps one Get-OutlookProvider object.
func (im *importer) applyProvider(d *doc, v *clixml.Value) {
	p := model.OutlookProvider{
		Name:              serverName(v),
		Server:            str(v.Get("Server")),
		CertPrincipalName: str(v.Get("CertPrincipalName")),
	}
	if p.Name == "" {
		im.note("%s: Outlook provider without a name: skipped", d.rel)
		return
	}
	for _, o := range im.providers {
		if model.Key(o.Name) == model.Key(p.Name) {
			return
		}
	}
	im.providers = append(im.providers, p)
}

// applyDatabase maps one Get-MailboxDatabase object. Server is the server
// that holds the active copy (msExchOwningServer, which Active Manager
// updates on switchover); recovery databases are left out.
func (im *importer) applyDatabase(d *doc, v *clixml.Value) {
	db := model.Database{
		Name:                  serverName(v),
		Server:                adName(v.Get("Server")),
		RPCClientAccessServer: str(v.Get("RpcClientAccessServer")),
		OfflineAddressBook:    adName(v.Get("OfflineAddressBook")),
	}
	if db.Name == "" {
		im.note("%s: database without a name: skipped", d.rel)
		return
	}
	if b := v.Get("Recovery"); b != nil && b.Kind == clixml.Bool && b.Bool {
		im.note("%s: recovery database %q left out", d.rel, db.Name)
		return
	}
	if db.Server == "" {
		if m := v.Get("MountedOnServer"); !m.IsNil() {
			db.Server = str(m) // an FQDN, which references a server as well as its name
			if a := im.findServer(db.Server); a != nil {
				db.Server = a.s.Name
			}
		}
	}
	for _, o := range im.dbs {
		if model.Key(o.Name) == model.Key(db.Name) {
			im.note("%s: database %q appears twice: kept the first", d.rel, db.Name)
			return
		}
	}
	im.dbs = append(im.dbs, db)
}
