package remedy

import (
	"fmt"
	"strings"
	"testing"
)

// A small PowerShell lexer, written to the quoting rules of PowerShell's
// tokenizer (engine/parser/tokenizer.cs and CharTraits.cs), used to prove
// that names placed in remediation.ps1 stay inside their strings. It
// classifies every character of a script as code, comment, literal text
// (the inside of a single-quoted string or here-string) or expandable
// text (the inside of a double-quoted string or here-string, outside the
// $(...) sub-expressions and $variables PowerShell evaluates there).

// psClass is what a character of a script is to PowerShell.
type psClass int8

const (
	psCode psClass = iota
	psComment
	psLiteral
	psExpandable
)

func (c psClass) String() string {
	return [...]string{"code", "comment", "literal", "expandable"}[c]
}

// psSingleQuote: ' and U+2018–U+201B (CharTraits.IsSingleQuote).
func psSingleQuote(r rune) bool { return r == '\'' || r >= '\u2018' && r <= '\u201b' }

// psDoubleQuote: " and U+201C–U+201E (CharTraits.IsDoubleQuote).
func psDoubleQuote(r rune) bool { return r == '"' || r >= '\u201c' && r <= '\u201e' }

// psNewline: only CR and LF end a line comment (ScanToEndOfCommentLine).
func psNewline(r rune) bool { return r == '\r' || r == '\n' }

type psLexer struct {
	r   []rune
	i   int
	cls []psClass
}

// psClassify classifies every rune of src, or fails on an unterminated
// string, comment or sub-expression.
func psClassify(src string) (r []rune, cls []psClass, err error) {
	// The byte order mark is the file's encoding, not a token.
	l := &psLexer{r: []rune(strings.TrimPrefix(src, "\ufeff"))}
	l.cls = make([]psClass, len(l.r))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	l.code(false)
	return l.r, l.cls, nil
}

func (l *psLexer) at(i int) rune {
	if i < 0 || i >= len(l.r) {
		return 0
	}
	return l.r[i]
}

func (l *psLexer) mark(n int, c psClass) {
	for k := 0; k < n && l.i < len(l.r); k++ {
		l.cls[l.i] = c
		l.i++
	}
}

func (l *psLexer) fail(what string) {
	panic(fmt.Sprintf("unterminated %s starting at rune %d", what, l.i))
}

// tokenStart reports whether a '#' at i starts a comment: at the start of
// a line or after white space or an operator, not inside a bare word.
func (l *psLexer) tokenStart() bool {
	p := l.at(l.i - 1)
	return l.i == 0 || strings.ContainsRune(" \t\r\n;{}()|,=", p)
}

// hereHeader reports whether @ at i opens a here-string: @ then a quote,
// then only white space up to the line break.
func (l *psLexer) hereHeader(quote func(rune) bool) bool {
	if l.at(l.i) != '@' || !quote(l.at(l.i+1)) {
		return false
	}
	for j := l.i + 2; j < len(l.r); j++ {
		switch {
		case psNewline(l.r[j]):
			return true
		case l.r[j] != ' ' && l.r[j] != '\t':
			return false
		}
	}
	return false
}

// code scans code up to the end, or (inParen) up to the ')' that closes
// a $( sub-expression, which it leaves unread.
func (l *psLexer) code(inParen bool) {
	depth := 0
	for l.i < len(l.r) {
		c := l.r[l.i]
		switch {
		case c == '#' && l.tokenStart():
			for l.i < len(l.r) && !psNewline(l.r[l.i]) {
				l.mark(1, psComment)
			}
		case c == '<' && l.at(l.i+1) == '#':
			start := l.i
			l.mark(2, psComment)
			for !(l.at(l.i) == '#' && l.at(l.i+1) == '>') {
				if l.i >= len(l.r) {
					l.i = start
					l.fail("block comment")
				}
				l.mark(1, psComment)
			}
			l.mark(2, psComment)
		case l.hereHeader(psSingleQuote):
			l.here(psSingleQuote, psLiteral)
		case l.hereHeader(psDoubleQuote):
			l.here(psDoubleQuote, psExpandable)
		case psSingleQuote(c):
			l.single()
		case psDoubleQuote(c):
			l.double()
		case c == '`':
			l.mark(2, psCode)
		case c == '(':
			depth++
			l.mark(1, psCode)
		case c == ')':
			if inParen && depth == 0 {
				return
			}
			depth--
			l.mark(1, psCode)
		default:
			l.mark(1, psCode)
		}
	}
	if inParen {
		l.fail("sub-expression")
	}
}

// single scans a single-quoted string: a quote followed by another quote
// is one literal quote (ScanStringLiteral).
func (l *psLexer) single() {
	start := l.i
	l.mark(1, psCode)
	for {
		if l.i >= len(l.r) {
			l.i = start
			l.fail("single-quoted string")
		}
		if psSingleQuote(l.r[l.i]) {
			if psSingleQuote(l.at(l.i + 1)) {
				l.mark(2, psLiteral)
				continue
			}
			l.mark(1, psCode)
			return
		}
		l.mark(1, psLiteral)
	}
}

// dollar scans $( sub-expressions and $variables inside expandable text;
// it reports false when the $ is literal.
func (l *psLexer) dollar() bool {
	n := l.at(l.i + 1)
	switch {
	case n == '(':
		l.mark(2, psCode)
		l.code(true)
		l.mark(1, psCode)
		return true
	case n == '{':
		l.mark(2, psCode)
		for l.at(l.i) != '}' {
			if l.i >= len(l.r) {
				l.fail("variable name")
			}
			l.mark(1, psCode)
		}
		l.mark(1, psCode)
		return true
	case n == '_' || n == '?' || n == '$' || n == '^' || n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z' || n >= '0' && n <= '9' || n > 127:
		l.mark(2, psCode)
		for c := l.at(l.i); c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c > 127 && !psSingleQuote(c) && !psDoubleQuote(c); c = l.at(l.i) {
			l.mark(1, psCode)
		}
		return true
	}
	return false
}

// double scans a double-quoted string (ScanStringExpandable).
func (l *psLexer) double() {
	start := l.i
	l.mark(1, psCode)
	for {
		if l.i >= len(l.r) {
			l.i = start
			l.fail("double-quoted string")
		}
		c := l.r[l.i]
		switch {
		case psDoubleQuote(c):
			if psDoubleQuote(l.at(l.i + 1)) {
				l.mark(2, psExpandable)
				continue
			}
			l.mark(1, psCode)
			return
		case c == '`':
			l.mark(2, psExpandable)
		case c == '$' && l.dollar():
		default:
			l.mark(1, psExpandable)
		}
	}
}

// here scans a here-string: its body ends at a line that starts with the
// closing quote and @.
func (l *psLexer) here(quote func(rune) bool, body psClass) {
	start := l.i
	for !psNewline(l.at(l.i)) {
		l.mark(1, psCode)
	}
	for {
		if l.i >= len(l.r) {
			l.i = start
			l.fail("here-string")
		}
		c := l.r[l.i]
		if psNewline(c) && quote(l.at(l.i+1)) && l.at(l.i+2) == '@' {
			l.mark(3, psCode)
			return
		}
		if c == '\r' && l.at(l.i+1) == '\n' && quote(l.at(l.i+2)) && l.at(l.i+3) == '@' {
			l.mark(4, psCode)
			return
		}
		if body == psExpandable && c == '`' {
			l.mark(2, body)
			continue
		}
		if body == psExpandable && c == '$' && l.dollar() {
			continue
		}
		l.mark(1, body)
	}
}

// escapes returns a description of every place where marker occurs in
// script outside literal text and comments: a name that reached code or
// expandable text. An unlexable script is reported too.
func escapes(script, marker string) []string {
	r, cls, err := psClassify(script)
	if err != nil {
		return []string{err.Error()}
	}
	m := []rune(marker)
	var out []string
	for i := 0; i+len(m) <= len(r); i++ {
		if string(r[i:i+len(m)]) != marker {
			continue
		}
		for k := i; k < i+len(m); k++ {
			if cls[k] != psLiteral && cls[k] != psComment {
				lo, hi := max(0, i-60), min(len(r), i+len(m)+20)
				out = append(out, fmt.Sprintf("%s in %s: %q", marker, cls[k], string(r[lo:hi])))
				break
			}
		}
	}
	return out
}

func TestPSLexer(t *testing.T) {
	tests := []struct {
		name, src string
		escaped   bool
	}{
		{"single-quoted", `Set-X -Identity 'a PWN b'`, false},
		{"doubled quote", `Set-X -Identity 'O''PWN'`, false},
		{"typographic close", "Set-X -Identity 'CAS1\u2019$(PWN)\u2019'", true},
		{"typographic doubled", "Set-X -Identity 'CAS1\u2019\u2019$(PWN)\u2019\u2019'", false},
		{"low-9 quote", "Set-X 'a\u201a PWN'", true},
		{"double-quoted subexpression", `Set-X "a $(PWN) b"`, true},
		{"double-quoted variable", `Set-X "a $PWN b"`, true},
		{"double-quoted even when escaped", "Set-X \"a `$(PWN) b\"", true},
		{"double-quoted text", `Set-X "a PWN b"`, true},
		{"bare word", `Set-X PWN`, true},
		{"line comment", "# PWN here\r\nGet-X", false},
		{"comment ended by CR", "# name\rPWN", true},
		{"hash inside word", "Set-X a#PWN", true},
		{"block comment", "<# PWN #> Get-X", false},
		{"here-string literal", "$x = @'\r\nPWN ' \"$(x)\"\r\n'@\r\nGet-X", false},
		{"here-string expandable", "$x = @\"\r\n$(PWN)\r\n\"@", true},
		{"string in subexpression", `"$(Get-X 'PWN')"`, false},
		{"concatenation", `Set-X ('a'+[char]0x000A+'PWN')`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := escapes(tt.src, "PWN")
			if (len(got) > 0) != tt.escaped {
				t.Errorf("escaped: got %v, want %v", got, tt.escaped)
			}
		})
	}
	for _, bad := range []string{`Set-X 'open`, `"open $(x"`, "<# open", "@'\r\nno footer"} {
		if _, _, err := psClassify(bad); err == nil {
			t.Errorf("%q: got no error for an unterminated construct", bad)
		}
	}
}
