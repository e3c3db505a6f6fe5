package memoimpl

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"math"
	"math/big"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// These tests hold the comparison rules themselves; verify_test.go drives
// them through the store path. The codecs here are encoding/json and
// encoding/gob used directly, as memogen's codecs/ packages do (which this
// package's own tests cannot import).

type jsonCodec struct{}

func (jsonCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (jsonCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

type gobCodec struct{}

func (gobCodec) Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(v)
	return buf.Bytes(), err
}

func (gobCodec) Unmarshal(data []byte, v any) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}

// roundTrip encodes v with codec, decodes it into a fresh value and
// returns what Diff.Reflect says of the two ("" when equal).
func roundTrip[R any](t *testing.T, codec store.Codec, spec string, keepsLocal bool, v R) string {
	t.Helper()
	data, err := codec.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%#v): %v", v, err)
	}
	var back R
	if err := codec.Unmarshal(data, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", data, err)
	}
	d := newDiff(spec, keepsLocal)
	if ok := d.Reflect(&v, &back); ok != (d.String() == "") {
		t.Fatalf("Reflect = %v but the difference is %q", ok, d.String())
	}
	return d.String()
}

type record struct {
	Hash  string
	Tags  []string
	Items []item
	Meta  map[string]*item
}

type item struct {
	N    int
	When time.Time
}

// stamp has an unexported field but marshals itself for json, adding a
// mark each time, so that its encoding never settles.
type stamp struct{ at string }

func (s stamp) MarshalJSON() ([]byte, error)     { return json.Marshal(s.at + "!") }
func (s *stamp) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &s.at) }

// binOnly marshals itself in binary, which json does not use.
type binOnly struct{ n int }

func (b binOnly) MarshalBinary() ([]byte, error) { return []byte(strconv.Itoa(b.n)), nil }
func (b *binOnly) UnmarshalBinary(data []byte) (err error) {
	b.n, err = strconv.Atoi(string(data))
	return err
}

func TestDiffJSONRoundTrips(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	at := time.Date(2024, 1, 2, 3, 4, 0, 0, jst)
	tests := []struct {
		name string
		diff func(t *testing.T) string
		want string
	}{
		{"equal record", func(t *testing.T) string {
			return roundTrip(t, jsonCodec{}, "json", false, record{Hash: "h", Tags: []string{}, Meta: map[string]*item{"a": {N: 1, When: at.UTC()}}})
		}, ""},
		{"invalid UTF-8", func(t *testing.T) string {
			return roundTrip(t, jsonCodec{}, "json", false, record{Hash: "h\xff7"})
		}, `result.Hash: "h\xff7" became "h�7"`},
		{"named zone", func(t *testing.T) string {
			return roundTrip(t, jsonCodec{}, "json", false, []item{{}, {}, {When: at}})
		}, `result[2].When: 2024-01-02 03:04:00 +0900 JST became 2024-01-02 03:04:00 +0900 +0900`},
		{"zone in a map of pointers", func(t *testing.T) string {
			return roundTrip(t, jsonCodec{}, "json", false, record{Meta: map[string]*item{"k": {When: at}}})
		}, `result.Meta["k"].When: 2024-01-02 03:04:00 +0900 JST became 2024-01-02 03:04:00 +0900 +0900`},
		{"NaN equals NaN", func(t *testing.T) string {
			d := newDiff("json", false)
			a, b := []float64{math.NaN()}, []float64{math.NaN()}
			d.Reflect(&a, &b)
			return d.String()
		}, ""},
		{"-0 differs from +0", func(t *testing.T) string {
			d := newDiff("json", false)
			a, b := math.Copysign(0, -1), 0.0
			d.Reflect(&a, &b)
			return d.String()
		}, "result: -0 became 0"},
		{"marshals itself: compared by its fields all the same", func(t *testing.T) string {
			return roundTrip(t, jsonCodec{}, "json", false, stamp{at: "t1"})
		}, `result.at: "t1" became "t1!"`},
		{"MarshalBinary is not json's: compared by fields", func(t *testing.T) string {
			return roundTrip(t, jsonCodec{}, "json", false, binOnly{n: 3})
		}, "result.n: 3 became 0"},
		{"interface of another type", func(t *testing.T) string {
			d := newDiff("json", false)
			a, b := any(int64(1)), any(float64(1))
			d.Reflect(&a, &b)
			return d.String()
		}, "result: a value of type int64 became one of type float64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.diff(t); got != tt.want {
				t.Errorf("difference = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestDiffGobRoundTrips(t *testing.T) {
	zero := 0
	tests := []struct {
		name string
		diff func(t *testing.T) string
		want string
	}{
		{"empty slice", func(t *testing.T) string {
			return roundTrip(t, gobCodec{}, "gob", false, record{Hash: "h", Tags: []string{}})
		}, "result.Tags: [] became nil"},
		{"empty map kept", func(t *testing.T) string {
			return roundTrip(t, gobCodec{}, "gob", false, record{Meta: map[string]*item{}})
		}, ""},
		{"pointer to zero", func(t *testing.T) string { return roundTrip(t, gobCodec{}, "gob", false, struct{ P *int }{&zero}) }, "result.P: &0 became nil"},
		{"whole record", func(t *testing.T) string {
			return roundTrip(t, gobCodec{}, "gob", false, record{Hash: "h", Tags: []string{"a"}, Items: []item{{N: 1, When: time.Unix(5, 0).UTC()}}})
		}, ""},
		{"MarshalBinary is gob's: compared by encoding", func(t *testing.T) string { return roundTrip(t, gobCodec{}, "gob", false, binOnly{n: 3}) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.diff(t); got != tt.want {
				t.Errorf("difference = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestDiffTime(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)
	// local stands in for time.Local, which a test cannot change safely.
	local := time.FixedZone("CET", 3600)
	utcLocal := time.FixedZone("UTC", 0)
	now := time.Now()
	tests := []struct {
		name       string
		local      *time.Location
		a, b       time.Time
		keepsLocal bool
		want       string
	}{
		{"same", local, at, at, false, ""},
		{"monotonic reading dropped", time.Local, now, now.Round(0), true, ""},
		{"another instant", local, at, at.Add(time.Second), false, "result: 2024-01-02 03:04:00 +0000 UTC became 2024-01-02 03:04:01 +0000 UTC"},
		{"unnamed offset", local, at.In(tokyo), at.In(time.FixedZone("", 9*3600)), false, "result: 2024-01-02 12:04:00 +0900 JST became 2024-01-02 12:04:00 +0900 +0900"},
		{"same zone in another location value", local, at.In(tokyo), at.In(time.FixedZone("JST", 9*3600)), false, ""},
		{"zone rules lost", local, at.In(paris), at.In(time.FixedZone("CET", 3600)), false, "result: 2024-01-02 04:04:00 +0100 CET (location Europe/Paris) became 2024-01-02 04:04:00 +0100 CET (location CET)"},
		{"time.Local not kept", local, at.In(local), at.In(local), false, "result: 2024-01-02 04:04:00 +0100 CET is in time.Local, which json cannot store: it would read back in another process's zone"},
		{"time.Local read back fixed", local, at.In(local), at.In(time.FixedZone("CET", 3600)), false, "result: 2024-01-02 04:04:00 +0100 CET is in time.Local, which json cannot store: it would read back in another process's zone"},
		{"time.Local kept", local, at.In(local), at.In(paris), true, ""},
		{"time.Local read back as time.Local", local, at.In(tokyo), at.In(local), false, "result: 2024-01-02 12:04:00 +0900 JST became 2024-01-02 04:04:00 +0100 CET"},
		{"time.Local that is UTC", utcLocal, at.In(utcLocal), at, false, ""},
		{"UTC read back in a UTC time.Local", utcLocal, at, at.In(utcLocal), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDiff("json", tt.keepsLocal)
			d.local = tt.local
			if ok := d.Time(tt.a, tt.b); ok != (tt.want == "") || d.String() != tt.want {
				t.Errorf("Time(%v, %v) = %v, %q; want %q", tt.a, tt.b, ok, d.String(), tt.want)
			}
		})
	}
}

type node struct {
	Val  int
	Next *node
}

type loop []loop

type web map[string]web

func TestDiffReflectEndsOnCycles(t *testing.T) {
	ring := func(n, last int) *node {
		head := &node{Val: 0}
		cur := head
		for i := 1; i < n; i++ {
			cur.Next = &node{Val: i}
			cur = cur.Next
		}
		cur.Val = last
		cur.Next = head
		return head
	}
	a, b, c := ring(100, 99), ring(100, 99), ring(100, -1)
	d := newDiff("json", false)
	if !d.Reflect(&a, &b) {
		t.Errorf("two equal rings differ: %s", d)
	}
	d = newDiff("json", false)
	if d.Reflect(&a, &c) || !strings.HasSuffix(d.String(), ".Val: 99 became -1") {
		t.Errorf("rings differing in their last value: %q; want the difference at .Val", d)
	}
	la, lb := make(loop, 1), make(loop, 1)
	la[0], lb[0] = la, lb
	d = newDiff("json", false)
	if !d.Reflect(&la, &lb) {
		t.Errorf("two slices holding themselves differ: %s", d)
	}
	wa, wb := web{}, web{}
	wa["self"], wb["self"] = wa, wb
	d = newDiff("json", false)
	if !d.Reflect(&wa, &wb) {
		t.Errorf("two maps holding themselves differ: %s", d)
	}
}

// memoSplitResults is what generated code declares for a function of two
// results.
type memoSplitResults struct {
	R0 string
	R1 []int
}

func TestDiffNamesResultsByPosition(t *testing.T) {
	d := newDiff("gob", false)
	a, b := memoSplitResults{"x", []int{}}, memoSplitResults{"x", nil}
	if d.Reflect(&a, &b) || d.String() != "result 2: [] became nil" {
		t.Errorf("difference = %q; want %q", d, "result 2: [] became nil")
	}
}

func TestDiffReadsUnexportedFields(t *testing.T) {
	type inner struct {
		when time.Time
		n    float64
	}
	at := time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)
	a := struct{ in []inner }{[]inner{{at, 1}}}
	b := struct{ in []inner }{[]inner{{at.In(time.FixedZone("", 0)), 1}}}
	d := newDiff("json", false)
	if d.Reflect(&a, &b) || d.String() != "result.in[0].when: 2024-01-02 03:04:00 +0000 UTC became 2024-01-02 03:04:00 +0000 +0000" {
		t.Errorf("difference = %q; want the unexported time's zone", d)
	}
}

func TestDiffHelpers(t *testing.T) {
	zero := 0
	tests := []struct {
		name string
		same func(d *Diff) bool
		want string
	}{
		{"SameLen nil, empty", func(d *Diff) bool { return SameLen(d, []int{}, nil) }, "result: [] became nil"},
		{"SameLen lengths", func(d *Diff) bool { return SameLen(d, []int{1, 2, 3}, []int{1, 2}) }, "result: 3 elements became 2"},
		{"SameLen equal", func(d *Diff) bool { return SameLen(d, []int{1}, []int{2}) }, ""},
		{"SameMapLen nil, empty", func(d *Diff) bool { return SameMapLen(d, map[int]int{}, nil) }, "result: map[] became nil"},
		{"SameMapLen lengths", func(d *Diff) bool { return SameMapLen(d, map[int]int{1: 1}, map[int]int{}) }, "result: 1 entries became 0"},
		{"SameNil", func(d *Diff) bool { return SameNil(d, &zero, nil) }, "result: &0 became nil"},
		{"Differ with a path", func(d *Diff) bool {
			return d.Differ("h7", "", ".Hash") || d.At("[%d]", 2) || d.At(".Items")
		}, `result.Items[2].Hash: "h7" became ""`},
		{"Missing", func(d *Diff) bool { return d.Missing("k", ".Meta") }, `result.Meta: key "k" is missing`},
		{"long values cut", func(d *Diff) bool { return d.Differ(strings.Repeat("x", 100), "", "") }, `result: "` + strings.Repeat("x", 64) + `…" became ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDiff("json", false)
			if ok := tt.same(d); ok != (tt.want == "") || d.String() != tt.want {
				t.Errorf("= %v, %q; want %q", ok, d, tt.want)
			}
		})
	}
	for _, f := range []struct {
		a, b float64
		want bool
	}{{1, 1, true}, {math.NaN(), math.NaN(), true}, {math.NaN(), 0, false}, {math.Copysign(0, -1), 0, false}, {math.Inf(1), math.Inf(1), true}} {
		if got := SameFloat(f.a, f.b); got != f.want {
			t.Errorf("SameFloat(%v, %v) = %v; want %v", f.a, f.b, got, f.want)
		}
	}
	if SameComplex(complex(1, math.NaN()), complex(1, math.NaN())) != true || SameComplex(complex(0, 1), complex(math.Copysign(0, -1), 1)) != false {
		t.Error("SameComplex does not compare parts as SameFloat does")
	}
}

// stamped gets time.Time's MarshalJSON, which json then uses for the whole
// struct, dropping Note.
type stamped struct {
	time.Time
	Note string
}

func TestDiffPromotedMarshalerIsNotTheStructs(t *testing.T) {
	got := roundTrip(t, jsonCodec{}, "json", false, stamped{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "lunch"})
	if want := `result.Note: "lunch" became ""`; got != want {
		t.Errorf("difference = %q; want %q", got, want)
	}
}

// Types that marshal themselves are compared by their fields, not by
// re-encoding: encoding what json decoded gives the same bytes for each of
// these, yet each comes back changed.
func TestDiffSelfMarshalersLosses(t *testing.T) {
	_, ipnet, err := net.ParseCIDR("192.0.2.0/24")
	if err != nil {
		t.Fatal(err)
	}
	for name, diff := range map[string]func() string{
		"json.RawMessage compacted": func() string {
			return roundTrip(t, jsonCodec{}, "json", false, struct{ Body json.RawMessage }{json.RawMessage("{\n  \"html\": \"<b>\"\n}")})
		},
		"big.Float precision": func() string {
			return roundTrip(t, jsonCodec{}, "json", false, new(big.Float).SetFloat64(1.5))
		},
		"net.IPNet's 4-byte IP": func() string {
			return roundTrip(t, jsonCodec{}, "json", false, *ipnet)
		},
	} {
		if got := diff(); got == "" {
			t.Errorf("%s: no difference found; want one", name)
		}
	}
}

// Inside other packages' unexported fields a nil slice equals an empty
// one: a zero big.Int computed by arithmetic holds an empty slice and reads
// back with a nil one, and no caller can tell.
func TestDiffZeroBigInt(t *testing.T) {
	zero := new(big.Int).Sub(big.NewInt(3), big.NewInt(3))
	for _, codec := range []struct {
		c    store.Codec
		spec string
	}{{jsonCodec{}, "json"}, {gobCodec{}, "gob"}} {
		if got := roundTrip(t, codec.c, codec.spec, false, zero); got != "" {
			t.Errorf("%s: zero big.Int differs: %s", codec.spec, got)
		}
		type account struct{ Balance *big.Int }
		if got := roundTrip(t, codec.c, codec.spec, false, account{zero}); got != "" {
			t.Errorf("%s: account of zero differs: %s", codec.spec, got)
		}
	}
	// Exported fields still tell nil from empty.
	if got := roundTrip(t, gobCodec{}, "gob", false, struct{ Tags []string }{[]string{}}); got == "" {
		t.Error("gob: an empty exported slice read back nil without a difference")
	}
}
