package generator

import (
	"go/types"
	"slices"
	"strings"
)

// The codecs and compressors of memogen's codecs/ packages, which
// generated code imports; others must be declared with //memo:codec or
// //memo:compressor.
var (
	builtinCodecList      = []string{"msgpack", "json", "gob", "raw", "yaml", "csv", "parquet"}
	builtinCompressorList = []string{"gzip", "zstd"}
)

// codec checks codec=: its first stage must be a codec, built in or
// declared, every later stage a compressor, and the raw codec takes one
// result of string or []byte kind.
func (a *analyzer) codec(f *found, fm *funcModel) {
	spec := f.dir.Codec
	if spec == "" {
		return
	}
	off := f.dir.Offsets["codec"]
	if strings.HasPrefix(f.options[off:], `"`) {
		off++
	}
	codecs := slices.Concat(builtinCodecList, sortedKeys(a.decls.codecs))
	compressors := slices.Concat(builtinCompressorList, sortedKeys(a.decls.compressors))
	for i, stage := range strings.Split(spec, "+") {
		pos := f.optionPos(off)
		off += len(stage) + 1
		isCodec, isCompressor := slices.Contains(codecs, stage), slices.Contains(compressors, stage)
		switch {
		case i == 0 && isCompressor:
			a.errs.add(pos, "codec=%s: %s is a compressor, which compresses what a codec wrote: name the codec first, as in codec=%s+%s", spec, stage, memoDefaultCodec, spec)
		case i == 0 && !isCodec && didYouMean(stage, codecs) != "":
			a.errs.add(pos, "codec=%s: unknown codec %q%s", spec, stage, didYouMean(stage, codecs))
		case i == 0 && !isCodec:
			a.errs.add(pos, "codec=%s: unknown codec %q; memogen's codecs are %s; for a codec the program registers with store.RegisterCodec, declare it in the package with a //memo:codec %s line",
				spec, stage, strings.Join(builtinCodecList, ", "), stage)
		case i > 0 && isCodec && !isCompressor:
			a.errs.add(pos, "codec=%s: %s is a codec, and only compressors (%s) may follow the codec", spec, stage, strings.Join(compressors, ", "))
		case i > 0 && !isCompressor && didYouMean(stage, compressors) != "":
			a.errs.add(pos, "codec=%s: unknown compressor %q%s", spec, stage, didYouMean(stage, compressors))
		case i > 0 && !isCompressor:
			a.errs.add(pos, "codec=%s: unknown compressor %q; memogen's compressors are %s; for a compressor the program registers with store.RegisterCompressor, declare it in the package with a //memo:compressor %s line",
				spec, stage, strings.Join(builtinCompressorList, ", "), stage)
		case i == 0 && stage == "raw":
			a.rawResults(f, fm)
		case i == 0 && (stage == "csv" || stage == "parquet"):
			a.tableResults(f, fm, stage)
		}
	}
}

// memoDefaultCodec is memo.DefaultCodec, spelt out for messages.
const memoDefaultCodec = "msgpack"

// rawResults checks that the raw codec, which stores bytes as they are, can
// store the function's results: exactly one value of string or []byte
// kind, such as string, []byte or type ID string.
func (a *analyzer) rawResults(f *found, fm *funcModel) {
	pos := f.optionPos(f.dir.Offsets["codec"])
	results := fm.valueResults()
	if len(results) != 1 {
		types := make([]string, len(results))
		for i, r := range results {
			types[i] = typeString(r.Type(), a.pkg.Types)
		}
		a.errs.add(pos, "codec=raw stores one result of string or []byte kind as it is; %s returns %d values (%s): use another codec, such as msgpack", fm.name, len(results), strings.Join(types, ", "))
		return
	}
	t := results[0].Type()
	if !rawKind(t) {
		a.errs.add(pos, "codec=raw stores one result of string or []byte kind as it is; %s returns %s: use another codec, such as msgpack", fm.name, typeString(t, a.pkg.Types))
	}
}

// rawKind reports whether the raw codec stores values of type t: of string
// or []byte kind. A type parameter qualifies when every type of its
// constraint does.
func rawKind(t types.Type) bool {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		iface := tp.Constraint().Underlying().(*types.Interface)
		if iface.NumEmbeddeds() == 0 {
			return false
		}
		ok := true
		typeSetOf(iface, func(term types.Type) { ok = ok && rawKind(term) })
		return ok
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		b, ok := u.Elem().Underlying().(*types.Basic)
		return ok && b.Kind() == types.Byte
	}
	return false
}

// typeSetOf calls yield for each type term of the constraint iface.
func typeSetOf(iface *types.Interface, yield func(types.Type)) {
	for i := range iface.NumEmbeddeds() {
		switch e := iface.EmbeddedType(i).(type) {
		case *types.Union:
			for j := range e.Len() {
				yield(e.Term(j).Type())
			}
		default:
			if inner, ok := e.Underlying().(*types.Interface); ok {
				typeSetOf(inner, yield)
			} else {
				yield(e)
			}
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
