package memory

// EntryOverhead is what a Store spends on one entry, in bytes, beyond its
// key's bytes and its value's estimated size; Options.MaxBytes counts all
// three. It is the entry itself (88 bytes, a 96-byte allocation) and its
// slot in its table's map[string]*entry (a 16-byte string header, an
// 8-byte pointer and a control byte, at a load between 7/16 and 7/8 as
// the map grows: 29 to 57 bytes). Measured with runtime.MemStats (the
// heap in use after a GC, before and after filling a store, less the
// keys), the cost lay between 115 and 152 bytes an entry from a thousand
// to a million and a half entries, 142 on average; a test keeps the
// constant honest.
const EntryOverhead = 144

// entrySize returns the bytes an entry under key holding a value of the
// given estimated size counts against Options.MaxBytes: the value, the
// key the table stores, and the entry's own overhead.
func entrySize(key string, size int64) int64 {
	return size + int64(len(key)) + EntryOverhead
}
