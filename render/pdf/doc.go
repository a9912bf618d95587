// Package pdf is a small kit for building the consultant-facing design
// report as a PDF: a cover page, a table of contents with page numbers and
// links, headings that become PDF bookmarks, paragraphs, key/value lists,
// coloured callouts, long tables that break across pages, and Graphviz
// diagrams drawn as vectors from a layout.Drawing.
//
// It is the only importer of github.com/go-pdf/fpdf. Text is set in the Go
// fonts (golang.org/x/image/font/gofont), embedded as Unicode TrueType fonts,
// so Latin, Greek and Cyrillic text (accents included) renders correctly.
// The Go fonts have no CJK, Arabic, Hebrew, Indic or emoji glyphs: a Fonts
// chain draws those characters with fallback TrueType fonts (the user's,
// then the system's), each character in the first font that has it, and
// records the characters that no font has; FontNote prints them, so a
// missing glyph is never a silent box. Characters outside the Basic
// Multilingual Plane are replaced by U+FFFD before they reach fpdf.
//
// A Document records the calls made on it and lays the pages out when Write
// is called. Laying out is repeated until the page numbers in the table of
// contents and the "Page N of M" footers agree with the pages they refer to
// (usually two passes), so the contents may run to several pages. The same
// content with the same Meta always gives byte-identical output.
//
// Units are PDF points (1/72 inch); pages are A4 portrait, except that a
// diagram too large for a portrait page gets a landscape page of its own.
package pdf
