package main

import (
	"cmp"
	"context"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"github.com/memogen/memogen/internal/suggest"
	"github.com/memogen/memogen/runtime/store"
)

// checkFuncName checks that s names a function as listings show it:
// "import/path.Name", "import/path.Type.Method" for a method, and for one
// instantiation of a generic function or type its type arguments as the
// runtime spells them: "a/b.Map[int,string]", "a/b.List[int].Join".
func checkFuncName(s string) error {
	parts := strings.Split(stripTypeArgs(s[strings.LastIndex(s, "/")+1:]), ".")
	ok := len(parts) >= 2 && parts[0] != "" && balanced(s)
	for _, p := range parts[1:] {
		ok = ok && token.IsIdentifier(p)
	}
	if !ok {
		return fmt.Errorf("function %q: want import/path.Name, e.g. example.com/users.FetchUser", s)
	}
	return nil
}

// balanced reports whether the brackets of s pair up, and each pair holds
// something and follows a name.
func balanced(s string) bool {
	depth := 0
	for i, r := range s {
		switch r {
		case '[':
			if depth == 0 && (i == 0 || s[i-1] == '.' || s[i-1] == '/') {
				return false
			}
			depth++
		case ']':
			if depth == 0 || s[i-1] == '[' && depth == 1 {
				return false
			}
			depth--
		}
	}
	return depth == 0
}

// stripTypeArgs removes the bracketed type arguments from a function's
// name: "a/b.Map[int,[]uint8]" becomes "a/b.Map", "a/b.List[int].Join"
// becomes "a/b.List.Join". Type arguments hold no slash: the runtime names
// an instantiation by a hash when they are not built of predeclared types.
func stripTypeArgs(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth = max(0, depth-1)
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matches reports whether the user's name names the function fn: its own
// name, or for an instantiation of a generic function or type, the name
// without type arguments, which names every instantiation.
func matches(name string, fn store.FuncID) bool {
	s := fn.String()
	return s == name || !strings.Contains(name, "[") && stripTypeArgs(s) == name
}

// readings returns the functions a name can mean. The last element of an
// import path may have dots in it (gopkg.in/yaml.v3), so "a/b.c.D" is
// function D of package a/b.c or method c.D of package a/b: both are
// returned.
func readings(name string) []store.FuncID {
	pkgEnd := strings.LastIndex(name, "/") + 1
	parts := strings.Split(name[pkgEnd:], ".")
	n := len(parts)
	ids := []store.FuncID{{Package: strings.TrimSuffix(name, "."+parts[n-1]), Name: parts[n-1]}}
	if n > 2 {
		method := parts[n-2] + "." + parts[n-1]
		ids = append(ids, store.FuncID{Package: strings.TrimSuffix(name, "."+method), Name: method})
	}
	return ids
}

// entriesOf returns the entries of the function that name names, every
// instantiation of it if it is generic, or of every function when name is
// "", sorted by function and digest. A name that has no entries is an
// error that says which functions have some, and which of them was
// perhaps meant.
func entriesOf(ctx context.Context, b store.Backend, name string) ([]store.StoredEntry, error) {
	l, ok := b.(store.Lister)
	if !ok {
		return nil, fmt.Errorf("%T cannot list its entries", b)
	}
	if name == "" {
		return listAll(ctx, l, []store.FuncID{{}})
	}
	// Listing one function is cheap; listing every function, which finds
	// the instantiations of a generic name, is not, so it comes second.
	entries, err := listAll(ctx, l, readings(name))
	if err != nil || len(entries) > 0 {
		return entries, err
	}
	all, err := listAll(ctx, l, []store.FuncID{{}})
	if err != nil {
		return nil, err
	}
	entries = slices.DeleteFunc(slices.Clone(all), func(e store.StoredEntry) bool { return !matches(name, e.Key.Func) })
	if len(entries) == 0 {
		return nil, noEntries(name, all)
	}
	return entries, nil
}

// maxListed is how many functions the error for a name without entries
// lists.
const maxListed = 10

// noEntries is the error for a name without entries, in a cache that holds
// the entries all.
func noEntries(name string, all []store.StoredEntry) error {
	var names []string
	for _, e := range all {
		names = append(names, e.Key.Func.String(), stripTypeArgs(e.Key.Func.String()))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 {
		return fmt.Errorf("no entries of %s: the cache is empty", name)
	}
	msg := fmt.Sprintf("no entries of %s%s", name, suggest.DidYouMean(name, names))
	shown := slices.DeleteFunc(slices.Clone(names), func(s string) bool { return strings.Contains(s, "[") })
	if len(shown) > maxListed {
		shown = append(shown[:maxListed], fmt.Sprintf("and %d more", len(shown)-maxListed))
	}
	return fmt.Errorf("%s\nthe cache holds entries of %s", msg, strings.Join(shown, ", "))
}

// listAll returns the entries of fns, sorted by function and digest. A
// store that keys entries by the function's name, as Redis does, lists
// the same entries under both readings of a dotted name: each is returned
// once.
func listAll(ctx context.Context, l store.Lister, fns []store.FuncID) ([]store.StoredEntry, error) {
	var entries []store.StoredEntry
	for _, fn := range fns {
		err := l.List(ctx, fn, func(e store.StoredEntry) bool {
			entries = append(entries, e)
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	compare := func(a, b store.StoredEntry) int {
		return cmp.Or(cmp.Compare(a.Key.Func.String(), b.Key.Func.String()), cmp.Compare(a.Key.Digest, b.Key.Digest))
	}
	slices.SortFunc(entries, compare)
	return slices.CompactFunc(entries, func(a, b store.StoredEntry) bool { return compare(a, b) == 0 }), nil
}
