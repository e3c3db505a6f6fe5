package main

import (
	_ "embed"
	"go/doc/comment"
	"go/parser"
	"go/token"
)

// docGo is doc.go, whose package doc is memogen's manual: embedding it
// makes -h print what go doc prints, from the one text.
//
//go:embed doc.go
var docGo []byte

// cacheHeading is the heading of the manual's section on the cache command.
const cacheHeading = "The cache command"

// manual returns the package doc as go doc prints it.
func manual() string {
	d := manualDoc()
	return string(docPrinter().Text(d))
}

// cacheManual returns the manual's section on the cache command, without
// its heading.
func cacheManual() string {
	d := manualDoc()
	var section []comment.Block
	in := false
	for _, b := range d.Content {
		if h, ok := b.(*comment.Heading); ok {
			in = headingText(h) == cacheHeading
			continue
		}
		if in {
			section = append(section, b)
		}
	}
	return string(docPrinter().Text(&comment.Doc{Content: section, Links: d.Links}))
}

// manualDoc parses the package doc of doc.go. The file is compiled into
// the command, so that it parses is a build-time fact, which the tests
// check.
func manualDoc() *comment.Doc {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", docGo, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		panic("memogen: parsing its own doc.go: " + err.Error())
	}
	var p comment.Parser
	return p.Parse(f.Doc.Text())
}

// docPrinter prints as go doc prints a package doc: code indented by four
// spaces, text wrapped at 80 columns.
func docPrinter() *comment.Printer {
	return &comment.Printer{TextCodePrefix: "    "}
}

func headingText(h *comment.Heading) string {
	var s string
	for _, t := range h.Text {
		if p, ok := t.(comment.Plain); ok {
			s += string(p)
		}
	}
	return s
}
