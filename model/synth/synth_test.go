package synth

import (
	"reflect"
	"testing"
)

func TestGenerateValidAndDeterministic(t *testing.T) {
	for _, mix := range Mixes() {
		t.Run(mix, func(t *testing.T) {
			c := Config{Seed: 7, Mailboxes: 5000, Sites: 6, Mix: mix}
			a, err := Generate(c)
			if err != nil {
				t.Fatal(err)
			}
			if ps := a.Validate(); len(ps) > 0 {
				t.Fatalf("generated inventory is invalid: %d problems, first: %+v", len(ps), ps[0])
			}
			b, _ := Generate(c)
			b.Validate()
			if !reflect.DeepEqual(a, b) {
				t.Error("same config gave different inventories")
			}
			if len(a.Mailboxes) != 5000 || len(a.Sites) != 6 {
				t.Errorf("got %d mailboxes, %d sites", len(a.Mailboxes), len(a.Sites))
			}
		})
	}
	if _, err := Generate(Config{Mix: "2003-2007"}); err == nil {
		t.Error("unknown mix accepted")
	}
}
