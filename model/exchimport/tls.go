package exchimport

import (
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/clixml"
)

// tlsTarget names the TLSRegistry field a registry value fills.
type tlsTarget struct {
	field string
	ptr   func(t *model.TLSRegistry) **int
}

const schannelKey = `system\currentcontrolset\control\securityproviders\schannel\protocols\`

// schannelTargets maps "tls 1.2\server" + value name to a field.
var schannelTargets = map[string]tlsTarget{}

// netTargets maps a lower-case .NET Framework key + value name to a field.
var netTargets = map[string]tlsTarget{}

func init() {
	type f = func(t *model.TLSRegistry) **int
	schannel := []struct {
		ver, side string
		enabled   f
		disabled  f
	}{
		{"1.0", "client", func(t *model.TLSRegistry) **int { return &t.Schannel10ClientEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel10ClientDisabledByDefault }},
		{"1.0", "server", func(t *model.TLSRegistry) **int { return &t.Schannel10ServerEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel10ServerDisabledByDefault }},
		{"1.1", "client", func(t *model.TLSRegistry) **int { return &t.Schannel11ClientEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel11ClientDisabledByDefault }},
		{"1.1", "server", func(t *model.TLSRegistry) **int { return &t.Schannel11ServerEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel11ServerDisabledByDefault }},
		{"1.2", "client", func(t *model.TLSRegistry) **int { return &t.Schannel12ClientEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel12ClientDisabledByDefault }},
		{"1.2", "server", func(t *model.TLSRegistry) **int { return &t.Schannel12ServerEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel12ServerDisabledByDefault }},
		{"1.3", "client", func(t *model.TLSRegistry) **int { return &t.Schannel13ClientEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel13ClientDisabledByDefault }},
		{"1.3", "server", func(t *model.TLSRegistry) **int { return &t.Schannel13ServerEnabled }, func(t *model.TLSRegistry) **int { return &t.Schannel13ServerDisabledByDefault }},
	}
	for _, s := range schannel {
		v := strings.ReplaceAll(s.ver, ".", "")
		key := "tls " + s.ver + `\` + s.side
		schannelTargets[key+`\enabled`] = tlsTarget{"schannel_tls" + v + "_" + s.side + "_enabled", s.enabled}
		schannelTargets[key+`\disabledbydefault`] = tlsTarget{"schannel_tls" + v + "_" + s.side + "_disabled_by_default", s.disabled}
	}
	net := []struct {
		key, prefix  string
		sdtv, strong f
	}{
		{`software\microsoft\.netframework\v2.0.50727`, "net2", func(t *model.TLSRegistry) **int { return &t.Net2SystemDefaultTLSVersions }, func(t *model.TLSRegistry) **int { return &t.Net2SchUseStrongCrypto }},
		{`software\microsoft\.netframework\v4.0.30319`, "net4", func(t *model.TLSRegistry) **int { return &t.Net4SystemDefaultTLSVersions }, func(t *model.TLSRegistry) **int { return &t.Net4SchUseStrongCrypto }},
		{`software\wow6432node\microsoft\.netframework\v2.0.50727`, "net2_wow6432", func(t *model.TLSRegistry) **int { return &t.Net2WowSystemDefaultTLSVersions }, func(t *model.TLSRegistry) **int { return &t.Net2WowSchUseStrongCrypto }},
		{`software\wow6432node\microsoft\.netframework\v4.0.30319`, "net4_wow6432", func(t *model.TLSRegistry) **int { return &t.Net4WowSystemDefaultTLSVersions }, func(t *model.TLSRegistry) **int { return &t.Net4WowSchUseStrongCrypto }},
	}
	for _, n := range net {
		netTargets[n.key+`\systemdefaulttlsversions`] = tlsTarget{n.prefix + "_system_default_tls_versions", n.sdtv}
		netTargets[n.key+`\schusestrongcrypto`] = tlsTarget{n.prefix + "_sch_use_strong_crypto", n.strong}
	}
}

// regKey normalises a registry key path: lower case, backslashes, no hive
// prefix, no trailing backslash.
func regKey(k string) string {
	k = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(k), "/", `\`))
	for _, p := range []string{`hkey_local_machine\`, `hklm:\`, `hklm\`, `registry::hkey_local_machine\`} {
		k = strings.TrimPrefix(k, p)
	}
	return strings.TrimSuffix(k, `\`)
}

// isRegistryKey reports whether k is one of the keys collect.ps1 reads.
func isRegistryKey(k string) bool {
	k = regKey(k)
	return strings.Contains(k, `\schannel\`) || strings.Contains(k, `.netframework`) ||
		strings.Contains(k, `net framework setup`) || strings.Contains(k, `exchange`)
}

// applyTLSRegistry maps one raw registry value row written by collect.ps1
// (ComputerName, Key, Name, Value). A Nil Value — the value does not
// exist — leaves the field undefined.
func (im *importer) applyTLSRegistry(d *doc, v *clixml.Value) {
	a := im.serverFor(d, []string{str(v.Get("ComputerName"))}, false, []string{str(v.Get("PSComputerName"))})
	if a == nil {
		return
	}
	a.seen[kTLSRegistry] = true
	key, name := regKey(str(v.Get("Key"))), strings.ToLower(str(v.Get("Name")))
	var dst **int
	field := ""
	switch {
	case strings.HasPrefix(key, schannelKey):
		if t, found := schannelTargets[key[len(schannelKey):]+`\`+name]; found {
			dst, field = t.ptr(&a.s.TLS), "tls."+t.field
		}
	case key == `software\microsoft\net framework setup\ndp\v4\full` && name == "release":
		dst = &a.ndp4Release
	case key == `software\microsoft\net framework setup\ndp\v3.5` && name == "install":
		dst = &a.ndp35Install
	case key == `software\microsoft\net framework setup\ndp\v3.5` && name == "sp":
		dst = &a.ndp35SP
	default:
		if t, found := netTargets[key+`\`+name]; found {
			dst, field = t.ptr(&a.s.TLS), "tls."+t.field
		}
	}
	if dst == nil {
		return // a value coexist does not use, such as the install path
	}
	n, ok, bad := regInt(v.Get("Value"))
	switch {
	case bad:
		im.note("%s: %s %s\\%s = %q is not a DWORD: left undefined", d.rel, a.s.Name, str(v.Get("Key")), str(v.Get("Name")), str(v.Get("Value")))
	case !ok:
		// the value does not exist: undefined
	case field != "":
		im.setInt(a, field, dst, n, d.rel)
	default:
		*dst = &n
	}
}

// applyTLSSummary maps HealthChecker's GetAllTlsSettings object: the raw
// *Value properties of Registry.TLS["1.x"] and Registry.NET["NETv2"/"NETv4"].
// The boolean properties next to them are effective settings (TLS defaults
// to enabled when unset), not registry values, so they are not used.
func (im *importer) applyTLSSummary(d *doc, v *clixml.Value) {
	a := im.serverFor(d, nil, false, []string{str(v.Get("PSComputerName")), str(v.Get("ComputerName"))})
	if a == nil {
		return
	}
	a.seen[kTLSRegistry] = true
	reg := v.Get("Registry")
	set := func(field string, ptr **int, val *clixml.Value, where string) {
		n, ok, bad := regInt(val)
		if bad {
			im.note("%s: %s %s = %q is not a DWORD: left undefined", d.rel, a.s.Name, where, str(val))
		}
		if ok {
			im.setInt(a, "tls."+field, ptr, n, d.rel)
		}
	}
	tls := reg.Get("TLS")
	for _, ver := range []string{"1.0", "1.1", "1.2", "1.3"} {
		e := tls.Key(ver)
		if e == nil {
			continue
		}
		for _, side := range []string{"Server", "Client"} {
			key := "tls " + ver + `\` + strings.ToLower(side)
			for _, val := range []struct{ prop, name string }{{"EnabledValue", "enabled"}, {"DisabledByDefaultValue", "disabledbydefault"}} {
				t := schannelTargets[key+`\`+val.name]
				set(t.field, t.ptr(&a.s.TLS), e.Get(side+val.prop), "TLS "+ver+" "+side+val.prop)
			}
		}
	}
	net := reg.Get("NET")
	for _, n := range []struct{ key, path string }{{"NETv2", "v2.0.50727"}, {"NETv4", "v4.0.30319"}} {
		e := net.Key(n.key)
		if e == nil {
			continue
		}
		for _, val := range []struct{ prop, key, name string }{
			{"SystemDefaultTlsVersionsValue", `software\microsoft\.netframework\`, "systemdefaulttlsversions"},
			{"SchUseStrongCryptoValue", `software\microsoft\.netframework\`, "schusestrongcrypto"},
			{"WowSystemDefaultTlsVersionsValue", `software\wow6432node\microsoft\.netframework\`, "systemdefaulttlsversions"},
			{"WowSchUseStrongCryptoValue", `software\wow6432node\microsoft\.netframework\`, "schusestrongcrypto"},
		} {
			t := netTargets[val.key+n.path+`\`+val.name]
			set(t.field, t.ptr(&a.s.TLS), e.Get(val.prop), n.key+" "+val.prop)
		}
	}
}
