package store

import (
	"fmt"
	"strings"
	"sync"
)

// A Codec turns results into bytes and back. Marshal receives the result,
// except when the result type is an interface type: then a pointer to it,
// because the result boxed in Marshal's any would have lost the interface
// type (a codec that does not keep interfaces encodes the pointer as the
// value it points to). Unmarshal receives a pointer to a zero value of the
// result type. Codec packages register one by name with [RegisterCodec]; a
// directive's codec= names it.
type Codec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// A Compressor compresses what a codec produced. A codec spec chains
// compressors after the codec: "msgpack+zstd", "json+gzip".
type Compressor interface {
	Compress(src []byte) ([]byte, error)
	Decompress(src []byte) ([]byte, error)
}

var codecs struct {
	mu          sync.RWMutex
	codecs      map[string]Codec      // guarded by mu
	compressors map[string]Compressor // guarded by mu
}

// RegisterCodec makes c available under name, replacing any earlier codec of
// that name. Users register their own this way.
func RegisterCodec(name string, c Codec) {
	codecs.mu.Lock()
	defer codecs.mu.Unlock()
	if codecs.codecs == nil {
		codecs.codecs = make(map[string]Codec)
	}
	codecs.codecs[name] = c
}

// RegisterCompressor makes c available under name for codec specs.
func RegisterCompressor(name string, c Compressor) {
	codecs.mu.Lock()
	defer codecs.mu.Unlock()
	if codecs.compressors == nil {
		codecs.compressors = make(map[string]Compressor)
	}
	codecs.compressors[name] = c
}

// LookupCodec returns the codec a spec names: a registered codec, optionally
// followed by registered compressors joined with "+". The runtime looks up
// the codec of every directive this way; decode what it encodes with
// [UnmarshalLimited] to apply [Limits] as the runtime does.
func LookupCodec(spec string) (Codec, error) {
	parts := strings.Split(spec, "+")
	codecs.mu.RLock()
	defer codecs.mu.RUnlock()
	base, ok := codecs.codecs[parts[0]]
	if !ok {
		return nil, fmt.Errorf("memo: codec %q is not registered; import _ \"github.com/memogen/memogen/codecs/%s\" or call store.RegisterCodec", parts[0], parts[0])
	}
	if len(parts) == 1 {
		return base, nil
	}
	ch := &chain{base: base}
	for _, name := range parts[1:] {
		c, ok := codecs.compressors[name]
		if !ok {
			return nil, fmt.Errorf("memo: compressor %q is not registered; import _ \"github.com/memogen/memogen/codecs/%s\" or call store.RegisterCompressor", name, name)
		}
		ch.compressors = append(ch.compressors, c)
	}
	return ch, nil
}

// chain is a codec followed by compressors.
type chain struct {
	base        Codec
	compressors []Compressor
}

func (c *chain) Marshal(v any) ([]byte, error) {
	return c.marshalWithin(v, -1)
}

// marshalWithin encodes v, then compresses it, checking that the codec's
// output and every compressed form of it are at most max bytes (when max
// is not negative): the bound that reading applies to each.
func (c *chain) marshalWithin(v any, max int) ([]byte, error) {
	b, err := marshalWithin(c.base, v, max)
	what := "encoded result"
	for _, comp := range c.compressors {
		if err != nil {
			break
		}
		if max >= 0 && len(b) > max {
			return nil, oversize(what, len(b), max)
		}
		b, err = comp.Compress(b)
		what = "compressed result"
	}
	if err == nil && max >= 0 && len(b) > max {
		return nil, oversize(what, len(b), max)
	}
	return b, err
}

func (c *chain) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, DefaultLimits())
}

// UnmarshalLimited undoes the compressors right to left, each within lim,
// and decodes the result within lim.
func (c *chain) UnmarshalLimited(data []byte, v any, lim Limits) error {
	var err error
	for i := len(c.compressors) - 1; i >= 0; i-- {
		if data, err = decompressWithin(c.compressors[i], data, lim); err != nil {
			return err
		}
	}
	return UnmarshalLimited(c.base, data, v, lim)
}
