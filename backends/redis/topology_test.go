package redis_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/redis"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
	goredis "github.com/redis/go-redis/v9"
)

// These tests run the Store on the Redis Cluster and the Sentinel set that
// scripts/testservers.sh starts, and fail over a Sentinel set of their own.

func TestConformanceCluster(t *testing.T) {
	t.Parallel()
	backendtest.Run(t, func(t *testing.T) store.Backend {
		s, _ := openClusterURL(t, testservers.RedisClusterURL(t))
		return s
	})
}

func TestConformanceSentinel(t *testing.T) {
	t.Parallel()
	backendtest.Run(t, func(t *testing.T) store.Backend {
		return openURL(t, testservers.RedisSentinelURL(t))
	})
}

// openClusterURL opens raw, which must name a Redis Cluster of three
// masters, and returns the Store with its key prefix.
func openClusterURL(t *testing.T, raw string) (*redis.Store, string) {
	t.Helper()
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("ParseURL(%q) = %v", raw, err)
	}
	if n := len(opts.ClientOptions.Addrs); n != 3 {
		t.Fatalf("MEMO_REDIS_CLUSTER_URL names %d nodes; want the 3 masters", n)
	}
	return openURL(t, raw), opts.Prefix
}

// keysPerMaster returns, by address, how many keys under prefix each
// master of the cluster at raw holds.
func keysPerMaster(t *testing.T, raw, prefix string) map[string]int {
	t.Helper()
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClusterClient(opts.ClientOptions.Cluster())
	defer c.Close()
	ctx := context.Background()
	counts := make(map[string]int)
	var mu = make(chan struct{}, 1)
	err = c.ForEachMaster(ctx, func(ctx context.Context, node *goredis.Client) error {
		keys, err := node.Keys(ctx, prefix+":*").Result()
		mu <- struct{}{}
		counts[node.Options().Addr] = len(keys)
		<-mu
		return err
	})
	if err != nil {
		t.Fatalf("counting keys on each master: %v", err)
	}
	if len(counts) != 3 {
		t.Fatalf("the cluster has %d masters; want 3", len(counts))
	}
	return counts
}

// A function's entries spread over every master, and List and Clear walk
// them all.
func TestClusterListsAndClearsEveryMaster(t *testing.T) {
	t.Parallel()
	raw := testservers.RedisClusterURL(t)
	s, prefix := openClusterURL(t, raw)
	ctx := context.Background()
	fn := store.FuncID{Package: "example.com/cluster", Name: "F"}
	const n = 60 // so that each master gets some, whatever the prefix
	for i := range n {
		k := store.Key{Func: fn, Digest: digestOf(i), Codec: "json"}
		backendtest.Set(t, s, k, entryBytes(strconv.Itoa(i), time.Now(), time.Time{}, ""), time.Time{})
	}
	counts := keysPerMaster(t, raw, prefix)
	for addr, c := range counts {
		if c == 0 {
			t.Errorf("master %s holds none of the %d keys (%v); want keys on every master", addr, n, counts)
		}
	}
	listed := map[string]bool{}
	if err := s.List(ctx, fn, func(e store.StoredEntry) bool { listed[e.Key.Digest] = true; return true }); err != nil {
		t.Fatalf("List = %v; want nil", err)
	}
	if len(listed) != n {
		t.Errorf("List returned %d entries; want %d", len(listed), n)
	}
	if err := s.Clear(ctx, fn); err != nil {
		t.Fatalf("Clear = %v; want nil", err)
	}
	for addr, c := range keysPerMaster(t, raw, prefix) {
		if c != 0 {
			t.Errorf("after Clear, master %s holds %d keys; want 0", addr, c)
		}
	}
}

// sentinelSet is a master, its replica, and a Sentinel monitoring them, of
// one test's own.
type sentinelSet struct {
	master, replica, sentinel *redisServer
}

// masterName is what the sentinel sets of these tests call their master.
const masterName = "memo-failover"

// startSentinelSet starts a master, a replica and a Sentinel that fails
// over after 500ms of silence, and waits until the Sentinel knows the
// replica and the replica has synchronised.
func startSentinelSet(t *testing.T) *sentinelSet {
	t.Helper()
	set := &sentinelSet{master: startRedis(t)}
	set.replica = startRedisWith(t, nil, []string{"--replicaof", "127.0.0.1", strconv.Itoa(set.master.port)})
	dir := t.TempDir()
	set.sentinel = startRedisWith(t, func(port int) string {
		conf := filepath.Join(dir, fmt.Sprintf("sentinel-%d.conf", port))
		lines := []string{
			fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d 1", masterName, set.master.port),
			"sentinel down-after-milliseconds " + masterName + " 500",
			"sentinel failover-timeout " + masterName + " 2000",
		}
		if err := os.WriteFile(conf, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return conf
	}, []string{"--sentinel"})

	ctx := context.Background()
	replica := goredis.NewClient(&goredis.Options{Addr: set.replica.addr()})
	defer replica.Close()
	sentinel := goredis.NewSentinelClient(&goredis.Options{Addr: set.sentinel.addr()})
	defer sentinel.Close()
	waitFor(t, 30*time.Second, "the replica to synchronise and the Sentinel to know it", func() bool {
		info, err := replica.Info(ctx, "replication").Result()
		if err != nil || !strings.Contains(info, "master_link_status:up") {
			return false
		}
		replicas, err := sentinel.Replicas(ctx, masterName).Result()
		return err == nil && len(replicas) == 1
	})
	return set
}

// url returns the URL of the set's master, through its Sentinel, with
// query parameters added in name, value pairs.
func (set *sentinelSet) url(params ...string) string {
	return withParams(set.sentinel.t, "redis://"+set.sentinel.addr()+"/0?master_name="+masterName, params...)
}

// waitFor polls cond until it holds, and fails t if it does not within
// limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, what)
		}
	}
}

// When the master dies, the wrapper fails open within Config.Timeout: the
// function runs and returns its own result. Once the Sentinel has promoted
// the replica, the wrapper serves the entry that the replica received
// before the master died, and never a wrong value.
func TestSentinelFailover(t *testing.T) {
	var log hookLog
	configure(t, memo.Config{Hook: log.hook})
	set := startSentinelSet(t)
	// go-redis's own timeouts above opTimeout, and no retries: only
	// Config.Timeout bounds an operation on the dead master.
	s := openURL(t, set.url(append([]string{"prefix", testPrefix(t)}, slowParams...)...))
	w := newWrapper(t, s)

	w.mustCall(t, 7)
	w.mustCall(t, 7)
	w.wantExecs(t, 1)
	// Replication is asynchronous: wait until the replica has the entry.
	master := goredis.NewClient(&goredis.Options{Addr: set.master.addr()})
	acked, err := master.Wait(context.Background(), 1, 10*time.Second).Result()
	master.Close()
	if err != nil || acked != 1 {
		t.Fatalf("WAIT 1 on the master = %d, %v; want 1 replica", acked, err)
	}

	set.master.stop() // SIGKILL
	w.mustCall(t, 8)  // fails open: runs, within callBound
	w.wantExecs(t, 2)
	if st := w.f.Stats(); st.Failures == 0 {
		t.Errorf("Stats().Failures = 0 after a call with the master dead; want > 0 (%+v)", st)
	}

	// Calls go on succeeding, by running the function, until the promoted
	// replica serves the entry of 7 again.
	waitFor(t, 30*time.Second, "the promoted replica to serve the entry", func() bool {
		before := w.execs.Load()
		w.mustCall(t, 7)
		return w.execs.Load() == before
	})
	sentinel := goredis.NewSentinelClient(&goredis.Options{Addr: set.sentinel.addr()})
	defer sentinel.Close()
	addr, err := sentinel.GetMasterAddrByName(context.Background(), masterName).Result()
	if err != nil || len(addr) != 2 || addr[1] != strconv.Itoa(set.replica.port) {
		t.Errorf("Sentinel's master after the failover = %v, %v; want the replica, port %d", addr, err, set.replica.port)
	}
	w.mustCall(t, 9)
	before := w.execs.Load()
	w.mustCall(t, 9) // stored in the promoted replica
	if w.execs.Load() != before {
		t.Errorf("call(9) ran again after the failover; want it served from the promoted replica")
	}
}
