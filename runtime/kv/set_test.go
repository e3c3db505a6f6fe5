package kv_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/kv"
	"github.com/memogen/memogen/runtime/store"
)

// TestStoreFailedSetForgets checks that a Set that fails leaves no value
// under its key: Get does not serve the value it was meant to replace.
func TestStoreFailedSetForgets(t *testing.T) {
	cases := []struct {
		name  string
		value any
		ttl   time.Duration
		want  error // nil: any error
	}{
		{"unencodable", make(chan int), 0, memo.ErrUnstorable},
		{"unverifiable", []any{int64(1)}, 0, memo.ErrUnstorable}, // json reads a number back as float64
		{"too large", strings.Repeat("x", 1<<12), 0, store.ErrTooLarge},
		{"negative ttl", "new", -time.Second, nil},
	}
	for _, backend := range []string{"mem://", "file"} {
		for _, tc := range cases {
			t.Run(backend+"/"+tc.name, func(t *testing.T) {
				u := backend
				if u == "file" {
					u = "file://" + t.TempDir()
				}
				fakeClock(t, memo.Config{MaxEntryBytes: 1 << 10})
				s := open[string, any](t, "forget", u, &kv.Options{Codec: "json"})
				ctx := context.Background()
				mustSet[string, any](t, s, "k", "old", 0)
				err := s.Set(ctx, "k", tc.value, tc.ttl)
				if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
					t.Fatalf("Set(%v) = %v; want an error matching %v", tc.value, err, tc.want)
				}
				if v, ok, err := s.Get(ctx, "k"); ok || err != nil {
					t.Errorf("Get after a failed Set = %v, %v, %v; want nothing", v, ok, err)
				}
			})
		}
	}
}
