package templates

import (
	"embed"
	"io/fs"
)

//go:embed html/*
var htmlFiles embed.FS

// HTML returns the files of the interactive HTML reports (report.html and
// diff.html): the page templates (*.html.tmpl), the stylesheet and the
// scripts, rooted at templates/html. render/html reads them from here.
func HTML() fs.FS {
	sub, err := fs.Sub(htmlFiles, "html")
	if err != nil {
		panic(err) // "html" is a valid, embedded directory
	}
	return sub
}
