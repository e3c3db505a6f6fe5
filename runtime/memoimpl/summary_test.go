package memoimpl_test

import (
	"context"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// privateStore is a byte-level store that says its entries stay on this
// machine, as the file backend does.
type privateStore struct{ store.Backend }

func (privateStore) Private() bool { return true }

func TestSummaryPolicy(t *testing.T) {
	tests := []struct {
		name      string
		private   bool
		directive string
		policy    memo.SummaryPolicy
		want      string
	}{
		{"shared backend by default", false, "", memo.SummariesPrivate, ""},
		{"private backend by default", true, "", memo.SummariesPrivate, `s="hello"`},
		{"summary=true on a shared backend", false, "true", memo.SummariesPrivate, `s="hello"`},
		{"summary=false on a private backend", true, "false", memo.SummariesPrivate, ""},
		{"always on a shared backend", false, "", memo.SummariesAlways, `s="hello"`},
		{"always, summary=false", false, "false", memo.SummariesAlways, ""},
		{"never, summary=true", true, "true", memo.SummariesNever, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recording{Backend: memory.New(memory.Options{})}
			var st store.Backend = rec
			if tt.private {
				st = privateStore{rec}
			}
			bf := newByteFunc(t, st, memoimpl.FuncInfo{Summary: tt.directive})
			memo.Configure(memo.Config{Summaries: tt.policy})
			bf.mustCall(t, "hello", 1)
			data, err := rec.Backend.Get(context.Background(), rec.lastSet)
			if err != nil {
				t.Fatal(err)
			}
			e, err := store.DecodeEntry(data)
			if err != nil {
				t.Fatal(err)
			}
			if e.Summary != tt.want {
				t.Errorf("summary = %q; want %q", e.Summary, tt.want)
			}
			bf.mustCall(t, "hello", 1) // a hit either way
		})
	}
}
