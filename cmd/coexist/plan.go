package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/model/redact"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/html"
	"github.com/coexist/coexist/render/pdf"
	"github.com/coexist/coexist/render/planjson"
	"github.com/coexist/coexist/render/remedy"
	"github.com/coexist/coexist/render/report"
	"github.com/coexist/coexist/render/xlsx"
)

var planCommand = command{
	name:    "plan",
	usage:   "INVENTORY... -o DIR [--date YYYY-MM-DD]",
	summary: "compute every path and prerequisite and write all outputs into DIR",
	help: `Loads and validates the inventory (as "coexist validate"), computes every
user's paths per protocol and client location and every prerequisite
finding, and writes into DIR: plan.json, checklist.xlsx, report.pdf,
report.html, topology.dot/.svg, flows-<protocol>.dot/.svg, remediation.ps1
and one .reg file per server that needs registry changes. DIR is replaced only when
every output was written.

DIR must be new, empty, or an earlier coexist output (it lists its files in
DIR/.coexist-manifest); coexist never deletes a file it did not write.
--force also replaces earlier outputs whose files were changed since.

Findings never fail the command: exit 0 means the outputs were written.

Names in any script print in report.pdf: characters the built-in Go fonts
lack (CJK, Arabic, Hebrew, Thai…) are drawn with --font files, then with
the system's TrueType fonts; characters no font covers are named on stderr
and in the report's "About this report" section.

--redact writes every output with stable pseudonyms instead of user,
server, site, database and host names, domains and IP addresses (builds,
KBs, registry values and settings are kept), so a report can be shared
with a vendor; the same inventory and salt always give the same names.
Certificate thumbprints are keyed with --redact-salt, else with a secret
of your own (created once, 0600, in ~/.config/coexist/redact-key or your
system's configuration folder), so nobody else can recompute them.

Document control: report.pdf (a page after the cover), report.html and
the Summary sheet of checklist.xlsx name the customer, author and
organisation, version, status, plan date and approvers, from the
inventory's optional [report] table (see docs/inventory.md) or from
--author, --company, --customer, --doc-version, --status and --approver
(repeatable), which win over it. A field left empty prints as a line to
fill in, so a printed copy can be signed.

Examples:
  coexist plan samples/s1-contoso.toml -o out
  coexist plan samples/s1-contoso.toml --author "Ana Pérez" --company "Fabrikam Consulting" \
      --doc-version 0.3 --status "For review" --approver "J. Smith (CAB)" --approver "K. Lee" -o out
  coexist plan samples/s1-contoso.toml --redact -o out-for-vendor
  coexist plan tokyo.toml --font /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf -o out
  coexist plan export.toml overlay.toml mailboxes.csv -o plan-2027-03 --date 2027-01-15`,
	run: runPlan,
}

// planFlags are the flags shared by commands that plan an inventory.
type planFlags struct {
	date string
}

func (f *planFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.date, "date", "", "`YYYY-MM-DD` to treat as today (default: the inventory's organization.as_of, else today)")
}

// options turns the flags into planner options; the clock is read only
// when neither --date nor as_of pins the date.
func (f *planFlags) options(inv *model.Inventory) (planner.Options, error) {
	var opt planner.Options
	switch {
	case f.date != "":
		t, err := model.ParseDate(f.date)
		if err != nil {
			return opt, fmt.Errorf("--date: %v", err)
		}
		opt.AsOf = t
	case inv.Organization.AsOf == "":
		opt.AsOf = time.Now().UTC().Truncate(24 * time.Hour)
	}
	return opt, nil
}

func runPlan(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var of outFlags
	of.register(fs)
	userPaths := fs.Int("user-paths", planjson.DefaultUserPathLimit, "expand plan.json paths per user up to `N` users (0 = always)")
	quiet := fs.Bool("quiet", false, "no progress messages on stderr")
	redactOut := fs.Bool("redact", false, "replace user, server, site, database and host names, domains and IP addresses with stable pseudonyms in every output")
	salt := fs.String("redact-salt", "", "secret `text` keying the pseudonymous certificate thumbprints (default: $COEXIST_REDACT_SALT, else a key of your own created once in your configuration folder)")
	var pf planFlags
	pf.register(fs)
	var ff fontFlags
	ff.register(fs)
	var df docFlags
	df.register(fs)
	files, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return usageError(e, c, "no inventory files given")
	}
	fonts, err := ff.chain()
	if err != nil {
		fmt.Fprintf(e.stderr, "coexist plan: %v\n", err)
		return exitFailure
	}
	if *userPaths < 0 {
		return usageError(e, c, "--user-paths must not be negative")
	}
	if of.dir == "" {
		return usageError(e, c, "-o DIR is required")
	}
	prog := newProgress(e.stderr, *quiet)
	var inv *model.Inventory
	var src *load.Source
	prog.step("loading "+strings.Join(files, ", "), func() error {
		inv, src, ok = loadInventory(e, files)
		return nil
	})
	if !ok {
		return exitFailure
	}
	opt, err := pf.options(inv)
	if err != nil {
		return usageError(e, c, "%v", err)
	}
	if err := df.apply(inv); err != nil {
		return usageError(e, c, "%v", err)
	}
	if *redactOut {
		if *salt == "" {
			*salt = os.Getenv("COEXIST_REDACT_SALT")
		}
		if *salt == "" { // the user's own secret: reruns match, nobody else can recompute
			dir, err := redact.KeyDir()
			if err == nil {
				*salt, err = redact.UserKey(dir)
			}
			if err != nil {
				fmt.Fprintf(e.stderr, "coexist plan: %v\n", err)
				return exitFailure
			}
		}
		inv = redact.Inventory(inv, *salt)
		if ps := inv.Validate(); len(ps) > 0 { // resolves builds; a redacted inventory stays valid
			fmt.Fprintf(e.stderr, "coexist plan: redaction produced an invalid inventory: %s\n", ps[0].Message)
			return exitFailure
		}
	}
	inputs := append(append(append([]string(nil), files...), src.Files...), ff.files...)
	od, ok := prepareOutDir(e, c.name, of, inputs)
	if !ok {
		return exitFailure
	}
	var p *planner.Plan
	prog.step(fmt.Sprintf("planning %d mailboxes", len(inv.Mailboxes)), func() error {
		p = planner.Run(inv, opt)
		return nil
	})
	digest, names := inventoryDigest(files)
	if *redactOut {
		for i := range names {
			names[i] = fmt.Sprintf("inventory-%d%s", i+1, filepath.Ext(names[i]))
		}
	}
	if !od.finish(e, func(od *outDir) error {
		return writePlanOutputs(e, od, p, outputOptions{userPaths: *userPaths, progress: prog, digest: digest, files: names, fonts: fonts})
	}) {
		return exitFailure
	}
	warnMissingGlyphs(e, c.name, fonts)
	cnt := p.Counts()
	fmt.Fprintf(e.stdout, "%s: %s in %d cohorts; %s, %s; %s with broken paths. Outputs in %s\n",
		p.Organization, count(cnt.Users, "user"), cnt.Cohorts, count(cnt.BySeverity[planner.SevError], "blocking finding"),
		count(cnt.BySeverity[planner.SevWarning], "warning"), count(cnt.BrokenUsers, "user"), of.dir)
	return exitOK
}

// count renders "1 user", "2 users".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// inventoryDigest hashes the inventory files (and the mailbox CSV files
// they name are covered by the plan itself) for the report cover, so a
// reader can tell which inventory a report was made from.
func inventoryDigest(files []string) (string, []string) {
	h := sha256.New()
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
		if f == "-" {
			continue
		}
		if r, err := os.Open(f); err == nil {
			io.Copy(h, r)
			r.Close()
		}
	}
	return hex.EncodeToString(h.Sum(nil)), names
}

// outputOptions tune the plan outputs.
type outputOptions struct {
	userPaths int
	progress  *progress
	digest    string   // SHA-256 of the inventory files
	files     []string // their base names
	fonts     *pdf.Fonts
}

// writePlanOutputs renders every output of a plan into od. The outputs
// are independent, so they are written concurrently (each to its own
// file); the first error in output order is returned.
func writePlanOutputs(e *env, od *outDir, p *planner.Plan, opt outputOptions) error {
	type task struct {
		name string
		run  func() error
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := map[string]error{}
	start := func(t task) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := opt.progress.step("writing "+t.name, t.run); err != nil {
				mu.Lock()
				errs[t.name] = err
				mu.Unlock()
			}
		}()
	}
	// Outputs that need no diagram start at once, beside the diagrams.
	independent := []task{
		{"plan.json", func() error {
			return od.stream("plan.json", func(w io.Writer) error {
				return planjson.Write(w, p, planjson.Options{UserPathLimit: opt.userPaths})
			})
		}},
		{"checklist.xlsx", func() error {
			return od.stream("checklist.xlsx", func(w io.Writer) error { return xlsx.Write(w, p) })
		}},
		{"remediation.ps1 and .reg files", func() error { return writeRemediation(od, p) }},
	}
	for _, t := range independent {
		start(t)
	}
	var d *diagrams
	derr := opt.progress.step("drawing diagrams", func() error {
		var err error
		d, err = drawDiagrams(e.ctx, p, od)
		return err
	})
	if derr == nil {
		start(task{"report.pdf", func() error {
			return od.stream("report.pdf", func(w io.Writer) error {
				return report.Write(w, report.Input{Plan: p, Digest: opt.digest, Files: opt.files, Topology: d.topologyLayout, TopologyParts: d.topologyParts, TopologyLegend: d.topologyLegend, FlowLegend: d.flowLegend, Flows: d.flowLayouts, FlowParts: d.flowParts, Fonts: opt.fonts})
			})
		}})
		start(task{"report.html", func() error {
			return od.stream("report.html", func(w io.Writer) error {
				return html.Write(w, html.Input{Plan: p, Topology: d.topologySVG, Flows: d.flowSVGs, Digest: opt.digest, Files: opt.files})
			})
		}})
	}
	wg.Wait()
	if derr != nil {
		return derr
	}
	for _, name := range []string{"plan.json", "checklist.xlsx", "remediation.ps1 and .reg files", "report.pdf", "report.html"} {
		if err := errs[name]; err != nil {
			return err
		}
	}
	return nil
}

// writeRemediation writes remediation.ps1 and one .reg file per server
// (or client profile) that needs registry changes.
func writeRemediation(od *outDir, p *planner.Plan) error {
	if err := od.write("remediation.ps1", remedy.Script(p.Organization, p.AsOf, p.Findings)); err != nil {
		return err
	}
	regs := remedy.RegFiles(p.Findings)
	names := make([]string, 0, len(regs))
	for name := range regs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := od.write(name, regs[name]); err != nil {
			return err
		}
	}
	return nil
}
