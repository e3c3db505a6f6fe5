package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/build/constraint"
	goparser "go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// pkgPlan is one target package split by build constraint: the
// directives of each distinct constraint, and the load whose build
// compiles their files.
type pkgPlan struct {
	host     *packages.Package // as the first load sees it
	output   string
	variants []*variant // the unconstrained one first, then by path
	errs     errorList
}

// variant is the directives whose files share one build constraint, and
// the file generated for them.
type variant struct {
	key    string          // constraintKey of expr; "" for the unconstrained file
	expr   constraint.Expr // nil for the unconstrained file
	path   string          // the generated file's path
	pkg    *packages.Package
	fp     *fingerprinter
	founds []*found
	funcs  []*funcModel // what analysis made of founds
	config *buildConfig // the load it needs, nil for the first load
}

// variantNeed is a variant that the first load does not compile.
type variantNeed struct {
	plan *pkgPlan
	v    *variant
}

// planVariants scans the targets' directives, in the files the first load
// compiled and in those build constraints left out, and loads the
// packages again for each configuration that compiles left-out files with
// directives.
func planVariants(ctx context.Context, l *loaded, opts Options, output string) ([]*pkgPlan, error) {
	fp := newFingerprinter(l)
	constraints := make(map[string]fileConstraint)
	var plans []*pkgPlan
	var needs []variantNeed
	for _, pkg := range l.targets {
		p := &pkgPlan{host: pkg, output: output}
		plans = append(plans, p)
		if p.packageErrors(pkg) {
			continue
		}
		byKey, get := p.scan(pkg, fp, constraints)
		if dir := packageDir(pkg); dir != "" {
			scanTestFiles(dir, &p.errs)
		}
		for _, path := range leftOutFiles(pkg) {
			fc := constraintOf(constraints, path)
			key := constraintKey(fc.expr)
			if fc.expr == nil || byKey[key] != nil && byKey[key].config == nil || pkg.Name != "" && fc.pkg != pkg.Name {
				continue // not the package's, or its variant is compiled by the first load already
			}
			if byKey[key] == nil {
				v := get(key, fc.expr)
				v.pkg, v.fp = nil, nil
				v.config = &buildConfig{}
				needs = append(needs, variantNeed{p, v})
			}
		}
	}
	if len(needs) > 0 {
		host, goMinor, err := hostConfig(ctx, opts)
		if err != nil {
			return nil, err
		}
		var chosen []buildConfig
		for _, n := range needs {
			c, ok := findConfig(n.v.expr, host, goMinor, chosen)
			if !ok {
				n.v.config = nil // never built by gc: nothing to generate
				if mentionsTag(n.v.expr, buildTag) {
					reportExcluded(n.plan, n.v.key, constraints)
				}
				continue
			}
			if !slices.ContainsFunc(chosen, func(d buildConfig) bool { return d.String() == c.String() }) {
				chosen = append(chosen, c)
			}
			*n.v.config = c
		}
		for _, c := range chosen {
			var group []variantNeed
			var paths []string
			for _, n := range needs {
				if n.v.config != nil && n.v.config.String() == c.String() {
					group = append(group, n)
					if !slices.Contains(paths, n.plan.host.PkgPath) {
						paths = append(paths, n.plan.host.PkgPath)
					}
				}
			}
			if err := loadVariants(ctx, opts, c, paths, group, constraints); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range plans {
		p.variants = slices.DeleteFunc(p.variants, func(v *variant) bool { return v.key != "" && v.pkg == nil })
		names := variantFileNames(output, variantKeys(p.variants))
		dir := packageDir(p.host)
		for _, v := range p.variants {
			if v.key == "" {
				v.path = outputPath(p.host, output)
			} else if dir != "" {
				v.path = filepath.Join(dir, names[v.key])
			}
		}
		if len(p.variants) == 0 {
			continue // the package has errors, which p.errs reports
		}
		slices.SortStableFunc(p.variants[1:], func(a, b *variant) int { return strings.Compare(a.path, b.path) })
	}
	return plans, nil
}

// scan finds the directives of pkg's files and groups them by the
// constraint of their files into p's variants, the unconstrained one
// first. It returns the variants by key and the function that adds one.
func (p *pkgPlan) scan(pkg *packages.Package, fp *fingerprinter, constraints map[string]fileConstraint) (map[string]*variant, func(string, constraint.Expr) *variant) {
	byKey := make(map[string]*variant)
	get := func(key string, expr constraint.Expr) *variant {
		v := byKey[key]
		if v == nil {
			v = &variant{key: key, expr: expr, pkg: pkg, fp: fp}
			byKey[key] = v
			p.variants = append(p.variants, v)
		}
		return v
	}
	get("", nil)
	for _, file := range pkg.Syntax {
		for _, f := range scanFile(pkg.Fset, file, &p.errs) {
			fc := constraintOf(constraints, f.pos.Filename)
			v := get(constraintKey(fc.expr), fc.expr)
			v.founds = append(v.founds, f)
		}
	}
	return byKey, get
}

// reportExcluded reports every directive in the left-out files of plan
// whose constraint has key: files that the memogen tag excludes (a
// //go:build !memogen line), which go builds but memogen never loads, so
// they would silently get no wrapper.
func reportExcluded(plan *pkgPlan, key string, constraints map[string]fileConstraint) {
	for _, path := range leftOutFiles(plan.host) {
		if constraintKey(constraintOf(constraints, path).expr) != key {
			continue
		}
		fset := token.NewFileSet()
		file, err := goparser.ParseFile(fset, path, nil, goparser.ParseComments)
		if err != nil {
			continue // the go command reports it where it builds the file
		}
		var ignored errorList
		for _, f := range scanFile(fset, file, &ignored) {
			reportNeverGenerated(&plan.errs, f)
		}
	}
}

// reportNeverGenerated reports the directive f, in a file that memogen's
// build tag excludes.
func reportNeverGenerated(errs *errorList, f *found) {
	errs.add(f.pos, "the file is never generated for: memogen loads packages with the %s build tag, which this file's constraint excludes; move %s to a file that %s builds", buildTag, f.decl.Name.Name, buildTag)
}

// mentionsTag reports whether x mentions the build tag.
func mentionsTag(x constraint.Expr, tag string) bool {
	switch x := x.(type) {
	case *constraint.AndExpr:
		return mentionsTag(x.X, tag) || mentionsTag(x.Y, tag)
	case *constraint.OrExpr:
		return mentionsTag(x.X, tag) || mentionsTag(x.Y, tag)
	case *constraint.NotExpr:
		return mentionsTag(x.X, tag)
	case *constraint.TagExpr:
		return x.Tag == tag
	}
	return false
}

// loadVariants loads the packages at paths under configuration c and
// gives each variant of group that configuration's package and the
// directives of its files.
func loadVariants(ctx context.Context, opts Options, c buildConfig, paths []string, group []variantNeed, constraints map[string]fileConstraint) error {
	o := opts
	o.Env = c.env(opts.Env)
	o.Tags = c.tags
	l, err := load(ctx, paths, o)
	if err != nil {
		return fmt.Errorf("loading for %s, which build constraints require: %w", c, err)
	}
	fp := newFingerprinter(l)
	for _, n := range group {
		i := slices.IndexFunc(l.targets, func(p *packages.Package) bool { return p.PkgPath == n.plan.host.PkgPath })
		if i < 0 {
			return fmt.Errorf("loading %s for %s: not found", n.plan.host.PkgPath, c)
		}
		pkg := l.targets[i]
		n.v.pkg, n.v.fp = pkg, fp
		if n.plan.packageErrors(pkg) {
			continue
		}
		for _, file := range pkg.Syntax {
			name := pkg.Fset.Position(file.Package).Filename
			if constraintKey(constraintOf(constraints, name).expr) != n.v.key {
				continue
			}
			n.v.founds = append(n.v.founds, scanFile(pkg.Fset, file, &n.plan.errs)...)
		}
	}
	return nil
}

// packageErrors adds to p's errors those of pkg that are not expected
// while generated files are left out, and reports whether there were any.
func (p *pkgPlan) packageErrors(pkg *packages.Package) bool {
	n := len(p.errs)
	for _, e := range pkg.Errors {
		// Type errors are expected while the generated file is left out
		// (callers of the wrappers do not compile), whether the type checker
		// or the compiler behind go list reports them; analysis reports
		// those that touch an annotated signature. A package whose files
		// are all for other platforms is loaded again for theirs.
		if e.Kind == packages.TypeError || e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") ||
			len(pkg.GoFiles) == 0 && strings.Contains(e.Msg, "build constraints exclude all Go files") {
			continue
		}
		p.errs = append(p.errs, packageError(e))
	}
	return len(p.errs) > n
}

// leftOutFiles returns the package's Go files that build constraints left
// out of the load and that may hold directives, sorted; test files, files
// the go command ignores by name and memogen's own output excepted.
func leftOutFiles(pkg *packages.Package) []string {
	var out []string
	for _, path := range pkg.IgnoredFiles {
		base := filepath.Base(path)
		if !strings.HasSuffix(base, ".go") || strings.HasSuffix(base, "_test.go") || strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil || !mayHoldDirective(src) || isGenerated(src) {
			continue
		}
		out = append(out, path)
	}
	slices.Sort(out)
	return out
}

// constraintOf returns the constraint of the file at path, reading it on
// first use; a file that cannot be read or parsed counts as unconstrained,
// and loading reports its errors.
func constraintOf(cache map[string]fileConstraint, path string) fileConstraint {
	if fc, ok := cache[path]; ok {
		return fc
	}
	var fc fileConstraint
	if src, err := os.ReadFile(path); err == nil {
		fc, _ = readConstraint(path, src)
	}
	cache[path] = fc
	return fc
}

func variantKeys(vs []*variant) []string {
	var keys []string
	for _, v := range vs {
		if v.key != "" {
			keys = append(keys, v.key)
		}
	}
	return keys
}

// hostConfig returns the configuration of the go command under opts, and
// its Go 1 minor version.
func hostConfig(ctx context.Context, opts Options) (buildConfig, int, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "-json", "GOOS", "GOARCH", "CGO_ENABLED", "GOVERSION")
	cmd.Dir, cmd.Env = opts.Dir, opts.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return buildConfig{}, 0, fmt.Errorf("go env: %v: %s", err, stderr.Bytes())
	}
	var env struct{ GOOS, GOARCH, CGO_ENABLED, GOVERSION string }
	if err := json.Unmarshal(out, &env); err != nil {
		return buildConfig{}, 0, fmt.Errorf("go env: %w", err)
	}
	minor := 0
	if v, ok := strings.CutPrefix(env.GOVERSION, "go1."); ok {
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "-")
		minor, _ = strconv.Atoi(v)
	}
	return buildConfig{goos: env.GOOS, goarch: env.GOARCH, cgo: env.CGO_ENABLED == "1", tags: opts.Tags}, minor, nil
}

// generate returns the package's files, or its errors.
func (p *pkgPlan) generate() Result {
	res := Result{PkgPath: p.host.PkgPath, OutputPath: outputPath(p.host, p.output)}
	errs, contents := p.analyze()
	res.Errs, res.Warnings = errs.split()
	shortenPaths(res.Errs)
	shortenPaths(res.Warnings)
	if len(res.Errs) > 0 {
		return res
	}
	kept := map[string]bool{res.OutputPath: true}
	for _, v := range p.variants {
		if v.key == "" {
			res.Content = contents[v]
			continue
		}
		if contents[v] != nil && v.path != "" {
			res.Constrained = append(res.Constrained, Result{PkgPath: res.PkgPath, OutputPath: v.path, Content: contents[v]})
			kept[v.path] = true
		}
	}
	// Files memogen generated earlier for constraints that no directive has
	// any more, or under another -output: any two generated files of a
	// package that build together declare the same wrappers.
	if dir := packageDir(p.host); dir != "" {
		old, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, path := range old {
			if !kept[path] && !strings.HasSuffix(path, "_test.go") && generatedByMemogen(path) && packageClause(path) == p.host.Name {
				res.Constrained = append(res.Constrained, Result{PkgPath: res.PkgPath, OutputPath: path})
			}
		}
	}
	return res
}

// packageClause returns the package name a Go file declares, "" when it
// cannot be read.
func packageClause(path string) string {
	f, err := goparser.ParseFile(token.NewFileSet(), path, nil, goparser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return f.Name.Name
}

// analyze analyzes and renders every variant: the unconstrained file
// first, whose names the others must not redeclare, then each constrained
// one, whose internal names and helpers avoid those of every file before
// it, since any two may build together. It returns the errors and
// warnings of scanning and analysis, all at once, and the content of each
// variant's file. A package that failed to load has no variants.
func (p *pkgPlan) analyze() (errorList, map[*variant][]byte) {
	defer p.forgetKeyFuncs()
	errs := slices.Clone(p.errs)
	var claimed map[string]token.Position
	var shared *sharedHelpers
	avoid := make(map[string]bool)
	contents := make(map[*variant][]byte)
	for _, v := range p.variants {
		if len(v.founds) == 0 {
			continue
		}
		before := errs.count()
		m := analyzePackage(v.pkg, v.fp, v.founds, &errs, claimed, avoid)
		v.funcs = m.funcs
		if v.key == "" {
			claimed = m.claims
		}
		if errs.count() > before {
			continue
		}
		m.constraint, m.shared = v.expr, shared
		r, err := render(m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for name := range r.declared {
			avoid[name] = true
		}
		if v.key == "" {
			shared = r.helpers
		}
		contents[v] = r.content
	}
	return errs, contents
}
