package memoimpl

import (
	"os"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/state"
	"github.com/memogen/memogen/runtime/store"
)

// envDisabled is MEMO_DISABLE, read once at startup.
var envDisabled = os.Getenv("MEMO_DISABLE") == "1"

// envNoVerify is MEMO_NOVERIFY, read once at startup.
var envNoVerify = os.Getenv("MEMO_NOVERIFY") == "1"

// config is the memo.Config in force, with the defaults of its fields
// applied by its methods.
type config memo.Config

var defaultConfig config

// currentConfig returns the settings memo.Configure set: one atomic load.
func currentConfig() *config {
	if c, ok := state.Current().Config.(*memo.Config); ok {
		return (*config)(c)
	}
	return &defaultConfig
}

func (c *config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *config) disabled() bool { return envDisabled || c.Disabled }

func (c *config) noVerify() bool { return envNoVerify || c.NoVerify }

func (c *config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return memo.DefaultTimeout
}

func (c *config) cooldown() time.Duration {
	if c.Cooldown != 0 {
		return c.Cooldown
	}
	return memo.DefaultCooldown
}

func (c *config) lockWait() time.Duration {
	if c.LockWait > 0 {
		return c.LockWait
	}
	return memo.DefaultLockWait
}

func (c *config) maxEntryBytes() int {
	if c.MaxEntryBytes > 0 {
		return c.MaxEntryBytes
	}
	return memo.DefaultMaxEntryBytes
}

// observing reports whether calls must be timed and reported.
func (c *config) observing() bool {
	return c.Hook != nil || c.Logger != nil || len(state.Hooks()) > 0
}

// hook sends info to Config.Hook and to every hook memo.AddHook added.
func (c *config) hook(info memo.CallInfo) {
	if c.Hook != nil {
		c.Hook(info)
	}
	for _, h := range state.Hooks() {
		h.(func(memo.CallInfo))(info)
	}
}

// limits returns the limits of a decode; deadline is zero for none.
func (c *config) limits(deadline time.Time) store.Limits {
	n := c.maxEntryBytes()
	return store.Limits{MaxBytes: n, MaxAlloc: store.DecodeAllocFactor * int64(n), Deadline: deadline}
}
