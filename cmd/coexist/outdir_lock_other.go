//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package main

import "os"

// lockFile reports errNoLock: without advisory locks coexist cannot tell
// a live run's staging folder from a killed one's, so it reports them.
func lockFile(f *os.File) error { return errNoLock }
