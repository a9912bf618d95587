package clixml

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// intBits gives the size of each integer element.
var intBits = map[string]int{
	"SB": 8, "I16": 16, "I32": 32, "I64": 64,
	"By": 8, "U16": 16, "U32": 32, "U64": 64,
}

// isPrimitive reports whether name is a primitive value element.
func isPrimitive(name string) bool {
	switch name {
	case "S", "C", "B", "SB", "By", "I16", "U16", "I32", "U32", "I64", "U64",
		"Sg", "Db", "D", "DT", "TS", "G", "URI", "Version", "SemanticVersion",
		"BA", "Nil", "SS", "XD", "SBK":
		return true
	}
	return false
}

// convert sets v's Kind and data from the text of the primitive element
// v.Tag. It returns a problem, or "" if the text is good. On a problem v
// keeps its Kind and Str and a zero number.
func convert(v *Value, text string) string {
	trimmed := strings.Trim(text, " \t\r\n")
	switch tag := v.Tag; tag {
	case "S", "URI", "XD", "SBK":
		str, bad := unescapeText(text)
		if bad >= 0 {
			v.Kind = Nil // left out rather than copied into an inventory
			return controlProblem(bad)
		}
		v.Kind, v.Str = String, str
	case "G", "Version", "SemanticVersion":
		v.Kind, v.Str = String, trimmed
	case "SS":
		v.Kind, v.Str = SecureString, text
	case "Nil":
		v.Kind = Nil
	case "C":
		v.Kind, v.Str = String, trimmed
		n, err := strconv.ParseUint(trimmed, 10, 16)
		if err != nil {
			return numberProblem(tag, trimmed, err)
		}
		r := rune(n)
		if utf16.IsSurrogate(r) {
			r = utf8.RuneError
		}
		if isControl(r) {
			v.Kind, v.Str = Nil, ""
			return fmt.Sprintf("C value %d is the control character %U: not text, the value is left out", n, r)
		}
		v.Str = string(r)
	case "B":
		v.Kind, v.Str = Bool, trimmed
		switch trimmed {
		case "true", "1":
			v.Bool = true
		case "false", "0":
		default:
			return fmt.Sprintf("bad B value %q, want true or false", clip(trimmed))
		}
	case "SB", "I16", "I32", "I64":
		v.Kind, v.Str = Int, trimmed
		n, err := strconv.ParseInt(trimmed, 10, intBits[tag])
		if err != nil {
			return numberProblem(tag, trimmed, err)
		}
		v.Int = n
	case "By", "U16", "U32", "U64":
		v.Kind, v.Str = Uint, trimmed
		n, err := strconv.ParseUint(trimmed, 10, intBits[tag])
		if err != nil {
			return numberProblem(tag, trimmed, err)
		}
		v.Uint = n
	case "Sg", "Db", "D":
		v.Kind, v.Str = Float, trimmed
		bits := 64
		if tag == "Sg" {
			bits = 32
		}
		f, err := strconv.ParseFloat(trimmed, bits)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return fmt.Sprintf("bad %s value %q", tag, clip(trimmed))
		}
		if tag == "D" && (math.IsInf(f, 0) || math.IsNaN(f)) {
			return fmt.Sprintf("bad %s value %q", tag, clip(trimmed))
		}
		v.Float = f
	case "DT":
		v.Kind, v.Str = DateTime, trimmed
		v.Time, _ = parseTime(trimmed)
	case "TS":
		v.Kind, v.Str = Duration, trimmed
		d, ok := parseDuration(trimmed)
		if !ok {
			return fmt.Sprintf("bad TS value %q, want an xs:duration such as PT1H30M", clip(trimmed))
		}
		v.Dur = d
	case "BA":
		v.Kind = Bytes
		b, err := base64.StdEncoding.DecodeString(stripSpace(text))
		if err != nil {
			return fmt.Sprintf("bad BA value: %v", err)
		}
		v.Bytes = b
	default:
		v.Kind, v.Str = Other, text
	}
	return ""
}

func numberProblem(tag, text string, err error) string {
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Sprintf("%s value %q out of range", tag, clip(text))
	}
	return fmt.Sprintf("bad %s value %q", tag, clip(text))
}

// stripSpace removes the white space a writer may put inside base64 text.
func stripSpace(s string) string {
	if strings.IndexAny(s, " \t\r\n") < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
}

// parseTime parses a DT text, .NET's round-trip format: with a zone
// ("2021-09-28T12:20:23-05:00", "...Z") or without one, which is taken as
// UTC, and with up to seven fraction digits.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseDuration parses a TS text, an xs:duration as .NET writes a TimeSpan:
// an optional "-", "P", days with "D", then "T" and hours, minutes and
// seconds (with a fraction) with "H", "M" and "S". Years and months, which
// a TimeSpan never has, are refused. A value beyond time.Duration's range
// saturates.
func parseDuration(s string) (time.Duration, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) == 1 {
		return 0, false
	}
	s = s[1:]
	var (
		total    uint64
		overflow bool
		inTime   bool
		last     int // order of the last unit seen, to keep D < H < M < S
	)
	add := func(n, unit uint64) {
		if n > math.MaxInt64/unit || total+n*unit > math.MaxInt64 {
			overflow = true
			return
		}
		total += n * unit
	}
	for s != "" {
		if s[0] == 'T' {
			if inTime || len(s) == 1 {
				return 0, false
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := digits(s)
		if i == 0 {
			return 0, false
		}
		num := s[:i]
		s = s[i:]
		frac := ""
		if s != "" && s[0] == '.' {
			j := digits(s[1:])
			if j == 0 {
				return 0, false
			}
			frac, s = s[1:1+j], s[1+j:]
		}
		if s == "" {
			return 0, false
		}
		var unit uint64
		var order int
		switch u := s[0]; {
		case !inTime && u == 'D':
			unit, order = uint64(24*time.Hour), 1
		case inTime && u == 'H':
			unit, order = uint64(time.Hour), 2
		case inTime && u == 'M':
			unit, order = uint64(time.Minute), 3
		case inTime && u == 'S':
			unit, order = uint64(time.Second), 4
		default:
			return 0, false
		}
		s = s[1:]
		if order <= last || (frac != "" && order != 4) {
			return 0, false
		}
		last = order
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil {
			overflow = true
		} else {
			add(n, unit)
		}
		if frac != "" {
			if len(frac) > 9 {
				frac = frac[:9]
			}
			ns, _ := strconv.ParseUint(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
			add(ns, 1)
		}
	}
	if inTime && last < 2 {
		return 0, false
	}
	switch {
	case overflow && neg:
		return math.MinInt64, true
	case overflow:
		return math.MaxInt64, true
	case neg:
		return -time.Duration(total), true
	}
	return time.Duration(total), true
}

// digits returns how many ASCII digits s starts with.
func digits(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// isControl reports whether r is a control character no text value
// holds: C0 other than tab, line feed and carriage return, and DEL. XML
// cannot carry them, so they reach a file only as _xHHHH_ escapes (or <C>
// values), and copied into an inventory they would make it invalid.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7F
}

// controlProblem describes a string value holding the control character r.
func controlProblem(r rune) string {
	return fmt.Sprintf("string holds the control character %U (escape _x%04X_): not text, the value is left out", r, r)
}

// unescapeText is unescape that also returns the first control character
// (isControl) the string holds, or -1.
func unescapeText(s string) (string, rune) {
	u := unescape(s)
	for _, r := range u {
		if isControl(r) {
			return u, r
		}
	}
	return u, -1
}

// unescape decodes the _xHHHH_ escapes PowerShell writes for characters
// that XML cannot carry or that would be ambiguous (such as "_x0020_" for
// a space in a name, "_x000D__x000A_" for CR LF, "_x005F_" for the "_" of a
// literal "_x"). Two escapes forming a UTF-16 surrogate pair become one
// rune; a lone surrogate becomes U+FFFD.
func unescape(s string) string {
	i := strings.Index(s, "_x")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		c, ok := escapeAt(s, i)
		if !ok {
			b.WriteByte(s[i])
			i++
			continue
		}
		i += 7
		r := rune(c)
		if utf16.IsSurrogate(r) {
			lo, ok := escapeAt(s, i)
			if r < 0xDC00 && ok && 0xDC00 <= lo && lo < 0xE000 {
				r = utf16.DecodeRune(r, rune(lo))
				i += 7
			} else {
				r = utf8.RuneError
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeAt decodes an _xHHHH_ escape at s[i:].
func escapeAt(s string, i int) (uint16, bool) {
	if i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	var c uint16
	for _, h := range []byte(s[i+2 : i+6]) {
		var d byte
		switch {
		case '0' <= h && h <= '9':
			d = h - '0'
		case 'a' <= h && h <= 'f':
			d = h - 'a' + 10
		case 'A' <= h && h <= 'F':
			d = h - 'A' + 10
		default:
			return 0, false
		}
		c = c<<4 | uint16(d)
	}
	return c, true
}
