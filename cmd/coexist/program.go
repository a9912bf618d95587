package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/diagram"
	"github.com/coexist/coexist/render/graphviz"
	"github.com/coexist/coexist/render/html"
	"github.com/coexist/coexist/render/planjson"
	"github.com/coexist/coexist/render/report"
	"github.com/coexist/coexist/render/svg"
	"github.com/coexist/coexist/render/xlsx"
)

var programCommand = command{
	name:    "program",
	usage:   "BASE... --stages PROGRAM.toml -o DIR [--date YYYY-MM-DD]",
	summary: "plan a migration programme stage by stage and write its runbook",
	help: `Plans the base inventory, then each [[stage]] of the programme file on the
result of the stage before, and diffs each stage against the one before:
its verdict (safe, needs review, breaks paths), the users whose paths
change (before → after), findings introduced and resolved, what users
notice, and what the stage needs that no earlier stage provided (a
need a later stage provides means the order is wrong). Writes into DIR:
program.json, runbook.pdf, runbook.xlsx, runbook.html (click a stage on the
timeline to see its diff and steps) and timeline.svg (and .dot).
The runbook is generated from the edits and findings: pre-checks,
implementation commands, post-change tests and rollback, each with the
server it runs on and the shell it needs.

Exit status: 0 when no stage breaks a path or adds a blocking finding;
3 when one does (the first such stage is named); 1 for invalid input;
2 for usage errors.

Programme file: an optional [program] table (name), then [[stage]] tables
in order (name, date = YYYY-MM-DD, window, owner, note), each with
[[stage.edit]] tables in the edit vocabulary of "coexist whatif --help".

Example programme file:
  [program]
  name = "Contoso 2010 to 2016"

  [[stage]]
  name = "Namespaces to 2016"
  date = "2027-02-06"
  owner = "Messaging team"
    [[stage.edit]]
    op = "move-namespace"
    namespace = "mail.contoso.com"
    internal = ["MBX2016-1", "MBX2016-2"]
    external = ["MBX2016-1", "MBX2016-2"]

Examples:
  coexist program samples/programs/contoso-2010.toml --stages samples/programs/contoso-2010-to-2016.toml -o programme
  coexist program samples/programs/contoso-2010.toml --stages samples/programs/contoso-wrong-order.toml -o wrong`,
	run: runProgram,
}

func runProgram(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var of outFlags
	of.register(fs)
	stagesPath := fs.String("stages", "", "programme `FILE` (required)")
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
	case *stagesPath == "":
		return usageError(e, c, "--stages FILE is required")
	case of.dir == "":
		return usageError(e, c, "-o DIR is required")
	}
	inv, src, ok := loadInventory(e, files)
	if !ok {
		return exitFailure
	}
	if err := df.apply(inv); err != nil { // before the stages copy the inventory
		return usageError(e, c, "%v", err)
	}
	// Problems of the programme file and of applying its stages are
	// reported together.
	prog, psrc, err := load.Program(*stagesPath, load.Options{Stdin: e.stdin})
	var errs load.ErrorList
	errors.As(err, &errs)
	var states []*model.Inventory
	if prog != nil && len(prog.Stages) > 0 {
		var aerr error
		states, aerr = load.ApplyProgram(inv, src, prog, psrc)
		var ael load.ErrorList
		if errors.As(aerr, &ael) {
			errs = append(errs, ael...)
		} else if aerr != nil {
			printErrors(e, aerr)
			return exitFailure
		}
	}
	if err != nil && len(errs) == 0 {
		printErrors(e, err)
		return exitFailure
	}
	if len(errs) > 0 {
		printErrors(e, errs.Sort())
		return exitFailure
	}
	opt, err := pf.options(inv)
	if err != nil {
		return usageError(e, c, "%v", err)
	}
	pr := planner.PlanProgram(prog, states, opt)
	digest, _ := inventoryDigest(files)
	inputs := append(append(append([]string(nil), files...), src.Files...), *stagesPath)
	for _, st := range prog.Stages { // mailbox lists the edits read are inputs too
		inputs = append(inputs, editInputs(st.Edits)...)
	}
	if !writeOutDir(e, c.name, of, inputs, func(od *outDir) error { return writeProgramOutputs(e, od, pr, digest) }) {
		return exitFailure
	}
	summarizeProgram(e.stdout, pr)
	fmt.Fprintf(e.stdout, "Outputs in %s\n", of.dir)
	if pr.FirstRisk >= 0 {
		return exitRisk
	}
	return exitOK
}

func writeProgramOutputs(e *env, od *outDir, pr *planner.Program, digest string) error {
	var b bytes.Buffer
	if err := planjson.WriteProgram(&b, pr); err != nil {
		return fmt.Errorf("program.json: %w", err)
	}
	if err := od.write("program.json", b.Bytes()); err != nil {
		return err
	}
	dot := diagram.Timeline(pr)
	if err := od.write("timeline.dot", dot); err != nil {
		return err
	}
	lay, err := graphviz.Layout(e.ctx, dot)
	if err != nil {
		return fmt.Errorf("timeline.svg: %w", err)
	}
	timeline := svg.Write(lay)
	if err := od.write("timeline.svg", timeline); err != nil {
		return err
	}
	if err := od.stream("runbook.html", func(w io.Writer) error {
		return html.WriteProgram(w, html.ProgramInput{Program: pr, Timeline: timeline, Digest: digest})
	}); err != nil {
		return err
	}
	if err := od.stream("runbook.xlsx", func(w io.Writer) error { return xlsx.WriteProgram(w, pr) }); err != nil {
		return err
	}
	return od.stream("runbook.pdf", func(w io.Writer) error {
		return report.WriteProgram(w, report.ProgramInput{Program: pr, Timeline: lay, Digest: digest})
	})
}

// summarizeProgram prints the programme's verdict and one line per stage.
func summarizeProgram(w io.Writer, pr *planner.Program) {
	fmt.Fprintf(w, "%s\n", pr.Summary())
	for _, s := range pr.Stages {
		d := s.Diff
		when := s.Stage.Date
		if when == "" {
			when = "no date"
		}
		fmt.Fprintf(w, "  %d. %-32s %-10s %-12s paths change for %s, %d newly broken; findings +%d −%d; %d runbook tasks\n",
			s.Index+1, s.Stage.Name, when, planner.VerdictName(s.Verdict), users(d.UsersChanged), d.PathsNewlyBroken, len(d.Introduced), len(d.Resolved), len(s.Runbook.Tasks))
		for i, r := range s.Reasons {
			if i == 4 {
				fmt.Fprintf(w, "     … %d more in program.json\n", len(s.Reasons)-i)
				break
			}
			fmt.Fprintf(w, "     %s\n", r)
		}
		for _, p := range s.Prereqs {
			if p.ProvidedBy < 0 && p.Severity == planner.SevError {
				fmt.Fprintf(w, "     needs %s (%s on %s), which no stage provides\n", p.Rule, p.Title, p.Subject)
			}
		}
	}
}
