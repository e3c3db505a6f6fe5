package memoimpl

import (
	"errors"

	"github.com/memogen/memogen/runtime/store"
)

// RoundTrip checks that payload, the encoding of *v by codec (registered
// under spec), decodes to a value equal to *v, as every result stored in a
// byte-level backend is checked (see [Diff]); keepsLocal is
// [FuncInfo.KeepsLocal]. It returns nil when it does, else an error saying
// what differs. Package kv checks the values it stores with it.
func RoundTrip[V any](codec store.Codec, spec string, keepsLocal bool, v *V, payload []byte, lim store.Limits) error {
	d := newDiff(spec, keepsLocal)
	var back V
	if err := unmarshal(codec, payload, &back, lim); err != nil {
		return errors.New("does not decode: " + err.Error())
	}
	if equal(d, nil, v, &back) {
		return nil
	}
	return errors.New(d.String())
}

// Marshal encodes v with codec within lim, as results are encoded, a panic
// of the codec turned into an error; an interface type's value is passed
// as a pointer (see [store.Codec]).
func Marshal[V any](codec store.Codec, v *V, lim store.Limits) ([]byte, error) {
	return marshal(codec, encodable(v), lim)
}

// Unmarshal decodes data into v with codec within lim, as entries are
// decoded, a panic of the codec turned into an error.
func Unmarshal[V any](codec store.Codec, data []byte, v *V, lim store.Limits) error {
	return unmarshal(codec, data, v, lim)
}
