package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/html"
	"github.com/coexist/coexist/render/planjson"
	"github.com/coexist/coexist/render/report"
	"github.com/coexist/coexist/render/xlsx"
)

var whatifCommand = command{
	name:    "whatif",
	usage:   "BASE... --edits EDITS.toml -o DIR [--date YYYY-MM-DD]",
	summary: "apply edits to a copy of the inventory and write the change-board diff",
	help: `Plans the base inventory, applies the edits file to a copy, plans that,
and writes into DIR: diff.json, diff.xlsx, diff.pdf and diff.html — which users'
paths change per protocol and location (before → after hops), which
become broken or are fixed, findings introduced and resolved, what users
will notice (e.g. an Outlook restart after a mailbox move), and a verdict.

Exit status: 0 when no path becomes broken and no blocking finding is
added; 3 when the change breaks paths or adds blocking findings (a risk
for the change board); 1 for invalid input; 2 for usage errors.

Edits file: [[edit]] tables, applied in order, each with an op:
` + editOpsHelp() + `
Example edits file:
  [[edit]]
  op = "move-namespace"
  note = "Weekend 1: mail.contoso.com to the 2016 servers"
  namespace = "mail.contoso.com"
  internal = ["MBX2016-1", "MBX2016-2"]
  external = ["LB1"]

  [[edit]]
  op = "set-outlook-anywhere"
  server = "CAS2010-3"
  [edit.outlook_anywhere]
  iis_authentication_methods = ["Basic", "NTLM"]

Examples:
  coexist whatif samples/s1-contoso.toml samples/variants/s1-before.toml --edits samples/edits/s1-move-namespaces.toml -o change-1
  coexist whatif samples/s2-2007-2010.toml --edits samples/edits/s2-move-amy.toml -o move-amy`,
	run: runWhatif,
}

var diffCommand = command{
	name:    "diff",
	usage:   "BEFORE AFTER -o DIR [--date YYYY-MM-DD]",
	summary: "compare two full inventories and write the change-board diff",
	help: `Plans two inventories and writes the same diff as "coexist whatif".
BEFORE and AFTER are each one inventory; join several files that form one
inventory with "+" (base+overlay). Exit status as for whatif (3 = risk).

Examples:
  coexist diff samples/s1-contoso.toml+samples/variants/s1-before.toml samples/s1-contoso.toml -o diff-s1`,
	run: runDiff,
}

func editOpsHelp() string {
	var b strings.Builder
	for _, o := range model.EditOps {
		fmt.Fprintf(&b, "  %-22s %s\n  %-22s   fields: %s\n", o.Op, o.Doc, "", o.Fields)
	}
	return b.String()
}

func runWhatif(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var of outFlags
	of.register(fs)
	editsPath := fs.String("edits", "", "edits `FILE` (required)")
	var pf planFlags
	pf.register(fs)
	var df docFlags
	df.register(fs)
	files, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	switch {
	case len(files) == 0:
		return usageError(e, c, "no inventory files given")
	case *editsPath == "":
		return usageError(e, c, "--edits FILE is required")
	case of.dir == "":
		return usageError(e, c, "-o DIR is required")
	}
	inv, src, ok := loadInventory(e, files)
	if !ok {
		return exitFailure
	}
	if err := df.apply(inv); err != nil { // before the edits copy the inventory
		return usageError(e, c, "%v", err)
	}
	edits, esrc, err := load.Edits(*editsPath, load.Options{Stdin: e.stdin})
	if err != nil {
		printErrors(e, err)
		return exitFailure
	}
	after, err := load.ApplyEdits(inv, src, edits, esrc)
	if err != nil {
		printErrors(e, err)
		return exitFailure
	}
	opt, err := pf.options(inv)
	if err != nil {
		return usageError(e, c, "%v", err)
	}
	d := planner.Compare(planner.Run(inv, opt), planner.Run(after, opt))
	for i, ed := range edits {
		text := ed.Op
		if ed.Note != "" {
			text += ": " + ed.Note
		}
		d.Edits = append(d.Edits, fmt.Sprintf("%d. %s", i+1, text))
	}
	digest, _ := inventoryDigest(files)
	inputs := append(append(append([]string(nil), files...), src.Files...), *editsPath)
	inputs = append(inputs, editInputs(edits)...) // mailbox lists the edits read
	return writeDiff(e, c, d, of, inputs, digest)
}

func runDiff(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var of outFlags
	of.register(fs)
	var pf planFlags
	pf.register(fs)
	var df docFlags
	df.register(fs)
	files, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	if len(files) != 2 {
		return usageError(e, c, "want BEFORE and AFTER, got %d arguments", len(files))
	}
	if of.dir == "" {
		return usageError(e, c, "-o DIR is required")
	}
	before, bsrc, ok := loadInventory(e, strings.Split(files[0], "+"))
	if !ok {
		return exitFailure
	}
	after, asrc, ok := loadInventory(e, strings.Split(files[1], "+"))
	if !ok {
		return exitFailure
	}
	opt, err := pf.options(after)
	if err != nil {
		return usageError(e, c, "%v", err)
	}
	if err := df.apply(after); err != nil { // the after inventory's [report] signs the comparison
		return usageError(e, c, "%v", err)
	}
	d := planner.Compare(planner.Run(before, opt), planner.Run(after, opt))
	d.Edits = []string{"before: " + files[0], "after: " + files[1]}
	digest, _ := inventoryDigest(strings.Split(files[0], "+"))
	inputs := append(append([]string(nil), bsrc.Files...), asrc.Files...)
	return writeDiff(e, c, d, of, inputs, digest)
}

func printErrors(e *env, err error) {
	fmt.Fprintln(e.stderr, err)
	if el, ok := err.(load.ErrorList); ok {
		fmt.Fprintf(e.stderr, "%d problem%s\n", len(el), plural(len(el)))
	}
}

// writeDiff writes the diff outputs and the console summary; exit 3 on
// risk.
func writeDiff(e *env, c command, d *planner.Diff, of outFlags, inputs []string, digest string) int {
	if !writeOutDir(e, c.name, of, inputs, func(od *outDir) error { return writeDiffOutputs(od, d, digest) }) {
		return exitFailure
	}
	summarizeDiff(e.stdout, d)
	fmt.Fprintf(e.stdout, "Outputs in %s\n", of.dir)
	if d.Risk {
		return exitRisk
	}
	return exitOK
}

func writeDiffOutputs(od *outDir, d *planner.Diff, digest string) error {
	var b bytes.Buffer
	if err := planjson.WriteDiff(&b, d); err != nil {
		return fmt.Errorf("diff.json: %w", err)
	}
	if err := od.write("diff.json", b.Bytes()); err != nil {
		return err
	}
	if err := od.stream("diff.xlsx", func(w io.Writer) error { return xlsx.WriteDiff(w, d) }); err != nil {
		return err
	}
	if err := od.stream("diff.pdf", func(w io.Writer) error {
		return report.WriteDiff(w, report.DiffInput{Diff: d, Digest: digest})
	}); err != nil {
		return err
	}
	return od.stream("diff.html", func(w io.Writer) error { return html.WriteDiff(w, html.DiffInput{Diff: d, Digest: digest}) })
}

// summarizeDiff prints the change-board summary to the terminal.
func summarizeDiff(w io.Writer, d *planner.Diff) {
	fmt.Fprintf(w, "%s\n", planjson.Verdict(d))
	fmt.Fprintf(w, "Paths change for %s; %s get a newly broken path (%d paths); %d paths are fixed; %d findings introduced, %d resolved.\n",
		users(d.UsersChanged), users(d.UsersNewlyBroken), d.PathsNewlyBroken, d.PathsFixed, len(d.Introduced), len(d.Resolved))
	for i, ch := range d.Changes {
		if i == 12 {
			fmt.Fprintf(w, "  … %d more changes in diff.json\n", len(d.Changes)-i)
			break
		}
		where := ch.Protocol + " " + ch.Location
		if ch.Secondary != "" {
			where += " (secondary " + ch.Secondary + ")"
		}
		if ch.Entry != "" {
			where += " at " + ch.Entry
		}
		fmt.Fprintf(w, "  %-13s %-28s %s (%s): %s → %s\n", ch.Kind, where, users(ch.Users), strings.Join(ch.Sample, ", "),
			chain(ch.Before), chain(ch.After))
	}
	for _, s := range d.Steps {
		fmt.Fprintf(w, "  step: %s (%s: %s)\n", s.Text, users(s.Users), strings.Join(s.Sample, ", "))
	}
}

func users(n int) string {
	if n == 1 {
		return "1 user"
	}
	return fmt.Sprintf("%d users", n)
}

// chain renders a path's hops as "client→A(proxy)→B [outcome]".
func chain(p planner.Path) string {
	if len(p.Hops) == 0 {
		return "[" + p.Outcome + "]"
	}
	var b strings.Builder
	b.WriteString(p.Hops[0].Host)
	for _, h := range p.Hops {
		fmt.Fprintf(&b, " →%s %s", h.Action, h.To)
	}
	fmt.Fprintf(&b, " [%s]", p.Outcome)
	return b.String()
}

// editInputs are the files the edits read (mailbox lists named by csv):
// inputs an output folder must not hold.
func editInputs(edits []model.Edit) []string {
	var out []string
	for _, ed := range edits {
		if ed.CSVPath != "" {
			out = append(out, ed.CSVPath)
		}
	}
	return out
}
