package templates

import (
	"reflect"
	"testing"
)

func TestRemedyLegacyNTLM(t *testing.T) {
	tests := []struct {
		name string
		data map[string]any
		want []string
	}{
		{"enabled", map[string]any{"Server": "CAS2010-1", "Enabled": true, "ExternalHostname": "mail.contoso.com", "ClientAuth": "Basic"},
			[]string{"#!shell EMS2010",
				`#!check Get-OutlookAnywhere -Server 'CAS2010-1' | Format-List Identity, ExternalHostname, ClientAuthenticationMethod, IISAuthenticationMethods, SSLOffloading`,
				`#!change 'CAS2010-1', 'Outlook Anywhere client authentication Basic, IIS authentication Basic,NTLM'`,
				`Set-OutlookAnywhere -Identity 'CAS2010-1\Rpc (Default Web Site)' -ClientAuthenticationMethod Basic -IISAuthenticationMethods Basic,NTLM`,
				"#!end"}},
		{"disabled", map[string]any{"Server": "O'Brien", "Enabled": false, "ExternalHostname": "mail.contoso.com", "ClientAuth": "NTLM"},
			[]string{"#!shell EMS2010",
				`#!check Get-OutlookAnywhere -Server 'O''Brien' | Format-List Identity, ExternalHostname, ClientAuthenticationMethod, IISAuthenticationMethods, SSLOffloading`,
				`#!change 'O''Brien', 'Enable Outlook Anywhere, client authentication NTLM, IIS authentication Basic,NTLM'`,
				`Enable-OutlookAnywhere -Server 'O''Brien' -ExternalHostname 'mail.contoso.com' -ClientAuthenticationMethod NTLM -SSLOffloading $false`,
				`Set-OutlookAnywhere -Identity 'O''Brien\Rpc (Default Web Site)' -ClientAuthenticationMethod NTLM -IISAuthenticationMethods Basic,NTLM`,
				"#!end"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Remedy("AUTH-LEGACY-NTLM", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := Remedy("NO-SUCH-RULE", nil); err == nil {
		t.Error("got no error for a missing template")
	}
}
