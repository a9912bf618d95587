package clixml

import (
	"crypto/sha1"
	"crypto/x509"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The files under testdata/e16 are genuine Export-Clixml output of an
// Exchange 2016 CU22 server (SOLO-E16A), from microsoft/CSS-Exchange; see
// testdata/e16/LICENSE-CSS-Exchange.

func readFixture(t *testing.T, name string) []*Value {
	t.Helper()
	vals, err := ReadFile(filepath.Join("testdata", "e16", name))
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", name, err)
	}
	return vals
}

func TestFixturesRead(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "e16", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			vals, err := ReadFile(f)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if len(vals) == 0 {
				t.Fatalf("got no values")
			}
			for _, v := range vals {
				if v.Kind != Object || len(v.Types) == 0 {
					t.Errorf("%s: got top-level %s with types %v, want a typed Object", v.Pos, v.Kind, v.Types)
				}
			}
		})
	}
}

func TestFixtureValues(t *testing.T) {
	first := func(vals []*Value) *Value { return vals[0] }
	tests := []struct {
		name string
		file string
		got  func(vals []*Value) string
		want string
	}{
		// Get-ExchangeServer
		{"server count", "GetExchangeServer.xml", func(v []*Value) string { return fmt.Sprint(len(v)) }, "1"},
		{"server type", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Types[0] }, "Microsoft.Exchange.Data.Directory.Management.ExchangeServer"},
		{"server ToString", "GetExchangeServer.xml", func(v []*Value) string { return first(v).String() }, "SOLO-E16A"},
		{"server name", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Name").String() }, "SOLO-E16A"},
		{"server fqdn", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("fqdn").String() }, "Solo-E16A.Solo.local"},
		{"server domain", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Domain").String() }, "Solo.local"},
		{"server site", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Site").String() }, "Solo.local/Configuration/Sites/Default-First-Site-Name"},
		{"server site name", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Site").Get("Name").String() }, "Default-First-Site-Name"},
		{"server site DN", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Site").Get("DistinguishedName").String() }, "CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=Solo,DC=local"},
		{"server version", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("AdminDisplayVersion").String() }, "Version 15.1 (Build 2375.7)"},
		{"server version parts", "GetExchangeServer.xml", func(v []*Value) string {
			a := first(v).Get("AdminDisplayVersion")
			return fmt.Sprintf("%d.%d.%d.%d", a.Get("Major").Int, a.Get("Minor").Int, a.Get("Build").Int, a.Get("Revision").Int)
		}, "15.1.2375.7"},
		{"server role enum", "GetExchangeServer.xml", func(v []*Value) string {
			r := first(v).Get("ServerRole")
			return fmt.Sprintf("%s %s %d %s", r.Kind, r.Str, r.Int, r.Types[0])
		}, "Int Mailbox 2 Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole"},
		{"server edition", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Edition").String() }, "StandardEvaluation"},
		{"server is mailbox", "GetExchangeServer.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("IsMailboxServer").Bool) }, "true"},
		{"server is edge", "GetExchangeServer.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("IsEdgeServer").Bool) }, "false"},
		{"server object class", "GetExchangeServer.xml", func(v []*Value) string { return strings.Join(first(v).Get("ObjectClass").Strings(), "|") }, "top|server|msExchExchangeServer"},
		{"server network address", "GetExchangeServer.xml", func(v []*Value) string {
			return first(v).Get("NetworkAddress").Items[4].Get("AddressString").String()
		}, "Solo-E16A.Solo.local"},
		{"server when created", "GetExchangeServer.xml", func(v []*Value) string {
			return first(v).Get("WhenCreatedUTC").Time.Format(time.RFC3339)
		}, "2018-11-24T00:31:27Z"},
		{"server guid", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Guid").String() }, "38142983-080a-4e34-90b6-401759c3f3e7"},
		{"server Ref Id is Identity", "GetExchangeServer.xml", func(v []*Value) string {
			return fmt.Sprint(first(v).Get("Id") == first(v).Get("Identity"))
		}, "true"},
		{"server PSComputerName", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("PSComputerName").String() }, "solo-e16a.solo.local"},
		{"server fqdn position", "GetExchangeServer.xml", func(v []*Value) string { return first(v).Get("Fqdn").Pos.String() }, "testdata/e16/GetExchangeServer.xml:44:7"},

		// Get-Command ExSetup.exe
		{"exsetup file version", "ExSetup.xml", func(v []*Value) string { return first(v).Get("FileVersion").String() }, "15.01.2375.007"},
		{"exsetup product version", "ExSetup.xml", func(v []*Value) string { return first(v).Get("ProductVersion").String() }, "15.01.2375.007"},
		{"exsetup raw version", "ExSetup.xml", func(v []*Value) string {
			r := first(v).Get("FileVersionRaw")
			return r.Tag + " " + r.String()
		}, "Version 15.1.2375.7"},
		{"exsetup build part", "ExSetup.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("FileBuildPart").Int) }, "2375"},
		{"exsetup ToString escapes", "ExSetup.xml", func(v []*Value) string {
			return strings.SplitN(first(v).Str, "\r\n", 2)[0]
		}, `File:             C:\Program Files\Microsoft\Exchange Server\V15\bin\ExSetup.exe`},
		{"exsetup product name", "ExSetup.xml", func(v []*Value) string { return first(v).Get("ProductName").String() }, "Microsoft® Exchange"},

		// Get-ExchangeCertificate
		{"cert count", "GetExchangeCertificate.xml", func(v []*Value) string { return fmt.Sprint(len(v)) }, "3"},
		{"cert type", "GetExchangeCertificate.xml", func(v []*Value) string { return first(v).Types[0] }, "Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate"},
		{"cert raw data kind", "GetExchangeCertificate.xml", func(v []*Value) string { return first(v).Get("RawData").Kind.String() }, "Bytes"},

		// Get-OwaVirtualDirectory
		{"owa name", "GetOwaVirtualDirectory.xml", func(v []*Value) string { return first(v).Get("Name").String() }, "owa (Default Web Site)"},
		{"owa identity", "GetOwaVirtualDirectory.xml", func(v []*Value) string { return first(v).Get("Identity").String() }, `SOLO-E16A\owa (Default Web Site)`},
		{"owa server", "GetOwaVirtualDirectory.xml", func(v []*Value) string { return first(v).Get("Server").String() }, "SOLO-E16A"},
		{"owa internal url", "GetOwaVirtualDirectory.xml", func(v []*Value) string {
			u := first(v).Get("InternalUrl")
			return u.Tag + " " + u.String()
		}, "URI https://solo-e16a.solo.local/owa"},
		{"owa external url", "GetOwaVirtualDirectory.xml", func(v []*Value) string {
			u := first(v).Get("ExternalUrl")
			return fmt.Sprint(u != nil, u.IsNil())
		}, "true true"},
		{"owa internal auth", "GetOwaVirtualDirectory.xml", func(v []*Value) string {
			return first(v).Get("InternalAuthenticationMethods").String()
		}, "Basic, Fba"},
		{"owa external auth", "GetOwaVirtualDirectory.xml", func(v []*Value) string {
			return first(v).Get("ExternalAuthenticationMethods").String()
		}, "Fba"},
		{"owa forms auth", "GetOwaVirtualDirectory.xml", func(v []*Value) string {
			return fmt.Sprint(first(v).Get("FormsAuthentication").Bool)
		}, "false"},
		{"owa logon format", "GetOwaVirtualDirectory.xml", func(v []*Value) string { return first(v).Get("LogonFormat").String() }, "FullDomain"},

		// Get-WebServicesVirtualDirectory
		{"ews internal url", "GetWebServicesVirtualDirectory.xml", func(v []*Value) string { return first(v).Get("InternalUrl").String() }, "https://solo-e16a.solo.local/EWS/Exchange.asmx"},
		{"ews external url nil", "GetWebServicesVirtualDirectory.xml", func(v []*Value) string { return first(v).Get("ExternalUrl").Kind.String() }, "Nil"},
		{"ews internal auth", "GetWebServicesVirtualDirectory.xml", func(v []*Value) string {
			return strings.Join(first(v).Get("InternalAuthenticationMethods").Strings(), "|")
		}, "Ntlm|WindowsIntegrated|WSSecurity|OAuth"},
		{"ews auth numbers", "GetWebServicesVirtualDirectory.xml", func(v []*Value) string {
			var n []string
			for _, it := range first(v).Get("ExternalAuthenticationMethods").Items {
				n = append(n, fmt.Sprint(it.Int))
			}
			return strings.Join(n, ",")
		}, "2,4,7,10"},
		{"ews windows auth", "GetWebServicesVirtualDirectory.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("WindowsAuthentication").Bool) }, "true"},
		{"ews mrs proxy", "GetWebServicesVirtualDirectory.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("MRSProxyEnabled").Bool) }, "false"},
		{"ews server", "GetWebServicesVirtualDirectory.xml", func(v []*Value) string { return first(v).Get("Server").Get("Name").String() }, "SOLO-E16A"},

		// Get-MailboxServer
		{"mbx name", "GetMailboxServer.xml", func(v []*Value) string { return first(v).Get("Name").String() }, "SOLO-E16A"},
		{"mbx dag nil", "GetMailboxServer.xml", func(v []*Value) string { return first(v).Get("DatabaseAvailabilityGroup").Kind.String() }, "Nil"},
		{"mbx activation policy", "GetMailboxServer.xml", func(v []*Value) string { return first(v).Get("DatabaseCopyAutoActivationPolicy").String() }, "Unrestricted"},
		{"mbx log size limit", "GetMailboxServer.xml", func(v []*Value) string {
			return first(v).Get("CalendarRepairLogDirectorySizeLimit").Get("Value").String()
		}, "500 MB (524,288,000 bytes)"},
		{"mbx timespan object", "GetMailboxServer.xml", func(v []*Value) string {
			return first(v).Get("CalendarRepairLogFileAgeLimit").Get("TotalDays").String()
		}, "10"},

		// GetAllTlsSettings: a PSCustomObject of nested PSCustomObjects and
		// hashtables.
		{"tls security protocol", "GetAllTlsSettings.xml", func(v []*Value) string { return first(v).Get("SecurityProtocol").String() }, "Tls12"},
		{"tls registry keys", "GetAllTlsSettings.xml", func(v []*Value) string {
			var k []string
			for _, e := range first(v).Get("Registry").Get("TLS").Entries {
				k = append(k, e.Key.String())
			}
			return strings.Join(k, ",")
		}, "1.1,1.2,1.0"},
		{"tls 1.2 server enabled", "GetAllTlsSettings.xml", func(v []*Value) string {
			s := first(v).Get("Registry").Get("TLS").Key("1.2")
			return fmt.Sprint(s.Get("ServerEnabled").Bool, s.Get("ServerEnabledValue").Int, s.Get("TLSConfiguration"))
		}, "true 1 Enabled"},
		{"tls 1.0 client value nil", "GetAllTlsSettings.xml", func(v []*Value) string {
			return first(v).Get("Registry").Get("TLS").Key("1.0").Get("ClientEnabledValue").Kind.String()
		}, "Nil"},
		{"tls net v4", "GetAllTlsSettings.xml", func(v []*Value) string {
			n := first(v).Get("Registry").Get("NET").Key("netv4")
			return fmt.Sprint(n.Get("NetVersion"), n.Get("SystemDefaultTlsVersions").Bool, n.Get("SchUseStrongCrypto").Bool)
		}, "v4.0.30319 false false"},
		{"tls cipher suites", "GetAllTlsSettings.xml", func(v []*Value) string {
			c := first(v).Get("TlsCipherSuite")
			return fmt.Sprint(len(c.Items), c.Items[0].Get("Name"), c.Items[len(c.Items)-1].Get("Name"))
		}, "12 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256_P256 TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
		{"tls cipher protocols", "GetAllTlsSettings.xml", func(v []*Value) string {
			c := first(v).Get("TlsCipherSuite").Items
			return strings.Join(c[len(c)-1].Get("Protocols").Strings(), ",")
		}, "769,770,771,768,65279,65277"},

		// Get-HotFix
		{"hotfix ids", "GetHotFix.xml", func(v []*Value) string {
			var ids []string
			for _, h := range v {
				ids = append(ids, h.Get("HotFixID").String())
			}
			return strings.Join(ids, ",")
		}, "KB3192137,KB4049065,KB4054590,KB4486129,KB4051033"},
		{"hotfix installed on prefers MS", "GetHotFix.xml", func(v []*Value) string {
			d := first(v).Get("InstalledOn")
			return d.Kind.String() + " " + d.Time.Format("2006-01-02")
		}, "DateTime 2016-09-12"},
		{"hotfix TNRef types", "GetHotFix.xml", func(v []*Value) string { return v[1].Types[0] }, `System.Management.ManagementObject#root\cimv2\Win32_QuickFixEngineering`},
		{"hotfix derivation", "GetHotFix.xml", func(v []*Value) string { return v[3].Get("__DERIVATION").String() }, "CIM_LogicalElement, CIM_ManagedSystemElement"},

		// Get-CimInstance Win32_OperatingSystem
		{"os caption", "Win32_OperatingSystem.xml", func(v []*Value) string { return first(v).Get("Caption").String() }, "Microsoft Windows Server 2016 Datacenter"},
		{"os version", "Win32_OperatingSystem.xml", func(v []*Value) string { return first(v).Get("Version").String() }, "10.0.14393"},
		{"os build", "Win32_OperatingSystem.xml", func(v []*Value) string { return first(v).Get("BuildNumber").String() }, "14393"},
		{"os timezone I16", "Win32_OperatingSystem.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("CurrentTimeZone").Int) }, "-300"},
		{"os memory U64", "Win32_OperatingSystem.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("TotalVisibleMemorySize").Uint) }, "6290416"},
		{"os max processes U32", "Win32_OperatingSystem.xml", func(v []*Value) string { return fmt.Sprint(first(v).Get("MaxNumberOfProcesses").Uint) }, "4294967295"},
		{"os csname", "Win32_OperatingSystem.xml", func(v []*Value) string { return first(v).Get("CSName").String() }, "SOLO-E16A"},
	}
	cache := map[string][]*Value{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, ok := cache[tt.file]
			if !ok {
				vals = readFixture(t, tt.file)
				cache[tt.file] = vals
			}
			if got := tt.got(vals); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFixtureCertificates checks that RawData is the DER certificate: it
// parses, and its SHA-1 is the thumbprint PowerShell put in ToString.
func TestFixtureCertificates(t *testing.T) {
	vals := readFixture(t, "GetExchangeCertificate.xml")
	tests := []struct {
		name       string
		index      int
		subject    string
		dnsNames   string
		notAfter   string
		thumbprint string
	}{
		{"auth certificate", 0, "CN=Microsoft Exchange Server Auth Certificate", "", "2023-10-29T00:34:03Z", "92E196F3C8D3D753FCFC5B7690C3173AA1C0ABE3"},
		{"self-signed server certificate", 1, "CN=Solo-E16A", "Solo-E16A,Solo-E16A.Solo.local", "2023-11-24T00:32:37Z", "823884A32609DCDC8C4B5462952586C30D814073"},
		{"WMSvc certificate", 2, "CN=WMSvc-WIN-9UC94ETVM30", "", "2028-11-20T23:22:56Z", "A60C6E62FF85D208DF668D597A1B077E1534147F"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := vals[tt.index]
			raw := v.Get("RawData").Bytes
			c, err := x509.ParseCertificate(raw)
			if err != nil {
				t.Fatalf("x509.ParseCertificate: %v", err)
			}
			if got := c.Subject.String(); got != tt.subject {
				t.Errorf("subject: got %q, want %q", got, tt.subject)
			}
			if got := strings.Join(c.DNSNames, ","); got != tt.dnsNames {
				t.Errorf("DNS names: got %q, want %q", got, tt.dnsNames)
			}
			if got := c.NotAfter.UTC().Format(time.RFC3339); got != tt.notAfter {
				t.Errorf("NotAfter: got %s, want %s", got, tt.notAfter)
			}
			thumb := fmt.Sprintf("%X", sha1.Sum(raw))
			if thumb != tt.thumbprint {
				t.Errorf("SHA-1: got %s, want %s", thumb, tt.thumbprint)
			}
			if !strings.Contains(v.Str, "[Thumbprint]\r\n  "+tt.thumbprint) {
				t.Errorf("ToString %q does not hold thumbprint %s", v.Str, tt.thumbprint)
			}
		})
	}
}
