// Package manual prints a command's manual, the package doc of its doc.go,
// as go doc prints it, so that -h and go doc show one text. The memogen and
// memocache commands embed their doc.go and print it with [Text].
package manual

import (
	"go/doc/comment"
	"go/parser"
	"go/token"
)

// Text returns the package doc of the Go source docGo as go doc prints it:
// code indented by four spaces, text wrapped at 80 columns. The source is
// a command's own doc.go, compiled into it, so it parses: Text panics if
// it does not, and the commands' tests call it.
func Text(docGo []byte) string {
	return string(printer().Text(parse(docGo)))
}

// parse returns the parsed package doc of the Go source docGo.
func parse(docGo []byte) *comment.Doc {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", docGo, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		panic("manual: parsing a command's doc.go: " + err.Error())
	}
	var p comment.Parser
	return p.Parse(f.Doc.Text())
}

func printer() *comment.Printer {
	return &comment.Printer{TextCodePrefix: "    "}
}
