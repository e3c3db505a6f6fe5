package tiered

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

var (
	ctx   = context.Background()
	funcA = store.FuncID{Package: "example.com/p", Name: "A"}
	funcB = store.FuncID{Package: "example.com/p", Name: "B"}
)

// entryDigest is the key digest the test entries carry: that of
// backendtest.Key(f, 1), the key that tests which fill the front read. The
// front is filled only with entries that answer the key read.
const entryDigest = "00000000000000000000000000000001"

// entry returns a stored entry, as the runtime writes them; the same
// arguments give the same bytes.
func entry(payload string, expires time.Time) []byte {
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return store.EncodeEntry(store.Entry{Codec: "json", Digest: entryDigest, Created: created, Expires: expires, Payload: []byte(payload)})
}

// newTiered returns a store whose front is a memory store and whose back is
// a Recorder.
func newTiered(t *testing.T, opts Options) (*Store, *memory.Store, *backendtest.Recorder) {
	t.Helper()
	front, back := memory.New(memory.Options{MaxEntries: 100}), new(backendtest.Recorder)
	s := New(front, back, opts)
	t.Cleanup(func() { s.Close() })
	return s, front, back
}

func wantCalls(t *testing.T, back *backendtest.Recorder, method string, want int) {
	t.Helper()
	if got := back.Calls(method); got != want {
		t.Fatalf("back.%s called %d times; want %d", method, got, want)
	}
}

// frontExpiry returns when the front's copy of k expires, read from the
// memory store's table.
func frontExpiry(t *testing.T, front *memory.Store, k store.Key) (expires time.Time, ok bool) {
	t.Helper()
	_, exp, ok := front.Table(store.TableConfig{Func: k.Func}).Peek([]byte(k.Digest))
	return time.Unix(0, exp), ok
}

func TestConformance(t *testing.T) {
	backendtest.RunInBubble(t, func(t *testing.T) store.Backend {
		s, _, _ := newTiered(t, Options{})
		return s
	})
}

func TestHitsServedFromFront(t *testing.T) {
	t.Parallel()
	s, _, back := newTiered(t, Options{})
	v := entry(`"v"`, time.Time{})
	backendtest.Set(t, s, backendtest.Key(funcA, 1), v, time.Time{})
	for range 3 {
		backendtest.WantValue(t, s, backendtest.Key(funcA, 1), v)
	}
	wantCalls(t, back, "Set", 1)
	wantCalls(t, back, "Get", 0)
}

func TestMissFillsFront(t *testing.T) {
	t.Parallel()
	s, front, back := newTiered(t, Options{})
	v := entry(`"from another process"`, time.Time{})
	backendtest.Set(t, back, backendtest.Key(funcA, 1), v, time.Time{})
	for range 3 {
		backendtest.WantValue(t, s, backendtest.Key(funcA, 1), v)
	}
	wantCalls(t, back, "Get", 1)
	backendtest.WantValue(t, front, backendtest.Key(funcA, 1), v)

	backendtest.WantMissing(t, s, backendtest.Key(funcA, 2))
	backendtest.WantMissing(t, s, backendtest.Key(funcA, 2))
	wantCalls(t, back, "Get", 3)
}

func TestFrontExpiry(t *testing.T) {
	t.Parallel()
	const frontTTL = time.Minute
	tests := []struct {
		name    string
		expires time.Duration // from now; 0 for never
		byEntry bool          // whether the entry's expiry bounds the copy, else the front TTL
	}{
		{"never expires", 0, false},
		{"expires after the front TTL", time.Hour, false},
		{"expires within the front TTL", 10 * time.Second, true},
	}
	for _, tt := range tests {
		for _, path := range []string{"Set", "fill"} {
			t.Run(tt.name+"/"+path, func(t *testing.T) {
				// In a synctest bubble the clock stands still while the
				// test runs, so the front's expiry is exact.
				synctest.Test(t, func(t *testing.T) {
					s, front, back := newTiered(t, Options{FrontTTL: frontTTL})
					now := time.Now()
					var expires time.Time
					if tt.expires != 0 {
						expires = now.Add(tt.expires)
					}
					k, v := backendtest.Key(funcA, 1), entry("1", expires)
					if path == "Set" {
						backendtest.Set(t, s, k, v, expires)
					} else {
						backendtest.Set(t, back, k, v, expires)
						backendtest.WantValue(t, s, k, v)
					}
					got, ok := frontExpiry(t, front, k)
					if !ok {
						t.Fatalf("the front holds no copy of %v", k)
					}
					want := now.Add(frontTTL)
					if tt.byEntry {
						want = expires
					}
					if !got.Equal(want) {
						t.Errorf("front copy expires at %v; want %v (by the entry's expiry: %v)", got, want, tt.byEntry)
					}
				})
			})
		}
	}
}

func TestFrontCopyExpires(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s, _, back := newTiered(t, Options{FrontTTL: time.Minute})
		k := backendtest.Key(funcA, 1)
		old := entry("1", time.Time{})
		backendtest.Set(t, s, k, old, time.Time{})
		newer := entry("2", time.Time{})
		backendtest.Set(t, back, k, newer, time.Time{}) // another process recomputes
		time.Sleep(time.Minute - time.Nanosecond)
		backendtest.WantValue(t, s, k, old)
		wantCalls(t, back, "Get", 0)
		time.Sleep(time.Nanosecond)
		backendtest.WantValue(t, s, k, newer)
		wantCalls(t, back, "Get", 1)
	})
}

func TestOtherWritersUnseenWithinFrontTTL(t *testing.T) {
	t.Parallel()
	s, _, back := newTiered(t, Options{FrontTTL: time.Hour})
	k := backendtest.Key(funcA, 1)
	old := entry("1", time.Time{})
	backendtest.Set(t, s, k, old, time.Time{})
	backendtest.Set(t, back, k, entry("2", time.Time{}), time.Time{})
	backendtest.WantValue(t, s, k, old)
	if err := back.Delete(ctx, k); err != nil {
		t.Fatal(err)
	}
	backendtest.WantValue(t, s, k, old)
}

func TestDeleteVisibility(t *testing.T) {
	t.Parallel()
	s, front, back := newTiered(t, Options{})
	k := backendtest.Key(funcA, 1)
	backendtest.Set(t, s, k, entry("1", time.Time{}), time.Time{})
	backendtest.WantValue(t, s, k, entry("1", time.Time{}))
	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("Delete = %v; want nil", err)
	}
	backendtest.WantMissing(t, s, k)
	backendtest.WantMissing(t, front, k)
	if _, ok := back.Stored(k); ok {
		t.Errorf("the back still holds %v after Delete", k)
	}
}

func TestDeletedByAnotherProcess(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s, _, back := newTiered(t, Options{FrontTTL: time.Minute})
		k := backendtest.Key(funcA, 1)
		backendtest.Set(t, s, k, entry("1", time.Time{}), time.Time{})
		if err := back.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		backendtest.WantMissing(t, s, k)
	})
}

func TestClear(t *testing.T) {
	t.Parallel()
	s, front, back := newTiered(t, Options{})
	for i := range 3 {
		backendtest.Set(t, s, backendtest.Key(funcA, i), entry("a", time.Time{}), time.Time{})
		backendtest.Set(t, s, backendtest.Key(funcB, i), entry("b", time.Time{}), time.Time{})
	}
	if err := s.Clear(ctx, funcA); err != nil {
		t.Fatalf("Clear = %v; want nil", err)
	}
	for i := range 3 {
		backendtest.WantMissing(t, s, backendtest.Key(funcA, i))
		backendtest.WantMissing(t, front, backendtest.Key(funcA, i))
		backendtest.WantValue(t, s, backendtest.Key(funcB, i), entry("b", time.Time{}))
	}
	wantCalls(t, back, "Get", 3) // the misses of funcA only
}

func TestSetFailureKeepsFrontClean(t *testing.T) {
	t.Parallel()
	s, front, back := newTiered(t, Options{})
	k := backendtest.Key(funcA, 1)
	backendtest.Set(t, s, k, entry("old", time.Time{}), time.Time{})
	back.SetErr = errors.New("back is down")
	if err := s.Set(ctx, k, entry("new", time.Time{}), time.Time{}); !errors.Is(err, back.SetErr) {
		t.Fatalf("Set with a failing back = %v; want %v", err, back.SetErr)
	}
	// The back may or may not have applied the write: the front must not
	// guess.
	backendtest.WantMissing(t, front, k)
	backendtest.WantValue(t, s, k, entry("old", time.Time{}))
}

func TestValuesThatAreNotEntriesStayInBack(t *testing.T) {
	t.Parallel()
	s, _, back := newTiered(t, Options{})
	k := backendtest.Key(funcA, 1)
	backendtest.Set(t, back, k, []byte("not an entry"), time.Time{})
	backendtest.WantValue(t, s, k, []byte("not an entry"))
	backendtest.WantValue(t, s, k, []byte("not an entry"))
	wantCalls(t, back, "Get", 2)
}

// A Get that read the back just before a Delete must not put the deleted
// value in the front.
func TestGetRacingDeleteDoesNotRefill(t *testing.T) {
	t.Parallel()
	s, _, back := newTiered(t, Options{})
	k := backendtest.Key(funcA, 1)
	old := entry("old", time.Time{})
	backendtest.Set(t, back, k, old, time.Time{})
	read, resume := make(chan struct{}), make(chan struct{})
	var once sync.Once
	back.AfterGet = func(store.Key) {
		once.Do(func() {
			close(read)
			<-resume
		})
	}
	type result struct {
		value []byte
		err   error
	}
	got := make(chan result)
	go func() {
		v, err := s.Get(ctx, k)
		got <- result{v, err}
	}()
	<-read
	if err := s.Delete(ctx, k); err != nil {
		t.Fatal(err)
	}
	close(resume)
	// The Get read the back before the Delete, so it may return the old
	// value; later ones may not.
	if r := <-got; r.err != nil || !bytes.Equal(r.value, old) {
		t.Errorf("Get racing Delete = %q, %v; want %q", r.value, r.err, old)
	}
	backendtest.WantMissing(t, s, k)
}

// Two Sets of one key that overlap may reach the back in one order and the
// front in the other; the front must then defer to the back.
func TestOverlappingSetsDeferToBack(t *testing.T) {
	t.Parallel()
	s, _, back := newTiered(t, Options{})
	k := backendtest.Key(funcA, 1)
	first, second := entry("first", time.Time{}), entry("second", time.Time{})
	firstEntered, resumeFirst := make(chan struct{}), make(chan struct{})
	secondStored, resumeSecond := make(chan struct{}), make(chan struct{})
	back.BeforeSet = func(_ store.Key, v []byte) {
		if bytes.Equal(v, first) {
			close(firstEntered)
			<-resumeFirst
		}
	}
	back.AfterSet = func(_ store.Key, v []byte) {
		if bytes.Equal(v, second) {
			close(secondStored)
			<-resumeSecond
		}
	}
	errs := make(chan error, 2)
	go func() { errs <- s.Set(ctx, k, first, time.Time{}) }()
	<-firstEntered
	go func() { errs <- s.Set(ctx, k, second, time.Time{}) }()
	<-secondStored
	close(resumeFirst) // first reaches the back last, and the front first
	if err := <-errs; err != nil {
		t.Fatalf("Set(first) = %v; want nil", err)
	}
	close(resumeSecond)
	if err := <-errs; err != nil {
		t.Fatalf("Set(second) = %v; want nil", err)
	}
	backendtest.WantValue(t, s, k, first)
}

func TestListAndPruneDelegate(t *testing.T) {
	t.Parallel()
	s, _, back := newTiered(t, Options{})
	past := time.Now().Add(-time.Second)
	backendtest.Set(t, back, backendtest.Key(funcA, 1), entry("1", past), past)
	backendtest.Set(t, s, backendtest.Key(funcA, 2), entry("2", time.Time{}), time.Time{})
	n := 0
	if err := s.List(ctx, funcA, func(store.StoredEntry) bool { n++; return true }); err != nil || n != 2 {
		t.Errorf("List = %v after %d entries; want nil after 2", err, n)
	}
	stats, err := s.Prune(ctx)
	if err != nil || stats.Entries != 1 {
		t.Errorf("Prune = %+v, %v; want 1 entry removed", stats, err)
	}
	wantCalls(t, back, "List", 1)
	wantCalls(t, back, "Prune", 1)
}

func TestListAndPruneUnsupported(t *testing.T) {
	t.Parallel()
	s := New(memory.New(memory.Options{}), memory.New(memory.Options{}), Options{})
	err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { return true })
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("List with a memory back = %v; want errors.ErrUnsupported", err)
	}
	if stats, err := s.Prune(ctx); !errors.Is(err, errors.ErrUnsupported) || stats != (store.PruneStats{}) {
		t.Errorf("Prune with a memory back = %+v, %v; want nothing removed, errors.ErrUnsupported", stats, err)
	}
}

func TestCloseClosesBothTiers(t *testing.T) {
	t.Parallel()
	front, back := new(backendtest.Recorder), new(backendtest.Recorder)
	s := New(front, back, Options{})
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v; want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("a second Close = %v; want nil, as the first", err)
	}
	if front.Calls("Close") != 1 || back.Calls("Close") != 1 {
		t.Errorf("Close closed the front %d and the back %d times; want 1 and 1", front.Calls("Close"), back.Calls("Close"))
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	mem10 := url.QueryEscape("mem://?max_entries=10")
	tests := []struct {
		url  string
		want URLConfig
	}{
		{"tiered://?back=mem%3A%2F%2F", URLConfig{Front: "mem://", Back: "mem://"}},
		{"tiered://?back=mem://", URLConfig{Front: "mem://", Back: "mem://"}},
		{"tiered://?front=" + mem10 + "&back=" + url.QueryEscape("redis://h:6379/0?prefix=p") + "&front_ttl=30s",
			URLConfig{Front: "mem://?max_entries=10", Back: "redis://h:6379/0?prefix=p", Options: Options{FrontTTL: 30 * time.Second}}},
		{"tiered:?back=" + mem10, URLConfig{Front: "mem://", Back: "mem://?max_entries=10"}},
	}
	for _, tt := range tests {
		if got, err := ParseURL(tt.url); err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v, nil", tt.url, got, err, tt.want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want string
	}{
		{"tiered://", `tiered: no back= URL; want tiered://?back=<query-escaped URL>`},
		{"tiered://?front=mem%3A%2F%2F", `tiered: no back= URL; want tiered://?back=<query-escaped URL>`},
		{"tiered://?back=", `tiered: invalid URL parameter back="": want a non-empty value`},
		{"tiered://?back=mem%3A%2F%2F&frnot=mem%3A%2F%2F", `tiered: unknown URL parameter "frnot"; did you mean "front"?`},
		{"tiered://?back=mem%3A%2F%2F&back=mem%3A%2F%2F", `tiered: URL parameter back is given 2 times; give it once`},
		{"tiered://?back=mem://?max_entries=10&max_bytes=100", `tiered: unknown URL parameter "max_bytes" (want back, front or front_ttl)` + "\n" +
			`tiered: query-escape the URLs in front= and back= (url.QueryEscape)`},
		{"tiered://?back=mem%3A%2F%2F&front_ttl=soon", `tiered: invalid URL parameter front_ttl="soon": want a positive duration such as 30s`},
		{"tiered://?back=mem%3A%2F%2F&front_ttl=-1s", `tiered: invalid URL parameter front_ttl="-1s": want a positive duration such as 30s`},
		{"tiered://mem/?back=mem%3A%2F%2F", `tiered: URL has "mem/" before the query; want tiered://?front=…&back=…`},
		{"tiered://?back=mem%3A%2F%2F&x=%zz", `tiered: URL query: invalid URL escape "%zz"`},
		{"mem://?back=mem%3A%2F%2F", `tiered: URL scheme "mem", want tiered`},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.url)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want the error\n%s", tt.url, got, err, tt.want)
		}
		if _, err := memo.Open(tt.url); strings.HasPrefix(tt.url, "tiered:") && (err == nil || err.Error() != tt.want) {
			t.Errorf("memo.Open(%q) = %v; want the error\n%s", tt.url, err, tt.want)
		}
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url      string
		frontTTL time.Duration
	}{
		{"tiered://?front=" + url.QueryEscape("mem://?max_entries=1000") + "&back=" + url.QueryEscape("mem://") + "&front_ttl=30s", 30 * time.Second},
		{"tiered://?back=mem%3A%2F%2F", DefaultFrontTTL},
		{"tiered://?back=" + url.QueryEscape("tiered://?back="+url.QueryEscape("mem://")), DefaultFrontTTL},
	}
	for _, tt := range tests {
		b, err := memo.Open(tt.url)
		if err != nil {
			t.Errorf("Open(%q) = %v; want a store", tt.url, err)
			continue
		}
		s := b.(*Store)
		if s.frontTTL != tt.frontTTL {
			t.Errorf("Open(%q): front TTL %v; want %v", tt.url, s.frontTTL, tt.frontTTL)
		}
		if _, ok := s.front.(*memory.Store); !ok {
			t.Errorf("Open(%q): front is %T; want *memory.Store", tt.url, s.front)
		}
		backendtest.Set(t, s, backendtest.Key(funcA, 1), entry("1", time.Time{}), time.Time{})
		backendtest.WantValue(t, s, backendtest.Key(funcA, 1), entry("1", time.Time{}))
	}
}

// TestOpenTierErrors checks that a tier that cannot be opened fails the
// opening, saying which.
func TestOpenTierErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want string
	}{
		{"tiered://?back=nosuch%3A%2F%2Fx", `tiered: back: memo: no backend for scheme "nosuch"; import its package, e.g. _ "github.com/memogen/memogen/backends/nosuch"`},
		{"tiered://?front=mem%3A%2F%2F%3Fsize%3D0&back=mem%3A%2F%2F", `tiered: front: memory: unknown URL parameter "size" (want max_bytes or max_entries)`},
	}
	for _, tt := range tests {
		if _, err := memo.Open(tt.url); err == nil || err.Error() != tt.want {
			t.Errorf("memo.Open(%q) = %v; want the error\n%s", tt.url, err, tt.want)
		}
	}
}

// An entry swapped or copied to another key in the front, the back's
// entries intact, is a miss: the runtime checks the key every entry names,
// whichever tier served it, and its deletion clears both tiers.
func TestFrontEntriesAnswerForOneKey(t *testing.T) {
	t.Parallel()
	s, front, back := newTiered(t, Options{})
	backendtest.EntryKeys(t, s, backendtest.SwapValues(front), backendtest.CopyValue(front))
	wantCalls(t, back, "Get", 3) // the first three misses; the front served the rest
}

// The front copies only entries that answer the key they were read under.
func TestMisplacedEntryStaysInBack(t *testing.T) {
	t.Parallel()
	s, front, back := newTiered(t, Options{})
	k := backendtest.Key(funcA, 2) // entry() names backendtest.Key(f, 1)
	v := entry("1", time.Time{})
	backendtest.Set(t, back, k, v, time.Time{})
	for range 2 {
		backendtest.WantValue(t, s, k, v)
	}
	wantCalls(t, back, "Get", 2)
	if _, ok := frontExpiry(t, front, k); ok {
		t.Errorf("the front holds a copy of an entry naming another key")
	}
}
