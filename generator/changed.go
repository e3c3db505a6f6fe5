package generator

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
)

// ChangedFunctions returns the functions, as F or T.M, whose fingerprint
// differs between the file on disk and the result, sorted: their code, or
// code or types they depend on, changed since the file was generated, and
// regenerating it orphans their cache entries. Functions only one of the
// two files has are left out; a missing file has none.
func (r Result) ChangedFunctions() ([]string, error) {
	var changed []string
	for _, f := range r.Files() {
		if f.OutputPath == "" || f.Content == nil {
			continue
		}
		old, err := os.ReadFile(f.OutputPath)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		before, now := fingerprints(old), fingerprints(f.Content)
		for name, fp := range now {
			if prev, ok := before[name]; ok && prev != fp {
				changed = append(changed, name)
			}
		}
	}
	slices.Sort(changed)
	return slices.Compact(changed), nil
}

// fingerprints returns the fingerprints a generated file holds, by
// function (F or T.M): the Fingerprint of each memoimpl.FuncInfo literal. A
// file that does not parse has none.
func fingerprints(src []byte) map[string]string {
	file, err := goparser.ParseFile(token.NewFileSet(), "", src, goparser.SkipObjectResolution)
	out := make(map[string]string)
	if err != nil {
		return out
	}
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if sel, ok := lit.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "FuncInfo" {
			return true
		}
		fields := make(map[string]string)
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			val, isLit := kv.Value.(*ast.BasicLit)
			if !ok || !isLit || val.Kind != token.STRING {
				continue
			}
			if s, err := strconv.Unquote(val.Value); err == nil {
				fields[key.Name] = s
			}
		}
		name := fields["Name"]
		if recv := fields["Receiver"]; recv != "" {
			name = recv + "." + name
		}
		if name != "" && fields["Fingerprint"] != "" {
			out[name] = fields["Fingerprint"]
		}
		return false
	})
	return out
}
