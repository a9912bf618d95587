// Package templates holds the text templates coexist renders: the
// Exchange Management Shell remedies of each finding (remedy/<RULE-ID>.ps1.tmpl)
// and the report texts. They are embedded so the binary is self-contained.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"
	"text/template"
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

// HasRemedy reports whether a remedy template exists for id.
func HasRemedy(id string) bool {
	t, err := load()
	return err == nil && t.Lookup(id+".ps1.tmpl") != nil
}

// PSQuote quotes s as a PowerShell single-quoted string literal.
func PSQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
