package planner

import (
	"testing"

	"github.com/coexist/coexist/model"
)

func TestNameMatches(t *testing.T) {
	tests := []struct {
		pattern, host string
		want          bool
	}{
		{"mail.contoso.com", "MAIL.contoso.com", true},
		{"*.contoso.com", "mail.contoso.com", true},
		{"*.contoso.com", "contoso.com", false},
		{"*.contoso.com", "a.b.contoso.com", false},
		{"*.contoso.com", "mail.fabrikam.com", false},
		{"mail.contoso.com", "mail2.contoso.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.host, func(t *testing.T) {
			if got := nameMatches(tt.pattern, tt.host); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if got, want := subjectCN("O=Contoso, CN=*.contoso.com, C=US"), "*.contoso.com"; got != want {
		t.Errorf("subjectCN: got %q, want %q", got, want)
	}
}

func TestCertSAN(t *testing.T) {
	runCases(t, ruleCertSAN, []ruleCase{
		{name: "covered"},
		{name: "autodiscover missing", edit: func(inv *model.Inventory) { inv.Certificates[0].SANs = []string{"mail.contoso.com"} },
			want: []string{"error CERT-SAN EX2016"},
			contains: []string{"does not cover autodiscover.contoso.com (Autodiscover)",
				`-DomainName 'mail.contoso.com','autodiscover.contoso.com'`}},
		{name: "wildcard covers", edit: func(inv *model.Inventory) {
			inv.Certificates[0].SANs = []string{"*.contoso.com"}
		}},
		{name: "internal URL on the server FQDN", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").OWA.InternalURL = "https://ex2010.contoso.com/owa"
		}, want: []string{"error CERT-SAN EX2010"}, contains: []string{"ex2010.contoso.com (EX2010's OWA InternalUrl)"}},
		{name: "no IIS certificate recorded", edit: func(inv *model.Inventory) { inv.Certificates[0].Services = []string{"SMTP"} },
			want: []string{"warning CERT-SAN EX2016"}},
		{name: "no certificates at all: not checked", edit: func(inv *model.Inventory) { inv.Certificates = nil }},
		{name: "redirect hop of a computed path", pass: func(p *Pass) {
			p.Cohorts[0].Paths = append(p.Cohorts[0].Paths, Path{Protocol: "owa", Location: "external", Hops: []Hop{
				{From: "client", To: "EX2016", Host: "mail.contoso.com", Action: ActConnect},
				{From: "EX2016", To: "EX2010", Host: "legacy.contoso.com", Action: ActRedirectSilent},
			}})
		}, want: []string{"error CERT-SAN EX2010"}, contains: []string{"legacy.contoso.com (the external owa path (redirect-silent))"}},
		{name: "proxy hops and RPC/TCP do not count", pass: func(p *Pass) {
			p.Cohorts[0].Paths = append(p.Cohorts[0].Paths,
				Path{Protocol: "owa", Location: "internal", Hops: []Hop{{From: "EX2016", To: "EX2010", Host: "ex2010.contoso.com", Action: ActProxy}}},
				Path{Protocol: "rpc-tcp", Location: "internal", Hops: []Hop{{From: "client", To: "EX2010", Host: "outlook.contoso.com", Action: ActConnect}}})
		}},
	})
}

// add2007 adds an Exchange 2007 CAS with an OWA ExternalUrl.
func add2007(inv *model.Inventory, extURL string) {
	s := addServer(inv, "EX2007", "8.3.517.0", "ClientAccess", "Mailbox")
	s.OWA.ExternalURL = extURL
}

func TestCertLegacy(t *testing.T) {
	legacyNS := func(inv *model.Inventory) {
		inv.Namespaces = append(inv.Namespaces, model.Namespace{FQDN: "legacy.contoso.com", Internal: []string{"EX2007"}, External: []string{"EX2007"}})
	}
	runCases(t, ruleCertLegacy, []ruleCase{
		{name: "no 2007"},
		{name: "legacy namespace in place", edit: func(inv *model.Inventory) {
			add2007(inv, "https://legacy.contoso.com/owa")
			legacyNS(inv)
			inv.Certificates = append(inv.Certificates, model.Certificate{Thumbprint: "EE77", Subject: "CN=legacy.contoso.com",
				SANs: []string{"legacy.contoso.com"}, NotAfter: "2028-01-01", Services: []string{"IIS"}, Servers: []string{"EX2007"}})
		}},
		{name: "not in DNS", edit: func(inv *model.Inventory) { add2007(inv, "https://legacy.contoso.com/owa") },
			want: []string{"error CERT-LEGACY EX2007"}, contains: []string{"does not resolve for external clients"}},
		{name: "same as the new namespace", edit: func(inv *model.Inventory) { add2007(inv, "https://mail.contoso.com/owa") },
			want: []string{"error CERT-LEGACY EX2007"}, contains: []string{"resolves to EX2016 (Exchange 2016)", "legacy.contoso.com"}},
		{name: "not on the certificate", edit: func(inv *model.Inventory) {
			add2007(inv, "https://legacy.contoso.com/owa")
			legacyNS(inv)
			inv.Certificates[0].Servers = append(inv.Certificates[0].Servers, "EX2007")
		}, want: []string{"error CERT-LEGACY EX2007"}, contains: []string{"is not on EX2007's IIS certificate"}},
		{name: "no legacy namespace with 2013+", edit: func(inv *model.Inventory) { add2007(inv, "") },
			want:     []string{"error CERT-LEGACY Contoso"},
			contains: []string{"no legacy namespace", `Set-OwaVirtualDirectory -Identity 'EX2007\owa (Default Web Site)' -ExternalUrl 'https://legacy.contoso.com/owa'`}},
	})
}

func TestCertExpiry(t *testing.T) {
	runCases(t, ruleCertExpiry, []ruleCase{
		{name: "valid past the cutover"},
		{name: "expired", edit: func(inv *model.Inventory) { inv.Certificates[0].NotAfter = "2025-12-01" },
			want: []string{"error CERT-EXPIRY AA11BB22CC33"}, contains: []string{"expired on 2025-12-01", "-Thumbprint 'AA11BB22CC33'"}},
		{name: "before the cutover", edit: func(inv *model.Inventory) { inv.Certificates[0].NotAfter = "2026-05-01" },
			want: []string{"warning CERT-EXPIRY AA11BB22CC33"}, contains: []string{"before the planned cutover on 2026-06-30", "120 days after 2026-01-01"}},
		{name: "within 60 days, no cutover", edit: func(inv *model.Inventory) {
			inv.Organization.CutoverDate = ""
			inv.Certificates[0].NotAfter = "2026-02-15"
		}, want: []string{"warning CERT-EXPIRY AA11BB22CC33"}, contains: []string{"in 45 days"}},
		{name: "beyond 60 days, no cutover", edit: func(inv *model.Inventory) {
			inv.Organization.CutoverDate = ""
			inv.Certificates[0].NotAfter = "2026-04-15"
		}},
	})
}

func TestCertSHA512(t *testing.T) {
	runCases(t, ruleCertSHA512, []ruleCase{
		{name: "sha256"},
		{name: "sha512 on 2012 R2 without the update", edit: func(inv *model.Inventory) { inv.Certificates[0].SignatureAlgorithm = "sha512RSA" },
			want: []string{"error CERT-SHA512 EX2010"}, contains: []string{"lacks KB2973337", "Install KB2973337."}},
		{name: "sha512 with the update", edit: func(inv *model.Inventory) {
			inv.Certificates[0].SignatureAlgorithm = "sha512RSA"
			s := srv(inv, "EX2010")
			s.InstalledUpdates = append(s.InstalledUpdates, "KB2973337")
		}},
	})
}

func TestAuthExprWildcard(t *testing.T) {
	wildcard := func(inv *model.Inventory) {
		inv.Certificates[0].Subject = "CN=*.contoso.com, O=Contoso"
		inv.Certificates[0].SANs = []string{"*.contoso.com", "contoso.com"}
	}
	runCases(t, ruleAuthExprWildcard, []ruleCase{
		{name: "SAN certificate"},
		{name: "wildcard without principal name", edit: wildcard,
			want:     []string{"warning AUTH-EXPR-WILDCARD Contoso"},
			contains: []string{"Set-OutlookProvider EXPR -CertPrincipalName 'msstd:*.contoso.com'", "is not set"}},
		{name: "wildcard with principal name", edit: func(inv *model.Inventory) {
			wildcard(inv)
			inv.OutlookProviders[0].CertPrincipalName = "msstd:*.contoso.com"
		}},
		{name: "wildcard with the host name as principal", edit: func(inv *model.Inventory) {
			wildcard(inv)
			inv.OutlookProviders[0].CertPrincipalName = "msstd:mail.contoso.com"
		}, want: []string{"warning AUTH-EXPR-WILDCARD Contoso"}, contains: []string{"is msstd:mail.contoso.com"}},
		{name: "no EXPR provider recorded counts as not set", edit: func(inv *model.Inventory) {
			wildcard(inv)
			inv.OutlookProviders = nil
		}, want: []string{"warning AUTH-EXPR-WILDCARD Contoso"}},
	})
}
