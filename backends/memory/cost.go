package memory

// EntryOverhead is what a Store spends on one entry, in bytes, beyond its
// key's bytes and its value's estimated size; Options.MaxBytes counts all
// three. It is the entry itself (80 bytes: key, value, expiry, size, a
// link in its index bucket, two in its queue and the eviction policy's
// state) and its share of its table's bucket array (8 bytes a bucket, 1 to
// 2 entries a bucket as the array grows: 4 to 8 bytes). Measured with
// runtime.MemStats (the heap in use after a GC, before and after filling
// a store, less the keys), the cost lay between 84 and 88 bytes an entry
// from a thousand to a million entries; a test keeps the constant honest.
const EntryOverhead = 88

// entrySize returns the bytes an entry under key holding a value of the
// given estimated size counts against Options.MaxBytes: the value, the
// key the table stores, and the entry's own overhead.
func entrySize(key string, size int64) int64 {
	return size + int64(len(key)) + EntryOverhead
}
