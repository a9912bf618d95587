package model

import (
	"strings"
	"testing"
)

func editBase() *Inventory {
	inv := &Inventory{
		Organization: Organization{Name: "Contoso"},
		Sites:        []Site{{Name: "S1"}},
		Namespaces:   []Namespace{{FQDN: "mail.contoso.com", Internal: []string{"CAS1"}, External: []string{"CAS1"}}},
		Servers: []Server{
			{Name: "CAS1", FQDN: "cas1.contoso.com", Site: "S1", Build: "14.3.123.4", Roles: []string{"ClientAccess", "Mailbox"}},
			{Name: "MBX16", FQDN: "mbx16.contoso.com", Site: "S1", Build: "15.1.2507.6", Roles: []string{"Mailbox"}},
		},
		Certificates: []Certificate{{Thumbprint: "AA", SANs: []string{"mail.contoso.com"}, NotAfter: "2030-01-01", Servers: []string{"CAS1"}}},
		Databases:    []Database{{Name: "DB10", Server: "CAS1"}, {Name: "DB16", Server: "MBX16"}},
		Mailboxes:    []Mailbox{{Name: "red", Database: "DB10"}, {Name: "blue", Database: "DB10"}},
	}
	if ps := inv.Validate(); len(ps) > 0 {
		panic(ps)
	}
	return inv
}

func TestApply(t *testing.T) {
	one := 1
	yes, no := true, false
	basicOnly := []string{"Basic"}
	tests := []struct {
		name  string
		edit  Edit
		check func(*Inventory) string // "" when as expected
		err   string                  // expected problem substring
	}{
		{"move namespace", Edit{Op: "move-namespace", Namespace: "MAIL.contoso.com", External: []string{"MBX16"}},
			func(i *Inventory) string {
				if i.Namespaces[0].External[0] != "MBX16" || i.Namespaces[0].Internal[0] != "CAS1" {
					return "targets not moved"
				}
				return ""
			}, ""},
		{"move mailboxes by name", Edit{Op: "move-mailboxes", Mailboxes: []string{"red"}, ToDatabase: "DB16"},
			func(i *Inventory) string {
				if i.Mailboxes[0].Database != "DB16" || i.Mailboxes[1].Database != "DB10" {
					return "wrong mailboxes moved"
				}
				return ""
			}, ""},
		{"move mailboxes by database", Edit{Op: "move-mailboxes", FromDatabase: "DB10", ToDatabase: "DB16"},
			func(i *Inventory) string {
				if i.Mailboxes[0].Database != "DB16" || i.Mailboxes[1].Database != "DB16" {
					return "not all moved"
				}
				return ""
			}, ""},
		{"move database", Edit{Op: "move-database", Database: "DB10", ToServer: "MBX16"},
			func(i *Inventory) string { return cond(i.Databases[0].Server == "MBX16", "not moved") }, ""},
		{"upgrade", Edit{Op: "upgrade-server", Server: "CAS1", Build: "14.3.513.0"},
			func(i *Inventory) string { return cond(i.Servers[0].Build == "14.3.513.0", "not upgraded") }, ""},
		{"upgrade across versions", Edit{Op: "upgrade-server", Server: "CAS1", Build: "15.1.2507.6"}, nil, "an upgrade stays within its version"},
		{"install updates", Edit{Op: "install-updates", Server: "CAS1", Updates: []string{"KB3161949"}, DotNet: "4.8"},
			func(i *Inventory) string {
				return cond(HasUpdate(i.Servers[0].InstalledUpdates, "kb3161949") && i.Servers[0].DotNet == "4.8", "not installed")
			}, ""},
		{"set registry", Edit{Op: "set-registry", Server: "CAS1", TLS: &TLSRegistry{Schannel12ServerEnabled: &one}},
			func(i *Inventory) string {
				v := i.Servers[0].TLS.Schannel12ServerEnabled
				return cond(v != nil && *v == 1 && i.Servers[0].TLS.Schannel12ClientEnabled == nil, "not set")
			}, ""},
		{"set outlook anywhere", Edit{Op: "set-outlook-anywhere", Server: "CAS1", OutlookAnywhere: &OutlookAnywhereEdit{Enabled: &no, IISAuthenticationMethods: &basicOnly}},
			func(i *Inventory) string {
				oa := i.Servers[0].OutlookAnywhere
				return cond(!oa.Enabled && len(oa.IISAuthenticationMethods) == 1, "not set")
			}, ""},
		{"set virtual directory", Edit{Op: "set-virtual-directory", Server: "CAS1", VirtualDirectory: "owa", Settings: &VirtualDirEdit{ExternalURL: strp("https://mail.contoso.com/owa")}},
			func(i *Inventory) string { return cond(i.Servers[0].OWA.ExternalURL != "", "not set") }, ""},
		{"bad virtual directory", Edit{Op: "set-virtual-directory", Server: "CAS1", VirtualDirectory: "smtp", Settings: &VirtualDirEdit{}}, nil, `virtual_directory "smtp"`},
		{"out of service", Edit{Op: "set-out-of-service", Server: "CAS1", IsOutOfService: &yes},
			func(i *Inventory) string { return cond(i.Servers[0].IsOutOfService, "not set") }, ""},
		{"replace certificate", Edit{Op: "replace-certificate", Replaces: "aa", Certificate: &Certificate{Thumbprint: "BB", SANs: []string{"*.contoso.com"}, NotAfter: "2031-01-01"}},
			func(i *Inventory) string {
				c := i.Certificates[0]
				return cond(c.Thumbprint == "BB" && c.Servers[0] == "CAS1", "not replaced")
			}, ""},
		{"add server", Edit{Op: "add-server", NewServer: &Server{Name: "MBX16-2", FQDN: "mbx16-2.contoso.com", Site: "S1", Build: "15.1.2507.6", Roles: []string{"Mailbox"}}},
			func(i *Inventory) string { return cond(len(i.Servers) == 3, "not added") }, ""},
		{"add database", Edit{Op: "add-database", Database: "DB16-2", Server: "mbx16"},
			func(i *Inventory) string {
				return cond(len(i.Databases) == 3 && i.Databases[2].Server == "MBX16", "not added")
			}, ""},
		{"add database twice", Edit{Op: "add-database", Database: "db16", Server: "MBX16"}, nil, `database "db16" is already in the inventory`},
		{"decommission with databases", Edit{Op: "decommission-server", Server: "CAS1"}, nil, "still active"},
		{"mapi", Edit{Op: "set-mapi-http", MapiHTTPEnabled: &no},
			func(i *Inventory) string {
				return cond(i.Organization.MapiHTTPEnabled != nil && !*i.Organization.MapiHTTPEnabled, "not set")
			}, ""},
		{"unknown server", Edit{Op: "move-database", Database: "DB10", ToServer: "NOPE"}, nil, `server "NOPE" is not in the inventory`},
		{"field of another op", Edit{Op: "set-mapi-http", MapiHTTPEnabled: &no, Server: "CAS1"}, nil, `server does not apply to op "set-mapi-http"`},
		{"no op", Edit{}, nil, "edit has no op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := editBase()
			before := len(base.Servers[0].InstalledUpdates)
			out, ps := base.Apply([]Edit{tt.edit})
			if tt.err != "" {
				if len(ps) == 0 || !strings.Contains(ps[0].Message, tt.err) {
					t.Fatalf("got problems %v, want one containing %q", ps, tt.err)
				}
				return
			}
			if len(ps) > 0 {
				t.Fatalf("got problems %v", ps)
			}
			if msg := tt.check(out); msg != "" {
				t.Error(msg)
			}
			if vps := out.Validate(); len(vps) > 0 {
				t.Errorf("edited inventory invalid: %v", vps)
			}
			// The base is never modified.
			if base.Mailboxes[0].Database != "DB10" || base.Namespaces[0].External[0] != "CAS1" || len(base.Servers[0].InstalledUpdates) != before ||
				base.Servers[0].OutlookAnywhere.Enabled || base.Servers[0].TLS.Schannel12ServerEnabled != nil || base.Certificates[0].Thumbprint != "AA" {
				t.Error("Apply modified the base inventory")
			}
		})
	}
}

func cond(ok bool, msg string) string {
	if ok {
		return ""
	}
	return msg
}

func strp(s string) *string { return &s }
