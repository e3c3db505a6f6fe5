package tiered

import (
	"context"
	"sync"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// This file is the front of decoded results that the runtime uses (see
// store.DecodedFront): when the front is a store.ValueStore, such as a
// memory store, each function has a table there of the results the
// runtime decoded from the back's entries, beside the byte copies that
// Get serves other callers. Writes through the Store drop both.

var _ store.DecodedFront = (*Store)(nil)

// decodedTables maps a store.FuncID to the store.Table of its decoded
// results in the front.
type decodedTables struct{ m sync.Map }

// DecodedFront returns fn's table of decoded results in the front, or nil
// when the front is not a store.ValueStore. Its values live for at most
// Options.FrontTTL after their entries were read from the back.
func (s *Store) DecodedFront(fn store.FuncID) store.FrontTable {
	vs, ok := s.front.(store.ValueStore)
	if !ok {
		return nil
	}
	if t, ok := s.decoded.m.Load(fn); ok {
		return t.(*frontTable)
	}
	// Its own table, apart from the byte copies under the same digests.
	id := store.FuncID{Package: fn.Package, Name: fn.Name + " (decoded)"}
	t, _ := s.decoded.m.LoadOrStore(fn, &frontTable{s: s, table: vs.Table(store.TableConfig{Func: id})})
	return t.(*frontTable)
}

// dropDecoded removes the decoded result of key, if the runtime keeps
// any; the caller holds key's stripe lock.
func (s *Store) dropDecoded(key store.Key) {
	if t, ok := s.decoded.m.Load(key.Func); ok {
		t.(*frontTable).table.Delete([]byte(key.Digest))
	}
}

// clearDecoded removes every decoded result of fn.
func (s *Store) clearDecoded(fn store.FuncID) {
	if t, ok := s.decoded.m.Load(fn); ok {
		t.(*frontTable).table.Clear()
	}
}

// frontTable is the store.FrontTable of one function.
type frontTable struct {
	s     *Store
	table store.Table
}

func (t *frontTable) Get(digest []byte) (any, int64, bool) { return t.table.Get(digest) }

func (t *frontTable) TTL() time.Duration { return t.s.frontTTL }

// Load reads key from the back. The ticket is the generation of key's
// stripe before the read: Keep keeps nothing once a write moved it.
func (t *frontTable) Load(ctx context.Context, key store.Key) ([]byte, uint64, error) {
	st := t.s.stripe(key)
	st.mu.Lock()
	gen := st.gen
	st.mu.Unlock()
	data, err := t.s.back.Get(ctx, key)
	return data, gen, err
}

func (t *frontTable) Keep(key store.Key, ticket uint64, value any, until, size int64) {
	st := t.s.stripe(key)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.gen == ticket {
		t.table.Set(key.Digest, value, until, size)
	}
}
