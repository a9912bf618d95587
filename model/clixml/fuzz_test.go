package clixml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// FuzzRead checks that no input makes Read panic, hang or break its
// promises: errors are a positioned ErrorList, values are not nil, and
// walking the values (which share objects through Refs) ends.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "e16", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, tt := range valueTests {
		f.Add([]byte(doc(tt.body)))
	}
	for _, tt := range errorTests {
		f.Add([]byte(tt.in))
	}
	le := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(doc(`<S N="x">Zürich</S>`))) {
		le = append(le, byte(u), byte(u>>8))
	}
	f.Add(le)

	f.Fuzz(func(t *testing.T, in []byte) {
		vals, err := Read(bytes.NewReader(in), "f.xml")
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("got error %v (%T), want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Pos.File != "f.xml" || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("got position %+v in %q", e.Pos, e.Error())
				}
			}
		}
		seen := map[*Value]bool{}
		var walk func(v *Value, depth int)
		walk = func(v *Value, depth int) {
			if v == nil {
				t.Fatal("got a nil value")
			}
			if depth > MaxDepth {
				t.Fatalf("got values nested %d deep", depth)
			}
			if seen[v] {
				return
			}
			seen[v] = true
			_ = v.String()
			_ = v.Strings()
			v.Get("Name")
			for _, p := range v.Props {
				walk(p.Value, depth+1)
			}
			for _, it := range v.Items {
				walk(it, depth+1)
			}
			for _, e := range v.Entries {
				walk(e.Key, depth+1)
				walk(e.Value, depth+1)
			}
		}
		for _, v := range vals {
			walk(v, 1)
		}
	})
}
