package redact

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
)

// Organisation is the pseudonym of every organisation's name.
const Organisation = "Example Organisation"

// redacted replaces values that have no pseudonym of their own (certificate
// subject attributes other than the CN, URL user information).
const redacted = "redacted"

// Inventory returns a deep copy of inv with every name, host name, IP
// address and certificate thumbprint replaced by a pseudonym, as the
// package comment lists. salt keys the thumbprint pseudonyms. inv is not
// modified; a nil inv gives nil.
func Inventory(inv *model.Inventory, salt string) *model.Inventory {
	if inv == nil {
		return nil
	}
	out := deepCopy(reflect.ValueOf(inv)).Interface().(*model.Inventory)
	r := newRedactor(out, salt)
	// The same walk twice: first to collect every name (pseudonyms are
	// numbered in sorted order), then to replace them.
	r.collecting = true
	r.walk(out)
	r.assign()
	r.collecting = false
	r.walk(out)
	return out
}

// kind is a kind of named entity.
type kind int

const (
	kServer kind = iota
	kLB
	kSite
	kDB
	kOAB
	kProfile
	kUser
	nKinds
)

// pseudonym formats: prefix and minimum number of digits.
var formats = [nKinds]struct {
	prefix string
	width  int
}{
	kServer:  {"SRV-", 4},
	kLB:      {"LB-", 4},
	kSite:    {"SITE-", 4},
	kDB:      {"DB-", 4},
	kOAB:     {"OAB-", 4},
	kProfile: {"profile-", 4},
	kUser:    {"user-", 5},
}

// keptLabels are host labels kept as they are: the planner finds the
// Autodiscover namespace by its first label.
var keptLabels = map[string]bool{"autodiscover": true}

type redactor struct {
	salt       string
	collecting bool
	// names maps each kind's names (model.Key) to their pseudonyms.
	names [nKinds]map[string]string
	// Servers and load balancers the inventory defines, and the servers'
	// FQDNs: references to them resolve the way model.Index does.
	servers, lbs, fqdns map[string]bool
	orgKey              string
	labels              map[string]string // host label → pseudonym label
	domains             map[string]string // "contoso.com" → "example-1.test"
	ips                 map[netip.Addr]netip.Addr
	hosts               map[string]string // host name → pseudonym, once assigned
	segments            map[string]string // load balancer path segment → pseudonym
}

func newRedactor(inv *model.Inventory, salt string) *redactor {
	r := &redactor{
		salt:    salt,
		servers: map[string]bool{}, lbs: map[string]bool{}, fqdns: map[string]bool{},
		orgKey:   model.Key(inv.Organization.Name),
		labels:   map[string]string{},
		domains:  map[string]string{},
		ips:      map[netip.Addr]netip.Addr{},
		hosts:    map[string]string{},
		segments: map[string]string{},
	}
	for k := range r.names {
		r.names[k] = map[string]string{}
	}
	for _, s := range inv.Servers {
		if k := model.Key(s.Name); k != "" {
			r.servers[k] = true
		}
		if k := model.Key(s.FQDN); k != "" {
			r.fqdns[k] = true
		}
	}
	for _, lb := range inv.LoadBalancers {
		if k := model.Key(lb.Name); k != "" {
			r.lbs[k] = true
		}
	}
	return r
}

// walk passes every string of inv through its mapper and stores the
// result. While collecting, mappers record names and return them as they
// are.
func (r *redactor) walk(inv *model.Inventory) {
	o := &inv.Organization
	o.Name = r.org(o.Name)
	o.PrimaryNamespace = r.host(o.PrimaryNamespace)
	o.CutoverDate = r.keepText(o.CutoverDate)
	o.AsOf = r.keepText(o.AsOf)
	o.TLSGoal = r.keepText(o.TLSGoal)
	// Document control: the customer is the organisation; people and the
	// author's organisation are named by their role only.
	rep := &inv.Report
	rep.Customer = r.org(rep.Customer)
	rep.Author = r.role(rep.Author, "Author")
	rep.Company = r.role(rep.Company, redacted)
	for i, a := range rep.Approvers {
		rep.Approvers[i] = r.role(a, fmt.Sprintf("Approver %d", i+1))
	}
	rep.Version = r.keepText(rep.Version)
	rep.Status = r.keepText(rep.Status)
	for i := range inv.Sites {
		s := &inv.Sites[i]
		s.Name = r.name(kSite, s.Name)
	}
	for i := range inv.Namespaces {
		ns := &inv.Namespaces[i]
		ns.FQDN = r.host(ns.FQDN)
		r.each(ns.Internal, r.target)
		r.each(ns.External, r.target)
	}
	for i := range inv.LoadBalancers {
		lb := &inv.LoadBalancers[i]
		lb.Name = r.name(kLB, lb.Name)
		r.each(lb.Members, r.serverRef)
		r.each(lb.Paths, r.lbPath)
	}
	for i := range inv.Servers {
		r.server(&inv.Servers[i])
	}
	for i := range inv.OutlookProviders {
		p := &inv.OutlookProviders[i]
		p.Name = r.keepText(p.Name)
		p.Server = r.host(p.Server)
		p.CertPrincipalName = r.principal(p.CertPrincipalName)
	}
	for i := range inv.Certificates {
		c := &inv.Certificates[i]
		c.Thumbprint = r.thumbprint(c.Thumbprint)
		c.Subject = r.subject(c.Subject)
		r.each(c.SANs, r.host)
		r.each(c.Servers, r.serverRef)
		c.NotAfter = r.keepText(c.NotAfter)
		c.SignatureAlgorithm = r.keepText(c.SignatureAlgorithm)
		r.each(c.Services, r.keepText)
	}
	for i := range inv.Databases {
		d := &inv.Databases[i]
		d.Name = r.name(kDB, d.Name)
		d.Server = r.serverRef(d.Server)
		d.RPCClientAccessServer = r.host(d.RPCClientAccessServer)
		d.OfflineAddressBook = r.name(kOAB, d.OfflineAddressBook)
	}
	for i := range inv.OfflineABs {
		o := &inv.OfflineABs[i]
		o.Name = r.name(kOAB, o.Name)
		r.each(o.GenerationServers, r.serverRef)
	}
	for i := range inv.ClientProfiles {
		p := &inv.ClientProfiles[i]
		p.Name = r.name(kProfile, p.Name)
		p.Outlook = r.keepText(p.Outlook)
		p.OS = r.keepText(p.OS)
		p.PopImapChannel = r.keepText(p.PopImapChannel)
		r.each(p.InstalledUpdates, r.keepText)
	}
	for i := range inv.Mailboxes {
		m := &inv.Mailboxes[i]
		m.Name = r.name(kUser, m.Name)
		m.Database = r.name(kDB, m.Database)
		m.ClientProfile = r.name(kProfile, m.ClientProfile)
		m.Namespace = r.host(m.Namespace)
		for j, u := range m.FullAccess {
			m.FullAccess[j] = r.name(kUser, u)
		}
	}
	inv.MailboxesCSV = nil
}

func (r *redactor) server(s *model.Server) {
	s.Name = r.name(kServer, s.Name)
	s.FQDN = r.host(s.FQDN)
	s.Site = r.name(kSite, s.Site)
	// Version, Build and DotNet are dotted numbers that may look like IP
	// addresses: they are kept as they are.
	r.each(s.Roles, r.keepText)
	s.Edition = r.keepText(s.Edition)
	s.OS = r.keepText(s.OS)
	r.each(s.InstalledUpdates, r.keepText)
	s.DefaultAppPoolIdentity = r.keepText(s.DefaultAppPoolIdentity)
	s.AutoDiscoverServiceInternalURI = r.url(s.AutoDiscoverServiceInternalURI)
	oa := &s.OutlookAnywhere
	oa.ExternalHostname = r.host(oa.ExternalHostname)
	oa.InternalHostname = r.host(oa.InternalHostname)
	oa.ClientAuthenticationMethod = r.keepText(oa.ClientAuthenticationMethod)
	oa.ExternalClientAuthenticationMethod = r.keepText(oa.ExternalClientAuthenticationMethod)
	oa.InternalClientAuthenticationMethod = r.keepText(oa.InternalClientAuthenticationMethod)
	r.each(oa.IISAuthenticationMethods, r.keepText)
	for _, vd := range s.VirtualDirs() {
		vd.Dir.InternalURL = r.url(vd.Dir.InternalURL)
		vd.Dir.ExternalURL = r.url(vd.Dir.ExternalURL)
		r.each(vd.Dir.Authentication, r.keepText)
		vd.Dir.LegacyRedirectType = r.keepText(vd.Dir.LegacyRedirectType)
		vd.Dir.CrossSiteRedirectType = r.keepText(vd.Dir.CrossSiteRedirectType)
		for j, o := range vd.Dir.OfflineAddressBooks {
			vd.Dir.OfflineAddressBooks[j] = r.name(kOAB, o)
		}
	}
	for _, p := range []*model.PopImap{&s.POP3, &s.IMAP4} {
		r.each(p.InternalConnectionSettings, r.connection)
		r.each(p.ExternalConnectionSettings, r.connection)
	}
}

func (r *redactor) each(list []string, f func(string) string) {
	for i, s := range list {
		list[i] = f(s)
	}
}

// name maps the name of an entity of kind k.
func (r *redactor) name(k kind, s string) string {
	key := model.Key(s)
	if key == "" {
		return s
	}
	if r.collecting {
		r.names[k][key] = ""
		return s
	}
	if p, ok := r.names[k][key]; ok {
		return p
	}
	return redacted // not collected: a bug, but never a leak
}

func (r *redactor) org(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return Organisation
}

// role replaces a person's or company's name s with the word for their
// role, keeping an empty s empty.
func (r *redactor) role(s, word string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return word
}

// serverRef maps a reference to a server, by name or FQDN, as
// model.Index.Server resolves it.
func (r *redactor) serverRef(s string) string { return r.ref(s, false) }

// target maps a namespace target: a server (name or FQDN) or a load
// balancer.
func (r *redactor) target(s string) string { return r.ref(s, true) }

func (r *redactor) ref(s string, lbs bool) string {
	key := model.Key(s)
	switch {
	case key == "":
		return s
	case r.servers[key]:
		return r.name(kServer, s)
	case r.fqdns[key]:
		return r.host(s)
	case lbs && r.lbs[key]:
		return r.name(kLB, s)
	case strings.Contains(key, "."):
		return r.host(s) // a dangling FQDN
	}
	return r.name(kServer, s) // a dangling name
}

// host maps a host name (or an IP address), label by label: its last two
// labels are its domain, every other label maps on its own. A leading
// "*." (a wildcard) and a trailing dot are kept.
func (r *redactor) host(s string) string {
	if s == "" {
		return s
	}
	if rest, ok := strings.CutPrefix(s, "*."); ok {
		return "*." + r.host(rest)
	}
	if !r.collecting {
		if p, ok := r.hosts[s]; ok {
			return p
		}
	}
	h, dot := strings.CutSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	var out string
	if a, err := netip.ParseAddr(h); err == nil {
		out = r.ip(a).String()
	} else {
		labels := strings.Split(h, ".")
		n := len(labels)
		if n >= 2 {
			for i, l := range labels[:n-2] {
				labels[i] = r.label(l)
			}
			out = strings.Join(append(labels[:n-2], r.domain(labels[n-2]+"."+labels[n-1])), ".")
		} else {
			out = r.label(h)
		}
	}
	if dot {
		out += "."
	}
	if r.collecting {
		return s
	}
	r.hosts[s] = out
	return out
}

func (r *redactor) label(l string) string {
	if l == "" {
		return l
	}
	if r.collecting {
		r.labels[l] = ""
		return l
	}
	if p, ok := r.labels[l]; ok {
		return p
	}
	return redacted
}

func (r *redactor) domain(d string) string {
	if r.collecting {
		r.domains[d] = ""
		return d
	}
	if p, ok := r.domains[d]; ok {
		return p
	}
	return redacted
}

func (r *redactor) ip(a netip.Addr) netip.Addr {
	a = a.WithZone("")
	if r.collecting {
		r.ips[a] = netip.Addr{}
		return a
	}
	return r.ips[a]
}

// url maps a URL's host, user information, path, query and fragment;
// the scheme, port and the path's words are kept.
func (r *redactor) url(s string) string {
	if s == "" {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return r.text(s)
	}
	h := r.host(u.Hostname())
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if p := u.Port(); p != "" {
		h += ":" + p
	}
	u.Host = h
	if u.User != nil {
		u.User = url.User(redacted)
	}
	u.Path, u.RawPath = r.urlText(u.Path), ""
	u.RawQuery = r.urlText(u.RawQuery)
	u.Fragment, u.RawFragment = r.urlText(u.Fragment), ""
	if r.collecting {
		return s
	}
	return u.String()
}

// connection maps a POP3/IMAP4 connection setting, "host:port:encryption".
func (r *redactor) connection(s string) string {
	if rest, ok := strings.CutPrefix(s, "["); ok { // [IPv6]:port
		if addr, tail, ok := strings.Cut(rest, "]"); ok {
			return "[" + r.host(addr) + "]" + r.keepText(tail)
		}
	}
	host, tail, ok := strings.Cut(s, ":")
	if !ok {
		return r.text(s)
	}
	return r.host(host) + ":" + r.keepText(tail)
}

// principal maps an Outlook provider's cert_principal_name, msstd:<host>.
func (r *redactor) principal(s string) string {
	if len(s) > len("msstd:") && strings.EqualFold(s[:len("msstd:")], "msstd:") {
		return s[:len("msstd:")] + r.host(s[len("msstd:"):])
	}
	return r.text(s)
}

// subject maps a certificate subject: the CN as a host name (or a server
// name), every other attribute's value "redacted".
func (r *redactor) subject(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	rdns := splitRDNs(s)
	for i, rdn := range rdns {
		typ, val, ok := strings.Cut(rdn, "=")
		if !ok {
			rdns[i] = r.text(strings.TrimSpace(rdn))
			continue
		}
		typ = strings.TrimSpace(typ)
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch key := model.Key(val); {
		case !strings.EqualFold(typ, "CN") || key == "":
			val = redacted
		case r.servers[key]:
			val = r.name(kServer, val)
		case strings.Contains(val, ".") && !strings.ContainsAny(val, " \t"):
			val = r.host(val)
		default:
			val = redacted
		}
		rdns[i] = typ + "=" + val
	}
	if r.collecting {
		return s
	}
	return strings.Join(rdns, ", ")
}

// splitRDNs splits a distinguished name at the commas (or semicolons)
// outside quotes and after no backslash.
func splitRDNs(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case ',', ';':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// thumbprint returns the thumbprint's pseudonym: HMAC-SHA1 keyed with the
// salt, 40 upper-case hexadecimal digits.
func (r *redactor) thumbprint(s string) string {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" || r.collecting {
		return s
	}
	m := hmac.New(sha1.New, []byte(r.salt))
	m.Write([]byte(t))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

var (
	ipv4RE = regexp.MustCompile(`[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}`)
	ipv6RE = regexp.MustCompile(`[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*`)
	wordRE = regexp.MustCompile(`[A-Za-z0-9_.-]+`)
)

// keepText replaces the IP addresses in s and keeps the rest.
func (r *redactor) keepText(s string) string {
	if !strings.ContainsAny(s, "0123456789:") {
		return s
	}
	s = replaceIPs(s, ipv4RE, func(c byte) bool { return c >= '0' && c <= '9' || c == '.' }, r)
	return replaceIPs(s, ipv6RE, func(c byte) bool { return isHex(c) || c == ':' || c == '.' }, r)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// replaceIPs replaces each match of re in s that stands alone (no
// neighbour for which inside is true) and parses as an IP address.
func replaceIPs(s string, re *regexp.Regexp, inside func(byte) bool, r *redactor) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		i, j := m[0], m[1]
		if i > 0 && (inside(s[i-1]) || isWord(s[i-1])) || j < len(s) && (inside(s[j]) || isWord(s[j])) {
			continue
		}
		a, err := netip.ParseAddr(s[i:j])
		if err != nil || !strings.ContainsAny(s[i:j], "0123456789abcdefABCDEF") {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r.ip(a).String())
		last = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// text replaces, in free text, IP addresses, host names under a domain of
// the inventory and the names of entities other than mailboxes.
func (r *redactor) text(s string) string {
	s = r.keepText(s)
	if r.collecting || s == "" {
		return s
	}
	return wordRE.ReplaceAllStringFunc(s, r.word)
}

// urlText is text for the path, query and fragment of a URL: mailbox
// names are replaced too (a URL holds no common words but Exchange's own,
// which are kept).
func (r *redactor) urlText(s string) string {
	s = r.keepText(s)
	if r.collecting || s == "" {
		return s
	}
	return wordRE.ReplaceAllStringFunc(s, func(w string) string {
		if exchangeWords[strings.ToLower(w)] {
			return w
		}
		if p, ok := r.names[kUser][strings.ToLower(strings.TrimRight(w, "."))]; ok {
			return p + w[len(strings.TrimRight(w, ".")):]
		}
		return r.word(w)
	})
}

// exchangeWords are the virtual directories and files of Exchange URLs
// (lower case): never taken for a name.
var exchangeWords = map[string]bool{
	"autodiscover": true, "autodiscover.xml": true, "autodiscover.svc": true, "rpc": true, "rpcwithcert": true,
	"rpcproxy.dll": true, "mapi": true, "emsmdb": true, "nspi": true, "owa": true, "ecp": true, "ews": true,
	"exchange.asmx": true, "oab": true, "microsoft-server-activesync": true, "powershell": true,
	"exchange": true, "exchweb": true, "public": true,
}

// lbPath maps a load balancer path: Exchange's virtual directories and
// wildcards are kept (the planner checks them), every other segment gets
// a pseudonym ("/fabrikam-app/*" → "/path-0001/*").
func (r *redactor) lbPath(s string) string {
	segs := strings.Split(s, "/")
	for i, seg := range segs {
		key := strings.ToLower(seg)
		switch {
		case key == "" || key == "*" || exchangeWords[key]:
		case r.collecting:
			r.segments[key] = ""
		default:
			segs[i] = r.segments[key]
		}
	}
	if r.collecting {
		return s
	}
	return strings.Join(segs, "/")
}

func (r *redactor) word(w string) string {
	t := strings.TrimRight(w, ".")
	key := strings.ToLower(t)
	if labels := strings.Split(key, "."); len(labels) >= 2 {
		if _, ok := r.domains[labels[len(labels)-2]+"."+labels[len(labels)-1]]; ok {
			// Under a known domain; labels not seen while collecting
			// come out "redacted".
			return r.host(t) + w[len(t):]
		}
	}
	if key == r.orgKey && key != "" {
		return Organisation + w[len(t):]
	}
	for _, k := range []kind{kServer, kLB, kSite, kDB, kOAB, kProfile} {
		if p, ok := r.names[k][key]; ok {
			return p + w[len(t):]
		}
	}
	return w
}

// assign numbers every collected name in sorted order.
func (r *redactor) assign() {
	for k, m := range r.names {
		f := formats[k]
		for i, key := range sortedKeys(m) {
			m[key] = pseudonym(f.prefix, f.width, i+1, len(m))
		}
	}
	// A label that is a server's name maps with the server; the rest are
	// numbered in order.
	var plain []string
	for _, l := range sortedKeys(r.labels) {
		switch {
		case keptLabels[l]:
			r.labels[l] = l
		case r.names[kServer][l] != "":
			r.labels[l] = strings.ToLower(r.names[kServer][l])
		default:
			plain = append(plain, l)
		}
	}
	for i, l := range plain {
		r.labels[l] = pseudonym("host-", 4, i+1, len(plain))
	}
	for i, seg := range sortedKeys(r.segments) {
		r.segments[seg] = pseudonym("path-", 4, i+1, len(r.segments))
	}
	for i, d := range sortedKeys(r.domains) {
		r.domains[d] = fmt.Sprintf("example-%d.test", i+1)
	}
	addrs := make([]netip.Addr, 0, len(r.ips))
	for a := range r.ips {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	n4, n6 := 0, 0
	for _, a := range addrs {
		if a.Is4() {
			r.ips[a] = ipv4Pseudonym(n4)
			n4++
		} else {
			r.ips[a] = ipv6Pseudonym(n6)
			n6++
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pseudonym is prefix and i zero-padded to width digits, or as many as
// the largest number n needs.
func pseudonym(prefix string, width, i, n int) string {
	return fmt.Sprintf("%s%0*d", prefix, max(width, len(strconv.Itoa(n))), i)
}

// ipv4Pseudonym returns the n-th (from 0) IPv4 pseudonym: the three
// documentation networks, then the benchmarking network 198.18.0.0/15,
// then the reserved 240.0.0.0/4.
func ipv4Pseudonym(n int) netip.Addr {
	for _, net := range [][3]byte{{192, 0, 2}, {198, 51, 100}, {203, 0, 113}} {
		if n < 254 {
			return netip.AddrFrom4([4]byte{net[0], net[1], net[2], byte(n + 1)})
		}
		n -= 254
	}
	if n < 1<<17-2 {
		v := uint32(198)<<24 | uint32(18)<<16 + uint32(n+1)
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	n -= 1<<17 - 2
	v := uint32(240)<<24 + uint32(n+1)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// ipv6Pseudonym returns the n-th (from 0) IPv6 pseudonym in 2001:db8::/32.
func ipv6Pseudonym(n int) netip.Addr {
	var b [16]byte
	b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
	v := uint64(n + 1)
	for i := 15; i >= 8; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	return netip.AddrFrom16(b)
}

// deepCopy copies v, following pointers and slices: the copy shares no
// memory with v.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		if mbx, ok := v.Interface().([]model.Mailbox); ok { // fast path: millions
			c := append([]model.Mailbox(nil), mbx...)
			for i := range c {
				if c[i].FullAccess != nil {
					c[i].FullAccess = append([]string{}, c[i].FullAccess...)
				}
			}
			return reflect.ValueOf(c)
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			c.Field(i).Set(deepCopy(v.Field(i)))
		}
		return c
	case reflect.Map, reflect.Interface, reflect.Chan, reflect.Func:
		panic(fmt.Sprintf("redact: cannot copy a %s", v.Type()))
	}
	return v
}
