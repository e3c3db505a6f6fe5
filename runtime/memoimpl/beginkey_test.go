package memoimpl_test

import (
	"context"
	"testing"

	"github.com/memogen/memogen/runtime/memoimpl"
)

// lookupTags is the key function memogen would generate for
// func(name string, tags []string, n int) string, keyed as generated code
// keys it (through the Call's memo.Key, stored back with EndKey) or, when
// direct, through the Call's KeyWriter.
func lookupTags(f *memoimpl.Func, direct bool, name string, tags []string, n int) (string, bool) {
	c := f.Begin(context.Background())
	if direct {
		w := c.Key()
		w.Text(name)
		w.Length(len(tags))
		for i := range tags {
			w.Text(tags[i])
		}
		w.Int(int64(n))
	} else {
		k := c.BeginKey()
		k = k.Text(name).Length(len(tags))
		for i := range tags {
			k = k.Text(tags[i])
		}
		k = k.Int(int64(n))
		c.EndKey(k)
	}
	if v, ok := memoimpl.Lookup[string](c, false); ok {
		return v, true
	}
	v, _ := memoimpl.Run(c, func() (string, error) { return "result", nil })
	return v, false
}

func TestEndKeyStoresWhatTheKeyWrote(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	tags := []string{"a", "bb"}
	if _, hit := lookupTags(f, true, "lookup", tags, 42); hit {
		t.Fatal("first call through KeyWriter hit; want a miss")
	}
	if _, hit := lookupTags(f, false, "lookup", tags, 42); !hit {
		t.Error("the same arguments through Key missed; want a hit on the entry keyed through KeyWriter")
	}
	if _, hit := lookupTags(f, false, "lookup", tags, 43); hit {
		t.Error("other arguments through Key hit; want a miss")
	}
	if _, hit := lookupTags(f, true, "lookup", tags, 43); !hit {
		t.Error("arguments first keyed through Key, then through KeyWriter, missed; want a hit")
	}
}
