package memoimpl_test

import (
	"context"
	"fmt"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
	"testing"

	"github.com/memogen/memogen/backends/backendtest"
	_ "github.com/memogen/memogen/codecs/msgpack"
	memo "github.com/memogen/memogen/runtime"
)

// deadlineCodec is msgpack whose decoding always outlasts its deadline.
type deadlineCodec struct{ store.Codec }

func (deadlineCodec) Unmarshal([]byte, any) error {
	return fmt.Errorf("decoding: %w", context.DeadlineExceeded)
}

// A decode that outlasts Config.Timeout is a failure, not a corrupt entry:
// the entry stays for a process less loaded.
func TestDecodeDeadlineKeepsTheEntry(t *testing.T) {
	msgpack, err := store.LookupCodec("msgpack")
	if err != nil {
		t.Fatal(err)
	}
	codec := uniqueName(t)
	store.RegisterCodec(codec, deadlineCodec{msgpack})
	var st backendtest.Recorder
	name := uniqueName(t)
	memo.Register(name, &st)
	t.Cleanup(func() { memo.Unregister(name) })
	// Verification would decode at store time, and fail: this test is of
	// the read path.
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: codec, NoVerify: true})
	var c counter
	for range 2 {
		if got, err := get(f, "k", c.fn("v")); got != "v" || err != nil {
			t.Fatalf("call = %q, %v; want v, nil", got, err)
		}
	}
	if st := f.Stats(); st.Corrupt != 0 || st.Failures != 1 || c.runs() != 2 {
		t.Errorf("Stats() = %+v after %d runs; want 1 failure, nothing corrupt, 2 runs", st, c.runs())
	}
	if st.Calls("Delete") != 0 {
		t.Errorf("the entry was deleted %d times; want it kept", st.Calls("Delete"))
	}
}
