package planner

import (
	"fmt"
	"strings"

	"github.com/coexist/coexist/model"
)

// Authentication as a negotiation, hop by hop: what the client (or the
// proxying server) offers against what the receiving virtual directory
// accepts (section 3).

// authMethods spell the methods in messages.
var authMethods = map[string]string{
	"basic": "Basic", "ntlm": "NTLM", "negotiate": "Negotiate", "kerberos": "Kerberos",
}

func authWord(m string) string {
	if w, ok := authMethods[m]; ok {
		return w
	}
	return m
}

// negotiation is the outcome of one hop's authentication.
type negotiation struct {
	// Method is the negotiated method; when refused, the offered one.
	Method string
	// Refused is empty when the receiving side accepts; else it says what
	// it accepts ("/rpc on EX2010-01 accepts NTLM only").
	Refused string
	// Assumed is set when the inventory does not record what the receiving
	// side accepts and a default was used: the note to add.
	Assumed string
}

// negotiate decides one hop: offered is "basic", "ntlm", "negotiate" or
// "kerberos" (a server's Windows authentication); accepts are the IIS
// authentication methods of the virtual directory reached (empty: not
// recorded, accepted). Basic needs Basic; NTLM needs NTLM; Negotiate is
// answered by Negotiate, else by NTLM (the Negotiate package falls back to
// NTLM); Kerberos needs Integrated Windows Authentication, which IIS
// enables with NTLM or Negotiate (redmond-ex2013-cas-legacy: "Integrated Windows
// Authentication (IWA – previously known as NTLM)").
func negotiate(offered string, accepts []string, where string) negotiation {
	offered = strings.ToLower(offered)
	if len(accepts) == 0 {
		return negotiation{Method: offered}
	}
	has := map[string]bool{}
	for _, a := range accepts {
		k := model.Key(a)
		if k == "windowsintegrated" || k == "negoex" {
			k = "negotiate"
		}
		has[k] = true
	}
	switch offered {
	case "basic", "ntlm":
		if has[offered] {
			return negotiation{Method: offered}
		}
	case "negotiate":
		switch {
		case has["negotiate"]:
			return negotiation{Method: "negotiate"}
		case has["ntlm"]:
			return negotiation{Method: "ntlm"}
		}
	case "kerberos":
		if has["ntlm"] || has["negotiate"] {
			return negotiation{Method: "kerberos"}
		}
	default:
		return negotiation{Method: offered}
	}
	var words []string
	for _, a := range accepts {
		w := authWord(model.Key(a))
		if w == model.Key(a) {
			w = a // spelled as the inventory spells it
		}
		words = append(words, w)
	}
	only := ""
	if len(words) == 1 {
		only = " only"
	}
	return negotiation{Method: offered, Refused: fmt.Sprintf("%s accepts %s%s", where, strings.Join(words, ", "), only)}
}

// rpcAccepts is what IIS /rpc on s accepts: its IISAuthenticationMethods;
// when not recorded, the 2013+ default {Basic, NTLM, Negotiate}, or on
// 2007/2010 the method Enable/Set-OutlookAnywhere configured IIS with
// (redmond-ex2013-cas-legacy: "If you configure Basic Authentication for Outlook Anywhere,
// IIS only enables Basic Authentication on the /rpc virtual directory").
// assumed says which default was used ("" when recorded).
func rpcAccepts(s *model.Server) (accepts []string, assumed string) {
	oa := &s.OutlookAnywhere
	if len(oa.IISAuthenticationMethods) > 0 {
		return oa.IISAuthenticationMethods, ""
	}
	if s.Parsed.Version() >= model.V2013 {
		return []string{"Basic", "NTLM", "Negotiate"}, fmt.Sprintf("IIS authentication of /rpc on %s is not in the inventory; assuming the Exchange %s default Basic, NTLM, Negotiate.", s.Name, s.Parsed.Version())
	}
	m := oa.ClientAuthenticationMethod
	if m == "" {
		m = "Basic"
	}
	return []string{m}, fmt.Sprintf("IIS authentication of /rpc on %s is not in the inventory; assuming %s, the method Outlook Anywhere was enabled with (client_authentication_method).", s.Name, m)
}

// oaOffer is what Outlook offers on its first Outlook Anywhere hop, and
// why, from what Autodiscover hands out.
type oaOffer struct {
	Method string
	Why    string // "Autodiscover returns …"
	// Expr is set when the EXPR provider's -Server decided it.
	Expr bool
	// From is the server whose Outlook Anywhere settings were returned.
	From *model.Server
}

// oaOffer works out the Outlook Anywhere client method: with EXPR -Server
// set (external), AuthPackage is unspecified and Outlook uses Basic; else
// the client method of the server whose settings Autodiscover returns (the
// mailbox's server for 2013+, a CAS of the mailbox's version in its site
// for 2007/2010). With split-brain DNS and one Outlook Anywhere name
// inside and out, Outlook outside uses the internal settings.
func (cx *cohortCtx) oaOffer(b *pathBuilder, loc string) oaOffer {
	if loc == "external" {
		if expr := cx.p.Topo.Provider("EXPR"); expr != nil && expr.Server != "" {
			b.note(ruleExprServer, "The EXPR Outlook provider has Server %q set, so Autodiscover returns AuthPackage unspecified and Outlook falls back to Basic.", expr.Server)
			cx.p.Report(ruleExprServer, "EXPR", fmt.Sprintf("Outlook provider EXPR has -Server %s: Autodiscover returns AuthPackage unspecified and Outlook uses Basic even where NTLM is configured.", expr.Server),
				Fix{Shell: Remedy(ruleExprServer.ID, nil)})
			return oaOffer{Method: "basic", Why: "EXPR AuthPackage unspecified because -Server is set", Expr: true}
		}
	}
	var answer *model.Server
	if cx.vm >= model.V2013 {
		answer = cx.mbx
	} else if cas := cx.p.Topo.ClientAccess(cx.site, cx.vm, true); len(cas) > 0 {
		answer = cas[0]
	}
	if answer == nil {
		return oaOffer{Method: "basic", Why: "no Outlook Anywhere settings found for the mailbox; Outlook's default AuthPackage is Basic"}
	}
	oa := &answer.OutlookAnywhere
	if answer.Parsed.Version() < model.V2013 {
		m, why := oa.ClientAuthenticationMethod, "its ClientAuthenticationMethod"
		if m == "" {
			m, why = "Basic", "ClientAuthenticationMethod not in the inventory; the Outlook Anywhere default"
		}
		b.note(ruleOASplit, "Autodiscover returns the Outlook Anywhere settings of %s, an Exchange %s CAS in the mailbox's site, whichever server answers it: client authentication %s (%s).", answer.Name, answer.Parsed.Version(), m, why)
		return oaOffer{Method: model.Key(m), Why: fmt.Sprintf("Autodiscover hands out %s's client method %s", answer.Name, m), From: answer}
	}
	setting := loc
	if loc == "external" && cx.p.Inv.Organization.SplitBrainDNS && oa.InternalHostname != "" && strings.EqualFold(oa.InternalHostname, oa.ExternalHostname) {
		setting = "internal"
		ssl := ""
		if r := oa.InternalClientsRequireSsl; r != nil {
			ssl = " (InternalClientsRequireSsl $false: the internal settings do not require SSL)"
			if *r {
				ssl = " (InternalClientsRequireSsl $true)"
			}
		}
		b.note(ruleNSOASplitBrain, "Split-brain DNS with one Outlook Anywhere name (%s) inside and out: Outlook prefers the internal settings, so this external client uses %s's internal settings%s.", strings.ToLower(oa.ExternalHostname), answer.Name, ssl)
	}
	m, def := oa.ExternalClientAuthenticationMethod, "Negotiate"
	if setting == "internal" {
		m, def = oa.InternalClientAuthenticationMethod, "NTLM"
	}
	why := fmt.Sprintf("%sClientAuthenticationMethod", strings.Title(setting))
	if m == "" {
		m, why = def, fmt.Sprintf("%sClientAuthenticationMethod not in the inventory; the Exchange %s default", strings.Title(setting), answer.Parsed.Version())
	}
	b.note(ruleOASplit, "Autodiscover (answered for the mailbox by %s) tells Outlook to use %s (%s).", answer.Name, m, why)
	return oaOffer{Method: model.Key(m), Why: fmt.Sprintf("Autodiscover hands out %s's %s setting %s", answer.Name, setting, m), From: answer}
}

// oaClientHop negotiates Outlook's first Outlook Anywhere hop with IIS
// /rpc on the front door fd, and applies the LM compatibility caveat. It
// returns the hop's auth.
func (cx *cohortCtx) oaClientHop(b *pathBuilder, loc string, fd *model.Server) (string, string) {
	off := cx.oaOffer(b, loc)
	if fd.Parsed.Version() < model.V2013 && !fd.OutlookAnywhere.Enabled {
		b.broken(ruleIISClient, "Outlook Anywhere (the RPC proxy) is not enabled on %s: Outlook's connection to /rpc fails.", fd.Name)
		return off.Method, fmt.Sprintf("Outlook Anywhere is not enabled on %s", fd.Name)
	}
	accepts, assumed := rpcAccepts(fd)
	if assumed != "" {
		b.note(nil, "%s", assumed)
	}
	n := negotiate(off.Method, accepts, "/rpc on "+fd.Name)
	if n.Refused != "" {
		if off.Expr {
			b.flag(ruleExprServer.ID)
		}
		b.broken(ruleIISClient, "Outlook offers %s (%s); %s: authentication fails and Outlook prompts for credentials again and again.", authWord(off.Method), off.Why, n.Refused)
		step := fmt.Sprintf("Either add %s to the IIS authentication of /rpc on %s (Set-OutlookAnywhere -Identity '%s\\Rpc (Default Web Site)' -IISAuthenticationMethods %s), or change the method clients are told so it matches %s (see AUTH-CONSISTENT).",
			authWord(off.Method), fd.Name, fd.Name, iisWithMethod(accepts, off.Method), strings.Join(accepts, ", "))
		if off.Expr {
			step = "Clear the EXPR provider's Server (Set-OutlookProvider EXPR -Server $null, AUTH-EXPR-SERVER) so Autodiscover hands out the configured client method again."
		}
		cx.p.Report(ruleIISClient, fd.Name, fmt.Sprintf("Outlook Anywhere clients are told to use %s (%s), but IIS /rpc on %s accepts %s: those users cannot connect.", authWord(off.Method), off.Why, fd.Name, strings.Join(accepts, ", ")),
			Fix{Steps: []string{step}})
		return off.Method, n.Refused
	}
	if off.Method != n.Method {
		b.note(ruleOASplit, "Outlook offers Negotiate; /rpc on %s has no Negotiate provider, so the Negotiate package falls back to NTLM.", fd.Name)
	}
	cx.lmCompat(b, n.Method)
	return n.Method, ""
}

// iisWithMethod is accepts plus m, as Set-OutlookAnywhere spells the list.
func iisWithMethod(accepts []string, m string) string {
	out := append([]string(nil), accepts...)
	if !hasFold(out, m) {
		out = append(out, authWord(m))
	}
	return strings.Join(out, ",")
}

// lmCompat: "If you click Basic Authentication or NTLM Authentication and
// an LM Compatibility Level of less than 2, you will be prompted for a
// password each time a connection is made to Exchange" (Microsoft, as quoted in aaronmarks-oa-2007-2010).
func (cx *cohortCtx) lmCompat(b *pathBuilder, method string) {
	if cx.prof == nil || cx.prof.LMCompatibilityLevel == nil || *cx.prof.LMCompatibilityLevel >= 2 {
		return
	}
	if method != "basic" && method != "ntlm" {
		return
	}
	lvl := *cx.prof.LMCompatibilityLevel
	b.warn(ruleLMCompat, "Client profile %s has LmCompatibilityLevel %d (below 2): with %s, Outlook prompts for the password at every connection.", cx.prof.Name, lvl, authWord(method))
	cx.p.Report(ruleLMCompat, cx.prof.Name, fmt.Sprintf("Client profile %s has LmCompatibilityLevel %d: Outlook Anywhere with Basic or NTLM prompts for the password at every connection.", cx.prof.Name, lvl),
		Fix{Steps: []string{"Raise LmCompatibilityLevel to 3 or more (send NTLMv2 only) on these clients by Group Policy (Network security: LAN Manager authentication level), after checking that nothing still needs LM or NTLMv1."}})
}

// proxyAuth negotiates the Kerberos (Windows authentication) proxy hop
// from a 2013+ front door to IIS /rpc on the legacy CAS t.
func proxyAuth(t *model.Server) negotiation {
	accepts, assumed := rpcAccepts(t)
	n := negotiate("kerberos", accepts, "/rpc on "+t.Name)
	n.Assumed = assumed
	return n
}
