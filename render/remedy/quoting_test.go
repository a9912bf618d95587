package remedy

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/templates"
)

// marker is the code a hostile name tries to run; it appears in no
// template, so wherever the lexer finds it outside a literal or a comment
// the name has escaped its string.
const marker = "Zq9Pwned"

// templateData is data for every remedy template with every name, host,
// path and keyword field set to name (flag picks the booleans and the
// commented-out variants).
func templateData(id, name string, flag bool) map[string]any {
	prefix := ""
	if flag {
		prefix = "# "
	}
	list := []string{name, "x" + name}
	keys := []map[string]any{{"Path": name, "Values": []map[string]any{{"Name": name, "Value": 1}, {"Name": name + "2", "Value": 0xA80}}}}
	d := map[string]any{
		"Principal": name, "EXCH": flag, "Server": name, "Enabled": flag, "ExternalHostname": name,
		"ClientAuth": name, "InternalAuth": name, "Prefix": prefix, "Thumbprint": name, "RequestFile": name,
		"Host": name, "Subject": name, "Names": list, "FQDN": name, "Need": name, "Latest": name,
		"New": name, "Major": name, "KBs": list, "Cmdlet": name, "URI": name, "LB": name, "Hosts": list,
		"Suggest": name, "Service": name, "Settings": list, "Name": name, "Sites": list, "Databases": list,
		"Computer": name, "Keys": keys, "Reboot": flag, "Profile": name, "HKCU": flag, "Servers": list,
		"Legacy": flag, "InternalHostname": name, "Shell": name,
	}
	switch id {
	case "OASET", "AUTH-CONSISTENT", "AUTH-NTLM-PREF":
		d["Servers"] = []map[string]any{
			{"Server": name, "Legacy": true, "ClientAuth": name, "InternalAuth": name, "ExternalHostname": name, "InternalHostname": name, "SetSSLOffloading": flag, "SSLOffloading": flag},
			{"Server": name, "Legacy": false, "ClientAuth": name, "InternalAuth": name, "ExternalHostname": name, "InternalHostname": name, "SetSSLOffloading": !flag, "SSLOffloading": flag},
		}
	}
	if flag && strings.HasPrefix(id, "REGSET") || id == "TLS-NET35" || id == "TLS-NET4" || id == "TLS-SCHANNEL" {
		d["Computer"] = ""
		if flag {
			d["Computer"] = name
		}
	}
	return d
}

// hostile are names built to break out of PowerShell quoting: each
// surrounds the marker.
var hostile = [][2]string{
	{"CAS1\u2019$(", ")\u2019"},            // the D2 reproducer: right single quotation mark
	{"a\u2018; ", "; \u2018"},              // left single quotation mark
	{"a\u201a; ", "; \u201a"},              // single low-9 quotation mark
	{"a\u201b; ", "; \u201b"},              // single high-reversed-9 quotation mark
	{"a'; ", "; '"},                        // ASCII quote
	{"a\"; $(", ")\""},                     // double quote and sub-expression
	{"a`'; ", ""},                          // backtick before a quote
	{"a\r\n", "\r\n"},                      // line breaks end comments
	{"a\r", ""},                            // a bare CR ends a comment too
	{"a\n", ""},                            // so does LF
	{"a\u2028", "\u2029"},                  // Unicode line separators
	{"a#>\r\n", "\r\n<#"},                  // block comment delimiters
	{"@'\r\n", "\r\n'@"},                   // here-string delimiters
	{"\u202e", "\u202c"},                   // bidi override
	{"", "'\u2019\u2018"},                  // trailing quotes
	{"a$(", ")"},                           // plain sub-expression
	{"-Force ", ""},                        // parameter injection into bare words
	{"x\x00", "\x00"},                      // NUL
	{"\u2019\u2019\u2019", "\u2019\u2019"}, // runs of quotes
}

// FuzzRemedyTemplates renders every remedy template with hostile names
// in every field and lexes the result as PowerShell does: the marker must
// stay inside single-quoted literals or comments.
func FuzzRemedyTemplates(f *testing.F) {
	for _, h := range hostile {
		f.Add(h[0], h[1], false)
		f.Add(h[0], h[1], true)
	}
	ids := templates.IDs()
	if len(ids) < 30 {
		f.Fatalf("got %d remedy templates, want every rule's", len(ids))
	}
	f.Fuzz(func(t *testing.T, pre, post string, flag bool) {
		name := pre + marker + post
		var all []planner.Finding
		for _, id := range ids {
			lines, err := templates.Remedy(id, templateData(id, name, flag))
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			script := strings.Join(lines, "\r\n") + "\r\n"
			if strings.Contains(script, "<no value>") {
				t.Fatalf("%s: templateData lacks a field the template uses:\n%s", id, script)
			}
			for _, e := range escapes(script, marker) {
				t.Errorf("%s with name %q: %s", id, name, e)
			}
			all = append(all, planner.Finding{ID: id, Severity: planner.SevError, Subject: name, Message: name + " msg",
				Fix: planner.Fix{Server: name, Shell: lines, KBs: []string{name}, Steps: []string{name}}})
		}
		// The same lines inside remediation.ps1, with its guards and backups.
		out := Script("Org "+name, day, all)
		for _, e := range escapes(string(out), marker) {
			t.Errorf("remediation.ps1 with name %q: %s", name, e)
		}
	})
}

// TestPSQuoteTypographic is the D2 regression: the reviewer's server name
// with typographic quotes stays one literal.
func TestPSQuoteTypographic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CAS1’$(Write-Output PWNED)’", "'CAS1’’$(Write-Output PWNED)’’'"},
		{"Sales’ DB", "'Sales’’ DB'"},
		{"O'Brien", "'O''Brien'"},
		{"‘‚‛", "'‘‘‚‚‛‛'"},
		{"", "''"},
		{"a\nb", "('a'+[char]0x000A+'b')"},
		{"\u202e", "([char]0x202E)"},
	}
	for _, tt := range tests {
		if got := templates.PSQuote(tt.in); got != tt.want {
			t.Errorf("PSQuote(%q): got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestPSInjectionInventory plans the reviewer's reproducer (a server
// named CAS1’$(Write-Output PWNED)’) and lexes the whole remediation.ps1.
func TestPSInjectionInventory(t *testing.T) {
	inv, _, err := load.Load([]string{filepath.Join("testdata", "ps-inj.toml")}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl := planner.Run(inv, planner.Options{})
	out := string(Script(pl.Organization, pl.AsOf, pl.Findings))
	if !strings.Contains(out, "Write-Output PWNED") {
		t.Fatal("the hostile name does not reach remediation.ps1: the test proves nothing")
	}
	for _, e := range escapes(out, "Write-Output PWNED") {
		t.Error(e)
	}
	if !strings.Contains(out, "'CAS1’’$(Write-Output PWNED)’’'") {
		t.Errorf("no quoted server name 'CAS1’’$(Write-Output PWNED)’’' in:\n%s", out)
	}
}
