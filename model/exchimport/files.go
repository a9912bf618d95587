package exchimport

import (
	"path"
	"strings"

	"github.com/coexist/coexist/model/clixml"
)

// kind is what a CLIXML value (or a whole CSV file) holds.
type kind int

const (
	kUnknown kind = iota
	kExchangeServer
	kExSetup
	kCertificate
	kOWA
	kECP
	kEWS
	kEAS
	kOAB
	kMAPI
	kAutodiscover
	kOutlookAnywhere
	kClientAccess
	kPOP
	kIMAP
	kService
	kHotFix
	kOS
	kTLSRegistry // collect.ps1's raw registry values
	kTLSSummary  // HealthChecker's GetAllTlsSettings object
	kOrgConfig
	kADSite
	kOutlookProvider
	kDatabase
	kMailbox
	kMailboxServer // recognised, not needed
	kMailboxCSV
	kURLCSV
	kManifest
)

// FileSpec is one file Import reads: the name collect.ps1 gives it (and
// Import recognises it by), the command that writes it, and what Import
// takes from it.
type FileSpec struct {
	// Name is the file name, matched without regard to case.
	Name string
	// Source is the command that produces it.
	Source string
	// Scope is "server" for a file of one server (in servers/<NAME>/) and
	// "org" for an organisation-wide file.
	Scope string
	// Collected says whether collect.ps1 writes the file; the others are
	// accepted when a consultant brings them from elsewhere.
	Collected bool
	// Reads lists the inventory fields Import fills from it.
	Reads string

	kind kind
}

// Files lists every file Import reads by name. Import also recognises a
// CLIXML file by the type names of its objects whatever the file is called,
// and a CSV file by its header (the community URL-inventory CSV, a mailbox
// list, the collector's manifest).
var Files = []FileSpec{
	{"GetExchangeServer.xml", "Get-ExchangeServer -Identity SERVER", "server", true,
		"servers: name, fqdn, site, version (AdminDisplayVersion), roles (ServerRole), edition; sites", kExchangeServer},
	{"ExSetup.xml", "(Get-Command ExSetup.exe).FileVersionInfo", "server", true,
		"servers: build (the ExSetup.exe file version)", kExSetup},
	{"GetExchangeCertificate.xml", "Get-ExchangeCertificate -Server SERVER", "server", true,
		"certificates: thumbprint, subject, sans, not_after, signature_algorithm (from RawData), services; servers = the server the file belongs to", kCertificate},
	{"GetOwaVirtualDirectory.xml", "Get-OwaVirtualDirectory -Server SERVER -ADPropertiesOnly", "server", true,
		"servers.owa: internal_url, external_url, authentication, legacy_redirect_type, cross_site_redirect_type", kOWA},
	{"GetEcpVirtualDirectory.xml", "Get-EcpVirtualDirectory -Server SERVER -ADPropertiesOnly (2010+)", "server", true,
		"servers.ecp: internal_url, external_url, authentication", kECP},
	{"GetWebServicesVirtualDirectory.xml", "Get-WebServicesVirtualDirectory -Server SERVER -ADPropertiesOnly", "server", true,
		"servers.ews: internal_url, external_url, authentication", kEWS},
	{"GetActiveSyncVirtualDirectory.xml", "Get-ActiveSyncVirtualDirectory -Server SERVER -ADPropertiesOnly", "server", true,
		"servers.eas: internal_url, external_url, authentication", kEAS},
	{"GetOabVirtualDirectory.xml", "Get-OabVirtualDirectory -Server SERVER -ADPropertiesOnly", "server", true,
		"servers.oab: internal_url, external_url, authentication, offline_address_books", kOAB},
	{"GetMapiVirtualDirectory.xml", "Get-MapiVirtualDirectory -Server SERVER -ADPropertiesOnly (2013 SP1+)", "server", true,
		"servers.mapi: internal_url, external_url, authentication", kMAPI},
	{"GetAutodiscoverVirtualDirectory.xml", "Get-AutodiscoverVirtualDirectory -Server SERVER -ADPropertiesOnly", "server", true,
		"servers.autodiscover: internal_url, external_url, authentication", kAutodiscover},
	{"GetOutlookAnywhere.xml", "Get-OutlookAnywhere -Server SERVER -ADPropertiesOnly", "server", true,
		"servers.outlook_anywhere: enabled (an object exists), external_hostname, internal_hostname, client authentication methods, iis_authentication_methods, ssl_offloading", kOutlookAnywhere},
	{"GetClientAccessService.xml", "Get-ClientAccessService -Identity SERVER (2016+)", "server", true,
		"servers: auto_discover_service_internal_uri, is_out_of_service", kClientAccess},
	{"GetClientAccessServer.xml", "Get-ClientAccessServer -Identity SERVER (2007-2013)", "server", true,
		"servers: auto_discover_service_internal_uri, is_out_of_service", kClientAccess},
	{"GetPopSettings.xml", "Get-PopSettings -Server SERVER", "server", true,
		"servers.pop3: internal_connection_settings, external_connection_settings", kPOP},
	{"GetImapSettings.xml", "Get-ImapSettings -Server SERVER", "server", true,
		"servers.imap4: internal_connection_settings, external_connection_settings", kIMAP},
	{"GetService.xml", "Get-Service -ComputerName SERVER (MSExchangePOP3, MSExchangeIMAP4)", "server", true,
		"servers.pop3.running, servers.imap4.running", kService},
	{"GetHotFix.xml", "Get-HotFix -ComputerName SERVER", "server", true,
		"servers: installed_updates (HotFixID)", kHotFix},
	{"Win32_OperatingSystem.xml", "Get-CimInstance Win32_OperatingSystem (Get-WmiObject on PowerShell 2)", "server", true,
		"servers: os (Caption and CSDVersion)", kOS},
	{"TlsRegistry.xml", "collect.ps1: Schannel, .NET and NDP registry values read remotely", "server", true,
		"servers.tls (raw values; a missing value stays undefined), servers: dotnet", kTLSRegistry},
	{"GetAllTlsSettings.xml", "HealthChecker's TLS settings object", "server", false,
		"servers.tls from the *Value properties (Nil stays undefined)", kTLSSummary},
	{"GetMailboxServer.xml", "Get-MailboxServer", "server", false,
		"nothing (recognised and skipped)", kMailboxServer},
	{"GetOrganizationConfig.xml", "Get-OrganizationConfig", "org", true,
		"organization: name, mapi_http_enabled", kOrgConfig},
	{"GetADSite.xml", "Get-ADSite", "org", true,
		"sites", kADSite},
	{"GetOutlookProvider.xml", "Get-OutlookProvider", "org", true,
		"outlook_providers: name, server, cert_principal_name", kOutlookProvider},
	{"GetMailboxDatabase.xml", "Get-MailboxDatabase -Status:$false", "org", true,
		"databases: name, server, rpc_client_access_server, offline_address_book", kDatabase},
	{"mailboxes.csv", "Get-Mailbox -ResultSize Unlimited | Select-Object name,database | Export-Csv", "org", true,
		"mailboxes (columns name, database; client_profile, namespace, full_access when present)", kMailboxCSV},
	{"GetMailbox.xml", "Get-Mailbox | Export-Clixml (small organisations)", "org", false,
		"mailboxes: name, database", kMailbox},
	{"manifest.csv", "collect.ps1", "org", true,
		"nothing for the inventory: the cmdlets the collector skipped or that failed become report notes", kManifest},
}

// specByName finds the FileSpec of a file name (any case), or nil.
func specByName(name string) *FileSpec {
	for i := range Files {
		if strings.EqualFold(Files[i].Name, name) {
			return &Files[i]
		}
	}
	return nil
}

// kindLabels name kinds in the report.
var kindLabels = map[kind]string{
	kExchangeServer:  "Get-ExchangeServer",
	kExSetup:         "ExSetup.exe version",
	kCertificate:     "Get-ExchangeCertificate",
	kOWA:             "Get-OwaVirtualDirectory",
	kECP:             "Get-EcpVirtualDirectory",
	kEWS:             "Get-WebServicesVirtualDirectory",
	kEAS:             "Get-ActiveSyncVirtualDirectory",
	kOAB:             "Get-OabVirtualDirectory",
	kMAPI:            "Get-MapiVirtualDirectory",
	kAutodiscover:    "Get-AutodiscoverVirtualDirectory",
	kOutlookAnywhere: "Get-OutlookAnywhere",
	kClientAccess:    "Get-ClientAccessServer/Service",
	kPOP:             "Get-PopSettings",
	kIMAP:            "Get-ImapSettings",
	kService:         "Get-Service",
	kHotFix:          "Get-HotFix",
	kOS:              "Win32_OperatingSystem",
	kTLSRegistry:     "TLS registry values",
	kTLSSummary:      "TLS settings (HealthChecker)",
	kOrgConfig:       "Get-OrganizationConfig",
	kADSite:          "Get-ADSite",
	kOutlookProvider: "Get-OutlookProvider",
	kDatabase:        "Get-MailboxDatabase",
	kMailbox:         "Get-Mailbox",
	kMailboxServer:   "Get-MailboxServer (not needed)",
	kMailboxCSV:      "mailbox CSV",
	kURLCSV:          "URL inventory CSV",
	kManifest:        "collector manifest",
}

func (k kind) String() string {
	if s, ok := kindLabels[k]; ok {
		return s
	}
	return "not recognised"
}

// vdirKinds maps the virtual directory kinds to their inventory field.
var vdirKinds = map[kind]string{
	kOWA: "owa", kECP: "ecp", kEWS: "ews", kEAS: "eas", kOAB: "oab", kMAPI: "mapi", kAutodiscover: "autodiscover",
}

// typeKinds maps the last part of a CLIXML type name to a kind.
var typeKinds = map[string]kind{
	"ExchangeServer":                 kExchangeServer,
	"ExchangeCertificate":            kCertificate,
	"ADOwaVirtualDirectory":          kOWA,
	"ADEcpVirtualDirectory":          kECP,
	"ADWebServicesVirtualDirectory":  kEWS,
	"ADMobileVirtualDirectory":       kEAS,
	"ADOabVirtualDirectory":          kOAB,
	"ADMapiVirtualDirectory":         kMAPI,
	"ADAutodiscoverVirtualDirectory": kAutodiscover,
	"ADRpcHttpVirtualDirectory":      kOutlookAnywhere,
	"ClientAccessServer":             kClientAccess,
	"ClientAccessService":            kClientAccess,
	"Pop3AdConfiguration":            kPOP,
	"Imap4AdConfiguration":           kIMAP,
	"ServiceController":              kService,
	"Win32_QuickFixEngineering":      kHotFix,
	"Win32_OperatingSystem":          kOS,
	"OrganizationConfig":             kOrgConfig,
	"ADSite":                         kADSite,
	"ADReplicationSite":              kADSite,
	"ActiveDirectorySite":            kADSite,
	"OutlookProvider":                kOutlookProvider,
	"MailboxDatabase":                kDatabase,
	"Mailbox":                        kMailbox,
	"MailboxServer":                  kMailboxServer,
	"FileVersionInfo":                kExSetup,
}

// typeBase returns the last part of a type name: after the last '.', '#',
// '\' or '/', with a "Selected." prefix (Select-Object output) removed.
func typeBase(t string) string {
	t = strings.TrimPrefix(t, "Selected.")
	if i := strings.IndexByte(t, '['); i >= 0 { // generic arguments
		t = t[:i]
	}
	if i := strings.LastIndexAny(t, ".#\\/"); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// classify tells what a top-level CLIXML value holds from its type names
// and, for custom objects, its properties. hint is the kind the file name
// suggests; it decides only when the value itself does not.
func classify(v *clixml.Value, hint kind) kind {
	for _, t := range v.Types {
		k, ok := typeKinds[typeBase(t)]
		if !ok {
			continue
		}
		if k == kExSetup && hint != kExSetup && !isExSetup(v) {
			return kUnknown
		}
		return k
	}
	switch {
	case v.Get("Registry").Get("TLS") != nil:
		return kTLSSummary
	case v.Get("Key") != nil && v.Get("Name") != nil && hasProp(v, "Value") && isRegistryKey(v.Get("Key").String()):
		return kTLSRegistry
	}
	return hint
}

func isExSetup(v *clixml.Value) bool {
	for _, p := range []string{"InternalName", "OriginalFilename", "FileName"} {
		if strings.Contains(strings.ToLower(v.Get(p).String()), "exsetup") {
			return true
		}
	}
	return false
}

func hasProp(v *clixml.Value, name string) bool {
	for _, p := range v.Props {
		if strings.EqualFold(p.Name, name) {
			return true
		}
	}
	return false
}

// hintFor returns the kind a file name suggests.
func hintFor(file string) kind {
	if s := specByName(path.Base(strings.ReplaceAll(file, "\\", "/"))); s != nil {
		return s.kind
	}
	return kUnknown
}
