package exchimport

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/clixml"
)

// str returns a value's text, trimmed; "" for nil and Nil.
func str(v *clixml.Value) string {
	if v.IsNil() {
		return ""
	}
	return strings.TrimSpace(v.String())
}

// adName returns the name of an ADObjectId: its Name property, or the last
// part of its text ("contoso.com/Configuration/Sites/Site1" → "Site1").
func adName(v *clixml.Value) string {
	if v.IsNil() {
		return ""
	}
	if n := str(v.Get("Name")); n != "" {
		return n
	}
	s := str(v)
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// identityServer returns the server part of an Identity such as
// "EX1\owa (Default Web Site)".
func identityServer(v *clixml.Value) string {
	s := str(v.Get("Identity"))
	if i := strings.IndexByte(s, '\\'); i > 0 {
		return s[:i]
	}
	return ""
}

func serverName(v *clixml.Value) string {
	if n := str(v.Get("Name")); n != "" {
		return n
	}
	return str(v)
}

var kbRe = regexp.MustCompile(`(?i)^KB\d{5,8}$`)

// applyServer maps one Get-ExchangeServer object.
func (im *importer) applyServer(d *doc, v *clixml.Value) {
	name := serverName(v)
	if name == "" {
		im.note("%s: Exchange server without a name: skipped", d.rel)
		return
	}
	a := im.findServer(name)
	if a == nil {
		a = im.addServer(name)
	}
	im.attributed(d, a)
	a.seen[kExchangeServer] = true
	src := d.rel
	im.setStr(a, "fqdn", &a.s.FQDN, str(v.Get("Fqdn")), src)
	im.indexServer(a)
	if site := adName(v.Get("Site")); site != "" {
		im.setStr(a, "site", &a.s.Site, site, src)
	}
	if ver := str(v.Get("AdminDisplayVersion")); ver != "" {
		if _, err := model.ParseBuild(ver); err != nil {
			im.note("%s: %s AdminDisplayVersion: %v: left unset", src, name, err)
		} else {
			im.setStr(a, "version", &a.s.Version, ver, src)
		}
	}
	im.setList(a, "roles", &a.s.Roles, im.roles(d, name, v), src)
	if ed := str(v.Get("Edition")); ed != "" && !strings.EqualFold(ed, "Unknown") {
		im.setStr(a, "edition", &a.s.Edition, ed, src)
	}
}

// roleNames maps ServerRole flag names to inventory role names.
var roleNames = map[string]string{
	"mailbox": "Mailbox", "clientaccess": "ClientAccess", "cafe": "ClientAccess",
	"hubtransport": "HubTransport", "unifiedmessaging": "UnifiedMessaging",
	"edge": "Edge", "edgetransport": "Edge", "frontendtransport": "FrontendTransport",
}

// roles reads ServerRole ("Mailbox, ClientAccess"), or the Is*Server flags
// when it is missing.
func (im *importer) roles(d *doc, name string, v *clixml.Value) []string {
	var roles []string
	add := func(r string) {
		for _, x := range roles {
			if x == r {
				return
			}
		}
		roles = append(roles, r)
	}
	for _, part := range strings.Split(str(v.Get("ServerRole")), ",") {
		part = strings.TrimSpace(part)
		if part == "" || strings.EqualFold(part, "None") {
			continue
		}
		if r, ok := roleNames[strings.ToLower(part)]; ok {
			add(r)
		} else {
			im.note("%s: %s role %q is not one coexist plans for: left out", d.rel, name, part)
		}
	}
	if len(roles) > 0 {
		return roles
	}
	for _, f := range []struct{ prop, role string }{
		{"IsMailboxServer", "Mailbox"}, {"IsClientAccessServer", "ClientAccess"},
		{"IsHubTransportServer", "HubTransport"}, {"IsUnifiedMessagingServer", "UnifiedMessaging"},
		{"IsEdgeServer", "Edge"}, {"IsFrontendTransportServer", "FrontendTransport"},
	} {
		if b := v.Get(f.prop); b != nil && b.Kind == clixml.Bool && b.Bool {
			add(f.role)
		}
	}
	return roles
}

// applyExSetup maps the ExSetup.exe FileVersionInfo to the build.
func (im *importer) applyExSetup(d *doc, v *clixml.Value) {
	a := im.serverFor(d, nil, false, []string{str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	a.seen[kExSetup] = true
	build := ""
	parts := []string{"FileMajorPart", "FileMinorPart", "FileBuildPart", "FilePrivatePart"}
	var n [4]int64
	ok := true
	for i, p := range parts {
		x, good := v.Get(p).Int64()
		n[i], ok = x, ok && good
	}
	if ok {
		build = fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3])
	} else if build = str(v.Get("FileVersion")); build == "" {
		build = str(v.Get("FileVersionRaw"))
	}
	if build == "" {
		im.note("%s: no file version in it", d.rel)
		return
	}
	if _, err := model.ParseBuild(build); err != nil {
		im.note("%s: %s ExSetup.exe version: %v: left unset", d.rel, a.s.Name, err)
		return
	}
	im.setStr(a, "build", &a.s.Build, build, d.rel)
}

// vdirField returns the server's virtual directory of kind k.
func vdirField(s *model.Server, k kind) *model.VirtualDir {
	switch k {
	case kOWA:
		return &s.OWA
	case kECP:
		return &s.ECP
	case kEWS:
		return &s.EWS
	case kEAS:
		return &s.EAS
	case kOAB:
		return &s.OAB
	case kMAPI:
		return &s.MAPI
	case kAutodiscover:
		return &s.Autodiscover
	}
	return nil
}

func isDefaultSite(name string) bool {
	return strings.Contains(strings.ToLower(name), "(default web site)")
}

// applyVdir maps one Get-*VirtualDirectory object.
func (im *importer) applyVdir(d *doc, k kind, v *clixml.Value) {
	a := im.serverFor(d, []string{adName(v.Get("Server")), identityServer(v)}, true, []string{str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	field := vdirKinds[k]
	vd := model.VirtualDir{
		InternalURL: str(v.Get("InternalUrl")),
		ExternalURL: str(v.Get("ExternalUrl")),
	}
	vd.Authentication = im.authMethods(d, a.s.Name, field, v)
	if k == kOWA {
		for _, rt := range []struct {
			prop string
			dst  *string
		}{{"LegacyRedirectType", &vd.LegacyRedirectType}, {"CrossSiteRedirectType", &vd.CrossSiteRedirectType}} {
			switch t := str(v.Get(rt.prop)); strings.ToLower(t) {
			case "":
			case "silent", "manual":
				*rt.dst = strings.ToUpper(t[:1]) + strings.ToLower(t[1:])
			default:
				im.note("%s: %s owa %s %q: want Silent or Manual: left unset", d.rel, a.s.Name, rt.prop, t)
			}
		}
	}
	if k == kOAB {
		if l := v.Get("OfflineAddressBooks"); l != nil && l.Kind == clixml.List {
			for _, it := range l.Items {
				if n := adName(it); n != "" {
					vd.OfflineAddressBooks = append(vd.OfflineAddressBooks, n)
				}
			}
		}
	}
	name := str(v.Get("Name"))
	dst := vdirField(&a.s, k)
	if prev, ok := a.vdirName[k]; ok {
		if strings.EqualFold(prev, name) {
			return // the same virtual directory again (a second collection): the first is kept
		}
		if isDefaultSite(name) && !isDefaultSite(prev) {
			*dst = vd
			a.vdirName[k] = name
			im.note("%s: %s has more than one %s virtual directory: kept %q", d.rel, a.s.Name, field, name)
		} else {
			im.note("%s: %s has more than one %s virtual directory: kept %q, not %q", d.rel, a.s.Name, field, prev, name)
		}
		return
	}
	*dst = vd
	a.vdirName[k] = name
	a.seen[k] = true
}

// authNames maps Exchange AuthenticationMethod names to inventory ones.
var authNames = map[string]string{
	"basic": "Basic", "ntlm": "NTLM", "negotiate": "Negotiate", "kerberos": "Kerberos",
	"fba": "FBA", "forms": "FBA", "windowsintegrated": "WindowsIntegrated", "digest": "Digest",
	"oauth": "OAuth", "adfs": "ADFS", "wssecurity": "WSSecurity", "certificate": "Certificate",
	"liveid": "LiveID", "liveidfba": "LiveID", "liveidbasic": "LiveID", "liveidnegotiate": "LiveID",
}

// normAuth maps method names, dropping (with a note) what the inventory
// has no name for.
func (im *importer) normAuth(src, server, field string, names []string) []string {
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || strings.EqualFold(n, "None") {
			continue
		}
		m, ok := authNames[strings.ToLower(n)]
		if !ok {
			im.note("%s: %s %s authentication method %q is not one coexist knows: left out", src, server, field, n)
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == m
		}
		if !dup {
			out = append(out, m)
		}
	}
	return out
}

// authMethods reads InternalAuthenticationMethods (then
// ExternalAuthenticationMethods), or the *Authentication flags that IIS
// reports when the lists are missing.
func (im *importer) authMethods(d *doc, server, field string, v *clixml.Value) []string {
	for _, p := range []string{"InternalAuthenticationMethods", "ExternalAuthenticationMethods"} {
		if l := v.Get(p); !l.IsNil() {
			if m := im.normAuth(d.rel, server, field, l.Strings()); len(m) > 0 {
				return m
			}
		}
	}
	var out []string
	for _, f := range []struct{ prop, name string }{
		{"FormsAuthentication", "FBA"}, {"BasicAuthentication", "Basic"}, {"DigestAuthentication", "Digest"},
		{"WindowsAuthentication", "WindowsIntegrated"}, {"OAuthAuthentication", "OAuth"},
		{"AdfsAuthentication", "ADFS"}, {"LiveIdAuthentication", "LiveID"}, {"WSSecurityAuthentication", "WSSecurity"},
	} {
		if b := v.Get(f.prop); b != nil && b.Kind == clixml.Bool && b.Bool {
			out = append(out, f.name)
		}
	}
	return out
}

// oaAuth maps an Outlook Anywhere client authentication method.
func (im *importer) oaAuth(src, server, field, m string) string {
	switch strings.ToLower(m) {
	case "":
		return ""
	case "basic":
		return "Basic"
	case "ntlm":
		return "NTLM"
	case "negotiate":
		return "Negotiate"
	case "negoex":
		return "NegoEx"
	}
	im.note("%s: %s outlook_anywhere.%s %q: want Basic, NTLM or Negotiate: left unset", src, server, field, m)
	return ""
}

// applyOutlookAnywhere maps one Get-OutlookAnywhere object. An object
// exists only where Outlook Anywhere is enabled (2007/2010) or always is
// (2013+), so it sets enabled when it has a host name.
func (im *importer) applyOutlookAnywhere(d *doc, v *clixml.Value) {
	a := im.serverFor(d, []string{adName(v.Get("Server")), str(v.Get("ServerName")), identityServer(v)}, true, []string{str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	a.seen[kOutlookAnywhere] = true
	oa := &a.s.OutlookAnywhere
	src, n := d.rel, a.s.Name
	im.setStr(a, "outlook_anywhere.external_hostname", &oa.ExternalHostname, str(v.Get("ExternalHostname")), src)
	im.setStr(a, "outlook_anywhere.internal_hostname", &oa.InternalHostname, str(v.Get("InternalHostname")), src)
	im.setStr(a, "outlook_anywhere.client_authentication_method", &oa.ClientAuthenticationMethod,
		im.oaAuth(src, n, "client_authentication_method", str(v.Get("ClientAuthenticationMethod"))), src)
	im.setStr(a, "outlook_anywhere.external_client_authentication_method", &oa.ExternalClientAuthenticationMethod,
		im.oaAuth(src, n, "external_client_authentication_method", str(v.Get("ExternalClientAuthenticationMethod"))), src)
	im.setStr(a, "outlook_anywhere.internal_client_authentication_method", &oa.InternalClientAuthenticationMethod,
		im.oaAuth(src, n, "internal_client_authentication_method", str(v.Get("InternalClientAuthenticationMethod"))), src)
	im.setList(a, "outlook_anywhere.iis_authentication_methods", &oa.IISAuthenticationMethods,
		im.normAuth(src, n, "outlook_anywhere.iis_authentication_methods", v.Get("IISAuthenticationMethods").Strings()), src)
	if b := v.Get("SSLOffloading"); b != nil && b.Kind == clixml.Bool && b.Bool {
		oa.SSLOffloading = true
	}
	if oa.ExternalHostname != "" || oa.InternalHostname != "" {
		oa.Enabled = true
	} else {
		im.note("%s: %s Outlook Anywhere has no host name: left disabled", src, n)
	}
}

// applyClientAccess maps Get-ClientAccessServer / Get-ClientAccessService.
func (im *importer) applyClientAccess(d *doc, v *clixml.Value) {
	a := im.serverFor(d, []string{serverName(v)}, true, nil)
	if a == nil {
		return
	}
	a.seen[kClientAccess] = true
	im.setStr(a, "auto_discover_service_internal_uri", &a.s.AutoDiscoverServiceInternalURI, str(v.Get("AutoDiscoverServiceInternalUri")), d.rel)
	if b := v.Get("IsOutOfService"); b != nil && b.Kind == clixml.Bool && b.Bool {
		a.s.IsOutOfService = true
	}
}

// connSetting renders a ProtocolConnectionSettings as "host:port:SSL".
func connSetting(v *clixml.Value) string {
	if s := str(v); strings.Count(s, ":") >= 1 && !strings.ContainsAny(s, " \t") {
		return s
	}
	host, port := str(v.Get("Hostname")), str(v.Get("Port"))
	if host == "" || port == "" {
		return str(v)
	}
	s := host + ":" + port
	if enc := str(v.Get("EncryptionType")); enc != "" {
		s += ":" + enc
	}
	return s
}

// applyPopImap maps Get-PopSettings / Get-ImapSettings.
func (im *importer) applyPopImap(d *doc, k kind, v *clixml.Value) {
	a := im.serverFor(d, []string{adName(v.Get("Server"))}, true, []string{identityServer(v), str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	a.seen[k] = true
	p, field := &a.s.POP3, "pop3"
	if k == kIMAP {
		p, field = &a.s.IMAP4, "imap4"
	}
	for _, set := range []struct {
		prop, name string
		dst        *[]string
	}{
		{"InternalConnectionSettings", "internal_connection_settings", &p.InternalConnectionSettings},
		{"ExternalConnectionSettings", "external_connection_settings", &p.ExternalConnectionSettings},
	} {
		l := v.Get(set.prop)
		if l.IsNil() {
			continue
		}
		var out []string
		items := l.Items
		if l.Kind != clixml.List {
			items = []*clixml.Value{l}
		}
		for _, it := range items {
			if s := connSetting(it); s != "" {
				out = append(out, s)
			}
		}
		im.setList(a, field+"."+set.name, set.dst, out, d.rel)
	}
}

// applyService maps the MSExchangePOP3 / MSExchangeIMAP4 service state.
func (im *importer) applyService(d *doc, v *clixml.Value) {
	name := strings.ToLower(str(v.Get("Name")))
	if name == "" {
		name = strings.ToLower(str(v.Get("ServiceName")))
	}
	var dst **bool
	a := im.serverFor(d, []string{str(v.Get("MachineName"))}, false, []string{str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	switch name {
	case "msexchangepop3":
		dst = &a.s.POP3.Running
	case "msexchangeimap4":
		dst = &a.s.IMAP4.Running
	default:
		return
	}
	status := str(v.Get("Status"))
	if status == "" {
		return
	}
	running := strings.EqualFold(status, "Running")
	*dst = &running
}

// applyHotFix adds one Get-HotFix HotFixID to installed_updates.
func (im *importer) applyHotFix(d *doc, v *clixml.Value) {
	a := im.serverFor(d, []string{str(v.Get("CSName"))}, false, []string{str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	a.seen[kHotFix] = true
	id := str(v.Get("HotFixID"))
	if !kbRe.MatchString(id) {
		if id != "" {
			im.note("%s: %s hotfix %q is not a KB number: left out", d.rel, a.s.Name, id)
		}
		return
	}
	id = "KB" + id[2:]
	if !model.HasUpdate(a.s.InstalledUpdates, id) {
		a.s.InstalledUpdates = append(a.s.InstalledUpdates, id)
	}
}

var osNoise = strings.NewReplacer("®", "", "(R)", "", "™", "", "(TM)", "")

// applyOS maps Win32_OperatingSystem Caption (and CSDVersion, the service
// pack) to os.
func (im *importer) applyOS(d *doc, v *clixml.Value) {
	a := im.serverFor(d, []string{str(v.Get("CSName"))}, false, []string{str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	a.seen[kOS] = true
	os := strings.Join(strings.Fields(osNoise.Replace(str(v.Get("Caption")))), " ")
	if sp := str(v.Get("CSDVersion")); os != "" && sp != "" {
		os += " " + sp
	}
	im.setStr(a, "os", &a.s.OS, os, d.rel)
}

// dotnet4 maps NDP\v4\Full Release to the .NET Framework version: the
// first release number of each version.
var dotnet4 = []struct {
	release int
	version string
}{
	{533320, "4.8.1"}, {528040, "4.8"}, {461808, "4.7.2"}, {461308, "4.7.1"}, {460798, "4.7"},
	{394802, "4.6.2"}, {394254, "4.6.1"}, {393295, "4.6"}, {379893, "4.5.2"}, {378675, "4.5.1"}, {378389, "4.5"},
}

// resolveDotNet sets dotnet from the NDP registry values, choosing the
// framework the server's Exchange runs on: 3.5 for 2010, 4.x for 2013+.
func (im *importer) resolveDotNet(a *srvAcc) {
	if a.s.DotNet != "" {
		return
	}
	b := buildOf(&a.s)
	switch v := b.Version(); {
	case v == model.V2010 && a.ndp35Install != nil && *a.ndp35Install == 1:
		a.s.DotNet = "3.5"
		if a.ndp35SP != nil && *a.ndp35SP >= 1 {
			a.s.DotNet = "3.5.1"
		}
	case v >= model.V2013 && a.ndp4Release != nil:
		for _, d := range dotnet4 {
			if *a.ndp4Release >= d.release {
				a.s.DotNet = d.version
				break
			}
		}
	}
}

// buildOf parses the server's build or version; zero when neither parses.
func buildOf(s *model.Server) model.Build {
	for _, t := range []string{s.Build, s.Version} {
		if t == "" {
			continue
		}
		if b, err := model.ParseBuild(t); err == nil {
			return b
		}
	}
	return model.Build{}
}

// regInt reads a registry DWORD as the inventory's int: an Int32 of -1
// is 0xffffffff. ok is false for Nil (the value is not set) and for values
// that are not numbers.
func regInt(v *clixml.Value) (n int, ok bool, bad bool) {
	switch {
	case v.IsNil():
		return 0, false, false
	case v.Kind == clixml.Int:
		if v.Int < 0 && v.Int >= -1<<31 {
			return int(uint32(int32(v.Int))), true, false
		}
		if v.Int >= 0 && v.Int <= 0xffffffff {
			return int(v.Int), true, false
		}
	case v.Kind == clixml.Uint:
		if v.Uint <= 0xffffffff {
			return int(v.Uint), true, false
		}
	case v.Kind == clixml.String:
		s := strings.TrimSpace(v.Str)
		if s == "" {
			return 0, false, false
		}
		if x, err := strconv.ParseUint(s, 0, 32); err == nil {
			return int(x), true, false
		}
	}
	return 0, false, true
}
