package urlopt

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/memogen/memogen/internal/suggest"
)

// demo is what readDemo reads from a URL.
type demo struct {
	name    string
	count   int
	verbose bool
	wait    time.Duration
	size    int64
	addrs   []string
}

// readDemo parses raw as a URL of the "demo" backend, reads a parameter
// with each getter, and returns what they read and Err's message.
func readDemo(t *testing.T, raw string) (demo, string) {
	t.Helper()
	_, q, err := Parse("demo", raw, "demo")
	if err != nil {
		return demo{}, err.Error()
	}
	d := demo{
		name:    q.String("name"),
		count:   q.Int("count", 1, 10),
		verbose: q.Bool("verbose"),
		wait:    q.Duration("wait"),
		size:    q.Bytes("max_bytes"),
		addrs:   q.Strings("addr"),
	}
	if err := q.Err(); err != nil {
		return d, err.Error()
	}
	return d, ""
}

func TestGetters(t *testing.T) {
	tests := []struct {
		raw  string
		want demo
	}{
		{"demo://", demo{}},
		{"demo:", demo{}},
		{"demo://?name=x&count=10&verbose=true&wait=1m30s&max_bytes=64MiB&addr=a&addr=b",
			demo{name: "x", count: 10, verbose: true, wait: 90 * time.Second, size: 64 << 20, addrs: []string{"a", "b"}}},
		{"demo://?name=a%20b&verbose=0", demo{name: "a b"}},
		{"demo://?max_bytes=0", demo{}},
		{"demo://?max_bytes=1048576", demo{size: 1 << 20}},
		{"demo://?max_bytes=512B", demo{size: 512}},
		{"demo://?max_bytes=2KB", demo{size: 2000}},
		{"demo://?max_bytes=3KiB", demo{size: 3 << 10}},
		{"demo://?max_bytes=1GB", demo{size: 1e9}},
		{"demo://?max_bytes=2GiB", demo{size: 2 << 30}},
		{"demo://?max_bytes=1TiB", demo{size: 1 << 40}},
		{"demo://?max_bytes=8388607TiB", demo{size: 8388607 << 40}},
	}
	for _, tt := range tests {
		got, err := readDemo(t, tt.raw)
		if err != "" || got.name != tt.want.name || got.count != tt.want.count || got.verbose != tt.want.verbose ||
			got.wait != tt.want.wait || got.size != tt.want.size || !slices.Equal(got.addrs, tt.want.addrs) {
			t.Errorf("read %q = %+v, %q; want %+v, no error", tt.raw, got, err, tt.want)
		}
	}
}

func TestMistakes(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{"other://", `demo: URL scheme "other", want demo`},
		{"demo://?a=%zz", `demo: URL query: invalid URL escape "%zz"`},
		{"demo://?a=1;b=2", `demo: URL query: invalid semicolon separator in query`},
		{"demo://h:port", `demo: URL: invalid port ":port" after host`},
		{"demo://#top", `demo: URL fragment "#top": a backend URL has none; escape a # in a value as %23`},
		{"demo://?cuont=3", `demo: unknown URL parameter "cuont"; did you mean "count"?`},
		{"demo://?MAX_BYTES=3", `demo: unknown URL parameter "MAX_BYTES"; did you mean "max_bytes"?`},
		{"demo://?size=3", `demo: unknown URL parameter "size" (want addr, count, max_bytes, name, verbose or wait)`},
		{"demo://?=3", `demo: unknown URL parameter "" (want addr, count, max_bytes, name, verbose or wait)`},
		{"demo://?count=1&count=2", `demo: URL parameter count is given 2 times; give it once`},
		{"demo://?name=", `demo: invalid URL parameter name="": want a non-empty value`},
		{"demo://?count=", `demo: invalid URL parameter count="": want an integer from 1 to 10`},
		{"demo://?count=0", `demo: invalid URL parameter count="0": want an integer from 1 to 10`},
		{"demo://?count=11", `demo: invalid URL parameter count="11": want an integer from 1 to 10`},
		{"demo://?count=1.5", `demo: invalid URL parameter count="1.5": want an integer from 1 to 10`},
		{"demo://?verbose=yes", `demo: invalid URL parameter verbose="yes": want true or false`},
		{"demo://?wait=30", `demo: invalid URL parameter wait="30": want a positive duration such as 30s`},
		{"demo://?wait=0s", `demo: invalid URL parameter wait="0s": want a positive duration such as 30s`},
		{"demo://?wait=-1s", `demo: invalid URL parameter wait="-1s": want a positive duration such as 30s`},
		{"demo://?max_bytes=-1", `demo: invalid URL parameter max_bytes="-1": want a size in bytes such as 1048576 or 64MiB`},
		{"demo://?max_bytes=%2B1", `demo: invalid URL parameter max_bytes="+1": want a size in bytes such as 1048576 or 64MiB`},
		{"demo://?max_bytes=1k", `demo: invalid URL parameter max_bytes="1k": want a size in bytes such as 1048576 or 64MiB`},
		{"demo://?max_bytes=MiB", `demo: invalid URL parameter max_bytes="MiB": want a size in bytes such as 1048576 or 64MiB`},
		{"demo://?max_bytes=1.5GiB", `demo: invalid URL parameter max_bytes="1.5GiB": want a size in bytes such as 1048576 or 64MiB`},
		{"demo://?max_bytes=8388608TiB", `demo: invalid URL parameter max_bytes="8388608TiB": want a size in bytes such as 1048576 or 64MiB`},
		{"demo://?addr=a&addr=", `demo: invalid URL parameter addr="": want a value`},
		// Every mistake at once: getters' in the order read, then unknown
		// parameters sorted.
		{"demo://?zeta=1&count=0&alpha=2&wait=1&wait=2",
			`demo: invalid URL parameter count="0": want an integer from 1 to 10` + "\n" +
				`demo: URL parameter wait is given 2 times; give it once` + "\n" +
				`demo: unknown URL parameter "alpha" (want addr, count, max_bytes, name, verbose or wait)` + "\n" +
				`demo: unknown URL parameter "zeta" (want addr, count, max_bytes, name, verbose or wait)`},
	}
	for _, tt := range tests {
		if _, err := readDemo(t, tt.raw); err != tt.want {
			t.Errorf("read %q: error\n%s\nwant\n%s", tt.raw, err, tt.want)
		}
	}
}

func TestIntWant(t *testing.T) {
	tests := []struct {
		min, max int
		want     string
	}{
		{math.MinInt, math.MaxInt, "an integer"},
		{0, math.MaxInt, "a non-negative integer"},
		{1, math.MaxInt, "a positive integer"},
		{-1, math.MaxInt, "an integer of at least -1"},
		{1, 1000, "an integer from 1 to 1000"},
	}
	for _, tt := range tests {
		if got := intWant(tt.min, tt.max); got != tt.want {
			t.Errorf("intWant(%d, %d) = %q; want %q", tt.min, tt.max, got, tt.want)
		}
	}
}

func TestErrorf(t *testing.T) {
	_, q, err := Parse("demo", "demo://?b=1", "demo")
	if err != nil {
		t.Fatal(err)
	}
	q.Int("b", 0, 9)
	q.Errorf("no a= URL; want demo://?a=…")
	want := "demo: no a= URL; want demo://?a=…"
	if err := q.Err(); err == nil || err.Error() != want {
		t.Errorf("Err() = %v; want %s", err, want)
	}
}

func TestHas(t *testing.T) {
	_, q, err := Parse("demo", "demo://?n=bad", "demo")
	if err != nil {
		t.Fatal(err)
	}
	if !q.Has("n") || q.Has("m") {
		t.Errorf("Has(n), Has(m) = %v, %v; want true, false", q.Has("n"), q.Has("m"))
	}
	if err := q.Err(); err == nil {
		t.Error(`Err() = nil after Has("n") alone; want n reported as unknown: Has does not make a parameter known`)
	}
}

func TestQueryOnly(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{"mem://", ""},
		{"mem:", ""},
		{"mem://?max_entries=3", ""},
		{"mem://host?max_entries=3", `memory: URL has "host" before the query; want mem://?max_entries=N`},
		{"mem:///path", `memory: URL has "/path" before the query; want mem://?max_entries=N`},
		{"mem://u:secret@h", `memory: URL has "u:xxxxx@h" before the query; want mem://?max_entries=N`},
		{"mem:opaque?x=1", `memory: URL has "opaque" before the query; want mem://?max_entries=N`},
	}
	for _, tt := range tests {
		u, _, err := Parse("memory", tt.raw, "mem")
		if err != nil {
			t.Fatalf("Parse(%q) = %v", tt.raw, err)
		}
		got := ""
		if err := QueryOnly("memory", u, "mem://?max_entries=N"); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("QueryOnly(%q) = %q; want %q", tt.raw, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	candidates := []string{"max_entries", "max_bytes", "front", "back", "front_ttl"}
	tests := []struct{ name, want string }{
		{"max_entrie", "max_entries"},
		{"maxbytes", "max_bytes"},
		{"frnot", "front"},
		{"bakc", "back"},
		{"front_tll", "front_ttl"},
		{"size", ""},
		{"b", ""},
	}
	for _, tt := range tests {
		if got := suggest.Closest(tt.name, candidates); got != tt.want {
			t.Errorf("suggest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}
