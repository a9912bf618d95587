//go:build !linux && !darwin

package main

// exchange reports errNoExchange: this system has no atomic directory
// swap, so commit falls back to two renames.
func exchange(a, b string) error { return errNoExchange }
