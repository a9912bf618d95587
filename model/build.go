package model

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Version is an Exchange product generation: 2007, 2010, 2013, 2016 or 2019.
// The zero Version means unknown. Exchange Server Subscription Edition is
// V2019 for coexistence purposes (same 15.2 code base and rules).
type Version int

// The Exchange product generations the planner knows.
const (
	V2007 Version = 2007 // 8.x
	V2010 Version = 2010 // 14.x
	V2013 Version = 2013 // 15.0.x
	V2016 Version = 2016 // 15.1.x
	V2019 Version = 2019 // 15.2.x, including Subscription Edition (15.2.2562+)
)

// String returns the year ("2010"), or "unknown" for the zero Version.
func (v Version) String() string {
	if v == 0 {
		return "unknown"
	}
	return strconv.Itoa(int(v))
}

// Build is a four-part Exchange build number, e.g. 14.3.123.4 (2010 SP3) or
// 15.1.2507.6 (2016 CU23). The zero Build means "not known".
type Build struct {
	Major, Minor, Build, Revision int
}

// buildSEFirst is the first build of Exchange Server Subscription Edition.
var buildSEFirst = Build{15, 2, 2562, 0}

var (
	// "14.3.123.4" or, as ExSetup.exe and the Microsoft build table print it,
	// "15.01.2507.006". Nine digits per part keep strconv.Atoi from overflowing.
	buildNumericRE = regexp.MustCompile(`^(\d{1,9})\.(\d{1,9})\.(\d{1,9})\.(\d{1,9})$`)
	// AdminDisplayVersion: "Version 14.3 (Build 123.4)".
	buildAdminRE  = regexp.MustCompile(`(?i)^version\s+(\d{1,9})\.(\d{1,9})\s*\(\s*build\s+(\d{1,9})\.(\d{1,9})\s*\)$`)
	buildDottedRE = regexp.MustCompile(`^[0-9.]+$`)
)

const buildWant = `want "Version 14.3 (Build 123.4)" or "14.3.123.4"`

// ParseBuild parses an Exchange build in either of the forms an inventory
// holds: AdminDisplayVersion, "Version 14.3 (Build 123.4)" (case-insensitive,
// extra spaces allowed), or a file version, "14.3.123.4" or "15.01.2507.006"
// (leading zeros allowed). It rejects builds that are not Exchange 2007 (8.0
// to 8.3), 2010 (14.0 to 14.3) or 2013/2016/2019 (15.0 to 15.2). Its errors are
// short and lowercase, ready to follow "file:line:col: ".
//
// Exchange 2010 update rollups do not change AdminDisplayVersion, so
// "Version 14.3 (Build 123.4)" is 14.3.123.4 (SP3) whatever RU is installed.
func ParseBuild(s string) (Build, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Build{}, errors.New("empty build: " + buildWant)
	}
	m := buildNumericRE.FindStringSubmatch(t)
	if m == nil {
		m = buildAdminRE.FindStringSubmatch(t)
	}
	if m == nil {
		return Build{}, buildSyntaxError(s, t)
	}
	var n [4]int
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1]) // at most nine digits: cannot fail
	}
	b := Build{Major: n[0], Minor: n[1], Build: n[2], Revision: n[3]}
	if msg := buildCheckProduct(b); msg != "" {
		return Build{}, fmt.Errorf("invalid build %q: %s", s, msg)
	}
	return b, nil
}

// buildSyntaxError explains why t (s trimmed) is in neither accepted form,
// as specifically as it can.
func buildSyntaxError(s, t string) error {
	switch {
	case buildDottedRE.MatchString(t):
		parts := strings.Split(t, ".")
		for _, p := range parts {
			if len(p) > 9 {
				return fmt.Errorf("invalid build %q: number %s is too large", s, p)
			}
		}
		if len(parts) != 4 || slices.Contains(parts, "") {
			return fmt.Errorf(`invalid build %q: want four numbers like "14.3.123.4"`, s)
		}
	case len(t) >= len("version") && strings.EqualFold(t[:len("version")], "version"):
		return fmt.Errorf(`invalid build %q: want AdminDisplayVersion like "Version 14.3 (Build 123.4)"`, s)
	}
	return fmt.Errorf("invalid build %q: %s", s, buildWant)
}

// buildCheckProduct returns why b is not an Exchange 2007..2019 build, or "".
func buildCheckProduct(b Build) string {
	switch b.Major {
	case 8:
		if b.Minor > 3 {
			return fmt.Sprintf("8.%d is not an Exchange 2007 version (want 8.0 to 8.3)", b.Minor)
		}
	case 14:
		if b.Minor > 3 {
			return fmt.Sprintf("14.%d is not an Exchange 2010 version (want 14.0 to 14.3)", b.Minor)
		}
	case 15:
		if b.Minor > 2 {
			return fmt.Sprintf("15.%d is not an Exchange version (want 15.0, 15.1 or 15.2)", b.Minor)
		}
	default:
		return fmt.Sprintf("major version %d is not Exchange 2007 (8), 2010 (14) or 2013 to 2019 (15)", b.Major)
	}
	return ""
}

// MustBuild is ParseBuild for builds written in code; it panics on error.
func MustBuild(s string) Build {
	b, err := ParseBuild(s)
	if err != nil {
		panic(err)
	}
	return b
}

// String returns the build in dotted form without leading zeros, "14.3.123.4".
func (b Build) String() string {
	return fmt.Sprintf("%d.%d.%d.%d", b.Major, b.Minor, b.Build, b.Revision)
}

// IsZero reports whether b is the zero Build (not known).
func (b Build) IsZero() bool { return b == Build{} }

// Compare returns -1, 0 or +1 as b is older than, equal to or newer than o.
func (b Build) Compare(o Build) int {
	if c := cmp.Compare(b.Major, o.Major); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Minor, o.Minor); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Build, o.Build); c != 0 {
		return c
	}
	return cmp.Compare(b.Revision, o.Revision)
}

// Less reports whether b is older than o.
func (b Build) Less(o Build) bool { return b.Compare(o) < 0 }

// Version returns the product generation of b: 8.x is 2007, 14.x 2010, 15.0
// 2013, 15.1 2016 and 15.2 2019 (Subscription Edition, 15.2.2562 and later,
// included). Anything else is 0 (unknown).
func (b Build) Version() Version {
	switch b.Major {
	case 8:
		return V2007
	case 14:
		return V2010
	case 15:
		switch b.Minor {
		case 0:
			return V2013
		case 1:
			return V2016
		case 2:
			return V2019
		}
	}
	return 0
}

// IsSE reports whether b is Exchange Server Subscription Edition
// (15.2.2562 and later).
func (b Build) IsSE() bool { return buildIsSE(b) }

// IsSecurityUpdate reports whether the release is a security (SU) or
// hotfix (HU) update rather than an SP, RU or CU.
func (i BuildInfo) IsSecurityUpdate() bool { return buildIsSecurityUpdate(i.Update) }

// buildIsSE reports whether b is Exchange Server Subscription Edition.
func buildIsSE(b Build) bool {
	return b.Major == 15 && b.Minor == 2 && !b.Less(buildSEFirst)
}

// Name names b for people. An exact catalog hit gives the update's name,
// "Exchange 2010 SP3 RU19" or "Exchange 2016 CU23 Nov24SU"; any other build
// is placed between its catalog neighbours of the same product,
// "Exchange 2016 between CU22 Nov22SU and CU23 (15.1.2400.1)", or before the
// first ("Exchange 2016 before RTM (…)") or after the last known one
// ("Exchange 2016 after CU23 Oct25SU (…)").
func (b Build) Name() string {
	if info, ok := LookupBuild(b); ok {
		return info.Name()
	}
	v := b.Version()
	if v == 0 {
		if b.IsZero() {
			return "unknown build"
		}
		return "unknown Exchange build " + b.String()
	}
	label := "Exchange " + v.String()
	if buildIsSE(b) {
		label = "Exchange SE"
	}
	// update names a catalog entry relative to label.
	update := func(i BuildInfo) string {
		if label != "Exchange SE" {
			return i.Update
		}
		if rest, ok := strings.CutPrefix(i.Update, "SE "); ok {
			return rest
		}
		return i.Product.String() + " " + i.Update
	}
	// Products occupy contiguous runs of the sorted catalog.
	n, _ := slices.BinarySearchFunc(BuildCatalog, b, func(e BuildInfo, t Build) int {
		return e.Build.Compare(t)
	})
	var lo, hi *BuildInfo
	if n > 0 && BuildCatalog[n-1].Product == v {
		lo = &BuildCatalog[n-1]
	}
	if n < len(BuildCatalog) && BuildCatalog[n].Product == v {
		hi = &BuildCatalog[n]
	}
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%s between %s and %s (%s)", label, update(*lo), update(*hi), b)
	case hi != nil:
		return fmt.Sprintf("%s before %s (%s)", label, update(*hi), b)
	case lo != nil:
		return fmt.Sprintf("%s after %s (%s)", label, update(*lo), b)
	}
	return fmt.Sprintf("%s (%s)", label, b)
}

// BuildInfo is one entry of the build catalog: a released Exchange build.
type BuildInfo struct {
	Build   Build
	Product Version
	// Update names the release within the product: "RTM", "SP3", "SP3 RU19",
	// "CU23", "CU23 Nov24SU" (security update), "CU14 Apr25HU" (hotfix
	// update), "SE RTM" (Subscription Edition). A re-released update carries
	// its version: "SP3 RU8v2".
	Update string
	// Released is the ISO release date, "2017-12-19", or "" when not known.
	Released string
}

// Name returns the release's name, "Exchange 2010 SP3 RU19", "Exchange 2016
// CU23" or "Exchange SE RTM".
func (i BuildInfo) Name() string {
	if strings.HasPrefix(i.Update, "SE ") {
		return "Exchange " + i.Update
	}
	if i.Update == "" {
		return "Exchange " + i.Product.String()
	}
	return "Exchange " + i.Product.String() + " " + i.Update
}

// LookupBuild returns the catalog entry for exactly b.
func LookupBuild(b Build) (BuildInfo, bool) {
	n, ok := slices.BinarySearchFunc(BuildCatalog, b, func(e BuildInfo, t Build) int {
		return e.Build.Compare(t)
	})
	if !ok {
		return BuildInfo{}, false
	}
	return BuildCatalog[n], true
}

// buildAliases maps other names of an update to its catalog name, per product.
var buildAliases = map[Version]map[string]string{
	V2013: {"CU4": "SP1", "SP1 CU4": "SP1", "CU4 SP1": "SP1"},
}

// buildNormUpdate upper-cases an update name and collapses its spaces.
func buildNormUpdate(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), " "))
}

// BuildOf returns the build of a product's update, looked up in the catalog
// by name: BuildOf(V2010, "SP3 RU11") is 14.3.266.2. Names match without
// regard to case or spacing; Exchange 2013 "CU4" is "SP1"; a name without a
// re-release suffix also finds its first re-release when the original is not
// in the catalog ("SP3 RU8" finds 2010 "SP3 RU8v2").
func BuildOf(v Version, update string) (Build, bool) {
	want := buildNormUpdate(update)
	if want == "" {
		return Build{}, false
	}
	if alias, ok := buildAliases[v][want]; ok {
		want = alias
	}
	var rerelease *BuildInfo
	for i := range BuildCatalog {
		e := &BuildCatalog[i]
		if e.Product != v {
			continue
		}
		got := buildNormUpdate(e.Update)
		if got == want {
			return e.Build, true
		}
		if rest, ok := strings.CutPrefix(got, want+"V"); ok && rerelease == nil && buildDigits(rest) {
			rerelease = e
		}
	}
	if rerelease != nil {
		return rerelease.Build, true
	}
	return Build{}, false
}

// buildDigits reports whether s is a non-empty run of ASCII digits.
func buildDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// buildSecurityRE matches the last word of a security or hotfix update's
// name: "Mar23SU", "Nov24SUv2", "Apr25HU".
var buildSecurityRE = regexp.MustCompile(`^[A-Z][a-z]{2}[0-9]{2}(SU|HU)(v[0-9]+)?$`)

// buildIsSecurityUpdate reports whether update names a security update (SU)
// or hotfix update (HU) rather than an SP, RU or CU.
func buildIsSecurityUpdate(update string) bool {
	f := strings.Fields(update)
	return len(f) > 0 && buildSecurityRE.MatchString(f[len(f)-1])
}

// NextUpdate returns the first catalog entry of b's product that is newer
// than b and is a service pack, update rollup or cumulative update (not a
// security or hotfix update): the next servicing step for a server at b.
// For Exchange 2019 CU15 that is Subscription Edition RTM.
func NextUpdate(b Build) (BuildInfo, bool) {
	v := b.Version()
	if v == 0 {
		return BuildInfo{}, false
	}
	for _, e := range BuildCatalog {
		if e.Product == v && b.Less(e.Build) && !buildIsSecurityUpdate(e.Update) {
			return e, true
		}
	}
	return BuildInfo{}, false
}
