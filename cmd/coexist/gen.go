package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/model/synth"
)

var genCommand = command{
	name:    "gen",
	usage:   "--mailboxes N [--sites S] [--mix M] [--seed K] -o DIR",
	summary: "generate a synthetic inventory (inventory.toml + mailboxes.csv) for trials and benchmarks",
	help: `Writes DIR/inventory.toml and DIR/mailboxes.csv: a realistic synthetic
estate (a hub site with the new version behind a load balancer, regional
Internet-facing sites with their own namespace, sites that are not
Internet-facing, databases, client profiles, Full Access delegations).
The same flags always give the same files.

Mixes: ` + strings.Join(synth.Mixes(), ", ") + `

Examples:
  coexist gen --mailboxes 100000 -o synth-100k
  coexist plan synth-100k/inventory.toml -o plan-100k`,
	run: runGen,
}

func runGen(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var of outFlags
	of.register(fs)
	n := fs.Int("mailboxes", 1000, "number of `mailboxes`")
	sites := fs.Int("sites", 0, "number of AD `sites`, 1 to 1,000 (default: by size)")
	mix := fs.String("mix", "2010-2016", "version `mix`")
	seed := fs.Uint64("seed", 1, "random `seed`")
	fa := fs.Float64("full-access", 1, "`percent` of mailboxes granting Full Access, above 0 and at most 100")
	rest, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	switch {
	case len(rest) > 0:
		return usageError(e, c, "unexpected argument %q", rest[0])
	case of.dir == "":
		return usageError(e, c, "-o DIR is required")
	case *n < 1 || *n > 10_000_000:
		return usageError(e, c, "--mailboxes must be between 1 and 10,000,000")
	case *sites < 0 || *sites > synth.MaxSites:
		return usageError(e, c, "--sites must be between 1 and %d (0: by size)", synth.MaxSites)
	case !(*fa > 0 && *fa <= 100): // NaN fails both
		return usageError(e, c, "--full-access must be a percentage above 0 and at most 100, got %v", *fa)
	}
	inv, err := synth.Generate(synth.Config{Seed: *seed, Mailboxes: *n, Sites: *sites, Mix: *mix, FullAccessPercent: *fa})
	if err != nil {
		return usageError(e, c, "%v", err)
	}
	var t bytes.Buffer
	load.WriteTOML(&t, inv, load.WriteOptions{MailboxesCSV: "mailboxes.csv", Header: []string{
		fmt.Sprintf("Synthetic inventory: coexist gen --mailboxes %d --sites %d --mix %s --seed %d", *n, len(inv.Sites), *mix, *seed)}})
	if !writeOutDir(e, c.name, of, nil, func(od *outDir) error {
		if err := od.stream("mailboxes.csv", func(w io.Writer) error { return load.WriteMailboxesCSV(w, inv.Mailboxes) }); err != nil {
			return err
		}
		return od.write("inventory.toml", t.Bytes())
	}) {
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "%d mailboxes, %d sites, %d servers, %d databases in %s\n", len(inv.Mailboxes), len(inv.Sites), len(inv.Servers), len(inv.Databases), of.dir)
	return exitOK
}
