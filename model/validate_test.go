package model

import (
	"strings"
	"testing"
)

func TestCheckFQDN(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = valid, else substring of the error
	}{
		{"mail.contoso.com", ""},
		{"cas2010-1.contoso.com", ""},
		{"MAIL.Contoso.COM.", ""},
		{"mail", "not a fully qualified domain name"},
		{"", "empty"},
		{"-bad.contoso.com", "not a valid host name"},
		{"bad..contoso.com", "not a valid host name"},
		{"sp ace.contoso.com", "not a valid host name"},
		{strings.Repeat("a", 64) + ".com", "not a valid host name"},
		{strings.Repeat("a.", 130) + "com", "longer than 253"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := CheckFQDN(tt.in)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseConnectionSetting(t *testing.T) {
	tests := []struct {
		in      string
		want    ConnectionSetting
		wantErr bool
	}{
		{"cas1.contoso.com:995:SSL", ConnectionSetting{"cas1.contoso.com", 995, "SSL"}, false},
		{"cas1.contoso.com:110:tls", ConnectionSetting{"cas1.contoso.com", 110, "TLS"}, false},
		{"cas1.contoso.com:110", ConnectionSetting{"cas1.contoso.com", 110, ""}, false},
		{"cas1.contoso.com:0:SSL", ConnectionSetting{}, true},
		{"cas1.contoso.com:995:RC4", ConnectionSetting{}, true},
		{"cas1", ConnectionSetting{}, true},
		{":995:SSL", ConnectionSetting{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseConnectionSetting(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %+v, %v; want %+v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseOutlook(t *testing.T) {
	tests := []struct {
		in   string
		want Outlook
		err  bool
	}{
		{"Outlook 2010 SP2", Outlook{2010, 2}, false},
		{"Outlook 2016", Outlook{2016, 0}, false},
		{"Microsoft Outlook 2013 SP1", Outlook{2013, 1}, false},
		{"Microsoft 365 Apps", Outlook{OutlookM365, 0}, false},
		{"Outlook 2003 SP3", Outlook{2003, 3}, false},
		{"Outlook LTSC 2021", Outlook{2021, 0}, false},
		{"Microsoft Office Outlook LTSC 2024", Outlook{2024, 0}, false},
		{"Thunderbird", Outlook{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOutlook(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	if !(Outlook{2013, 1}).AtLeast(2013, 1) || (Outlook{2010, 2}).AtLeast(2013, 0) {
		t.Error("AtLeast wrong")
	}
}

func TestParseWindows(t *testing.T) {
	tests := []struct {
		in   string
		want WindowsOS
		err  bool
	}{
		{"Windows Server 2008 R2 SP1", WindowsOS{true, "2008 R2", 1}, false},
		{"Microsoft Windows Server 2016 Datacenter", WindowsOS{true, "2016", 0}, false},
		{"Windows Server 2008 Service Pack 2", WindowsOS{true, "2008", 2}, false},
		{"Windows Server 2012 R2 Standard", WindowsOS{true, "2012 R2", 0}, false},
		{"Windows 7 SP1", WindowsOS{false, "7", 1}, false},
		{"Windows 10 Enterprise", WindowsOS{false, "10", 0}, false},
		{"macOS 14", WindowsOS{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseWindows(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestHasRole2016MailboxIsClientAccess(t *testing.T) {
	s := Server{Roles: []string{"Mailbox"}, Parsed: MustBuild("15.1.2507.6")}
	if !s.HasRole("ClientAccess") {
		t.Error("got false, want a 2016 Mailbox server to serve client access")
	}
	s.Parsed = MustBuild("14.3.123.4")
	if s.HasRole("ClientAccess") {
		t.Error("got true, want a 2010 Mailbox-only server not to serve client access")
	}
}
