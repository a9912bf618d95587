// Package templates holds the text templates coexist renders: the
// Exchange Management Shell remedies of each finding (remedy/<RULE-ID>.ps1.tmpl)
// and the report texts. They are embedded so the binary is self-contained.
//
// A remedy template writes the commands a reader copies, plus directive
// lines starting with "#!" that tell remediation.ps1 how to run them
// safely (reports drop them, see IsDirective):
//
//	#!shell PS|EMS|EMS2010|EMS2013  the shell the following lines need: any Windows
//	                                PowerShell, any Exchange Management Shell, the
//	                                2007/2010 one, the 2013-or-later one
//	#!check COMMAND                 a read-only command showing the current value;
//	                                remediation.ps1 prints and saves its output
//	#!regbackup COMPUTER KEYS       reg export of the registry KEYS (quoted, comma-
//	                                separated HKLM:\ paths) on COMPUTER (quoted)
//	#!change TARGET, ACTION         the lines up to "#!end" change TARGET (quoted);
//	                                they run only if -WhatIf is off and the
//	                                admin confirms ACTION (quoted) when asked
//	#!end
//
// Every argument is written with psq, so a directive line is PowerShell
// code remediation.ps1 can paste.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"text/template"
	"unicode"
)

//go:embed remedy/*.tmpl
var files embed.FS

// CollectScript is collect.ps1, the read-only collector consultants run
// in the customer's Exchange Management Shell (see docs/import.md).
//
//go:embed collect.ps1
var CollectScript []byte

var (
	once   sync.Once
	parsed *template.Template
	perr   error
)

func load() (*template.Template, error) {
	once.Do(func() {
		parsed, perr = template.New("").Funcs(template.FuncMap{
			"psq":  PSQuote,
			"cm":   CommentText,
			"word": Word,
			"join": strings.Join,
		}).ParseFS(files, "remedy/*.tmpl")
	})
	return parsed, perr
}

// Remedy renders remedy/<id>.ps1.tmpl with data and returns its non-blank
// lines: PowerShell commands and '#' comments, ready for remediation.ps1.
func Remedy(id string, data any) ([]string, error) {
	t, err := load()
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, id+".ps1.tmpl", data); err != nil {
		return nil, fmt.Errorf("templates: remedy %s: %w", id, err)
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.TrimRight(l, " \t\r"); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// IsDirective reports whether a remedy line is a "#!" directive for
// remediation.ps1 rather than a command.
func IsDirective(line string) bool {
	return strings.HasPrefix(strings.TrimSpace(line), "#!")
}

// HasRemedy reports whether a remedy template exists for id.
func HasRemedy(id string) bool {
	t, err := load()
	return err == nil && t.Lookup(id+".ps1.tmpl") != nil
}

// IDs lists the rule IDs that have a remedy template, sorted.
func IDs() []string {
	t, err := load()
	if err != nil {
		return nil
	}
	var ids []string
	for _, x := range t.Templates() {
		if id, ok := strings.CutSuffix(x.Name(), ".ps1.tmpl"); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// isSingleQuote reports whether PowerShell's tokenizer reads r as a single
// quote: the ASCII apostrophe and U+2018–U+201B (CharTraits.IsSingleQuote
// in PowerShell's engine/parser/CharTraits.cs). Any of them ends a
// single-quoted string, and two in a row stand for one.
func isSingleQuote(r rune) bool {
	return r == '\'' || r >= '\u2018' && r <= '\u201b'
}

// hidden reports whether r must not appear raw in remediation.ps1: control
// characters (CR and LF end a PowerShell comment and split a line),
// Unicode line and paragraph separators, and format characters such as
// bidirectional overrides and zero-width spaces, which reorder or hide
// text a reviewer reads.
func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf)
}

// PSQuote quotes s as a PowerShell string for a command argument: a
// single-quoted literal in which every character PowerShell reads as a
// single quote is doubled, as PowerShell's own
// CodeGeneration.EscapeSingleQuotedStringContent does, so no value can end
// the string early ("CAS1’$(…)’" stays one literal). Nothing else is
// special inside single quotes ($, backtick and double quotes are
// literal). The result is always one line without hidden characters: a
// value holding any (see hidden) becomes a parenthesised concatenation,
// ('a'+[char]0x0A+'b'), which PowerShell evaluates to the same string.
func PSQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	parts := 0
	open := false
	for _, r := range s {
		if hidden(r) {
			if open {
				b.WriteByte('\'')
				open = false
			}
			if parts > 0 {
				b.WriteByte('+')
			}
			fmt.Fprintf(&b, "[char]0x%04X", r)
			parts++
			continue
		}
		if !open {
			if parts > 0 {
				b.WriteByte('+')
			}
			b.WriteByte('\'')
			open = true
			parts++
		}
		b.WriteRune(r)
		if isSingleQuote(r) {
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteByte('\'')
	}
	switch {
	case parts == 0:
		return "''"
	case strings.IndexFunc(s, hidden) >= 0:
		return "(" + b.String() + ")"
	}
	return b.String()
}

// Word writes s bare when it is a plain PowerShell word (letters, digits,
// '-', '_' and commas between words: a cmdlet name, a service name, an
// authentication method list such as Basic,NTLM; not starting with '-')
// and quoted otherwise, so a value meant to be a keyword can never become
// code or a parameter.
func Word(s string) string {
	ok := s != "" && s[0] != '-' && !strings.HasPrefix(s, ",") && !strings.HasSuffix(s, ",") && !strings.Contains(s, ",,")
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == ',') {
			ok = false
		}
	}
	if ok {
		return s
	}
	return PSQuote(s)
}

// CommentText makes s safe and honest inside a PowerShell line comment: a
// line comment ends at CR or LF, so every hidden character (see hidden)
// is shown as [U+XXXX] and a name can never start a line of code or
// reorder the text around it.
func CommentText(s string) string {
	if strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hidden(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
