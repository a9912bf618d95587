package redact_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/model/redact"
	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
)

// generic are words that appear in a redacted inventory whatever the
// customer, so a sample's name that is one of them is not searched for:
// host labels and subject values that are also Exchange words. They are
// the only originals allowed to remain.
var generic = map[string]bool{
	"autodiscover": true, // kept: the planner finds the Autodiscover namespace by it
	"outlook":      true, // a host label (outlook.contoso.com) and client_profiles.outlook = "Outlook 2016"
}

// samples returns the sample inventories, loaded and validated.
func samples(t *testing.T) map[string]*model.Inventory {
	t.Helper()
	files, _ := filepath.Glob("../../samples/*.toml")
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	out := map[string]*model.Inventory{}
	for _, f := range files {
		inv, _, err := load.Load([]string{f}, load.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = inv
	}
	// Each variant overlays the sample with its prefix (s3b-… on s3-…).
	variants, _ := filepath.Glob("../../samples/variants/*.toml")
	for _, v := range variants {
		prefix := filepath.Base(v)[:2]
		base, _ := filepath.Glob("../../samples/" + prefix + "-*.toml")
		if len(base) != 1 {
			t.Fatalf("%s: no single sample %s-*.toml to overlay", v, prefix)
		}
		inv, _, err := load.Load([]string{base[0], v}, load.Options{})
		if err != nil {
			t.Fatalf("%s + %s: %v", base[0], v, err)
		}
		out[filepath.Base(base[0])+"+"+filepath.Base(v)] = inv
	}
	return out
}

func sortedNames(m map[string]*model.Inventory) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// writeTOML writes inv as the inventory format.
func writeTOML(t *testing.T, inv *model.Inventory) string {
	t.Helper()
	var b bytes.Buffer
	if err := load.WriteTOML(&b, inv, load.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// originals lists what identifies the customer in inv: entity names, the
// organisation's name, every host name with its domain and labels, IP
// addresses, thumbprints and certificate subject values.
func originals(inv *model.Inventory) []string {
	set := map[string]bool{}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			set[s] = true
		}
	}
	host := func(h string) {
		h = strings.TrimSuffix(strings.TrimPrefix(h, "*."), ".")
		if h == "" {
			return
		}
		add(h)
		labels := strings.Split(h, ".")
		for _, l := range labels {
			add(l)
		}
		if n := len(labels); n >= 2 {
			add(labels[n-2] + "." + labels[n-1])
		}
	}
	urlHost := func(s string) {
		if u, err := url.Parse(s); err == nil {
			host(u.Hostname())
		}
	}
	add(inv.Organization.Name)
	host(inv.Organization.PrimaryNamespace)
	for _, s := range inv.Sites {
		add(s.Name)
	}
	for _, ns := range inv.Namespaces {
		host(ns.FQDN)
	}
	for _, lb := range inv.LoadBalancers {
		add(lb.Name)
	}
	for i := range inv.Servers {
		s := &inv.Servers[i]
		add(s.Name)
		host(s.FQDN)
		urlHost(s.AutoDiscoverServiceInternalURI)
		host(s.OutlookAnywhere.ExternalHostname)
		host(s.OutlookAnywhere.InternalHostname)
		for _, vd := range s.VirtualDirs() {
			urlHost(vd.Dir.InternalURL)
			urlHost(vd.Dir.ExternalURL)
			for _, o := range vd.Dir.OfflineAddressBooks {
				add(o)
			}
		}
		for _, p := range []model.PopImap{s.POP3, s.IMAP4} {
			for _, cs := range append(p.InternalConnectionSettings, p.ExternalConnectionSettings...) {
				h, _, _ := strings.Cut(cs, ":")
				host(h)
			}
		}
	}
	for _, p := range inv.OutlookProviders {
		host(p.Server)
		host(strings.TrimPrefix(p.CertPrincipalName, "msstd:"))
	}
	for _, c := range inv.Certificates {
		add(c.Thumbprint)
		for _, san := range c.SANs {
			host(san)
		}
		for _, rdn := range strings.Split(c.Subject, ",") {
			if _, v, ok := strings.Cut(rdn, "="); ok {
				add(v)
				if strings.Contains(v, ".") {
					host(v)
				}
			}
		}
	}
	for _, d := range inv.Databases {
		add(d.Name)
		host(d.RPCClientAccessServer)
	}
	for _, o := range inv.OfflineABs {
		add(o.Name)
	}
	for _, p := range inv.ClientProfiles {
		add(p.Name)
	}
	for _, m := range inv.Mailboxes {
		add(m.Name)
		host(m.Namespace)
	}
	var out []string
	for s := range set {
		if !generic[strings.ToLower(s)] {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// words indexes a text for wordIn.
type words struct {
	text  string
	words map[string]bool // lower-case
}

var wordRE = regexp.MustCompile(`[A-Za-z0-9_-]+`)

func newWords(text string) *words {
	w := &words{text: text, words: map[string]bool{}}
	for _, x := range wordRE.FindAllString(text, -1) {
		w.words[strings.ToLower(x)] = true
	}
	return w
}

// wordIn reports whether s occurs in the text as a whole word
// (case-insensitive; letters, digits, '_' and '-' make up words).
func (w *words) has(s string) bool {
	if wordRE.FindString(s) == s {
		return w.words[strings.ToLower(s)]
	}
	re := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(s) + `($|[^A-Za-z0-9_-])`)
	return re.MatchString(w.text)
}

func TestSamplesLeakNothing(t *testing.T) {
	invs := samples(t)
	for _, name := range sortedNames(invs) {
		inv := invs[name]
		t.Run(name, func(t *testing.T) {
			text := newWords(writeTOML(t, redact.Inventory(inv, "salt")))
			orig := originals(inv)
			if len(orig) < 20 {
				t.Fatalf("only %d original names found: %q", len(orig), orig)
			}
			for _, o := range orig {
				if text.has(o) {
					t.Errorf("redacted inventory contains %q", o)
				}
			}
		})
	}
}

func TestSamplesStayValid(t *testing.T) {
	invs := samples(t)
	for _, name := range sortedNames(invs) {
		inv := invs[name]
		t.Run(name, func(t *testing.T) {
			red := redact.Inventory(inv, "salt")
			if ps := red.Validate(); len(ps) > 0 {
				t.Fatalf("redacted inventory has problems: %v", ps)
			}
			// And it reads back through the loader.
			p := filepath.Join(t.TempDir(), "red.toml")
			if err := os.WriteFile(p, []byte(writeTOML(t, red)), 0o644); err != nil {
				t.Fatal(err)
			}
			back, _, err := load.Load([]string{p}, load.Options{})
			if err != nil {
				t.Fatalf("loading the redacted inventory: %v", err)
			}
			if !reflect.DeepEqual(back, red) {
				t.Errorf("the redacted inventory does not round-trip through TOML")
			}
		})
	}
}

// pathShapes describes a cohort's paths without names: protocol,
// location, whether it opens a secondary mailbox or enters at the
// primary name, the outcome and the hop actions and authentications.
func pathShapes(c *planner.Cohort) []string {
	var out []string
	for _, p := range c.Paths {
		var hops []string
		for _, h := range p.Hops {
			hops = append(hops, h.Action+"/"+h.Auth)
		}
		out = append(out, fmt.Sprintf("%s %s secondary=%t entry=%t: %s [%s] %s", p.Protocol, p.Location,
			p.Secondary != "", p.Entry != "", p.Outcome, strings.Join(hops, " "), strings.Join(p.Findings, ",")))
	}
	sort.Strings(out)
	return out
}

func findingIDs(p *planner.Plan) map[string]int {
	m := map[string]int{}
	for _, f := range p.Findings {
		m[fmt.Sprintf("%s/%s", f.ID, f.Severity)]++
	}
	return m
}

func TestSamplesPlanAlike(t *testing.T) {
	invs := samples(t)
	for _, name := range sortedNames(invs) {
		inv := invs[name]
		t.Run(name, func(t *testing.T) {
			red := redact.Inventory(inv, "salt")
			if ps := red.Validate(); len(ps) > 0 {
				t.Fatalf("redacted inventory has problems: %v", ps)
			}
			p1 := planner.Run(inv, planner.Options{})
			p2 := planner.Run(red, planner.Options{})
			for i := range inv.Mailboxes {
				got, want := pathShapes(p2.CohortOf(i)), pathShapes(p1.CohortOf(i))
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s (%s): paths differ:\n got %s\nwant %s", red.Mailboxes[i].Name, inv.Mailboxes[i].Name,
						strings.Join(got, "\n     "), strings.Join(want, "\n     "))
				}
			}
			c1, c2 := p1.Counts(), p2.Counts()
			if !reflect.DeepEqual(c1, c2) {
				t.Errorf("counts differ:\n got %+v\nwant %+v", c2, c1)
			}
			if got, want := findingIDs(p2), findingIDs(p1); !reflect.DeepEqual(got, want) {
				t.Errorf("findings differ:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	invs := samples(t)
	for _, name := range sortedNames(invs) {
		inv := invs[name]
		before := writeTOML(t, inv)
		a := writeTOML(t, redact.Inventory(inv, "salt"))
		for i := 0; i < 5; i++ {
			if b := writeTOML(t, redact.Inventory(inv, "salt")); a != b {
				t.Fatalf("%s: two redactions differ", name)
			}
		}
		if after := writeTOML(t, inv); after != before {
			t.Errorf("%s: Inventory modified its argument", name)
		}
	}
}

// TestConsistent checks the pseudonyms of S1 (Contoso) field by field.
func TestConsistent(t *testing.T) {
	inv := samples(t)["s1-contoso.toml"]
	red := redact.Inventory(inv, "salt")
	x := model.NewIndex(inv)
	srv := func(name string) *model.Server { return &red.Servers[x.Servers[model.Key(name)]] }
	cas := srv("CAS2010-1")
	// Servers sorted: CAS2010-1, CAS2010-2, CAS2010-3, CAS2010-3B,
	// MBX2010-1, … so CAS2010-1 is the first.
	tests := []struct{ name, got, want string }{
		{"org", red.Organization.Name, "Example Organisation"},
		{"server name", cas.Name, "SRV-0001"},
		{"server fqdn with its name", cas.FQDN, "srv-0001.example-1.test"},
		{"server site", cas.Site, "SITE-0001"},
		{"primary namespace", red.Organization.PrimaryNamespace, red.Namespaces[0].FQDN},
		{"autodiscover label kept", red.Namespaces[1].FQDN, "autodiscover.example-1.test"},
		{"url host", cas.OWA.ExternalURL, "https://" + red.Namespaces[0].FQDN + "/owa"},
		{"oa host", cas.OutlookAnywhere.ExternalHostname, red.Namespaces[0].FQDN},
		{"connection setting", cas.IMAP4.InternalConnectionSettings[0], "srv-0001.example-1.test:993:SSL"},
		{"lb", red.LoadBalancers[0].Name, "LB-0001"},
		{"namespace target lb", red.Namespaces[0].External[0], "LB-0001"},
		{"lb member", red.LoadBalancers[0].Members[0], srv("MBX2016-1").Name},
		{"cert subject", red.Certificates[0].Subject, "CN=" + red.Namespaces[0].FQDN + ", O=redacted, L=redacted, S=redacted, C=redacted"},
		{"cert san", red.Certificates[0].SANs[1], "autodiscover.example-1.test"},
		{"cert server", red.Certificates[0].Servers[0], "SRV-0001"},
		{"version kept", cas.Version, inv.Servers[0].Version},
		{"os kept", cas.OS, "Windows Server 2008 R2 SP1"},
		{"kb kept", cas.InstalledUpdates[0], "KB3140410"},
		{"database", red.Databases[0].Name, "DB-0001"},
		{"rpc client access", red.Databases[0].RPCClientAccessServer, red.Namespaces[3].FQDN},
		{"oab", red.OfflineABs[0].Name, "OAB-0001"},
		{"oab distribution", cas.OAB.OfflineAddressBooks[0], "OAB-0001"},
		{"profile", red.ClientProfiles[0].Name, "profile-0001"},
		{"mailbox profile", red.Mailboxes[0].ClientProfile, "profile-0001"},
		// Users sorted: blue, orange, purple, red.
		{"user", red.Mailboxes[0].Name, "user-00004"},
		{"user database", red.Mailboxes[0].Database, "DB-0001"},
		{"mailbox namespace", red.Mailboxes[2].Namespace, red.Namespaces[2].FQDN},
		{"thumbprint", red.Certificates[0].Thumbprint, red.Certificates[0].Thumbprint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestThumbprints(t *testing.T) {
	inv := &model.Inventory{Certificates: []model.Certificate{{Thumbprint: "a6f09430e29c884e100399dd0e049ef4bf8cbf0b"}, {Thumbprint: "A6F09430E29C884E100399DD0E049EF4BF8CBF0B"}, {Thumbprint: "AB"}}}
	a := redact.Inventory(inv, "one")
	b := redact.Inventory(inv, "two")
	hex40 := regexp.MustCompile(`^[0-9A-F]{40}$`)
	for i, c := range a.Certificates {
		if !hex40.MatchString(c.Thumbprint) {
			t.Errorf("thumbprint %d: got %q, want 40 hex digits", i, c.Thumbprint)
		}
		if c.Thumbprint == b.Certificates[i].Thumbprint {
			t.Errorf("thumbprint %d: the same with two salts", i)
		}
	}
	if a.Certificates[0].Thumbprint != a.Certificates[1].Thumbprint {
		t.Errorf("thumbprints differing by case: got %q and %q, want the same pseudonym", a.Certificates[0].Thumbprint, a.Certificates[1].Thumbprint)
	}
	if a.Certificates[0].Thumbprint == a.Certificates[2].Thumbprint {
		t.Errorf("two thumbprints got the same pseudonym")
	}
}

func TestIPAddresses(t *testing.T) {
	inv := &model.Inventory{
		Organization: model.Organization{Name: "Fabrikam", PrimaryNamespace: "10.1.2.3"},
		Namespaces:   []model.Namespace{{FQDN: "10.1.2.3", Internal: []string{"EX1"}}},
		Servers: []model.Server{{
			Name: "EX1", FQDN: "ex1.fabrikam.local", OS: "Windows Server 2019 (10.1.2.4)",
			OWA:   model.VirtualDir{InternalURL: "https://[fe80::1%25eth0]:444/owa?back=10.1.2.3", ExternalURL: "https://10.1.2.3/owa"},
			POP3:  model.PopImap{InternalConnectionSettings: []string{"10.1.2.5:995:SSL", "[2001:db8:1::5]:995:SSL"}},
			IMAP4: model.PopImap{InternalConnectionSettings: []string{"ex1.fabrikam.local:993:SSL"}},
			Build: "14.3.123.4", DotNet: "4.8.0.1",
		}},
		LoadBalancers: []model.LoadBalancer{{Name: "LB", Members: []string{"EX1"}, Paths: []string{"/owa", "/via/192.168.0.1/x"}}},
	}
	red := redact.Inventory(inv, "")
	s := red.Servers[0]
	tests := []struct{ name, got, want string }{
		{"namespace ip", red.Namespaces[0].FQDN, "192.0.2.1"},
		{"primary ip", red.Organization.PrimaryNamespace, "192.0.2.1"},
		{"url ip", s.OWA.ExternalURL, "https://192.0.2.1/owa"},
		{"url ipv6 and query", s.OWA.InternalURL, "https://[2001:db8::2]:444/owa?back=192.0.2.1"},
		{"connection ip", s.POP3.InternalConnectionSettings[0], "192.0.2.3:995:SSL"},
		{"connection ipv6", s.POP3.InternalConnectionSettings[1], "[2001:db8::1]:995:SSL"},
		{"connection host", s.IMAP4.InternalConnectionSettings[0], "srv-0001.example-1.test:993:SSL"},
		{"free text", s.OS, "Windows Server 2019 (192.0.2.2)"},
		{"lb path kept", red.LoadBalancers[0].Paths[0], "/owa"},
		{"lb path", red.LoadBalancers[0].Paths[1], "/path-0002/path-0001/path-0003"},
		{"build kept", s.Build, "14.3.123.4"},
		{"dotnet kept", s.DotNet, "4.8.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// TestEveryStringField fills every string of an inventory with a name of
// the customer and checks that redaction leaves it in none but the fields
// kept on purpose: a field added to the model without a redaction rule
// fails here.
func TestEveryStringField(t *testing.T) {
	kept := map[string]bool{ // Type.Field of the strings kept (as rules need them)
		"Organization.CutoverDate": true, "Organization.AsOf": true, "Organization.TLSGoal": true,
		"Report.Version": true, "Report.Status": true,
		"Server.Version": true, "Server.Build": true, "Server.Roles": true, "Server.Edition": true,
		"Server.OS": true, "Server.InstalledUpdates": true, "Server.DotNet": true,
		"Server.DefaultAppPoolIdentity": true, "OutlookAnywhere.ClientAuthenticationMethod": true,
		"OutlookAnywhere.ExternalClientAuthenticationMethod": true, "OutlookAnywhere.InternalClientAuthenticationMethod": true,
		"OutlookAnywhere.IISAuthenticationMethods": true, "VirtualDir.Authentication": true,
		"VirtualDir.LegacyRedirectType": true, "VirtualDir.CrossSiteRedirectType": true,
		"OutlookProvider.Name": true, "Certificate.NotAfter": true,
		"Certificate.SignatureAlgorithm": true, "Certificate.Services": true, "ClientProfile.Outlook": true,
		"ClientProfile.OS": true, "ClientProfile.InstalledUpdates": true, "ClientProfile.PopImapChannel": true,
	}
	inv := &model.Inventory{}
	fill(reflect.ValueOf(inv).Elem(), "")
	red := redact.Inventory(inv, "salt")
	seen := map[string]bool{}
	check(t, reflect.ValueOf(red).Elem(), "", kept, seen)
	for f := range kept {
		if !seen[f] {
			t.Errorf("kept field %s is not in the model", f)
		}
	}
}

// secret is the customer's name in TestEveryStringField's inventory: a
// host name under the customer's domain, so every field can hold it.
const secret = "ex1.fabrikam.com"

// fill sets every string in v (and one element of every slice) to secret.
func fill(v reflect.Value, _ string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(secret)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), "")
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), "")
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), "")
	}
}

func check(t *testing.T, v reflect.Value, field string, kept, seen map[string]bool) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		seen[field] = true
		has := strings.Contains(strings.ToLower(v.String()), "fabrikam") || strings.Contains(strings.ToLower(v.String()), "ex1")
		if has && !kept[field] {
			t.Errorf("%s: got %q, still the customer's", field, v.String())
		}
		if !has && kept[field] {
			t.Errorf("%s: got %q, want it kept", field, v.String())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			check(t, v.Field(i), v.Type().Name()+"."+v.Type().Field(i).Name, kept, seen)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			check(t, v.Index(i), field, kept, seen)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			check(t, v.Elem(), field, kept, seen)
		}
	}
}

// TestSynthetic redacts synthetic estates of every version mix: they stay
// valid and plan alike.
func TestSynthetic(t *testing.T) {
	for _, mix := range synth.Mixes() {
		t.Run(mix, func(t *testing.T) {
			inv, err := synth.Generate(synth.Config{Seed: 7, Mailboxes: 1000, Mix: mix, FullAccessPercent: 5})
			if err != nil {
				t.Fatal(err)
			}
			if ps := inv.Validate(); len(ps) > 0 {
				t.Fatalf("synthetic inventory has problems: %v", ps)
			}
			red := redact.Inventory(inv, "salt")
			if ps := red.Validate(); len(ps) > 0 {
				t.Fatalf("redacted inventory has problems: %v", ps[:min(len(ps), 5)])
			}
			text := newWords(writeTOML(t, red))
			for _, o := range originals(inv) {
				if text.has(o) {
					t.Errorf("redacted inventory contains %q", o)
				}
			}
			p1 := planner.Run(inv, planner.Options{})
			p2 := planner.Run(red, planner.Options{})
			if c1, c2 := p1.Counts(), p2.Counts(); !reflect.DeepEqual(c1, c2) {
				t.Errorf("counts differ:\n got %+v\nwant %+v", c2, c1)
			}
			if got, want := findingIDs(p2), findingIDs(p1); !reflect.DeepEqual(got, want) {
				t.Errorf("findings differ:\n got %v\nwant %v", got, want)
			}
			for i := range inv.Mailboxes {
				if got, want := pathShapes(p2.CohortOf(i)), pathShapes(p1.CohortOf(i)); !reflect.DeepEqual(got, want) {
					t.Fatalf("mailbox %d: paths differ:\n got %s\nwant %s", i, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
				}
			}
		})
	}
}

func BenchmarkInventory(b *testing.B) {
	inv, err := synth.Generate(synth.Config{Seed: 1, Mailboxes: 1_000_000})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		redact.Inventory(inv, "salt")
	}
}
