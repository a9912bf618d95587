package planner

import (
	"strings"
	"testing"

	"github.com/coexist/coexist/model"
)

func TestNSOASplitBrain(t *testing.T) {
	differ := func(inv *model.Inventory) {
		srv(inv, "EX2016").OutlookAnywhere.InternalClientAuthenticationMethod = "Negotiate"
		srv(inv, "EX2016").OutlookAnywhere.ExternalClientAuthenticationMethod = "Basic"
	}
	runCases(t, ruleNSOASplitBrain, []ruleCase{
		{name: "same name, same auth"},
		{name: "same name, different auth", edit: differ,
			want: []string{"warning NS-OA-SPLITBRAIN EX2016"},
			contains: []string{"internal Negotiate, external Basic",
				`Set-OutlookAnywhere -Identity 'EX2016\Rpc (Default Web Site)' -InternalHostname $internalHost`}},
		{name: "different names", edit: func(inv *model.Inventory) {
			differ(inv)
			srv(inv, "EX2016").OutlookAnywhere.InternalHostname = "mail-int.contoso.com"
		}},
		{name: "no split-brain DNS", edit: func(inv *model.Inventory) { differ(inv); inv.Organization.SplitBrainDNS = false }},
	})
}

func TestNSAutodSCP(t *testing.T) {
	runCases(t, ruleNSAutodSCP, []ruleCase{
		{name: "autodiscover namespace"},
		{name: "single server", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").AutoDiscoverServiceInternalURI = "https://ex2010.contoso.com/Autodiscover/Autodiscover.xml"
		}, want: []string{"warning NS-AUTOD-SCP EX2010"},
			contains: []string{"single server EX2010", "Set-ClientAccessServer -Identity 'EX2010' -AutoDiscoverServiceInternalUri 'https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml'"}},
		{name: "undeclared name on 2016", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").AutoDiscoverServiceInternalURI = "https://adsvc.contoso.com/Autodiscover/Autodiscover.xml"
		}, want: []string{"warning NS-AUTOD-SCP EX2016"}, contains: []string{"Set-ClientAccessService -Identity 'EX2016'"}},
		{name: "namespace without internal targets", edit: func(inv *model.Inventory) { inv.Namespaces[1].Internal = nil },
			want: []string{"warning NS-AUTOD-SCP EX2010", "warning NS-AUTOD-SCP EX2016"}},
	})
}

func TestNSPopImapFQDN(t *testing.T) {
	runCases(t, ruleNSPopImapFQDN, []ruleCase{
		{name: "server FQDN"},
		{name: "load-balanced name", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").POP3.InternalConnectionSettings = []string{"mail.contoso.com:995:SSL", "mail.contoso.com:110:TLS"}
		}, want: []string{"warning NS-POPIMAP-FQDN EX2010"},
			contains: []string{"Set-PopSettings -Server 'EX2010' -InternalConnectionSettings 'ex2010.contoso.com:995:SSL','ex2010.contoso.com:110:TLS'"}},
		{name: "service stopped", edit: func(inv *model.Inventory) { srv(inv, "EX2010").POP3.Running = bp(false) },
			want: []string{"warning NS-POPIMAP-FQDN EX2010"}, contains: []string{"Start-Service MSExchangePOP3"}},
		{name: "no newer front door", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").Build = "14.3.513.0"
			inv.Servers[1].Roles = []string{"ClientAccess", "Mailbox"}
			srv(inv, "EX2010").POP3.InternalConnectionSettings = []string{"mail.contoso.com:995:SSL"}
		}},
	})
}

func TestNSMapiLB(t *testing.T) {
	withLB := func(paths ...string) func(inv *model.Inventory) {
		return func(inv *model.Inventory) {
			inv.LoadBalancers = []model.LoadBalancer{{Name: "LB1", Members: []string{"EX2016"}, Paths: paths, Layer: 7}}
			inv.Namespaces[0].External = []string{"LB1"}
		}
	}
	runCases(t, ruleNSMapiLB, []ruleCase{
		{name: "no load balancer"},
		{name: "passes /mapi", edit: withLB("/owa", "/mapi", "/rpc")},
		{name: "passes everything", edit: withLB()},
		{name: "lacks /mapi", edit: withLB("/owa", "/rpc"),
			want:     []string{"error NS-MAPI-LB LB1"},
			contains: []string{"passes only /owa, /rpc, not /mapi", "[Net.WebRequest]::Create('https://mail.contoso.com/mapi/healthcheck.htm')"}},
		{name: "lacks /mapi, MAPI/HTTP disabled", edit: func(inv *model.Inventory) {
			withLB("/owa", "/rpc")(inv)
			inv.Organization.MapiHTTPEnabled = bp(false)
		}, want: []string{"warning NS-MAPI-LB LB1"}},
	})
}

func TestNSRPCArray(t *testing.T) {
	runCases(t, ruleNSRPCArray, []ruleCase{
		{name: "separate RPC name"},
		{name: "server FQDN", edit: func(inv *model.Inventory) { inv.Databases[0].RPCClientAccessServer = "ex2010.contoso.com" }},
		{name: "the namespace that moved", edit: func(inv *model.Inventory) { inv.Databases[0].RPCClientAccessServer = "mail.contoso.com" },
			want:     []string{"error NS-RPC-ARRAY mail.contoso.com"},
			contains: []string{"resolves to EX2016 (Exchange 2016)", "Set-MailboxDatabase -Identity 'DB2010' -RpcClientAccessServer $rpcName", "$rpcName = 'outlook.contoso.com'"}},
		{name: "an HTTPS name still on 2010", edit: func(inv *model.Inventory) {
			inv.Namespaces = append(inv.Namespaces, model.Namespace{FQDN: "webmail.contoso.com", Internal: []string{"EX2010"}, External: []string{"EX2010"}})
			srv(inv, "EX2010").OWA.ExternalURL = "https://webmail.contoso.com/owa"
			inv.Databases[0].RPCClientAccessServer = "webmail.contoso.com"
		}, want: []string{"warning NS-RPC-ARRAY webmail.contoso.com"}},
	})
}

func TestNSSSLOffload(t *testing.T) {
	// second adds a server of the same version as name, with its settings.
	second := func(name, newName string, off bool) func(inv *model.Inventory) {
		return func(inv *model.Inventory) {
			s := *srv(inv, name)
			s.Name, s.FQDN = newName, strings.ToLower(newName)+".contoso.com"
			s.OutlookAnywhere.SSLOffloading = off
			inv.Servers = append(inv.Servers, s)
		}
	}
	runCases(t, ruleNSSSLOffload, []ruleCase{
		{name: "one server per version: nothing to compare", want: nil},
		{name: "2016 servers alike", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").OutlookAnywhere.SSLOffloading = true
			second("EX2016", "EX2016B", true)(inv)
		}, want: nil},
		{name: "versions may differ from each other", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").OutlookAnywhere.SSLOffloading = true
		}, want: nil},
		{name: "2016 servers differ: the commands set the majority, as comments", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").OutlookAnywhere.SSLOffloading = true
			second("EX2016", "EX2016B", true)(inv)
			second("EX2016", "EX2016C", false)(inv)
		}, want: []string{"warning NS-SSLOFFLOAD Contoso"},
			contains: []string{"$true on EX2016 and EX2016B, $false on EX2016C",
				"# Set-OutlookAnywhere -Identity 'EX2016C\\Rpc (Default Web Site)' -SSLOffloading $true",
				"the commands below set $true"}},
		{name: "2010 CAS differ; a disabled Outlook Anywhere is not counted", edit: func(inv *model.Inventory) {
			second("EX2010", "EX2010B", true)(inv)
			second("EX2010", "EX2010C", true)(inv)
			srv(inv, "EX2010C").OutlookAnywhere.Enabled = false
		}, want: []string{"warning NS-SSLOFFLOAD Contoso"},
			contains: []string{"$true on EX2010B, $false on EX2010", "-SSLOffloading $false"}},
	})
}
