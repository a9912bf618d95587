package model

import (
	"fmt"
	"strings"
)

// Edit is one what-if change to an inventory, as written in an edits file
// ([[edit]] tables). Op selects the operation; each operation uses only
// the fields listed in EditOps, and Apply rejects the others.
type Edit struct {
	Op string `toml:"op"`
	// Note describes the change for the change board.
	Note string `toml:"note"`

	Namespace string   `toml:"namespace"`
	Internal  []string `toml:"internal"`
	External  []string `toml:"external"`

	Mailboxes    []string `toml:"mailboxes"`
	FromDatabase string   `toml:"from_database"`
	// CSVMailboxes is set by the loader from a `csv` file of mailbox names.
	CSV          string   `toml:"csv"`
	CSVMailboxes []string `toml:"-"`
	// CSVHeader is the CSV file's name column heading as written ("" when
	// the file has no header row), for commands that read the file.
	CSVHeader string `toml:"-"`
	// CSVPath is the file the loader read for CSV (resolved against the
	// edits file's folder): an input the output folder must not hold.
	CSVPath    string `toml:"-"`
	ToDatabase string `toml:"to_database"`

	Database string `toml:"database"`
	ToServer string `toml:"to_server"`

	Server        string   `toml:"server"`
	ClientProfile string   `toml:"client_profile"`
	Build         string   `toml:"build"`
	Version       string   `toml:"version"`
	Updates       []string `toml:"updates"`
	DotNet        string   `toml:"dotnet"`

	TLS *TLSRegistry `toml:"tls"`

	OutlookAnywhere  *OutlookAnywhereEdit `toml:"outlook_anywhere"`
	VirtualDirectory string               `toml:"virtual_directory"`
	Settings         *VirtualDirEdit      `toml:"settings"`

	IsOutOfService *bool `toml:"is_out_of_service"`

	Replaces    string       `toml:"replaces"`
	Certificate *Certificate `toml:"certificate"`
	NewServer   *Server      `toml:"new_server"`

	MapiHTTPEnabled *bool `toml:"mapi_http_enabled"`
}

// OutlookAnywhereEdit changes some Outlook Anywhere settings; nil fields
// are left as they are.
type OutlookAnywhereEdit struct {
	Enabled                            *bool     `toml:"enabled"`
	ExternalHostname                   *string   `toml:"external_hostname"`
	InternalHostname                   *string   `toml:"internal_hostname"`
	ClientAuthenticationMethod         *string   `toml:"client_authentication_method"`
	ExternalClientAuthenticationMethod *string   `toml:"external_client_authentication_method"`
	InternalClientAuthenticationMethod *string   `toml:"internal_client_authentication_method"`
	IISAuthenticationMethods           *[]string `toml:"iis_authentication_methods"`
	SSLOffloading                      *bool     `toml:"ssl_offloading"`
}

// VirtualDirEdit changes some virtual directory settings; nil fields are
// left as they are ("" clears a URL).
type VirtualDirEdit struct {
	InternalURL           *string   `toml:"internal_url"`
	ExternalURL           *string   `toml:"external_url"`
	Authentication        *[]string `toml:"authentication"`
	LegacyRedirectType    *string   `toml:"legacy_redirect_type"`
	CrossSiteRedirectType *string   `toml:"cross_site_redirect_type"`
}

// EditOps lists every operation with the fields it uses (besides op and
// note) and what it does; "coexist whatif --help" prints it.
var EditOps = []struct {
	Op, Fields, Doc string
}{
	{"move-namespace", "namespace, internal, external", "point a namespace at other servers or load balancers (omitted lists stay)"},
	{"move-mailboxes", "mailboxes | from_database | csv, to_database", "move mailboxes (by name, every mailbox of a database, or a CSV with a name column) to another database"},
	{"move-database", "database, to_server", "activate a database on another Mailbox server"},
	{"upgrade-server", "server, build [, version]", "install a CU/RU/SP: the server's new build"},
	{"install-updates", "server | client_profile, updates [, dotnet]", "add KBs (and a .NET version) to a server or client profile"},
	{"set-registry", "server, tls", "set TLS registry values on a server ([edit.tls], as in [servers.tls])"},
	{"set-outlook-anywhere", "server, outlook_anywhere", "change Outlook Anywhere settings ([edit.outlook_anywhere])"},
	{"set-virtual-directory", "server, virtual_directory, settings", "change a virtual directory (owa, ecp, eas, ews, oab, mapi, autodiscover) ([edit.settings])"},
	{"set-out-of-service", "server, is_out_of_service", "mark a legacy CAS IsOutOfService"},
	{"add-certificate", "certificate", "add a certificate ([edit.certificate], as in [[certificates]])"},
	{"replace-certificate", "replaces, certificate", "replace the certificate with thumbprint `replaces`"},
	{"add-server", "new_server", "add a server ([edit.new_server], as in [[servers]])"},
	{"add-database", "database, server", "create a mailbox database whose active copy is on a Mailbox server (for move-mailboxes to a new version)"},
	{"decommission-server", "server", "remove a server, its empty databases and every reference to it (mailboxes and active databases must be moved first)"},
	{"set-mapi-http", "mapi_http_enabled", "change the org-wide MAPI/HTTP setting"},
}

// Apply returns a copy of inv with the edits applied in order, and the
// problems of edits that cannot apply (Ref.Kind "edit", Ref.Row the edit's
// index). inv is not modified. The copy is not validated; callers validate
// it before planning.
func (inv *Inventory) Apply(edits []Edit) (*Inventory, Problems) {
	out := inv.clone()
	var ps Problems
	x := NewIndex(out)
	for i := range edits {
		e := &edits[i]
		a := &applier{inv: out, x: x, e: e, row: i, ps: &ps}
		a.apply()
		switch e.Op { // edits that add or remove entities re-index
		case "add-server", "decommission-server", "add-certificate", "add-database":
			x = NewIndex(out)
		}
	}
	return out, ps
}

// clone copies the inventory deeply enough that edits never modify the
// original: every slice an edit may change is copied.
func (inv *Inventory) clone() *Inventory {
	c := *inv
	c.Sites = append([]Site(nil), inv.Sites...)
	c.Namespaces = append([]Namespace(nil), inv.Namespaces...)
	c.LoadBalancers = append([]LoadBalancer(nil), inv.LoadBalancers...)
	c.Servers = append([]Server(nil), inv.Servers...)
	c.OutlookProviders = append([]OutlookProvider(nil), inv.OutlookProviders...)
	c.Certificates = append([]Certificate(nil), inv.Certificates...)
	c.Databases = append([]Database(nil), inv.Databases...)
	c.OfflineABs = append([]OfflineAB(nil), inv.OfflineABs...)
	c.ClientProfiles = append([]ClientProfile(nil), inv.ClientProfiles...)
	c.Mailboxes = append([]Mailbox(nil), inv.Mailboxes...)
	if inv.Organization.MapiHTTPEnabled != nil {
		v := *inv.Organization.MapiHTTPEnabled
		c.Organization.MapiHTTPEnabled = &v
	}
	return &c
}

type applier struct {
	inv *Inventory
	x   *Index
	e   *Edit
	row int
	ps  *Problems
}

func (a *applier) errf(field, format string, args ...any) {
	a.ps.add(Ref{Kind: "edit", Row: a.row, Field: field, Elem: -1}, format, args...)
}

// uses checks that only the op's fields are set.
func (a *applier) uses(fields ...string) bool {
	allowed := map[string]bool{"op": true, "note": true}
	for _, f := range fields {
		allowed[f] = true
	}
	e := a.e
	set := map[string]bool{
		"namespace": e.Namespace != "", "internal": e.Internal != nil, "external": e.External != nil,
		"mailboxes": e.Mailboxes != nil, "from_database": e.FromDatabase != "", "csv": e.CSV != "",
		"to_database": e.ToDatabase != "", "database": e.Database != "", "to_server": e.ToServer != "",
		"server": e.Server != "", "client_profile": e.ClientProfile != "", "build": e.Build != "",
		"version": e.Version != "", "updates": e.Updates != nil, "dotnet": e.DotNet != "", "tls": e.TLS != nil,
		"outlook_anywhere": e.OutlookAnywhere != nil, "virtual_directory": e.VirtualDirectory != "",
		"settings": e.Settings != nil, "is_out_of_service": e.IsOutOfService != nil, "replaces": e.Replaces != "",
		"certificate": e.Certificate != nil, "new_server": e.NewServer != nil, "mapi_http_enabled": e.MapiHTTPEnabled != nil,
	}
	ok := true
	for _, f := range sortedKeys(set) {
		if set[f] && !allowed[f] {
			a.errf(f, "%s does not apply to op %q (it uses %s)", f, e.Op, strings.Join(fields, ", "))
			ok = false
		}
	}
	return ok
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func (a *applier) server(field, name string) *Server {
	if name == "" {
		a.errf("", "op %q needs %s", a.e.Op, field)
		return nil
	}
	s := a.x.Server(name)
	if s == nil {
		a.errf(field, "server %q is not in the inventory", name)
	}
	return s
}

func (a *applier) apply() {
	e := a.e
	switch e.Op {
	case "move-namespace":
		if !a.uses("namespace", "internal", "external") {
			return
		}
		ns := a.x.Namespace(e.Namespace)
		if ns == nil {
			a.errf("namespace", "namespace %q is not in the inventory", e.Namespace)
			return
		}
		if e.Internal == nil && e.External == nil {
			a.errf("", "move-namespace needs internal and/or external targets")
			return
		}
		for _, list := range []struct {
			field string
			v     []string
		}{{"internal", e.Internal}, {"external", e.External}} {
			for _, t := range list.v {
				if a.x.Server(t) == nil && a.x.LoadBalancer(t) == nil {
					a.errf(list.field, "target %q is neither a server nor a load balancer", t)
				}
			}
		}
		if e.Internal != nil {
			ns.Internal = append([]string(nil), e.Internal...)
		}
		if e.External != nil {
			ns.External = append([]string(nil), e.External...)
		}
	case "move-mailboxes":
		if !a.uses("mailboxes", "from_database", "csv", "to_database") {
			return
		}
		to := a.x.Database(e.ToDatabase)
		if to == nil {
			a.errf("to_database", "database %q is not in the inventory", e.ToDatabase)
			return
		}
		n, before := 0, len(*a.ps)
		if e.FromDatabase != "" {
			from := a.x.Database(e.FromDatabase)
			if from == nil {
				a.errf("from_database", "database %q is not in the inventory", e.FromDatabase)
				return
			}
			for i := range a.inv.Mailboxes {
				if Key(a.inv.Mailboxes[i].Database) == Key(from.Name) {
					a.inv.Mailboxes[i].Database = to.Name
					n++
				}
			}
		}
		for _, list := range []struct {
			field string
			v     []string
		}{{"mailboxes", e.Mailboxes}, {"csv", e.CSVMailboxes}} {
			for _, name := range list.v {
				i, ok := a.x.Mailboxes[Key(name)]
				if !ok {
					a.errf(list.field, "mailbox %q is not in the inventory", name)
					continue
				}
				a.inv.Mailboxes[i].Database = to.Name
				n++
			}
		}
		if n == 0 && len(*a.ps) == before {
			a.errf("", "move-mailboxes moves no mailbox: give mailboxes, from_database or csv")
		}
	case "move-database":
		if !a.uses("database", "to_server") {
			return
		}
		d := a.x.Database(e.Database)
		if d == nil {
			a.errf("database", "database %q is not in the inventory", e.Database)
			return
		}
		if s := a.server("to_server", e.ToServer); s != nil {
			d.Server = s.Name
		}
	case "upgrade-server":
		if !a.uses("server", "build", "version") {
			return
		}
		s := a.server("server", e.Server)
		if s == nil {
			return
		}
		b, err := ParseBuild(e.Build)
		if err != nil {
			a.errf("build", "%v", err)
			return
		}
		if old := s.Parsed; !old.IsZero() && b.Version() != old.Version() {
			a.errf("build", "build %s is Exchange %s but %s runs Exchange %s: an upgrade stays within its version (add a new server instead)", b, b.Version(), s.Name, old.Version())
			return
		}
		s.Build = e.Build
		if e.Version != "" {
			s.Version = e.Version
		}
	case "install-updates":
		if !a.uses("server", "client_profile", "updates", "dotnet") {
			return
		}
		if e.ClientProfile != "" {
			p := a.x.Profile(e.ClientProfile)
			if p == nil {
				a.errf("client_profile", "client profile %q is not in the inventory", e.ClientProfile)
				return
			}
			p.InstalledUpdates = addUpdates(p.InstalledUpdates, e.Updates)
			return
		}
		s := a.server("server", e.Server)
		if s == nil {
			return
		}
		s.InstalledUpdates = addUpdates(s.InstalledUpdates, e.Updates)
		if e.DotNet != "" {
			s.DotNet = e.DotNet
		}
	case "set-registry":
		if !a.uses("server", "tls") {
			return
		}
		s := a.server("server", e.Server)
		if s == nil || e.TLS == nil {
			if e.TLS == nil {
				a.errf("", "set-registry needs an [edit.tls] table")
			}
			return
		}
		dst, src := s.TLS.Values(), e.TLS.Values()
		t := s.TLS
		for i := range src {
			if src[i].Value != nil {
				v := *src[i].Value
				*t.field(dst[i].Field) = &v
			}
		}
		s.TLS = t
	case "set-outlook-anywhere":
		if !a.uses("server", "outlook_anywhere") {
			return
		}
		s := a.server("server", e.Server)
		if s == nil {
			return
		}
		o := e.OutlookAnywhere
		if o == nil {
			a.errf("", "set-outlook-anywhere needs an [edit.outlook_anywhere] table")
			return
		}
		oa := s.OutlookAnywhere
		setBool(&oa.Enabled, o.Enabled)
		setStr(&oa.ExternalHostname, o.ExternalHostname)
		setStr(&oa.InternalHostname, o.InternalHostname)
		setStr(&oa.ClientAuthenticationMethod, o.ClientAuthenticationMethod)
		setStr(&oa.ExternalClientAuthenticationMethod, o.ExternalClientAuthenticationMethod)
		setStr(&oa.InternalClientAuthenticationMethod, o.InternalClientAuthenticationMethod)
		setBool(&oa.SSLOffloading, o.SSLOffloading)
		if o.IISAuthenticationMethods != nil {
			oa.IISAuthenticationMethods = append([]string(nil), (*o.IISAuthenticationMethods)...)
		}
		s.OutlookAnywhere = oa
	case "set-virtual-directory":
		if !a.uses("server", "virtual_directory", "settings") {
			return
		}
		s := a.server("server", e.Server)
		if s == nil {
			return
		}
		var vd *VirtualDir
		for _, v := range s.VirtualDirs() {
			if v.Field == strings.ToLower(e.VirtualDirectory) {
				vd = v.Dir
			}
		}
		if vd == nil {
			a.errf("virtual_directory", "virtual_directory %q: want owa, ecp, eas, ews, oab, mapi or autodiscover", e.VirtualDirectory)
			return
		}
		if e.Settings == nil {
			a.errf("", "set-virtual-directory needs an [edit.settings] table")
			return
		}
		setStr(&vd.InternalURL, e.Settings.InternalURL)
		setStr(&vd.ExternalURL, e.Settings.ExternalURL)
		setStr(&vd.LegacyRedirectType, e.Settings.LegacyRedirectType)
		setStr(&vd.CrossSiteRedirectType, e.Settings.CrossSiteRedirectType)
		if e.Settings.Authentication != nil {
			vd.Authentication = append([]string(nil), (*e.Settings.Authentication)...)
		}
	case "set-out-of-service":
		if !a.uses("server", "is_out_of_service") {
			return
		}
		if s := a.server("server", e.Server); s != nil {
			if e.IsOutOfService == nil {
				a.errf("", "set-out-of-service needs is_out_of_service = true or false")
				return
			}
			s.IsOutOfService = *e.IsOutOfService
		}
	case "add-certificate", "replace-certificate":
		fields := []string{"certificate"}
		if e.Op == "replace-certificate" {
			fields = append(fields, "replaces")
		}
		if !a.uses(fields...) {
			return
		}
		if e.Certificate == nil {
			a.errf("", "%s needs an [edit.certificate] table", e.Op)
			return
		}
		c := *e.Certificate
		if e.Op == "replace-certificate" {
			for i := range a.inv.Certificates {
				if strings.EqualFold(a.inv.Certificates[i].Thumbprint, e.Replaces) {
					if len(c.Servers) == 0 {
						c.Servers = a.inv.Certificates[i].Servers
					}
					a.inv.Certificates[i] = c
					return
				}
			}
			a.errf("replaces", "no certificate with thumbprint %q in the inventory", e.Replaces)
			return
		}
		a.inv.Certificates = append(a.inv.Certificates, c)
	case "add-server":
		if !a.uses("new_server") {
			return
		}
		if e.NewServer == nil {
			a.errf("", "add-server needs an [edit.new_server] table")
			return
		}
		if a.x.Server(e.NewServer.Name) != nil {
			a.errf("new_server", "server %q is already in the inventory", e.NewServer.Name)
			return
		}
		a.inv.Servers = append(a.inv.Servers, *e.NewServer)
	case "add-database":
		if !a.uses("database", "server") {
			return
		}
		if e.Database == "" {
			a.errf("", "add-database needs database")
			return
		}
		if a.x.Database(e.Database) != nil {
			a.errf("database", "database %q is already in the inventory", e.Database)
			return
		}
		if s := a.server("server", e.Server); s != nil {
			a.inv.Databases = append(a.inv.Databases, Database{Name: e.Database, Server: s.Name})
		}
	case "decommission-server":
		if !a.uses("server") {
			return
		}
		s := a.server("server", e.Server)
		if s == nil {
			return
		}
		a.decommission(s.Name)
	case "set-mapi-http":
		if !a.uses("mapi_http_enabled") {
			return
		}
		if e.MapiHTTPEnabled == nil {
			a.errf("", "set-mapi-http needs mapi_http_enabled = true or false")
			return
		}
		v := *e.MapiHTTPEnabled
		a.inv.Organization.MapiHTTPEnabled = &v
	case "":
		a.errf("", "edit has no op: want one of %s", opNames())
	default:
		a.errf("op", "unknown op %q: want one of %s", e.Op, opNames())
	}
}

func (a *applier) decommission(name string) {
	// Empty databases go with their server; one that still holds
	// mailboxes must be emptied or activated elsewhere first.
	held := map[string]int{}
	for _, m := range a.inv.Mailboxes {
		held[Key(m.Database)]++
	}
	var dbs []Database
	for _, d := range a.inv.Databases {
		if Key(d.Server) != Key(name) {
			dbs = append(dbs, d)
			continue
		}
		if n := held[Key(d.Name)]; n > 0 {
			a.errf("server", "database %q is still active on %s with %d mailbox(es): move them (move-mailboxes) or the database (move-database) first", d.Name, name, n)
			return
		}
	}
	a.inv.Databases = dbs
	without := func(list []string) []string {
		var out []string
		for _, x := range list {
			if Key(x) != Key(name) {
				out = append(out, x)
			}
		}
		return out
	}
	var servers []Server
	for _, s := range a.inv.Servers {
		if Key(s.Name) != Key(name) {
			servers = append(servers, s)
		}
	}
	a.inv.Servers = servers
	for i := range a.inv.Namespaces {
		ns := &a.inv.Namespaces[i]
		ns.Internal, ns.External = without(ns.Internal), without(ns.External)
	}
	for i := range a.inv.LoadBalancers {
		a.inv.LoadBalancers[i].Members = without(a.inv.LoadBalancers[i].Members)
	}
	for i := range a.inv.Certificates {
		a.inv.Certificates[i].Servers = without(a.inv.Certificates[i].Servers)
	}
	for i := range a.inv.OfflineABs {
		a.inv.OfflineABs[i].GenerationServers = without(a.inv.OfflineABs[i].GenerationServers)
	}
}

func opNames() string {
	var names []string
	for _, o := range EditOps {
		names = append(names, o.Op)
	}
	return strings.Join(names, ", ")
}

func addUpdates(have, add []string) []string {
	out := append([]string(nil), have...)
	for _, kb := range add {
		if !HasUpdate(out, kb) {
			out = append(out, kb)
		}
	}
	return out
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// field returns the address of the named registry value's pointer.
func (t *TLSRegistry) field(name string) **int {
	switch name {
	case "schannel_tls10_client_enabled":
		return &t.Schannel10ClientEnabled
	case "schannel_tls10_client_disabled_by_default":
		return &t.Schannel10ClientDisabledByDefault
	case "schannel_tls10_server_enabled":
		return &t.Schannel10ServerEnabled
	case "schannel_tls10_server_disabled_by_default":
		return &t.Schannel10ServerDisabledByDefault
	case "schannel_tls11_client_enabled":
		return &t.Schannel11ClientEnabled
	case "schannel_tls11_client_disabled_by_default":
		return &t.Schannel11ClientDisabledByDefault
	case "schannel_tls11_server_enabled":
		return &t.Schannel11ServerEnabled
	case "schannel_tls11_server_disabled_by_default":
		return &t.Schannel11ServerDisabledByDefault
	case "schannel_tls12_client_enabled":
		return &t.Schannel12ClientEnabled
	case "schannel_tls12_client_disabled_by_default":
		return &t.Schannel12ClientDisabledByDefault
	case "schannel_tls12_server_enabled":
		return &t.Schannel12ServerEnabled
	case "schannel_tls12_server_disabled_by_default":
		return &t.Schannel12ServerDisabledByDefault
	case "schannel_tls13_client_enabled":
		return &t.Schannel13ClientEnabled
	case "schannel_tls13_client_disabled_by_default":
		return &t.Schannel13ClientDisabledByDefault
	case "schannel_tls13_server_enabled":
		return &t.Schannel13ServerEnabled
	case "schannel_tls13_server_disabled_by_default":
		return &t.Schannel13ServerDisabledByDefault
	case "net2_system_default_tls_versions":
		return &t.Net2SystemDefaultTLSVersions
	case "net2_sch_use_strong_crypto":
		return &t.Net2SchUseStrongCrypto
	case "net4_system_default_tls_versions":
		return &t.Net4SystemDefaultTLSVersions
	case "net4_sch_use_strong_crypto":
		return &t.Net4SchUseStrongCrypto
	case "net2_wow6432_system_default_tls_versions":
		return &t.Net2WowSystemDefaultTLSVersions
	case "net2_wow6432_sch_use_strong_crypto":
		return &t.Net2WowSchUseStrongCrypto
	case "net4_wow6432_system_default_tls_versions":
		return &t.Net4WowSystemDefaultTLSVersions
	case "net4_wow6432_sch_use_strong_crypto":
		return &t.Net4WowSchUseStrongCrypto
	}
	panic(fmt.Sprintf("unknown TLS registry field %q", name))
}
