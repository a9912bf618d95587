package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
)

var validateCommand = command{
	name:    "validate",
	usage:   "INVENTORY...",
	summary: "check inventory files and report every problem as file:line:col",
	help: `Loads the inventory files (TOML, merged in order; .csv files are mailbox
lists; "-" reads standard input), then checks references, duplicates,
versions, URLs, dates and impossible settings. Every problem is printed,
sorted, as file:line:col: message. Exit 0 when valid, 1 when not.

Examples:
  coexist validate samples/s1-contoso.toml
  coexist validate export/inventory.toml overlay.toml mailboxes.csv`,
	run: runValidate,
}

func runValidate(e *env, c command, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	quiet := fs.Bool("q", false, "print nothing when the inventory is valid")
	files, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return usageError(e, c, "no inventory files given")
	}
	inv, _, ok := loadInventory(e, files)
	if !ok {
		return exitFailure
	}
	if !*quiet {
		fmt.Fprintf(e.stdout, "%s: valid (%d sites, %d servers, %d namespaces, %d databases, %d mailboxes)\n",
			inv.Organization.Name, len(inv.Sites), len(inv.Servers), len(inv.Namespaces), len(inv.Databases), len(inv.Mailboxes))
	}
	return exitOK
}

// loadInventory loads and validates files, printing every problem to
// stderr. ok is false when there were problems.
func loadInventory(e *env, files []string) (*model.Inventory, *load.Source, bool) {
	return loadInventoryOpt(e, files, load.Options{Stdin: e.stdin})
}

// loadInventoryOpt is loadInventory with loader options.
func loadInventoryOpt(e *env, files []string, opt load.Options) (*model.Inventory, *load.Source, bool) {
	inv, src, err := load.Load(files, opt)
	if err != nil {
		var el load.ErrorList
		if errors.As(err, &el) {
			for _, p := range el {
				fmt.Fprintln(e.stderr, p.Error())
			}
			fmt.Fprintf(e.stderr, "%d problem%s\n", len(el), plural(len(el)))
		} else {
			fmt.Fprintln(e.stderr, err)
		}
		return nil, nil, false
	}
	printOverrides(e, src.Overrides)
	fitMemoryLimit(len(inv.Mailboxes))
	return inv, src, true
}

// maxOverrides is how many override notes are printed before a count.
const maxOverrides = 20

// printOverrides tells on stderr what later files changed of what earlier
// files set, so that an overlay that changes more than meant, or another
// customer's export passed by mistake, does not go unseen.
func printOverrides(e *env, ovs []load.Override) {
	for i, o := range ovs {
		if i == maxOverrides {
			fmt.Fprintf(e.stderr, "… and %d more overrides\n", len(ovs)-i)
			break
		}
		fmt.Fprintln(e.stderr, o.String())
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
