package model

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in an input file (an inventory, a mailbox CSV, an
// edits file, an Export-Clixml file); Line and Col start at 1 and Col
// counts characters. A zero Line means the whole file. Every loader
// reports problems with it, so they all print as file:line:col.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// PosError is one positioned input problem.
type PosError struct {
	Pos Pos
	Msg string
}

func (e PosError) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every input problem found, sortable by position. It is an
// error when it is not empty.
type ErrorList []PosError

// Add appends a problem at p.
func (l *ErrorList) Add(p Pos, format string, args ...any) {
	*l = append(*l, PosError{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// Sort orders the list by file, line, column and message, and drops exact
// duplicates.
func (l ErrorList) Sort() ErrorList {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Msg < b.Msg
	})
	out := l[:0]
	for i, e := range l {
		if i > 0 && e == l[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
