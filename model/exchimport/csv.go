package exchimport

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
	"unicode/utf16"
	"unicode/utf8"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/clixml"
)

// maxCSVLine is the longest CSV line accepted.
const maxCSVLine = 64 << 10

// maxCSVErrors is how many problems one CSV file reports before it is
// abandoned.
const maxCSVErrors = 20

func (im *importer) readCSVFile(p string) {
	f, err := model.OpenFile(p)
	if err != nil {
		im.addFile(im.relPath(p))
		im.errs = append(im.errs, clixml.Error{Pos: clixml.Pos{File: p}, Msg: "cannot read: " + unwrapPath(err).Error()})
		return
	}
	if msg := tooLarge(p, MaxCSVSize); msg != "" {
		f.Close()
		im.addFile(im.relPath(p))
		im.errs = append(im.errs, clixml.Error{Pos: clixml.Pos{File: p}, Msg: msg})
		return
	}
	defer f.Close()
	im.readCSV(p, f)
}

// textReader returns r's text as UTF-8: UTF-8 with or without a
// byte-order mark, or UTF-16 little- or big-endian with a mark (what
// Export-Csv -Encoding Unicode writes) or without one when the text starts
// with an ASCII character.
func textReader(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		br.Discard(2)
		return &utf16Reader{r: br}
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		br.Discard(2)
		return &utf16Reader{r: br, big: true}
	case len(head) >= 2 && head[0] != 0 && head[0] < 0x80 && head[1] == 0:
		return &utf16Reader{r: br}
	case len(head) >= 2 && head[0] == 0 && head[1] != 0 && head[1] < 0x80:
		return &utf16Reader{r: br, big: true}
	}
	return br
}

// utf16Reader converts UTF-16 to UTF-8; a lone surrogate or a trailing odd
// byte becomes U+FFFD.
type utf16Reader struct {
	r       *bufio.Reader
	big     bool
	pend    []byte
	next    rune // a unit read ahead while looking for a low surrogate
	hasNext bool
	err     error
}

func (u *utf16Reader) unit() (rune, error) {
	if u.hasNext {
		u.hasNext = false
		return u.next, nil
	}
	var b [2]byte
	n, err := io.ReadFull(u.r, b[:])
	if err != nil {
		if n == 1 {
			return utf8.RuneError, nil
		}
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		return 0, err
	}
	if u.big {
		return rune(b[0])<<8 | rune(b[1]), nil
	}
	return rune(b[1])<<8 | rune(b[0]), nil
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.pend) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		for i := 0; i < 4096; i++ {
			r, err := u.unit()
			if err != nil {
				u.err = err
				break
			}
			if r >= 0xD800 && r < 0xDC00 {
				r2, err := u.unit()
				switch {
				case err != nil:
					u.err = err
					r = utf8.RuneError
				case r2 >= 0xDC00 && r2 < 0xE000:
					r = utf16.DecodeRune(r, r2)
				default:
					u.next, u.hasNext = r2, true
					r = utf8.RuneError
				}
			} else if r >= 0xDC00 && r < 0xE000 {
				r = utf8.RuneError
			}
			u.pend = utf8.AppendRune(u.pend, r)
			if u.err != nil {
				break
			}
		}
	}
	n := copy(p, u.pend)
	u.pend = u.pend[n:]
	return n, nil
}

var errLineTooLong = errors.New("line too long")

// lineError is a line longer than the limit.
type lineError struct{ line, limit int }

func (e *lineError) Error() string {
	return fmt.Sprintf("line longer than %d KiB: this is not a CSV file", e.limit>>10)
}
func (e *lineError) Unwrap() error { return errLineTooLong }

// lineLimiter fails when a line exceeds limit bytes, so that a file that is
// not a CSV cannot make the CSV reader buffer without bound.
type lineLimiter struct {
	r     io.Reader
	limit int
	run   int
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
		if l.run++; l.run > l.limit {
			return i, &lineError{line: l.line + 1, limit: l.limit}
		}
	}
	return n, err
}

// csvFile reads one CSV file, reporting problems at file:line:col.
type csvFile struct {
	im   *importer
	path string
	rel  string
	cr   *csv.Reader
	nerr int
	stop bool
}

func (c *csvFile) errorf(line, col int, format string, args ...any) {
	c.nerr++
	if c.nerr > maxCSVErrors {
		c.stop = true
		c.im.errs = append(c.im.errs, clixml.Error{Pos: clixml.Pos{File: c.path, Line: line, Col: col}, Msg: "too many errors"})
		return
	}
	c.im.errs = append(c.im.errs, clixml.Error{Pos: clixml.Pos{File: c.path, Line: line, Col: col}, Msg: fmt.Sprintf(format, args...)})
}

// read returns the next record with its line, nil at the end or after a
// fatal problem; records that fail to parse are reported and skipped.
func (c *csvFile) read() ([]string, int) {
	for !c.stop {
		rec, err := c.cr.Read()
		if err == io.EOF {
			return nil, 0
		}
		if err != nil {
			var pe *csv.ParseError
			var le *lineError
			switch {
			case errors.As(err, &le):
				c.errorf(le.line, 1, "%v", le)
				c.stop = true
			case errors.As(err, &pe):
				c.errorf(pe.Line, pe.Column, "csv: %v", pe.Err)
				if errors.Is(err, errLineTooLong) {
					c.stop = true
				}
			default:
				c.errorf(0, 0, "%v", err)
				c.stop = true
			}
			continue
		}
		line, _ := c.cr.FieldPos(0)
		for i, f := range rec {
			if !utf8.ValidString(f) {
				_, col := c.cr.FieldPos(i)
				c.errorf(line, col, "not UTF-8 text: save the CSV as UTF-8 or UTF-16 (Export-Csv -Encoding UTF8)")
				c.stop = true
				return nil, 0
			}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		return rec, line
	}
	return nil, 0
}

// readCSV recognises a CSV file by its header and reads it: the URL
// inventory CSV, a mailbox list, or the collector's manifest.
func (im *importer) readCSV(p string, r io.Reader) {
	rel := im.relPath(p)
	fr := im.addFile(rel)
	cr := csv.NewReader(&lineLimiter{r: textReader(r), limit: maxCSVLine})
	cr.FieldsPerRecord = -1
	c := &csvFile{im: im, path: p, rel: rel, cr: cr}
	header, _ := c.read()
	if len(header) == 1 && strings.HasPrefix(strings.TrimSpace(header[0]), "#TYPE") {
		header, _ = c.read() // Export-Csv without -NoTypeInformation
	}
	if header == nil {
		if c.nerr == 0 {
			im.note("%s: empty CSV: skipped", rel)
		}
		return
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	}
	var rows int
	switch {
	case urlHeader(header):
		fr.Kind = kURLCSV.String()
		rows = im.readURLCSV(c, header)
	case mailboxHeader(header):
		fr.Kind = kMailboxCSV.String()
		im.rep.MailboxesCSV = append(im.rep.MailboxesCSV, p)
		rows = im.readMailboxCSV(c, header)
	case manifestHeader(header):
		fr.Kind = kManifest.String()
		rows = im.readManifest(c, header)
	default:
		im.note("%s: CSV header %q is neither the URL inventory, a mailbox list (name,database) nor a collector manifest: skipped", rel, strings.Join(header, ","))
		return
	}
	im.recognised = true
	fr.Objects = rows
}

// normCol folds a column name: lower-case letters and digits only, with the
// community script's "Exernal" spelled right.
func normCol(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return strings.ReplaceAll(b.String(), "exernal", "external")
}

// URL CSV columns.
const (
	ucIgnore = iota
	ucName
	ucVersion
	ucSCP
	ucOAInternal
	ucOAExternal
	ucURL // ucURL + index into urlCols
)

// urlCols are the virtual directory URL columns, as normCol folds them.
var urlCols = []struct {
	col   string
	k     kind
	field string
}{
	{"easinternalurl", kEAS, "internal_url"}, {"easexternalurl", kEAS, "external_url"},
	{"oabinternalurl", kOAB, "internal_url"}, {"oabexternalurl", kOAB, "external_url"},
	{"owainternalurl", kOWA, "internal_url"}, {"owaexternalurl", kOWA, "external_url"},
	{"ecpinternalurl", kECP, "internal_url"}, {"ecpexternalurl", kECP, "external_url"},
	{"ewsinternalurl", kEWS, "internal_url"}, {"ewsexternalurl", kEWS, "external_url"},
	{"mapiinternalurl", kMAPI, "internal_url"}, {"mapiexternalurl", kMAPI, "external_url"},
}

func urlColumn(h string) int {
	n := normCol(h)
	switch {
	case n == "servername":
		return ucName
	case n == "serverversion":
		return ucVersion
	case n == "autodiscuri" || n == "autodiscoverserviceinternaluri":
		return ucSCP
	case strings.HasPrefix(n, "outlookanywhereinternalhostname"):
		return ucOAInternal
	case strings.HasPrefix(n, "outlookanywhereexternalhostname"):
		return ucOAExternal
	}
	for i, u := range urlCols {
		if n == u.col {
			return ucURL + i
		}
	}
	return ucIgnore
}

func urlHeader(h []string) bool {
	name, urls := false, 0
	for _, c := range h {
		switch k := urlColumn(c); {
		case k == ucName:
			name = true
		case k >= ucURL:
			urls++
		}
	}
	return name && urls >= 2
}

// urlValue cleans a URL CSV cell: "None", "$null" and empty are unset.
func urlValue(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "none", "$null", "null", "n/a":
		return ""
	}
	return s
}

// readURLCSV maps the community URL inventory: one row per Client Access
// server. CLIXML data read before wins; the CSV fills what is unset.
func (im *importer) readURLCSV(c *csvFile, header []string) int {
	cols := make([]int, len(header))
	nameCol := -1
	for i, h := range header {
		cols[i] = urlColumn(h)
		if cols[i] == ucName && nameCol < 0 {
			nameCol = i
		}
	}
	rows := 0
	for {
		rec, line := c.read()
		if rec == nil {
			return rows
		}
		rows++
		if rows > MaxURLRows {
			c.errorf(line, 1, "more than %d rows: a URL inventory has one row per server", MaxURLRows)
			return rows
		}
		if len(rec) != len(header) {
			c.errorf(line, 1, "row has %d fields, header has %d", len(rec), len(header))
			continue
		}
		name := strings.TrimSpace(rec[nameCol])
		if name == "" {
			im.note("%s:%d: row without a ServerName: skipped", c.rel, line)
			continue
		}
		a := im.findServer(name)
		if a == nil {
			a = im.addServer(name)
		}
		src := fmt.Sprintf("%s:%d", c.rel, line)
		for i, v := range rec {
			v = urlValue(v)
			if v == "" {
				continue
			}
			switch k := cols[i]; {
			case k == ucVersion:
				if _, err := model.ParseBuild(v); err != nil {
					im.note("%s: %s ServerVersion: %v: left unset", src, a.s.Name, err)
				} else {
					im.setStr(a, "version", &a.s.Version, v, src)
				}
			case k == ucSCP:
				im.setStr(a, "auto_discover_service_internal_uri", &a.s.AutoDiscoverServiceInternalURI, v, src)
			case k == ucOAInternal:
				im.setStr(a, "outlook_anywhere.internal_hostname", &a.s.OutlookAnywhere.InternalHostname, v, src)
			case k == ucOAExternal:
				im.setStr(a, "outlook_anywhere.external_hostname", &a.s.OutlookAnywhere.ExternalHostname, v, src)
			case k >= ucURL:
				u := urlCols[k-ucURL]
				vd := vdirField(&a.s, u.k)
				dst := &vd.InternalURL
				if u.field == "external_url" {
					dst = &vd.ExternalURL
				}
				im.setStr(a, vdirKinds[u.k]+"."+u.field, dst, v, src)
				a.seen[u.k] = true
			}
		}
		if oa := &a.s.OutlookAnywhere; oa.ExternalHostname != "" || oa.InternalHostname != "" {
			oa.Enabled = true
			a.seen[kOutlookAnywhere] = true
		}
		if a.s.AutoDiscoverServiceInternalURI != "" {
			a.seen[kClientAccess] = true
		}
	}
}

// mailboxCols are the mailbox CSV columns load reads.
var mailboxCols = model.MailboxFields[:]

func mailboxColumn(h string) int {
	h = strings.ToLower(strings.TrimSpace(h))
	for i, c := range mailboxCols {
		if h == c || normCol(h) == strings.ReplaceAll(c, "_", "") {
			return i
		}
	}
	return -1
}

func mailboxHeader(h []string) bool {
	name, db := false, false
	for _, c := range h {
		switch mailboxColumn(c) {
		case 0:
			name = true
		case 1:
			db = true
		}
	}
	return name && db
}

// readMailboxCSV reads a mailbox list such as collect.ps1's mailboxes.csv.
func (im *importer) readMailboxCSV(c *csvFile, header []string) int {
	cols := make([]int, len(header))
	var ignored []string
	for i, h := range header {
		cols[i] = mailboxColumn(h)
		if cols[i] < 0 {
			ignored = append(ignored, h)
		}
	}
	if len(ignored) > 0 {
		im.note("%s: columns %s ignored (a mailbox CSV has %s)", c.rel, strings.Join(ignored, ", "), strings.Join(mailboxCols, ", "))
	}
	rows := 0
	for {
		rec, line := c.read()
		if rec == nil {
			return rows
		}
		rows++
		if len(rec) != len(header) {
			c.errorf(line, 1, "row has %d fields, header has %d", len(rec), len(header))
			continue
		}
		var m model.Mailbox
		for i, v := range rec {
			v = strings.TrimSpace(v)
			m.Set(cols[i], v)
		}
		im.addMailbox(m, fmt.Sprintf("%s:%d", c.rel, line))
	}
}

func manifestHeader(h []string) bool {
	cmdlet, status := false, false
	for _, c := range h {
		switch normCol(c) {
		case "cmdlet":
			cmdlet = true
		case "status":
			status = true
		}
	}
	return cmdlet && status
}

// readManifest turns the collector's manifest into notes: cmdlets it
// skipped or that failed, and files it wrote that are missing.
func (im *importer) readManifest(c *csvFile, header []string) int {
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[normCol(h)]; !dup {
			col[normCol(h)] = i
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	base := filepath.Dir(c.path)
	rows := 0
	for {
		rec, _ := c.read()
		if rec == nil {
			return rows
		}
		rows++
		cmdlet, server, status := get(rec, "cmdlet"), get(rec, "server"), strings.ToLower(get(rec, "status"))
		where := cmdlet
		if server != "" {
			where += " on " + server
		}
		switch status {
		case "ok", "":
			if f := get(rec, "file"); f != "" {
				p := filepath.Join(base, filepath.FromSlash(strings.ReplaceAll(f, `\`, "/")))
				if _, err := os.Stat(p); err != nil {
					im.note("collector: %s wrote %s, which is missing here", where, f)
				}
			}
		case "info":
		default:
			msg := "collector: " + where + " " + status
			if reason := get(rec, "reason"); reason != "" {
				msg += ": " + reason
			}
			im.note("%s", msg)
		}
	}
}
