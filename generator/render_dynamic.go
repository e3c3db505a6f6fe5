package generator

import "github.com/dave/jennifer/jen"

// writeArg appends to g the statements that key the argument a, named in
// the Begin function as keyParamName says: a dynamic= parameter by
// memo.Dynamic, which keys its dynamic type and value by a type switch and
// reflection, as for values of type parameters; any other by its type.
func (k *keyRenderer) writeArg(g *jen.Group, a keyedArg) {
	expr := jen.Id(keyParamName(a.name))
	if a.dynamic {
		throughWriter(g, jen.Qual(runtimePath, "Dynamic").Call(flushedKey(), expr))
		return
	}
	k.write(g, expr, a.typ, 0)
}
