package codecs_test

import (
	"fmt"
	"strings"

	_ "github.com/memogen/memogen/codecs/gzip"
	"github.com/memogen/memogen/runtime/store"
)

// lines is a codec of one's own: it stores []string results one per line.
type lines struct{}

func (lines) Marshal(v any) ([]byte, error) {
	s, ok := v.([]string)
	if !ok {
		return nil, fmt.Errorf("lines: cannot encode %T: the lines codec takes []string results", v)
	}
	return []byte(strings.Join(s, "\n")), nil
}

func (lines) Unmarshal(data []byte, v any) error {
	p, ok := v.(*[]string)
	if !ok {
		return fmt.Errorf("lines: cannot decode into %T: the lines codec takes []string results", v)
	}
	*p = strings.Split(string(data), "\n")
	return nil
}

// A codec registered under a name can be named in a directive, alone or
// followed by compressors:
//
//	//memo:cache backend=shared codec=lines+gzip
//	func Hosts(ctx context.Context, zone string) ([]string, error)
func Example_registerCodec() {
	store.RegisterCodec("lines", lines{})

	plain, err := store.LookupCodec("lines")
	if err != nil {
		panic(err)
	}
	data, _ := plain.Marshal([]string{"a.example.com", "b.example.com"})
	fmt.Printf("%s\n", data)

	compressed, err := store.LookupCodec("lines+gzip")
	if err != nil {
		panic(err)
	}
	data, _ = compressed.Marshal([]string{"a.example.com", "b.example.com"})
	var hosts []string
	if err := compressed.Unmarshal(data, &hosts); err != nil {
		panic(err)
	}
	fmt.Println(hosts)
	// Output:
	// a.example.com
	// b.example.com
	// [a.example.com b.example.com]
}
