package xlsx

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

// TestWriteTiming times Write on the inventory named by COEXIST_XLSX_BENCH.
func TestWriteTiming(t *testing.T) {
	path := os.Getenv("COEXIST_XLSX_BENCH")
	if path == "" {
		t.Skip("COEXIST_XLSX_BENCH not set")
	}
	inv, _, err := load.Load([]string{path}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := planner.Run(inv, planner.Options{})
	var w io.Writer = io.Discard
	if out := os.Getenv("COEXIST_XLSX_OUT"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		w = f
	}
	start := time.Now()
	if err := Write(w, p); err != nil {
		t.Fatal(err)
	}
	t.Logf("xlsx.Write: %v", time.Since(start))
}
