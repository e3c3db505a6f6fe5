package runtime

// A CachedError is an error that a function with errttl= returned, read
// back from a byte-level backend (a file, Redis, S3), which keeps an
// error's message but not its value. When the error was, or wrapped, one
// of the error variables its package declares (a sentinel such as
// ErrNotFound), Sentinel is that variable and errors.Is finds it; an error
// that was a sentinel itself comes back as the sentinel, not as a
// CachedError. In memory the error value itself is kept.
type CachedError struct {
	Msg      string // the original error's Error()
	Sentinel error  // the package's error variable the original matched, or nil
}

// Error returns the original error's message.
func (e *CachedError) Error() string { return e.Msg }

// Unwrap returns the sentinel the original error matched, or nil.
func (e *CachedError) Unwrap() error { return e.Sentinel }
