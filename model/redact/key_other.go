//go:build !unix

package redact

import "io/fs"

// privateDir accepts the folder: on Windows the user's configuration
// folder (%AppData%) is already closed to other users.
func privateDir(string) error { return nil }

// privateFile accepts the file, inside the user's own folder.
func privateFile(string, fs.FileInfo) error { return nil }
