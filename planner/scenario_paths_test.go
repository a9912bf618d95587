package planner_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

// plan loads sample files (relative to samples/) and plans them.
func plan(t *testing.T, files ...string) *planner.Plan {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join("..", "samples", f))
	}
	inv, _, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatalf("load %v: %v", files, err)
	}
	return planner.Run(inv, planner.Options{})
}

// planAt plans sample files as of date (YYYY-MM-DD) instead of their
// organization.as_of.
func planAt(t *testing.T, date string, files ...string) *planner.Plan {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join("..", "samples", f))
	}
	inv, _, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatalf("load %v: %v", files, err)
	}
	at, err := model.ParseDate(date)
	if err != nil {
		t.Fatal(err)
	}
	return planner.Run(inv, planner.Options{AsOf: at})
}

// find returns a user's path for protocol and location (secondary "" for
// the own mailbox).
func find(t *testing.T, p *planner.Plan, user, proto, loc, secondary string) planner.Path {
	return findEntry(t, p, user, proto, loc, secondary, "")
}

// findEntry also selects the entry host of a regional user's extra path.
func findEntry(t *testing.T, p *planner.Plan, user, proto, loc, secondary, entry string) planner.Path {
	t.Helper()
	for row, m := range p.Inv.Mailboxes {
		if model.Key(m.Name) != model.Key(user) {
			continue
		}
		for _, pa := range p.CohortOf(row).Paths {
			if pa.Protocol == proto && pa.Location == loc && pa.Secondary == secondary && pa.Entry == entry {
				return pa
			}
		}
	}
	t.Fatalf("no %s %s path for %s (secondary %q)", proto, loc, user, secondary)
	return planner.Path{}
}

// hops renders hops compactly: "client>MBX2016-1@mail.contoso.com:connect/fba".
func hops(pa planner.Path) string {
	var parts []string
	for _, h := range pa.Hops {
		parts = append(parts, fmt.Sprintf("%s>%s@%s:%s/%s", h.From, h.To, h.Host, h.Action, h.Auth))
	}
	return strings.Join(parts, " ")
}

type pathCase struct {
	user, proto, loc, secondary string
	entry                       string
	outcome                     string
	hops                        string // exact, or "" to skip
	contains                    []string
	finding                     string // a rule ID the path must carry
}

func checkPaths(t *testing.T, p *planner.Plan, cases []pathCase) {
	t.Helper()
	for _, c := range cases {
		name := strings.Join([]string{c.user, c.proto, c.loc, c.secondary, c.entry}, "/")
		t.Run(name, func(t *testing.T) {
			pa := findEntry(t, p, c.user, c.proto, c.loc, c.secondary, c.entry)
			if pa.Outcome != c.outcome {
				t.Errorf("outcome: got %s, want %s\n%s\nnotes: %s", pa.Outcome, c.outcome, hops(pa), strings.Join(pa.Notes, "\n  "))
			}
			if c.hops != "" && hops(pa) != c.hops {
				t.Errorf("hops:\n got  %s\n want %s", hops(pa), c.hops)
			}
			for _, s := range c.contains {
				if !strings.Contains(hops(pa), s) {
					t.Errorf("hops %s: want them to contain %q", hops(pa), s)
				}
			}
			if c.finding != "" {
				checkRule(t, pa, c.finding)
			}
		})
	}
}

// S1: Contoso, 2016 has taken mail.contoso.com and autodiscover.contoso.com.
func TestScenarioS1Paths(t *testing.T) {
	p := plan(t, "s1-contoso.toml")
	checkPaths(t, p, []pathCase{
		// Autodiscover
		{user: "red", proto: "autodiscover", loc: "external", outcome: "ok",
			hops: "client>LB1@autodiscover.contoso.com:connect/ntlm LB1>MBX2016-1@mbx2016-1.contoso.com:balance/ntlm MBX2016-1>CAS2010-1@cas2010-1.contoso.com:proxy/kerberos"},
		{user: "blue", proto: "autodiscover", loc: "external", outcome: "ok", contains: []string{"MBX2016-1>CAS2010-3@cas2010-3.contoso.com:proxy"}},
		{user: "orange", proto: "autodiscover", loc: "external", outcome: "ok", contains: []string{"MBX2016-1>CAS2010-2@cas2010-2.contoso.com:proxy"}},
		{user: "purple", proto: "autodiscover", loc: "external", outcome: "ok", contains: []string{"client>LB1@autodiscover.contoso.com:connect", "LB1>MBX2016-"}},
		// Outlook
		{user: "red", proto: "outlook-anywhere", loc: "external", outcome: "ok", finding: "AUTH-LEGACY-NTLM",
			hops: "client>LB1@mail.contoso.com:connect/ntlm LB1>MBX2016-1@mbx2016-1.contoso.com:balance/ntlm MBX2016-1>CAS2010-1@cas2010-1.contoso.com:proxy/kerberos CAS2010-1>MBX2010-1@mbx2010-1.contoso.com:rpc/kerberos"},
		{user: "blue", proto: "outlook-anywhere", loc: "external", outcome: "ok", contains: []string{"client>LB1@mail.contoso.com:connect", "LB1>MBX2016-1@mbx2016-1.contoso.com:balance", "MBX2016-1>CAS2010-3@cas2010-3.contoso.com:proxy"}},
		{user: "orange", proto: "outlook-anywhere", loc: "external", outcome: "ok",
			hops: "client>CAS2010-2@mail-region.contoso.com:direct/ntlm CAS2010-2>MBX2010-2@mbx2010-2.contoso.com:rpc/kerberos"},
		{user: "purple", proto: "outlook-anywhere", loc: "external", outcome: "ok", contains: []string{"@mail.contoso.com:connect"}},
		{user: "purple", proto: "mapi-http", loc: "internal", outcome: "ok", contains: []string{"client>MBX2016-1@mail.contoso.com:connect"}},
		{user: "red", proto: "mapi-http", loc: "external", outcome: "not-applicable", finding: "PATH-MAPI-LEGACY"},
		// OWA
		{user: "red", proto: "owa", loc: "external", outcome: "ok", contains: []string{"MBX2016-1>CAS2010-1@cas2010-1.contoso.com:proxy/kerberos"}},
		{user: "blue", proto: "owa", loc: "external", outcome: "ok", contains: []string{"MBX2016-1>CAS2010-3@cas2010-3.contoso.com:proxy"}},
		{user: "orange", proto: "owa", loc: "external", entry: "mail.contoso.com", outcome: "ok", finding: "AUTH-FBA-SSO",
			hops: "client>LB1@mail.contoso.com:connect/fba LB1>MBX2016-1@mbx2016-1.contoso.com:balance/fba MBX2016-1>CAS2010-2@mail-region.contoso.com:redirect-silent/fba"},
		{user: "orange", proto: "owa", loc: "external", outcome: "ok",
			hops: "client>CAS2010-2@mail-region.contoso.com:connect/fba CAS2010-2>MBX2010-2@mbx2010-2.contoso.com:rpc/kerberos"},
		// EAS: never 451 from 2016
		{user: "red", proto: "eas", loc: "external", outcome: "ok", contains: []string{"MBX2016-1>CAS2010-1@cas2010-1.contoso.com:proxy"}},
		{user: "blue", proto: "eas", loc: "external", outcome: "ok", contains: []string{"MBX2016-1>CAS2010-3@cas2010-3.contoso.com:proxy"}},
		{user: "orange", proto: "eas", loc: "external", entry: "mail.contoso.com", outcome: "ok", finding: "PATH-2D-EAS", contains: []string{"MBX2016-1>CAS2010-2@cas2010-2.contoso.com:proxy"}},
		{user: "orange", proto: "eas", loc: "external", outcome: "ok", hops: "client>CAS2010-2@mail-region.contoso.com:connect/basic CAS2010-2>MBX2010-2@mbx2010-2.contoso.com:rpc/kerberos"},
		// EWS
		{user: "red", proto: "ews", loc: "external", outcome: "ok", contains: []string{"client>LB1@mail.contoso.com", "LB1>MBX2016-1@mbx2016-1.contoso.com:balance", "MBX2016-1>CAS2010-1@cas2010-1.contoso.com:proxy"}},
		{user: "blue", proto: "ews", loc: "external", outcome: "ok", contains: []string{"client>LB1@mail.contoso.com", "LB1>MBX2016-1@mbx2016-1.contoso.com:balance", "MBX2016-1>CAS2010-3@cas2010-3.contoso.com:proxy"}},
		{user: "orange", proto: "ews", loc: "external", outcome: "ok", contains: []string{"client>CAS2010-2@mail-region.contoso.com:direct"}},
		// OAB: proxied to a distribution point in the front door's own
		// site, which serves the files (no mailbox hop). The sample's OAB
		// is generated only on 2016, which 2010 distribution points cannot
		// serve: a warning on every 2010 user's OAB path.
		{user: "blue", proto: "oab", loc: "external", outcome: "warning", finding: "PATH-OAB-GEN",
			hops: "client>LB1@mail.contoso.com:connect/ntlm LB1>MBX2016-1@mbx2016-1.contoso.com:balance/ntlm MBX2016-1>CAS2010-1@cas2010-1.contoso.com:proxy/kerberos"},
		{user: "orange", proto: "oab", loc: "external", outcome: "warning", finding: "PATH-OAB-GEN",
			hops: "client>CAS2010-2@mail-region.contoso.com:direct/ntlm"},
		{user: "purple", proto: "oab", loc: "external", outcome: "ok", contains: []string{"MBX2016-1"}},
		// POP with a load-balanced InternalConnectionSettings name that
		// now resolves to 2016: the proxied session loops back to 2016.
		{user: "red", proto: "pop3", loc: "external", outcome: "broken", finding: "NS-POPIMAP-FQDN",
			hops: "client>LB1@mail.contoso.com:connect/basic LB1>MBX2016-1@mbx2016-1.contoso.com:balance/basic MBX2016-1>MBX2016-1@mail.contoso.com:proxy/basic"},
		{user: "red", proto: "pop3", loc: "internal", outcome: "broken", finding: "NS-POPIMAP-FQDN"},
		{user: "red", proto: "imap4", loc: "external", outcome: "ok", contains: []string{"MBX2016-1>CAS2010-1@cas2010-1.contoso.com:proxy/basic"}},
		// MAPI blocked at LB1 externally: "otherwise client connectivity
		// will fail" (seed 004), as the NS-MAPI-LB error finding says.
		{user: "purple", proto: "mapi-http", loc: "external", outcome: "broken", finding: "NS-MAPI-LB"},
	})
	// No EAS path of any user is a 451 redirect from 2016.
	for _, co := range p.Cohorts {
		for _, pa := range co.Paths {
			for _, h := range pa.Hops {
				if h.Action == planner.ActRedirect451 {
					t.Errorf("EAS 451 from %s in cohort %d: 2016 never sends 451", h.From, co.ID)
				}
			}
		}
	}
	// Blue's site has an out-of-service CAS; it is never a proxy target.
	for _, co := range p.Cohorts {
		for _, pa := range co.Paths {
			if strings.Contains(hops(pa), ">CAS2010-3B@") {
				t.Errorf("out-of-service CAS2010-3B used: %s", hops(pa))
			}
		}
	}
}

// S1 before the move: Orange's regional paths are unchanged; a 2016
// mailbox behind a 2010 front door is broken.
func TestScenarioS1Before(t *testing.T) {
	after := plan(t, "s1-contoso.toml")
	before := plan(t, "s1-contoso.toml", "variants/s1-before.toml")
	for _, proto := range []string{"outlook-anywhere", "ews", "oab"} {
		a, b := find(t, after, "orange", proto, "external", ""), find(t, before, "orange", proto, "external", "")
		if hops(a) != hops(b) {
			t.Errorf("orange %s changed:\n before %s\n after  %s", proto, hops(b), hops(a))
		}
	}
	checkPaths(t, before, []pathCase{
		{user: "red", proto: "owa", loc: "external", outcome: "ok", hops: "client>CAS2010-1@mail.contoso.com:connect/fba CAS2010-1>MBX2010-1@mbx2010-1.contoso.com:rpc/kerberos"},
		{user: "purple", proto: "owa", loc: "external", outcome: "broken", finding: "PATH-VERSION-DIRECTION"},
		// 2010 does not proxy OAB cross-site: CAS2010-1 distributes the
		// OAB and serves blue's download itself.
		{user: "blue", proto: "oab", loc: "external", outcome: "warning", finding: "PATH-OAB-GEN",
			hops: "client>CAS2010-1@mail.contoso.com:connect/ntlm"},
		// seed 004: CAS2010 in Site1 de-encapsulates the RPC data and
		// proxies it to the 2010 CAS in the mailbox's site (audit #1).
		{user: "blue", proto: "outlook-anywhere", loc: "external", outcome: "ok", finding: "PATH-2010-OA",
			hops: "client>CAS2010-1@mail.contoso.com:connect/ntlm CAS2010-1>CAS2010-3@cas2010-3.contoso.com:rpc/kerberos CAS2010-3>MBX2010-3@mbx2010-3.contoso.com:rpc/kerberos"},
		{user: "red", proto: "outlook-anywhere", loc: "external", outcome: "ok", finding: "PATH-2010-OA",
			hops: "client>CAS2010-1@mail.contoso.com:connect/ntlm CAS2010-1>MBX2010-1@mbx2010-1.contoso.com:rpc/kerberos"},
	})
}

// S1 with POP3 stopped on a Site3 CAS (testdata/audit/E*): Exchange 2016
// does not health-check POP/IMAP targets, so a stopped service on any
// eligible CAS of the mailbox's site is a warning, and on every one of them
// the path is broken.
func TestScenarioS1PopStopped(t *testing.T) {
	for _, c := range []struct {
		overlay, outcome, hops string
	}{
		{"E1-pop-stopped-first.toml", "broken", "MBX2016-1>CAS2010-3@cas2010-3.contoso.com:proxy/basic"},
		{"E2-pop-stopped-second.toml", "warning", "MBX2016-1>CAS2010-3@cas2010-3.contoso.com:proxy/basic"},
		{"E3-pop-stopped-first-both-in-service.toml", "warning", "MBX2016-1>CAS2010-3B@cas2010-3b.contoso.com:proxy/basic"},
	} {
		t.Run(c.overlay, func(t *testing.T) {
			p := plan(t, "s1-contoso.toml", "../testdata/audit/"+c.overlay)
			checkPaths(t, p, []pathCase{
				{user: "blue", proto: "pop3", loc: "internal", outcome: c.outcome, contains: []string{c.hops}, finding: "NS-POPIMAP-FQDN"},
				{user: "blue", proto: "imap4", loc: "internal", outcome: "ok"},
			})
		})
	}
}

// S2: 2007 and 2010 Outlook Anywhere endpoints side by side.
func TestScenarioS2Paths(t *testing.T) {
	p := plan(t, "s2-2007-2010.toml")
	checkPaths(t, p, []pathCase{
		{user: "amy", proto: "outlook-anywhere", loc: "external", outcome: "ok", hops: "client>EX2007-01@legacy.contoso.com:direct/ntlm"},
		{user: "ben", proto: "outlook-anywhere", loc: "external", outcome: "ok", hops: "client>EX2010-01@mail.contoso.com:connect/ntlm"},
		{user: "amy", proto: "autodiscover", loc: "external", outcome: "ok", hops: "client>EX2010-01@autodiscover.contoso.com:connect/ntlm"},
		{user: "ben", proto: "autodiscover", loc: "external", outcome: "ok", hops: "client>EX2010-01@autodiscover.contoso.com:connect/ntlm"},
		{user: "amy", proto: "owa", loc: "external", outcome: "ok", finding: "PATH-2A-OWA", contains: []string{"EX2010-01>EX2007-01@legacy.contoso.com:redirect-silent"}},
		{user: "amy", proto: "ecp", loc: "external", outcome: "not-applicable"},
		{user: "amy", proto: "rpc-tcp", loc: "internal", outcome: "ok", hops: "client>EX2007-01@ex2007-01.contoso.com:direct/negotiate"},
	})
	b := plan(t, "s2-2007-2010.toml", "variants/s2b-expr-server.toml")
	checkPaths(t, b, []pathCase{
		// Seed 000: with -Server set, AuthPackage is unspecified and
		// Outlook uses Basic; IIS /rpc accepts NTLM only: broken (audit
		// #16). EXPR -Server sends every user, amy too, to that endpoint
		// (audit #15).
		{user: "ben", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "AUTH-EXPR-SERVER", hops: "client>EX2010-01@mail.contoso.com:connect/basic"},
		{user: "ben", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "AUTH-IIS-CLIENT"},
		{user: "amy", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "AUTH-EXPR-SERVER", hops: "client>EX2010-01@mail.contoso.com:connect/basic"},
	})
	assertFinding(t, b, "AUTH-EXPR-SERVER", "EXPR", "Set-OutlookProvider EXPR -Server $null")
	// Audit #17: clients told NTLM, /rpc accepts Basic only.
	checkPaths(t, plan(t, "s2-2007-2010.toml", "../testdata/audit/S2-mismatch.toml"), []pathCase{
		{user: "ben", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "AUTH-IIS-CLIENT", hops: "client>EX2010-01@mail.contoso.com:connect/ntlm"},
	})
	// Audit #20: LM compatibility below 2 with NTLM prompts every time.
	lm := plan(t, "s2-2007-2010.toml", "../testdata/audit/L-lmcompat.toml")
	checkPaths(t, lm, []pathCase{
		{user: "ben", proto: "outlook-anywhere", loc: "external", outcome: "warning", finding: "AUTH-LM-COMPAT"},
	})
	assertFinding(t, lm, "AUTH-LM-COMPAT", "win10-outlook2010", "LmCompatibilityLevel")
}

// Audit #24: where AUTH-CONSISTENT and AUTH-NTLM-PREF overlap, the estate
// gets one recommendation (NTLM), labelled as coexist's choice.
func TestScenarioOneOARecommendation(t *testing.T) {
	p := plan(t, "s3-2013-2010.toml", "../testdata/audit/H-inconsistent.toml")
	var consistent, pref *planner.Finding
	for i, f := range p.Findings {
		switch f.ID {
		case "AUTH-CONSISTENT":
			if f.Subject == "o365info" {
				consistent = &p.Findings[i]
			}
		case "AUTH-NTLM-PREF":
			pref = &p.Findings[i]
		}
	}
	if consistent == nil || pref == nil {
		t.Fatalf("want both AUTH-CONSISTENT and AUTH-NTLM-PREF, got %v and %v", consistent, pref)
	}
	if !strings.Contains(consistent.Message, "Use one scheme everywhere: NTLM (coexist's choice") || strings.Contains(consistent.Remediation, "ClientAuthenticationMethod Basic") {
		t.Errorf("AUTH-CONSISTENT: want NTLM as the labelled choice, got %s\n%s", consistent.Message, consistent.Remediation)
	}
	if !strings.Contains(pref.Message, "part of AUTH-CONSISTENT") || strings.Contains(pref.Remediation, "Rpc (Default Web Site)' -ClientAuthenticationMethod") {
		t.Errorf("AUTH-NTLM-PREF repeats AUTH-CONSISTENT's commands: %s\n%s", pref.Message, pref.Remediation)
	}
}

// Audit #3, #21: the negotiated method follows Autodiscover and IIS.
func TestScenarioAuthNegotiation(t *testing.T) {
	checkPaths(t, plan(t, "s1-contoso.toml", "../testdata/audit/A-splitbrain.toml"), []pathCase{
		// Seed 004: with one name inside and out, external clients use
		// the internal authentication settings (Negotiate here).
		{user: "purple", proto: "outlook-anywhere", loc: "external", outcome: "ok", contains: []string{"client>LB1@mail.contoso.com:connect/negotiate"}},
	})
	checkPaths(t, plan(t, "s3-2013-2010.toml", "../testdata/audit/G-2013-basic-iis.toml"), []pathCase{
		{user: "john", proto: "outlook-anywhere", loc: "external", outcome: "ok",
			hops: "client>Exc2013@mail.o365info.com:connect/basic Exc2013>Exc2010@exc2010.o365info.com:proxy/kerberos"},
	})
	checkPaths(t, plan(t, "s3-2013-2010.toml", "../testdata/audit/G-2013-basic-iis.toml", "../testdata/audit/H-inconsistent.toml"), []pathCase{
		{user: "john", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "AUTH-IIS-CLIENT", hops: "client>Exc2013@mail.o365info.com:connect/ntlm"},
	})
	p := plan(t, "s3-2013-2010.toml", "variants/s3c-basic-only.toml")
	pa := find(t, p, "john", "outlook-anywhere", "external", "")
	if h := pa.Hops[len(pa.Hops)-1]; h.Auth != "kerberos" || h.Refused != "/rpc on Exc2010 accepts Basic only" {
		t.Errorf("s3c proxy hop: got auth %s refused %q, want kerberos refused by /rpc on Exc2010 (Basic only)", h.Auth, h.Refused)
	}
}

// S3: 2013 joins 2010.
func TestScenarioS3Paths(t *testing.T) {
	p := plan(t, "s3-2013-2010.toml")
	checkPaths(t, p, []pathCase{
		{user: "john", proto: "outlook-anywhere", loc: "external", outcome: "ok",
			hops: "client>Exc2013@mail.o365info.com:connect/basic Exc2013>Exc2010@exc2010.o365info.com:proxy/kerberos"},
		{user: "mary", proto: "outlook-anywhere", loc: "external", outcome: "ok", contains: []string{"Exc2013>Exc2010-BR@exc2010-br.o365info.com:proxy/kerberos"}},
		{user: "frank", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "PATH-OUTLOOK-2003"},
		// Audit #23: Outlook 2003 has no Autodiscover, EWS or web OAB, and
		// its RPC/TCP path to 2010 carries the RPC encryption caveat.
		{user: "frank", proto: "autodiscover", loc: "external", outcome: "not-applicable", finding: "PATH-OUTLOOK-2003-NA"},
		{user: "frank", proto: "ews", loc: "internal", outcome: "not-applicable", finding: "PATH-OUTLOOK-2003-NA"},
		{user: "frank", proto: "oab", loc: "external", outcome: "not-applicable", finding: "PATH-OUTLOOK-2003-NA"},
		{user: "frank", proto: "rpc-tcp", loc: "internal", outcome: "warning", finding: "PATH-OUTLOOK-2003-RPC"},
	})
	b := plan(t, "s3-2013-2010.toml", "variants/s3b-oa-disabled.toml")
	checkPaths(t, b, []pathCase{
		{user: "mary", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "AUTH-LEGACY-NTLM"},
		{user: "john", proto: "outlook-anywhere", loc: "external", outcome: "ok"},
	})
	assertFinding(t, b, "AUTH-LEGACY-NTLM", "Exc2010-BR", "Enable-OutlookAnywhere -Server 'Exc2010-BR'")
	assertFinding(t, b, "AUTH-LEGACY-NTLM", "Exc2010-BR", `Set-OutlookAnywhere -Identity 'Exc2010-BR\Rpc (Default Web Site)' -ClientAuthenticationMethod Basic -IISAuthenticationMethods Basic,NTLM`)
	c := plan(t, "s3-2013-2010.toml", "variants/s3c-basic-only.toml")
	checkPaths(t, c, []pathCase{
		{user: "john", proto: "outlook-anywhere", loc: "external", outcome: "broken", finding: "AUTH-LEGACY-NTLM"},
	})
}

// S4: 2016 joins 2010; Alice opens Bob's 2010 mailbox.
func TestScenarioS4Paths(t *testing.T) {
	p := plan(t, "s4-2016-2010.toml")
	checkPaths(t, p, []pathCase{
		{user: "alice", proto: "mapi-http", loc: "external", outcome: "ok"},
		{user: "alice", proto: "outlook-anywhere", loc: "external", secondary: "DB2010-01", outcome: "broken", finding: "AUTH-KB3140410",
			contains: []string{">EX2010@ex2010.contoso.com:proxy/kerberos"}},
		{user: "dave", proto: "mapi-http", loc: "external", outcome: "ok"},
		{user: "dave", proto: "outlook-anywhere", loc: "external", outcome: "ok"},
		{user: "carol", proto: "rpc-tcp", loc: "internal", outcome: "ok"},
		{user: "carol", proto: "owa", loc: "external", outcome: "ok"},
		{user: "carol", proto: "outlook-anywhere", loc: "internal", outcome: "not-applicable"},
	})
	assertFinding(t, p, "AUTH-KB3140410", "EX2010", "NetworkService")
	for _, f := range p.Findings {
		if f.ID == "AUTH-KB3140410" && (len(f.Fix.KBs) != 1 || f.Fix.KBs[0] != "KB3140410") {
			t.Errorf("AUTH-KB3140410 fix KBs: got %v, want [KB3140410]", f.Fix.KBs)
		}
		// Audit #27: where to look and what the failure looks like.
		if f.ID == "AUTH-KB3140410" {
			for _, w := range []string{`Logging\HttpProxy\RpcHttp`, "ResponseStatusCode=401", "NegotiateSecurityContext failed", "InvalidToken"} {
				if !strings.Contains(f.Message, w) {
					t.Errorf("AUTH-KB3140410 message lacks %q: %s", w, f.Message)
				}
			}
		}
	}
	// Audit #26: the article observed 2016 users opening a 2010 mailbox;
	// a 2010 user's own proxied Outlook Anywhere is the tool's inference.
	own := find(t, p, "carol", "outlook-anywhere", "external", "")
	shared := find(t, p, "alice", "outlook-anywhere", "external", "DB2010-01")
	if own.Outcome == planner.OutcomeBroken && !strings.Contains(strings.Join(own.Notes, " "), "inferred") {
		t.Errorf("carol's KB3140410 break is not labelled inferred: %v", own.Notes)
	}
	if strings.Contains(strings.Join(shared.Notes, " "), "(inferred") {
		t.Errorf("alice's shared-mailbox KB3140410 break is the article's own case, labelled inferred: %v", shared.Notes)
	}
}

// checkRule checks that the path cites rule id, and, when the path is
// broken or warns, that the rule is among the problems it flags.
func checkRule(t *testing.T, pa planner.Path, id string) {
	t.Helper()
	if !contains(pa.Rules, id) {
		t.Errorf("rules: got %v, want %s", pa.Rules, id)
	}
	if (pa.Outcome == planner.OutcomeBroken || pa.Outcome == planner.OutcomeWarning) && !contains(pa.Findings, id) {
		t.Errorf("problems: got %v, want %s", pa.Findings, id)
	}
	if pa.Outcome == planner.OutcomeOK && len(pa.Findings) > 0 {
		t.Errorf("an ok path flags problems %v", pa.Findings)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// assertFinding checks that a finding with id and subject exists and its
// remediation contains want.
func assertFinding(t *testing.T, p *planner.Plan, id, subject, want string) {
	t.Helper()
	for _, f := range p.Findings {
		if f.ID == id && f.Subject == subject {
			if !strings.Contains(f.Remediation, want) {
				t.Errorf("%s %s remediation:\n%s\nwant it to contain %q", id, subject, f.Remediation, want)
			}
			return
		}
	}
	var got []string
	for _, f := range p.Findings {
		got = append(got, f.ID+" "+f.Subject)
	}
	t.Errorf("no finding %s about %s; got %v", id, subject, got)
}

// noteWith returns the path's first note containing s, or "".
func noteWith(pa planner.Path, s string) string {
	for _, n := range pa.Notes {
		if strings.Contains(n, s) {
			return n
		}
	}
	return ""
}

// S1 before the move with devices that do not follow HTTP 451
// (testdata/audit/C-no451.toml): CAS2010-1 proxies orange's EAS to Site2
// because of the device, not because Site2 is not Internet-facing; and
// Autodiscover sets up new devices on mail-region.contoso.com.
func TestScenarioS1EASNotes(t *testing.T) {
	p := plan(t, "s1-contoso.toml", "variants/s1-before.toml", "../testdata/audit/C-no451.toml")
	pa := findEntry(t, p, "orange", "eas", "external", "", "mail.contoso.com")
	if !strings.Contains(hops(pa), "CAS2010-1>CAS2010-2@cas2010-2.contoso.com:proxy") {
		t.Errorf("hops: got %s, want a proxy from CAS2010-1 to CAS2010-2", hops(pa))
	}
	if noteWith(pa, "do not follow an HTTP 451 redirect") == "" || noteWith(pa, "not Internet-facing") != "" {
		t.Errorf("notes: got %q, want the device (eas_supports_451) as the reason, not Site2's Internet exposure", pa.Notes)
	}
	for _, f := range []struct{ file, entry string }{{"s1-contoso.toml", ""}, {"s1-contoso.toml", "mail.contoso.com"}} {
		pa := findEntry(t, plan(t, f.file), "orange", "eas", "external", "", f.entry)
		if noteWith(pa, "Any new device the user sets up is configured by Autodiscover with mail-region.contoso.com") == "" {
			t.Errorf("orange eas (entry %q): notes %q lack the new-device note", f.entry, pa.Notes)
		}
	}
	if n := noteWith(find(t, plan(t, "s1-contoso.toml"), "red", "eas", "external", ""), "Any new device"); n != "" {
		t.Errorf("red eas: got %q; red's site publishes mail.contoso.com, the primary name", n)
	}
}
