//go:build !unix

package wasmcache

import "os"

// privateDir keeps the temporary directory: on Windows it is already
// per user (%TEMP% under the user's profile).
func privateDir() string {
	return os.TempDir()
}
