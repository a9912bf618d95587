package planner_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/coexist/coexist/planner"
)

// TestSamplesLifecycle: at their plan dates (22 November 2026) the five
// reference scenarios say which products are out of support: the
// migration's target version is a blocking finding that names Exchange
// Server SE, the versions being replaced are warnings, and so are the
// clients' Outlook and Windows versions past their end.
func TestSamplesLifecycle(t *testing.T) {
	tests := []struct {
		file string
		want []string // "severity ID subject" of every LIFE-* finding
	}{
		{"s1-contoso.toml", []string{
			"error LIFE-EXCHANGE Contoso",
			"warning LIFE-CLIENT-OS win10-outlook2016",
			"warning LIFE-EXCHANGE CAS2010-1", "warning LIFE-EXCHANGE CAS2010-2", "warning LIFE-EXCHANGE CAS2010-3", "warning LIFE-EXCHANGE CAS2010-3B",
			"warning LIFE-EXCHANGE MBX2010-1", "warning LIFE-EXCHANGE MBX2010-2", "warning LIFE-EXCHANGE MBX2010-3",
			"warning LIFE-OUTLOOK win10-outlook2016",
			"warning LIFE-WINDOWS CAS2010-1", "warning LIFE-WINDOWS CAS2010-2", "warning LIFE-WINDOWS CAS2010-3", "warning LIFE-WINDOWS CAS2010-3B",
			"warning LIFE-WINDOWS MBX2010-1", "warning LIFE-WINDOWS MBX2010-2", "warning LIFE-WINDOWS MBX2010-3",
			"warning LIFE-WINDOWS MBX2016-1", "warning LIFE-WINDOWS MBX2016-2", // Windows Server 2016 ends 2027-01-12
		}},
		{"s2-2007-2010.toml", []string{
			"error LIFE-EXCHANGE Contoso", "error LIFE-WINDOWS EX2010-01",
			"warning LIFE-CLIENT-OS win10-outlook2010",
			"warning LIFE-EXCHANGE EX2007-01",
			"warning LIFE-OUTLOOK win10-outlook2010",
			"warning LIFE-WINDOWS EX2007-01",
		}},
		{"s3-2013-2010.toml", []string{
			"error LIFE-EXCHANGE o365info", "error LIFE-WINDOWS Exc2013",
			"warning LIFE-CLIENT-OS win10-outlook2013", "warning LIFE-CLIENT-OS win7-outlook2003",
			"warning LIFE-EXCHANGE Exc2010", "warning LIFE-EXCHANGE Exc2010-BR", "warning LIFE-EXCHANGE Exc2010-Edge",
			"warning LIFE-OUTLOOK win10-outlook2013",
			"warning LIFE-WINDOWS Exc2010", "warning LIFE-WINDOWS Exc2010-BR", "warning LIFE-WINDOWS Exc2010-Edge",
		}},
		{"s4-2016-2010.toml", []string{
			"error LIFE-EXCHANGE Contoso",
			"warning LIFE-CLIENT-OS win10-outlook2016", "warning LIFE-CLIENT-OS win7-outlook2016",
			"warning LIFE-EXCHANGE EX2010",
			"warning LIFE-OUTLOOK win10-outlook2016", "warning LIFE-OUTLOOK win7-outlook2016",
			"warning LIFE-WINDOWS EX2010", "warning LIFE-WINDOWS EX2016-01", "warning LIFE-WINDOWS EX2016-02",
		}},
		{"s5-tls.toml", []string{
			"error LIFE-EXCHANGE Contoso",
			"warning LIFE-CLIENT-OS win10-m365", "warning LIFE-CLIENT-OS win7-outlook2013", "warning LIFE-CLIENT-OS win7-ready",
			"warning LIFE-EXCHANGE EX2010-01", "warning LIFE-EXCHANGE EX2010-02", "warning LIFE-EXCHANGE EX2013-01",
			"warning LIFE-OUTLOOK win7-outlook2013", "warning LIFE-OUTLOOK win7-ready",
			"warning LIFE-WINDOWS EX2010-01", "warning LIFE-WINDOWS EX2010-02", "warning LIFE-WINDOWS EX2013-01",
			"warning LIFE-WINDOWS EX2016-01", "warning LIFE-WINDOWS EX2016-02",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := plan(t, tt.file)
			if got := p.AsOf.Format("2006-01-02"); got != "2026-11-22" {
				t.Fatalf("plan date %s, want the sample's as_of 2026-11-22", got)
			}
			var got []string
			for _, f := range p.Findings {
				if !strings.HasPrefix(f.ID, "LIFE-") {
					continue
				}
				got = append(got, string(f.Severity)+" "+f.ID+" "+f.Subject)
				if f.Severity == planner.SevError && f.ID == "LIFE-EXCHANGE" && !strings.Contains(f.Message, "Exchange Server Subscription Edition (SE)") {
					t.Errorf("%s: the target's finding does not name the supported target: %s", f.Subject, f.Message)
				}
			}
			want := append([]string(nil), tt.want...)
			sort.Strings(got)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q,\nwant %q", got, want)
			}
			if p.Readiness() != planner.ReadinessNotReady {
				t.Errorf("readiness %q: a plan ending on an unsupported version is not ready", p.Readiness())
			}
		})
	}
}

// TestLifecycleCitesItsProduct: a lifecycle finding cites the Lifecycle
// page of the product it names (a server on Windows Server 2008 R2 cites
// the 2008 R2 page, not every release's), and the plan's bibliography
// lists no Lifecycle page of a product the estate does not run.
func TestLifecycleCitesItsProduct(t *testing.T) {
	products := map[string]string{} // source key → the product its page is about
	for _, file := range []string{"s1-contoso.toml", "s2-2007-2010.toml", "s3-2013-2010.toml", "s4-2016-2010.toml", "s5-tls.toml"} {
		p := plan(t, file)
		for _, f := range p.Findings {
			if !strings.HasPrefix(f.ID, "LIFE-") || f.ID == "LIFE-EXCHANGE-CU" {
				continue
			}
			var pages []string
			for _, k := range f.Sources {
				if strings.HasPrefix(k, "ms-lifecycle-") {
					pages = append(pages, k)
				}
			}
			if len(pages) != 1 {
				t.Errorf("%s: %s %s cites %d Lifecycle pages %q, want the one of its product", file, f.ID, f.Subject, len(pages), pages)
				continue
			}
			src := planner.SourcesOf(pages)
			if len(src) != 1 {
				t.Fatalf("%s is not in the registry", pages[0])
			}
			// "Windows Server 2008 R2 - Microsoft Lifecycle" is the
			// product the finding names.
			product := strings.TrimSuffix(src[0].Title, " - Microsoft Lifecycle")
			products[pages[0]] = product
			if !strings.Contains(f.Message, " "+lastWord(product)) || strings.HasSuffix(product, "R2") != strings.Contains(f.Message, lastWord(product)+" R2") {
				t.Errorf("%s: %s %s cites %q (%s) but says: %s", file, f.ID, f.Subject, pages[0], src[0].Title, f.Message)
			}
		}
		cited := map[string]bool{}
		for _, f := range p.Findings {
			for _, k := range f.Sources {
				cited[k] = true
			}
		}
		for _, s := range p.Bibliography().Entries {
			if strings.HasPrefix(s.Key, "ms-lifecycle-") && !cited[s.Key] {
				t.Errorf("%s: the bibliography lists %s, which no finding cites", file, s.Key)
			}
		}
	}
	if len(products) < 5 {
		t.Errorf("only %d Lifecycle pages cited across the samples: %v", len(products), products)
	}
}

// lastWord is the release in a product name: its last word with a digit
// ("2008" of "Windows Server 2008 R2", "10" of "Windows 10 Home and Pro").
func lastWord(s string) string {
	f := strings.Fields(s)
	for i := len(f) - 1; i >= 0; i-- {
		if f[i][0] >= '0' && f[i][0] <= '9' {
			return f[i]
		}
	}
	return f[len(f)-1]
}

// TestFindingSourcesAreTheRules: a finding cites its rule's sources or a
// part of them (Pass.ReportCiting), never a source the rule does not list,
// so docs/rules.md and `coexist rules --long` name every source a report
// can cite for that rule.
func TestFindingSourcesAreTheRules(t *testing.T) {
	for _, file := range []string{"s1-contoso.toml", "s2-2007-2010.toml", "s3-2013-2010.toml", "s4-2016-2010.toml", "s5-tls.toml"} {
		for _, f := range plan(t, file).Findings {
			r := planner.RuleByID(f.ID)
			if r == nil {
				t.Errorf("%s: finding %s has no rule", file, f.ID)
				continue
			}
			listed := map[string]bool{}
			for _, k := range r.Sources {
				listed[k] = true
			}
			if len(f.Sources) == 0 {
				t.Errorf("%s: %s %s cites nothing", file, f.ID, f.Subject)
			}
			for _, k := range f.Sources {
				if !listed[k] {
					t.Errorf("%s: %s %s cites %s, which rule %s does not list", file, f.ID, f.Subject, k, f.ID)
				}
			}
		}
	}
}
