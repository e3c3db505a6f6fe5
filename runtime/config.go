package runtime

import (
	"log/slog"
	"time"

	"github.com/memogen/memogen/runtime/internal/state"
)

// Config holds the settings every memoized function shares. Its zero value
// is the default: no hook, no logging, the real clock.
type Config struct {
	// Hook, if not nil, receives the outcome of every call that goes
	// through the cache (calls made while caching is disabled do not). It
	// runs on the caller's goroutine, so it must be quick and safe for
	// concurrent use. It is the application's; a library adds its own
	// with [AddHook], which Configure leaves in place.
	Hook func(CallInfo)
	// Logger, if not nil, receives a debug record for every call. The
	// error record written the first time a function's backend cannot be
	// bound goes to Logger, or to slog.Default when Logger is nil, so that
	// a misconfigured program is never silent.
	// Records carry keys abbreviated to 12 hex digits of their digest
	// unless FullKeys is set, because arguments may be sensitive.
	Logger *slog.Logger
	// FullKeys makes hooks and logs carry the whole encoded key, in hex:
	// for arguments that encode to MaxKeyBytes or more, the key that
	// stands for them (see [MaxKeyBytes]).
	// Without it, no argument value reaches a hook or a log record.
	FullKeys bool
	// Summaries says which byte-level backends keep a readable summary of
	// the keyed arguments in each entry; the zero value keeps it only in
	// backends private to this machine (see SummaryPolicy).
	Summaries SummaryPolicy
	// Now replaces time.Now for expiry and cooldown decisions; tests set a
	// fake clock. Backends judge expiry by the system clock.
	Now func() time.Time
	// Disabled turns every wrapper into a plain call, as MEMO_DISABLE=1
	// does.
	Disabled bool
	// Strict makes a failing byte-level backend an error for functions
	// whose last result is an error: the wrapper returns the backend's error
	// instead of running the function uncached. By default the cache fails
	// open: a dead backend never breaks the caller.
	Strict bool
	// Timeout bounds each backend operation, and the decompression of
	// each entry read; 0 means DefaultTimeout.
	Timeout time.Duration
	// Cooldown is how long calls skip a byte-level backend, running
	// uncached, after one of its operations failed; 0 means DefaultCooldown,
	// negative never skips.
	Cooldown time.Duration
	// MaxEntryBytes bounds an encoded entry, and the codec's output before
	// compression too: a result that encodes to more, even if it would
	// compress to less, is returned but not stored, and counted in
	// Stats.Oversize. It bounds reading through store.Limits: an entry
	// read back that is, or decompresses to, more, or whose decoding
	// would allocate more than store.DecodeAllocFactor times it, is
	// corrupt (ErrTooLarge, ErrCorrupt). 0 means DefaultMaxEntryBytes.
	MaxEntryBytes int
	// NoVerify stores results in byte-level backends without first
	// decoding each one to check that it reads back equal, for every
	// function, as MEMO_NOVERIFY=1 does; verify=false does it for one.
	// Verification costs a decode and a comparison per stored result, on
	// misses only; without it, a result the codec changes (an empty slice
	// gob reads back as nil, invalid UTF-8 json replaces, a time zone json
	// reduces to an offset) is served changed on every later hit.
	NoVerify bool
	// LockWait bounds how long a call waits for another process, which
	// holds the lease of a missing key in a shared backend (see the
	// directive's lock=), to store its result; then it computes the
	// result itself. A lease lasts as long, so that a process that dies
	// holding one delays the others by LockWait at most. 0 means
	// DefaultLockWait.
	LockWait time.Duration
	// RefreshTimeout bounds each background refresh of a function with
	// stale= (see the README's "Freshness"), which runs detached from the
	// caller's cancellation; 0 means DefaultRefreshTimeout.
	RefreshTimeout time.Duration
	// MaxRefreshes bounds the background refreshes running at once in the
	// process; a stale hit that finds them all busy is served without
	// starting one. 0 means DefaultMaxRefreshes.
	MaxRefreshes int
}

// Defaults of Config's fields.
const (
	DefaultTimeout        = 2 * time.Second
	DefaultCooldown       = time.Second
	DefaultMaxEntryBytes  = 32 << 20
	DefaultLockWait       = 10 * time.Second
	DefaultRefreshTimeout = time.Minute
	DefaultMaxRefreshes   = 16
)

// AddHook adds h to the hooks that receive the outcome of every call, as
// [Config.Hook] does, and returns the function that removes it. Hooks
// added this way compose: a library and the application can each add
// one, and Configure, which replaces Config.Hook, leaves them in place.
// Hooks run in the order added, after Config.Hook, on the caller's
// goroutine, so each must be quick and safe for concurrent use. A
// library that wants log records adds a hook that logs them.
func AddHook(h func(CallInfo)) (remove func()) { return state.AddHook(h) }

// Configure replaces the shared settings. MEMO_DISABLE=1 in the environment
// disables caching whatever c says, and MEMO_NOVERIFY=1 verification.
func Configure(c Config) {
	n := c.MaxEntryBytes
	if n <= 0 {
		n = DefaultMaxEntryBytes
	}
	state.Set(&state.Settings{Config: &c, MaxEntryBytes: n})
}

// Logger returns the Config.Logger in force, nil when none is set. Backend
// packages send their clients' own diagnostics there, at debug level, where
// those clients would write to stderr.
func Logger() *slog.Logger {
	if c, ok := state.Current().Config.(*Config); ok {
		return c.Logger
	}
	return nil
}
