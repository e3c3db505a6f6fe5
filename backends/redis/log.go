package redis

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	memo "github.com/memogen/memogen/runtime"
)

// clientLog receives go-redis's own log lines, which go-redis writes to
// stderr unless told otherwise: during an outage, a "failed to dial" line
// for every connection attempt. It sends them to memo.Config.Logger at
// debug level, and drops them when no logger is set: the runtime reports
// the failures themselves, through Config.Hook, Stats and the logger.
type clientLog struct{}

// Printf logs one line of go-redis's.
func (clientLog) Printf(ctx context.Context, format string, v ...any) {
	logger := memo.Logger()
	if logger == nil {
		return
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if !logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	logger.LogAttrs(ctx, slog.LevelDebug, fmt.Sprintf(format, v...), slog.String("from", "go-redis"))
}

// go-redis has one logger per process. Setting it when the package is
// imported lets a program that sets its own, in main, have the last word.
func init() { goredis.SetLogger(clientLog{}) }
