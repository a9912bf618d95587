package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/planjson"
	"github.com/coexist/coexist/render/text"
)

var pathCommand = command{
	name:    "path",
	usage:   "INVENTORY... --user U [--protocol P] [--location internal|external] [--json]",
	summary: "explain one user's client paths hop by hop",
	help: `Prints how each of the user's clients reaches the mailbox: every hop
(from, to, host name, proxy or redirect, authentication), the outcome, the
notes explaining each decision, and the rules and sources behind them.
It reads only what the user's paths need from the mailbox list (run
"coexist validate" to check the whole inventory).
--json prints the plan.json path objects instead.

Protocols: ` + strings.Join(planner.Protocols, ", ") + `

Examples:
  coexist path samples/s1-contoso.toml --user orange --protocol owa
  coexist path samples/s4-2016-2010.toml --user alice --location external --json`,
	run: runPath,
}

func runPath(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	user := fs.String("user", "", "mailbox `name` (required)")
	proto := fs.String("protocol", "", "only this `protocol`")
	loc := fs.String("location", "", "only this client `location`: internal or external")
	asJSON := fs.Bool("json", false, "print plan.json path objects")
	var pf planFlags
	pf.register(fs)
	files, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	switch {
	case len(files) == 0:
		return usageError(e, c, "no inventory files given")
	case *user == "":
		return usageError(e, c, "--user is required")
	case *proto != "" && !contains(planner.Protocols, *proto):
		return usageError(e, c, "unknown protocol %q: want one of %s", *proto, strings.Join(planner.Protocols, ", "))
	case *loc != "" && !contains(planner.Locations, *loc):
		return usageError(e, c, "unknown location %q: want internal or external", *loc)
	}
	inv, _, ok := loadInventoryOpt(e, files, load.Options{Stdin: e.stdin, OnlyMailbox: *user})
	if !ok {
		return exitFailure
	}
	opt, err := pf.options(inv)
	if err != nil {
		return usageError(e, c, "%v", err)
	}
	row := -1
	for i := range inv.Mailboxes {
		if model.Key(inv.Mailboxes[i].Name) == model.Key(*user) {
			row = i
			break
		}
	}
	if row < 0 {
		fmt.Fprintf(e.stderr, "coexist path: no mailbox named %q in the inventory\n", *user)
		return exitFailure
	}
	opt.Users = []int{row}
	p := planner.Run(inv, opt)
	paths := planjson.UserPaths(p, row, *proto, *loc)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if paths == nil {
			paths = []planjson.UserPath{}
		}
		if err := enc.Encode(paths); err != nil {
			fmt.Fprintf(e.stderr, "coexist path: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := text.Explain(e.stdout, p, row, paths); err != nil {
		fmt.Fprintf(e.stderr, "coexist path: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
