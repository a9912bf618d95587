package exchimport

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
)

// dropLongStrings clears every string of inv longer than the inventory
// format allows (load.MaxString characters), so that the written
// inventory loads again, and notes each with where it was: an export can
// hold a 200 MB Edition, which "coexist validate" would then reject
// without saying it came from the import.
func (im *importer) dropLongStrings(inv *model.Inventory) {
	found := func(where string, n int) {
		im.note("%s is %d characters long (an inventory string holds at most %d): left out", where, n, load.MaxString)
	}
	// Mailboxes, up to millions, are checked without reflection.
	mbx := inv.Mailboxes
	inv.Mailboxes = nil
	walkLong(reflect.ValueOf(inv).Elem(), func() string { return "" }, found)
	inv.Mailboxes = mbx
	for i := range mbx {
		m := &mbx[i]
		long := len(m.Name) > load.MaxString || len(m.Database) > load.MaxString || len(m.ClientProfile) > load.MaxString || len(m.Namespace) > load.MaxString
		for _, u := range m.FullAccess {
			long = long || len(u) > load.MaxString
		}
		if long {
			walkLong(reflect.ValueOf(m).Elem(), func() string { return "mailboxes " + elemName(reflect.ValueOf(*m), i) }, found)
		}
	}
}

// walkLong calls found for each string under v longer than
// load.MaxString, after clearing it (a list loses the element). where
// names v the way the inventory does (`servers "EX01" edition`); it is
// built only for a string found, so that millions of mailboxes cost no
// names.
func walkLong(v reflect.Value, where func() string, found func(where string, n int)) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); len(s) > load.MaxString {
			if n := utf8.RuneCountInString(s); n > load.MaxString {
				v.SetString("")
				found(where(), n)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			walkLong(v.Elem(), where, found)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if !f.IsExported() || key == "-" || key == "" {
				continue
			}
			walkLong(v.Field(i), func() string { return strings.TrimSpace(where() + " " + key) }, found)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			kept := v.Slice(0, 0)
			for i := 0; i < v.Len(); i++ {
				e := v.Index(i)
				if len(e.String()) > load.MaxString && utf8.RuneCountInString(e.String()) > load.MaxString {
					found(where(), utf8.RuneCountInString(e.String()))
					continue
				}
				kept = reflect.Append(kept, e)
			}
			if kept.Len() != v.Len() {
				v.Set(kept)
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			walkLong(e, func() string { return where() + " " + elemName(e, i) }, found)
		}
	}
}

// elemName names a list element by its name field, else by its number.
func elemName(e reflect.Value, i int) string {
	if e.Kind() == reflect.Struct {
		if n := e.FieldByName("Name"); n.IsValid() && n.Kind() == reflect.String && n.Len() > 0 && n.Len() <= 200 {
			return fmt.Sprintf("%q", n.String())
		}
	}
	return fmt.Sprintf("#%d", i+1)
}
