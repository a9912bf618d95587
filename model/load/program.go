package load

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/coexist/coexist/model"
)

// Program reads a programme file: an optional [program] table (name) and
// [[stage]] tables (name, date, window, owner, note), each with
// [[stage.edit]] tables in the what-if edit vocabulary. Problems are
// positioned. In the returned Source the edits are numbered across the
// whole file (Ref.Kind "edit", Ref.Row counting from the first stage's
// first edit) and stages are Ref.Kind "stage".
func Program(path string, opt Options) (*model.Program, *Source, error) {
	src, root, err := readFile(path, opt)
	if err != nil {
		return nil, src, err
	}
	var errs ErrorList
	prog := &model.Program{}
	d := &decoder{errs: &errs, src: src}
	var all []model.Edit
	for _, k := range root.keys {
		n := root.m[k]
		switch k {
		case "program":
			if n.table == nil {
				errs.Add(n.pos, "program must be a table ([program])")
				continue
			}
			src.set(model.Ref{Kind: "program", Elem: -1}, n.pos)
			d.decodeStruct(n, reflect.ValueOf(prog).Elem(), "program", 0, "", "[program]")
		case "stage":
			if !n.isArray {
				errs.Add(n.pos, "stage must be an array of tables ([[stage]])")
				continue
			}
			for _, it := range n.items {
				if it.table == nil {
					errs.Add(it.pos, "stage entry must be a table, got %s", describe(it))
					continue
				}
				i := len(prog.Stages)
				if i == maxEntities {
					errs.Add(it.pos, "more than %d stages", maxEntities)
					break
				}
				prog.Stages = append(prog.Stages, model.Stage{})
				st := &prog.Stages[i]
				src.set(model.Ref{Kind: "stage", Row: i, Elem: -1}, it.pos)
				where := fmt.Sprintf("[[stage]] #%d", i+1)
				if id := it.ident("stage"); id != "" {
					where = fmt.Sprintf("[[stage]] %q", id)
				}
				fields := newTable()
				for _, fk := range it.table.keys {
					if fk != "edit" {
						fields.set(fk, it.table.m[fk])
					}
				}
				d.decodeStruct(&node{pos: it.pos, table: fields}, reflect.ValueOf(st).Elem(), "stage", i, "", where)
				en, ok := it.table.m["edit"]
				if !ok {
					continue
				}
				if !en.isArray {
					errs.Add(en.pos, "edit must be an array of tables ([[stage.edit]])")
					continue
				}
				for j, e := range en.items {
					if e.table == nil {
						errs.Add(e.pos, "edit entry must be a table, got %s", describe(e))
						continue
					}
					g := len(all)
					all = append(all, model.Edit{})
					src.set(model.Ref{Kind: "edit", Row: g, Elem: -1}, e.pos)
					d.decodeStruct(e, reflect.ValueOf(&all[g]).Elem(), "edit", g, "", fmt.Sprintf("%s [[stage.edit]] #%d", where, j+1))
					st.Edits = append(st.Edits, model.Edit{}) // filled below, once all is final
				}
			}
		default:
			d.unknown(n.pos, k, "at the top level", reflect.TypeOf(struct {
				Program model.Program `toml:"program"`
				Stage   []model.Stage `toml:"stage"`
			}{}))
		}
	}
	// Hand each stage its slice of the edits.
	g := 0
	for i := range prog.Stages {
		n := len(prog.Stages[i].Edits)
		prog.Stages[i].Edits = all[g : g+n : g+n]
		g += n
	}
	for _, p := range prog.Check() {
		pos := src.Pos(p.Ref)
		if p.Ref.Kind == "program" {
			pos = Pos{File: path, Line: 1, Col: 1}
		}
		errs.Add(pos, "%s", p.Message)
	}
	readEditCSVs(path, all, 0, src, &errs)
	return prog, src, cap1000(errs.Sort()).Err()
}

// ApplyProgram plans the programme's inventories: the base inv, then the
// result of each stage, each stage applied to the one before. Problems of
// the edits are positioned in the programme file, problems of a stage's
// result prefixed "after stage N "name"", each reported once (at the first
// stage where it appears), all at once.
func ApplyProgram(inv *model.Inventory, base *Source, prog *model.Program, psrc *Source) ([]*model.Inventory, error) {
	states := []*model.Inventory{inv}
	var all []model.Edit
	var errs ErrorList
	seen := map[string]bool{}
	for i := range prog.Stages {
		all = append(all, prog.Stages[i].Edits...)
		after := "after " + prog.StageLabel(i)
		// The edits so far, applied to the base: positions of the base
		// inventory stay right however many stages added or removed
		// entities.
		out, err := applyEdits(inv, base, all, psrc, after)
		var el ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				key := e.Pos.String() + "\x00" + strings.TrimPrefix(e.Msg, after+": ")
				if !seen[key] {
					seen[key] = true
					errs = append(errs, e)
				}
			}
		}
		states = append(states, out)
	}
	if len(errs) > 0 {
		return nil, cap1000(errs.Sort())
	}
	return states, nil
}
