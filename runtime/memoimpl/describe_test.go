package memoimpl_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/memoimpl"
)

type describeInner struct {
	Tags []string
	n    int
	P    *int
}

type describeOuter struct {
	Name  string
	In    describeInner
	At    time.Time
	Any   any
	Bytes []byte
	M     map[string]int
}

// TestDescribeAsFmt checks that Describe prints small values as fmt's %+v
// (%q for a string argument) does.
func TestDescribeAsFmt(t *testing.T) {
	seven := 7
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	values := []any{
		42, int8(-3), uint8(200), uint64(1 << 63), 1.5, float32(0.1), complex(1, -2), true, "quoted \"x\"",
		[]byte{1, 2, 3}, []byte(nil), []string{"a", "b"}, [2]int{4, 5},
		map[string]int{"b": 2, "a": 1}, map[int]string{10: "ten", 9: "nine", -1: "neg"},
		map[bool]int{true: 1, false: 0},
		describeOuter{Name: "n", In: describeInner{Tags: []string{"x"}, n: 3, P: &seven}, At: at, Any: 5,
			Bytes: []byte("hi"), M: map[string]int{"z": 26, "y": 25}},
		&describeInner{Tags: []string{"t"}}, (*describeInner)(nil), &seven,
		nil, errors.New("boom"), at, struct{ E error }{},
	}
	for _, v := range values {
		want := fmt.Sprintf("v=%+v", v)
		if s, ok := v.(string); ok {
			want = fmt.Sprintf("v=%q", s)
		}
		if got := memoimpl.Describe("v", v); got != want {
			t.Errorf("Describe(%T) = %q; want %q", v, got, want)
		}
	}
	if got, want := memoimpl.Describe("id", 42, "name", "x"), `id=42 name="x"`; got != want {
		t.Errorf("Describe(id, name) = %q; want %q", got, want)
	}
}

// TestDescribeIsBoundedWhileWritten checks that describing huge arguments
// yields a bounded summary without formatting them whole.
func TestDescribeIsBoundedWhileWritten(t *testing.T) {
	huge := make([]byte, 32<<20)
	bigMap := make(map[int]int, 1000)
	for i := range 1000 {
		bigMap[i] = i
	}
	tests := []struct {
		name   string
		args   []any
		prefix string
	}{
		{"byte slice", []any{"data", huge}, "data=[0 0 0 "},
		{"string", []any{"s", strings.Repeat("é", 8<<20)}, `s="ééé`},
		{"struct field", []any{"q", describeOuter{Bytes: huge}}, "q={Name: In:{Tags:[] n:0 P:<nil>} At:"},
		{"after a huge argument", []any{"a", huge, "b", 1}, "a=[0 0"},
		{"large map", []any{"m", bigMap}, "m=map[(1000 entries)]"},
	}
	for _, tt := range tests {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := memoimpl.Describe(tt.args...)
		runtime.ReadMemStats(&after)
		if !strings.HasPrefix(got, tt.prefix) || len(got) > 260 {
			t.Errorf("%s: Describe = %d bytes %.60q…; want at most 260 bytes starting %q", tt.name, len(got), got, tt.prefix)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: Describe allocated %d bytes; want under 1 MiB", tt.name, n)
		}
	}
}
