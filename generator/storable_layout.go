package generator

import (
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// This file models how each codec lays out a struct: which fields it writes
// under which names, and which it loses: unexported fields, fields tagged
// "-", and fields hidden by another of the same name, which encoding/json
// drops and vmihailenco/msgpack writes twice and reads once.

// layoutField is a field a codec writes, possibly promoted from embedded
// structs.
type layoutField struct {
	name   string       // the name the codec writes it under
	tagged bool         // named by a struct tag
	index  []int        // field indexes from the outer struct down
	vars   []*types.Var // the fields along index
}

func (f layoutField) last() *types.Var { return f.vars[len(f.vars)-1] }

// path spells the field from its outer struct: "Base.ID".
func (f layoutField) path() string {
	names := make([]string, len(f.vars))
	for i, v := range f.vars {
		names[i] = v.Name()
	}
	return strings.Join(names, ".")
}

// prefixed returns f as a field of the struct that embeds f's struct
// through outer.
func (f layoutField) prefixed(outer layoutField) layoutField {
	f.index = slices.Concat(outer.index, f.index)
	f.vars = slices.Concat(outer.vars, f.vars)
	return f
}

// fieldProblem is a field a codec loses, and why.
type fieldProblem struct {
	kind  lossKind
	field layoutField
	other *layoutField // the field that hides it, or that it conflicts with
	name  string       // the name they share
}

type lossKind int

const (
	lostUnexported        lossKind = iota + 1
	lostTagged                     // tagged "-"
	lostHidden                     // another field of the same name wins
	lostConflict                   // two fields of the same name at one depth: both lost
	lostAlias                      // read into another field whose alias is its name
	lostSelfEmbedded               // a struct that embeds its own type
	lostUnexportedPointer          // an embedded pointer to an unexported struct (json cannot set it)
)

// exportedLayout is gob's layout, and raw's: every exported field under its
// own name, an embedded struct as one field; unexported fields are lost.
func exportedLayout(st *types.Struct) ([]layoutField, *fieldProblem) {
	var kept []layoutField
	for i := range st.NumFields() {
		f := st.Field(i)
		field := layoutField{name: f.Name(), index: []int{i}, vars: []*types.Var{f}}
		switch {
		case f.Name() == "_":
		case !f.Exported():
			return nil, &fieldProblem{kind: lostUnexported, field: field}
		default:
			kept = append(kept, field)
		}
	}
	return kept, nil
}

// jsonLayout is encoding/json's layout (typeFields in encode.go): exported
// fields under their tag's name, embedded structs flattened, and of fields
// of one name only the shallowest, or the tagged one among equals, kept.
func jsonLayout(st *types.Struct) ([]layoutField, *fieldProblem) {
	kept := jsonFields(st)
	isKept := make(map[string]bool, len(kept))
	for _, f := range kept {
		isKept[indexKey(f.index)] = true
	}
	var all []candidate
	jsonCandidates(st, layoutField{}, map[*types.Struct]bool{st: true}, &all)
	for _, c := range all {
		if c.problem != nil {
			return nil, c.problem
		}
		if isKept[indexKey(c.field.index)] {
			continue
		}
		for _, k := range kept {
			if k.name == c.field.name {
				return nil, &fieldProblem{kind: lostHidden, field: c.field, other: &k, name: k.name}
			}
		}
		for _, o := range all {
			if o.problem == nil && o.field.name == c.field.name && indexKey(o.field.index) != indexKey(c.field.index) {
				return nil, &fieldProblem{kind: lostConflict, field: c.field, other: &o.field, name: o.field.name}
			}
		}
		return nil, &fieldProblem{kind: lostHidden, field: c.field, other: &c.field, name: c.field.name}
	}
	return kept, nil
}

// candidate is a field that carries data, with why the codec loses it
// whatever the other fields, if it does.
type candidate struct {
	field   layoutField
	problem *fieldProblem
}

// jsonCandidates lists, depth first, the fields of st that carry data, as
// json would write them were no field hidden.
func jsonCandidates(st *types.Struct, outer layoutField, onPath map[*types.Struct]bool, out *[]candidate) {
	for i := range st.NumFields() {
		sf := st.Field(i)
		if sf.Name() == "_" {
			continue
		}
		field := layoutField{index: []int{i}, vars: []*types.Var{sf}}.prefixed(outer)
		lose := func(kind lossKind) {
			*out = append(*out, candidate{field: field, problem: &fieldProblem{kind: kind, field: field}})
		}
		ft := derefUnnamed(sf.Type())
		inner, isStruct := ft.Underlying().(*types.Struct)
		if !sf.Exported() && (!sf.Embedded() || !isStruct) {
			lose(lostUnexported)
			continue
		}
		name, keep := jsonName(st.Tag(i))
		if !keep {
			lose(lostTagged)
			continue
		}
		if name != "" || !sf.Embedded() || !isStruct {
			field.tagged = name != ""
			field.name = name
			if name == "" {
				field.name = sf.Name()
			}
			*out = append(*out, candidate{field: field})
			continue
		}
		if _, ptr := types.Unalias(sf.Type()).(*types.Pointer); ptr && !sf.Exported() {
			lose(lostUnexportedPointer)
			continue
		}
		if onPath[inner] {
			lose(lostSelfEmbedded)
			continue
		}
		onPath[inner] = true
		jsonCandidates(inner, field, onPath, out)
		delete(onPath, inner)
	}
}

// jsonFields returns the fields json writes for st, in index order, as
// typeFields in encoding/json's encode.go computes them.
func jsonFields(root *types.Struct) []layoutField {
	type level struct {
		st    *types.Struct
		outer layoutField
	}
	var (
		current, next    = []level(nil), []level{{st: root}}
		count, nextCount map[*types.Struct]int
		visited          = map[*types.Struct]bool{}
		fields           []layoutField
	)
	for len(next) > 0 {
		current, next = next, nil
		count, nextCount = nextCount, map[*types.Struct]int{}
		for _, l := range current {
			if visited[l.st] {
				continue
			}
			visited[l.st] = true
			for i := range l.st.NumFields() {
				sf := l.st.Field(i)
				ft := derefUnnamed(sf.Type())
				inner, isStruct := ft.Underlying().(*types.Struct)
				if !sf.Exported() && (!sf.Embedded() || !isStruct) {
					continue
				}
				name, keep := jsonName(l.st.Tag(i))
				if !keep {
					continue
				}
				field := layoutField{index: []int{i}, vars: []*types.Var{sf}}.prefixed(l.outer)
				if name != "" || !sf.Embedded() || !isStruct {
					field.tagged = name != ""
					field.name = name
					if name == "" {
						field.name = sf.Name()
					}
					fields = append(fields, field)
					if count[l.st] > 1 {
						// Embedded twice at this depth: the copy makes the
						// name ambiguous, as it is.
						fields = append(fields, field)
					}
					continue
				}
				nextCount[inner]++
				if nextCount[inner] == 1 {
					next = append(next, level{st: inner, outer: field})
				}
			}
		}
	}
	sort.SliceStable(fields, func(i, j int) bool {
		a, b := fields[i], fields[j]
		switch {
		case a.name != b.name:
			return a.name < b.name
		case len(a.index) != len(b.index):
			return len(a.index) < len(b.index)
		case a.tagged != b.tagged:
			return a.tagged
		}
		return slices.Compare(a.index, b.index) < 0
	})
	var out []layoutField
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		// The first of a name dominates unless the second is as shallow and
		// as tagged: then neither is written.
		if j-i == 1 || len(fields[i].index) != len(fields[i+1].index) || fields[i].tagged != fields[i+1].tagged {
			out = append(out, fields[i])
		}
		i = j
	}
	sort.Slice(out, func(i, j int) bool { return slices.Compare(out[i].index, out[j].index) < 0 })
	return out
}

// jsonName returns the name a json tag gives a field, "" for none, and
// whether the tag keeps the field.
func jsonName(tag string) (name string, keep bool) {
	value := reflect.StructTag(tag).Get("json")
	if value == "-" {
		return "", false
	}
	name, _, _ = strings.Cut(value, ",")
	if !validJSONName(name) {
		name = ""
	}
	return name, true
}

// validJSONName reports whether encoding/json accepts name from a tag.
func validJSONName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// derefUnnamed returns the target of an unnamed pointer type, else t.
func derefUnnamed(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func indexKey(index []int) string {
	var b strings.Builder
	for _, i := range index {
		b.WriteString(string(rune(i + 1)))
	}
	return b.String()
}

// msgpackLayout is vmihailenco/msgpack's layout (getFields in types.go):
// exported fields under their tag's name, an embedded struct inlined when
// it encodes field by field and none of its names is taken yet, and a
// name written twice read into the later field.
func msgpackLayout(st *types.Struct) ([]layoutField, *fieldProblem) {
	fs := msgpackFields(st, map[*types.Struct]bool{st: true})
	return fs.list, fs.problem
}

// msgpackStruct is the layout of one struct.
type msgpackStruct struct {
	list    []layoutField
	byName  map[string]int // index in list, or -1 for a name read but not written
	asArray bool           // written as an array: names do not matter
	problem *fieldProblem  // the first field lost
}

func (fs *msgpackStruct) fail(p *fieldProblem) {
	if fs.problem == nil {
		fs.problem = p
	}
}

// claim makes name read into field: a field written under that name is
// then lost, unless fields are read by position.
func (fs *msgpackStruct) claim(name string, field layoutField, kind lossKind, written bool) {
	if j, taken := fs.byName[name]; taken && j >= 0 && !fs.asArray && !slices.Equal(fs.list[j].index, field.index) {
		fs.fail(&fieldProblem{kind: kind, field: fs.list[j], other: &field, name: name})
	}
	fs.byName[name] = -1
	if written {
		fs.list = append(fs.list, field)
		fs.byName[name] = len(fs.list) - 1
	}
}

func msgpackFields(st *types.Struct, onPath map[*types.Struct]bool) *msgpackStruct {
	fs := &msgpackStruct{byName: make(map[string]int)}
	for i := range st.NumFields() {
		if st.Field(i).Name() == "_msgpack" {
			tag := parseMsgpackTag(st.Tag(i))
			fs.asArray = tag.has("as_array") || tag.has("asArray")
		}
	}
	for i := range st.NumFields() {
		sf := st.Field(i)
		field := layoutField{index: []int{i}, vars: []*types.Var{sf}}
		tag := parseMsgpackTag(st.Tag(i))
		ignored := sf.Name() == "_" || sf.Name() == "_msgpack"
		switch {
		case ignored:
			continue
		case tag.name == "-" && sf.Exported():
			fs.fail(&fieldProblem{kind: lostTagged, field: field})
			continue
		case !sf.Exported() && (!sf.Embedded() || tag.name == "-"):
			fs.fail(&fieldProblem{kind: lostUnexported, field: field})
			continue
		}
		field.name = tag.name
		if field.name == "" {
			field.name = sf.Name()
		}
		if sf.Embedded() && !tag.has("noinline") && msgpackInlines(fs, sf, field, tag, onPath) {
			continue
		}
		if !sf.Exported() {
			// An embedded unexported struct it does not inline: it cannot
			// set its fields.
			fs.fail(&fieldProblem{kind: lostUnexported, field: field})
			continue
		}
		fs.claim(field.name, field, lostHidden, true)
		if alias := tag.options["alias"]; alias != "" {
			fs.claim(alias, field, lostAlias, false)
		}
	}
	return fs
}

// msgpackInlines inlines the fields of the embedded struct sf into fs, as
// msgpack does with one that it encodes field by field (shouldInline) or
// that is tagged inline (inlineFields), and reports whether it did.
func msgpackInlines(fs *msgpackStruct, sf *types.Var, field layoutField, tag msgpackTag, onPath map[*types.Struct]bool) bool {
	t := sf.Type()
	pointer := false
	for {
		p, ok := types.Unalias(t).(*types.Pointer)
		if !ok {
			break
		}
		t, pointer = p.Elem(), true
	}
	inner, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	forced := tag.has("inline")
	if !forced {
		plain := visit{addressable: true}
		m := &msgpackMethods
		if msgpackRegistered(t) || m.choose(m.enc, t, plain, true).tier >= 0 || m.choose(m.dec, t, plain, false).tier >= 0 {
			return false
		}
	}
	if onPath[inner] {
		fs.fail(&fieldProblem{kind: lostSelfEmbedded, field: field})
		return true
	}
	if pointer && !sf.Exported() {
		// It cannot allocate the struct to read the fields into.
		fs.fail(&fieldProblem{kind: lostUnexportedPointer, field: field})
		return true
	}
	onPath[inner] = true
	sub := msgpackFields(inner, onPath)
	delete(onPath, inner)
	if !forced {
		for _, f := range sub.list {
			if _, taken := fs.byName[f.name]; taken {
				return false // a name is taken: written as a field of its own
			}
		}
	}
	if sub.problem != nil {
		p := *sub.problem
		p.field = p.field.prefixed(field)
		if p.other != nil {
			other := p.other.prefixed(field)
			p.other = &other
		}
		fs.fail(&p)
	}
	for _, f := range sub.list {
		f = f.prefixed(field)
		if j, taken := fs.byName[f.name]; taken {
			// Tagged inline: a taken name hides the inlined field.
			other := field
			if j >= 0 {
				other = fs.list[j]
			}
			fs.fail(&fieldProblem{kind: lostHidden, field: f, other: &other, name: f.name})
			continue
		}
		fs.list = append(fs.list, f)
		fs.byName[f.name] = len(fs.list) - 1
	}
	fs.claim(field.name, field, lostHidden, false)
	return true
}

// msgpackTag is a parsed msgpack struct tag: a name, then options, some
// with values ("alias:id").
type msgpackTag struct {
	name    string
	options map[string]string
}

func (t msgpackTag) has(option string) bool {
	_, ok := t.options[option]
	return ok
}

func parseMsgpackTag(tag string) msgpackTag {
	value := reflect.StructTag(tag).Get("msgpack")
	var t msgpackTag
	for i, part := range strings.Split(value, ",") {
		key, val, hasValue := strings.Cut(part, ":")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if i == 0 && !hasValue {
			t.name = key
			continue
		}
		if t.options == nil {
			t.options = make(map[string]string)
		}
		t.options[key] = val
	}
	return t
}

// yamlLayout is the layout go.yaml.in/yaml/v3 writes: the exported fields,
// except those tagged yaml:"-".
func yamlLayout(st *types.Struct) ([]layoutField, *fieldProblem) {
	var kept []layoutField
	for i := range st.NumFields() {
		f := st.Field(i)
		field := layoutField{name: f.Name(), index: []int{i}, vars: []*types.Var{f}}
		tag, _, _ := strings.Cut(reflect.StructTag(st.Tag(i)).Get("yaml"), ",")
		switch {
		case f.Name() == "_":
		case !f.Exported():
			return nil, &fieldProblem{kind: lostUnexported, field: field}
		case tag == "-":
			return nil, &fieldProblem{kind: lostTagged, field: field}
		default:
			kept = append(kept, field)
		}
	}
	return kept, nil
}
