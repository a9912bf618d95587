package planner

import (
	"sort"
	"strconv"
	"strings"
)

// Basis says how a rule's claim is known: stated by Microsoft, reported by
// practitioners, or inferred by us from what the sources do say.
type Basis string

// The three bases, strongest first.
const (
	// BasisDocumented is Microsoft product documentation, a KB article or
	// an Exchange Team Blog post.
	BasisDocumented Basis = "documented"
	// BasisPractitioner is a consultant's or administrator's article:
	// consistent with the field, but not stated by Microsoft.
	BasisPractitioner Basis = "practitioner"
	// BasisInferred is our reading of the sources; outputs label it so a
	// consultant verifies it.
	BasisInferred Basis = "inferred"
)

// Source is one publication a rule rests on: what a reader needs to find
// it again.
type Source struct {
	// Key is the stable identifier rules, findings and path notes cite
	// (readable: "kb3140410", "blog-ex2016-coexist-ex2010").
	Key string
	// Title is the publication's own title. When the original title could
	// not be confirmed it describes the article, and Note says so.
	Title string
	// Publisher is the site or organisation that published it.
	Publisher string
	// Author, when known.
	Author string
	// Date is the publication date (YYYY-MM-DD, YYYY-MM or YYYY), when known.
	Date string
	// URL is where to read it. Empty when the address could not be
	// confirmed: the title and publisher are then the way to find it.
	URL string
	// Note qualifies the entry ("title not confirmed", "URL not confirmed").
	Note string
	// Kind is BasisDocumented for Microsoft texts, BasisPractitioner for
	// practitioners' articles.
	Kind Basis
}

// Citation is the source in one line: title, publisher, date and address.
func (s *Source) Citation() string {
	var b strings.Builder
	b.WriteString(s.Title)
	if !strings.HasSuffix(s.Title, "?") && !strings.HasSuffix(s.Title, ".") {
		b.WriteString(".")
	}
	if s.Author != "" {
		b.WriteString(" " + s.Author + ".")
	}
	if s.Publisher != "" {
		b.WriteString(" " + s.Publisher)
	}
	if s.Date != "" {
		b.WriteString(", " + s.Date)
	}
	b.WriteString(".")
	if s.URL != "" {
		b.WriteString(" " + s.URL)
	}
	if s.Note != "" {
		b.WriteString(" (" + s.Note + ")")
	}
	return b.String()
}

const (
	pubLearn     = "Microsoft Learn"
	pubLearnOld  = "Microsoft Learn (previous versions of Exchange)"
	pubSupport   = "Microsoft Support"
	pubTeamBlog  = "Exchange Team Blog, Microsoft Tech Community"
	pubCSS       = "Microsoft CSS-Exchange (GitHub)"
	pubLifecycle = "Microsoft Learn, Microsoft Lifecycle"
	noteNoURL    = "URL not confirmed: search the title"
	noteDescribe = "original title not confirmed: described by subject"
)

// sources is the bibliography: every publication a rule may cite. Keep it
// sorted by key.
var sources = []*Source{
	{Key: "aaronmarks-oa-2007-2010", Kind: BasisPractitioner,
		Title:  "Running Exchange 2007 and Exchange 2010 Outlook Anywhere side by side (EXPR Outlook Provider, AuthPackage, NTLM)",
		Author: "Aaron Marks", Publisher: "blog.aaronmarks.com", URL: "http://blog.aaronmarks.com/?p=108", Note: noteDescribe},
	{Key: "blog-ex2013-coexist-connectivity", Kind: BasisDocumented,
		Title: "Client Connectivity in an Exchange 2013 Coexistence Environment", Publisher: pubTeamBlog, Date: "2014-03-12",
		URL: "https://techcommunity.microsoft.com/t5/exchange-team-blog/client-connectivity-in-an-exchange-2013-coexistence-environment/ba-p/587265"},
	{Key: "blog-ex2013-cas-config", Kind: BasisDocumented,
		Title: "Exchange 2013 Client Access Server Configuration", Publisher: pubTeamBlog, Note: noteNoURL},
	{Key: "blog-ex2013-ssl-offloading", Kind: BasisDocumented,
		Title: "Configuring SSL offloading in Exchange 2013", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/configuring-ssl-offloading-in-exchange-2013-exchange-2013-help"},
	{Key: "blog-ex2010-rpc-client-access", Kind: BasisDocumented,
		Title: "Exploring Exchange 2010 RPC Client Access service", Publisher: pubTeamBlog, Date: "2010-05-20",
		URL: "https://techcommunity.microsoft.com/t5/exchange-team-blog/exploring-exchange-2010-rpc-client-access-service/ba-p/593576"},
	{Key: "blog-ex2016-coexist-ex2010", Kind: BasisDocumented,
		Title:  "Client Connectivity in an Exchange 2016 Coexistence Environment with Exchange 2010",
		Author: "Ross Smith IV", Publisher: pubTeamBlog, Date: "2015-10-26",
		URL: "https://techcommunity.microsoft.com/blog/exchange/client-connectivity-in-an-exchange-2016-coexistence-environment-with-exchange-20/603945"},
	{Key: "blog-ex2016-coexist-mixed", Kind: BasisDocumented,
		Title:  "Client Connectivity in an Exchange 2016 Coexistence Environment with Mixed Exchange Versions",
		Author: "Ross Smith IV", Publisher: pubTeamBlog, Date: "2015-10-30",
		URL: "https://techcommunity.microsoft.com/t5/exchange-team-blog/client-connectivity-in-an-exchange-2016-coexistence-environment/ba-p/604284"},
	{Key: "blog-ambiguous-urls", Kind: BasisDocumented,
		Title: "Ambiguous URLs and their effect on Exchange 2010 to Exchange 2013 Migrations", Publisher: pubTeamBlog, Date: "2013-05-23",
		URL: "https://techcommunity.microsoft.com/t5/exchange-team-blog/ambiguous-urls-and-their-effect-on-exchange-2010-to-exchange/ba-p/593809"},
	{Key: "blog-outlook-providers", Kind: BasisDocumented,
		Title: "When, if and how do you modify Outlook Providers?", Publisher: "Exchange Team Blog (Microsoft)", Date: "2008-09-29",
		URL: "https://go.microsoft.com/fwlink/?linkid=160947"},
	{Key: "blog-tls-part1", Kind: BasisDocumented,
		Title: "Exchange Server TLS guidance, part 1: Getting Ready for TLS 1.2", Publisher: pubTeamBlog,
		URL: "https://techcommunity.microsoft.com/t5/exchange-team-blog/exchange-server-tls-guidance-part-1-getting-ready-for-tls-1-2/ba-p/607649"},
	{Key: "blog-tls-part2", Kind: BasisDocumented,
		Title: "Exchange Server TLS guidance Part 2: Enabling TLS 1.2 and Identifying Clients Not Using It", Publisher: pubTeamBlog,
		URL: "https://techcommunity.microsoft.com/t5/exchange-team-blog/exchange-server-tls-guidance-part-2-enabling-tls-1-2-and/ba-p/607761"},
	{Key: "blog-tls-part3", Kind: BasisDocumented,
		Title: "Exchange Server TLS guidance Part 3: Turning Off TLS 1.0/1.1", Publisher: pubTeamBlog, Date: "2018-05-23",
		URL: "https://blogs.technet.microsoft.com/exchange/2018/05/23/exchange-server-tls-guidance-part-3-turning-off-tls-1-01-1/"},
	{Key: "blog-transition-cas-2010", Kind: BasisDocumented,
		Title: "Transitioning Client Access to Exchange Server 2010", Publisher: "Exchange Team Blog (Microsoft)", Date: "2009-11-20",
		URL: "https://blogs.technet.microsoft.com/exchange/2009/11/20/transitioning-client-access-to-exchange-server-2010/"},
	{Key: "blog-upgrade-exchange-se", Kind: BasisDocumented,
		Title: "Upgrading your organization from current versions to Exchange Server SE", Publisher: pubTeamBlog,
		URL: "https://techcommunity.microsoft.com/blog/exchange/upgrading-your-organization-from-current-versions-to-exchange-server-se/4241305"},
	{Key: "css-healthchecker", Kind: BasisDocumented,
		Title: "HealthChecker.ps1 (Exchange Server Health Checker), certificate checks", Publisher: pubCSS,
		URL: "https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/"},
	{Key: "css-healthchecker-tls", Kind: BasisDocumented,
		Title: "HealthChecker: TLS Configuration Check", Publisher: pubCSS,
		URL: "https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/TLSConfigurationCheck/"},
	{Key: "kb3140245", Kind: BasisDocumented,
		Title: "KB3140245: Update to enable TLS 1.1 and TLS 1.2 as default secure protocols in WinHTTP in Windows", Publisher: pubSupport,
		URL: "https://support.microsoft.com/kb/3140245"},
	{Key: "kb3140410", Kind: BasisDocumented,
		Title: "KB3140410 (MS16-031): Security update for Microsoft Windows to address elevation of privilege: March 8, 2016", Publisher: pubSupport,
		Date: "2016-03-08", URL: "https://support.microsoft.com/kb/3140410"},
	{Key: "kb3047178", Kind: BasisDocumented,
		Title: "KB3047178: Outlook can't download offline address book in an Exchange coexistence environment", Publisher: pubSupport,
		URL: "https://support.microsoft.com/kb/3047178"},
	{Key: "kb4294204", Kind: BasisDocumented,
		Title:     `KB4294204: Changing "IsOutOfService" to "False" in an earlier Exchange Server version does not immediately update in a later Exchange Server environment`,
		Publisher: pubSupport, URL: "https://support.microsoft.com/help/4294204"},
	{Key: "ms-cmdlet-set-mailboxdatabase", Kind: BasisDocumented,
		Title: "Set-MailboxDatabase (RpcClientAccessServer)", Publisher: pubLearn + ", Exchange PowerShell reference",
		URL: "https://learn.microsoft.com/powershell/module/exchange/set-mailboxdatabase"},
	{Key: "ms-cmdlet-set-outlookanywhere", Kind: BasisDocumented,
		Title: "Set-OutlookAnywhere", Publisher: pubLearn + ", Exchange PowerShell reference",
		URL: "https://learn.microsoft.com/powershell/module/exchange/set-outlookanywhere"},
	{Key: "ms-cmdlet-set-owavirtualdirectory", Kind: BasisDocumented,
		Title: "Set-OwaVirtualDirectory (LegacyRedirectType)", Publisher: pubLearn + ", Exchange PowerShell reference",
		URL: "https://learn.microsoft.com/powershell/module/exchange/set-owavirtualdirectory"},
	{Key: "ms-dotnet-tls", Kind: BasisDocumented,
		Title: "Transport Layer Security (TLS) best practices with the .NET Framework", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/dotnet/framework/network-programming/tls"},
	{Key: "ms-ex2007-oa-auth", Kind: BasisDocumented,
		Title: "How to Configure Authentication for Outlook Anywhere (Exchange 2007)", Publisher: pubLearnOld,
		URL: "http://technet.microsoft.com/en-us/library/bb124149(v=exchg.80).aspx"},
	{Key: "ms-ex2007-set-offlineaddressbook", Kind: BasisDocumented,
		Title: "Set-OfflineAddressBook (Exchange 2007): PublicFolderDistributionEnabled", Publisher: pubLearnOld,
		URL: "https://learn.microsoft.com/previous-versions/office/exchange-server-2007/aa996330"},
	{Key: "ms-ex2010-owa-upgrade", Kind: BasisDocumented,
		Title: "Upgrading Outlook Web App to Exchange 2010", Publisher: pubTeamBlog, Date: "2009-12-02",
		URL: "https://techcommunity.microsoft.com/t5/Exchange-Team-Blog/Upgrading-Outlook-Web-App-to-Exchange-2010/ba-p/596845"},
	{Key: "ms-ex2010-proxy-redirect", Kind: BasisDocumented,
		Title: "Understanding Proxying and Redirection (Exchange 2010)", Publisher: pubLearnOld,
		URL: "https://learn.microsoft.com/previous-versions/office/exchange-server-2010/bb310763(v=exchg.141)"},
	{Key: "ms-ex2010-system-requirements", Kind: BasisDocumented,
		Title: "Exchange 2010 System Requirements", Publisher: pubLearnOld,
		URL: "https://learn.microsoft.com/previous-versions/office/exchange-server-2010/aa996719(v=exchg.141)"},
	{Key: "ms-ex2013-cas", Kind: BasisDocumented,
		Title: "Client Access server (Exchange 2013)", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/client-access-server-exchange-2013-help"},
	{Key: "ms-ex2013-outlook-anywhere", Kind: BasisDocumented,
		Title: "Outlook Anywhere (Exchange 2013)", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/outlook-anywhere-exchange-2013-help"},
	{Key: "ms-ex2013-release-notes", Kind: BasisDocumented,
		Title: "Release notes for Exchange 2013", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/release-notes-for-exchange-2013-exchange-2013-help"},
	{Key: "ms-ex2013-system-requirements", Kind: BasisDocumented,
		Title: "Exchange 2013 system requirements", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/exchange-2013-system-requirements-exchange-2013-help"},
	{Key: "ms-exchange-build-numbers", Kind: BasisDocumented,
		Title: "Exchange Server build numbers and release dates", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates"},
	{Key: "ms-exchange-product-key", Kind: BasisDocumented,
		Title: "Enter your Exchange Server product key", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/enter-product-key"},
	{Key: "ms-exchange-supportability-matrix", Kind: BasisDocumented,
		Title: "Exchange Server supportability matrix", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/plan-and-deploy/supportability-matrix"},
	{Key: "ms-exchange-system-requirements", Kind: BasisDocumented,
		Title: "Exchange Server system requirements", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/plan-and-deploy/system-requirements"},
	{Key: "ms-exchange-update-faq", Kind: BasisDocumented,
		Title: "Exchange Server update FAQ", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/security-best-practices/exchange-server-update-faq"},
	{Key: "ms-exchange-tls-configuration", Kind: BasisDocumented,
		Title: "Exchange Server TLS configuration best practices", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/security-best-practices/exchange-tls-configuration"},
	{Key: "ms-lifecycle-exchange-2007", Kind: BasisDocumented,
		Title: "Exchange Server 2007 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/exchange-server-2007"},
	{Key: "ms-lifecycle-exchange-2010", Kind: BasisDocumented,
		Title: "Exchange Server 2010 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/exchange-server-2010"},
	{Key: "ms-lifecycle-exchange-2013", Kind: BasisDocumented,
		Title: "Exchange Server 2013 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/exchange-server-2013"},
	{Key: "ms-lifecycle-exchange-2016", Kind: BasisDocumented,
		Title: "Exchange Server 2016 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/exchange-server-2016"},
	{Key: "ms-lifecycle-exchange-2019", Kind: BasisDocumented,
		Title: "Exchange Server 2019 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/exchange-server-2019"},
	{Key: "ms-lifecycle-office-2007", Kind: BasisDocumented,
		Title: "Microsoft Office 2007 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/microsoft-office-2007"},
	{Key: "ms-lifecycle-outlook-2010", Kind: BasisDocumented,
		Title: "Outlook 2010 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/outlook-2010"},
	{Key: "ms-lifecycle-outlook-2013", Kind: BasisDocumented,
		Title: "Outlook 2013 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/outlook-2013"},
	{Key: "ms-lifecycle-outlook-2016", Kind: BasisDocumented,
		Title: "Outlook 2016 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/outlook-2016"},
	{Key: "ms-lifecycle-outlook-2019", Kind: BasisDocumented,
		Title: "Outlook 2019 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/outlook-2019"},
	{Key: "ms-lifecycle-outlook-2021", Kind: BasisDocumented,
		Title: "Outlook 2021 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/outlook-2021"},
	{Key: "ms-lifecycle-windows-10", Kind: BasisDocumented,
		Title: "Windows 10 Home and Pro - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-10-home-and-pro"},
	{Key: "ms-lifecycle-windows-7", Kind: BasisDocumented,
		Title: "Windows 7 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-7"},
	{Key: "ms-lifecycle-windows-81", Kind: BasisDocumented,
		Title: "Windows 8.1 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-81"},
	{Key: "ms-lifecycle-windows-server-2003", Kind: BasisDocumented,
		Title: "Windows Server 2003 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2003-"},
	{Key: "ms-lifecycle-windows-server-2008", Kind: BasisDocumented,
		Title: "Windows Server 2008 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2008"},
	{Key: "ms-lifecycle-windows-server-2008-r2", Kind: BasisDocumented,
		Title: "Windows Server 2008 R2 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2008-r2"},
	{Key: "ms-lifecycle-windows-server-2012", Kind: BasisDocumented,
		Title: "Windows Server 2012 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2012"},
	{Key: "ms-lifecycle-windows-server-2012-r2", Kind: BasisDocumented,
		Title: "Windows Server 2012 R2 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2012-r2"},
	{Key: "ms-lifecycle-windows-server-2016", Kind: BasisDocumented,
		Title: "Windows Server 2016 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2016"},
	{Key: "ms-lifecycle-windows-server-2019", Kind: BasisDocumented,
		Title: "Windows Server 2019 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2019"},
	{Key: "ms-lifecycle-windows-server-2022", Kind: BasisDocumented,
		Title: "Windows Server 2022 - Microsoft Lifecycle", Publisher: pubLifecycle,
		URL: "https://learn.microsoft.com/lifecycle/products/windows-server-2022"},
	{Key: "ms-mapi-over-http", Kind: BasisDocumented,
		Title: "MAPI over HTTP in Exchange Server", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/exchange/clients/mapi-over-http/mapi-over-http"},
	{Key: "ms-prepare-tls12-office365", Kind: BasisDocumented,
		Title: "Preparing for TLS 1.2 in Office 365 and Office 365 GCC", Publisher: pubLearn,
		URL: "https://learn.microsoft.com/purview/prepare-tls-1.2-in-office-365"},
	{Key: "o365info-ex2013-outlook-infrastructure", Kind: BasisPractitioner,
		Title:  "Exchange 2013 coexistence environment and Outlook infrastructure | Part 2/2 | 14#23",
		Author: "Eyal Doron", Publisher: "o365info.com",
		URL: "http://o365info.com/exchange-2013-coexistence-environment-and-outlook-infrastructure-part-22/"},
	{Key: "redmond-ex2013-cas-legacy", Kind: BasisPractitioner,
		Title:  "Exchange 2013 Client Access servers proxying and redirecting to Exchange 2007/2010 (after Greg Taylor's TEC 2012 talk)",
		Author: "Tony Redmond", Publisher: "Thoughts of an Idle Mind", Date: "2012-10-31",
		URL: "https://thoughtsofanidlemind.com/2012/10/31/outlook-anywhere-exchange-2013/", Note: noteDescribe},
	{Key: "technet-wiki-oab-2010-2016", Kind: BasisPractitioner,
		Title: "Offline Address Book Configuration in Exchange 2010 & 2016 Coexistence", Publisher: "Microsoft TechNet Wiki (community article)", Note: noteNoURL},
	{Key: "vanhorenbeeck-ex2013-interop", Kind: BasisPractitioner,
		Title: "Exchange 2013 interoperability with legacy Exchange versions", Publisher: "m365security.eu", Date: "2012-10-09",
		URL: "https://m365security.eu/2012/10/09/exchange-2013-interoperability-with-legacy-exchange-versions/"},
	{Key: "byronwright-coexistence-notes", Kind: BasisPractitioner,
		Title:  "Issues with Exchange 2010 and Exchange 2016 coexistence (MAPI/HTTP default, Full Access over Outlook Anywhere, KB3140410, msstd wildcard)",
		Author: "Byron Wright", Publisher: "Byron Wright's blog (byronwright.blogspot.com)", Date: "2020-07",
		URL: "http://byronwright.blogspot.com/2020/07", Note: noteDescribe},
}

var sourceIndex = func() map[string]*Source {
	m := make(map[string]*Source, len(sources))
	for _, s := range sources {
		m[s.Key] = s
	}
	return m
}()

// SourceByKey returns the bibliography entry with that key, or nil.
func SourceByKey(key string) *Source { return sourceIndex[key] }

// Sources returns every bibliography entry, sorted by key.
func Sources() []*Source {
	out := append([]*Source(nil), sources...)
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// SourcesOf returns the bibliography entries of some keys, in the order
// given, skipping unknown keys and repeats.
func SourcesOf(keys []string) []*Source {
	var out []*Source
	seen := map[string]bool{}
	for _, k := range keys {
		if s := sourceIndex[k]; s != nil && !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

// basisOf is the basis of a claim resting on some sources: documented when
// any is Microsoft's, practitioner when all are practitioners'.
func basisOf(keys []string, inferred bool) Basis {
	if inferred {
		return BasisInferred
	}
	srcs := SourcesOf(keys)
	if len(srcs) == 0 {
		return BasisInferred
	}
	for _, s := range srcs {
		if s.Kind == BasisDocumented {
			return BasisDocumented
		}
	}
	return BasisPractitioner
}

// Bibliography is the numbered list of the sources an output cites,
// sorted by title, so a finding can show a short citation ("[3]") a
// reader follows to the entry.
type Bibliography struct {
	Entries []*Source
	num     map[string]int
}

// NewBibliography numbers the sources of some keys (unknown keys and
// repeats are dropped), sorted by title then key.
func NewBibliography(keys []string) *Bibliography {
	b := &Bibliography{Entries: SourcesOf(keys), num: map[string]int{}}
	sort.SliceStable(b.Entries, func(i, j int) bool {
		ti, tj := strings.ToLower(b.Entries[i].Title), strings.ToLower(b.Entries[j].Title)
		if ti != tj {
			return ti < tj
		}
		return b.Entries[i].Key < b.Entries[j].Key
	})
	for i, s := range b.Entries {
		b.num[s.Key] = i + 1
	}
	return b
}

// Number is the 1-based number of the source with that key, 0 when the
// bibliography does not list it.
func (b *Bibliography) Number(key string) int { return b.num[key] }

// Cite is the short citation of some keys: "[2, 5]", or "" for none.
func (b *Bibliography) Cite(keys []string) string {
	var ns []int
	seen := map[int]bool{}
	for _, k := range keys {
		if n := b.num[k]; n > 0 && !seen[n] {
			seen[n] = true
			ns = append(ns, n)
		}
	}
	if len(ns) == 0 {
		return ""
	}
	sort.Ints(ns)
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// RuleSources returns the bibliography keys of some rule IDs, in order.
func RuleSources(ids []string) []string {
	var keys []string
	for _, id := range ids {
		if r := RuleByID(id); r != nil {
			keys = append(keys, r.Sources...)
		}
	}
	return keys
}

// CitedRules returns the IDs of every rule the plan's findings and paths
// cite, in "coexist rules" order.
func (p *Plan) CitedRules() []string {
	cited := p.pathRules()
	for _, f := range p.Findings {
		cited[f.ID] = true
	}
	return ruleOrder(cited)
}

// pathRules returns the IDs of the rules that decided a path.
func (p *Plan) pathRules() map[string]bool {
	ids := map[string]bool{}
	for _, co := range p.Cohorts {
		for _, pa := range co.Paths {
			for _, id := range pa.Rules {
				ids[id] = true
			}
		}
	}
	return ids
}

// ruleOrder lists the IDs in a set in "coexist rules" order.
func ruleOrder(set map[string]bool) []string {
	var ids []string
	for _, r := range Rules() {
		if set[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// Bibliography numbers every source the plan's findings and paths cite.
// A rule that decided a path cites all its sources; a finding cites its
// own, which for a lifecycle finding is its product's Lifecycle page only.
func (p *Plan) Bibliography() *Bibliography {
	keys := RuleSources(ruleOrder(p.pathRules()))
	for _, f := range p.Findings {
		keys = append(keys, f.Sources...)
	}
	return NewBibliography(keys)
}

// Bibliography numbers every source the diff cites: its findings, client
// steps and the rules of the changed paths.
func (d *Diff) Bibliography() *Bibliography {
	var keys []string
	for _, fs := range [][]Finding{d.Introduced, d.Resolved, d.Changed} {
		for _, f := range fs {
			keys = append(keys, f.Sources...)
		}
	}
	for _, s := range d.Steps {
		keys = append(keys, s.Sources...)
	}
	for _, c := range d.Changes {
		keys = append(keys, RuleSources(c.Before.Rules)...)
		keys = append(keys, RuleSources(c.After.Rules)...)
	}
	return NewBibliography(keys)
}

// Note rewrites the citation tags of a path note into short citations
// numbered into b: "… [PATH-RPC-ARRAY; ms-ex2013-cas, blog-ambiguous-urls]"
// becomes "… [PATH-RPC-ARRAY] [3, 7]", so a reader follows them to the
// output's source list instead of meeting keys.
func (b *Bibliography) Note(note string) string {
	return rewriteTags(note, func(id string, keys []string, inferred bool) string {
		mark := ruleMark(id, inferred)
		if c := b.Cite(keys); c != "" {
			return mark + " " + c
		}
		return mark
	})
}
