package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// Sheet names of runbook.xlsx.
const (
	SheetStages  = "Stages"
	SheetRunbook = "Runbook"
)

// maxCellCommand is the longest command a Runbook cell takes whole.
const maxCellCommand = 32000

// taskStatuses are the Status drop-down of the Runbook sheet.
var taskStatuses = []string{"Open", "In progress", "Done", "Failed", "Skipped"}

// WriteProgram writes runbook.xlsx for pr: a Stages sheet (one row per
// stage: date, window, owner, verdict and why), and a Runbook sheet with
// one task per row (stage, step, phase, server, shell, action, command,
// origin, owner, a Status drop-down and a Done date to fill in). Like the
// other workbooks it is deterministic and stores every text as a literal
// string.
func WriteProgram(w io.Writer, pr *planner.Program) error {
	if pr == nil || pr.Base == nil {
		return errors.New("xlsx: no programme")
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{p: pr.Base, f: f, org: pr.Organization}
	if err := b.st.init(f); err != nil {
		return fmt.Errorf("xlsx: styles: %w", err)
	}
	if err := f.SetSheetName("Sheet1", SheetStages); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.NewSheet(SheetRunbook); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := b.programStages(pr); err != nil {
		return fmt.Errorf("xlsx: stages sheet: %w", err)
	}
	if err := b.programTasks(pr); err != nil {
		return fmt.Errorf("xlsx: runbook sheet: %w", err)
	}
	props := &excelize.DocProperties{Creator: "coexist", LastModifiedBy: "coexist", Title: "Exchange migration runbook: " + pr.Name,
		Subject: "Exchange migration programme runbook", Category: "Runbook", Language: "en"}
	if asOf := pr.Base.AsOf; !asOf.IsZero() {
		stamp := asOf.UTC().Format("2006-01-02T15:04:05Z")
		props.Created, props.Modified = stamp, stamp
	}
	if err := f.SetDocProps(props); err != nil {
		return fmt.Errorf("xlsx: document properties: %w", err)
	}
	f.SetActiveSheet(0)
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newSortedZip(w, zipTime(pr.Base.AsOf)) })
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

func (b *book) programStages(pr *planner.Program) error {
	st, f := &b.st, b.f
	t, err := b.newTable(SheetStages, []column{
		{head: "Stage", min: 6, style: st.num},
		{head: "Name", min: 16, max: 34, style: st.wrap},
		{head: "Date", min: 11},
		{head: "Window", min: 10, max: 24, style: st.wrap},
		{head: "Owner", min: 10, max: 28, style: st.wrap},
		{head: "Verdict", min: 12},
		{head: "Users whose paths change", min: 8, style: st.num},
		{head: "Newly broken paths", min: 8, style: st.num},
		{head: "Why", min: 30, max: 90, style: st.wrap},
	})
	if err != nil {
		return err
	}
	for _, s := range pr.Stages {
		if err := t.add(s.Index+1, s.Stage.Name, s.Stage.Date, s.Stage.Window, s.Stage.Owner, planner.VerdictName(s.Verdict),
			s.Diff.UsersChanged, s.Diff.PathsNewlyBroken, strings.Join(s.Reasons, "\n")); err != nil {
			return err
		}
	}
	if err := t.finish(); err != nil {
		return err
	}
	// The verdicts speak for the assessed areas only: say so below them.
	row := t.row + 2
	note := "Scope of the verdicts. " + planner.ScopeLine()
	width := 0.0
	for _, w := range t.widths {
		width += w
	}
	for _, err := range []error{
		f.MergeCell(SheetStages, span(1, row, len(t.widths), row), ""),
		t.set(1, row, note, st.wrap),
		f.SetRowHeight(SheetStages, row, mergedHeight(note, width)),
	} {
		if err != nil {
			return err
		}
	}
	return b.cond(SheetStages, colRange(6, 2, t.row),
		ifEqual(planner.VerdictName(planner.StageBreaks), st.cfBad),
		ifEqual(planner.VerdictName(planner.StageReview), st.cfWarn),
		ifEqual(planner.VerdictName(planner.StageSafe), st.cfGood))
}

func (b *book) programTasks(pr *planner.Program) error {
	st := &b.st
	t, err := b.newTable(SheetRunbook, []column{
		{head: "Stage", min: 6, style: st.num},
		{head: "Step", min: 5, style: st.num},
		{head: "Phase", min: 10},
		{head: "Server", min: 10, max: 20},
		{head: "Shell", min: 14, max: 30, style: st.wrap},
		{head: "Action", min: 30, max: 60, style: st.wrap},
		{head: "Command", min: 40, max: 110, style: st.wrap},
		{head: "From", min: 16, max: 40, style: st.wrap},
		{head: "Owner", min: 10, max: 24, style: st.wrap},
		{head: "Status", min: 11},
		{head: "Done date", min: 11},
	})
	if err != nil {
		return err
	}
	for _, s := range pr.Stages {
		for i, task := range s.Runbook.Tasks {
			cmd := task.Command
			if utf8.RuneCountInString(cmd) > maxCellCommand {
				// A cell holds 32,767 characters: a longer command (a
				// rollback listing a large batch) would be cut short.
				cmd = fmt.Sprintf("(%d characters: too long for a cell; see the task in program.json or runbook.html)", utf8.RuneCountInString(cmd))
			}
			if err := t.add(s.Index+1, i+1, planner.PhaseNames[task.Phase], task.Server, task.Shell, task.Action, cmd,
				task.From, s.Stage.Owner, taskStatuses[0], nil); err != nil {
				return err
			}
		}
	}
	if err := t.finish(); err != nil {
		return err
	}
	status := colRange(10, 2, t.row)
	if err := b.cond(SheetRunbook, status,
		ifEqual("Done", st.cfGood),
		ifEqual("In progress", st.cfInfo),
		ifEqual("Failed", st.cfBad),
		ifEqual("Skipped", st.cfGrey)); err != nil {
		return err
	}
	if err := b.dropDown(SheetRunbook, status, taskStatuses); err != nil {
		return err
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = colRange(11, 2, t.row)
	if err := dv.SetRange(1, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	if err := b.f.AddDataValidation(SheetRunbook, dv); err != nil {
		return err
	}
	return b.f.SetCellStyle(SheetRunbook, "K2", strings.Split(colRange(11, 2, t.row), ":")[1], st.date)
}
