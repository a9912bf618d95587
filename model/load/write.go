package load

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
)

// WriteOptions tune WriteTOML.
type WriteOptions struct {
	// Header is written first as comment lines.
	Header []string
	// MailboxesCSV, when set, names the CSV file the mailboxes go to
	// (written separately with WriteMailboxesCSV) instead of [[mailboxes]].
	MailboxesCSV string
}

// WriteTOML writes inv in the inventory format, omitting empty fields, so
// that Load reads back the same inventory.
func WriteTOML(w io.Writer, inv *model.Inventory, opt WriteOptions) error {
	bw := bufio.NewWriter(w)
	for _, h := range opt.Header {
		fmt.Fprintf(bw, "# %s\n", h)
	}
	if len(opt.Header) > 0 {
		bw.WriteByte('\n')
	}
	if opt.MailboxesCSV != "" {
		fmt.Fprintf(bw, "mailboxes_csv = %s\n\n", quote(opt.MailboxesCSV))
	}
	rv := reflect.ValueOf(inv).Elem()
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		tag := tagName(rt.Field(i))
		if tag == "" || tag == "mailboxes_csv" || (tag == "mailboxes" && opt.MailboxesCSV != "") {
			continue
		}
		fv := rv.Field(i)
		switch fv.Kind() {
		case reflect.Struct:
			writeTable(bw, "["+tag+"]", tag, fv)
		case reflect.Slice:
			for j := 0; j < fv.Len(); j++ {
				writeTable(bw, "[["+tag+"]]", tag, fv.Index(j))
			}
		}
	}
	return bw.Flush()
}

func tagName(f reflect.StructField) string {
	tag := strings.Split(f.Tag.Get("toml"), ",")[0]
	if tag == "-" {
		return ""
	}
	return tag
}

// writeTable writes a table header, its scalar keys, then its sub-tables.
func writeTable(w *bufio.Writer, header, path string, v reflect.Value) {
	t := v.Type()
	var scalars []string
	type sub struct {
		name string
		v    reflect.Value
	}
	var subs []sub
	for i := 0; i < t.NumField(); i++ {
		name := tagName(t.Field(i))
		if name == "" {
			continue
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct {
			if !fv.IsZero() {
				subs = append(subs, sub{name, fv})
			}
			continue
		}
		if s, ok := value(fv); ok {
			scalars = append(scalars, name+" = "+s)
		}
	}
	if len(scalars) == 0 && len(subs) == 0 && !strings.HasPrefix(header, "[[") {
		return
	}
	fmt.Fprintf(w, "%s\n", header)
	for _, s := range scalars {
		fmt.Fprintf(w, "%s\n", s)
	}
	for _, s := range subs {
		p := path + "." + s.name
		writeTable(w, "["+p+"]", p, s.v)
	}
	w.WriteByte('\n')
}

// value renders a scalar, pointer or list; ok is false for zero values.
func value(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "", false
		}
		e := v.Elem()
		switch e.Kind() {
		case reflect.Bool:
			return strconv.FormatBool(e.Bool()), true
		case reflect.Int:
			return strconv.FormatInt(e.Int(), 10), true
		}
		return value(e)
	case reflect.String:
		if v.String() == "" {
			return "", false
		}
		return quote(v.String()), true
	case reflect.Bool:
		return "true", v.Bool()
	case reflect.Int:
		if v.Int() == 0 {
			return "", false
		}
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Slice:
		if v.Len() == 0 {
			return "", false
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = quote(v.Index(i).String())
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	}
	return "", false
}

// quote renders s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// WriteMailboxesCSV writes mailboxes as a mailbox CSV (streamable by Load).
func WriteMailboxesCSV(w io.Writer, mbx []model.Mailbox) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	cw.Write(csvFields[:])
	rec := make([]string, len(csvFields))
	for _, m := range mbx {
		rec[0], rec[1], rec[2], rec[3] = m.Name, m.Database, m.ClientProfile, m.Namespace
		rec[4] = strings.Join(m.FullAccess, ";")
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
