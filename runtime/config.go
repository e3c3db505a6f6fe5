package runtime

import (
	"log/slog"
	"os"
	"sync/atomic"
	"time"
)

// Config holds the settings every memoized function shares. Its zero value
// is the default: no hook, no logging, the real clock.
type Config struct {
	// Hook, if not nil, receives the outcome of every call that goes
	// through the cache (calls made while caching is disabled do not). It
	// runs on the caller's goroutine, so it must be quick and safe for
	// concurrent use.
	Hook func(CallInfo)
	// Logger, if not nil, receives a debug record for every call. The
	// error record written the first time a function's backend cannot be
	// bound goes to Logger, or to slog.Default when Logger is nil, so that
	// a misconfigured program is never silent.
	// Records carry keys abbreviated to 12 hex digits of their digest
	// unless FullKeys is set, because arguments may be sensitive.
	Logger *slog.Logger
	// FullKeys makes hooks and logs carry the whole encoded key, in hex.
	FullKeys bool
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
	// MaxEntryBytes bounds an encoded entry; larger results are returned
	// but not stored, and counted in Stats.Oversize. It bounds reading
	// too, through [Limits]: an entry read back that is, or decompresses
	// to, more, or whose decoding would allocate more than
	// DecodeAllocFactor times it, is corrupt. 0 means
	// DefaultMaxEntryBytes.
	MaxEntryBytes int
	// NoVerify stores results in byte-level backends without first
	// decoding each one to check that it reads back equal, for every
	// function, as MEMO_NOVERIFY=1 does; verify=false does it for one.
	// Verification costs a decode and a comparison per stored result, on
	// misses only; without it, a result the codec changes (an empty slice
	// gob reads back as nil, invalid UTF-8 json replaces, a time zone json
	// reduces to an offset) is served changed on every later hit.
	NoVerify bool
}

// Defaults of Config's fields.
const (
	DefaultTimeout       = 2 * time.Second
	DefaultCooldown      = time.Second
	DefaultMaxEntryBytes = 32 << 20
)

var config atomic.Pointer[Config]

// envDisabled is MEMO_DISABLE, read once at startup.
var envDisabled = os.Getenv("MEMO_DISABLE") == "1"

// envNoVerify is MEMO_NOVERIFY, read once at startup.
var envNoVerify = os.Getenv("MEMO_NOVERIFY") == "1"

// Configure replaces the shared settings. MEMO_DISABLE=1 in the environment
// disables caching whatever c says, and MEMO_NOVERIFY=1 verification.
func Configure(c Config) { config.Store(&c) }

// Logger returns the Config.Logger in force, nil when none is set. Backend
// packages send their clients' own diagnostics there, at debug level, where
// those clients would write to stderr.
func Logger() *slog.Logger { return currentConfig().Logger }

// currentConfig returns the settings in force.
func currentConfig() *Config {
	if c := config.Load(); c != nil {
		return c
	}
	return &defaultConfig
}

var defaultConfig Config

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Config) disabled() bool { return envDisabled || c.Disabled }

func (c *Config) noVerify() bool { return envNoVerify || c.NoVerify }

func (c *Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Config) cooldown() time.Duration {
	if c.Cooldown != 0 {
		return c.Cooldown
	}
	return DefaultCooldown
}

func (c *Config) maxEntryBytes() int {
	if c.MaxEntryBytes > 0 {
		return c.MaxEntryBytes
	}
	return DefaultMaxEntryBytes
}

// observing reports whether calls must be timed and reported.
func (c *Config) observing() bool { return c.Hook != nil || c.Logger != nil }
