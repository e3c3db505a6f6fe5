package s3

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// Tags are recorded as empty objects beside the entries, read back as
// functions by listing the tag's folder alone, and left out of listings
// of entries; clearing a tagged function leaves the record.
func TestTags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, serverOptions(t))
	f := store.FuncID{Package: "example.com/p", Name: "F"}
	g := store.FuncID{Package: "gopkg.in/yaml.v3", Name: "T.M"}
	for _, fn := range []store.FuncID{f, g, f} {
		if err := s.AddTag(ctx, "users", fn); err != nil {
			t.Fatalf("AddTag(%v) = %v", fn, err)
		}
	}
	set(t, s, key(f, 1), "v", time.Time{})
	got, err := s.Tagged(ctx, "users")
	slices.SortFunc(got, func(a, b store.FuncID) int { return cmp.Compare(a.String(), b.String()) })
	if want := []store.FuncID{f, g}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Tagged(users) = %v, %v; want %v", got, err, want)
	}
	if got, err := s.Tagged(ctx, "nobody"); len(got) != 0 || err != nil {
		t.Errorf("Tagged(nobody) = %v, %v; want none", got, err)
	}
	if n := len(listAll(t, s, store.FuncID{})); n != 1 {
		t.Errorf("List found %d entries; want 1: tags are not entries", n)
	}
	if err := s.Clear(ctx, f); err != nil {
		t.Fatal(err)
	}
	wantMissing(t, s, key(f, 1))
	if got, _ := s.Tagged(ctx, "users"); len(got) != 2 {
		t.Errorf("after Clear, Tagged(users) = %v; want both functions still recorded", got)
	}
	if err := s.AddTag(ctx, "a/b", f); err == nil {
		t.Errorf("AddTag of a tag with a slash succeeded")
	}
}
