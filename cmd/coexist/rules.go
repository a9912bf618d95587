package main

import (
	"flag"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/text"
)

var rulesCommand = command{
	name:    "rules",
	usage:   "[--long]",
	summary: "list every rule and finding ID with its severity, basis, title and sources",
	help: `Each rule's sources are numbered citations into the source list printed
at the end (title, publisher, date and URL or KB number); --long adds each
rule's description and its sources in full. Basis: documented (Microsoft
documentation, KB articles, Exchange Team Blog), practitioner (articles by
consultants and administrators), or inferred (our reading of the sources:
verify it for your estate).
SEVERITY is the rule's usual one (Blocking, Warning or Advisory, as in every
report; plan.json says error, warning, info). A few rules report some cases
at another severity, e.g. TLS-SCHANNEL is Blocking on Windows Server 2008 R2,
where TLS 1.2 is off unless set, but a Warning on 2012 and later: --long
says when.

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
