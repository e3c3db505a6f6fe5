package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"hash"
	"reflect"
)

// fingerprint digests what makes a function's cached results valid: its
// syntax tree (its signature and body, without comments or positions, so
// reformatting or rewording a comment changes nothing), the directive's
// canonical options and the result types. Generated code passes it to the
// runtime, which folds it into every byte-level key: editing the function
// orphans its old entries the next time code is generated. Callees are not
// covered; bump version= when a change elsewhere alters results.
func fingerprint(decl *ast.FuncDecl, options string, results []*types.Var, local *types.Package) string {
	h := sha256.New()
	stripped := *decl
	stripped.Doc = nil
	writeNode(h, reflect.ValueOf(&stripped))
	fmt.Fprintf(h, "\x00%s\x00", options)
	for _, r := range results {
		fmt.Fprintf(h, "%s\x00", types.TypeString(r.Type(), (*types.Package).Path))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

var (
	posType          = reflect.TypeFor[token.Pos]()
	commentGroupType = reflect.TypeFor[*ast.CommentGroup]()
	objectType       = reflect.TypeFor[*ast.Object]()
	scopeType        = reflect.TypeFor[*ast.Scope]()
)

// writeNode writes a syntax tree's shape and contents to h: node types,
// identifiers, literals and operators, skipping positions, comments and the
// resolver's objects.
func writeNode(h hash.Hash, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.Write([]byte{0})
			return
		}
		writeNode(h, v.Elem())
	case reflect.Struct:
		fmt.Fprintf(h, "(%s", v.Type().Name())
		for i := range v.NumField() {
			f := v.Field(i)
			switch f.Type() {
			case posType, commentGroupType, objectType, scopeType:
				continue
			}
			writeNode(h, f)
		}
		h.Write([]byte{')'})
	case reflect.Slice:
		fmt.Fprintf(h, "[%d", v.Len())
		for i := range v.Len() {
			writeNode(h, v.Index(i))
		}
		h.Write([]byte{']'})
	case reflect.String:
		fmt.Fprintf(h, "%q", v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprintf(h, "%d", v.Int())
	case reflect.Bool:
		fmt.Fprintf(h, "%t", v.Bool())
	}
}
