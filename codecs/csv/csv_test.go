package csv_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/memogen/memogen/codecs/csv"
	"github.com/memogen/memogen/runtime/store"
)

type Price struct {
	Region string `csv:"region"`
	ID     int64
	Ok     bool
	Rate   float64
	Small  float32
	Count  uint8
}

func roundTrip[T any](t *testing.T, v T) []byte {
	t.Helper()
	data, err := csv.Codec{}.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%#v): %v", v, err)
	}
	var back T
	if err := (csv.Codec{}).Unmarshal(data, &back); err != nil {
		t.Fatalf("Unmarshal(%q): %v", data, err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Errorf("round trip of %#v gave %#v (via %q)", v, back, data)
	}
	return data
}

func TestRoundTrip(t *testing.T) {
	rows := []Price{
		{"eu-west", -7, true, 0.1, 1.5, 255},
		{"a,\"b\"\nc", math.MaxInt64, false, math.Inf(-1), float32(math.SmallestNonzeroFloat32), 0},
		{"", 0, false, 1e300, -0.25, 1},
	}
	data := roundTrip(t, rows)
	want := "region,ID,Ok,Rate,Small,Count\neu-west,-7,true,0.1,1.5,255\n\"a,\"\"b\"\"\nc\",9223372036854775807,false,-Inf,1e-45,0\n,0,false,1e+300,-0.25,1\n"
	if string(data) != want {
		t.Errorf("Marshal = %q; want %q", data, want)
	}
	if data := roundTrip(t, []Price(nil)); len(data) != 0 {
		t.Errorf("Marshal(nil) = %q; want nothing", data)
	}
	if data := roundTrip(t, []Price{}); string(data) != "region,ID,Ok,Rate,Small,Count\n" {
		t.Errorf("Marshal([]) = %q; want the header alone", data)
	}
	type one struct{ S string }
	roundTrip(t, []one{{""}, {"x"}, {""}})
}

func TestNotTable(t *testing.T) {
	type nested struct{ P Price }
	type hidden struct {
		A int
		b int
	}
	type dash struct {
		A int `csv:"-"`
	}
	_ = hidden{b: 0} // b is there to be refused, never read
	for _, v := range []any{1, []int{1}, []nested{}, []hidden{}, []dash{}, map[string]int{}} {
		if _, err := (csv.Codec{}).Marshal(v); !errors.Is(err, csv.ErrNotTable) {
			t.Errorf("Marshal(%T) = %v; want ErrNotTable", v, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	for _, data := range []string{
		"Region,ID,Ok,Rate,Small,Count\n",
		"region,ID,Ok,Rate,Small,Count\nx,1,true,1,1\n",
		"region,ID,Ok,Rate,Small,Count\nx,1.5,true,1,1,1\n",
		"region,ID,Ok,Rate,Small,Count\nx,1,TRUE,1,1,1\n",
		"region,ID,Ok,Rate,Small,Count\nx,1,true,1,1,256\n",
		"region,ID,Ok,Rate,Small,Count\n\"x,1,true,1,1,1\n",
	} {
		var got []Price
		if err := (csv.Codec{}).Unmarshal([]byte(data), &got); !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("Unmarshal(%q) = %v; want ErrCorrupt", data, err)
		}
	}
}

func TestLimits(t *testing.T) {
	data := "region,ID,Ok,Rate,Small,Count\n" + strings.Repeat("x,1,true,1,1,1\n", 1000)
	var got []Price
	lim := store.Limits{MaxBytes: len(data), MaxAlloc: 1000}
	if err := (csv.Codec{}).UnmarshalLimited([]byte(data), &got, lim); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("UnmarshalLimited of 1000 rows within 1000 bytes = %v; want ErrTooLarge", err)
	}
	lim.MaxAlloc = 16 * int64(len(data))
	if err := (csv.Codec{}).UnmarshalLimited([]byte(data), &got, lim); err != nil || len(got) != 1000 {
		t.Errorf("UnmarshalLimited within 16 × the data = %d rows, %v; want 1000, nil", len(got), err)
	}
}

// FuzzUnmarshal decodes arbitrary data: it must fail or give back rows
// that encode and decode to themselves, and never panic.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte("region,ID,Ok,Rate,Small,Count\neu,1,true,0.5,1,2\n"))
	f.Add([]byte("region,ID,Ok,Rate,Small,Count\n"))
	f.Add([]byte("\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var rows []Price
		lim := store.Limits{MaxBytes: 1 << 20, MaxAlloc: 16 << 20}
		if err := (csv.Codec{}).UnmarshalLimited(data, &rows, lim); err != nil {
			if !errors.Is(err, store.ErrCorrupt) && !errors.Is(err, store.ErrTooLarge) {
				t.Fatalf("Unmarshal(%q) = %v; want an error wrapping ErrCorrupt or ErrTooLarge", data, err)
			}
			return
		}
		again, err := csv.Codec{}.Marshal(rows)
		if err != nil {
			t.Fatal(err)
		}
		var back []Price
		if err := (csv.Codec{}).UnmarshalLimited(again, &back, lim); err != nil {
			t.Fatalf("re-decoding %q: %v", again, err)
		}
		if len(back) != len(rows) {
			t.Errorf("%q decoded to %d rows, re-encoded to %d", data, len(rows), len(back))
		}
	})
}
