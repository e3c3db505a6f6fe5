package codecs_test

import (
	"bytes"
	stdgob "encoding/gob"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/codecs/gob"
	"github.com/memogen/memogen/codecs/gzip"
	"github.com/memogen/memogen/codecs/json"
	"github.com/memogen/memogen/codecs/msgpack"
	"github.com/memogen/memogen/codecs/raw"
	"github.com/memogen/memogen/codecs/zstd"
	"github.com/memogen/memogen/runtime/store"
)

// user is a typical result: exported fields of every common kind.
type user struct {
	ID      int64
	Name    string
	Email   *string
	Tags    []string
	Scores  map[string]float64
	Friends map[int]string
	Avatar  []byte
	Joined  time.Time
	Manager *user
}

func sampleUser() user {
	email := "ada@example.com"
	return user{
		ID:      42,
		Name:    "Ada — λ",
		Email:   &email,
		Tags:    []string{"admin", "ops"},
		Scores:  map[string]float64{"go": 9.5, "sql": 7.25},
		Friends: map[int]string{1: "Grace", 2: "Edsger"},
		Avatar:  []byte{0, 1, 2, 0xff},
		Joined:  time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.FixedZone("CET", 3600)),
		Manager: &user{ID: 7, Name: "Grace"},
	}
}

// equalUsers compares users, times by instant: json and gob bring a time
// back in a fixed zone without its name (msgpack keeps it: see
// codecs/msgpack's tests).
func equalUsers(a, b user) bool {
	if !a.Joined.Equal(b.Joined) {
		return false
	}
	a.Joined, b.Joined = time.Time{}, time.Time{}
	if (a.Manager == nil) != (b.Manager == nil) {
		return false
	}
	if a.Manager != nil && !equalUsers(*a.Manager, *b.Manager) {
		return false
	}
	a.Manager, b.Manager = nil, nil
	return reflect.DeepEqual(a, b)
}

// structuredCodecs are the codecs that take any result type.
var structuredCodecs = []struct {
	name  string
	codec store.Codec
}{
	{json.Name, json.Codec{}},
	{msgpack.Name, msgpack.Codec{}},
	{gob.Name, gob.Codec{}},
}

// roundTrip encodes v and decodes it into a new R, as the runtime does.
func roundTrip[R any](t *testing.T, c store.Codec, v R) R {
	t.Helper()
	data, err := c.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%T) = %v; want nil", v, err)
	}
	var got R
	if err := c.Unmarshal(data, &got); err != nil {
		t.Fatalf("Unmarshal(Marshal(%T)) = %v; want nil", v, err)
	}
	return got
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range structuredCodecs {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			u := sampleUser()
			if got := roundTrip(t, c.codec, u); !equalUsers(got, u) {
				t.Errorf("struct: got %+v; want %+v", got, u)
			}
			if got := roundTrip(t, c.codec, &u); got == nil || !equalUsers(*got, u) {
				t.Errorf("pointer: got %+v; want %+v", got, &u)
			}
			list := []user{u, {ID: 1, Name: "Bob"}}
			got := roundTrip(t, c.codec, list)
			if len(got) != 2 || !equalUsers(got[0], list[0]) || !equalUsers(got[1], list[1]) {
				t.Errorf("slice: got %+v; want %+v", got, list)
			}
			byName := map[string][]int{"a": {1, 2}, "b": {3}}
			if got := roundTrip(t, c.codec, byName); !reflect.DeepEqual(got, byName) {
				t.Errorf("map: got %v; want %v", got, byName)
			}
			when := u.Joined
			if got := roundTrip(t, c.codec, when); !got.Equal(when) {
				t.Errorf("time.Time: got %v; want %v", got, when)
			}
			blob := []byte("\x00binary\xff")
			if got := roundTrip(t, c.codec, blob); !bytes.Equal(got, blob) {
				t.Errorf("[]byte: got %q; want %q", got, blob)
			}
			for _, s := range []string{"plain", "ünïcødé", strings.Repeat("x", 1<<16)} {
				if got := roundTrip(t, c.codec, s); got != s {
					t.Errorf("string: got %.20q; want %.20q", got, s)
				}
			}
			if got := roundTrip(t, c.codec, int64(-1)<<62); got != int64(-1)<<62 {
				t.Errorf("int64: got %d; want %d", got, int64(-1)<<62)
			}
		})
	}
}

func TestRawRoundTrip(t *testing.T) {
	t.Parallel()
	c := raw.Codec{}
	blob := []byte("\x00binary\xff")
	if got := roundTrip(t, c, blob); !bytes.Equal(got, blob) {
		t.Errorf("[]byte: got %q; want %q", got, blob)
	}
	if got := roundTrip(t, c, "ünïcødé"); got != "ünïcødé" {
		t.Errorf("string: got %q; want %q", got, "ünïcødé")
	}
	if got := roundTrip(t, c, ""); got != "" {
		t.Errorf("empty string: got %q; want \"\"", got)
	}
}

func TestRawDecodeCopies(t *testing.T) {
	t.Parallel()
	data := []byte("abc")
	var got []byte
	if err := (raw.Codec{}).Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	data[0] = 'X'
	if string(got) != "abc" {
		t.Errorf("Unmarshal result changed with its input: %q; want \"abc\"", got)
	}
}

func TestRawRejectsOtherTypes(t *testing.T) {
	t.Parallel()
	c := raw.Codec{}
	for _, v := range []any{42, user{}, []string{"a"}, nil} {
		_, err := c.Marshal(v)
		if err == nil || !strings.Contains(err.Error(), "raw codec takes results of string or []byte kind") {
			t.Errorf("Marshal(%T) = %v; want an error naming the types raw takes", v, err)
		}
	}
	for _, v := range []any{new(int), new(user), []byte{}, "s"} {
		err := c.Unmarshal([]byte("x"), v)
		if err == nil || !strings.Contains(err.Error(), "raw codec takes results of string or []byte kind") {
			t.Errorf("Unmarshal into %T = %v; want an error naming the types raw takes", v, err)
		}
	}
}

func TestChains(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"json+gzip", "msgpack+zstd", "gob+gzip+zstd", "raw+zstd", "json+zstd+gzip"} {
		t.Run(spec, func(t *testing.T) {
			t.Parallel()
			c, err := store.LookupCodec(spec)
			if err != nil {
				t.Fatalf("LookupCodec(%q) = %v; want a codec", spec, err)
			}
			if strings.HasPrefix(spec, "raw") {
				s := strings.Repeat("compressible ", 1000)
				if got := roundTrip(t, c, s); got != s {
					t.Errorf("got %.20q; want %.20q", got, s)
				}
				return
			}
			u := sampleUser()
			u.Tags = make([]string, 1000)
			for i := range u.Tags {
				u.Tags[i] = "compressible"
			}
			if got := roundTrip(t, c, u); !equalUsers(got, u) {
				t.Errorf("got %+v; want %+v", got, u)
			}
			base, _ := store.LookupCodec(strings.Split(spec, "+")[0])
			plain, _ := base.Marshal(u)
			chained, _ := c.Marshal(u)
			if len(chained) >= len(plain) {
				t.Errorf("%s encodes %d bytes, %s alone %d; want fewer", spec, len(chained), strings.Split(spec, "+")[0], len(plain))
			}
		})
	}
}

// Compressors apply left to right and are undone right to left.
func TestChainOrder(t *testing.T) {
	t.Parallel()
	c, err := store.LookupCodec("gob+gzip+zstd")
	if err != nil {
		t.Fatal(err)
	}
	u := sampleUser()
	data, err := c.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	unzstd, err := zstd.New().Decompress(data)
	if err != nil {
		t.Fatalf("the outer layer is not zstd: %v", err)
	}
	ungzip, err := gzip.Compressor{}.Decompress(unzstd)
	if err != nil {
		t.Fatalf("the layer under zstd is not gzip: %v", err)
	}
	var got user
	if err := (gob.Codec{}).Unmarshal(ungzip, &got); err != nil || !equalUsers(got, u) {
		t.Errorf("the innermost layer decodes with gob to %+v, %v; want %+v", got, err, u)
	}
}

func TestLookupUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want []string
	}{
		{"protobuf", []string{`codec "protobuf" is not registered`, `"github.com/memogen/memogen/codecs/protobuf"`, "store.RegisterCodec"}},
		{"json+brotli", []string{`compressor "brotli" is not registered`, `"github.com/memogen/memogen/codecs/brotli"`, "store.RegisterCompressor"}},
		{"gzip", []string{`codec "gzip" is not registered`}},
		{"json+msgpack", []string{`compressor "msgpack" is not registered`}},
	}
	for _, tt := range tests {
		_, err := store.LookupCodec(tt.spec)
		if err == nil {
			t.Errorf("LookupCodec(%q) = nil error; want one", tt.spec)
			continue
		}
		for _, want := range tt.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("LookupCodec(%q) = %v; want it to mention %s", tt.spec, err, want)
			}
		}
	}
}

func TestCompressorsRoundTrip(t *testing.T) {
	t.Parallel()
	inputs := [][]byte{{}, []byte("a"), bytes.Repeat([]byte("abc"), 100_000), randomBytes(1, 4096)}
	for _, c := range compressors {
		for _, in := range inputs {
			out, err := c.comp.Compress(in)
			if err != nil {
				t.Fatalf("%s: Compress(%d bytes) = %v; want nil", c.name, len(in), err)
			}
			got, err := c.comp.Decompress(out)
			if err != nil || !bytes.Equal(got, in) {
				t.Errorf("%s: Decompress(Compress(%d bytes)) = %d bytes, %v; want the input back", c.name, len(in), len(got), err)
			}
		}
	}
}

var compressors = []struct {
	name string
	comp store.Compressor
}{
	{gzip.Name, gzip.Compressor{}},
	{zstd.Name, zstd.New()},
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// Every strict prefix of an encoding, and random bytes, must fail to decode
// with an error, not a panic.
func TestCorruptInput(t *testing.T) {
	t.Parallel()
	u := sampleUser()
	for _, c := range structuredCodecs {
		data, err := c.codec.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		for n := range len(data) {
			var got user
			if err := c.codec.Unmarshal(data[:n], &got); err == nil {
				t.Errorf("%s: Unmarshal of the first %d of %d bytes = nil error; want one", c.name, n, len(data))
			}
		}
		for seed := range uint64(200) {
			var got user
			_ = c.codec.Unmarshal(randomBytes(seed, int(seed)), &got) // must not panic
		}
	}
	for _, c := range compressors {
		data, err := c.comp.Compress(bytes.Repeat([]byte("payload "), 100))
		if err != nil {
			t.Fatal(err)
		}
		// zstd takes an empty input for an empty stream; the entry's
		// checksum, not the compressor, catches a payload cut to nothing.
		for n := 1; n < len(data); n++ {
			if _, err := c.comp.Decompress(data[:n]); err == nil {
				t.Errorf("%s: Decompress of the first %d of %d bytes = nil error; want one", c.name, n, len(data))
			}
		}
		for seed := range uint64(200) {
			if _, err := c.comp.Decompress(randomBytes(seed, int(seed)+1)); err == nil {
				t.Errorf("%s: Decompress of %d random bytes = nil error; want one", c.name, seed+1)
			}
		}
	}
}

// fuzzResult is what the fuzz targets decode into: a fixed type with
// nested, pointer, slice and map fields.
type fuzzResult struct {
	A int
	B string
	C []float64
	D map[string]*fuzzResult
	E *time.Time
	F []byte
}

func fuzzSeeds(f *testing.F, c store.Codec) {
	f.Helper()
	when := time.Unix(1700000000, 5)
	seeds := []fuzzResult{
		{},
		{A: -1, B: "x", C: []float64{1.5}, E: &when, F: []byte{0}},
		{D: map[string]*fuzzResult{"k": {A: 2, D: map[string]*fuzzResult{"n": nil}}}},
	}
	for _, s := range seeds {
		data, err := c.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzMsgpackUnmarshal checks that decoding never panics, and never
// allocates more than the limits allow.
func FuzzMsgpackUnmarshal(f *testing.F) {
	fuzzSeeds(f, msgpack.Codec{})
	lim := store.Limits{MaxBytes: 64 << 10, MaxAlloc: 256 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v fuzzResult
		_ = msgpack.Codec{}.Unmarshal(data, &v)
		var w fuzzResult
		// The slack covers a decoder the pool had dropped.
		if got := allocated(func() { _ = msgpack.Codec{}.UnmarshalLimited(data, &w, lim) }); got > uint64(lim.MaxAlloc)+16<<10 {
			t.Fatalf("UnmarshalLimited(% x) allocated %d bytes; want at most MaxAlloc, %d", data, got, lim.MaxAlloc)
		}
	})
}

func FuzzJSONUnmarshal(f *testing.F) {
	fuzzSeeds(f, json.Codec{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var v fuzzResult
		_ = json.Codec{}.Unmarshal(data, &v)
	})
}

func fuzzCompressor(f *testing.F, c store.Compressor) {
	for _, s := range [][]byte{{}, []byte("hello, hello, hello"), randomBytes(7, 64)} {
		data, err := c.Compress(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	lc := c.(store.LimitedCompressor)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = c.Decompress(data) // must not panic
		// Twice the limit for a doubling buffer, and a streaming decoder's
		// own buffers.
		lim := store.Limits{MaxBytes: 64 << 10}
		if got := allocated(func() { _, _ = lc.DecompressLimited(data, lim) }); got > 2*uint64(lim.MaxBytes)+1<<20 {
			t.Fatalf("DecompressLimited(%q) with MaxBytes %d allocated %d bytes", data, lim.MaxBytes, got)
		}
		out, err := c.Compress(data)
		if err != nil {
			t.Fatalf("Compress = %v; want nil", err)
		}
		back, err := c.Decompress(out)
		if err != nil || !bytes.Equal(back, data) {
			t.Fatalf("Decompress(Compress(%q)) = %q, %v; want the input back", data, back, err)
		}
	})
}

func FuzzZstdDecompress(f *testing.F) { fuzzCompressor(f, zstd.New()) }

func FuzzGzipDecompress(f *testing.F) { fuzzCompressor(f, gzip.Compressor{}) }

// selfish encodes itself with methods on its pointer type only, for every
// codec; its field is unexported, so only the methods can carry it.
type selfish struct{ n int }

func (s *selfish) MarshalJSON() ([]byte, error)    { return []byte(strconv.Itoa(s.n)), nil }
func (s *selfish) UnmarshalJSON(b []byte) error    { return s.parse(b) }
func (s *selfish) MarshalMsgpack() ([]byte, error) { return []byte(strconv.Itoa(s.n)), nil }
func (s *selfish) UnmarshalMsgpack(b []byte) error { return s.parse(b) }
func (s *selfish) GobEncode() ([]byte, error)      { return []byte(strconv.Itoa(s.n)), nil }
func (s *selfish) GobDecode(b []byte) error        { return s.parse(b) }

func (s *selfish) parse(b []byte) (err error) {
	s.n, err = strconv.Atoi(string(b))
	return err
}

// A result whose type marshals itself through pointer methods is encoded by
// them, as the values of that type in its fields and slices are.
func TestPointerMethodsApplyToTheResult(t *testing.T) {
	t.Parallel()
	for _, c := range structuredCodecs {
		if got := roundTrip(t, c.codec, selfish{7}); got.n != 7 {
			t.Errorf("%s: selfish{7} came back %+v", c.name, got)
		}
		in := struct {
			S    selfish
			List []selfish
		}{selfish{1}, []selfish{{2}, {3}}}
		if got := roundTrip(t, c.codec, in); !reflect.DeepEqual(got, in) {
			t.Errorf("%s: %+v came back %+v", c.name, in, got)
		}
	}
}

// shape is an interface result type; square and circle are its dynamic
// types, registered with gob.
type shape interface{ Area() float64 }

type square struct{ Side float64 }

func (s square) Area() float64 { return s.Side * s.Side }

type circle struct{ R float64 }

func (c circle) Area() float64 { return 3 * c.R * c.R }

func init() {
	stdgob.Register(square{})
	stdgob.Register(circle{})
}

// The runtime hands Marshal a pointer to a result of interface type (see
// store.Codec). json and msgpack, which do not keep interfaces, encode it
// byte for byte as the dynamic value it holds; gob writes the dynamic
// type's name, and decoding into the interface brings it back.
func TestInterfaceResults(t *testing.T) {
	t.Parallel()
	values := []any{square{2}, "text", 1.5, true, map[string]any{"a": 1.0}, nil}
	for _, c := range []store.Codec{json.Codec{}, msgpack.Codec{}} {
		for _, v := range values {
			want, err := c.Marshal(v)
			if err != nil {
				t.Fatalf("%T.Marshal(%#v) = %v", c, v, err)
			}
			if got, err := c.Marshal(&v); err != nil || !bytes.Equal(got, want) {
				t.Errorf("%T.Marshal(pointer to any(%#v)) = %q, %v; want %q as for the value", c, v, got, err, want)
			}
		}
	}
	var c gob.Codec
	for _, v := range []shape{square{2}, circle{1}, nil} {
		data, err := c.Marshal(&v)
		if err != nil {
			t.Fatalf("gob Marshal(pointer to shape(%#v)) = %v", v, err)
		}
		var got shape = square{99} // decoding must replace it, nil included
		if err := c.Unmarshal(data, &got); err != nil || got != v {
			t.Errorf("gob round trip of shape(%#v) = %#v, %v; want %#v", v, got, err, v)
		}
	}
	for _, v := range []any{square{2}, "text", 7, nil} {
		data, err := c.Marshal(&v)
		if err != nil {
			t.Fatalf("gob Marshal(pointer to any(%#v)) = %v", v, err)
		}
		var got any
		if err := c.Unmarshal(data, &got); err != nil || got != v {
			t.Errorf("gob round trip of any(%#v) = %#v, %v; want %#v", v, got, err, v)
		}
	}
}
