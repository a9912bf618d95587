package model

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Key folds a name for lookup and duplicate detection: Exchange names are
// case-insensitive, and names that look alike are one name. ASCII names
// are trimmed and lower-cased; other names are also brought to Unicode
// NFKC form (so "Zürich" composed and decomposed, full-width "Ｓite1" and
// "Site1" agree), case-folded ("straße" and "STRASSE", the Kelvin sign
// and "K", "ſ" and "s") and stripped of the characters Unicode says to
// ignore when displaying text (zero-width spaces and joiners, soft hyphens,
// variation selectors, the combining grapheme joiner, tags, fillers: see
// Ignorable).
func Key(name string) string {
	name = strings.TrimSpace(name)
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return foldUnicode(name)
		}
	}
	return strings.ToLower(name)
}

func foldUnicode(name string) string {
	s := norm.NFKC.String(name)
	s = cases.Fold().String(s)
	s = strings.Map(func(r rune) rune {
		if Ignorable(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(norm.NFKC.String(s))
}

// Ignorable reports whether r is a Unicode Default_Ignorable_Code_Point:
// a character a renderer shows as nothing (format characters such as
// zero-width spaces and joiners, soft hyphens and tags; variation
// selectors; the combining grapheme joiner; Hangul fillers), so that two
// names differing only by such characters look the same. Prepended
// concatenation marks (U+0600–U+0605…), which are visible, are not.
func Ignorable(r rune) bool {
	if r < 0xad {
		return false
	}
	switch {
	case r >= 0x600 && r <= 0x605, r == 0x6dd, r == 0x70f, r == 0x890, r == 0x891, r == 0x8e2, r == 0x110bd, r == 0x110cd,
		r >= 0xfff9 && r <= 0xfffb, r >= 0x13430 && r <= 0x1343f:
		return false
	}
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) && !unicode.IsSpace(r)
}

// Index finds inventory entities by name (case-insensitively). It holds
// indexes into the Inventory's slices, so it stays valid only while those
// slices are not re-allocated.
type Index struct {
	inv           *Inventory
	Sites         map[string]int
	Servers       map[string]int
	ServersByFQDN map[string]int
	Namespaces    map[string]int
	LoadBalancers map[string]int
	Databases     map[string]int
	Profiles      map[string]int
	Providers     map[string]int
	OfflineABs    map[string]int
	Mailboxes     map[string]int
}

// NewIndex indexes inv. When two entities share a name the first wins;
// Validate reports the duplicate.
func NewIndex(inv *Inventory) *Index {
	x := &Index{
		inv:           inv,
		Sites:         make(map[string]int, len(inv.Sites)),
		Servers:       make(map[string]int, len(inv.Servers)),
		ServersByFQDN: make(map[string]int, len(inv.Servers)),
		Namespaces:    make(map[string]int, len(inv.Namespaces)),
		LoadBalancers: make(map[string]int, len(inv.LoadBalancers)),
		Databases:     make(map[string]int, len(inv.Databases)),
		Profiles:      make(map[string]int, len(inv.ClientProfiles)),
		Providers:     make(map[string]int, len(inv.OutlookProviders)),
		OfflineABs:    make(map[string]int, len(inv.OfflineABs)),
		Mailboxes:     make(map[string]int, len(inv.Mailboxes)),
	}
	for i := range inv.Sites {
		addFirst(x.Sites, inv.Sites[i].Name, i)
	}
	for i := range inv.Servers {
		addFirst(x.Servers, inv.Servers[i].Name, i)
		if inv.Servers[i].FQDN != "" {
			addFirst(x.ServersByFQDN, inv.Servers[i].FQDN, i)
		}
	}
	for i := range inv.Namespaces {
		addFirst(x.Namespaces, inv.Namespaces[i].FQDN, i)
	}
	for i := range inv.LoadBalancers {
		addFirst(x.LoadBalancers, inv.LoadBalancers[i].Name, i)
	}
	for i := range inv.Databases {
		addFirst(x.Databases, inv.Databases[i].Name, i)
	}
	for i := range inv.ClientProfiles {
		addFirst(x.Profiles, inv.ClientProfiles[i].Name, i)
	}
	for i := range inv.OutlookProviders {
		addFirst(x.Providers, inv.OutlookProviders[i].Name, i)
	}
	for i := range inv.OfflineABs {
		addFirst(x.OfflineABs, inv.OfflineABs[i].Name, i)
	}
	for i := range inv.Mailboxes {
		addFirst(x.Mailboxes, inv.Mailboxes[i].Name, i)
	}
	return x
}

func addFirst(m map[string]int, name string, i int) {
	k := Key(name)
	if _, ok := m[k]; !ok {
		m[k] = i
	}
}

// Server returns the named server (or one whose FQDN is name), or nil.
func (x *Index) Server(name string) *Server {
	if i, ok := x.Servers[Key(name)]; ok {
		return &x.inv.Servers[i]
	}
	if i, ok := x.ServersByFQDN[Key(name)]; ok {
		return &x.inv.Servers[i]
	}
	return nil
}

// Namespace returns the namespace with that FQDN, or nil.
func (x *Index) Namespace(fqdn string) *Namespace {
	if i, ok := x.Namespaces[Key(fqdn)]; ok {
		return &x.inv.Namespaces[i]
	}
	return nil
}

// LoadBalancer returns the named load balancer, or nil.
func (x *Index) LoadBalancer(name string) *LoadBalancer {
	if i, ok := x.LoadBalancers[Key(name)]; ok {
		return &x.inv.LoadBalancers[i]
	}
	return nil
}

// Database returns the named database, or nil.
func (x *Index) Database(name string) *Database {
	if i, ok := x.Databases[Key(name)]; ok {
		return &x.inv.Databases[i]
	}
	return nil
}

// Profile returns the named client profile, or nil.
func (x *Index) Profile(name string) *ClientProfile {
	if i, ok := x.Profiles[Key(name)]; ok {
		return &x.inv.ClientProfiles[i]
	}
	return nil
}

// Provider returns the named Outlook provider, or nil.
func (x *Index) Provider(name string) *OutlookProvider {
	if i, ok := x.Providers[Key(name)]; ok {
		return &x.inv.OutlookProviders[i]
	}
	return nil
}

// OfflineAB returns the named offline address book, or nil.
func (x *Index) OfflineAB(name string) *OfflineAB {
	if i, ok := x.OfflineABs[Key(name)]; ok {
		return &x.inv.OfflineABs[i]
	}
	return nil
}

// Mailbox returns the named mailbox, or nil.
func (x *Index) Mailbox(name string) *Mailbox {
	if i, ok := x.Mailboxes[Key(name)]; ok {
		return &x.inv.Mailboxes[i]
	}
	return nil
}

// HasSite reports whether the site is declared.
func (x *Index) HasSite(name string) bool { _, ok := x.Sites[Key(name)]; return ok }
