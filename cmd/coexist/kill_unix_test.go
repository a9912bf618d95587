//go:build unix

package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildCoexist builds the coexist binary once per test run, into a
// folder every user may read (TestSharedTmpOtherUser runs it as nobody).
func buildCoexist(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "coexist-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtDir = dir // TestMain removes it
		os.Chmod(dir, 0o755)
		builtBin = filepath.Join(dir, "coexist")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// TestSharedTmpOtherUser (D1): another user created the shared
// $TMPDIR/go-graphviz cache first, with its compiled-code folder closed to
// everyone else. coexist run by a second user must neither panic nor use
// it, and must not use a private cache folder owned by someone else.
func TestSharedTmpOtherUser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to act as two users")
	}
	bin := buildCoexist(t)
	root, err := os.MkdirTemp("", "coexist-d1-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(root)
	os.Chmod(root, 0o755)
	tmp := filepath.Join(root, "tmp")
	shared := filepath.Join(tmp, "go-graphviz", "wazero-v1.8.1-"+runtime.GOARCH+"-"+runtime.GOOS)
	if err := os.MkdirAll(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(tmp, 0o1777)
	os.Chmod(filepath.Dir(shared), 0o755)
	data, err := os.ReadFile(sample(t, "s1-contoso.toml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "inv.toml"), string(data))
	for _, tc := range []struct {
		name  string
		setup func(home string)
		cache bool // the private cache is used
	}{
		{"fresh home", func(home string) {}, true},
		{"private cache folder owned by root", func(home string) {
			os.MkdirAll(filepath.Join(home, ".cache", "coexist"), 0o700)
			os.Chown(filepath.Join(home, ".cache"), 65534, 65534)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := filepath.Join(root, "home-"+strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.Mkdir(home, 0o755); err != nil {
				t.Fatal(err)
			}
			os.Chown(home, 65534, 65534)
			tc.setup(home)
			cmd := exec.Command(bin, "validate", filepath.Join(root, "inv.toml"))
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + home, "TMPDIR=" + tmp}
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("coexist validate as nobody: %v\n%s", err, out)
			}
			cached := filepath.Join(home, ".cache", "coexist", "go-graphviz")
			if _, err := os.Stat(cached); (err == nil) != tc.cache {
				t.Errorf("%s exists: %v, want %v", cached, err == nil, tc.cache)
			}
			if entries, _ := os.ReadDir(shared); len(entries) != 0 {
				t.Errorf("the shared cache folder was written: %v", entries[0].Name())
			}
		})
	}
}

// TestKillPlan builds coexist and kills "coexist plan" at random moments
// while it replaces an existing DIR: with SIGKILL 15 times, then once
// each with SIGTERM, SIGHUP and SIGINT. After every kill DIR must be the old or the new
// output, complete (its manifest matches its files), and no file beside
// it may have changed; after a following run nothing may be left beside
// DIR. The kill moments spread over one measured run, so some land in
// the commit.
func TestKillPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it ~25 times")
	}
	root := t.TempDir()
	bin := buildCoexist(t)
	run := func(args ...string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		return cmd, &stderr
	}
	mustRun := func(args ...string) time.Duration {
		t.Helper()
		cmd, stderr := run(args...)
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("coexist %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
		return time.Since(start)
	}
	// The estate, a file of the user's beside DIR, and the previous output.
	mustRun("gen", "--mailboxes", "100", "-o", "estate")
	writeFile(t, filepath.Join(root, "notes.txt"), "the consultant's notes")
	plan := []string{"plan", "estate/inventory.toml", "-o", "out", "--quiet", "--date", "2027-01-15"}
	mustRun("plan", "estate/inventory.toml", "-o", "out", "--quiet", "--date", "2026-11-22")
	oldManifest, _ := os.ReadFile(filepath.Join(root, "out", manifestName))
	oldFiles := snapshot(t, filepath.Join(root, "out"))
	foreign := snapshot(t, root)
	for name := range foreign {
		if strings.HasPrefix(name, "out"+string(filepath.Separator)) {
			delete(foreign, name)
		}
	}
	took := mustRun(plan...)
	newManifest, _ := os.ReadFile(filepath.Join(root, "out", manifestName))
	if bytes.Equal(oldManifest, newManifest) {
		t.Fatal("the old and the new output are the same: the test could not tell them apart")
	}
	// Back to the old output for the kills (copied: a run costs more).
	if err := os.RemoveAll(filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	for name, data := range oldFiles {
		writeFile(t, filepath.Join(root, "out", name), data)
	}

	check := func(what string) {
		t.Helper()
		m, err := os.ReadFile(filepath.Join(root, "out", manifestName))
		if err != nil {
			t.Fatalf("%s: DIR has no manifest: %v", what, err)
		}
		if !bytes.Equal(m, oldManifest) && !bytes.Equal(m, newManifest) {
			t.Fatalf("%s: DIR is neither the old nor the new output", what)
		}
		checkOutput(t, filepath.Join(root, "out"))
		now := snapshot(t, root)
		for name, data := range foreign {
			if now[name] != data {
				t.Fatalf("%s: %s beside DIR changed or was deleted", what, name)
			}
		}
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, one run takes %v", seed, took)
	rnd := rand.New(rand.NewPCG(seed, 0))
	for i := 0; i < 15; i++ {
		cmd, _ := run(plan...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rnd.Int64N(int64(took) * 11 / 10))
		time.Sleep(delay)
		cmd.Process.Kill()
		cmd.Wait()
		check("SIGKILL after " + delay.String())
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		cmd, stderr := run(plan...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rnd.Int64N(int64(took) * 8 / 10))
		time.Sleep(delay)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		what := sig.String() + " after " + delay.String()
		switch code := cmd.ProcessState.ExitCode(); {
		case err == nil: // the signal came after the commit
		case code == -1: // the signal came before main installed its handler
			t.Logf("%s: the process died before handling signals", what)
		case code == exitFailure && strings.Contains(stderr.String(), "coexist: interrupted\n"):
			// Not stopped within the grace period (a busy machine): it
			// exited there; the next run removes its staging folder.
			t.Logf("%s: ended by the grace period", what)
		case code == exitFailure:
			if !strings.Contains(stderr.String(), "interrupted; out left as it was") {
				t.Errorf("%s: exit 1 with %q, want the interrupted message", what, stderr)
			}
		default:
			t.Errorf("%s: %v (exit %d), want 0 or 1: %s", what, err, code, stderr)
		}
		check(what)
		if code := cmd.ProcessState.ExitCode(); code == exitFailure && !strings.Contains(stderr.String(), "coexist: interrupted\n") {
			if left := besideOut(t, root); len(left) > 0 {
				t.Errorf("%s: the interrupted run left %v", what, left)
			}
		}
	}
	mustRun(plan...)
	check("the final run")
	if left := besideOut(t, root); len(left) > 0 {
		t.Errorf("after a complete run: %v left beside DIR", left)
	}
}

// besideOut lists root's entries other than the test's own.
func besideOut(t *testing.T, root string) []string {
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		switch e.Name() {
		case "estate", "notes.txt", "out":
		default:
			left = append(left, e.Name())
		}
	}
	return left
}

// TestSignalEndsBlockedCommand: SIGTERM ends a command that is waiting
// on its input (here standard input that never ends) within the grace
// period, exit 1, as timeout(1) and CI runners expect.
func TestSignalEndsBlockedCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	cmd := exec.Command(buildCoexist(t), "validate", "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		if code := cmd.ProcessState.ExitCode(); code != exitFailure && code != -1 {
			t.Errorf("exit %d, want 1", code)
		}
		if took := time.Since(start); took > interruptGrace+5*time.Second {
			t.Errorf("took %v to stop", took)
		}
	case <-time.After(interruptGrace + 20*time.Second):
		cmd.Process.Kill()
		t.Fatal("SIGTERM did not end a blocked command")
	}
}
