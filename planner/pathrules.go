package planner

// Path rules: the client connectivity and authentication rules (sections 2 and 3),
// applied while paths are computed. Their IDs appear in each path's
// "findings" and in the notes that explain a decision.
var (
	ruleResolve = &Rule{ID: "PATH-RESOLVE", Section: "2", Severity: SevError,
		Title:   "The host name a client uses must resolve at its location",
		Doc:     "A namespace resolves per client location (split-brain DNS gives two answers). A site is Internet-facing for a protocol when its virtual directory has an ExternalUrl; a host that does not resolve externally cannot serve external clients.",
		Sources: []string{"ms-ex2010-proxy-redirect", "blog-ex2016-coexist-ex2010"}}
	ruleLBPath = &Rule{ID: "PATH-LB-PATH", Section: "2", Severity: SevError,
		Title:   "The load balancer must pass the protocol's virtual directory",
		Doc:     "A layer-7 load balancer or firewall that lists URL paths passes only those; a client request for any other virtual directory never reaches Exchange.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	ruleFrontDoorOlder = &Rule{ID: "PATH-VERSION-DIRECTION", Section: "2", Severity: SevError, Inferred: true,
		Title:   "A front door serves the same or an older mailbox version only",
		Doc:     "2013 and 2016/2019 proxy to each other in both directions; a 2007/2010 front door cannot serve a newer mailbox. Move the namespace to the newest version before moving mailboxes.",
		Sources: []string{"ms-exchange-system-requirements", "blog-ex2013-coexist-connectivity"}}
	ruleNoCAS = &Rule{ID: "PATH-NO-CAS", Section: "2", Severity: SevError,
		Title:   "A legacy mailbox needs an eligible Client Access server in its site",
		Doc:     "2013/2016 build the proxy target from a legacy CAS FQDN in the mailbox's AD site, health-check it every 50 s (user agent HttpProxy.ClientAccessServer2010Ping in the legacy CAS's IIS log; 502/503/504 twice marks it down) and never pick a CAS with IsOutOfService $true. No eligible CAS in the mailbox's site: the path is broken. The live health state cannot be read from an inventory: coexist treats every CAS not IsOutOfService as eligible (docs/offline-limits.md).",
		Sources: []string{"blog-ex2016-coexist-ex2010", "kb4294204"}}
	ruleOutOfService = &Rule{ID: "PATH-OUT-OF-SERVICE", Section: "2", Severity: SevInfo,
		Title:   "CAS marked IsOutOfService are skipped as proxy targets",
		Doc:     "Set-ClientAccessServer -IsOutOfService $true removes a legacy CAS from the proxy targets of 2013/2016 front doors.",
		Sources: []string{"blog-ex2016-coexist-ex2010", "kb4294204"}}
	ruleProxyFQDN = &Rule{ID: "PATH-PROXY-FQDN", Section: "2", Severity: SevInfo,
		Title:   "2013/2016 proxy to a legacy CAS by its server FQDN",
		Doc:     "The front door builds the target URL from the legacy server's FQDN, not a load-balanced name and not the InternalUrl; the legacy certificate and IIS must accept that name.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	rule2010CrossSite = &Rule{ID: "PATH-2010-CROSS-SITE", Section: "2", Severity: SevInfo,
		Title:   "Exchange 2010 cross-site: redirect when the target site is Internet-facing, else proxy",
		Doc:     "A 2010 CAS serving a mailbox in another site looks at the ExternalUrl of that protocol's virtual directory on a CAS in the mailbox's site: set, and the client can be redirected (OWA, EAS) → redirect; not set, or the client cannot be redirected (POP/IMAP) → proxy to a CAS in the mailbox's site.",
		Sources: []string{"ms-ex2010-proxy-redirect"}}
	rule2aOWA = &Rule{ID: "PATH-2A-OWA", Section: "2a", Severity: SevInfo,
		Title:   "2010 front door, 2007 mailbox: OWA redirects to the legacy namespace",
		Doc:     "2007 CAS in an Internet-facing site: redirect to its OWA ExternalUrl (the legacy namespace); silent by default (LegacyRedirectType), manual if set. Non-Internet-facing site: proxy.",
		Sources: []string{"ms-ex2010-owa-upgrade", "ms-cmdlet-set-owavirtualdirectory"}}
	rule2aEAS = &Rule{ID: "PATH-2A-EAS", Section: "2a", Severity: SevInfo,
		Title:   "2010 front door, 2007 mailbox: EAS 451 redirect or proxy",
		Doc:     "Internet-facing 2007 site and a device that supports Autodiscover/451 (EAS 12.1+): HTTP 451 to the 2007 URL; otherwise proxy.",
		Sources: []string{"blog-transition-cas-2010", "ms-ex2010-proxy-redirect"}}
	rule2aWeb = &Rule{ID: "PATH-2A-DIRECT", Section: "2a", Severity: SevInfo, Inferred: true,
		Title:   "2010 front door, 2007 mailbox: EWS and OAB go direct to legacy URLs",
		Doc:     "Autodiscover, answered by the 2010 CAS, returns the 2007 settings and legacy URLs; EWS and OAB clients connect to those URLs directly.",
		Sources: []string{"blog-transition-cas-2010"}}
	rule2aOA = &Rule{ID: "PATH-2A-OA", Section: "2a", Severity: SevInfo,
		Title:   "2007 mailbox: Outlook Anywhere endpoint from Autodiscover",
		Doc:     "The Outlook Anywhere endpoint comes from Autodiscover (EXPR). The RPC proxy (2007 or 2010 CAS) de-encapsulates the RPC data and reaches a 2007 mailbox server directly; a 2007 OA endpoint may keep running side by side for 2007 users. Applies to 2007 mailboxes only (2010 mailboxes: PATH-2010-OA).",
		Sources: []string{"aaronmarks-oa-2007-2010"}}
	rule2010OA = &Rule{ID: "PATH-2010-OA", Section: "2d", Severity: SevInfo,
		Title:   "2010 mailbox: the RPC proxy de-encapsulates and reaches the mailbox through its site's CAS",
		Doc:     "The Outlook Anywhere RPC proxy on an Exchange 2010 CAS de-encapsulates the RPC data from the HTTP packets. Mailbox in the CAS's site: it retrieves the data from the local 2010 Mailbox server. Mailbox in another AD site: it proxies the Outlook RPC data to a 2010 Client Access server in that site, which reads the mailbox. The hops are RPC/MAPI data access, not HTTP proxies.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	rule2aPOP = &Rule{ID: "PATH-2A-POPIMAP", Section: "2a", Severity: SevInfo,
		Title:   "Legacy front door: POP/IMAP proxy to a CAS in the mailbox's site",
		Doc:     "POP3 and IMAP4 clients cannot be redirected; the CAS proxies to a CAS in the mailbox's site.",
		Sources: []string{"ms-ex2010-proxy-redirect"}}
	ruleRPC2007 = &Rule{ID: "PATH-RPC-2007", Section: "2a", Severity: SevInfo, Inferred: true,
		Title:   "Internal Outlook reaches a 2007 mailbox server directly over RPC/TCP",
		Doc:     "Exchange 2007 has no RPC Client Access service: internal Outlook connects to the mailbox server itself. The Exchange Team Blog describes the RPC Client Access service as new in Exchange 2010, replacing the Information Store's RPC endpoint on the mailbox server; that a 2010 CAS therefore never carries RPC/TCP for a 2007 mailbox is our reading.",
		Sources: []string{"blog-ex2010-rpc-client-access"}}
	rule2bProxy = &Rule{ID: "PATH-2B-PROXY", Section: "2b", Severity: SevInfo,
		Title:   "2013 front door, 2007 mailbox: Autodiscover, Outlook Anywhere and EAS are proxied",
		Doc:     "Proxied to a 2007 CAS in the mailbox's site. For EAS, set the 2007 EAS ExternalUrl to the 2013 namespace (or $null) so no 451 is sent.",
		Sources: []string{"blog-ex2013-ssl-offloading", "blog-ex2013-cas-config", "vanhorenbeeck-ex2013-interop"}}
	rule2bOWA = &Rule{ID: "PATH-2B-OWA", Section: "2b", Severity: SevError,
		Title:   "2013 front door, 2007 mailbox: OWA redirects to the legacy namespace",
		Doc:     "Redirect to the 2007 CAS OWA ExternalUrl (legacy.contoso.com). A missing ExternalUrl breaks OWA for 2007 mailboxes.",
		Sources: []string{"blog-ex2013-ssl-offloading", "blog-ex2013-cas-config", "vanhorenbeeck-ex2013-interop"}}
	rule2bWeb = &Rule{ID: "PATH-2B-DIRECT", Section: "2b", Severity: SevInfo,
		Title:   "2013 front door, 2007 mailbox: EWS and OAB direct to the legacy namespace",
		Doc:     "EWS and OAB clients connect to the legacy namespace URLs Autodiscover returns (OAB: inferred).",
		Sources: []string{"blog-ex2013-ssl-offloading", "vanhorenbeeck-ex2013-interop"}}
	rule2bPOP = &Rule{ID: "PATH-2B-POPIMAP", Section: "2b", Severity: SevInfo,
		Title:   "2013 front door, 2007 mailbox: POP/IMAP proxied",
		Doc:     "POP3 and IMAP4 are proxied to a 2007 CAS in the mailbox's site.",
		Sources: []string{"vanhorenbeeck-ex2013-interop"}}
	ruleECP2007 = &Rule{ID: "PATH-ECP-2007", Section: "2b", Severity: SevInfo,
		Title:   "ECP does not exist for 2007 mailboxes",
		Doc:     "The Exchange Control Panel arrived with 2010; 2007 mailboxes use OWA options.",
		Sources: []string{"vanhorenbeeck-ex2013-interop"}}
	rule2cProxy = &Rule{ID: "PATH-2C-PROXY", Section: "2c", Severity: SevInfo,
		Title:   "2013 front door, 2010 mailbox: proxied to a 2010 CAS in the mailbox's site",
		Doc:     "Autodiscover, Outlook Anywhere, EAS, EWS, OAB and POP/IMAP are proxied to a 2010 CAS in the mailbox's site.",
		Sources: []string{"vanhorenbeeck-ex2013-interop", "ms-ex2013-outlook-anywhere"}}
	ruleOWARedirect = &Rule{ID: "PATH-OWA-REDIRECT", Section: "2c", Severity: SevInfo,
		Title:   "OWA/ECP for an older mailbox: redirect to the target site's ExternalUrl, else proxy",
		Doc:     "When the mailbox site's OWA ExternalUrl is set and differs from the host the user reached, 2013/2016 redirect (silent with single sign-on when FBA is on both ends); otherwise they proxy to a CAS in the mailbox's site.",
		Sources: []string{"blog-ex2013-ssl-offloading", "blog-ex2016-coexist-ex2010", "vanhorenbeeck-ex2013-interop"}}
	ruleMapiLegacy = &Rule{ID: "PATH-MAPI-LEGACY", Section: "2c", Severity: SevInfo,
		Title:   "MAPI/HTTP is not available to 2007/2010 mailboxes",
		Doc:     "MAPI over HTTP needs a 2013 SP1+ mailbox; older mailboxes use Outlook Anywhere or RPC/TCP.",
		Sources: []string{"ms-mapi-over-http"}}
	ruleRPCArray = &Rule{ID: "PATH-RPC-ARRAY", Section: "2c", Severity: SevInfo,
		Title:   "Internal Outlook reaches a 2010 mailbox through its RpcClientAccessServer",
		Doc:     "2010 mailboxes keep using the database's RpcClientAccessServer (CAS array); 2013+ mailboxes have no RPC/TCP. The array FQDN must not be an HTTPS namespace that moves to 2013+ (NS-RPC-ARRAY).",
		Sources: []string{"ms-ex2013-cas", "ms-cmdlet-set-mailboxdatabase", "blog-ambiguous-urls"}}
	rule2dProxy = &Rule{ID: "PATH-2D-PROXY", Section: "2d", Severity: SevInfo,
		Title:   "2016/2019 front door, 2010 mailbox: proxied to a 2010 CAS in the mailbox's site",
		Doc:     "Autodiscover, Outlook Anywhere, EWS and POP/IMAP are proxied (locally or cross-site) to a 2010 CAS in the mailbox's site; that CAS builds the Autodiscover answer and de-encapsulates RPC to the 2010 mailbox server.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	rule2dEAS = &Rule{ID: "PATH-2D-EAS", Section: "2d", Severity: SevInfo,
		Title:   "2016/2019 never send EAS 451 on-premises",
		Doc:     "EAS is always proxied, cross-site to a 2010 CAS in the mailbox's site; 2016 sends 451 only to Exchange Online in hybrid.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	rule2dOAB = &Rule{ID: "PATH-2D-OAB", Section: "2d", Severity: SevInfo,
		Title:   "OAB is proxied to a distribution point in the front door's own site",
		Doc:     "For 2010 mailboxes, 2016 proxies OAB requests to a CAS in the front door's own site that is a web distribution point of the mailbox's OAB; for 2016 mailboxes, to the server holding the active OABGEN mailbox copy nearest the user.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	rule2dPOP = &Rule{ID: "PATH-2D-POPIMAP", Section: "2d", Severity: SevWarning,
		Title:   "POP/IMAP proxy uses the legacy CAS InternalConnectionSettings",
		Doc:     "2016 enumerates the InternalConnectionSettings of every eligible 2010 CAS in the mailbox's site and proxies POP/IMAP to the host they name, which must be the server FQDN: a name that resolves to a 2013+ front door loops the session back (broken), one that resolves to another legacy server lands there (warning). The target is picked by the client's channel (client profile pop_imap_channel, default encrypted): encrypted incoming → SSL, then TLS, then plain text; plain-text incoming → plain text, then SSL, then TLS. No health check: a stopped POP/IMAP service on any eligible CAS of the site is a warning (some sessions land there); stopped on every candidate, the path is broken.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	ruleOABFile = &Rule{ID: "PATH-OAB-FILE", Section: "2", Severity: SevInfo, Inferred: true,
		Title:   "OAB is a file download from a web distribution point",
		Doc:     "Outlook downloads the offline address book over HTTPS as files from the OAB virtual directory that Autodiscover names: a 2007/2010 CAS that is a web distribution point of the OAB serves them itself, with no mailbox server involved. Exchange 2010 does not proxy OAB downloads to another site, so a CAS that distributes the OAB serves it even to a mailbox in another site. Inferred: the sources describe only the 2016 front door's OAB proxy.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	ruleOABGen = &Rule{ID: "PATH-OAB-GEN", Section: "2", Severity: SevWarning, Inferred: true,
		Title:   "A 2013+-generated OAB assigned to 2007/2010 mailboxes",
		Doc:     "Exchange 2013 moved OAB generation into the OABGEN arbitration mailbox; a 2007/2010 CAS web distribution point copies its files from a 2007/2010 generation server, so it has nothing to serve for an OAB that only 2013+ servers generate (inferred: no article states it). Microsoft KB3047178 (\"Outlook can't download offline address book in an Exchange coexistence environment\") documents 2010 mailboxes using the 2013 default OAB and failing to download it when Autodiscover omits its URL. Keep a 2007/2010-generated OAB on the legacy databases until their mailboxes move, as Microsoft's TechNet Wiki \"Offline Address Book Configuration in Exchange 2010 & 2016 Coexistence\" recommends (new OAB for 2016, set on the 2016 databases only).",
		Sources: []string{"kb3047178", "technet-wiki-oab-2010-2016"}}
	ruleEASAutodiscover = &Rule{ID: "PATH-EAS-AUTODISCOVER", Section: "2", Severity: SevInfo,
		Title:   "New ActiveSync devices get the mailbox site's EAS URL",
		Doc:     "Autodiscover configures a newly set-up ActiveSync device with the EAS ExternalUrl of the 2007/2010 mailbox's Internet-facing site, so new devices of a regional user use the regional name (\"any new device that is configured will automatically be configured to use mail-region.contoso.com\"), whatever name older devices were set up with.",
		Sources: []string{"blog-ex2016-coexist-ex2010"}}
	ruleSameVersion = &Rule{ID: "PATH-SAME-VERSION", Section: "2", Severity: SevInfo,
		Title:   "Same version: the front door proxies to the mailbox server",
		Doc:     "A 2013+ front door proxies every protocol to the server holding the active database copy, locally or cross-site (OWA may redirect to a different site's ExternalUrl).",
		Sources: []string{"blog-ex2013-coexist-connectivity", "blog-ex2016-coexist-mixed"}}
	rule2e = &Rule{ID: "PATH-2E-PROXY", Section: "2e", Severity: SevInfo, Inferred: true,
		Title:   "2016/2019 and 2013 proxy to each other in both directions",
		Doc:     "Every HTTP protocol and POP/IMAP is proxied between 2013 (CU10+) and 2016/2019 both ways; MAPI/HTTP follows the org setting.",
		Sources: []string{"ms-exchange-system-requirements", "blog-ex2016-coexist-mixed"}}
	ruleUnsupportedPair = &Rule{ID: "PATH-UNSUPPORTED-PAIR", Section: "1", Severity: SevError,
		Title:   "No path exists between unsupported version pairs",
		Doc:     "Exchange 2016/2019 cannot coexist with 2007 (and 2019 not with 2010): a front door of that version cannot reach such a mailbox.",
		Sources: []string{"ms-exchange-system-requirements"}}
	ruleMapiClient = &Rule{ID: "PATH-MAPI-CLIENT", Section: "1", Severity: SevInfo,
		Title:   "MAPI/HTTP needs a capable Outlook and the org setting",
		Doc:     "MAPI/HTTP needs Outlook 2013 SP1+, or 2010 SP2 with KB2956191 and KB2965295; otherwise Outlook stays on Outlook Anywhere. Enabled by default when 2016 joins a 2010-only org, disabled by default when any 2013 server exists.",
		Sources: []string{"ms-exchange-supportability-matrix", "ms-mapi-over-http"}}
	ruleSecondary = &Rule{ID: "PATH-SECONDARY", Section: "2d", Severity: SevInfo,
		Title:   "Full Access secondary mailboxes open over Outlook Anywhere",
		Doc:     "A 2016 mailbox with Full Access to a 2010 mailbox opens the secondary mailbox over Outlook Anywhere through 2016 → 2010 CAS, even when the primary uses MAPI/HTTP.",
		Sources: []string{"byronwright-coexistence-notes"}}
	ruleOutlook2003 = &Rule{ID: "PATH-OUTLOOK-2003", Section: "1", Severity: SevError,
		Title:   "Outlook 2003 cannot connect through Exchange 2013 or later",
		Doc:     "Exchange 2013+ does not support Outlook 2003 and requires RPC encryption, which old Outlook 2003 profiles lack; such users must upgrade Outlook before the namespace moves.",
		Sources: []string{"ms-ex2013-system-requirements", "redmond-ex2013-cas-legacy"}}
	ruleLegacyNTLM = &Rule{ID: "AUTH-LEGACY-NTLM", Section: "3", Severity: SevError,
		Title:   "Legacy CAS must have Outlook Anywhere enabled with NTLM in IIS authentication",
		Doc:     "When 2013/2016 proxies Outlook Anywhere to a 2007/2010 CAS it authenticates with Windows authentication, so the legacy CAS must have OA enabled (also in non-Internet-facing sites) and NTLM in IISAuthenticationMethods (Integrated Windows Authentication, which carries Kerberos as well as NTLM). Basic-only legacy /rpc → endless prompts. The articles disagree on the protocol: Tony Redmond's account of Greg Taylor's TEC talk (\"the proxy from the Exchange 2013 CAS uses Kerberos\") and the Exchange 2016 RpcHttp proxy log quoted in Byron Wright's notes (KerberosUtilities.GenerateKerberosAuthHeader) say Kerberos; the o365info.com series says NTLM. coexist labels the proxy hop Kerberos (two of three, including the 2016 log) and requires NTLM in IIS, which serves both readings.",
		Sources: []string{"ms-ex2013-outlook-anywhere", "o365info-ex2013-outlook-infrastructure", "redmond-ex2013-cas-legacy", "blog-ex2016-coexist-ex2010", "byronwright-coexistence-notes"}}
	ruleOASplit = &Rule{ID: "AUTH-OA-SPLIT", Section: "3", Severity: SevInfo,
		Title:   "Outlook Anywhere client authentication is separate from IIS authentication",
		Doc:     "ClientAuthenticationMethod (2013+: Internal/ExternalClientAuthenticationMethod) is what Autodiscover tells Outlook; IISAuthenticationMethods is what IIS /rpc accepts.",
		Sources: []string{"ms-cmdlet-set-outlookanywhere", "ms-ex2007-oa-auth", "o365info-ex2013-outlook-infrastructure"}}
	ruleExprServer = &Rule{ID: "AUTH-EXPR-SERVER", Section: "3", Severity: SevWarning,
		Title:   "EXPR provider Server set: Outlook falls back to Basic",
		Doc:     "Setting the EXPR Outlook Provider -Server makes Autodiscover return AuthPackage unspecified, so Outlook falls back to Basic; leave -Server $null when NTLM is intended.",
		Sources: []string{"aaronmarks-oa-2007-2010"}}
	ruleFBASSO = &Rule{ID: "AUTH-FBA-SSO", Section: "3", Severity: SevWarning,
		Title:   "Silent OWA redirect with single sign-on needs FBA on both ends",
		Doc:     "Without forms-based authentication on the source and the target OWA virtual directory, users are redirected but must sign in again.",
		Sources: []string{"blog-ex2016-coexist-ex2010", "ms-ex2010-proxy-redirect"}}
	ruleOutlook2003NA = &Rule{ID: "PATH-OUTLOOK-2003-NA", Section: "1", Severity: SevInfo,
		Title:   "Outlook 2003 has no Autodiscover, EWS or web OAB download",
		Doc:     "Autodiscover, Exchange Web Services and the OAB download over HTTP (web distribution) arrived with Outlook 2007. Outlook 2003 profiles are configured by hand (server or RPC Client Access name, Outlook Anywhere proxy settings), use public folders for free/busy, and download the OAB from the OAB public folder (Exchange 2007/2010 PublicFolderDistributionEnabled). Those paths do not apply to Outlook 2003 users; keep public folder distribution of the OAB until they are upgraded.",
		Sources: []string{"ms-ex2007-set-offlineaddressbook", "redmond-ex2013-cas-legacy"}}
	ruleOutlook2003RPC = &Rule{ID: "PATH-OUTLOOK-2003-RPC", Section: "1", Severity: SevWarning,
		Title:   "Outlook 2003 over RPC/TCP to Exchange 2010 needs RPC encryption on",
		Doc:     "Exchange 2010 (and 2013) RPC Client Access requires RPC encryption from clients by default (Set-RpcClientAccess -EncryptionRequired); Outlook 2003 profiles do not encrypt by default, so they are refused unless encryption is enabled in the profile or by Group Policy. Tony Redmond's article: \"The default was the same for Exchange 2010 … only Outlook 2003 clients were really affected by making RPC encryption the default.\"",
		Sources: []string{"redmond-ex2013-cas-legacy"}}
	ruleIISClient = &Rule{ID: "AUTH-IIS-CLIENT", Section: "3", Severity: SevError,
		Title:   "IIS /rpc must accept the method Outlook is told to use",
		Doc:     "Outlook Anywhere authenticates twice over: what Autodiscover tells Outlook (ClientAuthenticationMethod; 2013+: Internal/ExternalClientAuthenticationMethod; Basic when the EXPR provider's -Server is set, because AuthPackage is then unspecified) and what IIS /rpc on the server Outlook reaches accepts (IISAuthenticationMethods). Basic offered to an /rpc without Basic, or NTLM to an /rpc without NTLM, cannot authenticate: the path is broken and Outlook prompts again and again. Negotiate falls back to NTLM. With split-brain DNS and one Outlook Anywhere name inside and out, external clients use the internal settings. IIS on 2013+ must include NTLM when clients are told NTLM (the o365info.com series: IISAuthenticationMethods {Basic, Ntlm}). Not recorded: 2013+ defaults to Basic, NTLM, Negotiate; a 2007/2010 /rpc to the client method it was enabled with (Tony Redmond's article).",
		Sources: []string{"aaronmarks-oa-2007-2010", "o365info-ex2013-outlook-infrastructure", "redmond-ex2013-cas-legacy", "blog-ex2016-coexist-ex2010"}}
	ruleLMCompat = &Rule{ID: "AUTH-LM-COMPAT", Section: "3", Severity: SevWarning,
		Title:   "LM compatibility level below 2: Outlook Anywhere prompts at every connection",
		Doc:     "Microsoft's Outlook Anywhere guidance, as Aaron Marks's article quotes it: \"If you click Basic Authentication or NTLM Authentication and an LM Compatibility Level of less than 2, you will be prompted for a password each time a connection is made to Exchange.\" Applies to client profiles with lm_compatibility_level 0 or 1 whose Outlook Anywhere negotiates Basic or NTLM.",
		Sources: []string{"aaronmarks-oa-2007-2010"}}
	ruleKB3140410 = &Rule{ID: "AUTH-KB3140410", Section: "3", Severity: SevError,
		Title:   "2008 R2 legacy CAS without KB3140410: proxied Outlook Anywhere prompts endlessly",
		Doc:     "Exchange 2007/2010 CAS on Windows Server 2008 R2 without KB3140410: Outlook Anywhere proxied through 2013/2016 prompts endlessly (notably 2016 users opening a 2010 shared mailbox). Install KB3140410, or set the DefaultAppPool identity to NetworkService and recycle it. Byron Wright observed 2016 users opening a 2010 mailbox (\"Only an Exchange 2010 mailbox was fine because it used only RPC to Exchange 2010\", internal users); that a 2010 user's own Outlook Anywhere proxied by 2016 fails the same way is inferred, and paths say so. Diagnose in the 2016 RpcHttp proxy log (V15\\Logging\\HttpProxy\\RpcHttp): ResponseStatusCode=401, NegotiateSecurityContext failed, status 'InvalidToken'.",
		Sources: []string{"kb3140410", "byronwright-coexistence-notes"}}
)

// pathRules lists every rule applied while computing paths.
var pathRules = []*Rule{
	ruleResolve, ruleLBPath, ruleFrontDoorOlder, ruleNoCAS, ruleOutOfService, ruleProxyFQDN,
	rule2010CrossSite, rule2010OA, rule2aOWA, rule2aEAS, rule2aWeb, rule2aOA, rule2aPOP, ruleRPC2007,
	rule2bProxy, rule2bOWA, rule2bWeb, rule2bPOP, ruleECP2007, rule2cProxy, ruleOWARedirect,
	ruleMapiLegacy, ruleRPCArray, rule2dProxy, rule2dEAS, rule2dOAB, rule2dPOP, ruleSameVersion,
	rule2e, ruleUnsupportedPair, ruleOutlook2003, ruleMapiClient, ruleSecondary, ruleLegacyNTLM, ruleOASplit,
	ruleExprServer, ruleFBASSO, ruleKB3140410, ruleOABFile, ruleOABGen, ruleIISClient, ruleLMCompat, ruleEASAutodiscover,
	ruleOutlook2003NA, ruleOutlook2003RPC,
}
