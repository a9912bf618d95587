package planner

// ruleRemedies is what an administrator does when each rule fires, in a
// sentence or two: catalogues print it (docs/rules.md, "coexist rules
// --long"); a finding's Remediation and Fix carry the commands for its
// subject. Path rules that describe how clients connect rather than a
// problem say so ("None: describes how clients connect") and what to
// check when such a path is broken. Kept in one table, beside the rule
// list, because several rules are built by constructors (the COEX
// table); init assigns each to its rule's Remedy, and a test fails on a
// rule without one or an entry without a rule.
var ruleRemedies = map[string]string{
	// Coexistence, builds and support.
	"CLIENT-MAPI":      "Nothing blocks: these clients stay on Outlook Anywhere. To give them MAPI/HTTP, upgrade Outlook to 2013 SP1 or later, or install KB2956191 and KB2965295 on Outlook 2010 SP2.",
	"CLIENT-OUTLOOK":   "Upgrade the client profile's Outlook to a version (with the service pack and updates) that the target Exchange version supports, before its users' mailboxes or namespaces move to that version.",
	"COEX-2010-2007":   "Install Exchange 2007 SP2 or later (the final SP3 update rollup is recommended) on every Exchange 2007 server before Exchange 2010 serves clients.",
	"COEX-2013-2007":   "Install Exchange 2007 SP3 RU10 or later on every Exchange 2007 server, Edge Transport included, and CU2 or later (the latest CU is recommended) on every Exchange 2013 server.",
	"COEX-2013-2010":   "Install Exchange 2010 SP3 (RU1 or later advised) on every Exchange 2010 server, Edge Transport included, and CU2 or later (the latest CU is recommended) on every Exchange 2013 server.",
	"COEX-2016-2007":   "Go through Exchange 2013 (2007 → 2013 → 2016), or move every mailbox off Exchange 2007 and decommission its servers before installing Exchange 2016.",
	"COEX-2016-2010":   "Install Exchange 2010 SP3 RU11 or later on every Exchange 2010 server, Edge Transport included, before installing Exchange 2016.",
	"COEX-2016-2013":   "Install Exchange 2013 CU10 or later on every Exchange 2013 server before installing Exchange 2016.",
	"COEX-2019-2010":   "Go through Exchange 2013 or 2016, and decommission every Exchange 2010 and 2007 server before installing Exchange 2019.",
	"COEX-2019-2013":   "Install Exchange 2013 CU21 or later on every Exchange 2013 server before installing Exchange 2019.",
	"COEX-2019-2016":   "Install Exchange 2016 CU11 or later on every Exchange 2016 server before installing Exchange 2019.",
	"COEX-EDITION":     "Enter the server's product key (Set-ExchangeServer -ProductKey, then restart the Information Store service on a Mailbox server): Enterprise where a server must mount more than five databases, or move databases until a Standard Edition server holds at most five.",
	"COEX-OS":          "Install the service pack or Exchange build the operating system needs, or install the Exchange server again on a Windows Server release its version supports.",
	"LIFE-CLIENT-OS":   "Plan the upgrade of the client profile's Windows to a release still in support; Extended Security Updates bring security fixes only, not support.",
	"LIFE-EXCHANGE":    "Make the migration's target a supported version (Exchange Server Subscription Edition once 2016 and 2019 are out of support), and decommission the servers past their end of support once their mailboxes and namespaces have moved.",
	"LIFE-EXCHANGE-CU": "Install the latest cumulative update of the server's Exchange version, then the security updates released for it.",
	"LIFE-OUTLOOK":     "Upgrade the client profile's Outlook to a version still in support (Microsoft 365 Apps kept current has no end date) that the target Exchange version also supports (CLIENT-OUTLOOK).",
	"LIFE-WINDOWS":     "Put the target version's Exchange servers on a Windows Server release still in support, and retire the servers on releases past their end; Extended Security Updates bring security fixes only.",

	// Client connectivity: path behaviour.
	"PATH-MAPI-CLIENT":       "None for the path: Outlook uses Outlook Anywhere instead. For MAPI/HTTP, upgrade Outlook (2013 SP1 or later, or 2010 SP2 with KB2956191 and KB2965295) and enable it for the organisation (Set-OrganizationConfig -MapiHttpEnabled $true).",
	"PATH-OUTLOOK-2003":      "Upgrade the Outlook 2003 users to an Outlook the new version supports before the namespace moves to Exchange 2013 or later; until then keep their mailboxes and namespace on the legacy servers.",
	"PATH-OUTLOOK-2003-NA":   "None: describes how clients connect. Keep public folder distribution of the legacy OAB (PublicFolderDistributionEnabled) until the Outlook 2003 users are upgraded.",
	"PATH-OUTLOOK-2003-RPC":  "Turn on RPC encryption in the Outlook 2003 profiles (by hand or by Group Policy), or, as a last resort, stop requiring it with Set-RpcClientAccess -EncryptionRequired $false on the Exchange 2010 Client Access servers.",
	"PATH-UNSUPPORTED-PAIR":  "Follow a supported route: move the mailboxes to a version the front door can serve (through Exchange 2013 or 2016) and decommission the older servers before the newer version serves clients.",
	"PATH-2010-CROSS-SITE":   "None: describes how clients connect. When such a path is broken, check the ExternalUrl of the protocol's virtual directory on the Client Access servers of the mailbox's site: set for a redirect, empty for a proxy.",
	"PATH-EAS-AUTODISCOVER":  "None: describes how clients connect. Make sure the mailbox site's EAS ExternalUrl resolves externally and is on that site's certificate.",
	"PATH-LB-PATH":           "Add the protocol's virtual directory (for example /mapi, /rpc, /ews, /owa, /oab, /Microsoft-Server-ActiveSync, /Autodiscover) to the paths the load balancer or firewall passes to Exchange on 443.",
	"PATH-NO-CAS":            "Keep or install a Client Access server of the mailbox's version in the mailbox's AD site, or set its IsOutOfService back to $false and restart MSExchangeADTopology and IIS on the 2013/2016 servers so they see the change.",
	"PATH-OAB-FILE":          "None: describes how clients connect. When the download fails, make the Client Access server Autodiscover names a web distribution point of the mailbox's OAB.",
	"PATH-OAB-GEN":           "Keep an OAB generated by a 2007/2010 server assigned to the legacy mailbox databases until their mailboxes move, and give the 2013+ databases an OAB of their own.",
	"PATH-OUT-OF-SERVICE":    "None: describes how clients connect. To return a Client Access server to the proxy targets, set IsOutOfService $false and restart MSExchangeADTopology and IIS on the 2013/2016 servers (fixed from Exchange 2016 CU10 and 2013 CU21).",
	"PATH-PROXY-FQDN":        "None: describes how clients connect. When the proxy hop fails, make sure the legacy Client Access server's certificate and IIS accept its own server FQDN.",
	"PATH-RESOLVE":           "Publish the host name in the DNS the client's location uses (external DNS for clients outside, internal or split-brain DNS inside), or send those clients a name that resolves there.",
	"PATH-SAME-VERSION":      "None: describes how clients connect.",
	"PATH-VERSION-DIRECTION": "Move the namespace (DNS and load balancer) to the newest Exchange version before moving mailboxes to it.",
	"PATH-2A-DIRECT":         "None: describes how clients connect. When EWS or OAB fail, check that the Exchange 2007 legacy ExternalUrls resolve and are on the 2007 certificate (CERT-LEGACY).",
	"PATH-2A-EAS":            "None: describes how clients connect. For the redirect, set the 2007 Client Access server's EAS ExternalUrl to the legacy namespace, in DNS and on its certificate.",
	"PATH-2A-OA":             "None: describes how clients connect. Keep Outlook Anywhere enabled, with the authentication Autodiscover announces, on the Client Access server that serves 2007 users.",
	"PATH-2A-OWA":            "None: describes how clients connect. When the redirect fails, set the 2007 Client Access server's OWA ExternalUrl to the legacy namespace, in DNS and on its certificate.",
	"PATH-2A-POPIMAP":        "None: describes how clients connect. Keep the POP3/IMAP4 services running on a Client Access server in the mailbox's site.",
	"PATH-RPC-2007":          "None: describes how clients connect.",
	"PATH-2B-DIRECT":         "None: describes how clients connect. When EWS or OAB fail, check the legacy namespace's ExternalUrls, DNS and certificate (CERT-LEGACY).",
	"PATH-2B-OWA":            "Set the OWA ExternalUrl of the Internet-facing Exchange 2007 Client Access servers to the legacy namespace (https://legacy.<domain>/owa), publish the name in DNS and add it to their certificate.",
	"PATH-2B-POPIMAP":        "None: describes how clients connect. Keep the POP3/IMAP4 services running on a 2007 Client Access server in the mailbox's site.",
	"PATH-2B-PROXY":          "None: describes how clients connect. Set the 2007 EAS ExternalUrl to the 2013 namespace (or $null) so no 451 is sent.",
	"PATH-ECP-2007":          "None: describes how clients connect; 2007 users change their settings in OWA options.",
	"PATH-2C-PROXY":          "None: describes how clients connect. When the proxy fails, check the 2010 Client Access server of the mailbox's site: Outlook Anywhere enabled with NTLM in IIS (AUTH-LEGACY-NTLM), IsOutOfService $false.",
	"PATH-MAPI-LEGACY":       "None: describes how clients connect.",
	"PATH-OWA-REDIRECT":      "None: describes how clients connect. For single sign-on after a silent redirect, enable forms-based authentication on both OWA virtual directories (AUTH-FBA-SSO).",
	"PATH-RPC-ARRAY":         "None: describes how clients connect. Keep the RpcClientAccessServer name off the HTTPS namespace that moves (NS-RPC-ARRAY).",
	"NS-OA-SPLITBRAIN":       "Give internal and external Outlook Anywhere the same client authentication method (Set-OutlookAnywhere -InternalClientAuthenticationMethod and -ExternalClientAuthenticationMethod), or use different internal and external host names.",
	"PATH-2010-OA":           "None: describes how clients connect. Outlook Anywhere must be enabled on the 2010 Client Access server and, across sites, a 2010 Client Access server must exist in the mailbox's site.",
	"PATH-2D-EAS":            "None: describes how clients connect.",
	"PATH-2D-OAB":            "None: describes how clients connect. When the download fails for 2010 mailboxes, make a 2010 Client Access server in the front door's site a web distribution point of their OAB.",
	"PATH-2D-POPIMAP":        "Set each legacy Client Access server's POP3 and IMAP4 InternalConnectionSettings to its own FQDN (Set-PopSettings, Set-ImapSettings) and keep both services running on every legacy Client Access server of the site.",
	"PATH-2D-PROXY":          "None: describes how clients connect. When the proxy fails, check the 2010 Client Access server of the mailbox's site (AUTH-LEGACY-NTLM, AUTH-KB3140410).",
	"PATH-SECONDARY":         "None: describes how clients connect. Outlook Anywhere must work on the 2010 Client Access server of the shared mailbox (AUTH-LEGACY-NTLM, AUTH-KB3140410).",
	"PATH-2E-PROXY":          "None: describes how clients connect.",

	// Authentication.
	"AUTH-CONSISTENT":    "Use one Outlook Anywhere client authentication method (NTLM where clients support it) on the legacy and the new Client Access servers, and set the legacy servers' Outlook Anywhere ExternalHostname to the primary namespace.",
	"AUTH-EXPR-SERVER":   "Clear the EXPR Outlook provider's Server: Set-OutlookProvider EXPR -Server $null.",
	"AUTH-EXPR-WILDCARD": "Set the EXPR Outlook provider's CertPrincipalName to msstd:*.<domain> with Set-OutlookProvider EXPR -CertPrincipalName.",
	"AUTH-FBA-SSO":       "Enable forms-based authentication on both the source and the target OWA virtual directories, or accept that users sign in again after the redirect.",
	"AUTH-IIS-CLIENT":    "Add the method Outlook is told to use to IISAuthenticationMethods of /rpc on the server Outlook reaches (Set-OutlookAnywhere -IISAuthenticationMethods), or announce a client authentication method that IIS accepts.",
	"AUTH-KB3140410":     "Install KB3140410 on the Windows Server 2008 R2 legacy Client Access server, or set its DefaultAppPool identity to NetworkService and recycle the pool.",
	"AUTH-LEGACY-NTLM":   "Enable Outlook Anywhere on every legacy Client Access server (non-Internet-facing sites included) with NTLM in IISAuthenticationMethods (Set-OutlookAnywhere -IISAuthenticationMethods Basic,NTLM).",
	"AUTH-LM-COMPAT":     "Raise the client profile's LmCompatibilityLevel to 2 or higher (Group Policy: Network security: LAN Manager authentication level).",
	"AUTH-NTLM-PREF":     "Switch Outlook Anywhere client authentication from Basic to NTLM on the listed servers together, where the clients support it.",
	"AUTH-OA-SPLIT":      "None: describes how clients connect. Keep the client authentication method one that IISAuthenticationMethods includes (AUTH-IIS-CLIENT).",

	// TLS 1.2 readiness.
	"TLS-13":          "Set the TLS 1.3 Schannel Client and Server keys to Enabled=0 and DisabledByDefault=1 (the server's .reg file), then restart the server.",
	"TLS-DISABLE-OLD": "Re-enable TLS 1.0/1.1 on a server that is not ready until its build, .NET values and TLS 1.2 are; under the disable goal, disable TLS 1.0/1.1 last, once every server and client profile is TLS 1.2-ready.",
	"TLS-DOTNET":      "Exchange 2010: install the .NET 3.5.1 system-default-TLS update for the server's Windows release (KB3154517, KB3154518, KB3154519 or KB3154520). Exchange 2013 and later: install the newest .NET Framework 4.x the server's cumulative update supports.",
	"TLS-EXBUILD":     "Update Exchange to a build that supports the TLS goal (2010 SP3 RU19, 2013 CU19, 2016 CU8 for TLS 1.2; RU20, CU20, CU9 to disable TLS 1.0/1.1); replace Exchange 2007, which has no TLS 1.2 path.",
	"TLS-MISMATCH":    "Give the protocol version's Schannel Client and Server keys the same Enabled and DisabledByDefault values (the server's .reg file), then restart the server.",
	"TLS-NET35":       "Set SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 under the .NET v2.0.50727 key and its Wow6432Node twin (the server's .reg file), then restart the server.",
	"TLS-NET4":        "Set SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 under the .NET v4.0.30319 key and its Wow6432Node twin (the server's .reg file), then restart the server.",
	"TLS-OS":          "Install the Windows updates for TLS 1.2 (KB4019276 and KB3161949 on Windows Server 2008 SP2; KB3161949 on 2008 R2 SP1, 2012 and 2012 R2) or a later monthly rollup that contains them; keep 2016 and later on the current cumulative update.",
	"TLS-SCHANNEL":    "Set Enabled=1 and DisabledByDefault=0 under the TLS 1.2 Schannel Client and Server keys (the server's .reg file), then restart the server.",
	"TLS-VERIFY":      "After the changes, look for TLS 1.2 in the SMTP protocol logs, the IIS TLS logging fields or the load balancer's logs before disabling older versions.",
	"TLS-WIN7":        "Install KB3140245 on the Windows 7 clients and set DefaultSecureProtocols=0xA00 (both WinHttp keys) and Internet Explorer's SecureProtocols=0xA80 (the profile's .reg file or Group Policy).",

	// Certificates and namespaces.
	"CERT-EXPIRY":     "Renew the certificate with the same names and assign it to the Exchange services before it expires and before the cutover date.",
	"CERT-LEGACY":     "Create the legacy namespace: a DNS record that resolves to the Exchange 2007 Client Access servers, the name on their certificate, and their OWA, EWS, OAB and EAS ExternalUrls set to it.",
	"CERT-SAN":        "Add the missing name to the certificate (a new request with every client-facing name) on every server that terminates it, and assign it to IIS.",
	"CERT-SHA512":     "Install KB2973337 on the server, or replace the certificate with one signed with SHA256.",
	"NS-AUTOD-SCP":    "Set AutoDiscoverServiceInternalUri on every Client Access server to https://autodiscover.<domain>/Autodiscover/Autodiscover.xml, or the load-balanced name, resolving for internal clients (Set-ClientAccessServer; Set-ClientAccessService on 2016 and later).",
	"NS-MAPI-LB":      "Add /mapi/* on 443 to the paths the load balancer and firewall pass to the Exchange servers before mailboxes move to Exchange 2016 or later.",
	"NS-POPIMAP-FQDN": "Set each legacy Client Access server's POP3 and IMAP4 InternalConnectionSettings to its own FQDN (Set-PopSettings, Set-ImapSettings) and start both services on every legacy Client Access server.",
	"NS-RPC-ARRAY":    "Give the legacy databases' RpcClientAccessServer a name of its own that resolves only to the legacy Client Access servers, distinct from every HTTPS namespace, before that namespace moves to Exchange 2013 or later.",
	"NS-SSLOFFLOAD":   "Set Outlook Anywhere SSLOffloading to the same value on every Client Access server of the version, matching what the load balancer does with TLS ($true only when it terminates TLS).",
}

func init() {
	for _, r := range Rules() {
		r.Remedy = ruleRemedies[r.ID]
	}
}
