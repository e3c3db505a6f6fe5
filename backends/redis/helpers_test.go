package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/redis"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
	goredis "github.com/redis/go-redis/v9"
)

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// testPrefix returns a key prefix of t's own, so that tests share one
// server in parallel, and deletes its keys when t ends.
func testPrefix(t *testing.T) string {
	t.Helper()
	var b [4]byte
	_, _ = rand.Read(b[:])
	prefix := "memotest-" + unsafeInName.ReplaceAllString(t.Name(), "_") + "-" + hex.EncodeToString(b[:])
	raw := rawClient(t)
	t.Cleanup(func() {
		ctx := context.Background()
		iter := raw.Scan(ctx, 0, prefix+":*", 1000).Iterator()
		for iter.Next(ctx) {
			raw.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("deleting the keys of prefix %s: %v", prefix, err)
		}
	})
	return prefix
}

// rawClient returns a plain client of the test server, to look behind a
// Store's back.
func rawClient(t *testing.T) *goredis.Client {
	t.Helper()
	opts, err := goredis.ParseURL(testservers.RedisServer(t).String())
	if err != nil {
		t.Fatalf("MEMO_REDIS_URL: %v", err)
	}
	c := goredis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

// openStore opens a Store on the test server under a prefix of t's own,
// and returns it with the prefix.
func openStore(t *testing.T) (*redis.Store, string) {
	t.Helper()
	prefix := testPrefix(t)
	return openURL(t, withParams(t, testservers.RedisServer(t).String(), "prefix", prefix)), prefix
}

// openURL opens a Store from raw and closes it when t ends.
func openURL(t *testing.T, raw string) *redis.Store {
	t.Helper()
	b, err := memo.Open(raw)
	if err != nil {
		t.Fatalf("memo.Open(%q) = %v; want nil", raw, err)
	}
	s := b.(*redis.Store)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close = %v; want nil", err)
		}
	})
	return s
}

// withParams returns raw with query parameters added, in name, value pairs.
func withParams(t *testing.T, raw string, nameValues ...string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("url.Parse(%q) = %v", raw, err)
	}
	q := u.Query()
	for i := 0; i+1 < len(nameValues); i += 2 {
		q.Set(nameValues[i], nameValues[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// digestOf returns a valid digest that encodes n.
func digestOf(n int) string { return fmt.Sprintf("%032x", n) }

// entryDigest is the key digest the test entries carry. These tests use
// the backend alone, which stores bytes under any key; the runtime, which
// rejects an entry read under another key than its own, is not involved.
const entryDigest = "0123456789abcdef0123456789abcdef"

// entryBytes returns a valid stored entry.
func entryBytes(payload string, created, expires time.Time, summary string) []byte {
	return store.EncodeEntry(store.Entry{Codec: "json", Digest: entryDigest, Created: created, Expires: expires, Summary: summary, Payload: []byte(payload)})
}

// redisServer is a private redis-server that a test may stop and restart.
type redisServer struct {
	t      *testing.T
	port   int
	dir    string
	conf   []string   // a configuration file to start from, if any
	args   []string   // arguments after the defaults: --replicaof, --sentinel
	cmd    *exec.Cmd  // nil when stopped
	exited chan error // receives the running server's exit
}

// startRedis starts a redis-server of t's own on a free loopback port,
// without persistence, and stops it when t ends.
func startRedis(t *testing.T) *redisServer {
	t.Helper()
	return startRedisWith(t, nil, nil)
}

// startRedisWith is startRedis with a configuration file (conf, a file name
// or nothing) before the default arguments, and args after them; conf
// returns the file's name for the server's port.
func startRedisWith(t *testing.T, conf func(port int) string, args []string) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		testservers.Missing(t, "redis-server not installed")
	}
	srv := &redisServer{t: t, dir: t.TempDir(), args: args}
	var err error
	for range 3 { // another process may take the free port first
		srv.port = testservers.ClosedPort(t)
		if conf != nil {
			srv.conf = []string{conf(srv.port)}
		}
		if err = srv.start(); err == nil {
			t.Cleanup(srv.stop)
			return srv
		}
	}
	t.Fatalf("starting redis-server: %v", err)
	return nil
}

// start runs the server on its port and waits until it answers.
func (s *redisServer) start() error {
	args := append(s.conf[:len(s.conf):len(s.conf)],
		"--bind", "127.0.0.1", "--port", strconv.Itoa(s.port), "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no")
	s.cmd = exec.Command("redis-server", append(args, s.args...)...)
	if err := s.cmd.Start(); err != nil {
		s.cmd = nil
		return err
	}
	s.exited = make(chan error, 1)
	go func(cmd *exec.Cmd, exited chan<- error) { exited <- cmd.Wait() }(s.cmd, s.exited)
	c := goredis.NewClient(&goredis.Options{Addr: s.addr(), MaxRetries: -1, ContextTimeoutEnabled: true})
	defer c.Close()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-s.exited:
			s.cmd = nil
			return fmt.Errorf("redis-server on port %d exited: %v", s.port, err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
	}
	s.stop()
	return fmt.Errorf("redis-server on port %d did not answer PING in 20s", s.port)
}

// stop kills the server and waits for it to exit; it does nothing when the
// server is not running.
func (s *redisServer) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

func (s *redisServer) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// url returns the server's URL with query parameters added, in name, value
// pairs.
func (s *redisServer) url(params ...string) string {
	return withParams(s.t, "redis://"+s.addr()+"/0", params...)
}
