package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress reports long steps on stderr: a step still running after a
// second is announced, and its duration printed when it ends. It is
// silent when stderr is not a terminal or --quiet is given, so scripts
// and CI logs stay clean.
type progress struct {
	w       io.Writer
	enabled bool
	mu      sync.Mutex
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.enabled = true
		}
	}
	return p
}

// step runs fn, reporting it when it takes more than a second.
func (p *progress) step(name string, fn func() error) error {
	if p == nil || !p.enabled {
		return fn()
	}
	start := time.Now()
	announced := false
	timer := time.AfterFunc(time.Second, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		announced = true
		fmt.Fprintf(p.w, "coexist: %s…\n", name)
	})
	err := fn()
	timer.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	if announced {
		fmt.Fprintf(p.w, "coexist: %s done in %.1fs\n", name, time.Since(start).Seconds())
	}
	return err
}
