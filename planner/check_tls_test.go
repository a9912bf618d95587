package planner

import (
	"fmt"
	"testing"

	"github.com/coexist/coexist/model"
)

const (
	tls12Client = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client`
	tls12Server = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server`
	net2Native  = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\.NETFramework\v2.0.50727`
	net2Wow     = `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727`
	net4Native  = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\.NETFramework\v4.0.30319`
	net4Wow     = `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v4.0.30319`
)

func goalB(inv *model.Inventory) { inv.Organization.TLSGoal = model.TLSGoalDisableLegacy }

// win7Profile adds a Windows 7 client profile used by one 2016 user.
func win7Profile(inv *model.Inventory, kbs []string, dsp, sp *int) {
	inv.ClientProfiles = append(inv.ClientProfiles, model.ClientProfile{
		Name: "win7", Outlook: "Outlook 2016", OS: "Windows 7 SP1", InstalledUpdates: kbs,
		DefaultSecureProtocols: dsp, SecureProtocols: sp,
	})
	inv.Mailboxes = append(inv.Mailboxes, model.Mailbox{Name: "w7", Database: "DB2016", ClientProfile: "win7"})
}

// disableLegacy sets TLS 1.0/1.1 fully disabled on a server.
func disableLegacy(s *model.Server) {
	t := &s.TLS
	for _, v := range []**int{&t.Schannel10ClientEnabled, &t.Schannel10ServerEnabled, &t.Schannel11ClientEnabled, &t.Schannel11ServerEnabled} {
		*v = ip(0)
	}
	for _, v := range []**int{&t.Schannel10ClientDisabledByDefault, &t.Schannel10ServerDisabledByDefault, &t.Schannel11ClientDisabledByDefault, &t.Schannel11ServerDisabledByDefault} {
		*v = ip(1)
	}
}

func TestTLSExBuild(t *testing.T) {
	runCases(t, ruleTLSExBuild, []ruleCase{
		{name: "goal A met"},
		{name: "goal A: 2010 RU11", edit: func(inv *model.Inventory) { srv(inv, "EX2010").Build = "14.3.266.2" },
			want:     []string{"error TLS-EXBUILD EX2010"},
			contains: []string{"EX2010 runs Exchange 2010 SP3 RU11 (14.3.266.2); TLS 1.2 support needs Exchange 2010 SP3 RU19 (14.3.382.0) or later"}},
		{name: "goal A: 2010 RU19 is enough", edit: func(inv *model.Inventory) { srv(inv, "EX2010").Build = "14.3.382.0" }},
		{name: "goal B: 2010 RU19 and 2016 CU8", edit: func(inv *model.Inventory) {
			goalB(inv)
			srv(inv, "EX2010").Build = "14.3.382.0"
			srv(inv, "EX2016").Build = "15.1.1415.2"
		}, want: []string{"error TLS-EXBUILD EX2010", "error TLS-EXBUILD EX2016"},
			contains: []string{"Exchange 2010 SP3 RU20 (14.3.389.1)", "Exchange 2016 CU9 (15.1.1466.3)"}},
		{name: "goal A: 2007 warns", edit: func(inv *model.Inventory) { addServer(inv, "EX2007", "8.3.517.0") },
			want: []string{"warning TLS-EXBUILD EX2007"}},
		{name: "goal B: 2007 blocks", edit: func(inv *model.Inventory) { goalB(inv); addServer(inv, "EX2007", "8.3.517.0") },
			want: []string{"error TLS-EXBUILD EX2007"}},
	})
}

func TestTLSDotNet(t *testing.T) {
	runCases(t, ruleTLSDotNet, []ruleCase{
		{name: "ready"},
		{name: "2010 on 2012 R2 without KB3154520", edit: func(inv *model.Inventory) { srv(inv, "EX2010").InstalledUpdates = []string{"KB3161949"} },
			want: []string{"error TLS-DOTNET EX2010"}, contains: []string{"lacks KB3154520", "Install KB3154520."}},
		{name: "2010 on 2008 R2 needs KB3154518", edit: func(inv *model.Inventory) {
			s := srv(inv, "EX2010")
			s.OS, s.InstalledUpdates = "Windows Server 2008 R2 SP1", []string{"KB3154520"}
		}, want: []string{"error TLS-DOTNET EX2010"}, contains: []string{"KB3154518"}},
		{name: "2016 CU8 with .NET 4.6.2", edit: func(inv *model.Inventory) {
			s := srv(inv, "EX2016")
			s.Build, s.DotNet = "15.1.1415.2", "4.6.2"
		}, want: []string{"warning TLS-DOTNET EX2016"}, contains: []string{"supports .NET Framework 4.7.1"}},
		{name: "goal B: 2016 CU8 with .NET 4.6.2", edit: func(inv *model.Inventory) {
			goalB(inv)
			s := srv(inv, "EX2016")
			s.Build, s.DotNet = "15.1.1415.2", "4.6.2"
		}, want: []string{"error TLS-DOTNET EX2016"}},
		{name: "2016 CU8 with .NET 4.8 is too new", edit: func(inv *model.Inventory) { srv(inv, "EX2016").Build = "15.1.1415.2" },
			want: []string{"warning TLS-DOTNET EX2016"}, contains: []string{"newer than that cumulative update supports (4.7.1)"}},
		{name: "2013 CU19 with 4.7.1", edit: func(inv *model.Inventory) { addServer(inv, "EX2013", "15.0.1365.1").DotNet = "4.7.1" }},
	})
}

func TestTLSOS(t *testing.T) {
	runCases(t, ruleTLSOS, []ruleCase{
		{name: "ready"},
		{name: "2012 R2 without KB3161949", edit: func(inv *model.Inventory) { srv(inv, "EX2010").InstalledUpdates = []string{"KB3154520"} },
			want: []string{"error TLS-OS EX2010"}, contains: []string{"lacks KB3161949", "Get-HotFix -ComputerName 'ex2010.contoso.com'"}},
		{name: "2008 SP2 needs both", edit: func(inv *model.Inventory) {
			s := srv(inv, "EX2010")
			s.OS, s.InstalledUpdates = "Windows Server 2008 SP2", nil
		}, want: []string{"error TLS-OS EX2010"}, contains: []string{"lacks KB4019276 and KB3161949"}},
		{name: "2016 OS with no update recorded", edit: func(inv *model.Inventory) { srv(inv, "EX2016").InstalledUpdates = nil },
			want: []string{"info TLS-OS EX2016"}},
	})
}

func TestTLSSchannel(t *testing.T) {
	runCases(t, ruleTLSSchannel, []ruleCase{
		{name: "explicit everywhere"},
		{name: "server key missing while client set", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2016").TLS
			tl.Schannel12ServerEnabled, tl.Schannel12ServerDisabledByDefault = nil, nil
		}, want: []string{"error TLS-SCHANNEL EX2016"},
			contains: []string{"Server values are undefined", "differ"},
			regs:     []string{tls12Server + `\Enabled=0x1`, tls12Server + `\DisabledByDefault=0x0`}},
		{name: "all undefined on 2012 R2 is a warning", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2010").TLS
			tl.Schannel12ClientEnabled, tl.Schannel12ClientDisabledByDefault, tl.Schannel12ServerEnabled, tl.Schannel12ServerDisabledByDefault = nil, nil, nil, nil
		}, want: []string{"warning TLS-SCHANNEL EX2010"},
			regs: []string{tls12Client + `\Enabled=0x1`, tls12Client + `\DisabledByDefault=0x0`, tls12Server + `\Enabled=0x1`, tls12Server + `\DisabledByDefault=0x0`}},
		{name: "all undefined on 2008 R2 is an error", edit: func(inv *model.Inventory) {
			s := srv(inv, "EX2010")
			s.OS = "Windows Server 2008 R2 SP1"
			s.TLS.Schannel12ClientEnabled, s.TLS.Schannel12ClientDisabledByDefault, s.TLS.Schannel12ServerEnabled, s.TLS.Schannel12ServerDisabledByDefault = nil, nil, nil, nil
		}, want: []string{"error TLS-SCHANNEL EX2010"}, contains: []string{"so it is off"}},
		{name: "both sides disabled", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2016").TLS
			tl.Schannel12ClientEnabled, tl.Schannel12ServerEnabled = ip(0), ip(0)
		}, want: []string{"error TLS-SCHANNEL EX2016"}, contains: []string{"Client is disabled (Enabled=0"},
			regs: []string{tls12Client + `\Enabled=0x1`, tls12Server + `\Enabled=0x1`}},
		{name: "0xFFFFFFFF both sides", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2016").TLS
			tl.Schannel12ClientEnabled, tl.Schannel12ServerEnabled = ip(0xffffffff), ip(0xffffffff)
		}, want: []string{"warning TLS-SCHANNEL EX2016"}, contains: []string{"Enabled is 0xFFFFFFFF"}},
	})
}

func TestTLSNet35(t *testing.T) {
	runCases(t, ruleTLSNet35, []ruleCase{
		{name: "set (twin omitted = same)"},
		// Seed 004: required for Exchange 2010, so an error under either goal.
		{name: "undefined", edit: func(inv *model.Inventory) { srv(inv, "EX2010").TLS.Net2SystemDefaultTLSVersions = nil },
			want: []string{"error TLS-NET35 EX2010"},
			regs: []string{net2Native + `\SystemDefaultTlsVersions=0x1`, net2Wow + `\SystemDefaultTlsVersions=0x1`}},
		{name: "goal B: an error too", edit: func(inv *model.Inventory) { goalB(inv); srv(inv, "EX2010").TLS.Net2SystemDefaultTLSVersions = nil },
			want: []string{"error TLS-NET35 EX2010"}},
		{name: "twin explicitly 0", edit: func(inv *model.Inventory) { srv(inv, "EX2010").TLS.Net2WowSystemDefaultTLSVersions = ip(0) },
			want: []string{"error TLS-NET35 EX2010"}, contains: []string{"its Wow6432Node twin is 0"},
			regs: []string{net2Wow + `\SystemDefaultTlsVersions=0x1`}},
		{name: "not checked on 2016", edit: func(inv *model.Inventory) { srv(inv, "EX2016").TLS.Net2SystemDefaultTLSVersions = nil }},
	})
}

func TestTLSNet4(t *testing.T) {
	runCases(t, ruleTLSNet4, []ruleCase{
		{name: "set"},
		{name: "strong crypto undefined", edit: func(inv *model.Inventory) { srv(inv, "EX2016").TLS.Net4SchUseStrongCrypto = nil },
			want: []string{"warning TLS-NET4 EX2016"},
			regs: []string{net4Native + `\SchUseStrongCrypto=0x1`, net4Wow + `\SchUseStrongCrypto=0x1`}},
		{name: "goal B makes it an error", edit: func(inv *model.Inventory) { goalB(inv); srv(inv, "EX2016").TLS.Net4SystemDefaultTLSVersions = ip(0) },
			want: []string{"error TLS-NET4 EX2016"}, contains: []string{"SystemDefaultTlsVersions is 0"}},
	})
}

func TestTLSDisableOld(t *testing.T) {
	tls10Server := `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server`
	runCases(t, ruleTLSDisableOld, []ruleCase{
		{name: "goal A, nothing disabled"},
		{name: "goal B: still enabled everywhere", edit: goalB,
			want: []string{"warning TLS-DISABLE-OLD EX2010", "warning TLS-DISABLE-OLD EX2016"},
			regs: []string{tls10Server + `\Enabled=0x0`, tls10Server + `\DisabledByDefault=0x1`}},
		{name: "goal B: disabled everywhere", edit: func(inv *model.Inventory) {
			goalB(inv)
			disableLegacy(srv(inv, "EX2010"))
			disableLegacy(srv(inv, "EX2016"))
		}},
		{name: "goal B: a Windows 7 profile blocks", edit: func(inv *model.Inventory) {
			goalB(inv)
			disableLegacy(srv(inv, "EX2010"))
			disableLegacy(srv(inv, "EX2016"))
			win7Profile(inv, nil, nil, nil)
		}, want: []string{"error TLS-DISABLE-OLD win7"}, contains: []string{"not TLS 1.2-capable (Windows 7 without KB3140245"}},
		{name: "goal A: disabled too early on an unready server", edit: func(inv *model.Inventory) {
			s := srv(inv, "EX2010")
			s.TLS.Schannel10ServerEnabled = ip(0)
			s.TLS.Net2SystemDefaultTLSVersions = nil
		}, want: []string{"error TLS-DISABLE-OLD EX2010"}, contains: []string{"already disabled on EX2010", "SystemDefaultTlsVersions is undefined"}},
		{name: "goal A: disabled on a ready server, Windows Vista client", edit: func(inv *model.Inventory) {
			disableLegacy(srv(inv, "EX2016"))
			setProfile(inv, "Outlook 2010 SP2", "Windows Vista SP2")
		}, want: []string{"error TLS-DISABLE-OLD win10"}, contains: []string{"already disabled on some servers"}},
	})
}

func TestTLSWin7(t *testing.T) {
	dsp := `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp\DefaultSecureProtocols=0xA00`
	dspWow := `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp\DefaultSecureProtocols=0xA00`
	sp := `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\SecureProtocols=0xA80`
	runCases(t, ruleTLSWin7, []ruleCase{
		{name: "no Windows 7"},
		{name: "Windows 7 ready", edit: func(inv *model.Inventory) { win7Profile(inv, []string{"KB3140245"}, ip(0xA00), ip(0xA80)) }},
		{name: "Windows 7 with 0xA80 WinHTTP is ready too", edit: func(inv *model.Inventory) { win7Profile(inv, []string{"KB3140245"}, ip(0xA80), ip(0xA80)) }},
		{name: "Windows 7 with nothing", edit: func(inv *model.Inventory) { win7Profile(inv, nil, nil, nil) },
			want:     []string{"warning TLS-WIN7 win7"},
			contains: []string{"lacks KB3140245", "# On each computer of client profile win7", "HKCU:"},
			regs:     []string{dsp, dspWow, sp}},
		{name: "goal B: an error", edit: func(inv *model.Inventory) { goalB(inv); win7Profile(inv, []string{"KB3140245"}, ip(0xA00), nil) },
			want: []string{"error TLS-WIN7 win7"}, regs: []string{sp}},
	})
}

func TestTLSVerify(t *testing.T) {
	runCases(t, ruleTLSVerify, []ruleCase{
		{name: "advice once", want: []string{"info TLS-VERIFY Contoso"},
			contains: []string{"SP_PROT_TLS1_2_SERVER", "custom logging fields on EX2010 and EX2016", "Invoke-Command -ComputerName $server", "'ex2016.contoso.com'"}},
		{name: "nothing for a 2007-only organisation", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").Build = "8.3.517.0"
			srv(inv, "EX2016").Build = "8.3.517.0"
		}},
		{name: "many servers of a version are named by version", edit: func(inv *model.Inventory) {
			for i := 2; i <= 12; i++ {
				s := *srv(inv, "EX2010")
				s.Name, s.FQDN = fmt.Sprintf("EX2010-%02d", i), fmt.Sprintf("ex2010-%02d.contoso.com", i)
				inv.Servers = append(inv.Servers, s)
			}
		}, want: []string{"info TLS-VERIFY Contoso"},
			contains: []string{"custom logging fields on every Exchange 2010 Client Access server (12) and EX2016", "'ex2010-12.contoso.com'"}},
	})
}

func TestWin7RegistryTwin(t *testing.T) {
	// A nil Wow6432Node twin follows the native value; an explicit one is
	// checked on its own.
	tests := []struct {
		name   string
		n      netValue
		wantOK bool
	}{
		{"both nil", netValue{"X", nil, nil}, false},
		{"native 1, twin nil", netValue{"X", ip(1), nil}, true},
		{"native 1, twin 0", netValue{"X", ip(1), ip(0)}, false},
		{"native 0, twin 1", netValue{"X", ip(0), ip(1)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.n.ok(); got != tt.wantOK {
				t.Errorf("got %v, want %v", got, tt.wantOK)
			}
		})
	}
}

const tls13Client = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client`

// HealthChecker's "Misconfigured": Client and Server differ once read as it
// reads them (any non-zero Enabled is on).
func TestTLSMismatch(t *testing.T) {
	runCases(t, ruleTLSMismatch, []ruleCase{
		{name: "nothing set"},
		{name: "0xFFFFFFFF and 1 both mean enabled", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2016").TLS
			tl.Schannel10ClientEnabled, tl.Schannel10ServerEnabled = ip(0xffffffff), ip(1)
		}},
		{name: "TLS 1.0 Server disabled, Client undefined", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2010").TLS
			tl.Schannel10ServerEnabled, tl.Schannel10ServerDisabledByDefault = ip(0), ip(1)
		}, want: []string{"error TLS-MISMATCH EX2010"},
			contains: []string{"TLS 1.0 Client (Enabled=undefined, DisabledByDefault=undefined) and Server (Enabled=0, DisabledByDefault=1) differ"}},
		{name: "TLS 1.1 DisabledByDefault differs", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2016").TLS
			tl.Schannel11ClientDisabledByDefault, tl.Schannel11ServerDisabledByDefault = ip(1), ip(0)
		}, want: []string{"error TLS-MISMATCH EX2016"}, contains: []string{"TLS 1.1 Client"}},
		{name: "TLS 1.3 Client enabled, Server undefined (off)", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").TLS.Schannel13ClientEnabled = ip(1)
		}, want: []string{"error TLS-MISMATCH EX2016"}, contains: []string{"TLS 1.3 Client (Enabled=1"}},
		{name: "TLS 1.3 Enabled=0 and undefined agree", edit: func(inv *model.Inventory) {
			srv(inv, "EX2016").TLS.Schannel13ClientEnabled = ip(0)
		}},
		{name: "legacy fully disabled both sides", edit: func(inv *model.Inventory) { disableLegacy(srv(inv, "EX2016")) }},
	})
}

func TestTLS13(t *testing.T) {
	runCases(t, ruleTLS13, []ruleCase{
		{name: "undefined means disabled"},
		{name: "explicitly disabled", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2016").TLS
			tl.Schannel13ClientEnabled, tl.Schannel13ServerEnabled = ip(0), ip(0)
			tl.Schannel13ClientDisabledByDefault, tl.Schannel13ServerDisabledByDefault = ip(1), ip(1)
		}},
		{name: "enabled on 2016", edit: func(inv *model.Inventory) {
			tl := &srv(inv, "EX2016").TLS
			tl.Schannel13ClientEnabled, tl.Schannel13ServerEnabled = ip(1), ip(0xffffffff)
		}, want: []string{"error TLS-13 EX2016"},
			contains: []string{"TLS 1.3 is not disabled on EX2016", "Client Enabled=1, DisabledByDefault=undefined; Server Enabled=0xFFFFFFFF"},
			regs:     []string{tls13Client + `\Enabled=0x0`, tls13Client + `\DisabledByDefault=0x1`}},
		{name: "Enabled=0 but DisabledByDefault=0 is not disabled", edit: func(inv *model.Inventory) {
			srv(inv, "EX2010").TLS.Schannel13ServerDisabledByDefault = ip(0)
		}, want: []string{"error TLS-13 EX2010"}},
		{name: "2019 CU15 on Windows Server 2022 supports it", edit: func(inv *model.Inventory) {
			s := addServer(inv, "EX2019", "15.2.1748.10", "Mailbox")
			s.OS = "Windows Server 2022 Standard"
			s.TLS.Schannel13ClientEnabled, s.TLS.Schannel13ServerEnabled = ip(1), ip(1)
		}},
		{name: "2019 CU14 on Windows Server 2022 does not", edit: func(inv *model.Inventory) {
			s := addServer(inv, "EX2019", "15.2.1544.4", "Mailbox")
			s.OS = "Windows Server 2022 Standard"
			s.TLS.Schannel13ClientEnabled, s.TLS.Schannel13ServerEnabled = ip(1), ip(1)
		}, want: []string{"error TLS-13 EX2019"}},
		{name: "2019 CU15 on Windows Server 2019 does not", edit: func(inv *model.Inventory) {
			s := addServer(inv, "EX2019", "15.2.1748.10", "Mailbox")
			s.OS = "Windows Server 2019 Standard"
			s.TLS.Schannel13ClientEnabled, s.TLS.Schannel13ServerEnabled = ip(1), ip(1)
		}, want: []string{"error TLS-13 EX2019"}},
	})
}
