package main

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/pdf"
)

// TestDiagramsLegibleInPrint: whatever the estate's size, every figure
// the PDF prints (topology or its parts, the legend, each flow part)
// sets its smallest label at pdf.MinTextSize or more, and a large
// estate's topology is split into parts.
func TestDiagramsLegibleInPrint(t *testing.T) {
	if testing.Short() {
		t.Skip("lays out dozens of diagrams")
	}
	for _, c := range []synth.Config{
		{Seed: 1, Mailboxes: 300},
		{Seed: 2, Mailboxes: 3000, Sites: 12},
	} {
		t.Run(fmt.Sprintf("%d mailboxes, %d sites", c.Mailboxes, c.Sites), func(t *testing.T) {
			inv, err := synth.Generate(c)
			if err != nil {
				t.Fatal(err)
			}
			if ps := inv.Validate(); len(ps) > 0 {
				t.Fatalf("generated inventory invalid: %v", ps[0])
			}
			p := planner.Run(inv, planner.Options{})
			d, err := layoutDiagrams(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			figures := map[string]layout.Drawing{"legend": d.topologyLegend, "flow legend": d.flowLegend}
			if len(d.topologyParts) > 0 {
				for i, part := range d.topologyParts {
					figures[fmt.Sprintf("topology part %d", i+1)] = part
				}
			} else {
				figures["topology"] = d.topologyLayout
			}
			if c.Sites >= 12 && len(d.topologyParts) < 2 {
				t.Errorf("%d sites, %d servers: topology printed whole (%.1f pt text)", c.Sites, len(inv.Servers), pdf.PrintedTextSize(d.topologyLayout))
			}
			for proto, parts := range d.flowParts {
				for i, part := range parts {
					figures[fmt.Sprintf("%s part %d", proto, i+1)] = part
				}
			}
			for name, dr := range figures {
				if got := pdf.PrintedTextSize(dr); got < pdf.MinTextSize {
					t.Errorf("%s prints its smallest text at %.2f pt, want at least %.0f (%.0f×%.0f pt)", name, got, pdf.MinTextSize, dr.Width, dr.Height)
				}
			}
		})
	}
}

// pdfTextSizes returns the font sizes of report.pdf's text, page by page,
// read from its content streams ("/F1 6.00 Tf").
func pdfTextSizes(t *testing.T, file string) [][]float64 {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objs := map[string][]byte{}
	for _, m := range regexp.MustCompile(`(?s)(\d+) 0 obj(.*?)endobj`).FindAllSubmatch(data, -1) {
		objs[string(m[1])] = m[2]
	}
	content := func(body []byte) []byte {
		m := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindSubmatch(body)
		if m == nil {
			return nil
		}
		if !bytes.Contains(body, []byte("/FlateDecode")) {
			return m[1]
		}
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			t.Fatalf("content stream: %v", err)
		}
		out, err := io.ReadAll(r)
		if err != nil && len(out) == 0 {
			t.Fatalf("content stream: %v", err)
		}
		return out
	}
	var kids []string
	for _, body := range objs {
		if m := regexp.MustCompile(`(?s)/Type /Pages.*?/Kids \[(.*?)\]`).FindSubmatch(body); m != nil {
			for _, k := range regexp.MustCompile(`(\d+) 0 R`).FindAllSubmatch(m[1], -1) {
				kids = append(kids, string(k[1]))
			}
		}
	}
	if len(kids) == 0 {
		t.Fatal("report.pdf: no pages found")
	}
	tf := regexp.MustCompile(`/F\S+ ([0-9.]+) Tf`)
	var pages [][]float64
	for _, k := range kids {
		m := regexp.MustCompile(`/Contents (\d+) 0 R`).FindSubmatch(objs[k])
		if m == nil {
			t.Fatalf("page object %s has no contents", k)
		}
		var sizes []float64
		for _, s := range tf.FindAllSubmatch(content(objs[string(m[1])]), -1) {
			v, err := strconv.ParseFloat(string(s[1]), 64)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, v)
		}
		pages = append(pages, sizes)
	}
	return pages
}

// TestReportTextLegibleInPrint: no text of report.pdf, diagram labels
// included, is set below pdf.MinTextSize, as printed (after the diagram's
// scale and any shrinking of a label to the width Graphviz measured: the
// flow diagrams of S1, S4 and a generated 2,000-mailbox estate printed
// labels at 5.7 pt).
func TestReportTextLegibleInPrint(t *testing.T) {
	if testing.Short() {
		t.Skip("plans and prints three estates")
	}
	est := filepath.Join(t.TempDir(), "estate")
	if code, _, stderr := runCLI(t, "gen", "--mailboxes", "2000", "-o", est); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	for name, files := range map[string][]string{
		"s1":     samplePaths([]string{"s1-contoso.toml"}),
		"s4":     samplePaths([]string{"s4-2016-2010.toml"}),
		"gen-2k": {filepath.Join(est, "inventory.toml"), filepath.Join(est, "mailboxes.csv")},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := runCLI(t, append(append([]string{"plan"}, files...), "-o", dir, "--date", "2026-12-01")...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			texts := 0
			for i, sizes := range pdfTextSizes(t, filepath.Join(dir, "report.pdf")) {
				small := 0
				smallest := math.Inf(1)
				for _, s := range sizes {
					texts++
					if s < pdf.MinTextSize-0.005 {
						small++
						smallest = min(smallest, s)
					}
				}
				if small > 0 {
					t.Errorf("page %d sets %d texts below %.0f pt, the smallest at %.2f pt", i+1, small, pdf.MinTextSize, smallest)
				}
			}
			if texts < 100 {
				t.Fatalf("read only %d texts from report.pdf: the reader is broken", texts)
			}
		})
	}
}
