package typeid

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// mainItem stands for a type of package main: these tests tell the speller
// that this package is the main one.
type mainItem struct {
	ID int
	//lint:ignore U1000 unexported on purpose: the code under test must see it
	note string
}

// spellAsMain spells t as a program whose main package is this one would,
// with import path mainPath ("" for none).
func spellAsMain(t reflect.Type, mainPath string) (spelling string, unnamedMain bool) {
	s := speller{expanding: make(map[reflect.Type]bool), mainPkg: reflect.TypeFor[mainItem]().PkgPath(), mainPath: mainPath}
	s.spell(t)
	return s.b.String(), s.unnamedMain
}

// Every program's main package is "main" to reflection: a spelling names
// it by the program's import path instead, so that two programs that
// declare main.Item never share a spelling.
func TestMainPackageIsSpelledByItsImportPath(t *testing.T) {
	t.Parallel()
	here := reflect.TypeFor[mainItem]().PkgPath()
	for _, tc := range []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[mainItem](), "example.com/cmd/a.mainItem=struct{ID int; example.com/cmd/a.note string}"},
		{reflect.TypeFor[[]map[string]*mainItem](), "[]map[string]*example.com/cmd/a.mainItem=struct{ID int; example.com/cmd/a.note string}"},
		{reflect.TypeFor[func(mainItem) error](), "func(example.com/cmd/a.mainItem=struct{ID int; example.com/cmd/a.note string})(error)"},
		{reflect.TypeFor[time.Duration](), "time.Duration=int64"},
	} {
		a, unnamed := spellAsMain(tc.typ, "example.com/cmd/a")
		if a != tc.want || unnamed {
			t.Errorf("spelling of %v in example.com/cmd/a = %q, unnamed main %v; want %q, false", tc.typ, a, unnamed, tc.want)
		}
		b, _ := spellAsMain(tc.typ, "example.com/cmd/b")
		if names := strings.Contains(tc.want, "cmd/a"); names == (a == b) {
			t.Errorf("spelling of %v in example.com/cmd/a = %q, in example.com/cmd/b = %q; want them to differ exactly when the type involves package main", tc.typ, a, b)
		}
		if strings.Contains(a, here) {
			t.Errorf("spelling of %v = %q names %s, which stands for main", tc.typ, a, here)
		}
	}
}

// A program built from files has no import path for its main package:
// its types of package main are valid in this process only.
func TestMainPackageWithoutImportPath(t *testing.T) {
	t.Parallel()
	if _, unnamed := spellAsMain(reflect.TypeFor[[]mainItem](), ""); !unnamed {
		t.Errorf("[]mainItem in a main package without import path: unnamed main false; want true")
	}
	if _, unnamed := spellAsMain(reflect.TypeFor[time.Duration](), ""); unnamed {
		t.Errorf("time.Duration in a main package without import path: unnamed main true; want false")
	}
	info := &Info{Spelling: "main.mainItem", Ranked: "main.mainItem#1", group: new(spellingGroup), unnamedMain: true}
	if id, local := info.Identity(); id != "main.mainItem" || !local {
		t.Errorf("identity of an unnamed main type = %q, local %v; want %q, true", id, local, "main.mainItem")
	}
	if err := ErrLocal(info); !errors.Is(err, ErrUnnamedMain) {
		t.Errorf("ErrLocal(unnamed main type) = %v; want %v", err, ErrUnnamedMain)
	}
}
