package planner

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coexist/coexist/model"
)

// Rule tests as data: every check rule has a table of cases, each an edit
// of a small clean inventory and the findings expected, written as
// "severity ID subject".

func ip(n int) *int { return &n }

func bp(b bool) *bool { return &b }

// testAsOf is "today" for the rule tests.
var testAsOf = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// baseInventory is a clean Exchange 2010 + 2016 organisation: every
// check rule finds nothing in it except the TLS-VERIFY advice and, at
// testAsOf (2026), the lifecycle of its products (LIFE-*).
func baseInventory() *model.Inventory {
	tls2010 := model.TLSRegistry{
		Schannel12ClientEnabled: ip(1), Schannel12ClientDisabledByDefault: ip(0),
		Schannel12ServerEnabled: ip(1), Schannel12ServerDisabledByDefault: ip(0),
		Net2SystemDefaultTLSVersions: ip(1), Net2SchUseStrongCrypto: ip(1),
	}
	tls2016 := model.TLSRegistry{
		Schannel12ClientEnabled: ip(1), Schannel12ClientDisabledByDefault: ip(0),
		Schannel12ServerEnabled: ip(1), Schannel12ServerDisabledByDefault: ip(0),
		Net4SystemDefaultTLSVersions: ip(1), Net4SchUseStrongCrypto: ip(1),
	}
	scp := "https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml"
	return &model.Inventory{
		Organization: model.Organization{
			Name: "Contoso", AsOf: "2026-01-01", CutoverDate: "2026-06-30",
			SplitBrainDNS: true, PrimaryNamespace: "mail.contoso.com",
		},
		Sites: []model.Site{{Name: "HQ"}},
		Namespaces: []model.Namespace{
			{FQDN: "mail.contoso.com", Internal: []string{"EX2016"}, External: []string{"EX2016"}},
			{FQDN: "autodiscover.contoso.com", Internal: []string{"EX2016"}, External: []string{"EX2016"}},
		},
		Servers: []model.Server{
			{
				Name: "EX2010", FQDN: "ex2010.contoso.com", Site: "HQ", Build: "14.3.513.0",
				Roles: []string{"ClientAccess", "HubTransport", "Mailbox"}, OS: "Windows Server 2012 R2 Standard",
				InstalledUpdates: []string{"KB3161949", "KB3154520"}, DotNet: "3.5.1",
				AutoDiscoverServiceInternalURI: scp, TLS: tls2010,
				OutlookAnywhere: model.OutlookAnywhere{Enabled: true, ExternalHostname: "mail.contoso.com",
					ClientAuthenticationMethod: "NTLM", IISAuthenticationMethods: []string{"Basic", "NTLM"}},
				POP3: model.PopImap{InternalConnectionSettings: []string{"ex2010.contoso.com:995:SSL"}, Running: bp(true)},
			},
			{
				Name: "EX2016", FQDN: "ex2016.contoso.com", Site: "HQ", Build: "15.1.2507.6",
				Roles: []string{"Mailbox"}, OS: "Windows Server 2016 Standard",
				InstalledUpdates: []string{"KB5073722"}, DotNet: "4.8",
				AutoDiscoverServiceInternalURI: scp, TLS: tls2016,
				OutlookAnywhere: model.OutlookAnywhere{Enabled: true, ExternalHostname: "mail.contoso.com", InternalHostname: "mail.contoso.com",
					ExternalClientAuthenticationMethod: "NTLM", InternalClientAuthenticationMethod: "NTLM"},
			},
		},
		OutlookProviders: []model.OutlookProvider{{Name: "EXPR"}},
		Certificates: []model.Certificate{{
			Thumbprint: "AA11BB22CC33", Subject: "CN=mail.contoso.com",
			SANs: []string{"mail.contoso.com", "autodiscover.contoso.com"}, NotAfter: "2028-01-01",
			SignatureAlgorithm: "sha256RSA", Services: []string{"IIS", "SMTP"}, Servers: []string{"EX2010", "EX2016"},
		}},
		Databases: []model.Database{
			{Name: "DB2010", Server: "EX2010", RPCClientAccessServer: "outlook.contoso.com"},
			{Name: "DB2016", Server: "EX2016"},
		},
		ClientProfiles: []model.ClientProfile{{Name: "win10", Outlook: "Outlook 2016", OS: "Windows 10"}},
		Mailboxes: []model.Mailbox{
			{Name: "u2010", Database: "DB2010", ClientProfile: "win10"},
			{Name: "u2016", Database: "DB2016", ClientProfile: "win10"},
		},
	}
}

// srv returns the named server of inv.
func srv(inv *model.Inventory, name string) *model.Server {
	for i := range inv.Servers {
		if inv.Servers[i].Name == name {
			return &inv.Servers[i]
		}
	}
	panic("no server " + name)
}

// addServer adds a server of the given build to site HQ.
func addServer(inv *model.Inventory, name, build string, roles ...string) *model.Server {
	if len(roles) == 0 {
		roles = []string{"ClientAccess", "Mailbox"}
	}
	inv.Servers = append(inv.Servers, model.Server{
		Name: name, FQDN: strings.ToLower(name) + ".contoso.com", Site: "HQ", Build: build, Roles: roles,
	})
	return &inv.Servers[len(inv.Servers)-1]
}

// newPass validates inv and prepares a pass with cohorts (no paths).
func newPass(t *testing.T, inv *model.Inventory) *Pass {
	t.Helper()
	if ps := inv.Validate(); len(ps) > 0 {
		t.Fatalf("test inventory is invalid: %+v", ps)
	}
	x := model.NewIndex(inv)
	topo := NewTopology(inv, x)
	cohorts, _ := buildCohorts(inv, x, topo)
	return &Pass{Inv: inv, X: x, Topo: topo, AsOf: testAsOf, Cohorts: cohorts}
}

// runRule runs one check rule on inv and returns its findings, sorted.
func runRule(t *testing.T, inv *model.Inventory, r *Rule) []Finding {
	t.Helper()
	p := newPass(t, inv)
	r.Check(p)
	sortFindings(p.findings)
	return p.findings
}

func summary(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s", f.Severity, f.ID, f.Subject))
	}
	sort.Strings(out)
	return out
}

// ruleCase is one row of a rule's table test.
type ruleCase struct {
	name string
	edit func(inv *model.Inventory)
	// pass prepares the pass further (e.g. adds computed paths).
	pass func(p *Pass)
	want []string // "severity ID subject", any order
	// contains are substrings expected in the findings' messages, shell
	// lines or remediation text.
	contains []string
	// regs are registry values expected, as "KEY\Name=0xVALUE".
	regs []string
}

// checkFinding asserts what every finding must carry.
func checkFinding(t *testing.T, f Finding) {
	t.Helper()
	r := RuleByID(f.ID)
	if r == nil {
		t.Errorf("%s: no rule with this ID", f.ID)
		return
	}
	if f.Message == "" || f.Subject == "" || (len(f.Sources) == 0 && !f.Inferred) {
		t.Errorf("%s %s: empty message, subject or source: %+v", f.ID, f.Subject, f)
	}
	fix := f.Fix
	if len(fix.Steps) == 0 && len(fix.Shell) == 0 && len(fix.KBs) == 0 && len(fix.Registry) == 0 {
		t.Errorf("%s %s: finding has no fix", f.ID, f.Subject)
	}
	for _, l := range fix.Shell {
		if strings.Contains(l, "templates:") || strings.Contains(l, "<no value>") {
			t.Errorf("%s %s: broken remedy line %q", f.ID, f.Subject, l)
		}
	}
	if len(fix.Registry) > 0 && fix.Server == "" {
		t.Errorf("%s %s: registry values without Fix.Server", f.ID, f.Subject)
	}
	for _, v := range fix.Registry {
		if !strings.HasPrefix(v.Key, `HKEY_LOCAL_MACHINE\`) || v.Name == "" {
			t.Errorf("%s %s: bad registry value %+v", f.ID, f.Subject, v)
		}
	}
}

func runCases(t *testing.T, r *Rule, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := baseInventory()
			if tc.edit != nil {
				tc.edit(inv)
			}
			p := newPass(t, inv)
			if tc.pass != nil {
				tc.pass(p)
			}
			r.Check(p)
			sortFindings(p.findings)
			got := summary(p.findings)
			want := append([]string{}, tc.want...)
			sort.Strings(want)
			if len(want) == 0 {
				want = []string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
				for _, f := range p.findings {
					t.Logf("%s %s: %s", f.ID, f.Subject, f.Message)
				}
			}
			var text strings.Builder
			regs := map[string]bool{}
			for _, f := range p.findings {
				checkFinding(t, f)
				text.WriteString(f.Message + "\n" + f.Remediation + "\n" + strings.Join(f.Fix.Shell, "\n") + "\n")
				for _, v := range f.Fix.Registry {
					regs[fmt.Sprintf(`%s\%s=0x%X`, v.Key, v.Name, v.Value)] = true
				}
			}
			for _, s := range tc.contains {
				if !strings.Contains(text.String(), s) {
					t.Errorf("findings do not mention %q; got:\n%s", s, text.String())
				}
			}
			for _, rv := range tc.regs {
				if !regs[rv] {
					t.Errorf("registry value %s missing; got %v", rv, sortedKeys(regs))
				}
			}
		})
	}
}

func TestBaseInventoryIsClean(t *testing.T) {
	inv := baseInventory()
	p := newPass(t, inv)
	for _, r := range checkRules {
		r.Check(p)
	}
	got := summary(p.findings)
	want := []string{
		"error LIFE-EXCHANGE Contoso", // the target, 2016, out of support since 2025-10-14
		"info TLS-VERIFY Contoso",
		"warning LIFE-CLIENT-OS win10", // Windows 10, 2025-10-14
		"warning LIFE-EXCHANGE EX2010", // being replaced
		"warning LIFE-OUTLOOK win10",   // Outlook 2016, 2025-10-14
		"warning LIFE-WINDOWS EX2010",  // Windows Server 2012 R2, being replaced
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
		for _, f := range p.findings {
			t.Logf("%s %s: %s", f.ID, f.Subject, f.Message)
		}
	}
}

func TestCheckRulesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range checkRules {
		t.Run(r.ID, func(t *testing.T) {
			if seen[r.ID] {
				t.Errorf("duplicate rule ID %s", r.ID)
			}
			seen[r.ID] = true
			if r.Title == "" || r.Doc == "" || (len(r.Sources) == 0 && !r.Inferred) || r.Section == "" || r.Check == nil {
				t.Errorf("rule %s is incomplete: %+v", r.ID, r)
			}
			switch r.Severity {
			case SevError, SevWarning, SevInfo:
			default:
				t.Errorf("rule %s severity %q", r.ID, r.Severity)
			}
			if got := RuleByID(r.ID); got != r {
				t.Errorf("RuleByID(%s) is another rule (an ID clash with pathRules?)", r.ID)
			}
		})
	}
}

// TestUpdateNamesInCatalog checks every update name the checks use
// resolves in the build catalog (mustBuildOf panics otherwise).
func TestUpdateNamesInCatalog(t *testing.T) {
	var all []minBuild
	for _, m := range []map[model.Version]minBuild{tls12Min, tlsDisableMin} {
		for _, b := range m {
			all = append(all, b)
		}
	}
	for v, u := range latestUpdate {
		all = append(all, minBuild{v, u})
	}
	for _, list := range supportedOS {
		for _, o := range list {
			if o.MinBuild != nil {
				all = append(all, *o.MinBuild)
			}
		}
	}
	for v, steps := range dotnetNewest {
		for _, st := range steps {
			all = append(all, minBuild{v, st.From})
		}
	}
	for _, b := range all {
		if _, ok := model.BuildOf(b.V, b.Update); !ok {
			t.Errorf("Exchange %s %q is not in the build catalog", b.V, b.Update)
		}
	}
	if got, want := (minBuild{model.V2010, "SP3 RU11"}).Words(), "Exchange 2010 SP3 RU11 (14.3.266.2)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBuildWords(t *testing.T) {
	tests := []struct{ build, want string }{
		{"14.3.181.6", "Exchange 2010 SP3 RU5 (14.3.181.6)"},
		{"15.1.2400.1", "Exchange 2016 between CU22 Nov22SU and CU23 (15.1.2400.1)"},
	}
	for _, tt := range tests {
		t.Run(tt.build, func(t *testing.T) {
			if got := buildWords(model.MustBuild(tt.build)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAndList(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}}
	for _, tt := range tests {
		if got := andList(tt.in); got != tt.want {
			t.Errorf("andList(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
