package parquet_test

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	pq "github.com/parquet-go/parquet-go"

	"github.com/memogen/memogen/codecs/parquet"
	"github.com/memogen/memogen/runtime/store"
)

type Price struct {
	Region string `parquet:"region"`
	ID     int64
	Ok     bool
	Rate   float64
	Small  float32
	Count  uint8
	Big    uint64
	Tiny   int8
	N      int
	U      uint
	I16    int16
	U32    uint32
}

func roundTrip[T any](t *testing.T, v T) []byte {
	t.Helper()
	data, err := parquet.Codec{}.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%#v): %v", v, err)
	}
	var back T
	if err := (parquet.Codec{}).Unmarshal(data, &back); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Errorf("round trip of %#v gave %#v", v, back)
	}
	return data
}

func TestRoundTrip(t *testing.T) {
	rows := []Price{
		{"eu-west", -7, true, 0.1, 1.5, 255, math.MaxUint64, -128, math.MinInt, math.MaxUint, -1, math.MaxUint32},
		{"a,\"b\"\r\nc\x00\xff", math.MaxInt64, false, math.Inf(-1), float32(math.SmallestNonzeroFloat32), 0, 1 << 63, 127, math.MaxInt, 0, math.MaxInt16, 0},
		{"", math.MinInt64, false, math.Copysign(0, -1), float32(math.Inf(1)), 1, 0, 0, 0, 1, math.MinInt16, 1},
	}
	data := roundTrip(t, rows)
	if !bytes.HasPrefix(data, []byte("PAR1")) || !bytes.HasSuffix(data, []byte("PAR1")) {
		t.Errorf("Marshal wrote %q…%q; want a Parquet file, between PAR1 marks", data[:4], data[len(data)-4:])
	}
	var back []Price
	if err := (parquet.Codec{}).Unmarshal(data, &back); err != nil || !math.Signbit(back[2].Rate) {
		t.Errorf("-0 read back as %v (%v); want -0", back[2].Rate, err)
	}
	// Another reader sees the same table.
	other, err := pq.Read[Price](bytes.NewReader(data), int64(len(data)))
	if err != nil || !reflect.DeepEqual(other, rows) {
		t.Errorf("parquet.Read = %v, %v; want %v", other, err, rows)
	}
	if data := roundTrip(t, []Price(nil)); len(data) != 0 {
		t.Errorf("Marshal(nil) = %q; want nothing", data)
	}
	if data := roundTrip(t, []Price{}); !bytes.HasPrefix(data, []byte("PAR1")) {
		t.Errorf("Marshal([]) = %q; want a file of no rows", data)
	}
	type ID string
	type one struct{ S ID }
	roundTrip(t, []one{{""}, {"x"}, {""}})
	many := make([]one, 5000)
	for i := range many {
		many[i].S = ID(strings.Repeat("y", i%7))
	}
	roundTrip(t, many)
}

func TestNaN(t *testing.T) {
	type row struct{ F float64 }
	data, err := parquet.Codec{}.Marshal([]row{{math.NaN()}})
	if err != nil {
		t.Fatal(err)
	}
	var back []row
	if err := (parquet.Codec{}).Unmarshal(data, &back); err != nil || len(back) != 1 || math.Float64bits(back[0].F) != math.Float64bits(math.NaN()) {
		t.Errorf("NaN read back as %v, %v; want the same bits", back, err)
	}
}

func TestNotTable(t *testing.T) {
	type nested struct{ P Price }
	type hidden struct {
		A int
		b int
	}
	type dash struct {
		A int `parquet:"-"`
	}
	type optional struct {
		A int `parquet:"a,optional"`
	}
	type dup struct {
		A int `parquet:"B"`
		B int
	}
	_ = hidden{b: 0} // b is there to be refused, never read
	for _, v := range []any{1, []int{1}, []nested{}, []hidden{}, []dash{}, []optional{}, []dup{}, []struct{}{}, map[string]int{}} {
		if _, err := (parquet.Codec{}).Marshal(v); !errors.Is(err, parquet.ErrNotTable) {
			t.Errorf("Marshal(%T) = %v; want ErrNotTable", v, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	good, err := parquet.Codec{}.Marshal([]Price{{Region: "x", ID: 1}})
	if err != nil {
		t.Fatal(err)
	}
	type other struct{ Region string }
	otherFile, err := parquet.Codec{}.Marshal([]other{{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	var compressed bytes.Buffer
	if err := pq.Write(&compressed, []Price{{Region: "x"}}, pq.Compression(&pq.Zstd)); err != nil {
		t.Fatal(err)
	}
	type dict struct {
		S string `parquet:"S,dict"`
	}
	var dictFile bytes.Buffer
	if err := pq.Write(&dictFile, []dict{{"x"}, {"x"}}, pq.Compression(&pq.Uncompressed)); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"text":        []byte("region,ID\nx,1\n"),
		"truncated":   good[:len(good)-1],
		"headless":    good[4:],
		"other":       otherFile,
		"compressed":  compressed.Bytes(),
		"flipped":     flip(good, 12),
		"magic alone": []byte("PAR1PAR1"),
	} {
		var got []Price
		if err := (parquet.Codec{}).Unmarshal(data, &got); !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("Unmarshal(%s) = %v; want ErrCorrupt", name, err)
		}
	}
	var got []struct{ S string }
	if err := (parquet.Codec{}).Unmarshal(dictFile.Bytes(), &got); !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("Unmarshal(dictionary-encoded) = %v; want ErrCorrupt", err)
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0xff
	return c
}

func TestLimits(t *testing.T) {
	rows := make([]Price, 1000)
	data, err := parquet.Codec{}.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	var got []Price
	lim := store.Limits{MaxBytes: len(data), MaxAlloc: 1000}
	if err := (parquet.Codec{}).UnmarshalLimited(data, &got, lim); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("UnmarshalLimited of 1000 rows within 1000 bytes = %v; want ErrTooLarge", err)
	}
	type text struct{ S string }
	long, err := parquet.Codec{}.Marshal([]text{{strings.Repeat("x", 100000)}})
	if err != nil {
		t.Fatal(err)
	}
	var gotText []text
	lim = store.Limits{MaxBytes: len(long), MaxAlloc: 50000}
	if err := (parquet.Codec{}).UnmarshalLimited(long, &gotText, lim); !errors.Is(err, store.ErrTooLarge) || !strings.Contains(err.Error(), "rows of") {
		t.Errorf("UnmarshalLimited of a 100000-byte string within 50000 bytes = %v; want ErrTooLarge for the rows", err)
	}
	lim = store.Limits{MaxBytes: len(data), MaxAlloc: 16 * int64(len(data))}
	if err := (parquet.Codec{}).UnmarshalLimited(data, &got, lim); err != nil || len(got) != 1000 {
		t.Errorf("UnmarshalLimited within 16 × the data = %d rows, %v; want 1000, nil", len(got), err)
	}
}

// FuzzUnmarshal decodes arbitrary data: it must fail or give back rows
// that encode and decode to themselves, and never panic.
func FuzzUnmarshal(f *testing.F) {
	for _, rows := range [][]Price{{}, {{Region: "eu", ID: 1, Ok: true, Rate: 0.5}}, make([]Price, 40)} {
		data, err := parquet.Codec{}.Marshal(rows)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var rows []Price
		lim := store.Limits{MaxBytes: 1 << 20, MaxAlloc: 16 << 20}
		if err := (parquet.Codec{}).UnmarshalLimited(data, &rows, lim); err != nil {
			if !errors.Is(err, store.ErrCorrupt) && !errors.Is(err, store.ErrTooLarge) {
				t.Fatalf("Unmarshal = %v; want an error wrapping ErrCorrupt or ErrTooLarge", err)
			}
			return
		}
		again, err := parquet.Codec{}.Marshal(rows)
		if err != nil {
			t.Fatal(err)
		}
		var back []Price
		if err := (parquet.Codec{}).UnmarshalLimited(again, &back, lim); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		if !reflect.DeepEqual(back, rows) && len(back) != len(rows) {
			t.Errorf("decoded to %d rows, re-encoded to %d", len(rows), len(back))
		}
	})
}
