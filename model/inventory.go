package model

import "strings"

// Inventory is everything coexist knows about one Exchange organisation:
// the topology a consultant exported or wrote by hand. Field names follow the
// Exchange cmdlet property names in snake_case (see docs/inventory.md).
type Inventory struct {
	Organization     Organization      `toml:"organization"`
	Report           Report            `toml:"report"`
	Sites            []Site            `toml:"sites"`
	Namespaces       []Namespace       `toml:"namespaces"`
	LoadBalancers    []LoadBalancer    `toml:"load_balancers"`
	Servers          []Server          `toml:"servers"`
	OutlookProviders []OutlookProvider `toml:"outlook_providers"`
	Certificates     []Certificate     `toml:"certificates"`
	Databases        []Database        `toml:"databases"`
	OfflineABs       []OfflineAB       `toml:"offline_address_books"`
	ClientProfiles   []ClientProfile   `toml:"client_profiles"`
	Mailboxes        []Mailbox         `toml:"mailboxes"`
	// MailboxesCSV names CSV files of mailboxes, relative to the TOML file
	// that mentions them. The loader streams them into Mailboxes.
	MailboxesCSV []string `toml:"mailboxes_csv"`
}

// Organization holds the org-wide settings.
type Organization struct {
	Name string `toml:"name"`
	// CutoverDate (YYYY-MM-DD) is when the migration completes; certificates
	// must outlive it.
	CutoverDate string `toml:"cutover_date"`
	// AsOf (YYYY-MM-DD) is "today" for expiry checks and the report date.
	// Pinning it keeps outputs byte-identical; the CLI's --date overrides it.
	AsOf          string `toml:"as_of"`
	SplitBrainDNS bool   `toml:"split_brain_dns"`
	// MapiHTTPEnabled is the org-wide MapiHttpEnabled; nil means the
	// version default.
	MapiHTTPEnabled *bool `toml:"mapi_http_enabled"`
	// TLSGoal is "enable-1.2" (default) or "disable-legacy".
	TLSGoal string `toml:"tls_goal"`
	// PrimaryNamespace is the host users' clients use unless a mailbox says
	// otherwise; default: the first namespace not named autodiscover.*.
	PrimaryNamespace string `toml:"primary_namespace"`
}

// Report is the document control of the reports (report.pdf, report.html,
// checklist.xlsx and the programme runbook): who prepared them, for whom,
// which version and status, and who approves them. Every field is
// optional; an empty one prints as a blank to fill in by hand.
type Report struct {
	// Author is the person who prepared the documents.
	Author string `toml:"author"`
	// Company is the author's organisation (a consultancy, the IT
	// department).
	Company string `toml:"company"`
	// Customer is whom the documents are for; empty means the
	// organisation's name.
	Customer string `toml:"customer"`
	// Version is the document version, such as "0.3" or "1.0".
	Version string `toml:"version"`
	// Status is one of DocStatuses, in any case, with a space, hyphen or
	// underscore between words ("for-review").
	Status string `toml:"status"`
	// Approvers are the people who sign the documents off, in order.
	Approvers []string `toml:"approvers"`
}

// DocStatuses are the document statuses, as printed.
var DocStatuses = []string{"Draft", "For review", "Approved", "Final"}

// ParseDocStatus returns the status s names as it is printed (one of
// DocStatuses): case is ignored and words may be joined by a space, a
// hyphen or an underscore. The empty string gives "" and true.
func ParseDocStatus(s string) (string, bool) {
	norm := strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), " ")
	if norm == "" {
		return "", true
	}
	for _, st := range DocStatuses {
		if strings.ToLower(st) == norm {
			return st, true
		}
	}
	return "", false
}

// Site is an Active Directory site.
type Site struct {
	Name string `toml:"name"`
}

// Namespace is a DNS name and what it resolves to for internal and external
// clients: server names or load balancer names. An empty list means the name
// does not resolve from that location.
type Namespace struct {
	FQDN     string   `toml:"fqdn"`
	Internal []string `toml:"internal"`
	External []string `toml:"external"`
}

// LoadBalancer spreads a namespace over member servers.
type LoadBalancer struct {
	Name    string   `toml:"name"`
	Members []string `toml:"members"`
	// Paths are the URL paths the load balancer or firewall passes on 443;
	// empty means all.
	Paths []string `toml:"paths"`
	Layer int      `toml:"layer"`
}

// Server is one Exchange server with its roles, build, OS, TLS registry and
// client access settings.
type Server struct {
	Name string `toml:"name"`
	FQDN string `toml:"fqdn"`
	Site string `toml:"site"`
	// Version is AdminDisplayVersion ("Version 14.3 (Build 123.4)") or a
	// build number.
	Version string `toml:"version"`
	// Build is the ExSetup.exe file version; it wins over Version (2010
	// update rollups do not change AdminDisplayVersion).
	Build            string   `toml:"build"`
	Roles            []string `toml:"roles"`
	Edition          string   `toml:"edition"`
	OS               string   `toml:"os"`
	InstalledUpdates []string `toml:"installed_updates"`
	DotNet           string   `toml:"dotnet"`
	IsOutOfService   bool     `toml:"is_out_of_service"`
	// DefaultAppPoolIdentity is the IIS DefaultAppPool identity
	// ("ApplicationPoolIdentity" or "NetworkService"); NetworkService is the
	// KB3140410 workaround.
	DefaultAppPoolIdentity         string `toml:"default_app_pool_identity"`
	AutoDiscoverServiceInternalURI string `toml:"auto_discover_service_internal_uri"`

	TLS             TLSRegistry     `toml:"tls"`
	OutlookAnywhere OutlookAnywhere `toml:"outlook_anywhere"`
	OWA             VirtualDir      `toml:"owa"`
	ECP             VirtualDir      `toml:"ecp"`
	EAS             VirtualDir      `toml:"eas"`
	EWS             VirtualDir      `toml:"ews"`
	OAB             VirtualDir      `toml:"oab"`
	MAPI            VirtualDir      `toml:"mapi"`
	Autodiscover    VirtualDir      `toml:"autodiscover"`
	POP3            PopImap         `toml:"pop3"`
	IMAP4           PopImap         `toml:"imap4"`

	// Parsed is the build from Build or Version, set by Inventory.Resolve.
	Parsed Build `toml:"-"`
}

// TLSRegistry holds the Schannel and .NET registry values that decide TLS
// behaviour. A nil value is undefined (the OS or framework default).
type TLSRegistry struct {
	Schannel10ClientEnabled           *int `toml:"schannel_tls10_client_enabled"`
	Schannel10ClientDisabledByDefault *int `toml:"schannel_tls10_client_disabled_by_default"`
	Schannel10ServerEnabled           *int `toml:"schannel_tls10_server_enabled"`
	Schannel10ServerDisabledByDefault *int `toml:"schannel_tls10_server_disabled_by_default"`
	Schannel11ClientEnabled           *int `toml:"schannel_tls11_client_enabled"`
	Schannel11ClientDisabledByDefault *int `toml:"schannel_tls11_client_disabled_by_default"`
	Schannel11ServerEnabled           *int `toml:"schannel_tls11_server_enabled"`
	Schannel11ServerDisabledByDefault *int `toml:"schannel_tls11_server_disabled_by_default"`
	Schannel12ClientEnabled           *int `toml:"schannel_tls12_client_enabled"`
	Schannel12ClientDisabledByDefault *int `toml:"schannel_tls12_client_disabled_by_default"`
	Schannel12ServerEnabled           *int `toml:"schannel_tls12_server_enabled"`
	Schannel12ServerDisabledByDefault *int `toml:"schannel_tls12_server_disabled_by_default"`
	// TLS 1.3: undefined means disabled on Windows Server 2019 and
	// earlier (HealthChecker reads it so); Exchange supports it only from
	// 2019 CU15 on Windows Server 2022.
	Schannel13ClientEnabled           *int `toml:"schannel_tls13_client_enabled"`
	Schannel13ClientDisabledByDefault *int `toml:"schannel_tls13_client_disabled_by_default"`
	Schannel13ServerEnabled           *int `toml:"schannel_tls13_server_enabled"`
	Schannel13ServerDisabledByDefault *int `toml:"schannel_tls13_server_disabled_by_default"`
	// The .NET values under v2.0.50727 / v4.0.30319. The Wow6432Node twins
	// default to the native value when omitted (one value then describes
	// both keys, as exports usually summarise them).
	Net2SystemDefaultTLSVersions    *int `toml:"net2_system_default_tls_versions"`
	Net2SchUseStrongCrypto          *int `toml:"net2_sch_use_strong_crypto"`
	Net4SystemDefaultTLSVersions    *int `toml:"net4_system_default_tls_versions"`
	Net4SchUseStrongCrypto          *int `toml:"net4_sch_use_strong_crypto"`
	Net2WowSystemDefaultTLSVersions *int `toml:"net2_wow6432_system_default_tls_versions"`
	Net2WowSchUseStrongCrypto       *int `toml:"net2_wow6432_sch_use_strong_crypto"`
	Net4WowSystemDefaultTLSVersions *int `toml:"net4_wow6432_system_default_tls_versions"`
	Net4WowSchUseStrongCrypto       *int `toml:"net4_wow6432_sch_use_strong_crypto"`
}

// OutlookAnywhere is the RPC over HTTP configuration of a Client Access
// server (Get-OutlookAnywhere).
type OutlookAnywhere struct {
	Enabled          bool   `toml:"enabled"`
	ExternalHostname string `toml:"external_hostname"`
	InternalHostname string `toml:"internal_hostname"`
	// ClientAuthenticationMethod is the 2007/2010 setting (Basic or NTLM).
	ClientAuthenticationMethod string `toml:"client_authentication_method"`
	// External/InternalClientAuthenticationMethod are the 2013+ settings
	// (Basic, NTLM or Negotiate).
	ExternalClientAuthenticationMethod string   `toml:"external_client_authentication_method"`
	InternalClientAuthenticationMethod string   `toml:"internal_client_authentication_method"`
	IISAuthenticationMethods           []string `toml:"iis_authentication_methods"`
	// SSLOffloading is Get-OutlookAnywhere's SSLOffloading: NS-SSLOFFLOAD
	// checks that the Client Access servers of one version agree, and
	// programme runbooks restore it on rollback.
	SSLOffloading bool `toml:"ssl_offloading"`
	// Internal/ExternalClientsRequireSsl are the 2013+ settings telling
	// Outlook whether the internal (EXCH) and external (EXPR) Outlook
	// Anywhere settings use HTTPS; nil is not recorded (2013+ defaults:
	// internal $false, external $true).
	InternalClientsRequireSsl *bool `toml:"internal_clients_require_ssl"`
	ExternalClientsRequireSsl *bool `toml:"external_clients_require_ssl"`
}

// VirtualDir is one IIS virtual directory (OWA, ECP, EAS, EWS, OAB, MAPI,
// Autodiscover).
type VirtualDir struct {
	InternalURL string `toml:"internal_url"`
	ExternalURL string `toml:"external_url"`
	// Authentication lists the enabled methods (FBA, Basic, NTLM,
	// Negotiate, OAuth, …).
	Authentication []string `toml:"authentication"`
	// LegacyRedirectType is the 2010 OWA setting for 2007 mailboxes
	// ("Silent" or "Manual").
	LegacyRedirectType string `toml:"legacy_redirect_type"`
	// CrossSiteRedirectType is the OWA cross-site redirect ("Silent" or
	// "Manual").
	CrossSiteRedirectType string `toml:"cross_site_redirect_type"`
	// OfflineAddressBooks (OAB only) lists the OABs this virtual directory
	// distributes (a 2007/2010 web distribution point).
	OfflineAddressBooks []string `toml:"offline_address_books"`
}

// PopImap is a POP3 or IMAP4 service configuration.
type PopImap struct {
	// InternalConnectionSettings are "host:port:encryption" entries.
	InternalConnectionSettings []string `toml:"internal_connection_settings"`
	ExternalConnectionSettings []string `toml:"external_connection_settings"`
	// Running is whether the service runs; nil means unknown.
	Running *bool `toml:"running"`
}

// OutlookProvider is an Autodiscover Outlook provider (EXPR, EXCH, WEB).
type OutlookProvider struct {
	Name              string `toml:"name"`
	Server            string `toml:"server"`
	CertPrincipalName string `toml:"cert_principal_name"`
}

// Certificate is an Exchange certificate bound on one or more servers.
type Certificate struct {
	Thumbprint         string   `toml:"thumbprint"`
	Subject            string   `toml:"subject"`
	SANs               []string `toml:"sans"`
	NotAfter           string   `toml:"not_after"`
	SignatureAlgorithm string   `toml:"signature_algorithm"`
	Services           []string `toml:"services"`
	Servers            []string `toml:"servers"`
}

// Database is a mailbox database and the server holding its active copy.
type Database struct {
	Name                  string `toml:"name"`
	Server                string `toml:"server"`
	RPCClientAccessServer string `toml:"rpc_client_access_server"`
	OfflineAddressBook    string `toml:"offline_address_book"`
}

// OfflineAB is an offline address book.
type OfflineAB struct {
	Name string `toml:"name"`
	// GenerationServers hold the OAB generation (2007/2010 OAB generation
	// server, 2013+ servers with an active OABGEN arbitration mailbox copy).
	GenerationServers []string `toml:"generation_servers"`
}

// ClientProfile describes the Outlook, OS and device a group of users has.
type ClientProfile struct {
	Name             string   `toml:"name"`
	Outlook          string   `toml:"outlook"`
	OS               string   `toml:"os"`
	InstalledUpdates []string `toml:"installed_updates"`
	// DefaultSecureProtocols is WinHTTP's DefaultSecureProtocols (0xA00 =
	// TLS 1.1+1.2); nil is undefined.
	DefaultSecureProtocols *int `toml:"default_secure_protocols"`
	// SecureProtocols is Internet Explorer's SecureProtocols (0xA80 = TLS
	// 1.0+1.1+1.2); nil is undefined.
	SecureProtocols *int `toml:"secure_protocols"`
	// EASSupports451 says the users' mobile devices follow an HTTP 451
	// redirect (EAS 12.1+ with Autodiscover). Default true.
	EASSupports451 *bool `toml:"eas_supports_451"`
	// LMCompatibilityLevel is the clients' LAN Manager authentication
	// level (HKLM\SYSTEM\CurrentControlSet\Control\Lsa
	// LmCompatibilityLevel, 0–5); nil is not recorded. Below 2, Outlook
	// Anywhere with Basic or NTLM prompts for the password at every
	// connection.
	LMCompatibilityLevel *int `toml:"lm_compatibility_level"`
	// PopImapChannel is how the users' POP3/IMAP4 clients connect:
	// ChannelEncrypted (SSL or STARTTLS; the default) or ChannelPlaintext.
	// Exchange 2016 picks the legacy proxy target's connection setting by
	// it.
	PopImapChannel string `toml:"pop_imap_channel"`
}

// POP3/IMAP4 client channels (ClientProfile.PopImapChannel).
const (
	ChannelEncrypted = "encrypted"
	ChannelPlaintext = "plaintext"
)

// Mailbox is one user mailbox.
type Mailbox struct {
	Name          string `toml:"name"`
	Database      string `toml:"database"`
	ClientProfile string `toml:"client_profile"`
	// Namespace is the host the user's clients use (default: the primary
	// namespace).
	Namespace string `toml:"namespace"`
	// FullAccess lists the users granted Full Access to this mailbox
	// (Add-MailboxPermission -User); each opens it as a secondary mailbox.
	FullAccess []string `toml:"full_access"`
}

// MailboxFields are the mailbox CSV columns, named like the TOML fields,
// in the order Mailbox.Set numbers them.
var MailboxFields = [...]string{"name", "database", "client_profile", "namespace", "full_access"}

// Set sets the field with index i of MailboxFields from its CSV text;
// full_access is a ';'-separated list.
func (m *Mailbox) Set(i int, v string) {
	switch i {
	case 0:
		m.Name = v
	case 1:
		m.Database = v
	case 2:
		m.ClientProfile = v
	case 3:
		m.Namespace = v
	case 4:
		m.FullAccess = nil
		for _, u := range strings.Split(v, ";") {
			if u = strings.TrimSpace(u); u != "" {
				m.FullAccess = append(m.FullAccess, u)
			}
		}
	}
}
