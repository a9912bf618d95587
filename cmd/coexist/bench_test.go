package main

// Benchmarks of every stage at 1k, 100k and 1M mailboxes (1M is skipped
// with -short; CI runs -short as a smoke test). See README "Performance"
// for the numbers and the commands that reproduce them.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/diagram"
	"github.com/coexist/coexist/render/graphviz"
	"github.com/coexist/coexist/render/html"
	"github.com/coexist/coexist/render/planjson"
	"github.com/coexist/coexist/render/report"
	"github.com/coexist/coexist/render/xlsx"
)

var benchSizes = []int{1_000, 100_000, 1_000_000}

// benchEstate is a generated estate written to disk once per size.
type benchEstate struct {
	toml string
	inv  *model.Inventory
	src  *load.Source
	plan *planner.Plan
}

var (
	benchMu      sync.Mutex
	benchEstates = map[int]*benchEstate{}
)

func estate(b *testing.B, n int) *benchEstate {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if e, ok := benchEstates[n]; ok {
		return e
	}
	dir, err := os.MkdirTemp("", "coexist-bench-")
	if err != nil {
		b.Fatal(err)
	}
	inv, err := synth.Generate(synth.Config{Seed: 1, Mailboxes: n})
	if err != nil {
		b.Fatal(err)
	}
	e := &benchEstate{toml: filepath.Join(dir, "inventory.toml")}
	f, _ := os.Create(e.toml)
	load.WriteTOML(f, inv, load.WriteOptions{MailboxesCSV: "mailboxes.csv"})
	f.Close()
	f, _ = os.Create(filepath.Join(dir, "mailboxes.csv"))
	load.WriteMailboxesCSV(f, inv.Mailboxes)
	f.Close()
	e.inv, e.src, err = load.Load([]string{e.toml}, load.Options{})
	if err != nil {
		b.Fatal(err)
	}
	e.plan = planner.Run(e.inv, planner.Options{})
	benchEstates[n] = e
	return e
}

func sizes(b *testing.B) []int {
	if testing.Short() {
		return benchSizes[:1]
	}
	return benchSizes
}

func forSizes(b *testing.B, fn func(b *testing.B, e *benchEstate)) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("mailboxes=%d", n), func(b *testing.B) {
			e := estate(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			fn(b, e)
		})
	}
}

// BenchmarkLoad: read and validate the TOML and the mailbox CSV.
func BenchmarkLoad(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		for i := 0; i < b.N; i++ {
			if _, _, err := load.Load([]string{e.toml}, load.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPlan: cohorts, paths and checks.
func BenchmarkPlan(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		for i := 0; i < b.N; i++ {
			planner.Run(e.inv, planner.Options{})
		}
	})
}

// BenchmarkPlanJSON: write plan.json.
func BenchmarkPlanJSON(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		for i := 0; i < b.N; i++ {
			if err := planjson.Write(io.Discard, e.plan, planjson.Options{UserPathLimit: planjson.DefaultUserPathLimit}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkXLSX: write checklist.xlsx (the Connectivity sheet has a row
// per mailbox and location).
func BenchmarkXLSX(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		for i := 0; i < b.N; i++ {
			if err := xlsx.Write(io.Discard, e.plan); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPDF: write report.pdf (without diagrams; see BenchmarkDiagrams).
func BenchmarkPDF(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		for i := 0; i < b.N; i++ {
			if err := report.Write(io.Discard, report.Input{Plan: e.plan}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHTML: write report.html (without diagrams).
func BenchmarkHTML(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		for i := 0; i < b.N; i++ {
			if err := html.Write(io.Discard, html.Input{Plan: e.plan}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDiagrams: DOT for the topology and every protocol, laid out
// by Graphviz (WebAssembly) as SVG and as vector layouts.
func BenchmarkDiagrams(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		ctx := context.Background()
		for i := 0; i < b.N; i++ {
			dots := [][]byte{diagram.Topology(e.plan)}
			for _, proto := range planner.Protocols {
				dots = append(dots, diagram.Flows(e.plan, proto))
			}
			for _, d := range dots {
				if _, err := graphviz.SVG(ctx, d); err != nil {
					b.Fatal(err)
				}
				if _, err := graphviz.Layout(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkWhatif: apply a namespace move and a database move, plan both
// and diff.
func BenchmarkWhatif(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		edits := []model.Edit{
			{Op: "move-namespace", Namespace: e.inv.Namespaces[0].FQDN, Internal: []string{e.inv.Servers[0].Name}},
			{Op: "move-database", Database: e.inv.Databases[0].Name, ToServer: e.inv.Databases[1].Server},
		}
		for i := 0; i < b.N; i++ {
			after, ps := e.inv.Apply(edits)
			if len(ps) > 0 {
				b.Fatal(ps)
			}
			if vps := after.Validate(); len(vps) > 0 {
				b.Fatal(vps)
			}
			planner.Compare(e.plan, planner.Run(after, planner.Options{}))
		}
	})
}

// BenchmarkPlanCohortScaling shows that planning grows with distinct
// cohorts, not users: the same estate shape with 10× the users.
func BenchmarkPlanCohortScaling(b *testing.B) {
	ns := []int{10_000, 100_000}
	if testing.Short() {
		ns = []int{1_000, 10_000}
	}
	for _, n := range ns {
		inv, _ := synth.Generate(synth.Config{Seed: 3, Mailboxes: n, Sites: 5, FullAccessPercent: 1e-9})
		inv.Validate()
		p := planner.Run(inv, planner.Options{})
		b.Run(fmt.Sprintf("mailboxes=%d/cohorts=%d", n, len(p.Cohorts)), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				planner.Run(inv, planner.Options{})
			}
		})
	}
}

// pdfPage matches a PDF page object (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// BenchmarkOutputs: "coexist plan" end to end, reporting the report's
// page count and each output's size (README "Output size"): the PDF lists
// routes, not cohorts, so its length follows the topology, not the users.
func BenchmarkOutputs(b *testing.B) {
	forSizes(b, func(b *testing.B, e *benchEstate) {
		dir := b.TempDir()
		for i := 0; i < b.N; i++ {
			out := filepath.Join(dir, fmt.Sprint("out", i))
			var stderr strings.Builder
			if code := run(context.Background(), []string{"plan", e.toml, "-o", out}, strings.NewReader(""), io.Discard, &stderr); code != 0 {
				b.Fatalf("plan: %s", stderr.String())
			}
			if i > 0 {
				continue
			}
			pdf, err := os.ReadFile(filepath.Join(out, "report.pdf"))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(pdfPage.FindAll(pdf, -1))), "pdf-pages")
			for _, f := range []struct{ name, unit string }{
				{"report.pdf", "pdf-MB"}, {"report.html", "html-MB"}, {"checklist.xlsx", "xlsx-MB"}, {"plan.json", "json-MB"},
			} {
				st, err := os.Stat(filepath.Join(out, f.name))
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(st.Size())/1e6, f.unit)
			}
		}
	})
}

// TestBenchmarksSmoke runs every benchmark once at the smallest size so
// that "go test ./..." (and CI) proves they still work.
func TestBenchmarksSmoke(t *testing.T) {
	if !testing.Short() {
		// Without -short the benchmarks would build the 1M estate; the
		// smoke test always uses the smallest size.
		defer func(s []int) { benchSizes = s }(benchSizes)
		benchSizes = benchSizes[:1]
	}
	for name, fn := range map[string]func(*testing.B){
		"Load": BenchmarkLoad, "Plan": BenchmarkPlan, "PlanJSON": BenchmarkPlanJSON, "Whatif": BenchmarkWhatif,
		"XLSX": BenchmarkXLSX, "PDF": BenchmarkPDF, "HTML": BenchmarkHTML,
	} {
		r := testing.Benchmark(fn)
		if r.N == 0 {
			t.Errorf("benchmark %s did not run", name)
		}
	}
}
