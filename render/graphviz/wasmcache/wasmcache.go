// Package wasmcache keeps go-graphviz from running machine code out of a
// shared temporary directory.
//
// go-graphviz compiles Graphviz's WebAssembly in its package init and
// caches the compiled x86-64/arm64 code under os.TempDir()/go-graphviz,
// a predictable folder in the shared /tmp with no ownership check: a
// second local user who creates it first controls the code every later
// run executes, or makes every coexist command panic. This package's init
// runs before go-graphviz's (Go initialises packages in import-path order
// once their imports are ready, and github.com/coexist sorts before
// github.com/goccy; TestInitOrder checks it) and points TMPDIR at a
// private per-user folder, os.UserCacheDir()/coexist, created 0700 and
// verified to be a real directory owned by the user. When that cannot be
// had, TMPDIR points at /dev/null so go-graphviz caches nothing (each run
// then compiles the module again, about a second of CPU). Restore puts
// TMPDIR back; render/graphviz calls it from its own init, after
// go-graphviz's.
package wasmcache

import "os"

const (
	// off is a TMPDIR under which no folder can be created, which turns
	// go-graphviz's cache off.
	off = "/dev/null"
	// name is coexist's folder in the user's cache directory.
	name = "coexist"
)

var (
	saved    string
	hadSaved bool
	// Dir is the folder handed to go-graphviz as TMPDIR ("/dev/null":
	// no cache).
	Dir string
)

func init() {
	saved, hadSaved = os.LookupEnv("TMPDIR")
	Dir = privateDir()
	os.Setenv("TMPDIR", Dir)
}

// Restore puts TMPDIR back as it was before this package's init.
func Restore() {
	if hadSaved {
		os.Setenv("TMPDIR", saved)
	} else {
		os.Unsetenv("TMPDIR")
	}
}
