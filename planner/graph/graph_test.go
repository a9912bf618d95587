package graph

import (
	"reflect"
	"testing"
)

func TestGraph(t *testing.T) {
	g := New[string]()
	g.AddEdge("ns", "lb", "external")
	g.AddEdge("lb", "s1", "member")
	g.AddEdge("lb", "s2", "member")
	g.AddEdge("ns", "s3", "internal")
	g.AddEdge("s2", "ns", "loop") // cycle
	g.AddEdge("ns", "lb", "external")

	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"out external", g.Out("ns", "external"), []string{"lb"}},
		{"out any", g.Out("ns", ""), []string{"lb", "s3"}},
		{"in member", g.In("s2", "member"), []string{"lb"}},
		{"walk external+member", g.Walk("ns", "external", "member"), []string{"lb", "s1", "s2"}},
		{"walk all with cycle", g.Walk("ns"), []string{"lb", "s3", "s1", "s2"}},
		{"unknown node", g.Out("nope", ""), nil},
		{"nodes in insertion order", g.Nodes(), []string{"ns", "lb", "s1", "s2", "s3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	if n := len(g.Edges()); n != 5 {
		t.Errorf("got %d edges, want 5 (duplicate edge ignored)", n)
	}
}
