package memoimpl

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

var errGone = errors.New("gone")

func TestEnvelopeRoundTrip(t *testing.T) {
	t.Parallel()
	sentinels := map[string]error{"errGone": errGone, "errOther": errors.New("other")}
	value := append(appendEnvelope(nil, envValue, 1_700_000_000_000_000_000, 42), "payload"...)
	env, err := parseEnvelope(value, sentinels)
	if err != nil || env.fresh != 1_700_000_000_000_000_000 || env.delta != 42 || string(env.payload) != "payload" || env.err != nil {
		t.Errorf("parseEnvelope(value) = %+v, %v; want fresh, delta and payload back", env, err)
	}
	cases := []struct {
		err      error
		wantSame bool // reads back as the sentinel itself
		wantIs   bool // errors.Is(read, errGone)
	}{
		{errGone, true, true},
		{fmt.Errorf("x: %w", errGone), false, true},
		{errors.New("plain"), false, false},
	}
	for _, tc := range cases {
		env, err := parseEnvelope(appendErrorEnvelope(nil, 5, 6, tc.err, sentinels), sentinels)
		if err != nil {
			t.Fatalf("parseEnvelope(%v) = %v", tc.err, err)
		}
		if env.err.Error() != tc.err.Error() || (env.err == errGone) != tc.wantSame || errors.Is(env.err, errGone) != tc.wantIs {
			t.Errorf("error %v read back as %#v; want same %v, errors.Is %v", tc.err, env.err, tc.wantSame, tc.wantIs)
		}
	}
	// A sentinel the package no longer declares keeps the message alone.
	env, _ = parseEnvelope(appendErrorEnvelope(nil, 5, 6, errGone, sentinels), nil)
	if ce, ok := env.err.(*memo.CachedError); !ok || ce.Msg != "gone" || ce.Sentinel != nil {
		t.Errorf("without the sentinel: %#v; want a CachedError with the message", env.err)
	}
}

func FuzzParseEnvelope(f *testing.F) {
	f.Add(appendEnvelope(nil, envValue, 1, 2))
	f.Add(appendErrorEnvelope(nil, 1, 2, errGone, map[string]error{"errGone": errGone}))
	f.Add([]byte{envError, 0, 0, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := parseEnvelope(data, map[string]error{"errGone": errGone})
		if err != nil {
			if !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("parseEnvelope error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if env.fresh < 0 || env.delta < 0 {
			t.Fatalf("negative times %d, %d", env.fresh, env.delta)
		}
		if data[0] == envValue && !bytes.HasSuffix(data, env.payload) {
			t.Fatal("payload is not the envelope's tail")
		}
		if data[0] == envError && env.err == nil {
			t.Fatal("an error envelope read back no error")
		}
	})
}

func TestEarlyRefreshProbability(t *testing.T) {
	old := earlyRand
	t.Cleanup(func() { earlyRand = old })
	// With u drawn, XFetch recomputes when delta·beta·(-ln u) covers the
	// time left: at u = 1/e, exactly delta·beta.
	earlyRand = func() float64 { return 1 / math.E }
	cases := []struct {
		now, fresh, delta int64
		beta              float64
		want              bool
	}{
		{now: 90, fresh: 100, delta: 10, beta: 1, want: true},
		{now: 89, fresh: 100, delta: 10, beta: 1, want: false},
		{now: 80, fresh: 100, delta: 10, beta: 2, want: true},
		{now: 79, fresh: 100, delta: 10, beta: 2, want: false},
		{now: 99, fresh: 100, delta: 0, beta: 5, want: false},
	}
	for _, tc := range cases {
		if got := earlyRefresh(tc.now, tc.fresh, tc.delta, tc.beta); got != tc.want {
			t.Errorf("earlyRefresh(%d, %d, %d, %g) = %v; want %v", tc.now, tc.fresh, tc.delta, tc.beta, got, tc.want)
		}
	}
}
