package layout

import "testing"

func TestParseColor(t *testing.T) {
	tests := map[string]struct {
		in   string
		want Color
	}{
		"hex":                {"#1f77b4", RGB(0x1f, 0x77, 0xb4)},
		"hex upper":          {"#FF8000", RGB(255, 128, 0)},
		"hex alpha":          {"#fffffe00", Color{255, 255, 254, 0}},
		"hex half alpha":     {"#11223380", Color{0x11, 0x22, 0x33, 0x80}},
		"bad hex":            {"#12345", Black},
		"black":              {"black", Black},
		"white":              {"white", RGB(255, 255, 255)},
		"red":                {"red", RGB(255, 0, 0)},
		"grey":               {"grey", RGB(192, 192, 192)},
		"gray":               {"gray", RGB(192, 192, 192)},
		"lightgrey":          {"lightgrey", RGB(211, 211, 211)},
		"lightgray":          {"LightGray", RGB(211, 211, 211)},
		"grey50":             {"grey50", RGB(127, 127, 127)},
		"scheme prefix":      {"/x11/red", RGB(255, 0, 0)},
		"colour list":        {"red:blue", RGB(255, 0, 0)},
		"weighted list":      {"#00ff00;0.3:red", RGB(0, 255, 0)},
		"none":               {"none", Color{}},
		"transparent":        {"transparent", Color{}},
		"hsv red":            {"0.000 1.000 1.000", RGB(255, 0, 0)},
		"hsv comma":          {"0.5,1,1", RGB(0, 255, 255)},
		"unknown is black":   {"chartreuse4", Black},
		"empty is black":     {"", Black},
		"spaces are ignored": {"  white ", RGB(255, 255, 255)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := ParseColor(tt.in); got != tt.want {
				t.Errorf("ParseColor(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestColorHex(t *testing.T) {
	tests := map[string]struct {
		in   Color
		want string
	}{
		"opaque":      {RGB(0x1f, 0x77, 0xb4), "#1f77b4"},
		"translucent": {Color{1, 2, 3, 4}, "#01020304"},
		"transparent": {Color{}, "#00000000"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.in.Hex(); got != tt.want {
				t.Errorf("Hex() = %q, want %q", got, tt.want)
			}
			if back := ParseColor(tt.want); back != tt.in {
				t.Errorf("ParseColor(Hex()) = %v, want %v", back, tt.in)
			}
		})
	}
}

func TestOpKindString(t *testing.T) {
	tests := map[OpKind]string{
		Polygon: "polygon", Polyline: "polyline", Bezier: "bezier",
		Ellipse: "ellipse", Text: "text", 0: "unknown",
	}
	for k, want := range tests {
		if got := k.String(); got != want {
			t.Errorf("OpKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
