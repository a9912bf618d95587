package load

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/coexist/coexist/model"
)

// editsFile is the layout of an edits file: [[edit]] tables.
type editsFile struct {
	Edit []model.Edit `toml:"edit"`
}

// readFile reads and parses one edits or programme file (size-limited,
// stdin for "-"), its problems positioned.
func readFile(path string, opt Options) (*Source, *table, error) {
	src := newSource()
	src.Files = []string{path}
	data, err := readLimited(path, opt.Stdin, MaxTOMLSize)
	if err != nil {
		var errs ErrorList
		errs.Add(Pos{File: path}, "%v", err)
		return src, nil, errs.Err()
	}
	t, err := parseTOML(path, data)
	if err != nil {
		var el ErrorList
		errors.As(err, &el)
		return src, nil, el
	}
	return src, t, nil
}

// Edits reads a what-if edits file. Mailbox lists named by `csv` (relative
// to the edits file) are read into Edit.CSVMailboxes. Problems are
// positioned; src positions edits for Apply's problems (Ref.Kind "edit").
func Edits(path string, opt Options) ([]model.Edit, *Source, error) {
	src, t, err := readFile(path, opt)
	if err != nil {
		return nil, src, err
	}
	var errs ErrorList
	var f editsFile
	d := &decoder{errs: &errs, src: src}
	d.decodeRoot(t, &f)
	// With errors here the edits are not applied: report unknown ops now,
	// as applying them would.
	failed := len(errs) > 0
	for i, e := range f.Edit {
		if failed && e.Op != "" && !knownOp(e.Op) {
			var ops []string
			for _, o := range model.EditOps {
				ops = append(ops, o.Op)
			}
			errs.Add(src.Pos(model.Ref{Kind: "edit", Row: i, Field: "op", Elem: -1}), "unknown op %q: want one of %s", clip(e.Op), strings.Join(ops, ", "))
		}
	}
	if len(f.Edit) == 0 && len(errs) == 0 {
		errs.Add(Pos{File: path, Line: 1, Col: 1}, "no [[edit]] tables: nothing to apply")
	}
	readEditCSVs(path, f.Edit, 0, src, &errs)
	return f.Edit, src, cap1000(errs.Sort()).Err()
}

// readEditCSVs reads the mailbox lists the edits name by `csv` (relative
// to the file at path) into Edit.CSVMailboxes. The first edit is row
// first of src's "edit" positions.
func readEditCSVs(path string, edits []model.Edit, first int, src *Source, errs *ErrorList) {
	for i := range edits {
		e := &edits[i]
		if e.CSV == "" {
			continue
		}
		name := e.CSV
		if !filepath.IsAbs(name) && path != "-" {
			name = filepath.Join(filepath.Dir(path), name)
		}
		e.CSVPath = name
		names, header, err := readNameList(name)
		if err != nil {
			errs.Add(src.Pos(model.Ref{Kind: "edit", Row: first + i, Field: "csv", Elem: -1}), "%v", err)
			continue
		}
		e.CSVMailboxes, e.CSVHeader = names, header
	}
}

func knownOp(op string) bool {
	for _, o := range model.EditOps {
		if o.Op == op {
			return true
		}
	}
	return false
}

// readNameList reads the name column of a CSV file (a header row with a
// "name" column, or a single column of names without header) and returns
// the column's heading as written ("" without a header row).
func readNameList(path string) ([]string, string, error) {
	f, err := openInput(path, nil)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close()
	r := csv.NewReader(&lineLimiter{r: f, limit: MaxCSVLine})
	r.FieldsPerRecord = -1
	col := 0
	header := ""
	var names []string
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var le *lineError
			if errors.As(err, &le) {
				return nil, "", fmt.Errorf("%s:%d: %v", path, le.line, le)
			}
			return nil, "", fmt.Errorf("%s: %v", path, err)
		}
		if len(names) >= maxMailboxes {
			line, _ := r.FieldPos(0)
			return nil, "", fmt.Errorf("%s:%d: more than %d names: the limit of an inventory's mailboxes", path, line, maxMailboxes)
		}
		if first {
			found := false
			for i, h := range rec {
				if h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")); strings.EqualFold(h, "name") {
					col, found, header = i, true, h
				}
			}
			if found {
				continue
			}
		}
		if col < len(rec) && strings.TrimSpace(rec[col]) != "" {
			name := strings.TrimSpace(rec[col])
			if n := utf8.RuneCountInString(name); n > MaxName {
				line, c := r.FieldPos(col)
				return nil, "", fmt.Errorf("%s:%d:%d: name is %d characters long: names may have at most %d", path, line, c, n, MaxName)
			}
			names = append(names, name)
		}
	}
	return names, header, nil
}

// ApplyEdits applies edits to inv and validates the result. Problems of
// the edits themselves are positioned in the edits file; problems of the
// edited inventory at the base files, prefixed "after the edits".
func ApplyEdits(inv *model.Inventory, base *Source, edits []model.Edit, esrc *Source) (*model.Inventory, error) {
	return applyEdits(inv, base, edits, esrc, "after the edits")
}

func applyEdits(inv *model.Inventory, base *Source, edits []model.Edit, esrc *Source, after string) (*model.Inventory, error) {
	out, ps := inv.Apply(edits)
	var errs ErrorList
	for _, p := range ps {
		errs.Add(esrc.Pos(p.Ref), "%s", p.Message)
	}
	if len(errs) > 0 {
		return nil, cap1000(errs.Sort())
	}
	var bx *model.Index // of inv, built when first needed
	for _, p := range out.Validate() {
		pos := Pos{File: esrc.Files[0]}
		if p.Ref.Kind == "organization" {
			pos = base.Pos(p.Ref)
		} else if name, ok := entityName(out, p.Ref.Kind, p.Ref.Row); ok {
			// Edits add and remove entities: find the entity's row in the
			// base inventory by name. One the edits added has none.
			if bn, ok := entityName(inv, p.Ref.Kind, p.Ref.Row); !ok || model.Key(bn) != model.Key(name) {
				if bx == nil {
					bx = model.NewIndex(inv)
				}
				p.Ref.Row = baseRow(inv, bx, p.Ref.Kind, name)
			}
			if p.Ref.Row >= 0 {
				pos = base.Pos(p.Ref)
			} else if r, ok := addedBy(edits, p.Ref, name); ok {
				pos = esrc.Pos(r)
			}
		}
		errs.Add(pos, "%s: %s", after, p.Message)
	}
	return out, cap1000(errs.Sort()).Err()
}

// addedBy returns the place in the edits file of the field ref names when
// an edit added the entity (add-server, add- or replace-certificate).
func addedBy(edits []model.Edit, ref model.Ref, name string) (model.Ref, bool) {
	for i := len(edits) - 1; i >= 0; i-- {
		e := &edits[i]
		var table string
		switch {
		case ref.Kind == "servers" && e.NewServer != nil && model.Key(e.NewServer.Name) == model.Key(name):
			table = "new_server"
		case ref.Kind == "certificates" && e.Certificate != nil && model.Key(e.Certificate.Thumbprint) == model.Key(name):
			table = "certificate"
		default:
			continue
		}
		if ref.Field != "" {
			table += "." + ref.Field
		}
		return model.Ref{Kind: "edit", Row: i, Field: table, Elem: ref.Elem}, true
	}
	return model.Ref{}, false
}

// entityName returns the identifying name of the entity of kind at row.
func entityName(inv *model.Inventory, kind string, row int) (string, bool) {
	get := func(n int, name func(int) string) (string, bool) {
		if row < 0 || row >= n {
			return "", false
		}
		return name(row), true
	}
	switch kind {
	case "sites":
		return get(len(inv.Sites), func(i int) string { return inv.Sites[i].Name })
	case "namespaces":
		return get(len(inv.Namespaces), func(i int) string { return inv.Namespaces[i].FQDN })
	case "load_balancers":
		return get(len(inv.LoadBalancers), func(i int) string { return inv.LoadBalancers[i].Name })
	case "servers":
		return get(len(inv.Servers), func(i int) string { return inv.Servers[i].Name })
	case "outlook_providers":
		return get(len(inv.OutlookProviders), func(i int) string { return inv.OutlookProviders[i].Name })
	case "certificates":
		return get(len(inv.Certificates), func(i int) string { return inv.Certificates[i].Thumbprint })
	case "databases":
		return get(len(inv.Databases), func(i int) string { return inv.Databases[i].Name })
	case "offline_address_books":
		return get(len(inv.OfflineABs), func(i int) string { return inv.OfflineABs[i].Name })
	case "client_profiles":
		return get(len(inv.ClientProfiles), func(i int) string { return inv.ClientProfiles[i].Name })
	case "mailboxes":
		return get(len(inv.Mailboxes), func(i int) string { return inv.Mailboxes[i].Name })
	}
	return "", false
}

// baseRow returns the row of the named entity of kind in inv, or -1.
func baseRow(inv *model.Inventory, x *model.Index, kind, name string) int {
	var m map[string]int
	switch kind {
	case "sites":
		m = x.Sites
	case "namespaces":
		m = x.Namespaces
	case "load_balancers":
		m = x.LoadBalancers
	case "servers":
		m = x.Servers
	case "outlook_providers":
		m = x.Providers
	case "databases":
		m = x.Databases
	case "offline_address_books":
		m = x.OfflineABs
	case "client_profiles":
		m = x.Profiles
	case "mailboxes":
		m = x.Mailboxes
	case "certificates":
		for i, c := range inv.Certificates {
			if model.Key(c.Thumbprint) == model.Key(name) {
				return i
			}
		}
	}
	if i, ok := m[model.Key(name)]; ok && name != "" {
		return i
	}
	return -1
}
