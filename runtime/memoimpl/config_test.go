package memoimpl_test

// The tests of this file change the global configuration, so none of them is
// parallel.

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

func TestConfigDisabledMakesPlainCalls(t *testing.T) {
	configure(t, memo.Config{Disabled: true})
	f := newFunc(t, memoimpl.FuncInfo{})
	var c counter
	for i := range 3 {
		if got, err := get(f, "k", c.fn("v")); got != "v" || err != nil {
			t.Fatalf("call %d = %q, %v; want v, nil", i+1, got, err)
		}
	}
	if c.runs() != 3 {
		t.Errorf("3 calls with caching disabled ran the function %d times; want 3", c.runs())
	}
	if st := f.Stats(); st.Hits != 0 || st.Misses != 0 || st.Failures != 0 {
		t.Errorf("Stats() = %+v; want no hits, misses or failures: the cache is not involved", st)
	}
	if contains(f, "k") {
		t.Error("Contains with caching disabled = true; want false")
	}
	if err := forget(f, "k"); err != nil {
		t.Errorf("Forget with caching disabled = %v; want nil", err)
	}

	memo.Configure(memo.Config{})
	if contains(f, "k") {
		t.Error("Contains after enabling caching = true; want false: disabled calls store nothing")
	}
}

// hexLabel matches the default CallInfo.Key: 12 hex digits.
var hexLabel = regexp.MustCompile(`^[0-9a-f]{12}$`)

func TestHookReceivesEveryCachedCall(t *testing.T) {
	var hook recorder
	clock := newFakeClock()
	configure(t, memo.Config{Hook: hook.Hook, Now: clock.Now})
	const ttl = time.Minute
	f := newFunc(t, memoimpl.FuncInfo{TTL: ttl, Errors: true})
	ctx := context.Background()
	errFailed := errors.New("failed")
	expires := clock.Now().Add(ttl)

	cached(ctx, f, "a", false, func() (string, error) { return "A", nil })          // miss
	cached(ctx, f, "a", false, func() (string, error) { return "A", nil })          // hit
	cached(ctx, f, "a", true, func() (string, error) { return "A", nil })           // refresh
	cached(ctx, f, "b", false, func() (string, error) { return "", errFailed })     // miss, error
	unkeyable(f, func() (string, error) { return "", nil })                         // uncached
	cached(ctx, f, "a", false, func() (string, error) { return "unexpected", nil }) // hit

	want := []struct {
		outcome memo.Outcome
		arg     string // "" for no key
		expires time.Time
		err     error
	}{
		{memo.Miss, "a", expires, nil},
		{memo.Hit, "a", expires, nil},
		{memo.Refresh, "a", expires, nil},
		{memo.Miss, "b", time.Time{}, errFailed},
		{memo.Uncached, "", time.Time{}, nil},
		{memo.Hit, "a", expires, nil},
	}
	calls := hook.Calls()
	if len(calls) != len(want) {
		t.Fatalf("hook received %d calls; want %d: %+v", len(calls), len(want), calls)
	}
	labels := make(map[string]string) // arg → Key
	for i, w := range want {
		got := calls[i]
		if got.Func != f.ID() || got.Outcome != w.outcome {
			t.Errorf("call %d: Func %v, Outcome %v; want %v, %v", i, got.Func, got.Outcome, f.ID(), w.outcome)
		}
		if !got.Expires.Equal(w.expires) {
			t.Errorf("call %d (%v): Expires = %v; want %v", i, w.outcome, got.Expires, w.expires)
		}
		if got.Duration < 0 {
			t.Errorf("call %d (%v): Duration = %v; want ≥ 0", i, w.outcome, got.Duration)
		}
		switch {
		case w.outcome == memo.Uncached:
			if got.Err == nil || !strings.Contains(got.Err.Error(), "cannot key") {
				t.Errorf("call %d (uncached): Err = %v; want the key's error", i, got.Err)
			}
		case w.err == nil && got.Err != nil, !errors.Is(got.Err, w.err):
			t.Errorf("call %d (%v): Err = %v; want %v", i, w.outcome, got.Err, w.err)
		}
		if w.arg == "" {
			if got.Key != "" {
				t.Errorf("call %d (%v): Key = %q for arguments that could not be keyed; want none", i, w.outcome, got.Key)
			}
			continue
		}
		if !hexLabel.MatchString(got.Key) {
			t.Errorf("call %d: Key = %q; want 12 hex digits", i, got.Key)
		}
		if prev, ok := labels[w.arg]; ok && prev != got.Key {
			t.Errorf("call %d: Key = %q for %q; want %q, as before", i, got.Key, w.arg, prev)
		}
		labels[w.arg] = got.Key
	}
	if labels["a"] == labels["b"] {
		t.Errorf("Key of a = Key of b = %q; want distinct labels", labels["a"])
	}
}

func TestHookReceivesSharedCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var hook recorder
		configure(t, memo.Config{Hook: hook.Hook})
		f := newFunc(t, memoimpl.FuncInfo{})
		started, release := make(chan struct{}), make(chan struct{})
		leaderDone := make(chan struct{})
		go func() {
			defer close(leaderDone)
			get(f, "k", func() (string, error) {
				close(started)
				<-release
				return "v", nil
			})
		}()
		<-started
		waiterDone := make(chan struct{})
		go func() {
			defer close(waiterDone)
			get(f, "k", func() (string, error) { return "v", nil })
		}()
		synctest.Wait() // the leader blocks in its function, the others wait for it
		close(release)
		within(t, leaderDone, "leader")
		within(t, waiterDone, "waiter")

		var outcomes []string
		for _, c := range hook.Calls() {
			outcomes = append(outcomes, c.Outcome.String())
		}
		slices.Sort(outcomes)
		if want := []string{"miss", "shared"}; !slices.Equal(outcomes, want) {
			t.Errorf("hook outcomes = %v; want %v", outcomes, want)
		}
	})
}

func TestHookFullKeys(t *testing.T) {
	var hook recorder
	configure(t, memo.Config{Hook: hook.Hook, FullKeys: true})
	f := newFunc(t, memoimpl.FuncInfo{})
	get(f, "secret", func() (string, error) { return "v", nil })
	want := hex.EncodeToString(keyOf(func(w *memo.KeyWriter) { w.Text("secret") }))
	calls := hook.Calls()
	if len(calls) != 1 || calls[0].Key != want {
		t.Errorf("hook received %+v; want one call with Key %q, the whole key in hex", calls, want)
	}
}

func TestHookNotCalledWithoutConfig(t *testing.T) {
	var hook recorder
	configure(t, memo.Config{Hook: hook.Hook})
	memo.Configure(memo.Config{})
	f := newFunc(t, memoimpl.FuncInfo{})
	get(f, "k", func() (string, error) { return "v", nil })
	if calls := hook.Calls(); len(calls) != 0 {
		t.Errorf("hook of a replaced Config received %+v; want nothing", calls)
	}
}

func TestLoggerDebugRecords(t *testing.T) {
	var logs safeBuffer
	configure(t, memo.Config{
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	f := newFunc(t, memoimpl.FuncInfo{Errors: true})
	get(f, "k", func() (string, error) { return "v", nil })
	get(f, "k", func() (string, error) { return "v", nil })
	get(f, "e", func() (string, error) { return "", errors.New("failed") })

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	wants := [][]string{
		{"level=DEBUG", `msg="memo call"`, "func=" + f.ID().String(), "outcome=miss", "key=", "duration="},
		{"level=DEBUG", "outcome=hit"},
		{"level=DEBUG", "outcome=miss", "error=failed"},
	}
	if len(lines) != len(wants) {
		t.Fatalf("logger received %d records; want %d:\n%s", len(lines), len(wants), logs.String())
	}
	keyAttr := regexp.MustCompile(`key=([0-9a-f]{12})\b`)
	for i, want := range wants {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("record %d %q does not contain %s", i, lines[i], w)
			}
		}
		if !keyAttr.MatchString(lines[i]) {
			t.Errorf("record %d %q: want key= followed by 12 hex digits", i, lines[i])
		}
	}
	if strings.Contains(lines[0], "error=") {
		t.Errorf("record of a successful call %q carries an error", lines[0])
	}
}

func TestLoggerWithoutDebugLevelGetsNoCallRecords(t *testing.T) {
	var logs safeBuffer
	configure(t, memo.Config{
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	f := newFunc(t, memoimpl.FuncInfo{})
	get(f, "k", func() (string, error) { return "v", nil })
	get(f, "k", func() (string, error) { return "v", nil })
	if logs.String() != "" {
		t.Errorf("an info-level logger received:\n%s\nwant no records for calls", logs.String())
	}
}

// A call whose arguments could not be keyed has no key label; a function
// without keyed arguments has the label of its empty key.
func TestKeyLabelOnlyWithAKey(t *testing.T) {
	var hook recorder
	var logs safeBuffer
	configure(t, memo.Config{
		Hook:   hook.Hook,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	f := newFunc(t, memoimpl.FuncInfo{})
	unkeyable(f, func() (string, error) { return "", nil })
	c := f.Begin(context.Background()) // no keyed arguments
	if _, ok := memoimpl.Lookup[string](c, false); !ok {
		_, _ = memoimpl.Run(c, func() (string, error) { return "v", nil })
	}

	calls := hook.Calls()
	if len(calls) != 2 || calls[0].Outcome != memo.Uncached || calls[1].Outcome != memo.Miss {
		t.Fatalf("hook received %+v; want an uncached call, then a miss", calls)
	}
	if calls[0].Key != "" {
		t.Errorf("uncached call without a key: Key = %q; want none", calls[0].Key)
	}
	if !hexLabel.MatchString(calls[1].Key) {
		t.Errorf("call with an empty key: Key = %q; want 12 hex digits", calls[1].Key)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || strings.Contains(lines[0], "key=") || !strings.Contains(lines[1], "key=") {
		t.Errorf("logger received %q; want a record without key=, then one with it", lines)
	}
}
