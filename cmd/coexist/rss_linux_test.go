//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPeakRSS: "coexist plan" end to end in a process of its own on
// an estate from "coexist gen", reporting that process's peak resident
// memory and CPU time (README "Limits" and "Performance"). 1k, 100k and
// 1M mailboxes (1k with -short); COEXIST_BENCH_10M=1 adds the documented
// limit, 10,000,000 mailboxes (about 5 minutes, 8 GiB of memory and 7 GB
// of disk for the estate and its outputs).
//
//	go test ./cmd/coexist -run XXX -bench PeakRSS -benchtime 1x
func BenchmarkPeakRSS(b *testing.B) {
	ns := sizes(b)
	if os.Getenv("COEXIST_BENCH_10M") != "" {
		ns = append(ns, 10_000_000)
	}
	bin := buildCoexist(b)
	for _, n := range ns {
		b.Run(fmt.Sprintf("mailboxes=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			est := filepath.Join(dir, "estate")
			if out, err := exec.Command(bin, "gen", "--mailboxes", fmt.Sprint(n), "-o", est).CombinedOutput(); err != nil {
				b.Fatalf("gen: %v\n%s", err, out)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out := filepath.Join(dir, fmt.Sprint("out", i))
				cmd := exec.Command(bin, "plan", filepath.Join(est, "inventory.toml"), "-o", out, "--date", "2026-12-01")
				if msg, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("plan: %v\n%s", err, msg)
				}
				ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				if !ok {
					b.Skip("no resource usage on this system")
				}
				b.ReportMetric(float64(ru.Maxrss)/(1<<20), "peak-GiB") // Maxrss is in KiB on Linux
				cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
				b.ReportMetric(cpu.Seconds(), "cpu-s")
				os.RemoveAll(out)
			}
		})
	}
}
