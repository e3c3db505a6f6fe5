package generator

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loaded is what a run loads: the packages to generate code for and, for
// fingerprints, every package of the module being developed that they
// reach through imports, all with syntax and types, in one type-checked
// world.
type loaded struct {
	targets []*packages.Package // the packages the patterns match
	source  []*packages.Package // targets and the module's packages they import, directly or not
	// modules gives the module of every package in the import graph, by
	// path; nil for the standard library.
	modules map[string]*packages.Module
	// files gives the Go files of every package in the import graph, by
	// path, to digest a local package whose syntax was not loaded.
	files map[string][]string
	// ignored gives the files of every package in the import graph that
	// build constraints leave out of this load, by path.
	ignored map[string][]string
	// imports gives the paths every package in the import graph imports,
	// by path: the packages a fingerprint resolves interface calls over
	// follow from it, not from which packages the patterns load.
	imports map[string][]string
}

// load loads the packages patterns match. A first, cheap pass lists the
// import graph with modules; the second loads the targets with syntax and
// types, together with the local packages they import (see localModule),
// whose code the fingerprints cover.
func load(ctx context.Context, patterns []string, opts Options) (*loaded, error) {
	cfg := &packages.Config{
		Context:    ctx,
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Dir:        opts.Dir,
		Env:        opts.Env,
		BuildFlags: []string{"-tags=" + strings.Join(append([]string{"memogen"}, opts.Tags...), ",")},
	}
	graph, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	if len(graph) == 0 {
		return nil, fmt.Errorf("no packages match %s", strings.Join(patterns, " "))
	}
	l := &loaded{
		modules: make(map[string]*packages.Module),
		files:   make(map[string][]string),
		ignored: make(map[string][]string),
		imports: make(map[string][]string),
	}
	targets := make(map[string]bool)
	for _, p := range graph {
		targets[p.ID] = true
	}
	packages.Visit(graph, nil, func(p *packages.Package) {
		l.modules[p.PkgPath] = p.Module
		l.files[p.PkgPath] = p.GoFiles
		l.ignored[p.PkgPath] = p.IgnoredFiles
		for _, imp := range p.Imports {
			l.imports[p.PkgPath] = append(l.imports[p.PkgPath], imp.PkgPath)
		}
		slices.Sort(l.imports[p.PkgPath])
	})

	extra := localImports(graph, targets)
	cfg.Mode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
		packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedModule
	pkgs, err := packages.Load(cfg, append(slices.Clone(patterns), extra...)...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	for _, p := range pkgs {
		if targets[p.ID] {
			l.targets = append(l.targets, p)
		}
		if len(p.Syntax) > 0 && p.TypesInfo != nil {
			l.source = append(l.source, p)
		}
	}
	if len(l.targets) == 0 {
		return nil, fmt.Errorf("no packages match %s", strings.Join(patterns, " "))
	}
	return l, nil
}

// localImports returns the paths of the packages of local modules that the
// targets import, directly or through other local packages, sorted.
func localImports(graph []*packages.Package, targets map[string]bool) []string {
	seen := make(map[string]bool)
	var out []string
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		for _, imp := range p.Imports {
			if seen[imp.ID] || !localModule(imp.Module) {
				continue
			}
			seen[imp.ID] = true
			if !targets[imp.ID] {
				out = append(out, imp.PkgPath)
			}
			visit(imp)
		}
	}
	for _, p := range graph {
		visit(p)
	}
	slices.Sort(out)
	return out
}

// localModule reports whether a module's code is developed here, so that
// no version tells its changes apart: a main module (the one generated
// for, or one of a workspace's) or a module replaced by a directory.
func localModule(m *packages.Module) bool {
	return m != nil && (m.Main || m.Replace != nil && m.Replace.Version == "")
}
