package planner

import "testing"

func TestNegotiate(t *testing.T) {
	cases := []struct {
		offered    string
		accepts    []string
		want       string
		wantRefuse string
	}{
		{"basic", []string{"Basic", "NTLM"}, "basic", ""},
		{"basic", []string{"NTLM"}, "basic", "/rpc on X accepts NTLM only"},
		{"ntlm", []string{"Basic"}, "ntlm", "/rpc on X accepts Basic only"},
		{"ntlm", []string{"Basic", "NTLM", "Negotiate"}, "ntlm", ""},
		{"negotiate", []string{"Basic", "NTLM", "Negotiate"}, "negotiate", ""},
		{"negotiate", []string{"Basic", "NTLM"}, "ntlm", ""},
		{"negotiate", []string{"Basic"}, "negotiate", "/rpc on X accepts Basic only"},
		// Server-to-server Kerberos needs Integrated Windows Authentication.
		{"kerberos", []string{"Basic", "NTLM"}, "kerberos", ""},
		{"kerberos", []string{"Negotiate"}, "kerberos", ""},
		{"kerberos", []string{"Basic"}, "kerberos", "/rpc on X accepts Basic only"},
		{"kerberos", []string{"Basic", "FBA"}, "kerberos", "/rpc on X accepts Basic, FBA"},
		// Not recorded: accepted as offered.
		{"basic", nil, "basic", ""},
	}
	for _, c := range cases {
		got := negotiate(c.offered, c.accepts, "/rpc on X")
		if got.Method != c.want || got.Refused != c.wantRefuse {
			t.Errorf("negotiate(%s, %v) = %q refused %q, want %q refused %q", c.offered, c.accepts, got.Method, got.Refused, c.want, c.wantRefuse)
		}
	}
}
