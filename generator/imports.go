package generator

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// The generated file imports the runtime as memo and memoimpl, context,
// time, and the packages of the types it spells. A name that the package
// declares, or that the generated code declares itself, cannot also name an
// import of the file: such an import is aliased instead (memort,
// memortimpl, memoctx, memotime).

// importClash is an import whose name the package or the generated code
// already uses, and the alias to import it under instead.
type importClash struct{ path, alias string }

// fallbackAliases are the first aliases tried for the packages every
// generated file may import; another package's is its name after "memo".
var fallbackAliases = map[string]string{runtimePath: "memort", implPath: "memortimpl", "context": "memoctx", "time": "memotime"}

// clashingImports returns the imports of src whose names are taken by the
// package (m.taken) or by what the file declares, each with a free alias.
func clashingImports(src []byte, m *pkgModel, declared map[string]bool) ([]importClash, error) {
	file, err := goparser.ParseFile(token.NewFileSet(), DefaultOutput, src, goparser.ImportsOnly)
	if err != nil {
		return nil, fmt.Errorf("%s: reading generated imports: %w", m.path, err)
	}
	used := make(map[string]bool)
	names := make([]string, len(file.Imports))
	for i, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		names[i] = importName(spec, path, m.types)
		used[names[i]] = true
	}
	taken := func(name string) bool { return m.taken[name] || declared[name] || used[name] }
	var clashes []importClash
	for i, spec := range file.Imports {
		name := names[i]
		if name == "_" || !m.taken[name] && !declared[name] {
			continue
		}
		path, _ := strconv.Unquote(spec.Path.Value)
		base, ok := fallbackAliases[path]
		if !ok {
			base = "memo" + name
		}
		alias := base
		for n := 2; taken(alias) || token.IsKeyword(alias); n++ {
			alias = base + strconv.Itoa(n)
		}
		used[alias] = true
		clashes = append(clashes, importClash{path, alias})
	}
	return clashes, nil
}

// importName returns the name spec makes the package at path known by in
// the file: its alias, or else the package's own name. jennifer writes an
// alias for every package outside the standard library.
func importName(spec *ast.ImportSpec, path string, local *types.Package) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	if pkg := findImport(local, path, make(map[*types.Package]bool)); pkg != nil {
		return pkg.Name()
	}
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		return elems[len(elems)-2] // math/rand/v2
	}
	return last
}

// findImport returns the package at path among those pkg imports,
// directly or not.
func findImport(pkg *types.Package, path string, seen map[*types.Package]bool) *types.Package {
	if path == "unsafe" {
		return types.Unsafe
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == path {
			return imp
		}
		if !seen[imp] {
			seen[imp] = true
			if found := findImport(imp, path, seen); found != nil {
				return found
			}
		}
	}
	return nil
}
