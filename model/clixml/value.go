package clixml

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind says what sort of data a Value holds and so which of its fields are
// meaningful.
type Kind uint8

const (
	// Invalid is the zero Kind; Read never produces it.
	Invalid Kind = iota
	// Nil is the null value, <Nil/>.
	Nil
	// String is text in Str: S, C (the character), G (a GUID), URI,
	// Version, SemanticVersion, XD (an XML document) and SBK (a script
	// block).
	String
	// Bool is B; see Bool.
	Bool
	// Int is a signed integer, SB, I16, I32 or I64; see Int.
	Int
	// Uint is an unsigned integer, By, U16, U32 or U64; see Uint.
	Uint
	// Float is Sg, Db or D (decimal); see Float. Str keeps the exact text,
	// which matters for decimals.
	Float
	// DateTime is DT; see Time.
	DateTime
	// Duration is TS; see Dur.
	Duration
	// Bytes is BA; see Bytes.
	Bytes
	// SecureString is SS. Str holds the serialized (encrypted) text
	// unchanged; this package does not try to decrypt it.
	SecureString
	// Object is an Obj with properties and no primitive or collection
	// content.
	Object
	// List is LST, IE, QUE or STK; see Items.
	List
	// Dict is DCT; see Entries.
	Dict
	// Other is an element this package does not know; Str holds its text.
	Other
)

var kindNames = [...]string{
	Invalid: "Invalid", Nil: "Nil", String: "String", Bool: "Bool", Int: "Int",
	Uint: "Uint", Float: "Float", DateTime: "DateTime", Duration: "Duration",
	Bytes: "Bytes", SecureString: "SecureString", Object: "Object", List: "List",
	Dict: "Dict", Other: "Other",
}

// String returns the Kind's name, such as "Int".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one deserialized CLIXML value: a primitive, an Obj, or a
// collection. Kind says which fields hold the data; an Obj can carry type
// names and properties whatever its Kind (an enum is an Obj of Kind Int with
// ToString text in Str).
//
// Values reached through a Ref are the same pointer as the Obj they name,
// so the values of a document form an acyclic graph, not a tree; followed
// through Refs it is no deeper than MaxDepth. Treat
// Values and their slices as read-only: Types slices are shared by every Obj
// that names the same TN.
type Value struct {
	Kind Kind
	// Tag is the element that carried the data: a primitive such as "S"
	// or "I32", a collection such as "LST" or "DCT", or "Obj" for an Obj
	// with properties only. For an Obj with content it is the content's
	// element, so an enum's Tag is "I32". The Nil read in place of a Ref
	// that could not be resolved has Tag "Ref".
	Tag string
	// Str is the text: the element text of a primitive (with _xHHHH_
	// escapes decoded for S, URI, XD and SBK; the character itself for C),
	// or an Obj's ToString (its content's text when it has none). Empty
	// for Bytes; see String.
	Str   string
	Int   int64         // Kind Int
	Uint  uint64        // Kind Uint
	Float float64       // Kind Float
	Bool  bool          // Kind Bool
	Time  time.Time     // Kind DateTime, when the text parses; a time without zone is taken as UTC
	Dur   time.Duration // Kind Duration, saturated at the limits of time.Duration
	Bytes []byte        // Kind Bytes
	// Types are the Obj's type names from TN or TNRef, most derived first.
	Types []string
	// RefID is the Obj's RefId attribute.
	RefID string
	// Props are the Obj's properties in document order: those of Props
	// (adapted) and of MS (extended), told apart by Prop.Extended.
	Props   []Prop
	Items   []*Value // Kind List
	Entries []Entry  // Kind Dict
	// Pos is where the element starts: the Obj for a value reached
	// through a Ref.
	Pos Pos

	below int // levels of values under this one, to bound Refs
}

// Prop is a named property of an Obj.
type Prop struct {
	Name  string
	Value *Value
	// Extended is true for a member of MS (an extended or instance member
	// such as PSComputerName) and false for one of Props (an adapted
	// property of the .NET object).
	Extended bool
}

// Entry is one key/value pair of a DCT.
type Entry struct {
	Key, Value *Value
}

// Get returns the property called name, matching without regard to case as
// PowerShell does. When an Obj has the name among both its extended (MS)
// and adapted (Props) properties, the extended one wins, as it does for a
// deserialized object in PowerShell. Get returns nil when v is nil or has no
// such property, so calls can be chained.
func (v *Value) Get(name string) *Value {
	if v == nil {
		return nil
	}
	var adapted *Value
	for i := range v.Props {
		p := &v.Props[i]
		if !strings.EqualFold(p.Name, name) {
			continue
		}
		if p.Extended {
			return p.Value
		}
		if adapted == nil {
			adapted = p.Value
		}
	}
	return adapted
}

// Key returns the value of the dictionary entry whose key's String equals
// key, ignoring case as a PowerShell hashtable does, or nil.
func (v *Value) Key(key string) *Value {
	if v == nil {
		return nil
	}
	for _, e := range v.Entries {
		if strings.EqualFold(e.Key.String(), key) {
			return e.Value
		}
	}
	return nil
}

// HasType reports whether name is one of v's type names.
func (v *Value) HasType(name string) bool {
	if v == nil {
		return false
	}
	for _, t := range v.Types {
		if t == name {
			return true
		}
	}
	return false
}

// IsNil reports whether v is absent (a nil pointer) or the Nil value.
func (v *Value) IsNil() bool { return v == nil || v.Kind == Nil }

// Int64 returns v as an int64 when it is an integer that fits.
func (v *Value) Int64() (int64, bool) {
	switch {
	case v == nil:
		return 0, false
	case v.Kind == Int:
		return v.Int, true
	case v.Kind == Uint && v.Uint <= math.MaxInt64:
		return int64(v.Uint), true
	}
	return 0, false
}

// maxString bounds what String writes for lists and dictionaries, and how
// many values it visits, as their items may share one object many times
// over through Refs.
const maxString = 64 << 10

// String returns text for v: Str for most kinds (an Obj's ToString, a
// primitive's text), the base64 text of Bytes, and for a List its items'
// String joined by ", " and for a Dict its "key=value" pairs joined by ", "
// (an Obj's ToString is ignored for these, as it is only a type name). The
// result for lists and dictionaries stops with "…" after 64 KiB or 65536
// values. String returns "" for nil.
func (v *Value) String() string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case Bytes:
		return base64.StdEncoding.EncodeToString(v.Bytes)
	case List, Dict:
		b := textBuf{steps: maxString}
		if !v.write(&b) {
			b.WriteString("…")
		}
		return b.String()
	}
	return v.Str
}

// Strings returns the String of each item of a List, the String of any
// other value as a one-element slice, and nil for nil and Nil, which suits
// multi-valued properties that may hold one value or none.
func (v *Value) Strings() []string {
	switch {
	case v.IsNil():
		return nil
	case v.Kind == List:
		s := make([]string, len(v.Items))
		for i, it := range v.Items {
			s[i] = it.String()
		}
		return s
	}
	return []string{v.String()}
}

// textBuf is where String writes a List or Dict: output and the number of
// values it may still visit are both bounded, so that sharing through Refs
// cannot make String slow.
type textBuf struct {
	strings.Builder
	steps int
}

// write appends v's String to b and reports whether it all fitted.
func (v *Value) write(b *textBuf) bool {
	if v == nil {
		return true
	}
	if b.steps--; b.steps < 0 {
		return false
	}
	switch v.Kind {
	case List:
		for i, it := range v.Items {
			if b.Len() >= maxString {
				return false
			}
			if i > 0 {
				b.WriteString(", ")
			}
			if !it.write(b) {
				return false
			}
		}
	case Dict:
		for i, e := range v.Entries {
			if b.Len() >= maxString {
				return false
			}
			if i > 0 {
				b.WriteString(", ")
			}
			if !e.Key.write(b) {
				return false
			}
			b.WriteByte('=')
			if !e.Value.write(b) {
				return false
			}
		}
	default:
		s := v.String()
		if room := maxString - b.Len(); len(s) > room {
			for room > 0 && !utf8.RuneStart(s[room]) {
				room--
			}
			b.WriteString(s[:room])
			return false
		}
		b.WriteString(s)
	}
	return true
}
