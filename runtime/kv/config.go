package kv

import (
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/state"
	"github.com/memogen/memogen/runtime/store"
)

// config is the memo.Config in force, with its defaults applied: the
// clock, timeout and entry bound every store operation uses, as memoized
// functions do.
type config struct {
	now      func() time.Time
	timeout  time.Duration
	maxBytes int
	policy   memo.SummaryPolicy
}

func currentConfig() config {
	s := state.Current()
	c := config{now: time.Now, timeout: memo.DefaultTimeout, maxBytes: s.MaxEntryBytes}
	if mc, ok := s.Config.(*memo.Config); ok {
		if mc.Now != nil {
			c.now = mc.Now
		}
		if mc.Timeout > 0 {
			c.timeout = mc.Timeout
		}
		c.policy = mc.Summaries
	}
	return c
}

// limits returns the decoding limits; deadline is zero for none.
func (c config) limits(deadline time.Time) store.Limits {
	return store.Limits{MaxBytes: c.maxBytes, MaxAlloc: store.DecodeAllocFactor * int64(c.maxBytes), Deadline: deadline}
}
