package generator

import "strings"

// setDynamic checks each comma-separated parameter name of dynamic=;
// analysis later checks that the names are interface parameters of the
// function (see analyze_dynamic.go).
func (p *parser) setDynamic(v value) {
	p.d.Dynamic, p.d.DynamicOffsets = p.paramList(v, "dynamic")
}

// paramList parses a comma-separated list of parameter names, reporting
// empty, invalid and repeated ones, and returns the valid names with the
// offset of each in the option text.
func (p *parser) paramList(v value, option string) (names []string, offsets []int) {
	seen := map[string]bool{}
	pos := 0
	for name := range strings.SplitSeq(v.text, ",") {
		at := v.at(pos)
		pos += len(name) + 1
		problem := identifierProblem(name)
		switch {
		case name == "":
			p.errorf(at, "empty parameter name in %s list", option)
		case problem != "":
			p.errorf(at, "invalid parameter %q in %s list: %s", name, option, problem)
		case seen[name]:
			p.errorf(at, "duplicate parameter %q in %s list", name, option)
		default:
			seen[name] = true
			names = append(names, name)
			offsets = append(offsets, at)
		}
	}
	return names, offsets
}
