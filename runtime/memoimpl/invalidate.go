package memoimpl

// This file keeps Forget, Clear and refresh calls from being undone by a
// run that was already computing when they began. Such a run's result is
// older than the invalidation: its own callers get it, since their calls
// overlapped it, but it must not be stored, where every later call would
// find it. Forget and Clear mark the runs in progress for their keys
// invalidated before they delete (flightGroup.invalidate), and storeLive
// checks the mark before storing and again after: a mark set between the
// two checks means the invalidation's delete may have run before the
// store, so the run deletes what it stored itself. This covers the runs of
// this process; another process's run is not marked.

// storeLive stores fc's result through store unless fc was invalidated,
// and returns the entry's expiry (0 when nothing was stored). A run marked
// while it stored deletes its entry; a failed delete leaves the entry to
// its expiry.
func storeLive(c *Call, fc *flightCall, store func() (int64, error)) (int64, error) {
	if fc.invalidated.Load() {
		return 0, nil
	}
	expires, err := store()
	if err == nil && fc.invalidated.Load() {
		_ = c.deleteStored()
		return 0, nil
	}
	return expires, err
}
