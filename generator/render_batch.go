package generator

import (
	"fmt"
	"go/types"
	"strings"

	"github.com/dave/jennifer/jen"
)

// renderBatch emits what a //memo:batch function needs: its cache, the
// function that starts a call for one ID and writes its key, the wrapper
// and the handle.
func (r *funcRenderer) renderBatch(f *jen.File) {
	fm := r.fm
	f.Commentf("%s is the cache of %s, one entry per ID.", r.funcVar(), r.displayName())
	var errTTL jen.Code = jen.Lit(0)
	if fm.dir.Fresh.ErrTTL > 0 {
		errTTL = durationExpr(fm.dir.Fresh.ErrTTL)
	}
	f.Var().Id(r.funcVar()).Op("=").Qual(implPath, "NewBatch").Call(
		jen.Qual(implPath, "FuncInfo").Values(r.funcInfo()),
		errTTL,
	)
	f.Line()
	r.renderBatchBegin(f)
	r.renderBatchWrapper(f)
	r.renderBatchHandle(f)
}

// batchKeyedArgs returns the receiver when keyed, then the keyed
// parameters, with one ID, memoID, in the place of the IDs: the key of
// one ID is that of a memoized call with the ID for the IDs.
func (r *funcRenderer) batchKeyedArgs() []keyedArg {
	var out []keyedArg
	if rm := r.fm.recv; rm != nil && rm.keyed {
		out = append(out, keyedArg{name: rm.name, typ: rm.typ})
	}
	for _, p := range r.fm.params {
		switch {
		case p.name == r.fm.batch.ids:
			out = append(out, keyedArg{name: batchIDLocal, typ: r.fm.batch.idType})
		case p.keyed:
			out = append(out, keyedArg{name: p.name, typ: p.typ, dynamic: p.dynamic})
		}
	}
	return out
}

// renderBatchBegin emits the function that starts a call of one ID on the
// Func it is given, the results' or the missing markers', and writes its
// key.
func (r *funcRenderer) renderBatchBegin(f *jen.File) {
	fm := r.fm
	params := []jen.Code{jen.Id("memoF").Op("*").Qual(implPath, "Func")}
	ctx := jen.Qual("context", "Background").Call()
	beginCtx := "ctx"
	keyed := r.batchKeyedArgs()
	for _, a := range keyed {
		if a.name == "ctx" {
			beginCtx = "memoCtx"
		}
	}
	if fm.ctxParam != "" {
		ctx = jen.Id(beginCtx)
		params = append(params, jen.Id(beginCtx).Qual("context", "Context"))
	}
	var describe []jen.Code
	for _, a := range keyed {
		params = append(params, jen.Id(keyParamName(a.name)).Add(typeExpr(a.typ)))
		switch {
		case a.name == batchIDLocal:
			describe = append(describe, jen.Lit(fm.batch.ids+"[]"), jen.Id(batchIDLocal))
		case fm.recv == nil || a.name != fm.recv.name:
			describe = append(describe, jen.Lit(a.name), jen.Id(keyParamName(a.name)))
		}
	}
	f.Commentf("%s starts a call of one ID of %s on memoF and writes its key.", r.beginFunc(), r.displayName())
	f.Func().Id(r.beginFunc()).Params(params...).Op("*").Qual(implPath, "Call").BlockFunc(func(g *jen.Group) {
		g.Id("memoCall").Op(":=").Id("memoF").Dot("Begin").Call(ctx)
		g.Id(keyVar).Op(":=").Id("memoCall").Dot("BeginKey").Call()
		for _, a := range keyed {
			r.keys.writeArg(g, a)
		}
		g.Id("memoCall").Dot("EndKey").Call(jen.Id(keyVar))
		g.Id("memoCall").Dot("Summarize").Call(jen.Func().Params().String().Block(
			jen.Return(jen.Qual(implPath, "Describe").Call(describe...)),
		))
		g.Return(jen.Id("memoCall"))
	})
	f.Line()
}

// batchBeginCall returns a call of the Begin function for one ID, named
// id, on the Func memoF; recv is the receiver expression for methods.
func (r *funcRenderer) batchBeginCall(recv jen.Code, id string) *jen.Statement {
	fm := r.fm
	args := []jen.Code{jen.Id("memoF")}
	if fm.ctxParam != "" {
		args = append(args, jen.Id(fm.ctxParam))
	}
	for _, a := range r.batchKeyedArgs() {
		switch {
		case a.name == batchIDLocal:
			args = append(args, jen.Id(id))
		case fm.recv != nil && a.name == fm.recv.name:
			args = append(args, recv)
		default:
			args = append(args, jen.Id(a.name))
		}
	}
	return jen.Id(r.beginFunc()).Call(args...)
}

// batchBeginFunc returns a func(memoF *memoimpl.Func, memoID K)
// *memoimpl.Call that starts a call of one ID.
func (r *funcRenderer) batchBeginFunc(recv jen.Code) *jen.Statement {
	return jen.Func().Params(
		jen.Id("memoF").Op("*").Qual(implPath, "Func"),
		jen.Id(batchIDLocal).Add(typeExpr(r.fm.batch.idType)),
	).Op("*").Qual(implPath, "Call").Block(jen.Return(r.batchBeginCall(recv, batchIDLocal)))
}

func (r *funcRenderer) renderBatchWrapper(f *jen.File) {
	fm := r.fm
	for _, line := range wrap(r.batchDoc(), 76) {
		f.Comment(line)
	}
	decl := f.Func()
	if fm.recv != nil {
		decl.Params(jen.Id(fm.recv.name).Add(typeExpr(fm.recv.typ)))
	}
	decl.Id(fm.wrapper).Params(r.paramList()...).Add(r.resultList()).BlockFunc(func(g *jen.Group) {
		ctx := jen.Qual("context", "Background").Call()
		if fm.ctxParam != "" {
			ctx = jen.Id(fm.ctxParam)
		}
		refresh := jen.False()
		if fm.nocacheParam != "" {
			refresh = jen.Bool().Call(jen.Id(fm.nocacheParam))
			if isBool(fm.paramType(fm.nocacheParam)) {
				refresh = jen.Id(fm.nocacheParam)
			}
		}
		run, results := "BatchMap", jen.Map(typeExpr(fm.batch.idType)).Add(typeExpr(fm.batch.value.Type()))
		if fm.batch.slice {
			run, results = "BatchSlice", jen.Index().Add(typeExpr(fm.batch.value.Type()))
		}
		fetch := jen.Func().Params(jen.Id("memoIDs").Index().Add(typeExpr(fm.batch.idType))).Params(results, jen.Error()).Block(
			jen.Return(r.batchOriginalCall()),
		)
		g.Return(jen.Qual(implPath, run).Call(ctx, jen.Id(r.funcVar()), jen.Id(fm.batch.ids), refresh, r.batchBeginFunc(jen.Id(fm.recv.nameOrEmpty())), fetch))
	})
	f.Line()
}

// batchOriginalCall calls the original function with the wrapper's
// arguments, memoIDs in the place of the IDs.
func (r *funcRenderer) batchOriginalCall() jen.Code {
	fm := r.fm
	fn := jen.Id(fm.name)
	if fm.recv != nil {
		fn = jen.Id(fm.recv.name).Dot(fm.name)
	}
	return fn.CallFunc(func(g *jen.Group) {
		for _, p := range fm.params {
			switch {
			case p.name == fm.batch.ids && p.variadic:
				g.Id("memoIDs").Op("...")
			case p.name == fm.batch.ids:
				g.Id("memoIDs")
			case p.variadic:
				g.Id(p.name).Op("...")
			default:
				g.Id(p.name)
			}
		}
	})
}

// batchIDParams declares the parameters of one ID's handle methods: the
// wrapper's, with one ID, named idName, in the place of the IDs.
func (r *funcRenderer) batchIDParams() []jen.Code {
	var out []jen.Code
	for _, p := range r.fm.params {
		switch {
		case p.name == r.fm.batch.ids:
			out = append(out, jen.Id(r.fm.batch.idName).Add(typeExpr(r.fm.batch.idType)))
		case p.variadic:
			out = append(out, jen.Id(p.name).Op("...").Add(typeExpr(p.typ.(*types.Slice).Elem())))
		default:
			out = append(out, jen.Id(p.name).Add(typeExpr(p.typ)))
		}
	}
	return out
}

func (r *funcRenderer) renderBatchHandle(f *jen.File) {
	fm := r.fm
	handleType := jen.Id(fm.handleType)
	recv := "h"
	for _, p := range fm.params {
		if p.name == "h" {
			recv = "memoH"
		}
	}
	f.Commentf("%s returns the handle of %s's cache.", fm.handle, r.wrapperRef())
	decl := f.Func()
	value := jen.Add(handleType).Values()
	if fm.recv != nil {
		decl.Params(jen.Id(fm.recv.name).Add(typeExpr(fm.recv.typ)))
		value = jen.Add(handleType).Values(jen.Dict{jen.Id("recv"): jen.Id(fm.recv.name)})
	}
	decl.Id(fm.handle).Params().Add(handleType).Block(jen.Return(value))
	f.Line()

	f.Commentf("%s controls the cache of %s.", fm.handleType, r.wrapperRef())
	f.Type().Id(fm.handleType).StructFunc(func(g *jen.Group) {
		if fm.recv != nil {
			g.Id("recv").Add(typeExpr(fm.recv.typ))
		}
	})
	f.Line()

	method := func(name string) *jen.Statement {
		return f.Func().Params(jen.Id(recv).Add(handleType)).Id(name)
	}
	recvExpr := jen.Id(recv).Dot("recv")
	begin := jen.Func().Params(jen.Id("memoF").Op("*").Qual(implPath, "Func")).Op("*").Qual(implPath, "Call").Block(
		jen.Return(r.batchBeginCall(recvExpr, fm.batch.idName)),
	)

	f.Commentf("Forget removes the cached result of %s, and its missing mark, if any.", fm.batch.idName)
	method("Forget").Params(r.batchIDParams()...).Error().Block(jen.Return(jen.Id(r.funcVar()).Dot("Forget").Call(begin)))
	f.Line()

	for _, line := range wrap([]string{fmt.Sprintf("Contains reports whether a live result, or a live missing mark, is cached for %s: whether a call would not ask %s for it.", fm.batch.idName, r.displayName())}, 76) {
		f.Comment(line)
	}
	method("Contains").Params(r.batchIDParams()...).Bool().Block(jen.Return(jen.Id(r.funcVar()).Dot("Contains").Call(begin)))
	f.Line()

	f.Comment("Clear removes every cached result and missing mark.")
	method("Clear").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Return(jen.Id(r.funcVar()).Dot("Clear").Call(jen.Id("ctx"))),
	)
	f.Line()

	f.Comment("Stats returns the cache's counters, one per ID.")
	method("Stats").Params().Qual(runtimePath, "Stats").Block(
		jen.Return(jen.Id(r.funcVar()).Dot("Stats").Call()),
	)
	f.Line()
}

// batchDoc documents the wrapper of a batch function.
func (r *funcRenderer) batchDoc() []string {
	fm := r.fm
	b := fm.batch
	var others, unkeyed []string
	for _, p := range fm.params {
		switch {
		case p.name == b.ids:
		case p.keyed:
			others = append(others, p.name)
		case p.name != fm.nocacheParam && p.name != fm.ctxParam && !isMemoArg(p.name):
			unkeyed = append(unkeyed, p.name)
		}
	}
	lines := []string{
		fmt.Sprintf("%s is the memoized form of the batch function %s: each ID of %s is cached under its own key, and a call asks %s only for the IDs it does not find cached, each once, and merges.", fm.wrapper, r.originalRef(), b.ids, fm.name),
		"Concurrent calls share the IDs in flight: a call waits for the IDs another is asking for and asks only for the rest.",
	}
	key := "the ID"
	if fm.recv != nil && fm.recv.keyed {
		key = "the receiver, the ID"
	}
	if len(others) > 0 {
		lines = append(lines, fmt.Sprintf("An ID's key is made of %s and %s.", key, joinAnd(others)))
	}
	if len(unkeyed) > 0 {
		lines = append(lines, fmt.Sprintf("%s %s %s not part of the key.", plural(len(unkeyed), "Argument", "Arguments"), joinAnd(unkeyed), plural(len(unkeyed), "is", "are")))
	}
	if fm.recv != nil && !fm.recv.keyed {
		lines = append(lines, "All receivers share entries.")
	}
	if b.slice {
		lines = append(lines, fmt.Sprintf("Result i answers %s[i], duplicates included, as %s's must: a call of %s that returns a number of results other than the number of IDs it was given fails with memo.ErrBatchLength.", b.ids, fm.name, fm.name))
	} else {
		lines = append(lines, fmt.Sprintf("Duplicate IDs are asked for once; IDs %s does not return are absent from the result", fm.name))
		if fm.dir.Fresh.ErrTTL > 0 {
			lines[len(lines)-1] += fmt.Sprintf(", and cached as missing for %s (errttl=): calls do not ask for them again while that lasts.", fm.dir.Fresh.ErrTTL)
		} else {
			lines[len(lines)-1] += " and asked for again by every call."
		}
	}
	if fm.dir.TTL > 0 {
		lines = append(lines, fmt.Sprintf("Results expire after %s.", fm.dir.TTL))
	}
	if fm.nocacheParam != "" {
		lines = append(lines, fmt.Sprintf("When %s is true the cache is not read: %s is asked for every ID and its results replace the cached ones.", fm.nocacheParam, fm.name))
	}
	lines = append(lines, fmt.Sprintf("An error of %s is returned for the whole call, and nothing of that call is cached.", fm.name))
	if bk := fm.dir.Backend; bk != "" && bk != "default" {
		lines = append(lines, fmt.Sprintf("Results live in the backend named %q.", bk))
	}
	if fm.unstorable != "" {
		lines = append(lines, fmt.Sprintf("Results are kept only in memory: bound to a byte-level backend (a file, Redis, S3), calls run uncached, because %s.", fm.unstorable))
	}
	if fm.recursive {
		lines = append(lines, "A result that holds a cycle is returned but not stored in a byte-level backend: encoding it would never end.")
	}
	if fm.unstorable == "" && fm.dir.NoVerify {
		lines = append(lines, "Results are stored in byte-level backends without checking that they read back equal (verify=false).")
	}
	return lines
}

// isMemoArg reports whether name is one memogen gave an unnamed parameter.
func isMemoArg(name string) bool {
	rest, ok := strings.CutPrefix(name, "memoArg")
	return ok && rest != ""
}
