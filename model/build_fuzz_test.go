package model

import "testing"

// FuzzParseBuild checks that ParseBuild never panics and that a parsed
// build prints (String) as a build that parses back to itself. Run it
// with
//
//	go test ./model -run XXX -fuzz FuzzParseBuild -fuzztime 5m
func FuzzParseBuild(f *testing.F) {
	for _, s := range []string{
		"Version 14.3 (Build 123.4)", "14.3.123.4", "15.01.2507.006", "15.1.2507.61",
		"version   15.2 (build 2562.17)", " 8.3.83.6 ", "14.3.x", "15.3.1.1", "16.0.1.1",
		"1234567890.1.1.1", "14.3", "Version 14.3", "", "٣.٣.٣.٣", "14.3.123.4\n",
		"Version 15.0 (Build 1497.2)", "15.2.2562.17", "8.0.685.24",
	} {
		f.Add(s)
	}
	for _, b := range BuildCatalog {
		f.Add(b.Build.String())
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBuild(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseBuild(%q): empty error", s)
			}
			if !b.IsZero() {
				t.Fatalf("ParseBuild(%q): error %v with build %v", s, err, b)
			}
			return
		}
		back, err := ParseBuild(b.String())
		if err != nil {
			t.Fatalf("ParseBuild(%q) = %v, but ParseBuild(%q): %v", s, b, b.String(), err)
		}
		if back != b {
			t.Fatalf("ParseBuild(%q) = %v, which prints as %q and parses back as %v", s, b, b.String(), back)
		}
		if b.Version() == 0 {
			t.Fatalf("ParseBuild(%q) = %v, a build of no known version", s, b)
		}
		_ = b.Name()
		NextUpdate(b)
	})
}
