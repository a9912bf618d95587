package load

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coexist/coexist/model"
)

// node is a decoded TOML value that remembers where it was written, so that
// merged inventories still report problems at the right file:line:col.
type node struct {
	pos     Pos
	table   *table  // tables and inline tables
	items   []*node // arrays and arrays of tables
	isArray bool
	val     any // scalars: string, int64, float64, bool, time.Time
}

type table struct {
	keys []string // in source order
	m    map[string]*node
}

func newTable() *table { return &table{m: map[string]*node{}} }

func (t *table) set(k string, n *node) {
	if _, ok := t.m[k]; !ok {
		t.keys = append(t.keys, k)
	}
	t.m[k] = n
}

func (t *table) del(k string) {
	if _, ok := t.m[k]; !ok {
		return
	}
	delete(t.m, k)
	for i, x := range t.keys {
		if x == k {
			t.keys = append(t.keys[:i], t.keys[i+1:]...)
			break
		}
	}
}

// build turns the decoder's generic value into nodes, attaching positions.
func build(v any, path []string, kp keyPositions, fallback Pos) *node {
	p, ok := kp[strings.Join(path, pathSep)]
	if !ok {
		p = fallback
	}
	n := &node{pos: p}
	switch v := v.(type) {
	case map[string]any:
		n.table = newTable()
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sortByPos(keys, path, kp)
		for _, k := range keys {
			n.table.set(k, build(v[k], append(path[:len(path):len(path)], k), kp, p))
		}
	case []map[string]any:
		n.isArray = true
		for i, e := range v {
			n.items = append(n.items, build(e, append(path[:len(path):len(path)], strconv.Itoa(i)), kp, p))
		}
	case []any:
		n.isArray = true
		for i, e := range v {
			n.items = append(n.items, build(e, append(path[:len(path):len(path)], strconv.Itoa(i)), kp, p))
		}
	default:
		n.val = v
	}
	return n
}

// sortByPos sorts the keys of the table at path by where they appear in
// the file (then by name).
func sortByPos(keys []string, path []string, kp keyPositions) {
	// Each key's position is looked up once (joining the path per
	// comparison made 4.7 M unknown keys take minutes).
	prefix := strings.Join(path, pathSep)
	if len(path) > 0 {
		prefix += pathSep
	}
	type keyPos struct {
		key string
		pos Pos
	}
	kps := make([]keyPos, len(keys))
	for i, k := range keys {
		kps[i] = keyPos{k, kp[prefix+k]}
	}
	sort.Slice(kps, func(i, j int) bool {
		a, b := kps[i].pos, kps[j].pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return kps[i].key < kps[j].key
	})
	for i := range kps {
		keys[i] = kps[i].key
	}
}

// identity names the field that identifies an entity of each kind when files
// are merged and when problems are reported.
var identity = map[string]string{
	"sites": "name", "namespaces": "fqdn", "load_balancers": "name", "servers": "name",
	"outlook_providers": "name", "certificates": "thumbprint", "databases": "name",
	"offline_address_books": "name", "client_profiles": "name", "mailboxes": "name",
}

func (n *node) ident(kind string) string {
	if n.table == nil {
		return ""
	}
	id, ok := n.table.m[identity[kind]]
	if !ok {
		return ""
	}
	s, _ := id.val.(string)
	return s
}

// merge adds overlay (a later file's root table) to base. Entities with the
// same identity as one from an earlier file are merged key by key (the
// later file wins; nested tables merge; arrays are replaced). Entities
// repeated within one file are kept twice so validation reports them.
//
// An overlay entity (or [organization]) may list `unset = ["key",
// "table.key", …]`: those keys of the earlier files' entity are removed
// before the overlay's own keys merge, so the value goes back to
// "not recorded". Problems are added to errs at the overlay's position.
func merge(base, overlay *table, errs *ErrorList, src *Source) {
	for _, k := range overlay.keys {
		o := overlay.m[k]
		b, ok := base.m[k]
		switch {
		case !ok:
			base.set(k, o)
		case identity[k] != "" && b.isArray && o.isArray:
			seen := map[string]*node{}
			for _, it := range b.items {
				if id := it.ident(k); id != "" {
					if _, dup := seen[model.Key(id)]; !dup {
						seen[model.Key(id)] = it
					}
				}
			}
			for _, it := range o.items {
				prev := seen[model.Key(it.ident(k))]
				if prev != nil && prev.pos.File != it.pos.File && prev.table != nil && it.table != nil {
					unset := applyUnset(prev.table, it.table, k, errs)
					src.override(it.pos, kindWords(k)+" "+it.ident(k), prev.pos, append(changedKeys(prev.table, it.table, identity[k], ""), unset...))
					idKey := it.table.m[identity[k]]
					it.table.del(identity[k]) // keep the first spelling of the name
					mergeTables(prev.table, it.table)
					it.table.set(identity[k], idKey)
					continue
				}
				b.items = append(b.items, it)
			}
		case b.table != nil && o.table != nil:
			unset := applyUnset(b.table, o.table, k, errs)
			src.override(o.pos, "["+k+"]", b.pos, append(changedKeys(b.table, o.table, "", ""), unset...))
			mergeTables(b.table, o.table)
		default:
			if !sameValue(b, o) {
				src.override(o.pos, k, b.pos, []string{k})
			}
			base.set(k, o)
		}
	}
}

// unsetKey is the overlay key that removes earlier keys.
const unsetKey = "unset"

// applyUnset removes from base the keys overlay's `unset` list names
// (dotted for nested tables) and drops the list from overlay. kind is
// the entity kind ("servers") or "organization". A name that is not a key
// of that kind, an identity key, or a key the overlay also sets is an
// error at the list element.
func applyUnset(base, overlay *table, kind string, errs *ErrorList) (removed []string) {
	n, ok := overlay.m[unsetKey]
	if !ok {
		return nil
	}
	overlay.del(unsetKey)
	if !n.isArray {
		errs.Add(n.pos, "unset: want an array of key names, e.g. unset = [\"outlook_anywhere.iis_authentication_methods\"]")
		return nil
	}
	for _, it := range n.items {
		name, _ := it.val.(string)
		path := strings.Split(name, ".")
		switch {
		case name == "":
			errs.Add(it.pos, "unset: want a key name, got %s", describe(it))
			continue
		case !knownKeyPath(kind, path):
			errs.Add(it.pos, "unset: %q is not a key of %s", clip(name), kindWords(kind))
			continue
		case len(path) == 1 && path[0] == identity[kind]:
			errs.Add(it.pos, "unset: %q identifies the entity and cannot be unset", name)
			continue
		case hasPath(overlay, path):
			errs.Add(it.pos, "unset: %q is also set in this file; unset or set it, not both", name)
			continue
		}
		t := base
		for _, p := range path[:len(path)-1] {
			c, ok := t.m[p]
			if !ok || c.table == nil {
				t = nil
				break
			}
			t = c.table
		}
		if t != nil {
			if _, ok := t.m[path[len(path)-1]]; ok {
				t.del(path[len(path)-1])
				removed = append(removed, "unset "+name)
			}
		}
	}
	return removed
}

func hasPath(t *table, path []string) bool {
	for i, p := range path {
		c, ok := t.m[p]
		if !ok {
			return false
		}
		if i == len(path)-1 {
			return true
		}
		if c.table == nil {
			return false
		}
		t = c.table
	}
	return false
}

// knownKeyPath reports whether path names a field of the entity kind's
// struct (model.Inventory's field with that TOML name), nested tables
// included.
func knownKeyPath(kind string, path []string) bool {
	inv := reflect.TypeOf(model.Inventory{})
	fi, ok := tomlFields(inv)[kind]
	if !ok {
		return false
	}
	t := inv.Field(fi).Type
	if t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	for _, p := range path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		i, ok := tomlFields(t)[p]
		if !ok {
			return false
		}
		t = t.Field(i).Type
	}
	return true
}

func kindWords(kind string) string {
	if kind == "organization" {
		return "[organization]"
	}
	return "[[" + kind + "]]"
}

// changedKeys lists, dotted, the keys of overlay that replace a different
// value in base (skip is the identity key, which never changes). Keys only
// the overlay sets add to base and are not listed.
func changedKeys(base, overlay *table, skip, prefix string) []string {
	var out []string
	for _, k := range overlay.keys {
		if prefix == "" && k == skip {
			continue
		}
		b, ok := base.m[k]
		if !ok {
			continue
		}
		o := overlay.m[k]
		if b.table != nil && o.table != nil {
			out = append(out, changedKeys(b.table, o.table, "", prefix+k+".")...)
			continue
		}
		if !sameValue(b, o) {
			out = append(out, prefix+k)
		}
	}
	return out
}

// sameValue reports whether two parsed values are equal (tables by their
// keys and values, arrays element by element).
func sameValue(a, b *node) bool {
	switch {
	case a.table != nil || b.table != nil:
		if a.table == nil || b.table == nil || len(a.table.keys) != len(b.table.keys) {
			return false
		}
		for _, k := range a.table.keys {
			o, ok := b.table.m[k]
			if !ok || !sameValue(a.table.m[k], o) {
				return false
			}
		}
		return true
	case a.isArray || b.isArray:
		if a.isArray != b.isArray || len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !sameValue(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a.val, b.val)
}

func mergeTables(base, overlay *table) {
	for _, k := range overlay.keys {
		o := overlay.m[k]
		if b, ok := base.m[k]; ok && b.table != nil && o.table != nil {
			mergeTables(b.table, o.table)
			continue
		}
		base.set(k, o)
	}
}

// decoder fills model structs from nodes, collecting errors and recording
// every field's position for validation messages.
type decoder struct {
	errs *ErrorList
	src  *Source
}

// decodeRoot decodes the merged root into v, a pointer to a struct whose
// slice-of-struct fields are arrays of tables (entities by row).
func (d *decoder) decodeRoot(root *table, v any) {
	rv := reflect.ValueOf(v).Elem()
	fields := tomlFields(rv.Type())
	for _, k := range root.keys {
		n := root.m[k]
		fi, ok := fields[k]
		if !ok {
			d.unknown(n.pos, k, "at the top level", rv.Type())
			continue
		}
		fv := rv.Field(fi)
		switch {
		case k == "organization":
			if n.table == nil {
				d.errs.Add(n.pos, "organization must be a table ([organization])")
				continue
			}
			d.src.set(model.Ref{Kind: "organization", Elem: -1}, n.pos)
			d.decodeStruct(n, fv, "organization", 0, "", "[organization]")
		case k == "report":
			if n.table == nil {
				d.errs.Add(n.pos, "report must be a table ([report])")
				continue
			}
			d.src.set(model.Ref{Kind: "report", Elem: -1}, n.pos)
			d.decodeStruct(n, fv, "report", 0, "", "[report]")
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct:
			if !n.isArray {
				d.errs.Add(n.pos, "%s must be an array of tables ([[%s]])", k, k)
				continue
			}
			if limit := entityLimit(k); len(n.items) > limit {
				d.errs.Add(n.items[limit].pos, "more than %d %s: the limit of an inventory", limit, k)
				d.src.incomplete = true
				continue
			}
			// Entries that are not tables are reported and left out, so
			// that they are not also reported as entities without a name.
			items := make([]*node, 0, len(n.items))
			for _, it := range n.items {
				if it.table == nil {
					d.errs.Add(it.pos, "%s entry must be a table, got %s", k, describe(it))
					continue
				}
				items = append(items, it)
			}
			fv.Set(reflect.MakeSlice(fv.Type(), len(items), len(items)))
			for i, it := range items {
				d.src.set(model.Ref{Kind: k, Row: i, Elem: -1}, it.pos)
				where := fmt.Sprintf("[[%s]]", k)
				if id := it.ident(k); id != "" {
					where += fmt.Sprintf(" %q", id)
				} else if identity[k] == "" {
					where += fmt.Sprintf(" #%d", i+1)
				}
				d.decodeStruct(it, fv.Index(i), k, i, "", where)
			}
		default:
			d.decodeValue(n, fv, "", 0, k, k)
		}
	}
}

func (d *decoder) decodeStruct(n *node, rv reflect.Value, kind string, row int, prefix, where string) {
	fields := tomlFields(rv.Type())
	for _, k := range n.table.keys {
		c := n.table.m[k]
		fi, ok := fields[k]
		if !ok {
			d.unknown(c.pos, k, "in "+where, rv.Type())
			continue
		}
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		d.src.set(model.Ref{Kind: kind, Row: row, Field: path, Elem: -1}, c.pos)
		if v, ok := c.val.(string); ok && prefix == "" && (identity[kind] == k || kind == "organization" && k == "name") {
			if n := utf8.RuneCountInString(v); n > MaxName {
				d.errs.Add(c.pos, "%s is %d characters long: names may have at most %d", path, n, MaxName)
				d.src.incomplete = true
				continue
			}
			if msg := nameProblem(v); msg != "" {
				d.errs.Add(c.pos, "%s %s", path, msg)
			}
		}
		d.decodeValue(c, rv.Field(fi), kind, row, path, where)
	}
}

// maxInt bounds integer values: registry values are 32-bit; the room above
// keeps a typo from passing as a number.
const maxInt = 1 << 40

// entityLimit is the most entities of a kind an inventory may hold.
func entityLimit(kind string) int {
	if kind == "mailboxes" {
		return maxMailboxes
	}
	return maxEntities
}

func (d *decoder) decodeValue(n *node, fv reflect.Value, kind string, row int, path, where string) {
	t := fv.Type()
	switch {
	case t.Kind() == reflect.Pointer:
		v := reflect.New(t.Elem())
		if d.decodeValue(n, v.Elem(), kind, row, path, where); true {
			fv.Set(v)
		}
	case t.Kind() == reflect.Struct:
		if n.table == nil {
			d.errs.Add(n.pos, "%s: want a table, got %s", path, describe(n))
			return
		}
		d.decodeStruct(n, fv, kind, row, path, where+" "+path)
	case t.Kind() == reflect.Slice:
		if !n.isArray {
			d.errs.Add(n.pos, "%s: want an array, got %s", path, describe(n))
			return
		}
		fv.Set(reflect.MakeSlice(t, len(n.items), len(n.items)))
		for i, it := range n.items {
			d.src.set(model.Ref{Kind: kind, Row: row, Field: path, Elem: i}, it.pos)
			d.decodeValue(it, fv.Index(i), kind, row, path, where)
		}
	case t.Kind() == reflect.String:
		switch v := n.val.(type) {
		case string:
			if len(v) > MaxString {
				if c := utf8.RuneCountInString(v); c > MaxString {
					d.errs.Add(n.pos, "%s is %d characters long: strings may have at most %d", path, c, MaxString)
					d.src.incomplete = true
					return
				}
			}
			fv.SetString(v)
		case time.Time: // an unquoted TOML date
			if isTimeOfDay(v) {
				d.errs.Add(n.pos, "%s: want a string, got a time of day", path)
				return
			}
			fv.SetString(v.Format("2006-01-02"))
		default:
			d.errs.Add(n.pos, "%s: want a string, got %s", path, describe(n))
		}
	case t.Kind() == reflect.Bool:
		v, ok := n.val.(bool)
		if !ok {
			d.errs.Add(n.pos, "%s: want true or false, got %s", path, describe(n))
			return
		}
		fv.SetBool(v)
	case t.Kind() == reflect.Int:
		v, ok := n.val.(int64)
		if !ok {
			d.errs.Add(n.pos, "%s: want an integer, got %s", path, describe(n))
			return
		}
		if v < -maxInt || v > maxInt {
			d.errs.Add(n.pos, "%s: integer %d is out of range (want -%d to %d)", path, v, maxInt, maxInt)
			return
		}
		fv.SetInt(v)
	default:
		d.errs.Add(n.pos, "%s: unsupported field type %s", path, t)
	}
}

// isTimeOfDay reports whether t is a TOML local time (a time without a
// date): the decoder returns it on 0000-01-01 in its "time-local" zone,
// which tells it from the date 0000-01-01.
func isTimeOfDay(t time.Time) bool {
	return t.Location().String() == "time-local"
}

// clip shortens s to at most 40 characters for a message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	n := 0
	for i := range s {
		if n == 40 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

func describe(n *node) string {
	switch {
	case n.table != nil:
		return "a table"
	case n.isArray:
		return "an array"
	}
	switch v := n.val.(type) {
	case string:
		return fmt.Sprintf("string %q", clip(v))
	case int64:
		return fmt.Sprintf("integer %d", v)
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return fmt.Sprintf("the decimal number %.1f", v)
		}
		return fmt.Sprintf("the decimal number %g", v)
	case bool:
		return fmt.Sprintf("boolean %t", v)
	case time.Time:
		if isTimeOfDay(v) {
			return "a time of day"
		}
		return "a date"
	}
	return fmt.Sprintf("%T", n.val)
}

func (d *decoder) unknown(p Pos, key, where string, t reflect.Type) {
	msg := fmt.Sprintf("unknown key %q %s", clip(key), where)
	if s := suggest(key, t); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	d.errs.Add(p, "%s", msg)
}

// suggest returns the known field name closest to key, if it is close.
func suggest(key string, t reflect.Type) string {
	best, bestD := "", 3
	key = strings.ToLower(key)
	for name := range tomlFields(t) {
		if abs(len(key)-len(name)) > bestD {
			continue // the distance is at least the difference in length
		}
		if dd := distance(key, name); dd < bestD || dd == bestD && name < best {
			best, bestD = name, dd
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

var fieldCache sync.Map // reflect.Type → map[string]int

// tomlFields maps a struct's toml tag names to field indexes.
func tomlFields(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("toml")
		if tag == "" || tag == "-" {
			continue
		}
		m[strings.Split(tag, ",")[0]] = i
	}
	fieldCache.Store(t, m)
	return m
}
