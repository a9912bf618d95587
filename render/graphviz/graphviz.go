// Package graphviz lays out and renders DOT graphs with Graphviz.
//
// It is the only importer of github.com/goccy/go-graphviz, which runs
// Graphviz compiled to WebAssembly inside the Go process: no cgo and no
// system Graphviz are needed. SVG renders a graph to an SVG document;
// Layout runs the same layout and returns it as a layout.Drawing, built from
// the xdot drawing operations of Graphviz's "json" output, so that other
// renderers (the PDF report) can paint the diagram as vectors.
//
// Graphviz keeps global state and is not safe for concurrent use: this
// package creates one Graphviz context per process, on first use, and
// serialises every call behind a mutex. Calls are safe from any goroutine.
//
// go-graphviz caches compiled code in os.TempDir() at init; package
// wasmcache makes that a private per-user folder first.
package graphviz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	gv "github.com/goccy/go-graphviz"

	"github.com/coexist/coexist/render/graphviz/wasmcache"
	"github.com/coexist/coexist/render/layout"
	"github.com/coexist/coexist/render/svg"
)

// go-graphviz has initialised (it is imported above): give the process
// its own TMPDIR back (see package wasmcache).
func init() { wasmcache.Restore() }

// jsonFormat is Graphviz's JSON output with xdot drawing operations;
// go-graphviz has no named constant for it.
const jsonFormat gv.Format = "json"

var (
	// mu serialises all use of Graphviz, whose WebAssembly module is
	// process-global and single-threaded.
	mu sync.Mutex
	// instance is the Graphviz context, created on first use under mu.
	instance *gv.Graphviz
)

// SVG lays out the DOT graph with the dot engine and returns it as an SVG
// document painted from that layout by package svg. The same input always
// gives the same bytes. Callers that also need the Drawing call Layout and
// svg.Write themselves, so the graph is laid out once.
func SVG(ctx context.Context, dot []byte) ([]byte, error) {
	d, err := lay(ctx, dot)
	if err != nil {
		return nil, fmt.Errorf("render svg: %w", err)
	}
	return svg.Write(d), nil
}

// Layout lays out the DOT graph with the dot engine and returns the result
// as a Drawing in points with a top-left origin. Clusters are painted first,
// then edge lines and arrowheads, then nodes, then edge labels.
func Layout(ctx context.Context, dot []byte) (layout.Drawing, error) {
	d, err := lay(ctx, dot)
	if err != nil {
		return layout.Drawing{}, fmt.Errorf("layout: %w", err)
	}
	return d, nil
}

// lay runs Graphviz's layout and converts its json output.
func lay(ctx context.Context, dot []byte) (layout.Drawing, error) {
	out, err := render(ctx, dot, jsonFormat)
	if err != nil {
		return layout.Drawing{}, err
	}
	return convert(out)
}

// render parses dot and renders it in format, holding mu throughout.
func render(ctx context.Context, dot []byte, format gv.Format) (out []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(dot)) == 0 {
		return nil, errors.New("empty DOT input")
	}
	mu.Lock()
	defer mu.Unlock()
	// The WebAssembly bindings panic on some internal failures; a bad
	// diagram must not take the program down.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("graphviz failed: %v", r)
		}
	}()
	if instance == nil {
		g, err := gv.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("start graphviz: %w", err)
		}
		instance = g
	}
	graph, err := gv.ParseBytes(dot)
	if err != nil {
		// Graphviz ends its messages with a newline.
		return nil, fmt.Errorf("parse DOT: %s", strings.TrimSpace(err.Error()))
	}
	if graph == nil {
		return nil, errors.New("parse DOT: no graph")
	}
	defer graph.Close()
	var buf bytes.Buffer
	if err := instance.Render(ctx, graph, format, &buf); err != nil {
		return nil, err
	}
	if buf.Len() == 0 {
		return nil, fmt.Errorf("graphviz produced no %s output", format)
	}
	return buf.Bytes(), nil
}
