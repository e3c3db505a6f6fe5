package store_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// A store signed with one key refuses entries signed with another, as it
// refuses unsigned ones: each is a miss, never a result.
func ExampleSealer() {
	ours, _ := store.NewSealer(store.SealKeys{Sign: bytes.Repeat([]byte{1}, store.SealKeySize)})
	theirs, _ := store.NewSealer(store.SealKeys{Sign: bytes.Repeat([]byte{2}, store.SealKeySize)})
	entry := store.EncodeEntry(store.Entry{
		Codec: "json", Created: time.Unix(1700000000, 0), Digest: "0123456789abcdef0123456789abcdef",
		Summary: "id=1", Payload: []byte(`{"name":"Ada"}`),
	})

	sealed, _ := ours.Seal(entry)
	line, _, _ := strings.Cut(string(sealed), "\n")
	fmt.Println(line)
	opened, err := ours.Open(sealed)
	fmt.Println(bytes.Equal(opened, entry), err)
	_, err = theirs.Open(sealed)
	fmt.Println(err)
	_, err = ours.Open(entry)
	fmt.Println(err)
	// Output:
	// memo2 json 1700000000000000000 0 0123456789abcdef0123456789abcdef hmac-sha256:cf82255252ee8d372af2b9cdf7dd386365c012f19597535e9658316af0dd8b34 "id=1"
	// true <nil>
	// memo: corrupt entry: signature of another key, or an altered entry
	// memo: corrupt entry: an unsealed entry in a sealed store
}
