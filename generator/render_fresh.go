package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// This file renders what the freshness options and the outcome API add to
// the generated code; see the README's "Freshness".

// freshInfo adds the freshness options to a FuncInfo literal.
func (r *funcRenderer) freshInfo(info jen.Dict) {
	if r.fm.batch != nil {
		return // a batch's errttl= is its missing IDs' lifetime; see render_batch.go
	}
	o := r.fm.dir.Fresh
	if o.Stale > 0 {
		info[jen.Id("Stale")] = durationExpr(o.Stale)
	}
	if o.StaleIfError > 0 {
		info[jen.Id("StaleIfError")] = durationExpr(o.StaleIfError)
	}
	if o.Early > 0 {
		info[jen.Id("Early")] = jen.Lit(o.Early)
	}
	if o.ErrTTL > 0 {
		info[jen.Id("ErrTTL")] = durationExpr(o.ErrTTL)
		if o.ErrTTLIf != "" {
			info[jen.Id("CacheError")] = jen.Id(o.ErrTTLIf)
		}
		if len(r.fm.errorVars) > 0 {
			vars := jen.Dict{}
			for _, name := range r.fm.errorVars {
				vars[jen.Lit(name)] = jen.Id(name)
			}
			info[jen.Id("Sentinels")] = jen.Map(jen.String()).Error().Values(vars)
		}
	}
	if o.TTLRefresh {
		info[jen.Id("TTLRefresh")] = jen.True()
	}
}

// freshDoc documents the freshness options in the wrapper's doc comment;
// it replaces the sentence saying errors are not cached.
func (r *funcRenderer) freshDoc() []string {
	if r.fm.batch != nil {
		return nil
	}
	o := r.fm.dir.Fresh
	var lines []string
	if o.TTLRefresh {
		lines = append(lines, fmt.Sprintf("Each hit makes the result live for another %s.", r.fm.dir.TTL))
	}
	if o.Stale > 0 {
		lines = append(lines, fmt.Sprintf("For %s after expiry the expired result is returned at once while one background refresh replaces it.", o.Stale))
	}
	if o.StaleIfError > 0 {
		lines = append(lines, fmt.Sprintf("For %s after expiry, when the function fails, the expired result is returned instead of the error.", o.StaleIfError))
	}
	if o.Early > 0 {
		lines = append(lines, fmt.Sprintf("Close to expiry a hit may recompute early, with a probability that grows as expiry nears (XFetch, beta %g).", o.Early))
	}
	if r.fm.errors {
		if o.ErrTTL > 0 {
			which := "Errors are"
			if o.ErrTTLIf != "" {
				which = fmt.Sprintf("Errors that %s accepts are", o.ErrTTLIf)
			}
			lines = append(lines, fmt.Sprintf("%s cached for %s; in a byte-level backend an error comes back as the package's error variable it was, or as a memo.CachedError with its message that errors.Is matches with the variable it wrapped.", which, o.ErrTTL))
		} else {
			lines = append(lines, "Errors are returned, not cached.")
		}
	}
	return lines
}

// renderWithOutcome emits the handle's WithOutcome method: the wrapper's
// call, also returning how it was served.
func (r *funcRenderer) renderWithOutcome(f *jen.File, method func(name string) *jen.Statement, recv string) {
	fm := r.fm
	f.Commentf("WithOutcome calls %s and also returns how the call was served:", r.wrapperRef())
	f.Comment("memo.Hit, memo.Miss, memo.Shared, memo.Refresh, memo.Stale, or")
	f.Comment("memo.Uncached when it ran without the cache.")
	var results []jen.Code
	for _, v := range fm.valueResults() {
		results = append(results, typeExpr(v.Type()))
	}
	results = append(results, jen.Qual(runtimePath, "Outcome"))
	if fm.errors {
		results = append(results, jen.Error())
	}
	method("WithOutcome").Params(r.paramList()...).Params(results...).BlockFunc(func(g *jen.Group) {
		if fm.recv != nil {
			g.Id(fm.recv.name).Op(":=").Id(recv).Dot("recv")
		}
		r.callBody(g, jen.Id(fm.recv.nameOrEmpty()), true)
	})
	f.Line()
}

// withOutcome inserts memoOutcome among return values, before the error
// when there is one.
func withOutcome(vals []jen.Code, errors bool) []jen.Code {
	out := append([]jen.Code(nil), vals...)
	if errors {
		last := out[len(out)-1]
		return append(append(out[:len(out)-1], jen.Id("memoOutcome")), last)
	}
	return append(out, jen.Id("memoOutcome"))
}
