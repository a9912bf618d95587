package clixml

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// utf8Input detects the encoding of r from its byte-order mark and returns
// a reader of its text as UTF-8 without the mark. UTF-16 without a mark is
// recognised when the file starts with "<". Everything else is taken as
// UTF-8; posReader rejects what is not.
func utf8Input(r io.Reader) *bufio.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(3) // a read error shows again on the next Read
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		br.Discard(2)
		return bufio.NewReader(&utf16Reader{r: br})
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		br.Discard(2)
		return bufio.NewReader(&utf16Reader{r: br, big: true})
	case bytes.HasPrefix(head, []byte{'<', 0}):
		return bufio.NewReader(&utf16Reader{r: br})
	case bytes.HasPrefix(head, []byte{0, '<'}):
		return bufio.NewReader(&utf16Reader{r: br, big: true})
	}
	return br
}

// utf16Reader converts UTF-16 to UTF-8. It returns the text before a lone
// surrogate or a trailing odd byte, then an error, which posReader places
// at the first character it could not convert.
type utf16Reader struct {
	r    *bufio.Reader
	big  bool
	pend []byte // converted bytes not yet returned
	buf  [4]byte
	err  error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(u.pend) > 0 {
			c := copy(p[n:], u.pend)
			u.pend = u.pend[c:]
			n += c
			continue
		}
		if u.err != nil {
			break
		}
		u.decode()
	}
	if n == 0 {
		return 0, u.err
	}
	return n, nil
}

// decode converts one code point (one or two code units) into u.pend, or
// sets u.err.
func (u *utf16Reader) decode() {
	c, err := u.unit()
	if err == io.ErrUnexpectedEOF {
		u.err = errors.New("invalid UTF-16: odd number of bytes")
		return
	}
	if err != nil {
		u.err = err
		return
	}
	r := rune(c)
	if !utf16.IsSurrogate(r) {
		u.pend = utf8.AppendRune(u.buf[:0], r)
		return
	}
	if r < 0xDC00 { // high surrogate: wants a low one next
		if next, err := u.r.Peek(2); err == nil {
			lo := rune(u.order(next[0], next[1]))
			if 0xDC00 <= lo && lo < 0xE000 {
				u.r.Discard(2)
				u.pend = utf8.AppendRune(u.buf[:0], utf16.DecodeRune(r, lo))
				return
			}
		}
	}
	u.err = fmt.Errorf("invalid UTF-16: unpaired surrogate %U", r)
}

// unit reads one UTF-16 code unit; io.ErrUnexpectedEOF means an odd byte
// ended the input.
func (u *utf16Reader) unit() (uint16, error) {
	b0, err := u.r.ReadByte()
	if err != nil {
		return 0, err
	}
	b1, err := u.r.ReadByte()
	if err == io.EOF {
		return 0, io.ErrUnexpectedEOF
	}
	if err != nil {
		return 0, err
	}
	return u.order(b0, b1), nil
}

func (u *utf16Reader) order(b0, b1 byte) uint16 {
	if u.big {
		return uint16(b0)<<8 | uint16(b1)
	}
	return uint16(b1)<<8 | uint16(b0)
}

// posReader hands UTF-8 bytes to encoding/xml one at a time and remembers
// the line and column of the most recent ones, so that an offset from
// xml.Decoder.InputOffset can be turned into a position without keeping
// the file in memory. The decoder reads at most a byte ahead of the offset
// it reports, so a short ring of recent positions is enough.
//
// posReader also checks that every character is valid UTF-8 and allowed in
// XML, anywhere in the document, and stops with a *posError at the first
// one that is not: encoding/xml notices some of these only at the end of a
// text, and not at all in comments.
type posReader struct {
	r         *bufio.Reader
	off       int64 // bytes read so far
	line, col int   // position of the next byte
	ring      [64]linecol
	char      [utf8.UTFMax]byte // bytes of an incomplete character
	nchar     int
	charAt    linecol // position of that character
	run       int     // bytes since the last '<' or '>'
	runAt     linecol // position of the first of them
	err       error   // sticky error
}

type linecol struct{ line, col int }

// posError is a problem in the input bytes at a known position.
type posError struct {
	at  linecol
	msg string
}

func (e *posError) Error() string { return e.msg }

func newPosReader(r *bufio.Reader) *posReader {
	return &posReader{r: r, line: 1, col: 1}
}

// ReadByte makes posReader an io.ByteReader, which xml.Decoder then uses
// directly instead of adding a buffer of its own.
func (p *posReader) ReadByte() (byte, error) {
	if p.err != nil {
		return 0, p.err
	}
	b, err := p.r.ReadByte()
	if err != nil {
		at := linecol{p.line, p.col}
		switch {
		case p.nchar > 0:
			p.err = &posError{p.charAt, "invalid UTF-8"}
		case err == io.EOF:
			p.err = err
		default:
			p.err = &posError{at, err.Error()}
		}
		return 0, p.err
	}
	at := linecol{p.line, p.col}
	if p.nchar > 0 {
		at = p.charAt
	}
	if msg := p.check(b, at); msg != "" {
		p.err = &posError{at, msg}
		return 0, p.err
	}
	if b == '<' || b == '>' {
		p.run = 0
	} else {
		if p.run == 0 {
			p.runAt = at
		}
		if p.run++; p.run > MaxText {
			p.err = &posError{p.runAt, fmt.Sprintf("text longer than %d MiB: not a value an Exchange export holds", MaxText>>20)}
			return 0, p.err
		}
	}
	switch {
	case b == '\n':
		p.line++
		p.col = 1
	case p.nchar == 0:
		p.col++ // last byte of a character
	}
	p.ring[p.off%int64(len(p.ring))] = at
	p.off++
	return b, nil
}

// check adds b to the character being read and returns a problem if it
// makes the character invalid UTF-8 or one that XML does not allow.
func (p *posReader) check(b byte, at linecol) string {
	if p.nchar == 0 && b < utf8.RuneSelf {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return fmt.Sprintf("illegal character code %U", rune(b))
		}
		return ""
	}
	if p.nchar == 0 {
		p.charAt = at
	}
	p.char[p.nchar] = b
	p.nchar++
	if !utf8.FullRune(p.char[:p.nchar]) {
		return ""
	}
	r, size := utf8.DecodeRune(p.char[:p.nchar])
	p.nchar = 0
	switch {
	case r == utf8.RuneError && size <= 1:
		return "invalid UTF-8"
	case r == 0xFFFE || r == 0xFFFF:
		return fmt.Sprintf("illegal character code %U", r)
	}
	return ""
}

// Read implements io.Reader, which xml.Decoder also requires.
func (p *posReader) Read(buf []byte) (int, error) {
	for i := range buf {
		b, err := p.ReadByte()
		if err != nil {
			if i > 0 {
				return i, nil
			}
			return 0, err
		}
		buf[i] = b
	}
	return len(buf), nil
}

// pos returns the line and column of the byte at offset off.
func (p *posReader) pos(off int64) (line, col int) {
	if off < p.off && p.off-off <= int64(len(p.ring)) && off >= 0 {
		at := p.ring[off%int64(len(p.ring))]
		return at.line, at.col
	}
	return p.line, p.col
}

// charsetReader accepts the encodings an XML declaration may name for
// input that utf8Input has already turned into UTF-8.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "unicode", "us-ascii", "ascii":
		return r, nil
	}
	return nil, errUnsupportedCharset
}

var errUnsupportedCharset = errors.New("unsupported encoding")
