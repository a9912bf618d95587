// Command coexist plans Exchange coexistence: from an inventory of sites,
// servers, namespaces, certificates and mailboxes it computes every user's
// client connectivity paths and the missing prerequisites, and writes the
// plan as JSON, Graphviz diagrams, an Excel checklist and a PDF report.
//
// main is thin: it wires the packages and delegates to run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
)

func main() {
	fitMemoryLimit(0)
	// Ctrl-C, and the SIGTERM/SIGHUP that timeout, systemd, CI runners and
	// docker stop send, cancel the run: outputs are abandoned and DIR is
	// left as it was. A second signal ends the process at once (the next
	// run removes its staging folder).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-ctx.Done()
		stop()
		// A command that does not watch the context (validate, import
		// reading a slow file) or is deep in planning ends here; writing
		// DIR stops at the next file and leaves DIR as it was, and a
		// staging folder left by exiting here is removed by the next run.
		time.Sleep(interruptGrace)
		fmt.Fprintln(os.Stderr, "coexist: interrupted")
		os.Exit(exitFailure)
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interruptGrace is how long a signalled run may take to stop by itself.
const interruptGrace = 5 * time.Second

// memoryBase is the soft memory limit up to a million mailboxes, and
// memoryPerMailbox the limit per mailbox above (README "Performance": the
// million-mailbox plan stays under 1 GiB; ten million peak near 9 GiB).
const (
	memoryBase       = 900 << 20
	memoryPerMailbox = 900
)

// fitMemoryLimit sets the soft memory limit for an inventory of n
// mailboxes, unless GOMEMLIMIT in the environment sets it. The garbage
// collector works harder as the heap nears the limit instead of letting
// it grow to twice what is live.
func fitMemoryLimit(n int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(max(memoryBase, int64(n)*memoryPerMailbox))
	}
}

// Exit codes shared by every command (see README "Exit status").
const (
	exitOK      = 0
	exitFailure = 1 // invalid input or a processing error
	exitUsage   = 2
	exitRisk    = 3 // whatif/diff: the change introduces broken paths or blocking findings
)

// env is what a command may touch: its streams and the context.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	usage   string // arguments after the name
	summary string
	help    string // details and examples
	run     func(e *env, c command, args []string) int
}

func commands() []command {
	return []command{
		validateCommand,
		planCommand,
		pathCommand,
		whatifCommand,
		diffCommand,
		programCommand,
		importCommand,
		genCommand,
		rulesCommand,
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					commandUsage(stdout, c, nil)
					return exitOK
				}
			}
		}
		usage(stdout)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, "coexist", version)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, c, args[1:])
		}
	}
	fmt.Fprintf(stderr, "coexist: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// version is the program version, printed by "coexist version".
const version = "0.1.0"

func usage(w io.Writer) {
	fmt.Fprint(w, `coexist plans Exchange 2007/2010/2013/2016/2019 coexistence offline:
every user's client paths (proxy or redirect, endpoint, authentication per hop),
the missing builds, TLS 1.2 prerequisites and certificate names, with diagrams,
an Excel checklist and a PDF report.

Usage:
  coexist <command> [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "coexist <command> --help" for a command's flags and examples.

Exit status: 0 success, 1 invalid input or failure, 2 usage error,
3 (whatif, diff, program) the change breaks paths or adds blocking findings.
`)
}

func commandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: coexist %s %s\n\n%s\n", c.name, c.usage, c.summary)
	if fs != nil {
		has := false
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprint(w, "\nFlags:\n")
			fs.SetOutput(w)
			fs.PrintDefaults()
		}
	}
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.help))
	}
}

// parseFlags parses flags that may appear before, between or after the
// positional arguments ("coexist plan inv.toml -o out"), and returns the
// positional arguments. "--" ends flag parsing. It returns a non-nil error
// after printing the problem (or the help, for -h) to e.stderr/e.stdout.
func parseFlags(e *env, c command, fs *flag.FlagSet, args []string) ([]string, int, bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			commandUsage(e.stdout, c, fs)
			return nil, exitOK, false
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "coexist %s: %v\n", c.name, err)
			fmt.Fprintf(e.stderr, "Run \"coexist %s --help\" for usage.\n", c.name)
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, exitOK, true
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), exitOK, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError prints a usage problem for command c and returns exitUsage.
func usageError(e *env, c command, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "coexist %s: %s\n", c.name, fmt.Sprintf(format, args...))
	fmt.Fprintf(e.stderr, "Usage: coexist %s %s\nRun \"coexist %s --help\" for details.\n", c.name, c.usage, c.name)
	return exitUsage
}
