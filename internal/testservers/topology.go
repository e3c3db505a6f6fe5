package testservers

import (
	"net/url"
	"testing"
)

// RedisClusterServer returns MEMO_REDIS_CLUSTER_URL, the URL of the
// three-master Redis Cluster that scripts/testservers.sh starts, and skips
// t if it is not set (see [Missing]).
func RedisClusterServer(t testing.TB) *url.URL {
	t.Helper()
	return server(t, "MEMO_REDIS_CLUSTER_URL")
}

// RedisSentinelServer returns MEMO_REDIS_SENTINEL_URL, the URL of the
// master that the Sentinel scripts/testservers.sh starts names, with one
// replica, and skips t if it is not set (see [Missing]). It is shared: a
// test that kills a master starts a set of its own.
func RedisSentinelServer(t testing.TB) *url.URL {
	t.Helper()
	return server(t, "MEMO_REDIS_SENTINEL_URL")
}

// RedisClusterURL is [RedisURL] on [RedisClusterServer].
func RedisClusterURL(t *testing.T) string {
	t.Helper()
	return prefixed(t, RedisClusterServer(t))
}

// RedisSentinelURL is [RedisURL] on [RedisSentinelServer].
func RedisSentinelURL(t *testing.T) string {
	t.Helper()
	return prefixed(t, RedisSentinelServer(t))
}

// prefixed returns u with a key prefix of t's own, cleared when t ends.
func prefixed(t *testing.T, u *url.URL) string {
	q := u.Query()
	q.Set("prefix", "memotest-"+uniqueName(t))
	u.RawQuery = q.Encode()
	return clearedAtEnd(t, u.String())
}
