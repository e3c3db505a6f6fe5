package generator

import "github.com/dave/jennifer/jen"

// writeParam appends to g the statements that key the parameter p, named
// in the key function as keyParamName says: a dynamic= parameter by
// memo.Dynamic, which keys its dynamic type and value by a type switch and
// reflection, as for values of type parameters; any other by its type.
func (k *keyRenderer) writeParam(g *jen.Group, p paramModel) {
	expr := jen.Id(keyParamName(p.name))
	if p.dynamic {
		g.Qual(runtimePath, "Dynamic").Call(jen.Id("w"), expr)
		return
	}
	k.write(g, expr, p.typ, 0)
}
