package runtime_test

// The tests of this file change the global backend registry or
// configuration, so none of them is parallel; each binds names of its own.

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// register binds name to b for the rest of the test.
func register(t *testing.T, name string, b store.Backend) {
	t.Cleanup(func() { memo.Unregister(name) })
	memo.Register(name, b)
}

// quiet configures a logger that drops the error record an unbound backend
// produces, which would otherwise go to slog.Default.
func quiet(t *testing.T) {
	configure(t, memo.Config{Logger: slog.New(slog.DiscardHandler)})
}

func TestRegisterRebindsOnNextCall(t *testing.T) {
	quiet(t)
	name := uniqueName(t)
	t.Cleanup(func() { memo.Unregister(name) })
	f := newFunc(t, memoimpl.FuncInfo{Backend: name})
	var c counter

	first := memory.New(memory.Options{})
	memo.Register(name, first)
	get(f, "k", c.fn("v"))
	get(f, "k", c.fn("v"))
	if c.runs() != 1 || first.Len() != 1 {
		t.Fatalf("bound to the first store: %d runs, %d entries; want 1, 1", c.runs(), first.Len())
	}

	second := memory.New(memory.Options{})
	memo.Register(name, second)
	get(f, "k", c.fn("v"))
	if c.runs() != 2 || second.Len() != 1 {
		t.Errorf("rebound to an empty store: %d runs, %d entries in it; want 2, 1", c.runs(), second.Len())
	}

	memo.Unregister(name)
	get(f, "k", c.fn("v"))
	get(f, "k", c.fn("v"))
	if c.runs() != 4 {
		t.Errorf("after Unregister: %d runs; want 4 (unbound: every call runs)", c.runs())
	}
	if st := f.Stats(); st.Failures != 2 {
		t.Errorf("after Unregister: Failures = %d; want 2", st.Failures)
	}

	memo.Register(name, first)
	get(f, "k", c.fn("v"))
	if c.runs() != 4 {
		t.Errorf("bound again to the first store: %d runs; want 4 (its entry is still there)", c.runs())
	}
}

func TestResolveReturnsRegisteredBackend(t *testing.T) {
	name := uniqueName(t)
	s := memory.New(memory.Options{})
	register(t, name, s)
	b, err := registry.Resolve(name)
	if b != s || err != nil {
		t.Errorf("Resolve(%q) = %v, %v; want the registered store, nil", name, b, err)
	}
}

func TestUnboundBackendRunsUncachedAndReportsOnce(t *testing.T) {
	var hook recorder
	var logs safeBuffer
	configure(t, memo.Config{
		Hook:   hook.Hook,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	name := uniqueName(t)
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, Errors: true})
	var c counter
	for i := range 3 {
		if got, err := get(f, "k", c.fn("v")); got != "v" || err != nil {
			t.Fatalf("call %d = %q, %v; want v, nil (the cache's error never reaches the caller)", i+1, got, err)
		}
	}
	if c.runs() != 3 {
		t.Errorf("3 calls ran the function %d times; want 3", c.runs())
	}
	if want := (memo.Stats{Failures: 3}); f.Stats() != want {
		t.Errorf("Stats() = %+v; want %+v", f.Stats(), want)
	}

	calls := hook.Calls()
	if len(calls) != 1 {
		t.Fatalf("hook received %d calls; want 1 report of the unbound backend: %+v", len(calls), calls)
	}
	if got := calls[0]; got.Func != f.ID() || got.Outcome != memo.Uncached || !errors.Is(got.Err, memo.ErrUnbound) {
		t.Errorf("hook received %+v; want Func %v, Outcome uncached, Err wrapping ErrUnbound", got, f.ID())
	}
	for _, want := range []string{fmt.Sprintf("%q", name), registry.EnvVar(name) + "=<url>", "memo.Register"} {
		if !strings.Contains(calls[0].Err.Error(), want) {
			t.Errorf("error %q does not mention %s", calls[0].Err, want)
		}
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("logger received %d records; want 1:\n%s", len(lines), logs.String())
	}
	for _, want := range []string{"level=ERROR", `msg="memo: calls run uncached"`, "func=" + f.ID().String()} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log record %q does not contain %s", lines[0], want)
		}
	}

	if contains(f, "k") {
		t.Error("Contains with an unbound backend = true; want false")
	}
	if err := forget(f, "k"); !errors.Is(err, memo.ErrUnbound) {
		t.Errorf("Forget with an unbound backend = %v; want ErrUnbound", err)
	}
	if err := f.Clear(t.Context()); !errors.Is(err, memo.ErrUnbound) {
		t.Errorf("Clear with an unbound backend = %v; want ErrUnbound", err)
	}
}

func TestCheckBackendsListsUnboundNamesAndTheirFunctions(t *testing.T) {
	quiet(t)
	unbound1, unbound2, bound := uniqueName(t), uniqueName(t), uniqueName(t)
	register(t, bound, memory.New(memory.Options{}))
	f1 := newFunc(t, memoimpl.FuncInfo{Backend: unbound1})
	f2 := newFunc(t, memoimpl.FuncInfo{Backend: unbound1})
	f3 := newFunc(t, memoimpl.FuncInfo{Backend: unbound2})
	f4 := newFunc(t, memoimpl.FuncInfo{Backend: bound})

	err := memo.CheckBackends()
	if !errors.Is(err, memo.ErrUnbound) {
		t.Fatalf("CheckBackends() = %v; want an error wrapping ErrUnbound", err)
	}
	msg := err.Error()
	for _, want := range []string{
		fmt.Sprintf("%q", unbound1),
		fmt.Sprintf("(used by %s, %s)", f1.ID(), f2.ID()),
		fmt.Sprintf("%q", unbound2),
		fmt.Sprintf("(used by %s)", f3.ID()),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("CheckBackends() = %q; want it to contain %s", msg, want)
		}
	}
	for _, unwanted := range []string{fmt.Sprintf("%q", bound), f4.ID().String()} {
		if strings.Contains(msg, unwanted) {
			t.Errorf("CheckBackends() = %q; want no mention of the bound backend (%s)", msg, unwanted)
		}
	}

	register(t, unbound1, memory.New(memory.Options{}))
	register(t, unbound2, memory.New(memory.Options{}))
	if err := memo.CheckBackends(); err != nil && (strings.Contains(err.Error(), f1.ID().String()) || strings.Contains(err.Error(), f3.ID().String())) {
		t.Errorf("CheckBackends() after Register = %q; want no mention of the now bound functions", err)
	}
}

func TestBackendFromEnvironment(t *testing.T) {
	quiet(t)
	name := uniqueName(t)
	t.Cleanup(func() { memo.Unregister(name) })
	t.Setenv(registry.EnvVar(name), "mem://?max_entries=2")
	f := newFunc(t, memoimpl.FuncInfo{Backend: name})
	var c counter
	for _, k := range []string{"a", "b", "c"} {
		get(f, k, c.fn(k))
	}
	if st := f.Stats(); st.Evictions != 1 || st.Failures != 0 {
		t.Errorf("3 keys in a mem://?max_entries=2 store: Stats() = %+v; want 1 eviction, no failures", st)
	}
	b, err := registry.Resolve(name)
	if err != nil {
		t.Fatalf("Resolve(%q) = %v", name, err)
	}
	if s, ok := b.(*memory.Store); !ok || s.Len() != 2 {
		t.Errorf("Resolve(%q) = %T holding %v entries; want a *memory.Store holding 2", name, b, b)
	}
}

func TestUnregisterRereadsEnvironment(t *testing.T) {
	quiet(t)
	name := uniqueName(t)
	t.Cleanup(func() { memo.Unregister(name) })
	if _, err := registry.Resolve(name); !errors.Is(err, memo.ErrUnbound) {
		t.Fatalf("Resolve(%q) with no binding = %v; want ErrUnbound", name, err)
	}
	t.Setenv(registry.EnvVar(name), "mem://")
	memo.Unregister(name)
	if _, err := registry.Resolve(name); err != nil {
		t.Errorf("Resolve(%q) after setting %s and Unregister = %v; want nil", name, registry.EnvVar(name), err)
	}
}

func TestRegisterReplacesEnvironmentBinding(t *testing.T) {
	quiet(t)
	name := uniqueName(t)
	t.Cleanup(func() { memo.Unregister(name) })
	t.Setenv(registry.EnvVar(name), "mem://")
	fromEnv, err := registry.Resolve(name)
	if err != nil {
		t.Fatal(err)
	}
	s := memory.New(memory.Options{})
	memo.Register(name, s)
	if b, _ := registry.Resolve(name); b != s || b == fromEnv {
		t.Errorf("Resolve(%q) after Register = %p; want the registered %p", name, b, s)
	}
}

func TestUnregisterDefaultBindsFreshMemoryStore(t *testing.T) {
	quiet(t)
	f := newFunc(t, memoimpl.FuncInfo{})
	var c counter
	get(f, "k", c.fn("v"))
	before, err := registry.Resolve(memo.DefaultBackend)
	if err != nil {
		t.Fatalf("Resolve(%q) = %v", memo.DefaultBackend, err)
	}
	memo.Unregister(memo.DefaultBackend)
	after, err := registry.Resolve(memo.DefaultBackend)
	if _, ok := after.(*memory.Store); !ok || err != nil || after == before {
		t.Fatalf("Resolve(%q) after Unregister = %T %p, %v; want a fresh *memory.Store", memo.DefaultBackend, after, after, err)
	}
	get(f, "k", c.fn("v"))
	if c.runs() != 2 {
		t.Errorf("call after Unregister(default) ran the function %d times in all; want 2", c.runs())
	}
}

func TestBackendFromEnvironmentErrors(t *testing.T) {
	quiet(t)
	cases := []struct {
		url  string
		want []string // in the error
	}{
		{"mem://%zz", []string{"MEMO_BACKEND_", "invalid URL escape"}},
		{"?prefix=x", []string{"MEMO_BACKEND_", `backend URL has no scheme; want one such as "mem://"`}},
		{"nosuch://host", []string{`no backend for scheme "nosuch"`, `_ "github.com/memogen/memogen/backends/nosuch"`}},
		{"mem://?max_entries=x", []string{`memory: invalid URL parameter max_entries="x"`}},
		{"mem://?max_entries=-1", []string{`memory: invalid URL parameter max_entries="-1"`}},
		{"mem://?max_entrie=10", []string{`unknown URL parameter "max_entrie"; did you mean "max_entries"?`}},
	}
	for _, tc := range cases {
		name := uniqueName(t)
		t.Setenv(registry.EnvVar(name), tc.url)
		_, err := registry.Resolve(name)
		if err == nil {
			t.Errorf("%s=%s: Resolve = nil error; want one", registry.EnvVar(name), tc.url)
			continue
		}
		for _, want := range tc.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s=%s: Resolve error %q does not mention %s", registry.EnvVar(name), tc.url, err, want)
			}
		}
		if !strings.Contains(err.Error(), name) && !strings.Contains(err.Error(), registry.EnvVar(name)) {
			t.Errorf("%s=%s: Resolve error %q names neither the backend nor its variable", registry.EnvVar(name), tc.url, err)
		}
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		url     string
		wantErr string // "" for success
	}{
		{"mem://", ""},
		{"mem://?max_entries=10", ""},
		{"mem://?max_entries=10&max_bytes=1024", ""},
		{"mem://?max_entries=x", `memory: invalid URL parameter max_entries="x": want a non-negative integer`},
		{"mem://?max_bytes=-1", `memory: invalid URL parameter max_bytes="-1": want a size in bytes such as 1048576 or 64MiB`},
		{"nosuch://", `memo: no backend for scheme "nosuch"; import its package, e.g. _ "github.com/memogen/memogen/backends/nosuch"`},
		{"rediss://host", `backends/redis"`},
		{"", `memo: backend URL has no scheme`},
		{"%zz://", "memo: backend URL:"},
	}
	for _, tc := range cases {
		b, err := memo.Open(tc.url)
		switch {
		case tc.wantErr == "" && (err != nil || b == nil):
			t.Errorf("Open(%q) = %v, %v; want a backend", tc.url, b, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("Open(%q) error = %v; want one containing %q", tc.url, err, tc.wantErr)
		}
	}
}

// TestOpenNoScheme checks the whole error for a URL without a scheme, as
// an unset variable expanded in "$MEMO_REDIS_URL?prefix=x" gives.
func TestOpenNoScheme(t *testing.T) {
	t.Parallel()
	const want = `memo: backend URL has no scheme; want one such as "mem://", "file:///var/cache/app" or "redis://localhost:6379/0?prefix=app"`
	for _, u := range []string{"", "?prefix=x", "/var/cache/app", "//host:6379"} {
		if _, err := memo.Open(u); err == nil || err.Error() != want {
			t.Errorf("Open(%q) error = %v; want %s", u, err, want)
		}
	}
}

func TestEnvVar(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, want string }{
		{"default", "MEMO_BACKEND_DEFAULT"},
		{"users", "MEMO_BACKEND_USERS"},
		{"Users_2", "MEMO_BACKEND_USERS_2"},
	}
	for _, tc := range cases {
		if got := registry.EnvVar(tc.name); got != tc.want {
			t.Errorf("EnvVar(%q) = %q; want %q", tc.name, got, tc.want)
		}
	}
}

// TestOpenerMayOpenAnotherURL binds a name whose opener opens another URL
// itself, as the tiered and write-behind backends do; binding must not
// deadlock on the registry.
func TestOpenerMayOpenAnotherURL(t *testing.T) {
	name := uniqueName(t)
	scheme := "nest" + strings.ToLower(strings.NewReplacer("_", "", "/", "").Replace(name))
	store.RegisterScheme(scheme, func(u *url.URL) (store.Backend, error) {
		return memo.Open("mem://?max_entries=3")
	})
	t.Cleanup(func() { memo.Unregister(name) })
	t.Setenv(registry.EnvVar(name), scheme+"://")
	done := make(chan error, 1)
	go func() {
		_, err := registry.Resolve(name)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Resolve(%q) = %v; want the backend the nested opener returned", name, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Resolve deadlocked on an opener that calls memo.Open")
	}
}

// TestOpenerMayResolveAnotherName binds a name whose opener resolves a
// second name from the environment; neither binding may wait on the other.
func TestOpenerMayResolveAnotherName(t *testing.T) {
	outer, inner := uniqueName(t), uniqueName(t)
	scheme := "outer" + strings.ToLower(strings.NewReplacer("_", "").Replace(outer))
	store.RegisterScheme(scheme, func(u *url.URL) (store.Backend, error) {
		return registry.Resolve(inner)
	})
	t.Cleanup(func() { memo.Unregister(outer); memo.Unregister(inner) })
	t.Setenv(registry.EnvVar(outer), scheme+"://")
	t.Setenv(registry.EnvVar(inner), "mem://?max_entries=2")
	done := make(chan error, 1)
	go func() {
		_, err := registry.Resolve(outer)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Resolve(%q) = %v", outer, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Resolve deadlocked on an opener that resolves another name")
	}
	a, _ := registry.Resolve(outer)
	b, _ := registry.Resolve(inner)
	if a != b {
		t.Errorf("Resolve(%q) = %p, Resolve(%q) = %p; want the same store", outer, a, inner, b)
	}
}

func TestCheckBackendsListsMissingCodecsOfByteLevelBackends(t *testing.T) {
	quiet(t)
	files, values := uniqueName(t), uniqueName(t)
	fs, err := file.New(file.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	register(t, files, fs)
	register(t, values, memory.New(memory.Options{}))
	store.RegisterCodec("checkbackends-codec", stubCodec{})
	store.RegisterCompressor("checkbackends-compressor", stubCompressor{})
	good := newFunc(t, memoimpl.FuncInfo{Backend: files, Codec: "checkbackends-codec+checkbackends-compressor"})
	noCodec := newFunc(t, memoimpl.FuncInfo{Backend: files, Codec: "protobuf"})
	noCompressor := newFunc(t, memoimpl.FuncInfo{Backend: files, Codec: "checkbackends-codec+brotli"})
	inMemory := newFunc(t, memoimpl.FuncInfo{Backend: values, Codec: "protobuf"})

	err = memo.CheckBackends()
	if err == nil {
		t.Fatal("CheckBackends() = nil; want the codecs that are not registered")
	}
	msg := err.Error()
	for _, want := range []string{
		fmt.Sprintf(`codec "protobuf" is not registered; import _ "github.com/memogen/memogen/codecs/protobuf" or call store.RegisterCodec (used by %s, bound to backend %q)`, noCodec.ID(), files),
		fmt.Sprintf(`compressor "brotli" is not registered; import _ "github.com/memogen/memogen/codecs/brotli" or call store.RegisterCompressor (used by %s, bound to backend %q)`, noCompressor.ID(), files),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("CheckBackends() = %q; want it to contain %s", msg, want)
		}
	}
	for _, f := range []*memoimpl.Func{good, inMemory} {
		if strings.Contains(msg, f.ID().String()) {
			t.Errorf("CheckBackends() = %q; want no mention of %s, whose codec is registered or unused", msg, f.ID())
		}
	}
}

// stubCodec and stubCompressor only need registering.
type (
	stubCodec      struct{}
	stubCompressor struct{}
)

func (stubCodec) Marshal(any) ([]byte, error)              { return nil, nil }
func (stubCodec) Unmarshal([]byte, any) error              { return nil }
func (stubCompressor) Compress(b []byte) ([]byte, error)   { return b, nil }
func (stubCompressor) Decompress(b []byte) ([]byte, error) { return b, nil }
