// Package load reads inventories: TOML files (merged in order, later files
// overriding entities of the same name) and streamed mailbox CSV files. It
// reports every problem at once as file:line:col, including the validation
// problems of package model, and is the only importer of the TOML library.
package load

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/coexist/coexist/model"
)

// Limits protect against inputs that would exhaust memory.
const (
	// MaxTOMLSize is the largest TOML file accepted.
	MaxTOMLSize = 64 << 20
	// MaxCSVLine is the longest mailbox CSV line accepted.
	MaxCSVLine = 64 << 10
	// MaxErrors caps how many problems are reported.
	MaxErrors = 1000
)

// Source remembers where each part of a loaded inventory was written, so
// that problems found later (validation, planning) can be reported at a
// file:line:col position.
type Source struct {
	// Files are the inventory files in the order they were read,
	// including mailbox CSV files.
	Files []string
	pos   map[refKey]Pos
	// mailboxRows holds the positions of mailboxes read from CSV, by row;
	// rows read from TOML have file -1.
	mailboxRows []rowPos
	csvFiles    []string
	// incomplete is set when a file could not be read or parsed at all:
	// validating the rest would only report references into it.
	incomplete bool
}

type refKey struct {
	kind  string
	row   int
	field string
	elem  int
}

type rowPos struct {
	file int32
	line int32
	col  [len(csvFields)]int32
}

func newSource() *Source { return &Source{pos: map[refKey]Pos{}} }

func (s *Source) set(r model.Ref, p Pos) {
	s.pos[refKey{r.Kind, r.Row, r.Field, r.Elem}] = p
}

// Pos returns the position of the entity or field r names, falling back to
// the field, then the entity, then the first file.
func (s *Source) Pos(r model.Ref) Pos {
	if r.Kind == "mailboxes" && r.Row >= 0 && r.Row < len(s.mailboxRows) && s.mailboxRows[r.Row].file >= 0 {
		rp := s.mailboxRows[r.Row]
		p := Pos{File: s.csvFiles[rp.file], Line: int(rp.line), Col: int(rp.col[0])}
		for i, f := range csvFields {
			if f == r.Field && rp.col[i] > 0 {
				p.Col = int(rp.col[i])
			}
		}
		return p
	}
	for _, k := range []refKey{
		{r.Kind, r.Row, r.Field, r.Elem},
		{r.Kind, r.Row, r.Field, -1},
		{r.Kind, r.Row, "", -1},
	} {
		if p, ok := s.pos[k]; ok {
			return p
		}
	}
	if len(s.Files) > 0 {
		return Pos{File: s.Files[0]}
	}
	return Pos{File: "inventory"}
}

// Options tune loading.
type Options struct {
	// Stdin is read for the path "-".
	Stdin io.Reader
}

// Load reads, merges and validates the inventory files. TOML files are
// merged in order; paths ending in .csv are mailbox CSV files, read after
// every TOML file together with the CSV files the TOML names. The error,
// when not nil, is an ErrorList of every problem, sorted.
func Load(paths []string, opt Options) (*model.Inventory, *Source, error) {
	inv, src, errs := Read(paths, opt)
	if !src.incomplete {
		errs = cap1000(append(errs, Validate(inv, src)...).Sort())
	}
	return inv, src, errs.Err()
}

// Validate runs model validation and positions each problem.
func Validate(inv *model.Inventory, src *Source) ErrorList {
	var errs ErrorList
	for _, p := range inv.Validate() {
		errs.add(src.Pos(p.Ref), "%s", p.Message)
	}
	return cap1000(errs.Sort())
}

func cap1000(errs ErrorList) ErrorList {
	if len(errs) > MaxErrors {
		rest := len(errs) - MaxErrors
		errs = append(errs[:MaxErrors:MaxErrors], Error{Pos: errs[MaxErrors].Pos, Msg: fmt.Sprintf("… and %d more problems", rest)})
	}
	return errs
}

// Read reads and merges the files without validating them: syntax, type
// and unknown-key errors only.
func Read(paths []string, opt Options) (*model.Inventory, *Source, ErrorList) {
	src := newSource()
	var errs ErrorList
	root := newTable()
	type csvRef struct {
		path string
		pos  Pos
	}
	var csvs []csvRef
	for _, path := range paths {
		if strings.EqualFold(filepath.Ext(path), ".csv") {
			csvs = append(csvs, csvRef{path: path, pos: Pos{File: path}})
			continue
		}
		src.Files = append(src.Files, path)
		data, err := readLimited(path, opt.Stdin, MaxTOMLSize)
		if err != nil {
			errs.add(Pos{File: path}, "%v", err)
			src.incomplete = true
			continue
		}
		t, err := parseTOML(path, data)
		if err != nil {
			src.incomplete = true
			var el ErrorList
			if errors.As(err, &el) {
				errs = append(errs, el...)
			}
			continue
		}
		if n, ok := t.m["mailboxes_csv"]; ok {
			t.del("mailboxes_csv")
			var list []*node
			if n.isArray {
				list = n.items
			} else {
				list = []*node{n}
			}
			for _, it := range list {
				name, ok := it.val.(string)
				if !ok || name == "" {
					errs.add(it.pos, "mailboxes_csv: want a file name or an array of file names, got %s", describe(it))
					continue
				}
				if !filepath.IsAbs(name) && path != "-" {
					name = filepath.Join(filepath.Dir(path), name)
				}
				csvs = append(csvs, csvRef{path: name, pos: it.pos})
			}
		}
		merge(root, t)
	}
	inv := &model.Inventory{}
	d := &decoder{errs: &errs, src: src}
	d.decodeRoot(root, inv)
	src.mailboxRows = make([]rowPos, len(inv.Mailboxes), len(inv.Mailboxes)+1024)
	for i := range src.mailboxRows {
		src.mailboxRows[i].file = -1
	}
	if len(csvs) > 0 {
		names := make(map[string]int32, len(inv.Mailboxes))
		for i, m := range inv.Mailboxes {
			names[model.Key(m.Name)] = int32(i)
		}
		for _, c := range csvs {
			src.Files = append(src.Files, c.path)
			f, err := openInput(c.path, opt.Stdin)
			if err != nil {
				errs.add(c.pos, "%s: %v", c.path, err)
				src.incomplete = true
				continue
			}
			readMailboxCSV(c.path, f, inv, src, names, &errs)
			f.Close()
		}
	}
	return inv, src, cap1000(errs.Sort())
}

func openInput(path string, stdin io.Reader) (io.ReadCloser, error) {
	if path == "-" {
		if stdin == nil {
			return nil, fmt.Errorf("no standard input")
		}
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPathError(err))
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("is a directory, not an inventory file")
	}
	return f, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readLimited(path string, stdin io.Reader, limit int64) ([]byte, error) {
	f, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file is larger than %d MiB: put mailboxes in a CSV file (mailboxes_csv)", limit>>20)
	}
	return data, nil
}

// parseTOML decodes one file into a positioned tree.
func parseTOML(path string, data []byte) (*table, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")) {
		return nil, ErrorList{{Pos: Pos{File: path, Line: 1, Col: 1}, Msg: "file is UTF-16: save it as UTF-8"}}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, ErrorList{{Pos: offsetPos(path, data, i), Msg: "NUL byte in file: this is not a text file"}}
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, ErrorList{{Pos: offsetPos(path, data, i), Msg: "invalid UTF-8: save the file as UTF-8"}}
	}
	var raw map[string]any
	text := string(data)
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.LastKey != "" {
				msg += fmt.Sprintf(" (after key %q)", pe.LastKey)
			}
			col := pe.Position.Col
			if col == 0 {
				col = 1
			}
			return nil, ErrorList{{Pos: Pos{File: path, Line: pe.Position.Line, Col: col}, Msg: "syntax: " + msg}}
		}
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: err.Error()}}
	}
	kp := scanPositions(path, text)
	n := build(raw, nil, kp, Pos{File: path, Line: 1, Col: 1})
	return n.table, nil
}

func offsetPos(path string, data []byte, off int) Pos {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return Pos{File: path, Line: line, Col: 1 + utf8.RuneCount(data[start:off])}
}

// csvFields are the mailbox CSV columns, named like the TOML fields.
var csvFields = [...]string{"name", "database", "client_profile", "namespace", "full_access"}

// readMailboxCSV streams mailbox rows into inv. A row naming a mailbox
// defined by an earlier file overrides that mailbox's fields.
func readMailboxCSV(path string, r io.Reader, inv *model.Inventory, src *Source, names map[string]int32, errs *ErrorList) {
	fileID := int32(len(src.csvFiles))
	src.csvFiles = append(src.csvFiles, path)
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	cr := csv.NewReader(&lineLimiter{r: br, limit: MaxCSVLine})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			errs.add(Pos{File: path, Line: 1, Col: 1}, "empty mailbox CSV: want a header row %s", strings.Join(csvFields[:], ","))
		} else {
			errs.add(csvErrPos(path, err), "%s", csvErrMsg(err))
		}
		return
	}
	col := make([]int, len(header)) // CSV column → csvFields index, -1 unknown
	seen := map[int]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		col[i] = -1
		for j, f := range csvFields {
			if h == f {
				col[i] = j
			}
		}
		line, c := cr.FieldPos(i)
		switch {
		case col[i] < 0:
			errs.add(Pos{File: path, Line: line, Col: c}, "unknown mailbox CSV column %q: want %s", header[i], strings.Join(csvFields[:], ", "))
		case seen[col[i]]:
			errs.add(Pos{File: path, Line: line, Col: c}, "duplicate mailbox CSV column %q", header[i])
			col[i] = -1
		default:
			seen[col[i]] = true
		}
	}
	if !seen[0] {
		errs.add(Pos{File: path, Line: 1, Col: 1}, "mailbox CSV has no name column")
		return
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			errs.add(csvErrPos(path, err), "%s", csvErrMsg(err))
			if len(*errs) > MaxErrors || errors.Is(err, errLineTooLong) {
				return
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			errs.add(Pos{File: path, Line: line, Col: 1}, "row has %d fields, header has %d", len(rec), len(header))
			continue
		}
		var m model.Mailbox
		rp := rowPos{file: fileID, line: int32(line)}
		for i, v := range rec {
			if col[i] < 0 {
				continue
			}
			_, c := cr.FieldPos(i)
			rp.col[col[i]] = int32(c)
			v = strings.TrimSpace(v)
			switch col[i] {
			case 0:
				m.Name = v
			case 1:
				m.Database = v
			case 2:
				m.ClientProfile = v
			case 3:
				m.Namespace = v
			case 4:
				if v != "" {
					for _, u := range strings.Split(v, ";") {
						if u = strings.TrimSpace(u); u != "" {
							m.FullAccess = append(m.FullAccess, u)
						}
					}
				}
			}
		}
		k := model.Key(m.Name)
		if i, ok := names[k]; ok && src.mailboxRows[i].file != fileID {
			prev := &inv.Mailboxes[i]
			if seen[1] {
				prev.Database = m.Database
			}
			if seen[2] {
				prev.ClientProfile = m.ClientProfile
			}
			if seen[3] {
				prev.Namespace = m.Namespace
			}
			if seen[4] {
				prev.FullAccess = m.FullAccess
			}
			src.mailboxRows[i] = rp
			continue
		}
		if _, ok := names[k]; !ok {
			names[k] = int32(len(inv.Mailboxes))
		}
		inv.Mailboxes = append(inv.Mailboxes, m)
		src.mailboxRows = append(src.mailboxRows, rp)
	}
}

func csvErrPos(path string, err error) Pos {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Pos{File: path, Line: pe.Line, Col: pe.Column}
	}
	var le *lineError
	if errors.As(err, &le) {
		return Pos{File: path, Line: le.line, Col: 1}
	}
	return Pos{File: path}
}

func csvErrMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "csv: " + pe.Err.Error()
	}
	var le *lineError
	if errors.As(err, &le) {
		return le.Error()
	}
	return err.Error()
}

var errLineTooLong = errors.New("line too long")

type lineError struct{ line int }

func (e *lineError) Error() string {
	return fmt.Sprintf("line longer than %d KiB: this does not look like a mailbox CSV", MaxCSVLine>>10)
}
func (e *lineError) Unwrap() error { return errLineTooLong }

// lineLimiter fails when a line exceeds limit bytes, so a hostile file
// cannot make the CSV reader buffer gigabytes.
type lineLimiter struct {
	r     *bufio.Reader
	limit int
	run   int // bytes since the last newline
	line  int
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.run = 0
			l.line++
			continue
		}
		l.run++
		if l.run > l.limit {
			return i, &lineError{line: l.line + 1}
		}
	}
	return n, err
}
