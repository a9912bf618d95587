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
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/coexist/coexist/model"
)

// Limits protect against inputs that would exhaust memory or time. An
// input beyond a limit is rejected with a positioned message naming the
// limit; nothing past it is validated.
const (
	// MaxTOMLSize is the largest TOML file (inventory or edits) accepted:
	// 64 MiB. Larger inventories put their mailboxes in CSV files.
	MaxTOMLSize = 64 << 20
	// MaxCSVLine is the longest mailbox CSV line accepted, 64 KiB; a row
	// whose quoted fields run over several lines may not be longer either.
	MaxCSVLine = 64 << 10
	// MaxErrors caps how many problems are reported: 1000, then a count
	// of the rest.
	MaxErrors = 1000
	// MaxDepth is the deepest nesting of tables, arrays, inline tables and
	// dotted keys accepted in a TOML file: 64 levels (an inventory needs
	// 6).
	MaxDepth = 64
	// MaxValues is the most keys, table headers and array elements one
	// TOML file may hold: 1,000,000 (the decoder takes about 9 s and 0.9
	// GiB for that many; an inventory with its mailboxes in CSV holds a few
	// thousand).
	MaxValues = 1_000_000
	// MaxMailboxes is the most mailboxes an inventory may hold, from TOML
	// and CSV files together, and the most names an edits CSV may list:
	// 10,000,000.
	MaxMailboxes = 10_000_000
	// MaxEntities is the most entities of any other kind (servers, sites,
	// namespaces, databases, certificates, …) an inventory may hold, and
	// the most [[edit]] tables an edits file may hold: 100,000.
	MaxEntities = 100_000
	// MaxName is the longest name accepted, in characters: 256. It applies
	// to the identifying name of every entity (mailbox, server, site,
	// database, …), to the organisation's name and to the names in a
	// mailbox CSV. Host names are checked against DNS's 253.
	MaxName = 256
	// MaxString is the longest string value accepted, in characters:
	// 4096 (URLs, certificate subjects, notes, …).
	MaxString = 4096
)

// The limits as variables, for tests.
var (
	maxMailboxes = MaxMailboxes
	maxEntities  = MaxEntities
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
	// Overrides are what later files changed of what earlier files set,
	// in the order met: passing two customers' exports by mistake, or an
	// overlay that changes more than meant, shows here.
	Overrides []Override
}

// Override is a later file changing values an earlier file set.
type Override struct {
	Pos  Pos    // where the later file sets them
	What string // "[[servers]] CAS1", "[organization]"
	Was  Pos    // where the earlier file set the entity
	Keys []string
}

func (o Override) String() string {
	return fmt.Sprintf("%s: note: overrides %s of %s: %s", o.Pos, o.What, o.Was, strings.Join(o.Keys, ", "))
}

func sortOverrides(ovs []Override) {
	sort.SliceStable(ovs, func(i, j int) bool {
		a, b := ovs[i].Pos, ovs[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
}

// override records a later file's change to what an earlier file set.
func (s *Source) override(at Pos, what string, was Pos, keys []string) {
	if len(keys) == 0 || at.File == was.File {
		return
	}
	s.Overrides = append(s.Overrides, Override{Pos: at, What: what, Was: was, Keys: keys})
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
	// OnlyMailbox, when set, keeps only what one user's paths need: that
	// mailbox, and the mailboxes granting it Full Access (with Full Access
	// reduced to that user); other mailbox rows are still read and checked
	// for syntax but not kept or cross-checked. "coexist path" uses it to
	// answer for one user of a million-row CSV in well under a second.
	OnlyMailbox string
}

// Load reads, merges and validates the inventory files. TOML files are
// merged in order; paths ending in .csv are mailbox CSV files, read after
// every TOML file together with the CSV files the TOML names. The error,
// when not nil, is an ErrorList of every problem, sorted.
func Load(paths []string, opt Options) (*model.Inventory, *Source, error) {
	inv, src, errs := read(paths, opt)
	if !src.incomplete {
		errs = append(errs, validate(inv, src)...)
	}
	return inv, src, cap1000(errs.Sort()).Err()
}

// Validate runs model validation and positions each problem.
func Validate(inv *model.Inventory, src *Source) ErrorList {
	return cap1000(validate(inv, src).Sort())
}

func validate(inv *model.Inventory, src *Source) ErrorList {
	var errs ErrorList
	for _, p := range inv.Validate() {
		errs.Add(src.Pos(p.Ref), "%s", p.Message)
	}
	return errs
}

// cap1000 keeps the first MaxErrors problems of a sorted list and counts
// the rest.
func cap1000(errs ErrorList) ErrorList {
	if len(errs) > MaxErrors {
		rest := len(errs) - MaxErrors
		what := "problems"
		if rest == 1 {
			what = "problem"
		}
		errs = append(errs[:MaxErrors:MaxErrors], Error{Pos: errs[MaxErrors].Pos, Msg: fmt.Sprintf("… and %d more %s", rest, what)})
	}
	return errs
}

// Read reads and merges the files without validating them: syntax, type
// and unknown-key errors only.
func Read(paths []string, opt Options) (*model.Inventory, *Source, ErrorList) {
	inv, src, errs := read(paths, opt)
	return inv, src, cap1000(errs.Sort())
}

func read(paths []string, opt Options) (*model.Inventory, *Source, ErrorList) {
	src := newSource()
	var errs ErrorList
	root := newTable()
	type csvRef struct {
		path string
		pos  Pos
	}
	var csvs []csvRef
	stdinRead := false
	for _, path := range paths {
		if path == "-" {
			if stdinRead {
				errs.Add(Pos{File: path}, "standard input is given twice: it can be read only once")
				continue
			}
			stdinRead = true
		}
		if strings.EqualFold(filepath.Ext(path), ".csv") {
			csvs = append(csvs, csvRef{path: path, pos: Pos{File: path}})
			continue
		}
		src.Files = append(src.Files, path)
		data, err := readLimited(path, opt.Stdin, MaxTOMLSize)
		if err != nil {
			errs.Add(Pos{File: path}, "%v", err)
			src.incomplete = true
			continue
		}
		if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))) == 0 {
			errs.Add(Pos{File: path}, "file is empty: want an inventory ([organization], [[servers]], …)")
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
					errs.Add(it.pos, "mailboxes_csv: want a file name or an array of file names, got %s", describe(it))
					continue
				}
				if !filepath.IsAbs(name) && path != "-" {
					name = filepath.Join(filepath.Dir(path), name)
				}
				csvs = append(csvs, csvRef{path: name, pos: it.pos})
			}
		}
		checkOrganization(root, t, &errs)
		n := len(src.Overrides)
		merge(root, t, &errs, src)
		sortOverrides(src.Overrides[n:]) // this file's, in its order
	}
	inv := &model.Inventory{}
	d := &decoder{errs: &errs, src: src}
	d.decodeRoot(root, inv)
	// Size the mailbox slices and the name map from the CSV files' sizes
	// (about 40 bytes a row), so a million rows do not regrow them.
	if opt.OnlyMailbox != "" {
		for i := range inv.Mailboxes {
			inv.Mailboxes[i].FullAccess = onlyGrant(inv.Mailboxes[i].FullAccess, opt.OnlyMailbox)
		}
	}
	expect := len(inv.Mailboxes)
	for _, c := range csvs {
		if opt.OnlyMailbox != "" {
			break
		}
		if st, err := os.Stat(c.path); err == nil && c.path != "-" {
			expect += min(int(st.Size()/40), MaxMailboxes)
		}
	}
	src.mailboxRows = make([]rowPos, len(inv.Mailboxes), expect+16)
	for i := range src.mailboxRows {
		src.mailboxRows[i].file = -1
	}
	if cap(inv.Mailboxes) < expect {
		inv.Mailboxes = append(make([]model.Mailbox, 0, expect+16), inv.Mailboxes...)
	}
	if len(csvs) > 0 {
		names := make(map[string]int32, expect)
		for i, m := range inv.Mailboxes {
			names[model.Key(m.Name)] = int32(i)
		}
		for _, c := range csvs {
			src.Files = append(src.Files, c.path)
			f, err := openInput(c.path, opt.Stdin)
			if err != nil {
				if c.pos.File == c.path { // named on the command line: the position names it
					errs.Add(c.pos, "%v", err)
				} else {
					errs.Add(c.pos, "%s: %v", c.path, err)
				}
				src.incomplete = true
				continue
			}
			readMailboxCSV(c.path, c.pos, f, inv, src, names, &errs, opt.OnlyMailbox)
			f.Close()
		}
	}
	return inv, src, errs
}

func openInput(path string, stdin io.Reader) (io.ReadCloser, error) {
	if path == "-" {
		if stdin == nil {
			return nil, fmt.Errorf("no standard input")
		}
		return io.NopCloser(stdin), nil
	}
	f, err := model.OpenFile(path)
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
		return nil, fmt.Errorf("cannot read: %v", unwrapPathError(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file is larger than %d MiB: put mailboxes in a CSV file (mailboxes_csv)", limit>>20)
	}
	return data, nil
}

// parseTOML decodes one file into a positioned tree.
func parseTOML(path string, data []byte) (*table, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if enc := wideEncoding(data); enc != "" {
		return nil, ErrorList{{Pos: Pos{File: path, Line: 1, Col: 1}, Msg: "file is " + enc + ": save it as UTF-8"}}
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
	text := string(data)
	kp, deep, many := scan(path, text)
	if deep != nil {
		return nil, ErrorList{{Pos: *deep, Msg: fmt.Sprintf("nested deeper than the limit of %d levels (tables, arrays, inline tables and dotted keys)", MaxDepth)}}
	}
	if many != nil {
		return nil, ErrorList{{Pos: *many, Msg: fmt.Sprintf("more than %d keys and array elements in one file: put mailboxes in a CSV file (mailboxes_csv), or split the inventory into files", MaxValues)}}
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			// The decoder says it got a NUL where the file ends.
			msg := strings.Replace(pe.Message, `but got '\x00' instead`, "but the file ends", 1)
			if pe.LastKey != "" {
				msg += fmt.Sprintf(" (after key %q)", pe.LastKey)
			}
			// The decoder's line is off by one after a CR LF; its byte
			// offset is right.
			pos := Pos{File: path, Line: max(pe.Position.Line, 1), Col: max(pe.Position.Col, 1)}
			if pe.Position.Start > 0 && pe.Position.Start <= len(data) {
				pos = offsetPos(path, data, pe.Position.Start)
			}
			return nil, ErrorList{{Pos: pos, Msg: "syntax: " + msg}}
		}
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: err.Error()}}
	}
	n := build(raw, nil, kp, Pos{File: path, Line: 1, Col: 1})
	return n.table, nil
}

// wideEncoding names the encoding of text in UTF-32 or UTF-16 (with a
// byte order mark, or starting with an ASCII character), or returns "".
func wideEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xFE\x00\x00")) || bytes.HasPrefix(data, []byte("\x00\x00\xFE\xFF")) || looksUTF32(data):
		return "UTF-32"
	case bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")) || looksUTF16(data):
		return "UTF-16"
	}
	return ""
}

// looksUTF32 reports whether data starts like UTF-32 text without a byte
// order mark: an ASCII character and three zero bytes, in either order.
func looksUTF32(data []byte) bool {
	if len(data) < 4 {
		return false
	}
	ascii := func(b byte) bool { return b != 0 && b < 0x80 }
	return ascii(data[0]) && data[1] == 0 && data[2] == 0 && data[3] == 0 ||
		data[0] == 0 && data[1] == 0 && data[2] == 0 && ascii(data[3])
}

// looksUTF16 reports whether data, without a byte order mark, starts like
// UTF-16 text: an ASCII character next to a zero byte.
func looksUTF16(data []byte) bool {
	if len(data) < 2 {
		return false
	}
	return data[0] != 0 && data[0] < 0x80 && data[1] == 0 || data[0] == 0 && data[1] != 0 && data[1] < 0x80
}

func offsetPos(path string, data []byte, off int) Pos {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return Pos{File: path, Line: line, Col: 1 + utf8.RuneCount(data[start:off])}
}

// csvFields are the mailbox CSV columns (model.MailboxFields).
var csvFields = model.MailboxFields

// readMailboxCSV streams mailbox rows into inv. A row naming a mailbox
// defined by an earlier file overrides that mailbox's fields.
func readMailboxCSV(path string, ref Pos, r io.Reader, inv *model.Inventory, src *Source, names map[string]int32, errs *ErrorList, only string) {
	onlyKey := model.Key(only)
	fileID := int32(len(src.csvFiles))
	src.csvFiles = append(src.csvFiles, path)
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	head, _ := br.Peek(4096)
	switch {
	case wideEncoding(head) != "":
		errs.Add(Pos{File: path, Line: 1, Col: 1}, "file is %s: save it as UTF-8 (in Excel: CSV UTF-8)", wideEncoding(head))
		src.incomplete = true
		return
	case bytes.IndexByte(head, 0) >= 0:
		errs.Add(offsetPos(path, head, bytes.IndexByte(head, 0)), "NUL byte in file: this is not a text file")
		src.incomplete = true
		return
	}
	cr := csv.NewReader(&lineLimiter{r: br, limit: MaxCSVLine})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			errs.Add(Pos{File: path, Line: 1, Col: 1}, "empty mailbox CSV: want a header row %s", strings.Join(csvFields[:], ","))
		} else {
			errs.Add(csvErr(path, ref, err))
		}
		return
	}
	col := make([]int, len(header)) // CSV column → csvFields index, -1 unknown
	seen := map[int]bool{}
	unknown := 0
	var more Pos // the first unknown column not named
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
			// A spreadsheet export may have hundreds of columns: name a
			// few, then count the rest.
			if unknown++; unknown <= maxUnknownColumns {
				errs.Add(Pos{File: path, Line: line, Col: c}, "unknown mailbox CSV column %q: want %s", clip(header[i]), strings.Join(csvFields[:], ", "))
			} else if unknown == maxUnknownColumns+1 {
				more = Pos{File: path, Line: line, Col: c}
			}
		case seen[col[i]]:
			errs.Add(Pos{File: path, Line: line, Col: c}, "duplicate mailbox CSV column %q", header[i])
			col[i] = -1
		default:
			seen[col[i]] = true
		}
	}
	if unknown > maxUnknownColumns {
		errs.Add(more, "… and %d more unknown mailbox CSV columns", unknown-maxUnknownColumns)
	}
	if !seen[0] {
		errs.Add(Pos{File: path, Line: 1, Col: 1}, "mailbox CSV has no name column")
		return
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			errs.Add(csvErr(path, ref, err))
			if errors.Is(err, errLineTooLong) {
				src.incomplete = true
				return
			}
			if len(*errs) > MaxErrors {
				return
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			hint := ""
			if slices.ContainsFunc(rec, func(f string) bool { return strings.Contains(f, "\r") }) {
				hint = " (lines are separated by a carriage return alone: save the file with Windows or Unix line endings)"
			}
			errs.Add(Pos{File: path, Line: line, Col: 1}, "row has %d fields, header has %d%s", len(rec), len(header), hint)
			continue
		}
		var m model.Mailbox
		rp := rowPos{file: fileID, line: int32(line)}
		long := false
		for i, v := range rec {
			if col[i] < 0 {
				continue
			}
			fl, c := cr.FieldPos(i)
			rp.col[col[i]] = int32(c)
			v = strings.TrimSpace(v)
			if !utf8.ValidString(v) {
				// Every row of a file in another encoding has this:
				// report the first.
				errs.Add(Pos{File: path, Line: fl, Col: c}, "invalid UTF-8: save the file as UTF-8 (in Excel: CSV UTF-8)")
				src.incomplete = true
				return
			}
			if n := longestName(v, col[i] == 4); n > MaxName {
				errs.Add(Pos{File: path, Line: fl, Col: c}, "%s is %d characters long: names may have at most %d", csvFields[col[i]], n, MaxName)
				long = true
				continue
			}
			if msg := nameProblem(v); msg != "" {
				errs.Add(Pos{File: path, Line: fl, Col: c}, "%s %s", csvFields[col[i]], msg)
			}
			m.Set(col[i], v)
		}
		if long {
			src.incomplete = true
			continue
		}
		k := model.Key(m.Name)
		if only != "" {
			m.FullAccess = onlyGrant(m.FullAccess, only)
			if k != onlyKey && m.FullAccess == nil {
				continue
			}
		}
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
		if len(inv.Mailboxes) >= maxMailboxes {
			errs.Add(Pos{File: path, Line: line, Col: 1}, "more than %d mailboxes: the limit of an inventory", maxMailboxes)
			src.incomplete = true
			return
		}
		if _, ok := names[k]; !ok {
			names[k] = int32(len(inv.Mailboxes))
		}
		inv.Mailboxes = append(inv.Mailboxes, m)
		src.mailboxRows = append(src.mailboxRows, rp)
	}
}

// onlyGrant reduces a Full Access list to the one user of OnlyMailbox
// (nil when it is not in the list).
func onlyGrant(list []string, user string) []string {
	for _, u := range list {
		if model.Key(u) == model.Key(user) {
			return []string{u}
		}
	}
	return nil
}

// checkOrganization refuses to merge a later file naming another
// organization than the files before it (two customers' inventories given
// together), unless its [organization] declares overlay = true: an overlay
// may rename the organization. The overlay key is consumed here.
func checkOrganization(root, t *table, errs *ErrorList) {
	org, ok := t.m["organization"]
	if !ok || org.table == nil {
		return
	}
	overlay := false
	if o, ok := org.table.m["overlay"]; ok {
		org.table.del("overlay")
		b, isBool := o.val.(bool)
		if !isBool {
			errs.Add(o.pos, "organization.overlay: want true or false, got %s", describe(o))
		}
		overlay = b
	}
	name, ok := org.table.m["name"]
	prev, okPrev := root.m["organization"]
	if !ok || overlay || !okPrev || prev.table == nil {
		return
	}
	pn, ok := prev.table.m["name"]
	if !ok {
		return
	}
	before, _ := pn.val.(string)
	later, _ := name.val.(string)
	if before != "" && later != "" && model.Key(before) != model.Key(later) {
		errs.Add(name.pos, "organization name %q differs from %q (%s): these look like two organizations' inventories; an overlay that renames the organization says overlay = true in its [organization]",
			later, before, pn.pos)
	}
}

// nameProblem returns why v cannot be a name, or "": a name is one line
// of text without control characters (C0, DEL, C1: a terminal may obey
// U+009B as an escape), line or paragraph separators, bidirectional
// controls (U+202E can make "gpj.exe" read as "exe.jpg"), zero-width
// spaces, tag characters or Hangul fillers (invisible, so a name could
// hide in another). Zero-width joiners stay (Persian and Indic names need
// them), so do soft hyphens, variation selectors and the combining
// grapheme joiner: model.Key ignores them all when comparing names.
func nameProblem(v string) string {
	for _, r := range v {
		what := ""
		switch {
		case r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029:
			what = "a line break"
		case r == '\t':
			what = "a tab"
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			what = fmt.Sprintf("the control character U+%04X", r)
		case r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			what = fmt.Sprintf("the bidirectional control U+%04X, which reorders how text is displayed", r)
		case r == 0x200b || r == 0x2060 || r == 0xfeff || r >= 0xe0000 && r <= 0xe007f ||
			r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0 ||
			model.Ignorable(r) && unicode.Is(unicode.Cf, r) && r != 0x200c && r != 0x200d && r != 0xad:
			what = fmt.Sprintf("the invisible character U+%04X", r)
		default:
			continue
		}
		return fmt.Sprintf("%q contains %s: a name is one line of text", clip(v), what)
	}
	return ""
}

// maxUnknownColumns is how many unknown mailbox CSV columns are named
// before the rest are counted.
const maxUnknownColumns = 10

// longestName returns the length in characters of v, or with list of its
// longest ;-separated element.
func longestName(v string, list bool) int {
	if len(v) <= MaxName {
		return 0
	}
	if !list {
		return utf8.RuneCountInString(v)
	}
	n := 0
	for _, u := range strings.Split(v, ";") {
		n = max(n, utf8.RuneCountInString(strings.TrimSpace(u)))
	}
	return n
}

// csvErr positions a problem met reading a mailbox CSV: a CSV problem at
// its line in the file, a read error (the file cannot be read, so it has
// no line to point at) at ref, where the inventory names the file.
func csvErr(path string, ref Pos, err error) (Pos, string, any) {
	if pos := csvErrPos(path, err); pos.Line > 0 {
		return pos, "%s", csvErrMsg(err)
	}
	if ref.File == path { // named on the command line: the position names it
		return ref, "cannot read: %v", unwrapPathError(err)
	}
	return ref, "%s", path + ": cannot read: " + unwrapPathError(err).Error()
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
		if pe.StartLine != pe.Line {
			return fmt.Sprintf("csv: %v (in the row that starts on line %d)", pe.Err, pe.StartLine)
		}
		return "csv: " + pe.Err.Error()
	}
	var le *lineError
	if errors.As(err, &le) {
		return le.Error()
	}
	return err.Error()
}

var errLineTooLong = errors.New("line too long")

// lineError is a CSV line, or a row spread over several lines by quoted
// newlines, longer than the limit.
type lineError struct {
	line  int // where the line or row starts
	row   bool
	limit int
}

func (e *lineError) Error() string {
	if e.row {
		return fmt.Sprintf("row longer than %d KiB: a quoted field runs over many lines (is a closing quote missing?)", e.limit>>10)
	}
	return fmt.Sprintf("line longer than %d KiB: this does not look like a mailbox CSV", e.limit>>10)
}
func (e *lineError) Unwrap() error { return errLineTooLong }

// csvState is where lineLimiter is in the CSV syntax, as far as rows go.
type csvState uint8

const (
	csvFieldStart csvState = iota
	csvUnquoted
	csvQuoted
	csvQuoteInQuoted // a quote inside a quoted field: its end, or "" escaped
	csvBadLine       // a syntax error: encoding/csv resumes at the next line
)

// lineLimiter fails when a line, or a row whose quoted fields span several
// lines, exceeds limit bytes, so a hostile file cannot make the CSV reader
// buffer gigabytes. It follows encoding/csv's quoting to find row ends.
type lineLimiter struct {
	r        io.Reader
	limit    int
	run      int // bytes since the last newline
	line     int // newlines so far
	rowRun   int // bytes since the row started
	rowStart int // line the row starts on, 1-based
	state    csvState
	err      error
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.rowStart == 0 {
		l.rowStart = 1
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		c := p[i]
		switch l.state {
		case csvFieldStart:
			switch c {
			case '"':
				l.state = csvQuoted
			case ',', '\n':
			default:
				l.state = csvUnquoted
			}
		case csvUnquoted:
			switch c {
			case ',':
				l.state = csvFieldStart
			case '"':
				l.state = csvBadLine
			}
		case csvQuoted:
			if c == '"' {
				l.state = csvQuoteInQuoted
			}
		case csvQuoteInQuoted:
			switch c {
			case '"':
				l.state = csvQuoted
			case ',':
				l.state = csvFieldStart
			case '\n', '\r':
			default:
				l.state = csvBadLine
			}
		}
		if c == '\n' {
			l.run = 0
			l.line++
			if l.state != csvQuoted {
				l.state = csvFieldStart
				l.rowRun = 0
				l.rowStart = l.line + 1
			}
			continue
		}
		l.run++
		l.rowRun++
		switch {
		case l.run > l.limit:
			l.err = &lineError{line: l.line + 1, limit: l.limit}
		case l.rowRun > l.limit:
			l.err = &lineError{line: l.rowStart, row: true, limit: l.limit}
		default:
			continue
		}
		return i, l.err
	}
	return n, err
}
