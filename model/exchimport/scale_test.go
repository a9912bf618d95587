package exchimport

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// urlCSV writes a URL-inventory CSV of n servers and returns its path.
func urlCSV(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("ServerName,ServerVersion,OWAInternalURL,OWAExernalURL\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "EX%d,Version 14.3 (Build 123.4),https://ex%d.contoso.com/owa,https://mail.contoso.com/owa\n", i, i)
	}
	p := filepath.Join(t.TempDir(), "urls.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestURLCSVScales (D9): importing a URL CSV takes time in proportion to
// its rows (each row looked up every server: 20,000 rows took 15 s).
// Four times the rows may take at most eight times as long (quadratic
// would be sixteen); each size is timed twice and the faster run kept, to
// ride out a busy machine.
func TestURLCSVScales(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 25,000 rows")
	}
	timeImport := func(n int) time.Duration {
		p := urlCSV(t, n)
		best := time.Duration(1 << 62)
		for i := 0; i < 2; i++ {
			start := time.Now()
			inv, _, err := Import(p)
			took := time.Since(start)
			if err != nil || len(inv.Servers) != n {
				t.Fatalf("%d rows: %v, %d servers", n, err, len(inv.Servers))
			}
			best = min(best, took)
		}
		return best
	}
	small, large := timeImport(5000), timeImport(20000)
	if large > 8*small {
		t.Errorf("5,000 rows %v, 20,000 rows %v: %.1f× for 4× the rows", small, large, float64(large)/float64(small))
	}
}

// TestURLCSVRowLimit: a URL CSV of more rows than an inventory may hold
// servers is cut off with a positioned problem.
func TestURLCSVRowLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,001 rows")
	}
	_, _, err := Import(urlCSV(t, MaxURLRows+1))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("urls.csv:%d:1: more than 100000 rows", MaxURLRows+2)) {
		t.Fatalf("got %v, want the row limit at line %d", err, MaxURLRows+2)
	}
}

// TestImportFileSizeLimit: an Export-Clixml file beyond MaxXMLSize is
// refused without being read.
func TestImportFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "GetExchangeServer.xml")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">`)
	if err := f.Truncate(MaxXMLSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	_, _, err = Import(dir)
	if err == nil || !strings.Contains(err.Error(), "file is larger than 256 MiB") {
		t.Fatalf("got %v, want the size limit", err)
	}
}
