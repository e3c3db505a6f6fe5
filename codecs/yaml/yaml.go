// Package yaml is memogen's YAML codec, perscache's default: entries a
// person reads and edits. Importing it registers the codec "yaml".
//
// It encodes with go.yaml.in/yaml/v3, which keeps exported fields under
// their lower-cased names or their `yaml:"name"` tags, and calls a type's
// MarshalYAML and UnmarshalYAML, or else its MarshalText and
// UnmarshalText. What YAML cannot carry, memogen refuses at generation
// time: unexported fields, fields tagged yaml:"-", interfaces, complex
// numbers. Other losses depend on the value (a nil slice or map inside a
// struct comes back empty, a time keeps its instant but not its location);
// the runtime's check that a result reads back equal
// keeps such a result out of the cache.
//
// Decoding is bounded: a document that uses anchors and aliases, which
// memogen never writes and which can expand a small entry into a huge
// value, is refused as corrupt, and so is one larger than
// store.Limits.MaxAlloc / NodeCost bytes, the most its parse tree could
// take.
package yaml

import (
	"bytes"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "yaml"

func init() { store.RegisterCodec(Name, Codec{}) }

// NodeCost bounds what decoding takes per byte of YAML: the parse tree
// (a yaml.Node per scalar, which takes two bytes of text at the least)
// and the value decoded from it.
const NodeCost = 128

// Codec encodes results as YAML.
type Codec struct{}

var _ store.LimitedCodec = Codec{}

// Marshal encodes v as YAML.
func (Codec) Marshal(v any) (b []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: %v", p)
		}
	}()
	return yaml.Marshal(v)
}

// Unmarshal decodes YAML data into v, a pointer, within
// store.DefaultLimits.
func (c Codec) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, store.DefaultLimits())
}

var errAlias = errors.New("yaml: anchors and aliases are not written by memogen")

// UnmarshalLimited decodes YAML data into v, a pointer, refusing with an
// error wrapping store.ErrTooLarge data over lim.MaxAlloc / NodeCost bytes,
// and with one wrapping store.ErrCorrupt data with aliases, more than one
// document, or that does not decode; a panic of the decoder is turned
// into the latter.
func (Codec) UnmarshalLimited(data []byte, v any, lim store.Limits) (err error) {
	if n := int64(len(data)); n*NodeCost > lim.MaxAlloc {
		return fmt.Errorf("%w: yaml of %d bytes may take %d to decode, over the limit of %d", store.ErrTooLarge, n, n*NodeCost, lim.MaxAlloc)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: yaml: decoding panicked: %v", store.ErrCorrupt, p)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("%w: yaml: %w", store.ErrCorrupt, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return fmt.Errorf("%w: yaml: more than one document", store.ErrCorrupt)
	}
	if hasAlias(&doc, 0) {
		return fmt.Errorf("%w: %w", store.ErrCorrupt, errAlias)
	}
	if err := lim.CheckDeadline(); err != nil {
		return err
	}
	if err := doc.Decode(v); err != nil {
		return fmt.Errorf("%w: yaml: %w", store.ErrCorrupt, err)
	}
	return nil
}

// maxDepth bounds how deeply hasAlias follows nodes; the parser has its
// own, lower bound.
const maxDepth = 10000

// hasAlias reports whether n or a node under it is an alias or has an
// anchor.
func hasAlias(n *yaml.Node, depth int) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" || depth > maxDepth {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c, depth+1) {
			return true
		}
	}
	return false
}
