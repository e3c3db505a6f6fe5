// Package codecs groups memogen's codecs and compressors, one package each.
// Importing a package registers it with the runtime under its name, so that
// a directive's codec= can name it:
//
//	json     encoding/json: readable entries (cat a file of the file backend)
//	msgpack  github.com/vmihailenco/msgpack/v5: compact and fast; the default
//	gob      encoding/gob: any gob-encodable type, Go to Go only
//	raw      []byte and string results stored as they are
//	gzip     compression (compress/gzip), as in codec=json+gzip
//	zstd     compression (github.com/klauspost/compress/zstd), as in codec=msgpack+zstd
//
// Generated code imports the packages its directives name, and msgpack for
// directives that name none. Register a codec of your own with
// store.RegisterCodec and name it in codec=.
//
// Each codec's package says what it keeps of a value. memogen reads a
// function's result types at generation time and refuses what the
// function's codec would not bring back as stored: an unexported field, a
// field tagged "-", marshaling methods the codec does not call. The
// codecs encode a result addressable, so that marshaling methods declared
// on its pointer type apply to it as to the values it holds.
//
// Entries come from stores others may write to, so reading one is bounded
// by store.Limits, derived from memo.Config.MaxEntryBytes: gzip and zstd
// stop decompressing at the limit, and msgpack, json and gob read the data
// along the result type to refuse, before decoding, an entry that would
// allocate more than store.DecodeAllocFactor times it (guard.go in each
// package). The json guard charges what encoding/json allocates as slices
// grow one element at a time and maps entry by entry; the gob guard reads
// the type definitions a stream carries, refuses a message, map or slice
// whose declared size exceeds the bytes left (encoding/gob allocates those
// before reading them), and charges an interface's concrete value, whose
// Go type gob.Register alone knows, an estimate from its wire type.
package codecs
