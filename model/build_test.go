package model

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseBuild(t *testing.T) {
	tests := map[string]struct {
		in   string
		want Build
	}{
		"admin display version":          {"Version 14.3 (Build 123.4)", Build{14, 3, 123, 4}},
		"admin display version 2007":     {"Version 8.3 (Build 83.6)", Build{8, 3, 83, 6}},
		"admin display version 2016":     {"Version 15.1 (Build 2507.6)", Build{15, 1, 2507, 6}},
		"admin display version lower":    {"version 14.3 (build 123.4)", Build{14, 3, 123, 4}},
		"admin display version upper":    {"VERSION 15.2 (BUILD 1544.4)", Build{15, 2, 1544, 4}},
		"admin display version spaces":   {"  Version   14.3   (  Build   123.4  )  ", Build{14, 3, 123, 4}},
		"admin display version no space": {"Version 14.3(Build 123.4)", Build{14, 3, 123, 4}},
		"admin display version tab":      {"Version\t14.3 (Build\t123.4)", Build{14, 3, 123, 4}},
		"dotted":                         {"14.3.123.4", Build{14, 3, 123, 4}},
		"dotted leading zeros":           {"15.01.2507.006", Build{15, 1, 2507, 6}},
		"dotted leading zeros 2010":      {"14.03.0513.000", Build{14, 3, 513, 0}},
		"dotted 2016":                    {"15.1.2507.6", Build{15, 1, 2507, 6}},
		"dotted 2007":                    {"8.3.83.6", Build{8, 3, 83, 6}},
		"dotted 2007 leading zeros":      {"8.03.0083.006", Build{8, 3, 83, 6}},
		"dotted 2013":                    {"15.0.1497.48", Build{15, 0, 1497, 48}},
		"dotted subscription edition":    {"15.2.2562.17", Build{15, 2, 2562, 17}},
		"dotted surrounding spaces":      {" 15.2.1748.10 ", Build{15, 2, 1748, 10}},
		"dotted 2010 rtm":                {"14.0.639.21", Build{14, 0, 639, 21}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseBuild(tt.in)
			if err != nil {
				t.Fatalf("ParseBuild(%q): got error %v, want %v", tt.in, err, tt.want)
			}
			if got != tt.want {
				t.Errorf("ParseBuild(%q): got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseBuildErrors(t *testing.T) {
	const want = `want "Version 14.3 (Build 123.4)" or "14.3.123.4"`
	tests := map[string]struct {
		in   string
		want string
	}{
		"empty":             {"", `empty build: ` + want},
		"blank":             {"   ", `empty build: ` + want},
		"letter":            {"14.3.x", `invalid build "14.3.x": ` + want},
		"letter in full":    {"14.3.123.x", `invalid build "14.3.123.x": ` + want},
		"three parts":       {"14.3.123", `invalid build "14.3.123": want four numbers like "14.3.123.4"`},
		"five parts":        {"14.3.123.4.5", `invalid build "14.3.123.4.5": want four numbers like "14.3.123.4"`},
		"empty part":        {"14..123.4", `invalid build "14..123.4": want four numbers like "14.3.123.4"`},
		"trailing dot":      {"14.3.123.4.", `invalid build "14.3.123.4.": want four numbers like "14.3.123.4"`},
		"only major":        {"15", `invalid build "15": want four numbers like "14.3.123.4"`},
		"too large":         {"14.3.1234567890.4", `invalid build "14.3.1234567890.4": number 1234567890 is too large`},
		"negative":          {"-14.3.123.4", `invalid build "-14.3.123.4": ` + want},
		"commas":            {"15,1,2507,6", `invalid build "15,1,2507,6": ` + want},
		"trailing text":     {"14.3.123.4 SP3", `invalid build "14.3.123.4 SP3": ` + want},
		"v prefix":          {"v14.3.123.4", `invalid build "v14.3.123.4": ` + want},
		"build only":        {"Build 123.4", `invalid build "Build 123.4": ` + want},
		"friendly name":     {"Exchange 2010 SP3", `invalid build "Exchange 2010 SP3": ` + want},
		"non-ascii digits":  {"١٤.3.123.4", `invalid build "١٤.3.123.4": ` + want},
		"version no build":  {"Version 14.3", `invalid build "Version 14.3": want AdminDisplayVersion like "Version 14.3 (Build 123.4)"`},
		"version no parens": {"Version 14.3 Build 123.4", `invalid build "Version 14.3 Build 123.4": want AdminDisplayVersion like "Version 14.3 (Build 123.4)"`},
		"version short":     {"Version 14.3 (Build 123)", `invalid build "Version 14.3 (Build 123)": want AdminDisplayVersion like "Version 14.3 (Build 123.4)"`},
		"version unclosed":  {"Version 14.3 (Build 123.4", `invalid build "Version 14.3 (Build 123.4": want AdminDisplayVersion like "Version 14.3 (Build 123.4)"`},
		"version full build": {"Version 14.3 (Build 14.3.123.4)",
			`invalid build "Version 14.3 (Build 14.3.123.4)": want AdminDisplayVersion like "Version 14.3 (Build 123.4)"`},
		"exchange 2003":       {"6.5.7638.1", `invalid build "6.5.7638.1": major version 6 is not Exchange 2007 (8), 2010 (14) or 2013 to 2019 (15)`},
		"exchange 2007 beta":  {"12.0.1.1", `invalid build "12.0.1.1": major version 12 is not Exchange 2007 (8), 2010 (14) or 2013 to 2019 (15)`},
		"exchange online":     {"15.20.7000.1", `invalid build "15.20.7000.1": 15.20 is not an Exchange version (want 15.0, 15.1 or 15.2)`},
		"minor 15.3":          {"15.3.1.1", `invalid build "15.3.1.1": 15.3 is not an Exchange version (want 15.0, 15.1 or 15.2)`},
		"admin minor 15.3":    {"Version 15.3 (Build 1.1)", `invalid build "Version 15.3 (Build 1.1)": 15.3 is not an Exchange version (want 15.0, 15.1 or 15.2)`},
		"minor 14.4":          {"14.4.1.1", `invalid build "14.4.1.1": 14.4 is not an Exchange 2010 version (want 14.0 to 14.3)`},
		"minor 8.4":           {"8.4.1.1", `invalid build "8.4.1.1": 8.4 is not an Exchange 2007 version (want 8.0 to 8.3)`},
		"zero":                {"0.0.0.0", `invalid build "0.0.0.0": major version 0 is not Exchange 2007 (8), 2010 (14) or 2013 to 2019 (15)`},
		"admin exchange 2003": {"Version 6.5 (Build 7638.1)", `invalid build "Version 6.5 (Build 7638.1)": major version 6 is not Exchange 2007 (8), 2010 (14) or 2013 to 2019 (15)`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseBuild(tt.in)
			if err == nil {
				t.Fatalf("ParseBuild(%q): got %v, want error %q", tt.in, got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseBuild(%q): got error %q, want %q", tt.in, err, tt.want)
			}
			if !got.IsZero() {
				t.Errorf("ParseBuild(%q): got build %v with the error, want zero", tt.in, got)
			}
		})
	}
}

func TestMustBuild(t *testing.T) {
	t.Run("valid", func(t *testing.T) {
		if got, want := MustBuild("15.01.2507.006"), (Build{15, 1, 2507, 6}); got != want {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("invalid panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Errorf("MustBuild(%q): got no panic, want one", "bogus")
			}
		}()
		MustBuild("bogus")
	})
}

func TestBuildString(t *testing.T) {
	tests := map[string]struct {
		in   Build
		want string
	}{
		"zero":          {Build{}, "0.0.0.0"},
		"2010 sp3":      {Build{14, 3, 123, 4}, "14.3.123.4"},
		"leading zeros": {MustBuild("15.01.2507.006"), "15.1.2507.6"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBuildIsZero(t *testing.T) {
	tests := map[string]struct {
		in   Build
		want bool
	}{
		"zero":         {Build{}, true},
		"revision set": {Build{Revision: 1}, false},
		"real":         {Build{14, 3, 123, 4}, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.in.IsZero(); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBuildCompare(t *testing.T) {
	tests := map[string]struct {
		a, b string
		want int
	}{
		"equal":                  {"14.3.123.4", "14.3.123.4", 0},
		"equal leading zeros":    {"15.01.2507.006", "15.1.2507.6", 0},
		"admin equals dotted":    {"Version 14.3 (Build 123.4)", "14.3.123.4", 0},
		"major":                  {"8.3.517.0", "14.0.639.21", -1},
		"major reversed":         {"14.0.639.21", "8.3.517.0", 1},
		"minor":                  {"15.0.1497.48", "15.1.225.42", -1},
		"build numeric not text": {"14.3.99.0", "14.3.123.4", -1},
		"build":                  {"14.3.266.2", "14.3.146.0", 1},
		"revision numeric":       {"15.1.1591.10", "15.1.1591.9", 1},
		"revision":               {"15.1.2507.43", "15.1.2507.44", -1},
		"se after 2019 cu15":     {"15.2.2562.17", "15.2.1748.10", 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			a, b := MustBuild(tt.a), MustBuild(tt.b)
			if got := a.Compare(b); got != tt.want {
				t.Errorf("%v.Compare(%v): got %d, want %d", a, b, got, tt.want)
			}
			if got := b.Compare(a); got != -tt.want {
				t.Errorf("%v.Compare(%v): got %d, want %d", b, a, got, -tt.want)
			}
			if got := a.Less(b); got != (tt.want < 0) {
				t.Errorf("%v.Less(%v): got %v, want %v", a, b, got, tt.want < 0)
			}
		})
	}
}

func TestVersionString(t *testing.T) {
	tests := map[string]struct {
		in   Version
		want string
	}{
		"unknown": {0, "unknown"},
		"2007":    {V2007, "2007"},
		"2010":    {V2010, "2010"},
		"2013":    {V2013, "2013"},
		"2016":    {V2016, "2016"},
		"2019":    {V2019, "2019"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBuildVersion(t *testing.T) {
	tests := map[string]struct {
		in   Build
		want Version
	}{
		"2007 rtm":             {Build{8, 0, 685, 25}, V2007},
		"2007 sp3":             {Build{8, 3, 83, 6}, V2007},
		"2010 rtm":             {Build{14, 0, 639, 21}, V2010},
		"2010 sp3":             {Build{14, 3, 123, 4}, V2010},
		"2013":                 {Build{15, 0, 1497, 2}, V2013},
		"2016":                 {Build{15, 1, 2507, 6}, V2016},
		"2019":                 {Build{15, 2, 1748, 10}, V2019},
		"subscription edition": {Build{15, 2, 2562, 17}, V2019},
		"zero":                 {Build{}, 0},
		"2003":                 {Build{6, 5, 7638, 1}, 0},
		"15.3":                 {Build{15, 3, 1, 1}, 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.in.Version(); got != tt.want {
				t.Errorf("%v.Version(): got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// buildSection6 holds every build of coexistence-rules.md section 6 with the name
// the catalog must give it.
var buildSection6 = map[string]string{
	"8.2.176.2":    "Exchange 2007 SP2",
	"8.3.83.6":     "Exchange 2007 SP3",
	"8.3.298.3":    "Exchange 2007 SP3 RU10",
	"8.3.348.2":    "Exchange 2007 SP3 RU13",
	"8.3.517.0":    "Exchange 2007 SP3 RU23",
	"14.3.123.4":   "Exchange 2010 SP3",
	"14.3.146.0":   "Exchange 2010 SP3 RU1",
	"14.3.181.6":   "Exchange 2010 SP3 RU5",
	"14.3.235.1":   "Exchange 2010 SP3 RU9",
	"14.3.266.2":   "Exchange 2010 SP3 RU11",
	"14.3.382.0":   "Exchange 2010 SP3 RU19",
	"14.3.389.1":   "Exchange 2010 SP3 RU20",
	"14.3.411.0":   "Exchange 2010 SP3 RU22",
	"14.3.513.0":   "Exchange 2010 SP3 RU32",
	"15.0.712.24":  "Exchange 2013 CU2",
	"15.0.847.32":  "Exchange 2013 SP1",
	"15.0.1130.7":  "Exchange 2013 CU10",
	"15.0.1365.1":  "Exchange 2013 CU19",
	"15.0.1367.3":  "Exchange 2013 CU20",
	"15.0.1395.4":  "Exchange 2013 CU21",
	"15.0.1497.2":  "Exchange 2013 CU23",
	"15.0.1497.48": "Exchange 2013 CU23 Mar23SU",
	"15.1.225.42":  "Exchange 2016 RTM",
	"15.1.544.27":  "Exchange 2016 CU3",
	"15.1.1415.2":  "Exchange 2016 CU8",
	"15.1.1466.3":  "Exchange 2016 CU9",
	"15.1.1591.10": "Exchange 2016 CU11",
	"15.1.2375.7":  "Exchange 2016 CU22",
	"15.1.2507.6":  "Exchange 2016 CU23",
	"15.2.221.12":  "Exchange 2019 RTM",
	"15.2.986.5":   "Exchange 2019 CU11",
	"15.2.1118.7":  "Exchange 2019 CU12",
	"15.2.1258.12": "Exchange 2019 CU13",
	"15.2.1544.4":  "Exchange 2019 CU14",
	"15.2.1748.10": "Exchange 2019 CU15",
	"15.2.2562.17": "Exchange SE RTM",
}

func TestBuildNameSection6(t *testing.T) {
	for in, want := range buildSection6 {
		t.Run(in, func(t *testing.T) {
			b := MustBuild(in)
			if _, ok := LookupBuild(b); !ok {
				t.Fatalf("LookupBuild(%v): got no entry, want %q", b, want)
			}
			if got := b.Name(); got != want {
				t.Errorf("%v.Name(): got %q, want %q", b, got, want)
			}
		})
	}
}

func TestBuildName(t *testing.T) {
	tests := map[string]struct {
		in   string
		want string
	}{
		"exact security update":   {"15.1.2507.44", "Exchange 2016 CU23 Nov24SUv2"},
		"exact hotfix update":     {"15.2.1544.25", "Exchange 2019 CU14 Apr25HU"},
		"exact re-release":        {"14.3.224.2", "Exchange 2010 SP3 RU8v2"},
		"exact se security":       {"15.2.2562.20", "Exchange SE RTM Aug25SU"},
		"2010 ru32 admin display": {"Version 14.3 (Build 123.4)", "Exchange 2010 SP3"},
		"between 2016 cus":        {"15.1.2400.1", "Exchange 2016 between CU22 Nov22SU and CU23 (15.1.2400.1)"},
		"between 2016 cu22 sus":   {"15.1.2375.20", "Exchange 2016 between CU22 and CU22 Nov22SU (15.1.2375.20)"},
		"between 2010 rus":        {"14.3.200.0", "Exchange 2010 between SP3 RU6 and SP3 RU7 (14.3.200.0)"},
		"between 2010 sps":        {"14.1.438.0", "Exchange 2010 between SP1 and SP2 (14.1.438.0)"},
		"between 2013 cus":        {"15.0.1200.0", "Exchange 2013 between CU12 and CU13 (15.0.1200.0)"},
		"between 2007 rus":        {"8.3.300.0", "Exchange 2007 between SP3 RU10 and SP3 RU11 (8.3.300.0)"},
		"between 2019 and se":     {"15.2.2000.1", "Exchange 2019 between CU15 Oct25SU and SE RTM (15.2.2000.1)"},
		"se before rtm":           {"15.2.2562.1", "Exchange SE between 2019 CU15 Oct25SU and RTM (15.2.2562.1)"},
		"below 2007":              {"8.0.100.0", "Exchange 2007 before RTM (8.0.100.0)"},
		"below 2010":              {"14.0.100.0", "Exchange 2010 before RTM (14.0.100.0)"},
		"below 2013":              {"15.0.100.0", "Exchange 2013 before RTM (15.0.100.0)"},
		"below 2016 preview":      {"15.1.225.16", "Exchange 2016 before RTM (15.1.225.16)"},
		"below 2019 preview":      {"15.2.196.0", "Exchange 2019 before RTM (15.2.196.0)"},
		"above 2007":              {"8.3.600.0", "Exchange 2007 after SP3 RU23 (8.3.600.0)"},
		"above 2010":              {"14.3.600.0", "Exchange 2010 after SP3 RU32 (14.3.600.0)"},
		"above 2013":              {"15.0.1497.50", "Exchange 2013 after CU23 Mar23SU (15.0.1497.50)"},
		"above 2016":              {"15.1.2507.99", "Exchange 2016 after CU23 Oct25SU (15.1.2507.99)"},
		"above se":                {"15.2.2562.100", "Exchange SE after RTM Oct25SU (15.2.2562.100)"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			b := MustBuild(tt.in)
			if got := b.Name(); got != tt.want {
				t.Errorf("%v.Name(): got %q, want %q", b, got, tt.want)
			}
		})
	}
}

func TestBuildNameUnknown(t *testing.T) {
	tests := map[string]struct {
		in   Build
		want string
	}{
		"zero":          {Build{}, "unknown build"},
		"exchange 2003": {Build{6, 5, 7638, 1}, "unknown Exchange build 6.5.7638.1"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.in.Name(); got != tt.want {
				t.Errorf("%v.Name(): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBuildInfoName(t *testing.T) {
	tests := map[string]struct {
		in   BuildInfo
		want string
	}{
		"ru":        {BuildInfo{Product: V2010, Update: "SP3 RU19"}, "Exchange 2010 SP3 RU19"},
		"cu":        {BuildInfo{Product: V2016, Update: "CU23"}, "Exchange 2016 CU23"},
		"su":        {BuildInfo{Product: V2016, Update: "CU23 Nov24SU"}, "Exchange 2016 CU23 Nov24SU"},
		"se":        {BuildInfo{Product: V2019, Update: "SE RTM"}, "Exchange SE RTM"},
		"no update": {BuildInfo{Product: V2013}, "Exchange 2013"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.in.Name(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLookupBuild(t *testing.T) {
	tests := map[string]struct {
		in       string
		wantOK   bool
		wantDate string
	}{
		"2010 sp3 ru19": {"14.3.382.0", true, "2017-12-19"},
		"2016 cu23":     {"15.01.2507.006", true, "2022-04-20"},
		"unknown":       {"15.1.2400.1", false, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			b := MustBuild(tt.in)
			got, ok := LookupBuild(b)
			if ok != tt.wantOK {
				t.Fatalf("LookupBuild(%v): got ok %v, want %v", b, ok, tt.wantOK)
			}
			if got.Released != tt.wantDate {
				t.Errorf("LookupBuild(%v).Released: got %q, want %q", b, got.Released, tt.wantDate)
			}
			if ok && got.Build != b {
				t.Errorf("LookupBuild(%v).Build: got %v, want %v", b, got.Build, b)
			}
		})
	}
}

func TestBuildOf(t *testing.T) {
	tests := map[string]struct {
		v      Version
		update string
		want   string // "" = not found
	}{
		"2007 sp2":             {V2007, "SP2", "8.2.176.2"},
		"2007 sp3 ru10":        {V2007, "SP3 RU10", "8.3.298.3"},
		"2007 sp3 ru8 exact":   {V2007, "SP3 RU8", "8.3.279.3"},
		"2007 sp3 ru3 rerel":   {V2007, "SP3 RU3", "8.3.159.2"},
		"2010 sp3":             {V2010, "SP3", "14.3.123.4"},
		"2010 sp3 ru1":         {V2010, "SP3 RU1", "14.3.146.0"},
		"2010 sp3 ru11":        {V2010, "SP3 RU11", "14.3.266.2"},
		"2010 sp3 ru19":        {V2010, "SP3 RU19", "14.3.382.0"},
		"2010 sp3 ru20":        {V2010, "SP3 RU20", "14.3.389.1"},
		"2010 sp3 ru32":        {V2010, "SP3 RU32", "14.3.513.0"},
		"2010 sp3 ru8 rerel":   {V2010, "SP3 RU8", "14.3.224.2"},
		"2010 sp3 ru8v2":       {V2010, "SP3 RU8v2", "14.3.224.2"},
		"case and spaces":      {V2010, "  sp3   ru11 ", "14.3.266.2"},
		"2013 cu2":             {V2013, "CU2", "15.0.712.24"},
		"2013 sp1":             {V2013, "SP1", "15.0.847.32"},
		"2013 cu4 is sp1":      {V2013, "CU4", "15.0.847.32"},
		"2013 cu10":            {V2013, "CU10", "15.0.1130.7"},
		"2013 cu21":            {V2013, "CU21", "15.0.1395.4"},
		"2013 cu23 mar23su":    {V2013, "CU23 Mar23SU", "15.0.1497.48"},
		"2016 rtm":             {V2016, "RTM", "15.1.225.42"},
		"2016 cu11":            {V2016, "CU11", "15.1.1591.10"},
		"2016 cu23":            {V2016, "CU23", "15.1.2507.6"},
		"2016 cu23 nov24su":    {V2016, "CU23 Nov24SU", "15.1.2507.43"},
		"2019 rtm":             {V2019, "RTM", "15.2.221.12"},
		"2019 cu15":            {V2019, "CU15", "15.2.1748.10"},
		"se rtm":               {V2019, "SE RTM", "15.2.2562.17"},
		"wrong product":        {V2016, "SP3 RU11", ""},
		"2013 cu4 not in 2016": {V2016, "CU4 SP1", ""},
		"unknown update":       {V2016, "CU24", ""},
		"prefix is not a name": {V2010, "SP3 RU1v", ""},
		"empty":                {V2010, "", ""},
		"unknown version":      {0, "RTM", ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := BuildOf(tt.v, tt.update)
			if tt.want == "" {
				if ok {
					t.Errorf("BuildOf(%v, %q): got %v, want not found", tt.v, tt.update, got)
				}
				return
			}
			if !ok {
				t.Fatalf("BuildOf(%v, %q): got not found, want %s", tt.v, tt.update, tt.want)
			}
			if want := MustBuild(tt.want); got != want {
				t.Errorf("BuildOf(%v, %q): got %v, want %v", tt.v, tt.update, got, want)
			}
		})
	}
}

func TestBuildNextUpdate(t *testing.T) {
	tests := map[string]struct {
		in   string
		want string // update name, "" = none
	}{
		"2010 sp3 to ru1":           {"14.3.123.4", "SP3 RU1"},
		"2010 sp3 ru7 to ru8v2":     {"14.3.210.2", "SP3 RU8v2"},
		"2010 final":                {"14.3.513.0", ""},
		"2007 sp2 ru5 to sp3":       {"8.2.305.3", "SP3"},
		"2013 cu3 to sp1":           {"15.0.775.38", "SP1"},
		"2013 cu23 has none":        {"15.0.1497.2", ""},
		"2016 cu22 skips its su":    {"15.1.2375.7", "CU23"},
		"2016 unknown between":      {"15.1.2400.1", "CU23"},
		"2016 cu23 has none":        {"15.1.2507.6", ""},
		"2019 cu14 skips sus":       {"15.2.1544.4", "CU15"},
		"2019 cu15 to se":           {"15.2.1748.39", "SE RTM"},
		"below 2016 rtm":            {"15.1.100.0", "RTM"},
		"subscription edition none": {"15.2.2562.17", ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			b := MustBuild(tt.in)
			got, ok := NextUpdate(b)
			if tt.want == "" {
				if ok {
					t.Errorf("NextUpdate(%v): got %q, want none", b, got.Update)
				}
				return
			}
			if !ok || got.Update != tt.want {
				t.Errorf("NextUpdate(%v): got %q (ok %v), want %q", b, got.Update, ok, tt.want)
			}
		})
	}
	t.Run("zero build", func(t *testing.T) {
		if got, ok := NextUpdate(Build{}); ok {
			t.Errorf("NextUpdate(zero): got %q, want none", got.Update)
		}
	})
}

// TestBuildCatalog checks the literal table: strictly ascending (so sorted
// and without duplicate builds), each build valid and of its entry's product,
// update names unique per product, dates ISO.
func TestBuildCatalog(t *testing.T) {
	if len(BuildCatalog) == 0 {
		t.Fatal("got empty BuildCatalog, want entries")
	}
	seen := map[Version]map[string]Build{}
	for i, e := range BuildCatalog {
		if i > 0 {
			if prev := BuildCatalog[i-1]; !prev.Build.Less(e.Build) {
				t.Errorf("entry %d %s (%v) after %s (%v): got out of order or duplicate, want ascending",
					i, e.Name(), e.Build, prev.Name(), prev.Build)
			}
		}
		if b, err := ParseBuild(e.Build.String()); err != nil || b != e.Build {
			t.Errorf("entry %d %v: got ParseBuild error %v, want a valid build", i, e.Build, err)
		}
		if got := e.Build.Version(); got != e.Product {
			t.Errorf("entry %d %v %q: got product %v, want %v (from the build)", i, e.Build, e.Update, e.Product, got)
		}
		if strings.TrimSpace(e.Update) != e.Update || e.Update == "" || strings.Contains(e.Update, "  ") {
			t.Errorf("entry %d %v: got update %q, want a trimmed non-empty name", i, e.Build, e.Update)
		}
		if seen[e.Product] == nil {
			seen[e.Product] = map[string]Build{}
		}
		key := buildNormUpdate(e.Update)
		if prev, dup := seen[e.Product][key]; dup {
			t.Errorf("entry %d %v: got update %q again (also %v), want unique per product", i, e.Build, e.Update, prev)
		}
		seen[e.Product][key] = e.Build
		if e.Released != "" {
			if _, err := time.Parse(time.DateOnly, e.Released); err != nil {
				t.Errorf("entry %d %v: got released %q, want YYYY-MM-DD", i, e.Build, e.Released)
			}
		}
		if se := strings.HasPrefix(e.Update, "SE "); se != buildIsSE(e.Build) {
			t.Errorf("entry %d %v: got update %q, want the SE prefix exactly on Subscription Edition builds", i, e.Build, e.Update)
		}
	}
}

// TestBuildCatalogCoverage checks that every SP, RU and CU the planner needs
// is in the catalog with a release date.
func TestBuildCatalogCoverage(t *testing.T) {
	var want []struct {
		v Version
		u string
	}
	add := func(v Version, names ...string) {
		for _, u := range names {
			want = append(want, struct {
				v Version
				u string
			}{v, u})
		}
	}
	add(V2007, "SP1", "SP2", "SP3")
	add(V2010, "RTM", "SP1", "SP2", "SP3")
	add(V2013, "RTM", "SP1")
	add(V2016, "RTM")
	add(V2019, "RTM", "SE RTM")
	for i := 1; i <= 23; i++ {
		add(V2007, "SP3 RU"+strconv.Itoa(i))
		add(V2016, "CU"+strconv.Itoa(i))
		if i != 4 {
			add(V2013, "CU"+strconv.Itoa(i))
		}
	}
	for i := 1; i <= 32; i++ {
		add(V2010, "SP3 RU"+strconv.Itoa(i))
	}
	for i := 1; i <= 15; i++ {
		add(V2019, "CU"+strconv.Itoa(i))
	}
	for _, w := range want {
		t.Run(w.v.String()+" "+w.u, func(t *testing.T) {
			b, ok := BuildOf(w.v, w.u)
			if !ok {
				t.Fatalf("BuildOf(%v, %q): got not found, want a catalog entry", w.v, w.u)
			}
			info, _ := LookupBuild(b)
			if info.Released == "" && !(w.v == V2007 && w.u == "SP3 RU18") {
				t.Errorf("%s: got no release date, want one", info.Name())
			}
		})
	}
}
