package load

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"
)

// TestSortByPosScales (D9): sorting a table's keys by position looks each
// key's position up once, so sorting n keys costs O(n) allocations and
// n log n comparisons of positions. It used to join the table's path and
// look the map up inside every comparison: a 63 MiB file of 4.7 M unknown
// keys took almost four minutes. Counted, not timed: 200,000 keys in one
// nested table may allocate at most 2 per key (the old code allocated
// about 2 per comparison, some 7 million here); the order is by line,
// then column, then name.
func TestSortByPosScales(t *testing.T) {
	const n = 200_000
	path := []string{"servers", "EX1", "extra"}
	prefix := path[0] + pathSep + path[1] + pathSep + path[2] + pathSep
	kp := make(keyPositions, n)
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%07d", i)
		kp[prefix+keys[i]] = Pos{Line: 1 + i/3, Col: 1 + 10*(2-i%3)} // three keys per line, right to left
	}
	shuffled := make([]string, n)
	r := rand.New(rand.NewSource(1))
	allocs := testing.AllocsPerRun(1, func() {
		copy(shuffled, keys)
		r.Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		sortByPos(shuffled, path, kp)
	})
	if max := float64(2*n + 100); allocs > max {
		t.Errorf("sorting %d keys made %.0f allocations, want at most %.0f (a lookup per comparison?)", n, allocs, max)
	}
	ok := sort.SliceIsSorted(shuffled, func(i, j int) bool {
		a, b := kp[prefix+shuffled[i]], kp[prefix+shuffled[j]]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	if !ok || shuffled[0] != "k0000002" || shuffled[1] != "k0000001" || shuffled[2] != "k0000000" {
		t.Errorf("not sorted by line then column: starts %v", shuffled[:3])
	}
	// Keys without a recorded position sort first, by name.
	keys2 := []string{"b", "a", "k0000000"}
	sortByPos(keys2, path, kp)
	if fmt.Sprint(keys2) != "[a b k0000000]" {
		t.Errorf("got %v, want [a b k0000000]", keys2)
	}
}
