package runtime

import (
	"errors"

	"github.com/memogen/memogen/runtime/internal/typeid"
	"github.com/memogen/memogen/runtime/store"
)

// ErrCorrupt reports a stored entry that could not be used: torn,
// truncated, garbled, foreign, or failing to decode into the result. The
// runtime deletes such an entry, counts it in Stats.Corrupt, reports it to
// the hook with an error wrapping ErrCorrupt, and runs the function as on a
// miss. It is store.ErrCorrupt, so that a hook needs only this package.
var ErrCorrupt = store.ErrCorrupt

// ErrTooLarge reports a stored entry that would decompress or decode to
// more than Config.MaxEntryBytes allows (store.DecodeAllocFactor times
// it, for decoding): corrupt or hostile, and treated as a corrupt one, so
// the errors the hook sees that wrap it wrap ErrCorrupt too. It is
// store.ErrTooLarge.
var ErrTooLarge = store.ErrTooLarge

// ErrUnstorable reports results that cannot be stored in bytes and read
// back as the same values: all the results of a function, as its types
// show (bound to a byte-level backend, it runs uncached), or one result,
// found at store time to hold a cycle, to nest deeper than the codec can
// take, or to read back different (it is returned, not stored).
var ErrUnstorable = errors.New("memo: results cannot be stored in a byte-level backend")

// ErrUnreachableBound reports a function whose own bound, the directive's
// size=, exceeds the bound its in-memory store puts on the entries of all
// functions together, so that the store evicts the function's entries
// before it ever holds size= of them. It is reported once per function,
// to the hook with the first call that uses the cache, and to the logger
// as a warning; calls are cached as usual.
var ErrUnreachableBound = errors.New("memo: size= can never be reached")

// ErrCoolingDown reports a call that skipped its backend because an
// operation on it failed less than Config.Cooldown ago.
var ErrCoolingDown = errors.New("memo: backend cooling down after a failure")

// ErrAmbiguousType reports a call whose key or type arguments involve a type
// that shares its name and structure with another type of the program, such
// as two types declared inside two functions: memory tables tell them apart,
// but byte-level backends, which other processes share, cannot, so the call
// runs uncached there.
var ErrAmbiguousType = typeid.ErrAmbiguousType

// ErrUnnamedMain reports a call whose key or type arguments involve a type
// of package main in a program built without an import path for it (go run
// main.go, GOPATH mode, builds without module information): byte-level
// backends, which other programs share, cannot tell it from their types of
// the same name, so the call runs uncached there. Build the program from its
// package (go build ./cmd/a, go run .) to cache such calls.
var ErrUnnamedMain = typeid.ErrUnnamedMain

// ErrBatchLength reports a batch function of the slice form (see
// //memo:batch) that returned a number of results other than the number
// of IDs it was given: which result answers which ID is then unknown, so
// the batch fails and nothing is stored.
var ErrBatchLength = errors.New("memo: batch function did not return one result per ID")
