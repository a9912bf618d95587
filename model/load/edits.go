package load

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/coexist/coexist/model"
)

// editsFile is the layout of an edits file: [[edit]] tables.
type editsFile struct {
	Edit []model.Edit `toml:"edit"`
}

// Edits reads a what-if edits file. Mailbox lists named by `csv` (relative
// to the edits file) are read into Edit.CSVMailboxes. Problems are
// positioned; src positions edits for Apply's problems (Ref.Kind "edit").
func Edits(path string, opt Options) ([]model.Edit, *Source, error) {
	src := newSource()
	src.Files = []string{path}
	var errs ErrorList
	data, err := readLimited(path, opt.Stdin, MaxTOMLSize)
	if err != nil {
		errs.add(Pos{File: path}, "%v", err)
		return nil, src, errs.Err()
	}
	t, err := parseTOML(path, data)
	if err != nil {
		var el ErrorList
		errors.As(err, &el)
		return nil, src, el
	}
	var f editsFile
	d := &decoder{errs: &errs, src: src}
	d.decodeRoot(t, &f)
	if len(f.Edit) == 0 && len(errs) == 0 {
		errs.add(Pos{File: path, Line: 1, Col: 1}, "no [[edit]] tables: nothing to apply")
	}
	for i := range f.Edit {
		e := &f.Edit[i]
		if e.CSV == "" {
			continue
		}
		name := e.CSV
		if !filepath.IsAbs(name) && path != "-" {
			name = filepath.Join(filepath.Dir(path), name)
		}
		names, err := readNameList(name)
		if err != nil {
			errs.add(src.Pos(model.Ref{Kind: "edit", Row: i, Field: "csv", Elem: -1}), "%v", err)
			continue
		}
		e.CSVMailboxes = names
	}
	return f.Edit, src, errs.Sort().Err()
}

// readNameList reads the name column of a CSV file (a header row with a
// "name" column, or a single column of names without header).
func readNameList(path string) ([]string, error) {
	f, err := openInput(path, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	col := 0
	var names []string
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if first {
			found := false
			for i, h := range rec {
				if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")), "name") {
					col, found = i, true
				}
			}
			if found {
				continue
			}
		}
		if col < len(rec) && strings.TrimSpace(rec[col]) != "" {
			names = append(names, strings.TrimSpace(rec[col]))
		}
	}
	return names, nil
}

// ApplyEdits applies edits to inv and validates the result. Problems of
// the edits themselves are positioned in the edits file; problems of the
// edited inventory at the base files, prefixed "after the edits".
func ApplyEdits(inv *model.Inventory, base *Source, edits []model.Edit, esrc *Source) (*model.Inventory, error) {
	out, ps := inv.Apply(edits)
	var errs ErrorList
	for _, p := range ps {
		errs.add(esrc.Pos(p.Ref), "%s", p.Message)
	}
	if len(errs) > 0 {
		return nil, errs.Sort()
	}
	for _, p := range out.Validate() {
		pos := Pos{File: esrc.Files[0]}
		if p.Ref.Row < len(inv.Mailboxes) || p.Ref.Kind != "mailboxes" {
			pos = base.Pos(p.Ref)
		}
		errs.add(pos, "after the edits: %s", p.Message)
	}
	return out, errs.Sort().Err()
}
