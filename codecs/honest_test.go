package codecs_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/memogen/memogen/codecs/gob"
	"github.com/memogen/memogen/codecs/json"
	"github.com/memogen/memogen/codecs/msgpack"
	"github.com/memogen/memogen/runtime/store"
)

// honestResults return results such as programs store, of about n
// elements.
var honestResults = []struct {
	name string
	make func(n int) any
}{
	{"[]user", func(n int) any {
		out := make([]user, n)
		for i := range out {
			out[i] = sampleUser()
			out[i].ID = int64(i)
		}
		return out
	}},
	{"map[string]user", func(n int) any {
		out := make(map[string]user, n)
		for i := range n {
			out[fmt.Sprint("user-", i)] = sampleUser()
		}
		return out
	}},
	{"[]string", func(n int) any {
		out := make([]string, 10*n)
		for i := range out {
			out[i] = fmt.Sprint("word", i%1000)
		}
		return out
	}},
	{"[]int64 of ids", func(n int) any {
		out := make([]int64, 10*n)
		for i := range out {
			out[i] = 1_000_000 + int64(i)*7919
		}
		return out
	}},
	{"[]float64", func(n int) any {
		out := make([]float64, 10*n)
		for i := range out {
			out[i] = float64(i) / 3
		}
		return out
	}},
	{"[]time.Time", func(n int) any {
		out := make([]time.Time, 5*n)
		for i := range out {
			out[i] = time.Unix(1700000000+int64(i), 0).UTC()
		}
		return out
	}},
	{"map[string][]int", func(n int) any {
		out := make(map[string][]int, n)
		for i := range n {
			out[fmt.Sprint("k", i)] = []int{i, i * 2, i * 3}
		}
		return out
	}},
}

// Honest results decode within the limits under every structured codec
// as long as their entries fill no more than 40% of MaxEntryBytes: the
// guards refuse bombs, not data. Results of many small elements (times,
// maps of short slices) cost more than 16 times their entry's size to
// decode, so that entries near the limit may be refused.
func TestHonestEntriesWithinTheLimit(t *testing.T) {
	codecs := []struct {
		name  string
		codec store.LimitedCodec
	}{{json.Name, json.Codec{}}, {gob.Name, gob.Codec{}}, {msgpack.Name, msgpack.Codec{}}}
	for _, r := range honestResults {
		for _, c := range codecs {
			// The largest entry that fits the limit and decodes.
			largest := 0
			for n := 16; ; n += n / 4 {
				v := r.make(n)
				data, err := c.codec.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				if len(data) > testLimits.MaxBytes {
					break
				}
				if err := c.codec.UnmarshalLimited(data, reflect.New(reflect.TypeOf(v)).Interface(), testLimits); err != nil {
					break
				}
				largest = len(data)
			}
			t.Logf("%s, %s: entries up to %d bytes (%.0f%% of MaxEntryBytes) decode", r.name, c.name, largest, 100*float64(largest)/float64(testLimits.MaxBytes))
			if want := testLimits.MaxBytes * 2 / 5; largest < want {
				t.Errorf("%s, %s: entries of %d bytes and more are refused; want all up to 40%% of MaxEntryBytes, %d, decoded", r.name, c.name, largest, want)
			}
		}
	}
}
