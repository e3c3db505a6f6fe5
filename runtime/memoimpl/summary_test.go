package memoimpl_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// privateStore is a byte-level store that says its entries stay on this
// machine, as the file backend does.
type privateStore struct{ store.Backend }

func (privateStore) Private() bool { return true }

func TestSummaryPolicy(t *testing.T) {
	tests := []struct {
		name      string
		private   bool
		directive string
		policy    memo.SummaryPolicy
		want      string
	}{
		{"shared backend by default", false, "", memo.SummariesPrivate, ""},
		{"private backend by default", true, "", memo.SummariesPrivate, `s="hello"`},
		{"summary=true on a shared backend", false, "true", memo.SummariesPrivate, `s="hello"`},
		{"summary=false on a private backend", true, "false", memo.SummariesPrivate, ""},
		{"always on a shared backend", false, "", memo.SummariesAlways, `s="hello"`},
		{"always, summary=false", false, "false", memo.SummariesAlways, ""},
		{"never, summary=true", true, "true", memo.SummariesNever, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recording{Backend: memory.New(memory.Options{})}
			var st store.Backend = rec
			if tt.private {
				st = privateStore{rec}
			}
			bf := newByteFunc(t, st, memoimpl.FuncInfo{Summary: tt.directive})
			memo.Configure(memo.Config{Summaries: tt.policy})
			bf.mustCall(t, "hello", 1)
			data, err := rec.Backend.Get(context.Background(), rec.lastSet)
			if err != nil {
				t.Fatal(err)
			}
			e, err := store.DecodeEntry(data)
			if err != nil {
				t.Fatal(err)
			}
			if e.Summary != tt.want {
				t.Errorf("summary = %q; want %q", e.Summary, tt.want)
			}
			bf.mustCall(t, "hello", 1) // a hit either way
		})
	}
}

// TestNoArgumentInLogs checks that an argument's value reaches neither the
// logger nor the hook unless FullKeys is set, even when a backend fails.
func TestNoArgumentInLogs(t *testing.T) {
	const secret = "ada@example.com"
	for _, full := range []bool{false, true} {
		var logs strings.Builder
		var keys []string
		bf := newByteFunc(t, failing{memory.New(memory.Options{})}, memoimpl.FuncInfo{})
		memo.Configure(memo.Config{
			Logger:   slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Hook:     func(c memo.CallInfo) { keys = append(keys, c.Key, fmt.Sprint(c.Err)) },
			FullKeys: full,
		})
		bf.call(secret)
		bf.call(secret)
		seen := logs.String() + strings.Join(keys, " ")
		hexSecret := hex.EncodeToString([]byte(secret))
		switch {
		case strings.Contains(seen, secret):
			t.Errorf("FullKeys %v: the argument reached a log or hook:\n%s", full, seen)
		case !full && strings.Contains(seen, hexSecret):
			t.Errorf("FullKeys false: the argument's encoding reached a log or hook:\n%s", seen)
		case full && !strings.Contains(seen, hexSecret):
			t.Errorf("FullKeys true: no log or hook carried the whole key:\n%s", seen)
		}
	}
}

// failing is a backend whose every read and write fails.
type failing struct{ store.Backend }

func (failing) Get(context.Context, store.Key) ([]byte, error) {
	return nil, errors.New("connection refused")
}

func (failing) Set(context.Context, store.Key, []byte, time.Time) error {
	return errors.New("connection refused")
}
