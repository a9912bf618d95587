package main

import "fmt"

func notYet(e *env, c command, args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		commandUsage(e.stdout, c, nil)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "coexist %s: not implemented yet\n", c.name)
	return exitFailure
}

var (
	planCommand   = command{name: "plan", usage: "INVENTORY... -o DIR", summary: "compute every path and prerequisite and write all outputs into DIR", run: notYet}
	pathCommand   = command{name: "path", usage: "INVENTORY... --user U [--protocol P] [--location L] [--json]", summary: "explain one user's client paths hop by hop", run: notYet}
	whatifCommand = command{name: "whatif", usage: "BASE... --edits EDITS.toml -o DIR", summary: "apply edits to a copy of the inventory and write the change-board diff", run: notYet}
	diffCommand   = command{name: "diff", usage: "BEFORE AFTER -o DIR", summary: "compare two full inventories and write the change-board diff", run: notYet}
	importCommand = command{name: "import", usage: "DIR -o inventory.toml", summary: "convert exported Exchange data (Export-Clixml, URL CSV) into an inventory", run: notYet}
	rulesCommand  = command{name: "rules", usage: "", summary: "list every rule and finding ID with its severity, title and source", run: notYet}
)
