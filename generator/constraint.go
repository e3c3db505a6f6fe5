package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"go/build/constraint"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A directive in a file that build constraints select (a //go:build line,
// a _linux.go or _amd64.go name, import "C") gets its wrapper in a
// generated file with the same constraint, one file per distinct
// constraint: the wrapper must build exactly where the function it calls
// does.

// fileConstraint is what builds one source file.
type fileConstraint struct {
	expr constraint.Expr // nil when every build has the file
	pkg  string          // the package clause's name
}

// readConstraint returns the constraint of the Go file at path: its name's
// GOOS and GOARCH, its //go:build line, and cgo when it imports "C", all
// required together.
func readConstraint(path string, src []byte) (fileConstraint, error) {
	file, err := goparser.ParseFile(token.NewFileSet(), path, src, goparser.ImportsOnly|goparser.ParseComments)
	if err != nil {
		return fileConstraint{}, err
	}
	var terms []constraint.Expr
	for _, tag := range nameTags(filepath.Base(path)) {
		terms = append(terms, &constraint.TagExpr{Tag: tag})
	}
	// The go command reads // +build lines, all required together, only
	// when the file has no //go:build line.
	var goBuild, plusBuild []constraint.Expr
	for _, group := range file.Comments {
		if group.Pos() >= file.Package {
			break
		}
		for _, c := range group.List {
			if !constraint.IsGoBuild(c.Text) && !constraint.IsPlusBuild(c.Text) {
				continue
			}
			x, err := constraint.Parse(c.Text)
			if err != nil {
				return fileConstraint{}, err
			}
			if constraint.IsGoBuild(c.Text) {
				goBuild = append(goBuild, x)
			} else {
				plusBuild = append(plusBuild, x)
			}
		}
	}
	if goBuild == nil {
		goBuild = plusBuild
	}
	terms = append(terms, goBuild...)
	for _, spec := range file.Imports {
		if spec.Path.Value == `"C"` {
			terms = append(terms, &constraint.TagExpr{Tag: "cgo"})
		}
	}
	return fileConstraint{expr: conjoin(terms), pkg: file.Name.Name}, nil
}

// nameTags returns the GOOS and GOARCH a file's name requires, as the go
// command reads them: name_GOOS.go, name_GOARCH.go, name_GOOS_GOARCH.go,
// with _test before .go allowed.
func nameTags(name string) []string {
	name = strings.TrimSuffix(name, ".go")
	name = strings.TrimSuffix(name, "_test")
	i := strings.Index(name, "_")
	if i < 0 {
		return nil
	}
	parts := strings.Split(name[i:], "_")
	n := len(parts)
	if n >= 2 && knownOS[parts[n-2]] && knownArch[parts[n-1]] {
		return []string{parts[n-2], parts[n-1]}
	}
	if knownOS[parts[n-1]] || knownArch[parts[n-1]] {
		return []string{parts[n-1]}
	}
	return nil
}

// conjoin returns the conjunction of terms, flattened and without
// repeats, or nil for none.
func conjoin(terms []constraint.Expr) constraint.Expr {
	var flat []constraint.Expr
	var walk func(x constraint.Expr)
	walk = func(x constraint.Expr) {
		if and, ok := x.(*constraint.AndExpr); ok {
			walk(and.X)
			walk(and.Y)
			return
		}
		for _, y := range flat {
			if y.String() == x.String() {
				return
			}
		}
		flat = append(flat, x)
	}
	for _, t := range terms {
		walk(t)
	}
	var out constraint.Expr
	for _, x := range flat {
		if out == nil {
			out = x
		} else {
			out = &constraint.AndExpr{X: out, Y: x}
		}
	}
	return out
}

// platformSuffix returns "linux", "amd64" or "linux_amd64" when x requires
// exactly a GOOS, a GOARCH or both, which a file name says as well as a
// //go:build line; else "".
func platformSuffix(x constraint.Expr) string {
	var goos, goarch string
	var walk func(x constraint.Expr) bool
	walk = func(x constraint.Expr) bool {
		switch x := x.(type) {
		case *constraint.AndExpr:
			return walk(x.X) && walk(x.Y)
		case *constraint.TagExpr:
			switch {
			case knownOS[x.Tag] && (goos == "" || goos == x.Tag):
				goos = x.Tag
			case knownArch[x.Tag] && (goarch == "" || goarch == x.Tag):
				goarch = x.Tag
			default:
				return false
			}
			return true
		}
		return false
	}
	if x == nil || !walk(x) {
		return ""
	}
	return strings.Trim(goos+"_"+goarch, "_")
}

// constraintKey identifies a constraint: files whose constraints have one
// key share a generated file.
func constraintKey(x constraint.Expr) string {
	if x == nil {
		return ""
	}
	if s := platformSuffix(x); s != "" {
		return s
	}
	return x.String()
}

// variantFileNames returns the generated file's name for each constraint
// key but "": output with the key as a suffix (memo_gen_linux.go,
// memo_gen_linux_arm64.go, memo_gen_cgo.go, memo_gen_not-windows.go). A
// name that would say something else to the go command (a test file,
// another platform), a long one or one two keys share becomes a hash of
// the key (memo_gen_3fa9c2d1.go).
func variantFileNames(output string, keys []string) map[string]string {
	base := strings.TrimSuffix(output, ".go")
	names := make(map[string]string)
	count := make(map[string]int)
	for _, key := range keys {
		suffix := key
		if !knownPlatform(key) {
			suffix = sanitizeExpr(key)
		}
		name := base + "_" + suffix + ".go"
		if len(suffix) > 48 || strings.HasSuffix(name, "_test.go") || !knownPlatform(key) && len(nameTags(name)) > 0 {
			name = ""
		}
		names[key] = name
		count[name]++
	}
	for key, name := range names {
		if name == "" || count[name] > 1 {
			sum := sha256.Sum256([]byte(key))
			names[key] = base + "_" + hex.EncodeToString(sum[:4]) + ".go"
		}
	}
	return names
}

// knownPlatform reports whether key is a platform suffix (see
// platformSuffix).
func knownPlatform(key string) bool {
	goos, goarch, two := strings.Cut(key, "_")
	if two {
		return knownOS[goos] && knownArch[goarch]
	}
	return knownOS[key] || knownArch[key]
}

// sanitizeExpr spells a constraint expression with the characters a file
// name can hold, without underscores, which the go command would read as
// a GOOS or GOARCH suffix: "!windows" is "not-windows", "a && (b || c)" is
// "a-and-b-or-c".
func sanitizeExpr(s string) string {
	r := strings.NewReplacer("!", "not-", "&&", "-and-", "||", "-or-", "(", "", ")", "", " ", "")
	s = r.Replace(s)
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// buildConfig is a configuration to load packages under.
type buildConfig struct {
	goos, goarch string
	cgo          bool
	tags         []string
}

func (c buildConfig) String() string {
	s := "GOOS=" + c.goos + " GOARCH=" + c.goarch + " CGO_ENABLED=" + map[bool]string{true: "1", false: "0"}[c.cgo]
	if len(c.tags) > 0 {
		s += " -tags=" + strings.Join(c.tags, ",")
	}
	return s
}

// env returns base with the configuration's variables set.
func (c buildConfig) env(base []string) []string {
	if base == nil {
		base = os.Environ()
	}
	cgo := "0"
	if c.cgo {
		cgo = "1"
	}
	return append(base[:len(base):len(base)], "GOOS="+c.goos, "GOARCH="+c.goarch, "CGO_ENABLED="+cgo)
}

// satisfies reports whether a build under c compiles a file with
// constraint x; goMinor is the toolchain's Go 1 minor version. memogen
// loads with the memogen tag, and never with ignore, which by convention
// keeps a file out of every build.
func (c buildConfig) satisfies(x constraint.Expr, goMinor int) bool {
	return x.Eval(func(tag string) bool {
		switch {
		case tag == c.goos || tag == c.goarch || tag == "gc" || tag == "memogen":
			return true
		case tag == "cgo":
			return c.cgo
		case tag == "unix":
			return unixOS[c.goos]
		case tag == "linux":
			return c.goos == "android"
		case tag == "darwin":
			return c.goos == "ios"
		case tag == "solaris":
			return c.goos == "illumos"
		}
		if v, ok := strings.CutPrefix(tag, "go1."); ok {
			n, err := strconv.Atoi(v)
			return err == nil && n <= goMinor
		}
		for _, t := range c.tags {
			if t == tag {
				return true
			}
		}
		return false
	})
}

// findConfig returns a configuration under which a file with constraint x
// builds: preferably one already chosen, then the host's GOOS and GOARCH
// with the tags of the run, then other platforms and tag sets. ok is false
// when none does (//go:build ignore, gccgo, a future Go version).
func findConfig(x constraint.Expr, host buildConfig, goMinor int, chosen []buildConfig) (buildConfig, bool) {
	for _, c := range chosen {
		if c.satisfies(x, goMinor) {
			return c, true
		}
	}
	custom := customTags(x, host.tags)
	for _, p := range platforms(host) {
		for _, cgo := range []bool{host.cgo, !host.cgo} {
			for mask := range 1 << len(custom) {
				c := buildConfig{goos: p[0], goarch: p[1], cgo: cgo, tags: host.tags}
				for i, t := range custom {
					if mask&(1<<i) != 0 {
						c.tags = append(c.tags[:len(c.tags):len(c.tags)], t)
					}
				}
				if c.satisfies(x, goMinor) {
					return c, true
				}
			}
		}
	}
	return buildConfig{}, false
}

// customTags returns the tags x mentions that no platform, toolchain or
// cgo setting decides, and that the run does not set already; at most 8.
func customTags(x constraint.Expr, set []string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, t := range set {
		seen[t] = true
	}
	var walk func(x constraint.Expr)
	walk = func(x constraint.Expr) {
		switch x := x.(type) {
		case *constraint.AndExpr:
			walk(x.X)
			walk(x.Y)
		case *constraint.OrExpr:
			walk(x.X)
			walk(x.Y)
		case *constraint.NotExpr:
			walk(x.X)
		case *constraint.TagExpr:
			t := x.Tag
			if seen[t] || knownOS[t] || knownArch[t] || strings.HasPrefix(t, "go1.") ||
				t == "cgo" || t == "gc" || t == "gccgo" || t == "unix" || t == "memogen" || t == "ignore" || len(out) == 8 {
				return
			}
			seen[t] = true
			out = append(out, t)
		}
	}
	walk(x)
	return out
}

// platforms lists the GOOS/GOARCH pairs findConfig tries, the host's
// first.
func platforms(host buildConfig) [][2]string {
	out := [][2]string{{host.goos, host.goarch}}
	for _, p := range strings.Fields(firstClassPorts) {
		goos, goarch, _ := strings.Cut(p, "/")
		if goos != host.goos || goarch != host.goarch {
			out = append(out, [2]string{goos, goarch})
		}
	}
	return out
}

// firstClassPorts and then the other ports of `go tool dist list`, tried in
// this order.
const firstClassPorts = `linux/amd64 linux/arm64 darwin/arm64 darwin/amd64 windows/amd64 windows/arm64
linux/386 linux/arm windows/386
aix/ppc64 android/386 android/amd64 android/arm android/arm64 dragonfly/amd64
freebsd/386 freebsd/amd64 freebsd/arm freebsd/arm64 freebsd/riscv64 illumos/amd64 ios/amd64 ios/arm64
js/wasm linux/loong64 linux/mips linux/mips64 linux/mips64le linux/mipsle linux/ppc64 linux/ppc64le
linux/riscv64 linux/s390x netbsd/386 netbsd/amd64 netbsd/arm netbsd/arm64 openbsd/386 openbsd/amd64
openbsd/arm openbsd/arm64 openbsd/ppc64 openbsd/riscv64 plan9/386 plan9/amd64 plan9/arm solaris/amd64
wasip1/wasm`

// knownOS, unixOS and knownArch are the go command's lists (go/build's
// syslist.go), which decide what a file name's suffix means.
var (
	knownOS   = setOf("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos")
	unixOS    = setOf("aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris")
	knownArch = setOf("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le " +
		"ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm")
)

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// mayHoldDirective reports whether src has a line that looks like a memo
// directive, which scanning reports or uses.
func mayHoldDirective(src []byte) bool {
	return bytes.Contains(src, []byte(directivePrefix))
}
