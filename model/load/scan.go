package load

import (
	"strconv"
	"strings"
)

// keyPositions records where every key, table header and array element of a
// TOML document starts. BurntSushi/toml keeps these positions private, so we
// scan the text ourselves; the scanner only tracks structure and never
// rejects input (the TOML decoder reports syntax errors).
//
// Paths join keys and array indexes with pathSep: "servers\x1f2\x1fsite".
type keyPositions map[string]Pos

const pathSep = "\x1f"

type scanner struct {
	src       string
	file      string
	i         int
	line, col int // of src[i], 1-based
	pos       keyPositions
	arrCount  map[string]int // array-of-tables path → number of elements so far
	table     []string       // resolved path of the current table
	// deep is where nesting first went beyond MaxDepth; the scan stops
	// there.
	deep *Pos
	// many is where the document first held more than MaxValues keys and
	// elements; the scan stops there too.
	many *Pos
}

func scanPositions(file, src string) keyPositions {
	kp, _, _ := scan(file, src)
	return kp
}

// scan records the positions of src's keys and elements and reports where
// nesting first goes beyond MaxDepth levels and where the document first
// holds more than MaxValues keys and elements (nil when it never does). It
// runs before the TOML decoder, which is slow (quadratic) on deeply nested
// input and takes seconds and a gigabyte per million values, and keeps
// every later recursion shallow.
func scan(file, src string) (kp keyPositions, deep, many *Pos) {
	s := &scanner{src: src, file: file, line: 1, col: 1, pos: keyPositions{}, arrCount: map[string]int{}}
	s.run()
	return s.pos, s.deep, s.many
}

// record notes where the key or element at path starts; past MaxValues it
// records at and ends the scan.
func (s *scanner) record(path string, at Pos) {
	s.pos[path] = at
	if len(s.pos) > MaxValues && s.many == nil {
		s.many = &at
		s.i = len(s.src)
	}
}

// tooDeep reports whether a path of n parts is nested beyond MaxDepth; if
// so it records at and ends the scan.
func (s *scanner) tooDeep(n int, at Pos) bool {
	if n <= MaxDepth {
		return false
	}
	if s.deep == nil {
		s.deep = &at
	}
	s.i = len(s.src)
	return true
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *scanner) next() {
	if s.eof() {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
		s.col = 1
	} else if s.src[s.i]&0xC0 != 0x80 { // count runes, not bytes
		s.col++
	}
	s.i++
}

func (s *scanner) here() Pos { return Pos{File: s.file, Line: s.line, Col: s.col} }

func (s *scanner) skipSpace() {
	for c := s.peek(); c == ' ' || c == '\t' || c == '\r'; c = s.peek() {
		s.next()
	}
}

// skipBlank skips white space, newlines and comments.
func (s *scanner) skipBlank() {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t', '\r', '\n':
			s.next()
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.next()
	}
}

func (s *scanner) run() {
	for {
		s.skipBlank()
		if s.eof() {
			return
		}
		start := s.i
		switch s.peek() {
		case '[':
			s.header()
		default:
			s.keyValue(s.table)
		}
		if s.i == start { // never loop without progress on odd input
			s.next()
		}
		s.skipSpace()
		if s.peek() == '#' {
			s.skipLine()
		}
	}
}

func (s *scanner) header() {
	at := s.here()
	s.next()
	array := s.peek() == '['
	if array {
		s.next()
	}
	s.skipSpace()
	keys := s.key()
	if len(keys) == 0 {
		s.skipLine()
		return
	}
	if s.tooDeep(len(keys), at) {
		return
	}
	var path []string
	for j, k := range keys {
		path = append(path, k)
		p := strings.Join(path, pathSep)
		last := j == len(keys)-1
		switch {
		case last && array:
			n := s.arrCount[p]
			s.arrCount[p] = n + 1
			path = append(path, strconv.Itoa(n))
		case s.arrCount[p] > 0:
			path = append(path, strconv.Itoa(s.arrCount[p]-1))
		}
	}
	if s.tooDeep(len(path), at) {
		return
	}
	s.table = path
	s.record(strings.Join(path, pathSep), at)
	s.skipLine()
}

// key reads a possibly dotted key and returns its parts.
func (s *scanner) key() []string {
	var parts []string
	for {
		s.skipSpace()
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			parts = append(parts, s.quoted(c))
		case isBare(c):
			start := s.i
			for isBare(s.peek()) {
				s.next()
			}
			parts = append(parts, s.src[start:s.i])
		default:
			return parts
		}
		s.skipSpace()
		if s.peek() != '.' {
			return parts
		}
		s.next()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a single-line quoted key or string and returns its text
// (escapes are kept as written: keys here are plain names).
func (s *scanner) quoted(q byte) string {
	s.next()
	start := s.i
	for !s.eof() && s.peek() != q && s.peek() != '\n' {
		if q == '"' && s.peek() == '\\' {
			s.next()
		}
		s.next()
	}
	text := s.src[start:s.i]
	if s.peek() == q {
		s.next()
	}
	return text
}

func (s *scanner) keyValue(base []string) {
	at := s.here()
	keys := s.key()
	if len(keys) == 0 {
		s.skipLine()
		return
	}
	if s.tooDeep(len(base)+len(keys), at) {
		return
	}
	path := append(append([]string{}, base...), keys...)
	s.record(strings.Join(path, pathSep), at)
	if s.eof() {
		return
	}
	s.skipSpace()
	if s.peek() != '=' {
		s.skipLine()
		return
	}
	s.next()
	s.skipSpace()
	s.value(path)
}

// value skips one value, recording the positions of array elements and
// inline-table keys below path.
func (s *scanner) value(path []string) {
	switch c := s.peek(); c {
	case '"', '\'':
		if strings.HasPrefix(s.src[s.i:], strings.Repeat(string(c), 3)) {
			s.multiline(c)
			return
		}
		s.quoted(c)
	case '[':
		if s.tooDeep(len(path)+1, s.here()) {
			return
		}
		s.next()
		for n := 0; !s.eof(); n++ {
			s.skipBlank()
			if s.peek() == ']' {
				break
			}
			elem := append(append([]string{}, path...), strconv.Itoa(n))
			s.record(strings.Join(elem, pathSep), s.here())
			if s.eof() {
				break
			}
			start := s.i
			s.value(elem)
			s.skipBlank()
			if s.peek() == ',' {
				s.next()
			} else if s.i == start {
				break
			}
		}
		if s.peek() == ']' {
			s.next()
		}
	case '{':
		if s.tooDeep(len(path)+1, s.here()) {
			return
		}
		s.next()
		for !s.eof() {
			s.skipBlank()
			if s.peek() == '}' {
				break
			}
			start := s.i
			s.keyValue(path)
			s.skipBlank()
			if s.peek() == ',' {
				s.next()
			} else if s.i == start {
				break
			}
		}
		if s.peek() == '}' {
			s.next()
		}
	default:
		for !s.eof() {
			switch s.peek() {
			case ',', ']', '}', '#', '\n', '\r':
				return
			}
			s.next()
		}
	}
}

func (s *scanner) multiline(q byte) {
	delim := strings.Repeat(string(q), 3)
	for k := 0; k < 3; k++ {
		s.next()
	}
	for !s.eof() {
		if q == '"' && s.peek() == '\\' {
			s.next()
			s.next()
			continue
		}
		if strings.HasPrefix(s.src[s.i:], delim) {
			for k := 0; k < 3; k++ {
				s.next()
			}
			for s.peek() == q { // up to two more quotes belong to the content
				s.next()
			}
			return
		}
		s.next()
	}
}
