package redis

import (
	"strconv"
	"strings"
	"testing"

	"github.com/memogen/memogen/runtime/store"
)

const digest = "0123456789abcdef0123456789abcdef"

func TestKey(t *testing.T) {
	s := &Store{prefix: "memo"}
	tests := []struct {
		fn   store.FuncID
		want string
	}{
		{store.FuncID{Package: "example.com/p", Name: "F"}, "memo:example.com/p.F:" + digest},
		{store.FuncID{Package: "example.com/p", Name: "T.Method"}, "memo:example.com/p.T.Method:" + digest},
		{store.FuncID{Package: "main", Name: "F"}, "memo:main.F:" + digest},
	}
	for _, tt := range tests {
		if got := s.key(tt.fn, digest); got != tt.want {
			t.Errorf("key(%v) = %q; want %q", tt.fn, got, tt.want)
		}
	}
}

func TestFuncPattern(t *testing.T) {
	tests := []struct {
		prefix string
		fn     store.FuncID
		want   string
	}{
		{"memo", store.FuncID{Package: "example.com/p", Name: "F"}, "memo:example.com/p.F:*"},
		{"memo", store.FuncID{Package: "example.com/p*", Name: "F"}, `memo:example.com/p\*.F:*`},
		{"a[b]", store.FuncID{Package: `x/q?\`, Name: "T.M"}, `a\[b\]:x/q\?\\.T.M:*`},
		{"memo", store.FuncID{Package: "example.com/p", Name: "F[int]"}, `memo:example.com/p.F\[int\]:*`},
	}
	for _, tt := range tests {
		s := &Store{prefix: tt.prefix}
		if got := s.funcPattern(tt.fn); got != tt.want {
			t.Errorf("funcPattern(%v) with prefix %q = %q; want %q", tt.fn, tt.prefix, got, tt.want)
		}
	}
}

func TestParseKey(t *testing.T) {
	s := &Store{prefix: "memo"}
	tests := []struct {
		key    string
		want   store.Key
		wantOK bool
	}{
		{"memo:example.com/p.F:" + digest, store.Key{Func: store.FuncID{Package: "example.com/p", Name: "F"}, Digest: digest}, true},
		{"memo:example.com/p.T.Method:" + digest, store.Key{Func: store.FuncID{Package: "example.com/p", Name: "T.Method"}, Digest: digest}, true},
		{"memo:main.F:" + digest, store.Key{Func: store.FuncID{Package: "main", Name: "F"}, Digest: digest}, true},
		// The documented ambiguity: a dotted last path element.
		{"memo:gopkg.in/yaml.v3.F:" + digest, store.Key{Func: store.FuncID{Package: "gopkg.in/yaml", Name: "v3.F"}, Digest: digest}, true},
		{"other:example.com/p.F:" + digest, store.Key{}, false},
		{"memo:example.com/p.F:" + strings.ToUpper(digest), store.Key{}, false},
		{"memo:example.com/p.F:0123", store.Key{}, false},
		{"memo:example.com/p:" + digest, store.Key{}, false},
		{"memo:example.com/p.:" + digest, store.Key{}, false},
		{"memo:.F:" + digest, store.Key{}, false},
		{"memo:" + digest, store.Key{}, false},
		{"memo:nested:example.com/p.F:" + digest, store.Key{}, false},
	}
	for _, tt := range tests {
		got, ok := s.parseKey(tt.key)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseKey(%q) = %v, %v; want %v, %v", tt.key, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseKeyRoundTrip(t *testing.T) {
	s := &Store{prefix: "app:memo"}
	for _, fn := range []store.FuncID{
		{Package: "example.com/a/b", Name: "F"},
		{Package: "example.com/a/b", Name: "T.M"},
		{Package: "main", Name: "T.M"},
		{Package: "example.com/a/b", Name: "Map[int,map[string][]uint8]"}, // instances of generic functions
		{Package: "example.com/a/b", Name: "List[0123456789abcdef].Join"},
	} {
		got, ok := s.parseKey(s.key(fn, digest))
		if want := (store.Key{Func: fn, Digest: digest}); !ok || got != want {
			t.Errorf("parseKey(key(%v)) = %v, %v; want %v, true", fn, got, ok, want)
		}
	}
}

// GETRANGE's last offset follows the entry limit, which memo.Configure may
// change between reads: the formatted argument is never a stale limit's.
func TestRangeEndArgFollowsTheLimit(t *testing.T) {
	for _, end := range []int64{64 << 20, 100, 64 << 20, 0, 7} {
		if got := string(rangeEndArg(end).([]byte)); got != strconv.FormatInt(end, 10) {
			t.Errorf("rangeEndArg(%d) = %q", end, got)
		}
	}
}
