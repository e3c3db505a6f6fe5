// Package kv is a typed, dict-like store over any memogen backend: a
// session store on Redis, a lookup table in a directory, a map that
// outlives the process. A Store[K, V] gets, sets with a lifetime, deletes,
// counts, clears and iterates entries of one name, typed on both sides:
//
//	sessions, err := kv.Open[string, Session]("sessions", "redis://cache:6379", nil)
//	err = sessions.Set(ctx, token, s, 30*time.Minute)
//	s, ok, err := sessions.Get(ctx, token)
//
// Entries are those of memoized functions: the same stored form
// (store.Entry, checksummed and naming the key it answers), the same codecs
// (msgpack by default; import the codec's package), the same decoding
// limits (memo.Config.MaxEntryBytes), the same check that a value reads
// back equal before it is stored, and the same listing: memocache ls shows
// a store's entries under the function name "kv.<name>" (see
// [Options.Namespace]). A corrupt entry, or one too large to decode, reads
// as absent: it is deleted and counted in [Store.Stats]. A backend that
// fails returns its error; nothing panics.
//
// Keys are strings, bools and integers, and structs and arrays of them,
// encoded exactly (see [ErrKeyType]); Open reads the key type's layout
// once, and encoding a key then takes no reflection. Iteration decodes
// each entry's key back from the entry, so it needs a backend that lists
// its entries (file, Redis, S3, and tiered and write-behind stores over
// them); the in-memory backend does not.
package kv
