package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/coexist/coexist/render/pdf"
)

// fontFlags is the repeatable --font flag of the commands that write PDF
// reports: TrueType fonts for characters the embedded Go fonts lack,
// tried before the system's fonts.
type fontFlags struct {
	files []string
}

func (f *fontFlags) String() string { return strings.Join(f.files, ",") }

func (f *fontFlags) Set(s string) error {
	f.files = append(f.files, s)
	return nil
}

func (f *fontFlags) register(fs *flag.FlagSet) {
	fs.Var(f, "font", "TrueType `FILE.ttf` for characters the built-in fonts lack, such as CJK (repeatable; tried before the system's fonts)")
}

// chain checks the --font files and returns the PDF font chain: the Go
// fonts, the --font files, then the system's fonts.
func (f *fontFlags) chain() (*pdf.Fonts, error) {
	for _, file := range f.files {
		if err := pdf.CheckFont(file); err != nil {
			return nil, fmt.Errorf("--font %s: %v", file, err)
		}
	}
	return pdf.NewFonts(append(append([]string(nil), f.files...), pdf.SystemFonts()...)...), nil
}

// warnMissingGlyphs says once, on stderr, which characters no font could
// print in the PDF reports (the reports' About section lists them too).
func warnMissingGlyphs(e *env, cmd string, fonts *pdf.Fonts) {
	if miss := fonts.MissingRunes(); len(miss) > 0 {
		fmt.Fprintf(e.stderr, "coexist %s: warning: no font covers %d character(s) of the names (%s): they print as empty boxes in the PDF; pass --font FILE.ttf with a TrueType font that has them\n",
			cmd, len(miss), pdf.CodePoints(miss, 12))
	}
}
