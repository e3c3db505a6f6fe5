package generator

import (
	"go/build/constraint"
	"go/token"
	"go/types"
)

// The model is what analysis makes of a package's directives and what
// rendering turns into code: every name already chosen, every parameter
// already sorted into keyed or not.

// pkgModel is one package with directives.
type pkgModel struct {
	path  string // import path
	name  string // package name
	types *types.Package
	funcs []*funcModel
	// constraint is the build constraint of the directives' files, which
	// the generated file carries; nil for the unconstrained file.
	constraint constraint.Expr
	// claims are the package-level names the file declares for its
	// directives, with the directive each is for.
	claims map[string]token.Position
	// avoid are names other generated files of the package declare.
	avoid map[string]bool
	// shared are the helpers of the package's unconstrained file, which a
	// file for a build constraint calls; nil for that file.
	shared *sharedHelpers
	// taken are the names the generated file's imports must avoid: the
	// package's, and those the generated code declares.
	taken map[string]bool
}

// funcModel is one memoized function or method.
type funcModel struct {
	pos token.Position // of the directive
	obj *types.Func
	sig *types.Signature
	dir directive

	name    string     // the original function's name
	recv    *recvModel // nil for a plain function
	params  []paramModel
	results []*types.Var
	// resultNames are the results' names in the wrapper's signature: as
	// declared, or memoRes<i> where a name would shadow what the body
	// refers to; "" for unnamed results.
	resultNames []string
	errors      bool // the last result is an error

	ctxParam     string // the first context.Context parameter, or ""
	nocacheParam string // the nocache= parameter, or ""

	wrapper     string // the wrapper's name
	handle      string // the handle accessor's name
	handleType  string // the handle's type name
	ident       string // infix of the internal names: "Foo", "T_Foo", a name= value, maybe numbered
	unstorable  string // why the results would not survive a byte-level backend, or ""
	mayRecurse  bool   // the results may hold themselves: checked before encoding
	recursive   bool   // a result type reaches itself (a list, a tree)
	fingerprint string
	// keyFuncs are the package's //memo:key functions, whose code the
	// fingerprint covers, since they may write this function's keys.
	keyFuncs []*types.Func
	batch    *batchModel // for //memo:batch, else nil
	// errorVars are the package's error variables a cached error
	// (errttl=) may be, by name; see errorVars.
	errorVars []string
}

// recvModel is a method's receiver.
type recvModel struct {
	name  string // as used in generated code
	typ   types.Type
	named *types.Named // the receiver's base type
	keyed bool         // part of the key (by key method or fields)
}

// paramModel is one parameter of the original function.
type paramModel struct {
	name     string // as used in generated code: renamed if "", "_" or clashing
	typ      types.Type
	keyed    bool
	variadic bool // the last parameter of a variadic function, typ is a slice
	dynamic  bool // dynamic=: keyed at run time by its dynamic type and value
}

// typeParams returns the function's type parameters: the receiver's for a
// method, else its own.
func (f *funcModel) typeParams() *types.TypeParamList {
	if f.recv != nil {
		return f.sig.RecvTypeParams()
	}
	return f.sig.TypeParams()
}

// valueResults are the results a cache entry holds: all but a final error.
func (f *funcModel) valueResults() []*types.Var {
	if f.batch != nil {
		return []*types.Var{f.batch.value} // an entry per ID
	}
	if f.errors {
		return f.results[:len(f.results)-1]
	}
	return f.results
}

// keyedParams returns the parameters that enter the key.
func (f *funcModel) keyedParams() []paramModel {
	var out []paramModel
	for _, p := range f.params {
		if p.keyed {
			out = append(out, p)
		}
	}
	return out
}
