package xlsx

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The Connectivity sheets hold one row per user and location: millions of
// rows whose cells, but for the user name, repeat for every user of a
// cohort. Writing them cell by cell through excelize's StreamWriter costs
// seconds per million rows (cell names, escaping, value conversion), so
// the rows are generated here instead, from XML fragments built once per
// cohort and location, in exactly the form the StreamWriter writes them.
//
// excelize streams each Connectivity sheet with its header and a marker
// row; sortedZip keeps that small part and, when it stores the part in the
// archive, replaces the marker row with the generated rows as it
// compresses them straight to the output. Only a few hundred kilobytes of
// XML are held at a time, whatever the number of rows.

// connRows generates the data rows of the Connectivity sheets.
type connRows struct {
	// marker starts the text of the marker row of each sheet, followed by
	// the sheet's index into connSheets and a full stop. It holds a random
	// nonce, so no inventory text can forge it; the marker row never
	// reaches the output.
	marker string
	// per is the number of data rows a sheet holds.
	per int
	// locs is the number of rows per user (client locations).
	locs int
	// users are the mailbox rows with a cohort, in sheet order, and
	// cohort their cohort indexes (into tmpl).
	users  []int32
	cohort []int32
	// name returns the name of the mailbox in row.
	name func(row int32) string
	// textStyle is the style of the user name cell.
	textStyle int
	// tmpl is the row template per cohort and location.
	tmpl [][]rowTmpl
	// colPrefix[i] starts the cell of column i+1 (colPrefixes).
	colPrefix [][]byte
	// done records the sheets whose rows were written.
	done []bool
}

// rowTmpl is the XML of a row but for its number and the user name cell:
// attrs follows `<row r="N`, cells[i] follows `<c r="` + column + N for
// the i-th cell from column B on.
type rowTmpl struct {
	attrs []byte
	cells [][]byte
}

func newMarker() (string, error) {
	var nonce [12]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return "", err
	}
	return "coexist-rows-" + hex.EncodeToString(nonce[:]) + "-", nil
}

// rowAttrs returns the XML from the end of the row number to the end of
// the row's start tag, as the StreamWriter writes RowOpts{Height: height}.
func rowAttrs(height float64) []byte {
	b := []byte{'"'}
	if height > 0 {
		b = append(b, ` ht="`...)
		b = strconv.AppendFloat(b, height, 'f', -1, 64)
		b = append(b, `" customHeight="1"`...)
	}
	return append(b, '>')
}

// cellTail returns the XML of a cell from the end of its reference on, as
// the StreamWriter writes excelize.Cell{StyleID: style, Value: v}; v is a
// string (a literal inline string, never a formula) or an int.
func cellTail(dst []byte, style int, v any) []byte {
	dst = append(dst, '"')
	if style != 0 {
		dst = append(dst, ` s="`...)
		dst = strconv.AppendInt(dst, int64(style), 10)
		dst = append(dst, '"')
	}
	switch v := v.(type) {
	case int:
		dst = append(dst, `><v>`...)
		dst = strconv.AppendInt(dst, int64(v), 10)
		return append(dst, `</v></c>`...)
	case string:
		text, preserve := inlineText(v)
		dst = append(dst, ` t="inlineStr"><is><t`...)
		if preserve {
			dst = append(dst, ` xml:space="preserve"`...)
		}
		dst = append(dst, '>')
		dst = append(dst, text...)
		return append(dst, `</t></is></c>`...)
	}
	panic(fmt.Sprintf("xlsx: unsupported cell value %T", v))
}

// inlineText returns the text of an inline string cell holding s, escaped
// for XML exactly as excelize escapes it: cut to the 32,767 characters a
// cell holds, XML special characters escaped (line feeds kept), characters
// XML cannot hold replaced by U+FFFD, and "_xHHHH_" sequences escaped so
// they are not read as encoded characters. preserve reports whether the
// text starts or ends with white space, which needs xml:space="preserve".
func inlineText(s string) (text string, preserve bool) {
	if plainText(s) {
		return s, false
	}
	if len(s) > excelize.TotalCellChars {
		s = truncateUTF16(s, excelize.TotalCellChars)
	}
	if s == "" {
		return "", false
	}
	switch s[0] {
	case 9, 10, 13, 32:
		preserve = true
	}
	switch s[len(s)-1] {
	case 9, 10, 13, 32:
		preserve = true
	}
	var buf strings.Builder
	_ = xml.EscapeText(&buf, []byte(s))
	return bstrMarshal(strings.ReplaceAll(buf.String(), "&#xA;", "\n")), preserve
}

// plainText reports whether s is its own escaped text: printable ASCII
// without XML special characters, white space at its ends or "_x", short
// enough for a cell.
func plainText(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > excelize.TotalCellChars || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f:
			return false
		case c == '&' || c == '<' || c == '>' || c == '"' || c == '\'':
			return false
		case c == '_' && i+1 < len(s) && s[i+1] == 'x':
			return false
		}
	}
	return true
}

// truncateUTF16 cuts s to at most n UTF-16 code units, as excelize does.
func truncateUTF16(s string, n int) string {
	cnt := 0
	for i, r := range s {
		if r >= 0x10000 {
			cnt += 2
		} else {
			cnt++
		}
		if cnt > n {
			return s[:i]
		}
	}
	return s
}

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal escapes "_xHHHH_" sequences of s as excelize's (unexported)
// function of the same name does, so the text reads back unchanged.
func bstrMarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var result strings.Builder
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result.WriteString(s[cursor:match[0]])
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				if _, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`); err == nil {
					result.WriteString(subStr + "x005F" + subStr)
					continue
				}
			}
			result.WriteString(subStr + "x005F_")
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
				result.WriteString("_x005F" + subStr)
				continue
			}
		}
	}
	if cursor < l {
		result.WriteString(s[cursor:])
	}
	return result.String()
}

// colPrefixes returns, for each of n columns, the start of its cell in a
// row: `<c r="A`.
func colPrefixes(n int) ([][]byte, error) {
	out := make([][]byte, n)
	for i := range out {
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return nil, err
		}
		out[i] = []byte(`<c r="` + name)
	}
	return out, nil
}

// rows returns the number of data rows of the Connectivity sheets.
func (c *connRows) rows() int { return len(c.users) * c.locs }

// sheetRows returns the number of data rows of Connectivity sheet k.
func (c *connRows) sheetRows(k int) int {
	return max(0, min(c.per, c.rows()-k*c.per))
}

// marked is where a worksheet part holds the marker row of Connectivity
// sheet k: part[start:end] is the row to replace.
type marked struct{ k, start, end int }

// find locates the marker row in part, a worksheet's XML. It reports
// whether part has one, and claims the sheet so no other part gets its
// rows.
func (c *connRows) find(part []byte) (marked, bool, error) {
	at := bytes.Index(part, []byte(c.marker))
	if at < 0 {
		return marked{}, false, nil
	}
	rest := part[at+len(c.marker):]
	dot := bytes.IndexByte(rest, '.')
	k, err := strconv.Atoi(string(rest[:max(dot, 0)]))
	if dot < 0 || err != nil || k < 0 || k >= len(c.done) {
		return marked{}, false, errors.New("malformed Connectivity marker")
	}
	start := bytes.LastIndex(part[:at], []byte("<row "))
	end := bytes.Index(rest, []byte("</row>"))
	if start < 0 || end < 0 {
		return marked{}, false, errors.New("malformed Connectivity marker row")
	}
	end += at + len(c.marker) + len("</row>")
	if bytes.Contains(part[end:], []byte(c.marker)) {
		return marked{}, false, errors.New("duplicate Connectivity marker")
	}
	if c.done[k] {
		return marked{}, false, fmt.Errorf("Connectivity sheet %d written twice", k+1)
	}
	c.done[k] = true
	return marked{k, start, end}, true, nil
}

// splice writes part to w with its marker row m replaced by the sheet's
// rows.
func (c *connRows) splice(part []byte, m marked, w io.Writer) error {
	if _, err := w.Write(part[:m.start]); err != nil {
		return err
	}
	if err := c.write(m.k, w); err != nil {
		return err
	}
	_, err := w.Write(part[m.end:])
	return err
}

// write writes the data rows of Connectivity sheet k to w.
func (c *connRows) write(k int, w io.Writer) error {
	const chunk = 256 << 10
	buf := make([]byte, 0, chunk+8<<10)
	var num, name []byte
	nameOf := -1
	from := k * c.per
	for g, r := from, 2; g < from+c.sheetRows(k); g, r = g+1, r+1 {
		u, li := g/c.locs, g%c.locs
		if u != nameOf {
			name = cellTail(name[:0], c.textStyle, c.name(c.users[u]))
			nameOf = u
		}
		t := &c.tmpl[c.cohort[u]][li]
		num = strconv.AppendInt(num[:0], int64(r), 10)
		buf = append(buf, `<row r="`...)
		buf = append(buf, num...)
		buf = append(buf, t.attrs...)
		buf = append(buf, c.colPrefix[0]...)
		buf = append(buf, num...)
		buf = append(buf, name...)
		for i, cell := range t.cells {
			buf = append(buf, c.colPrefix[i+1]...)
			buf = append(buf, num...)
			buf = append(buf, cell...)
		}
		buf = append(buf, `</row>`...)
		if len(buf) >= chunk {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return err
}

// check reports an error unless every Connectivity sheet with rows got
// them.
func (c *connRows) check() error {
	for k, done := range c.done {
		if !done {
			return fmt.Errorf("xlsx: rows of Connectivity sheet %d not written", k+1)
		}
	}
	return nil
}
