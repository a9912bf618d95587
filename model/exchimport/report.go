package exchimport

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
)

// Report says what Import read and what the consultant must still do.
type Report struct {
	// Dir is the folder (or file) imported, as given.
	Dir string
	// Files lists every .xml and .csv file looked at, sorted by path.
	Files []*FileReport
	// ToDo lists what exports cannot show and must be added by hand, in an
	// overlay file: namespaces with their DNS targets, load balancers,
	// client profiles, mailboxes and databases when absent, organisation
	// planning settings, and per server the settings no file gave.
	ToDo []string
	// Problems are the validation problems of the imported inventory
	// (coexist validate reports them with positions); most are settled by
	// the overlay.
	Problems []string
	// Notes are what Import skipped, dropped or could not decide: files not
	// recognised, values the inventory cannot hold, differing values,
	// cmdlets the collector skipped.
	Notes []string
	// MailboxesCSV are the mailbox CSV files read, as opened. Their
	// mailboxes are in the inventory; a caller writing a large inventory may
	// prefer load.WriteOptions.MailboxesCSV.
	MailboxesCSV []string

	counts counts
}

type counts struct{ servers, certificates, databases, mailboxes int }

// FileReport is one file Import looked at.
type FileReport struct {
	// Path is relative to the imported folder, with forward slashes.
	Path string
	// Kind is what it was read as ("Get-ExchangeServer", "URL inventory
	// CSV", …), or "" when it was not recognised.
	Kind string
	// Server lists the servers a per-server file was attributed to.
	Server string
	// Objects is how many CLIXML objects or CSV rows it held.
	Objects int
}

// Lines renders the report as lines for the header comments of the
// written inventory (load.WriteOptions.Header).
func (r Report) Lines() []string {
	var out []string
	recognised, other := 0, []string{}
	byKind := map[string][2]int{}
	var kinds []string
	for _, f := range r.Files {
		if f.Kind == "" {
			other = append(other, f.Path)
			continue
		}
		recognised++
		c, seen := byKind[f.Kind]
		if !seen {
			kinds = append(kinds, f.Kind)
		}
		byKind[f.Kind] = [2]int{c[0] + 1, c[1] + f.Objects}
	}
	out = append(out, fmt.Sprintf("Imported by coexist import from %s: %d of %d files recognised.", r.Dir, recognised, len(r.Files)))
	out = append(out, fmt.Sprintf("Found %s, %s, %s, %s.",
		plural(r.counts.servers, "server"), plural(r.counts.certificates, "certificate"),
		plural(r.counts.databases, "database"), plural(r.counts.mailboxes, "mailbox")))
	if len(kinds) > 0 {
		sort.Strings(kinds)
		out = append(out, "", "Read:")
		for _, k := range kinds {
			c := byKind[k]
			out = append(out, fmt.Sprintf("  %s: %s, %s", k, plural(c[0], "file"), plural(c[1], "object")))
		}
		if len(other) > 0 {
			out = append(out, "  not recognised: "+strings.Join(other, ", "))
		}
	}
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		out = append(out, "", title)
		for _, it := range items {
			out = append(out, "  - "+it)
		}
	}
	section("To add by hand (in an overlay file: coexist plan inventory.toml overlay.toml; see docs/import.md):", r.ToDo)
	section("Problems the inventory still has (coexist validate shows where):", r.Problems)
	section("Notes:", r.Notes)
	for i, l := range out {
		out[i] = oneLine(l)
	}
	return out
}

// oneLine replaces control characters (a newline in a name from a CSV
// cell) with spaces, so that each line stays one comment line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
}

func plural(n int, word string) string {
	switch {
	case n == 1:
		return "1 " + word
	case strings.HasSuffix(word, "x"):
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// todo lists what the consultant must add by hand.
func (im *importer) todo(inv *model.Inventory) {
	add := func(format string, args ...any) { im.rep.ToDo = append(im.rep.ToDo, fmt.Sprintf(format, args...)) }
	x := model.NewIndex(inv)

	// Servers: what no file gave.
	anyLegacy := false
	for i, a := range im.servers {
		s := &inv.Servers[i]
		b := buildOf(s)
		s.Parsed = b
		v := b.Version()
		if v == model.V2010 {
			anyLegacy = true
		}
		var miss []string
		if s.Build == "" && !a.seen[kExSetup] {
			miss = append(miss, "build (ExSetup.exe file version: AdminDisplayVersion hides update rollups and security updates)")
		}
		if s.OS == "" {
			miss = append(miss, "os")
		}
		if !a.seen[kHotFix] {
			miss = append(miss, "installed_updates")
		}
		if !a.seen[kTLSRegistry] {
			miss = append(miss, "tls (Schannel and .NET registry values)")
		}
		if s.DotNet == "" && (v == model.V2010 || v >= model.V2013) {
			miss = append(miss, "dotnet")
		}
		if s.HasRole("ClientAccess") && !s.HasRole("Edge") {
			if !a.seen[kCertificate] {
				miss = append(miss, "certificates")
			}
			var vd []string
			for _, k := range []kind{kAutodiscover, kOWA, kECP, kEAS, kEWS, kOAB, kMAPI} {
				if k == kECP && v != 0 && v < model.V2010 || k == kMAPI && v != 0 && v < model.V2013 {
					continue
				}
				if vd0 := vdirField(s, k); !a.seen[k] && vd0.InternalURL == "" && vd0.ExternalURL == "" && len(vd0.Authentication) == 0 {
					vd = append(vd, vdirKinds[k])
				}
			}
			if len(vd) > 0 {
				miss = append(miss, strings.Join(vd, ", ")+" virtual directories")
			}
			if !a.seen[kOutlookAnywhere] {
				miss = append(miss, "outlook_anywhere")
			}
			if !a.seen[kClientAccess] && s.AutoDiscoverServiceInternalURI == "" {
				miss = append(miss, "auto_discover_service_internal_uri")
			}
			if !a.seen[kPOP] {
				miss = append(miss, "pop3")
			}
			if !a.seen[kIMAP] {
				miss = append(miss, "imap4")
			}
		}
		if len(miss) > 0 {
			add("server %s: not in the export, so left unset: %s. Add what matters for the plan.", s.Name, strings.Join(miss, "; "))
		}
	}

	var noServices []string
	for _, c := range inv.Certificates {
		if len(c.Services) == 0 {
			noServices = append(noServices, c.Thumbprint)
		}
	}
	if len(noServices) > 0 {
		add("certificates %s: services not in the export, so coexist takes them as bound to IIS; set services (IIS, SMTP, …) where that is wrong.", strings.Join(noServices, ", "))
	}

	// Namespaces: the names clients use, as the servers' URLs show them.
	hosts := map[string]map[string][]string{} // host → server → fields
	fqdnHint := map[string][]string{}         // server without fqdn → hosts named after it
	note := func(host, server, field string) {
		host = strings.ToLower(strings.TrimSuffix(host, "."))
		if host == "" || x.Server(host) != nil {
			return
		}
		if short, _, ok := strings.Cut(host, "."); ok {
			if s := x.Server(short); s != nil && s.FQDN == "" {
				fqdnHint[s.Name] = uniq(append(fqdnHint[s.Name], host))
				return
			}
		}
		if hosts[host] == nil {
			hosts[host] = map[string][]string{}
		}
		hosts[host][server] = append(hosts[host][server], field)
	}
	for i := range inv.Servers {
		s := &inv.Servers[i]
		for _, vd := range s.VirtualDirs() {
			note(model.URLHost(vd.Dir.InternalURL), s.Name, vd.Field+".internal_url")
			note(model.URLHost(vd.Dir.ExternalURL), s.Name, vd.Field+".external_url")
		}
		note(s.OutlookAnywhere.InternalHostname, s.Name, "outlook_anywhere.internal_hostname")
		note(s.OutlookAnywhere.ExternalHostname, s.Name, "outlook_anywhere.external_hostname")
		note(model.URLHost(s.AutoDiscoverServiceInternalURI), s.Name, "auto_discover_service_internal_uri")
		for _, p := range []struct {
			name string
			p    *model.PopImap
		}{{"pop3", &s.POP3}, {"imap4", &s.IMAP4}} {
			for _, cs := range append(append([]string{}, p.p.InternalConnectionSettings...), p.p.ExternalConnectionSettings...) {
				if c, err := model.ParseConnectionSetting(cs); err == nil {
					note(c.Host, s.Name, p.name+" connection settings")
				}
			}
		}
	}
	for _, s := range inv.Servers {
		if h := fqdnHint[s.Name]; len(h) > 0 {
			add("server %s: fqdn not in the export; its URLs name %s: set fqdn if that is the server.", s.Name, strings.Join(h, ", "))
		}
	}
	if len(hosts) == 0 {
		add("[[namespaces]]: the exported URLs name only servers; add the names clients use (mail.*, autodiscover.*) with the servers or load balancers each resolves to internally and externally.")
	} else {
		names := make([]string, 0, len(hosts))
		for h := range hosts {
			names = append(names, h)
		}
		sort.Strings(names)
		for _, h := range names {
			var uses []string
			servers := make([]string, 0, len(hosts[h]))
			for s := range hosts[h] {
				servers = append(servers, s)
			}
			sort.Strings(servers)
			for i, s := range servers {
				if i == 3 {
					uses = append(uses, fmt.Sprintf("and %d more", len(servers)-3))
					break
				}
				uses = append(uses, s+" "+strings.Join(uniq(hosts[h][s]), ", "))
			}
			add("[[namespaces]] %s (used by %s): give its internal and external targets (servers or load balancers), or leave out a side it does not resolve from.", h, strings.Join(uses, "; "))
		}
		add("[[namespaces]]: also add autodiscover.<domain> for each SMTP domain if it is not above.")
	}
	add("[[load_balancers]]: add each load balancer in front of a namespace (members, paths it passes, layer); exports do not show them.")
	add("[[client_profiles]]: describe the users' Outlook versions, Windows and updates, and give mailboxes a client_profile (a mailboxes.csv column or the overlay); exports do not show clients.")
	if len(inv.Mailboxes) == 0 {
		add("[[mailboxes]]: none imported; add mailboxes.csv (name,database) or a few [[mailboxes]] standing for user groups.")
	}
	if len(inv.Databases) == 0 {
		add("[[databases]]: none imported; add each database with the server holding its active copy.")
	}
	if len(inv.OfflineABs) == 0 {
		add("[[offline_address_books]]: not imported; add them if OAB downloads matter (generation_servers; oab.offline_address_books on 2007/2010).")
	}
	org := "[organization]: set cutover_date, split_brain_dns, tls_goal and primary_namespace as planned (no export has them)"
	if inv.Organization.Name == "" {
		org += ", and name (no GetOrganizationConfig.xml)"
	}
	add("%s.", org)
	if anyLegacy {
		add("servers: default_app_pool_identity is not exported; set NetworkService where IIS's DefaultAppPool runs as NetworkService (the KB3140410 workaround on Exchange 2010).")
	}
}

func uniq(s []string) []string {
	var out []string
	for _, x := range s {
		dup := false
		for _, y := range out {
			dup = dup || y == x
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}
