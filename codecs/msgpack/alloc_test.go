//go:build !race

// The race detector makes sync.Pool drop a random share of what is put in
// it, so allocation counts are only meaningful without it.

package msgpack

import (
	"fmt"
	"testing"
	"time"
)

type fourTimes struct{ UTC, Local, Named, Fixed time.Time }

type fourInts struct{ UTC, Local, Named, Fixed int64 }

// Decoding a time allocates nothing once its zone has been met: a struct of
// times in every kind of zone costs what a struct of integers does.
func TestDecodingTimesAllocatesNothing(t *testing.T) {
	at := time.Date(2024, 3, 1, 3, 4, 5, 6, time.UTC)
	times := fourTimes{at, at.Local(), at.In(mustLoad(t, "Asia/Tokyo")), at.In(time.FixedZone("XYZ", 3600))}
	allocs := func(v any, into func() any) float64 {
		data, err := (Codec{}).Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(100, func() {
			if err := (Codec{}).Unmarshal(data, into()); err != nil {
				t.Fatal(err)
			}
		})
	}
	var ft fourTimes
	var fi fourInts
	withTimes := allocs(times, func() any { return &ft })
	withInts := allocs(fourInts{1, 2, 3, 4}, func() any { return &fi })
	if withTimes != withInts {
		t.Errorf("decoding four times allocates %v times, four integers %v; want the same", withTimes, withInts)
	}
	if got, want := []time.Time{ft.UTC, ft.Local, ft.Named, ft.Fixed}, []time.Time{times.UTC, times.Local, times.Named, times.Fixed}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decoded %v; want %v", got, want)
	}
}

func BenchmarkUnmarshalTimes(b *testing.B) {
	at := time.Date(2024, 3, 1, 3, 4, 5, 6, time.UTC)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		b.Fatal(err)
	}
	data, err := (Codec{}).Marshal(fourTimes{at, at.Local(), at.In(tokyo), at.In(time.FixedZone("XYZ", 3600))})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var v fourTimes
	for b.Loop() {
		if err := (Codec{}).Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}
