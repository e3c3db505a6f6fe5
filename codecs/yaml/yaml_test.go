package yaml_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/memogen/memogen/codecs/yaml"
	"github.com/memogen/memogen/runtime/store"
)

type Config struct {
	Name    string            `yaml:"name"`
	Ports   []int             `yaml:"ports"`
	Labels  map[string]string `yaml:"labels"`
	Enabled bool
	Ratio   float64
	Next    *Config
}

func TestRoundTrip(t *testing.T) {
	v := Config{Name: "web: \"1\"", Ports: []int{80, 443}, Labels: map[string]string{"a": "yes", "n": "null"}, Enabled: true, Ratio: 0.1, Next: &Config{Name: "~", Ports: []int{}, Labels: map[string]string{}}}
	data, err := yaml.Codec{}.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back Config
	if err := (yaml.Codec{}).Unmarshal(data, &back); err != nil {
		t.Fatalf("Unmarshal(%q): %v", data, err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Errorf("round trip gave %+v; want %+v (via %q)", back, v, data)
	}
}

func TestRefused(t *testing.T) {
	lim := store.Limits{MaxBytes: 1 << 20, MaxAlloc: 16 << 20}
	for _, tt := range []struct {
		data string
		want error
	}{
		{"a: &x [1, 2]\nb: *x\n", store.ErrCorrupt},
		{"name: [unclosed\n", store.ErrCorrupt},
		{"name: a\n---\nname: b\n", store.ErrCorrupt},
		{"ports: {a: 1}\n", store.ErrCorrupt},
		{strings.Repeat("x", 200000), store.ErrTooLarge},
	} {
		var c Config
		if err := (yaml.Codec{}).UnmarshalLimited([]byte(tt.data), &c, lim); !errors.Is(err, tt.want) {
			t.Errorf("Unmarshal(%.40q) = %v; want %v", tt.data, err, tt.want)
		}
	}
}

// FuzzUnmarshal decodes arbitrary data: it must succeed or fail with
// ErrCorrupt or ErrTooLarge, never panic.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte("name: web\nports: [80]\nlabels: {a: b}\nnext: {name: x}\n"))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Config
		err := (yaml.Codec{}).UnmarshalLimited(data, &c, store.Limits{MaxBytes: 1 << 20, MaxAlloc: 16 << 20})
		if err != nil && !errors.Is(err, store.ErrCorrupt) && !errors.Is(err, store.ErrTooLarge) {
			t.Fatalf("Unmarshal(%q) = %v; want ErrCorrupt or ErrTooLarge", data, err)
		}
	})
}
