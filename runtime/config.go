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
	// Hook, if not nil, receives the outcome of every call. It runs on the
	// caller's goroutine, so it must be quick and safe for concurrent use.
	Hook func(CallInfo)
	// Logger, if not nil, receives a debug record for every call, and an
	// error record the first time a function's backend cannot be bound.
	// Records carry keys abbreviated to 12 hex digits of their digest
	// unless FullKeys is set, because arguments may be sensitive.
	Logger *slog.Logger
	// FullKeys makes hooks and logs carry the whole encoded key, in hex.
	FullKeys bool
	// Now replaces time.Now for expiry decisions; tests set a fake clock.
	Now func() time.Time
	// Disabled turns every wrapper into a plain call, as MEMO_DISABLE=1
	// does.
	Disabled bool
}

var config atomic.Pointer[Config]

// envDisabled is MEMO_DISABLE, read once at startup.
var envDisabled = os.Getenv("MEMO_DISABLE") == "1"

// Configure replaces the shared settings. MEMO_DISABLE=1 in the environment
// disables caching whatever c says.
func Configure(c Config) { config.Store(&c) }

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

// observing reports whether calls must be timed and reported.
func (c *Config) observing() bool { return c.Hook != nil || c.Logger != nil }
