// Package graph is a small directed graph with labelled edges. It knows
// nothing about Exchange: the planner builds the organisation on it
// (namespaces resolve to load balancers and servers, databases live on
// servers, servers sit in sites) and walks it to compute paths. Iteration
// follows insertion order, so everything built from it is deterministic.
package graph

// Graph is a directed graph of comparable nodes with labelled edges.
type Graph[N comparable] struct {
	nodes []N
	index map[N]int
	out   [][]Edge[N]
	in    [][]Edge[N]
}

// Edge is a labelled directed edge.
type Edge[N comparable] struct {
	From, To N
	Label    string
}

// New returns an empty graph.
func New[N comparable]() *Graph[N] {
	return &Graph[N]{index: map[N]int{}}
}

// AddNode adds n if it is not in the graph yet.
func (g *Graph[N]) AddNode(n N) {
	if _, ok := g.index[n]; ok {
		return
	}
	g.index[n] = len(g.nodes)
	g.nodes = append(g.nodes, n)
	g.out = append(g.out, nil)
	g.in = append(g.in, nil)
}

// Has reports whether n is in the graph.
func (g *Graph[N]) Has(n N) bool { _, ok := g.index[n]; return ok }

// AddEdge adds an edge (and its nodes); a repeated edge is ignored.
func (g *Graph[N]) AddEdge(from, to N, label string) {
	g.AddNode(from)
	g.AddNode(to)
	e := Edge[N]{From: from, To: to, Label: label}
	i := g.index[from]
	for _, x := range g.out[i] {
		if x == e {
			return
		}
	}
	g.out[i] = append(g.out[i], e)
	j := g.index[to]
	g.in[j] = append(g.in[j], e)
}

// Nodes returns every node in insertion order.
func (g *Graph[N]) Nodes() []N { return append([]N(nil), g.nodes...) }

// Edges returns every edge, grouped by source node in insertion order.
func (g *Graph[N]) Edges() []Edge[N] {
	var es []Edge[N]
	for _, o := range g.out {
		es = append(es, o...)
	}
	return es
}

// Out returns the targets of n's edges with the label ("" for any).
func (g *Graph[N]) Out(n N, label string) []N {
	i, ok := g.index[n]
	if !ok {
		return nil
	}
	var r []N
	for _, e := range g.out[i] {
		if label == "" || e.Label == label {
			r = append(r, e.To)
		}
	}
	return r
}

// In returns the sources of edges into n with the label ("" for any).
func (g *Graph[N]) In(n N, label string) []N {
	i, ok := g.index[n]
	if !ok {
		return nil
	}
	var r []N
	for _, e := range g.in[i] {
		if label == "" || e.Label == label {
			r = append(r, e.From)
		}
	}
	return r
}

// Walk returns the nodes reachable from start by following edges with any
// of the labels, breadth first, start excluded. Cycles are safe.
func (g *Graph[N]) Walk(start N, labels ...string) []N {
	ok := func(l string) bool {
		if len(labels) == 0 {
			return true
		}
		for _, x := range labels {
			if x == l {
				return true
			}
		}
		return false
	}
	seen := map[N]bool{start: true}
	queue := []N{start}
	var r []N
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		i, found := g.index[n]
		if !found {
			continue
		}
		for _, e := range g.out[i] {
			if ok(e.Label) && !seen[e.To] {
				seen[e.To] = true
				r = append(r, e.To)
				queue = append(queue, e.To)
			}
		}
	}
	return r
}
