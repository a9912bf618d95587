package main

import (
	"flag"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/text"
)

var rulesCommand = command{
	name:    "rules",
	usage:   "[--long]",
	summary: "list every rule and finding ID with its severity, title and source",
	help: `Sources refer to coexistence-rules.md (MS = Microsoft documentation,
FIELD = practitioner reports, seed = the project's source articles).
Rules marked "(inferred)" are our inference: verify them for your estate.

Examples:
  coexist rules
  coexist rules --long`,
	run: runRules,
}

func runRules(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	long := fs.Bool("long", false, "also print each rule's full description")
	rest, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return usageError(e, c, "unexpected argument %q", rest[0])
	}
	if err := text.Rules(e.stdout, planner.Rules(), *long); err != nil {
		return exitFailure
	}
	return exitOK
}
