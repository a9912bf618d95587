package planner

import (
	"testing"

	"github.com/coexist/coexist/model"
)

func setProfile(inv *model.Inventory, outlook, os string, kbs ...string) {
	inv.ClientProfiles[0].Outlook = outlook
	inv.ClientProfiles[0].OS = os
	inv.ClientProfiles[0].InstalledUpdates = kbs
}

func TestClientOutlook(t *testing.T) {
	runCases(t, ruleClientOutlook, []ruleCase{
		{name: "Outlook 2016 with 2016"},
		{name: "Outlook 2010 SP2 with 2016", edit: func(inv *model.Inventory) { setProfile(inv, "Outlook 2010 SP2", "Windows 10") }},
		{name: "Outlook 2007 with 2016 target", edit: func(inv *model.Inventory) { setProfile(inv, "Outlook 2007 SP3", "Windows 10") },
			want: []string{"error CLIENT-OUTLOOK win10"}, contains: []string{"Outlook 2007 SP3 (2 users), which Exchange 2016 does not support"}},
		{name: "Outlook 2003 with 2013 target", edit: func(inv *model.Inventory) {
			setProfile(inv, "Outlook 2003 SP3", "Windows 7 SP1")
			srv(inv, "EX2016").Build = "15.0.1497.2" // now a 2013 server
		}, want: []string{"error CLIENT-OUTLOOK win10"}, contains: []string{"RPC encryption"}},
		{name: "Microsoft 365 Apps on a 2010 mailbox", edit: func(inv *model.Inventory) { setProfile(inv, "Microsoft 365 Apps", "Windows 11") },
			want: []string{"warning CLIENT-OUTLOOK win10"}, contains: []string{"1 user of this profile still has an Exchange 2010 mailbox"}},
	})
}

func TestClientMAPI(t *testing.T) {
	runCases(t, ruleClientMAPI, []ruleCase{
		{name: "Outlook 2016 is capable"},
		{name: "Outlook 2010 SP2 with both updates", edit: func(inv *model.Inventory) {
			setProfile(inv, "Outlook 2010 SP2", "Windows 10", "KB2956191", "KB2965295")
		}},
		{name: "Outlook 2010 SP2 without KB2965295", edit: func(inv *model.Inventory) {
			setProfile(inv, "Outlook 2010 SP2", "Windows 10", "KB2956191")
		}, want: []string{"info CLIENT-MAPI win10"}, contains: []string{"it lacks KB2965295", "Install KB2965295."}},
		{name: "Outlook 2013 RTM", edit: func(inv *model.Inventory) { setProfile(inv, "Outlook 2013", "Windows 10") },
			want: []string{"info CLIENT-MAPI win10"}, contains: []string{"Outlook 2013 needs SP1"}},
		{name: "only 2010 and 2007 in the org", edit: func(inv *model.Inventory) {
			setProfile(inv, "Outlook 2010", "Windows 10")
			srv(inv, "EX2016").Build = "14.3.513.0"
			inv.Servers[1].Roles = []string{"ClientAccess", "Mailbox"}
		}},
	})
}

func TestAuthConsistent(t *testing.T) {
	runCases(t, ruleAuthConsistent, []ruleCase{
		{name: "NTLM everywhere"},
		{name: "NTLM and Negotiate are one scheme", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").OutlookAnywhere.ExternalClientAuthenticationMethod = "Negotiate"
		}},
		{name: "Basic on legacy, NTLM on 2016", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").OutlookAnywhere.ClientAuthenticationMethod = "Basic"
		}, want: []string{"warning AUTH-CONSISTENT Contoso"},
			contains: []string{"Basic on EX2010; NTLM on EX2016 (external)", "Use one scheme everywhere: NTLM (coexist's choice",
				`Set-OutlookAnywhere -Identity 'EX2010\Rpc (Default Web Site)' -ClientAuthenticationMethod NTLM -IISAuthenticationMethods Basic,NTLM`}},
		{name: "legacy ExternalHostname elsewhere", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").OutlookAnywhere.ExternalHostname = "owa2010.contoso.com"
		}, want: []string{"warning AUTH-CONSISTENT EX2010"},
			contains: []string{`Set-OutlookAnywhere -Identity 'EX2010\Rpc (Default Web Site)' -ExternalHostname 'mail.contoso.com'`}},
		{name: "legacy regional endpoint on itself", edit: func(inv *model.Inventory) {
			inv.Namespaces = append(inv.Namespaces, model.Namespace{FQDN: "mail-region.contoso.com", Internal: []string{"EX2010"}, External: []string{"EX2010"}})
			srv(inv, "EX2010").OutlookAnywhere.ExternalHostname = "mail-region.contoso.com"
		}},
	})
}

func TestAuthNTLMPref(t *testing.T) {
	runCases(t, ruleAuthNTLMPref, []ruleCase{
		{name: "NTLM everywhere"},
		{name: "Basic on 2010 and 2016 internal", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").OutlookAnywhere.ClientAuthenticationMethod = "Basic"
			srv(inv, "EX2016").OutlookAnywhere.InternalClientAuthenticationMethod = "Basic"
		}, want: []string{"info AUTH-NTLM-PREF Contoso"},
			// Mixed schemes: AUTH-CONSISTENT carries the legacy and
			// external commands; only the internal one is left here.
			contains: []string{"Basic on EX2010 and EX2016 (internal)", "part of AUTH-CONSISTENT",
				`# Set-OutlookAnywhere -Identity 'EX2016\Rpc (Default Web Site)' -InternalClientAuthenticationMethod NTLM`}},
		{name: "Basic everywhere", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").OutlookAnywhere.ClientAuthenticationMethod = "Basic"
			srv(inv, "EX2016").OutlookAnywhere.ExternalClientAuthenticationMethod = "Basic"
		}, want: []string{"info AUTH-NTLM-PREF Contoso"},
			contains: []string{`# Set-OutlookAnywhere -Identity 'EX2010\Rpc (Default Web Site)' -ClientAuthenticationMethod NTLM`}},
		{name: "Basic on a disabled legacy OA does not count", edit: func(inv *model.Inventory) {
			oa := &srv(inv, "EX2010").OutlookAnywhere
			oa.ClientAuthenticationMethod, oa.Enabled = "Basic", false
		}},
	})
}
