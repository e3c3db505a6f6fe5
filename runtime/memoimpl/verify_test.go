package memoimpl_test

import (
	"bytes"
	"errors"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
	"log/slog"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/codecs/gob"
	memo "github.com/memogen/memogen/runtime"
)

// verified is a memoized function of one string argument whose result
// compute gives, bound to a fresh store, recording what the hook and the
// logger hear.
type verified[R any] struct {
	f       *memoimpl.Func
	backend string // the name f's backend is bound to
	compute func(arg string) R
	runs    int
	hooks   []memo.CallInfo
	log     bytes.Buffer
}

func newVerified[R any](t *testing.T, backend store.Backend, info memoimpl.FuncInfo, cfg memo.Config, compute func(string) R) *verified[R] {
	t.Helper()
	v := &verified[R]{compute: compute}
	name := uniqueName(t)
	memo.Register(name, backend)
	t.Cleanup(func() { memo.Unregister(name) })
	info.Backend = name
	v.f, v.backend = newFunc(t, info), name
	cfg.Hook = func(c memo.CallInfo) { v.hooks = append(v.hooks, c) }
	cfg.Logger = slog.New(slog.NewTextHandler(&v.log, &slog.HandlerOptions{Level: slog.LevelError}))
	memo.Configure(cfg)
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	return v
}

// call returns the wrapper's result for arg, which must equal what the
// function computes, and checks how many times the function has run.
func (v *verified[R]) call(t *testing.T, arg string, wantRuns int) R {
	t.Helper()
	r, err := get(v.f, arg, func() (R, error) { v.runs++; return v.compute(arg), nil })
	if err != nil {
		t.Fatalf("call(%q): %v", arg, err)
	}
	if want := v.compute(arg); !reflect.DeepEqual(r, want) {
		t.Fatalf("call(%q) = %#v; want %#v", arg, r, want)
	}
	if v.runs != wantRuns {
		t.Fatalf("after call(%q) the function ran %d times; want %d", arg, v.runs, wantRuns)
	}
	return r
}

// reports returns the errors the hook heard.
func (v *verified[R]) reports() []string {
	var out []string
	for _, h := range v.hooks {
		if h.Err != nil {
			out = append(out, h.Outcome.String()+": "+h.Err.Error())
		}
	}
	return out
}

// tagsOf is a result gob changes: an empty slice comes back nil.
func tagsOf(arg string) []string {
	if arg == "" {
		return []string{}
	}
	return strings.Split(arg, ",")
}

func TestVerifyKeepsWhatWouldReadBackDifferent(t *testing.T) {
	v := newVerified(t, byteOnly{memory.New(memory.Options{})}, memoimpl.FuncInfo{Codec: "gob"}, memo.Config{}, tagsOf)
	for runs := 1; runs <= 3; runs++ {
		if got := v.call(t, "", runs); got == nil {
			t.Fatal("call returned nil; want the empty slice the function returned")
		}
	}
	want := []string{"miss: memo: results cannot be stored in a byte-level backend: " + v.backend + ": codec gob: result: [] became nil"}
	if got := v.reports(); !reflect.DeepEqual(got, want) {
		t.Errorf("hook heard %q; want once %q", got, want)
	}
	if n := strings.Count(v.log.String(), "level=ERROR"); n != 1 || !strings.Contains(v.log.String(), "result: [] became nil") {
		t.Errorf("logger got %q; want one error record with the difference", v.log.String())
	}
	if st := v.f.Stats(); st.Unstorable != 3 || st.Misses != 3 || st.Hits != 0 {
		t.Errorf("Stats = %+v; want 3 misses, all unstorable, and no hits", st)
	}
	// A value that reads back equal is stored, without another report.
	v.call(t, "a,b", 4)
	v.call(t, "a,b", 4)
	if st := v.f.Stats(); st.Hits != 1 || st.Unstorable != 3 {
		t.Errorf("Stats = %+v; want the storable result served once and no more unstorable ones", st)
	}
	if got := v.reports(); len(got) != 1 {
		t.Errorf("hook heard %q; want only the first report", got)
	}
}

func TestVerifyUsesTheGeneratedComparison(t *testing.T) {
	compared := 0
	equal := func(d *memoimpl.Diff, a, b *[]string) bool {
		compared++
		if !memoimpl.SameLen(d, *a, *b) {
			return false
		}
		for i := range *a {
			if (*a)[i] != (*b)[i] {
				return d.Differ((*a)[i], (*b)[i], "[%d]", i)
			}
		}
		return true
	}
	v := newVerified(t, byteOnly{memory.New(memory.Options{})}, memoimpl.FuncInfo{Codec: "gob", Equal: equal}, memo.Config{}, tagsOf)
	v.call(t, "", 1)
	v.call(t, "x", 2)
	v.call(t, "x", 2)
	if compared != 2 {
		t.Errorf("the generated comparison ran %d times; want once per stored result, 2", compared)
	}
	if got := v.reports(); len(got) != 1 || !strings.HasSuffix(got[0], "result: [] became nil") {
		t.Errorf("hook heard %q; want the empty slice reported", got)
	}
}

func TestVerifyFallsBackToReflection(t *testing.T) {
	// An Equal of another type than the results' is not called.
	wrong := func(d *memoimpl.Diff, a, b *int) bool { panic("called") }
	v := newVerified(t, byteOnly{memory.New(memory.Options{})}, memoimpl.FuncInfo{Codec: "gob", Equal: wrong}, memo.Config{}, tagsOf)
	v.call(t, "", 1)
	v.call(t, "", 2)
	if st := v.f.Stats(); st.Unstorable != 2 {
		t.Errorf("Stats().Unstorable = %d; want 2", st.Unstorable)
	}
}

func TestVerifyOff(t *testing.T) {
	for name, off := range map[string]struct {
		info memoimpl.FuncInfo
		cfg  memo.Config
	}{
		"verify=false": {memoimpl.FuncInfo{Codec: "gob", NoVerify: true}, memo.Config{}},
		"Config":       {memoimpl.FuncInfo{Codec: "gob"}, memo.Config{NoVerify: true}},
	} {
		t.Run(name, func(t *testing.T) {
			v := newVerified(t, byteOnly{memory.New(memory.Options{})}, off.info, off.cfg, tagsOf)
			v.call(t, "", 1)
			// The risk verification removes: the hit serves what gob read
			// back, nil, not the empty slice the function returned.
			r, _ := get(v.f, "", func() ([]string, error) { v.runs++; return tagsOf(""), nil })
			if r != nil || v.runs != 1 {
				t.Errorf("unverified hit = %#v after %d runs; want gob's nil from the store, 1 run", r, v.runs)
			}
			if got := v.reports(); len(got) != 0 {
				t.Errorf("hook heard %q; want nothing", got)
			}
		})
	}
}

func TestVerifySkipsValueStores(t *testing.T) {
	equal := func(d *memoimpl.Diff, a, b *[]string) bool { panic("a value store compared a result") }
	v := newVerified(t, memory.New(memory.Options{}), memoimpl.FuncInfo{Codec: "gob", Equal: equal}, memo.Config{}, tagsOf)
	v.call(t, "", 1)
	v.call(t, "", 1)
}

// truncating is a codec of the user's own that keeps at most 4 bytes of a
// string.
type truncating struct{}

func (truncating) Marshal(v any) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errors.New("truncating: not a string")
	}
	return []byte(s[:min(len(s), 4)]), nil
}

func (truncating) Unmarshal(data []byte, v any) error {
	p, ok := v.(*string)
	if !ok {
		return errors.New("truncating: not a *string")
	}
	*p = string(data)
	return nil
}

func TestVerifyCustomCodec(t *testing.T) {
	store.RegisterCodec("truncating", truncating{})
	v := newVerified(t, byteOnly{memory.New(memory.Options{})}, memoimpl.FuncInfo{Codec: "truncating"}, memo.Config{}, strings.ToUpper)
	v.call(t, "abc", 1)
	v.call(t, "abc", 1)
	v.call(t, "abcdef", 2)
	v.call(t, "abcdef", 3)
	if got := v.reports(); len(got) != 1 || !strings.HasSuffix(got[0], `codec truncating: result: "ABCDEF" became "ABCD"`) {
		t.Errorf("hook heard %q; want the truncated string reported", got)
	}
}

// TestVerifyOffByEnvironment runs itself again with MEMO_NOVERIFY=1, which
// the runtime reads at startup: there, gob's nil for an empty slice is
// stored and served.
func TestVerifyOffByEnvironment(t *testing.T) {
	if os.Getenv("MEMO_NOVERIFY") == "1" {
		v := newVerified(t, byteOnly{memory.New(memory.Options{})}, memoimpl.FuncInfo{Codec: "gob"}, memo.Config{}, tagsOf)
		v.call(t, "", 1)
		if r, _ := get(v.f, "", func() ([]string, error) { v.runs++; return tagsOf(""), nil }); r != nil || v.runs != 1 {
			t.Fatalf("under MEMO_NOVERIFY=1 the second call = %#v after %d runs; want the stored nil, 1 run", r, v.runs)
		}
		t.Log("stored unverified")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestVerifyOffByEnvironment$", "-test.v")
	cmd.Env = append(os.Environ(), "MEMO_NOVERIFY=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "stored unverified") {
		t.Errorf("under MEMO_NOVERIFY=1: %v\n%s", err, out)
	}
}

func TestVerifyComparisonPanicIsADifference(t *testing.T) {
	equal := func(d *memoimpl.Diff, a, b *[]string) bool { panic("boom") }
	v := newVerified(t, byteOnly{memory.New(memory.Options{})}, memoimpl.FuncInfo{Codec: "gob", Equal: equal}, memo.Config{}, tagsOf)
	v.call(t, "a", 1)
	v.call(t, "a", 2)
	if got := v.reports(); len(got) != 1 || !strings.HasSuffix(got[0], "codec gob: result: comparing panicked: boom") {
		t.Errorf("hook heard %q; want the panic reported as a difference", got)
	}
}
