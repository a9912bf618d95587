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
	importCommand = command{name: "import", usage: "DIR -o inventory.toml", summary: "convert exported Exchange data (Export-Clixml, URL CSV) into an inventory", run: notYet}
)
