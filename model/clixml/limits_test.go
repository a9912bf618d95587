package clixml

import (
	"errors"
	"strings"
	"testing"
)

// TestHostileStrings (D16): a value too long to be an Exchange value is
// refused at its position without being held whole, and a string whose
// escapes stand for control characters is reported and left out rather
// than handed on (import used to copy both into inventory.toml).
func TestHostileStrings(t *testing.T) {
	long := strings.Repeat("A", MaxText+1)
	tests := []struct {
		name string
		in   string
		want string // the first problem
		str  string // the first value's text after reading
	}{
		{"string just within the limit", header + "\n<S>" + long[:MaxText] + "</S></Objs>", "", long[:MaxText]},
		{"string over the limit", header + "\n<S>" + long + "</S></Objs>", "t.xml:2:4: text longer than 1 MiB: not a value an Exchange export holds", ""},
		{"ToString over the limit", header + "\n<Obj RefId=\"0\">\n<ToString>" + long + "</ToString></Obj></Objs>", "t.xml:3:11: text longer than 1 MiB: not a value an Exchange export holds", ""},
		{"attribute over the limit", header + "\n<S N=\"" + long + "\">x</S></Objs>", "t.xml:2:2: text longer than 1 MiB: not a value an Exchange export holds", ""},
		{"NUL escape", header + "\n<S>EX_x0000_1</S></Objs>", "t.xml:2:1: string holds the control character U+0000 (escape _x0000_): not text, the value is left out", ""},
		{"escape character", header + "\n<S>EX_x001B_[31m</S></Objs>", "t.xml:2:1: string holds the control character U+001B (escape _x001B_): not text, the value is left out", ""},
		{"NUL in ToString", header + "\n<Obj RefId=\"0\">\n<ToString>Std_x0000_</ToString></Obj></Objs>", "t.xml:3:1: string holds the control character U+0000 (escape _x0000_): not text, the value is left out", ""},
		{"NUL as C", header + "\n<C>0</C></Objs>", "t.xml:2:1: C value 0 is the control character U+0000: not text, the value is left out", ""},
		{"line breaks and tabs stay", header + "\n<S>a_x000D__x000A_b_x0009_c</S></Objs>", "", "a\r\nb\tc"},
		{"lone surrogate becomes U+FFFD", header + "\n<S>a_xD800_b</S></Objs>", "", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := Read(strings.NewReader(tt.in), "t.xml")
			var list ErrorList
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.want != "" && !errors.As(err, &list):
				t.Fatalf("got error %v, want %q", err, tt.want)
			case tt.want != "" && list[0].Error() != tt.want:
				t.Errorf("got %q, want %q", list[0].Error(), tt.want)
			}
			got := ""
			if len(vals) > 0 {
				got = vals[0].Str
			}
			if got != tt.str {
				t.Errorf("got value %.40q (%d bytes), want %.40q", got, len(got), tt.str)
			}
		})
	}
}
