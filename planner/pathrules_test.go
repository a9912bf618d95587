package planner_test

import (
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
)

// ruleBase is a two-site organisation with every version, for the path
// rules the scenarios do not exercise. The namespace mail.contoso.com
// points at FRONT (set per case); user "u" is in database DB (set per case).
func ruleBase() *model.Inventory {
	yes := true
	srv := func(name, site, build string, roles ...string) model.Server {
		fqdn := strings.ToLower(name) + ".contoso.com"
		return model.Server{Name: name, FQDN: fqdn, Site: site, Build: build, Roles: roles,
			OS:              "Windows Server 2012 R2",
			OutlookAnywhere: model.OutlookAnywhere{Enabled: true, ExternalHostname: "mail.contoso.com", ClientAuthenticationMethod: "NTLM", IISAuthenticationMethods: []string{"Basic", "NTLM"}},
			OWA:             model.VirtualDir{InternalURL: "https://" + fqdn + "/owa", Authentication: []string{"FBA"}},
			POP3:            model.PopImap{InternalConnectionSettings: []string{fqdn + ":995:SSL"}, Running: &yes},
		}
	}
	inv := &model.Inventory{
		Organization: model.Organization{Name: "T", AsOf: "2026-11-22", PrimaryNamespace: "mail.contoso.com"},
		Sites:        []model.Site{{Name: "A"}, {Name: "B"}},
		Servers: []model.Server{
			srv("E16", "A", "15.1.2507.6", "Mailbox"),
			srv("E13", "A", "15.0.1497.48", "Mailbox", "ClientAccess"),
			srv("C10A", "A", "14.3.513.0", "ClientAccess"),
			srv("M10A", "A", "14.3.513.0", "Mailbox"),
			srv("C10B", "B", "14.3.513.0", "ClientAccess"),
			srv("M10B", "B", "14.3.513.0", "Mailbox"),
			srv("X07A", "A", "8.3.517.0", "ClientAccess", "Mailbox"),
		},
		Namespaces: []model.Namespace{{FQDN: "mail.contoso.com", Internal: []string{"FRONT"}, External: []string{"FRONT"}}},
		Databases: []model.Database{
			{Name: "D16", Server: "E16"}, {Name: "D13", Server: "E13"}, {Name: "D10A", Server: "M10A"},
			{Name: "D10B", Server: "M10B", RPCClientAccessServer: "c10b.contoso.com"}, {Name: "D07", Server: "X07A"},
		},
		ClientProfiles: []model.ClientProfile{{Name: "p", Outlook: "Outlook 2016"}},
		Mailboxes:      []model.Mailbox{{Name: "u", Database: "DB", ClientProfile: "p"}},
	}
	return inv
}

func TestPathRules(t *testing.T) {
	server := func(inv *model.Inventory, name string) *model.Server {
		for i := range inv.Servers {
			if inv.Servers[i].Name == name {
				return &inv.Servers[i]
			}
		}
		t.Fatalf("no server %s", name)
		return nil
	}
	no := false
	tests := []struct {
		name, front, db, proto, loc string
		mutate                      func(inv *model.Inventory)
		outcome                     string
		hops                        string // substring of the compact hop list; "=…" the whole list
		rule                        string
	}{
		{"2013 front door, 2007 OWA redirects to legacy", "E13", "D07", "owa", "external",
			func(inv *model.Inventory) {
				server(inv, "X07A").OWA.ExternalURL = "https://legacy.contoso.com/owa"
				inv.Namespaces = append(inv.Namespaces, model.Namespace{FQDN: "legacy.contoso.com", External: []string{"X07A"}})
			},
			"ok", "E13>X07A@legacy.contoso.com:redirect-silent", "PATH-2B-OWA"},
		{"a redirect to a name that does not resolve is broken", "E13", "D07", "owa", "external",
			func(inv *model.Inventory) { server(inv, "X07A").OWA.ExternalURL = "https://legacy.contoso.com/owa" },
			"broken", "E13>X07A@legacy.contoso.com:redirect-silent", "PATH-RESOLVE"},
		{"2013 front door, 2007 OWA without legacy URL is broken", "E13", "D07", "owa", "external", nil,
			"broken", "", "PATH-2B-OWA"},
		{"2013 front door, 2007 EAS with a legacy EAS URL warns", "E13", "D07", "eas", "external",
			func(inv *model.Inventory) {
				server(inv, "X07A").EAS.ExternalURL = "https://legacy.contoso.com/Microsoft-Server-ActiveSync"
			},
			"warning", "E13>X07A@x07a.contoso.com:proxy", "PATH-2B-PROXY"},
		{"2016 front door, 2013 mailbox is proxied", "E16", "D13", "owa", "external", nil,
			"ok", "E16>E13@e13.contoso.com:proxy/kerberos", "PATH-2E-PROXY"},
		{"2013 front door, 2016 mailbox is proxied", "E13", "D16", "ews", "internal", nil,
			"ok", "E13>E16@e16.contoso.com:proxy", "PATH-2E-PROXY"},
		{"2016 front door, 2007 mailbox is unsupported", "E16", "D07", "owa", "external", nil,
			"broken", "", "PATH-UNSUPPORTED-PAIR"},
		{"2010 front door cannot serve 2016", "C10A", "D16", "owa", "external", nil,
			"broken", "", "PATH-VERSION-DIRECTION"},
		{"no eligible CAS in the mailbox's site", "E16", "D10B", "owa", "external",
			func(inv *model.Inventory) { server(inv, "C10B").IsOutOfService = true },
			"broken", "", "PATH-NO-CAS"},
		{"load balancer not passing /owa", "LB", "D16", "owa", "external",
			func(inv *model.Inventory) {
				inv.LoadBalancers = []model.LoadBalancer{{Name: "LB", Members: []string{"E16"}, Paths: []string{"/ews"}}}
			},
			"broken", "", "PATH-LB-PATH"},
		{"namespace without external targets", "E16", "D16", "owa", "external",
			func(inv *model.Inventory) { inv.Namespaces[0].External = nil },
			"broken", "", "PATH-RESOLVE"},
		{"2010 cross-site OWA redirect is manual by default", "C10A", "D10B", "owa", "external",
			func(inv *model.Inventory) { server(inv, "C10B").OWA.ExternalURL = "https://mail-b.contoso.com/owa" },
			"warning", "C10A>C10B@mail-b.contoso.com:redirect-manual", "PATH-2010-CROSS-SITE"},
		{"2010 cross-site OWA redirect silent when configured", "C10A", "D10B", "owa", "external",
			func(inv *model.Inventory) {
				server(inv, "C10B").OWA.ExternalURL = "https://mail-b.contoso.com/owa"
				server(inv, "C10A").OWA.CrossSiteRedirectType = "Silent"
			},
			"ok", "C10A>C10B@mail-b.contoso.com:redirect-silent", "PATH-2010-CROSS-SITE"},
		{"2010 cross-site EAS answers 451", "C10A", "D10B", "eas", "external",
			func(inv *model.Inventory) {
				server(inv, "C10B").EAS.ExternalURL = "https://mail-b.contoso.com/Microsoft-Server-ActiveSync"
			},
			"ok", "C10A>C10B@mail-b.contoso.com:redirect-451", "PATH-2010-CROSS-SITE"},
		{"2010 cross-site EAS proxies devices without 451", "C10A", "D10B", "eas", "external",
			func(inv *model.Inventory) {
				server(inv, "C10B").EAS.ExternalURL = "https://mail-b.contoso.com/Microsoft-Server-ActiveSync"
				inv.ClientProfiles[0].EASSupports451 = &no
			},
			"ok", "C10A>C10B@c10b.contoso.com:proxy", "PATH-2010-CROSS-SITE"},
		{"2010 front door, 2007 EAS 451", "C10A", "D07", "eas", "external",
			func(inv *model.Inventory) {
				server(inv, "X07A").EAS.ExternalURL = "https://legacy.contoso.com/Microsoft-Server-ActiveSync"
			},
			"ok", "C10A>X07A@legacy.contoso.com:redirect-451", "PATH-2A-EAS"},
		{"Outlook 2010 without the MAPI KBs stays on OA", "E16", "D16", "mapi-http", "external",
			func(inv *model.Inventory) { inv.ClientProfiles[0].Outlook = "Outlook 2010 SP2" },
			"not-applicable", "", "PATH-MAPI-CLIENT"},
		{"Outlook 2010 with the MAPI KBs uses MAPI/HTTP", "E16", "D16", "mapi-http", "external",
			func(inv *model.Inventory) {
				yes := true
				inv.Organization.MapiHTTPEnabled = &yes
				inv.ClientProfiles[0].Outlook = "Outlook 2010 SP2"
				inv.ClientProfiles[0].InstalledUpdates = []string{"KB2956191", "KB2965295"}
			},
			"ok", "client>E16@mail.contoso.com", ""},
		{"MAPI/HTTP disabled while 2013 exists", "E16", "D16", "mapi-http", "internal",
			func(inv *model.Inventory) {}, "not-applicable", "", "PATH-MAPI-CLIENT"},
		{"2016 to 2010 cross-site redirect without FBA on the target", "E16", "D10B", "owa", "external",
			func(inv *model.Inventory) {
				server(inv, "C10B").OWA.ExternalURL = "https://mail-b.contoso.com/owa"
				server(inv, "C10B").OWA.Authentication = []string{"Basic"}
				inv.Namespaces = append(inv.Namespaces, model.Namespace{FQDN: "mail-b.contoso.com", External: []string{"C10B"}})
			},
			"warning", "E16>C10B@mail-b.contoso.com:redirect-manual", "AUTH-FBA-SSO"},
		{"POP3 service stopped on the legacy CAS", "E16", "D10B", "pop3", "external",
			func(inv *model.Inventory) { server(inv, "C10B").POP3.Running = &no },
			"broken", "E16>C10B@c10b.contoso.com:proxy/basic", "PATH-2D-POPIMAP"},
		{"POP3 loops back when the legacy settings name the 2016 front door", "E16", "D10B", "pop3", "external",
			func(inv *model.Inventory) {
				server(inv, "C10B").POP3.InternalConnectionSettings = []string{"mail.contoso.com:995:SSL"}
			},
			"broken", "E16>E16@mail.contoso.com:proxy/basic", "NS-POPIMAP-FQDN"},
		{"POP3 settings naming another legacy server land there", "E16", "D10B", "pop3", "external",
			func(inv *model.Inventory) {
				server(inv, "C10B").POP3.InternalConnectionSettings = []string{"c10a.contoso.com:995:SSL"}
			},
			"warning", "E16>C10A@c10a.contoso.com:proxy/basic", "NS-POPIMAP-FQDN"},
		{"encrypted client: SSL target first", "E16", "D10B", "pop3", "external",
			func(inv *model.Inventory) { addPlainCAS(inv) },
			"ok", "E16>C10B@c10b.contoso.com:proxy/basic", "PATH-2D-POPIMAP"},
		{"plaintext client: plain text target first", "E16", "D10B", "pop3", "external",
			func(inv *model.Inventory) {
				addPlainCAS(inv)
				inv.ClientProfiles[0].PopImapChannel = model.ChannelPlaintext
			},
			"ok", "E16>C10P@c10p.contoso.com:proxy/basic", "PATH-2D-POPIMAP"},
		{"plaintext client without plain targets: SSL before TLS", "E16", "D10B", "pop3", "external",
			func(inv *model.Inventory) {
				addPlainCAS(inv)
				server(inv, "C10P").POP3.InternalConnectionSettings = []string{"c10p.contoso.com:110:TLS"}
				inv.ClientProfiles[0].PopImapChannel = model.ChannelPlaintext
			},
			"ok", "E16>C10B@c10b.contoso.com:proxy/basic", "PATH-2D-POPIMAP"},
		{"POP3 stopped on another eligible CAS of the site warns", "E16", "D10B", "pop3", "external",
			func(inv *model.Inventory) {
				addPlainCAS(inv)
				server(inv, "C10P").POP3.Running = &no
			},
			"warning", "E16>C10B@c10b.contoso.com:proxy/basic", "NS-POPIMAP-FQDN"},
		{"2010 OAB is served by the local distribution point, no mailbox hop", "C10A", "D10A", "oab", "external",
			func(inv *model.Inventory) { legacyOAB(inv, "C10A") },
			"ok", "=client>C10A@mail.contoso.com:connect/ntlm", "PATH-OAB-FILE"},
		{"2010 does not proxy OAB cross-site", "C10A", "D10B", "oab", "external",
			func(inv *model.Inventory) { legacyOAB(inv, "C10A", "C10B") },
			"ok", "=client>C10A@mail.contoso.com:connect/ntlm", "PATH-OAB-FILE"},
		{"a 2010 CAS that does not distribute the OAB cannot serve it", "C10A", "D10B", "oab", "external",
			func(inv *model.Inventory) { legacyOAB(inv, "C10B") },
			"broken", "", "PATH-OAB-FILE"},
		{"a 2016-generated OAB for a 2010 mailbox warns", "E16", "D10A", "oab", "external",
			func(inv *model.Inventory) {
				legacyOAB(inv, "C10A")
				inv.OfflineABs[0].GenerationServers = []string{"E16"}
			},
			"warning", "E16>C10A@c10a.contoso.com:proxy/kerberos", "PATH-OAB-GEN"},
		{"load balancer without /mapi breaks MAPI/HTTP for moved users", "LB", "D16", "mapi-http", "external",
			func(inv *model.Inventory) {
				yes := true
				inv.Organization.MapiHTTPEnabled = &yes
				inv.LoadBalancers = []model.LoadBalancer{{Name: "LB", Members: []string{"E16"}, Paths: []string{"/rpc", "/owa"}}}
			},
			"broken", "", "NS-MAPI-LB"},
		{"RPC array name moved to 2016", "E16", "D10B", "rpc-tcp", "internal",
			func(inv *model.Inventory) {
				inv.Namespaces = append(inv.Namespaces, model.Namespace{FQDN: "outlook.contoso.com", Internal: []string{"E16"}})
				inv.Databases[3].RPCClientAccessServer = "outlook.contoso.com"
			},
			"broken", "", "NS-RPC-ARRAY"},
		{"legacy OA disabled breaks proxied Outlook", "E16", "D10B", "outlook-anywhere", "external",
			func(inv *model.Inventory) { server(inv, "C10B").OutlookAnywhere.Enabled = false },
			"broken", "", "AUTH-LEGACY-NTLM"},
		{"2016 never sends 451", "E16", "D10B", "eas", "external",
			func(inv *model.Inventory) {
				server(inv, "C10B").EAS.ExternalURL = "https://mail-b.contoso.com/Microsoft-Server-ActiveSync"
			},
			"ok", "E16>C10B@c10b.contoso.com:proxy", "PATH-2D-EAS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := ruleBase()
			inv.Namespaces[0].Internal = []string{tt.front}
			inv.Namespaces[0].External = []string{tt.front}
			inv.Mailboxes[0].Database = tt.db
			if tt.mutate != nil {
				tt.mutate(inv)
			}
			if ps := inv.Validate(); len(ps) > 0 {
				t.Fatalf("test inventory invalid: %+v", ps)
			}
			p := planner.Run(inv, planner.Options{})
			pa := find(t, p, "u", tt.proto, tt.loc, "")
			if pa.Outcome != tt.outcome {
				t.Errorf("outcome: got %s, want %s\n%s\n%s", pa.Outcome, tt.outcome, hops(pa), strings.Join(pa.Notes, "\n"))
			}
			switch exact, ok := strings.CutPrefix(tt.hops, "="); {
			case ok && hops(pa) != exact:
				t.Errorf("hops: got %s, want %s", hops(pa), exact)
			case !ok && tt.hops != "" && !strings.Contains(hops(pa), tt.hops):
				t.Errorf("hops: got %s, want them to contain %s", hops(pa), tt.hops)
			}
			if tt.rule != "" {
				checkRule(t, pa, tt.rule)
			}
		})
	}
}

// legacyOAB gives the 2010 databases an OAB generated on M10A and makes
// the named CAS its web distribution points.
func legacyOAB(inv *model.Inventory, wdp ...string) {
	inv.OfflineABs = []model.OfflineAB{{Name: "OAB2010", GenerationServers: []string{"M10A"}}, {Name: "Other"}}
	for i := range inv.Databases {
		inv.Databases[i].OfflineAddressBook = "OAB2010"
	}
	for i := range inv.Servers {
		s := &inv.Servers[i]
		s.OAB.OfflineAddressBooks = []string{"Other"}
		for _, n := range wdp {
			if s.Name == n {
				s.OAB.OfflineAddressBooks = []string{"OAB2010"}
			}
		}
	}
}

// addPlainCAS adds C10P, a second Exchange 2010 CAS in site B whose POP3
// offers only plain text.
func addPlainCAS(inv *model.Inventory) {
	yes := true
	inv.Servers = append(inv.Servers, model.Server{Name: "C10P", FQDN: "c10p.contoso.com", Site: "B", Build: "14.3.513.0",
		Roles: []string{"ClientAccess"}, OS: "Windows Server 2012 R2",
		POP3: model.PopImap{InternalConnectionSettings: []string{"c10p.contoso.com:110"}, Running: &yes}})
}

// TestEveryPathRuleIsDocumented: every path rule has a title, a source and
// a section, and every ID a path cites resolves to a rule.
func TestEveryPathRuleIsDocumented(t *testing.T) {
	for _, r := range planner.Rules() {
		if r.Title == "" || (len(r.Sources) == 0 && !r.Inferred) || r.Section == "" || r.Doc == "" {
			t.Errorf("rule %s lacks title, source, section or doc", r.ID)
		}
	}
	for _, f := range []string{"s1-contoso.toml", "s2-2007-2010.toml", "s3-2013-2010.toml", "s4-2016-2010.toml", "s5-tls.toml"} {
		p := plan(t, f)
		for _, c := range p.Cohorts {
			for _, pa := range c.Paths {
				for _, id := range pa.Rules {
					if planner.RuleByID(id) == nil {
						t.Errorf("%s: path cites unknown rule %s", f, id)
					}
				}
			}
		}
	}
}
