package redis

import (
	"crypto/tls"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	memo "github.com/memogen/memogen/runtime"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tls12 := func(host string, skip bool) *tls.Config {
		return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: skip}
	}
	tests := []struct {
		url  string
		want Options
	}{
		{"redis://localhost", Options{ClientOptions: &goredis.UniversalOptions{Addrs: []string{"localhost:6379"}}}},
		{"redis://", Options{ClientOptions: &goredis.UniversalOptions{Addrs: []string{"localhost:6379"}}}},
		{"redis://[::1]/", Options{ClientOptions: &goredis.UniversalOptions{Addrs: []string{"[::1]:6379"}}}},
		{
			"redis://alice:secret@cache.internal:6380/3?prefix=app&scan_count=50&dial_timeout=250ms&read_timeout=2s&pool_size=7",
			Options{Prefix: "app", ScanCount: 50, ClientOptions: &goredis.UniversalOptions{
				Addrs: []string{"cache.internal:6380"}, DB: 3, Username: "alice", Password: "secret",
				DialTimeout: 250 * time.Millisecond, ReadTimeout: 2 * time.Second, PoolSize: 7,
			}},
		},
		{
			"redis://h?dial_timeout=0&write_timeout=-1s&max_retries=-1&protocol=2&client_name=app&pipeline_read_buffer_size=64KiB",
			Options{ClientOptions: &goredis.UniversalOptions{
				Addrs: []string{"h:6379"}, DialTimeout: -1, WriteTimeout: -1, MaxRetries: -1, Protocol: 2, ClientName: "app",
				PipelineReadBufferSize: 64 << 10,
			}},
		},
		{
			"rediss://cache.example.com:6380/1?skip_verify=true",
			Options{ClientOptions: &goredis.UniversalOptions{
				Addrs: []string{"cache.example.com:6380"}, DB: 1, TLSConfig: tls12("cache.example.com", true),
			}},
		},
		{
			"redis://u:p@h1:7000,h2:7001,h3:7002?prefix=c&read_timeout=1s&read_only=true&max_redirects=2",
			Options{Prefix: "c", ClientOptions: &goredis.UniversalOptions{
				Addrs: []string{"h1:7000", "h2:7001", "h3:7002"}, Username: "u", Password: "p",
				ReadTimeout: time.Second, ReadOnly: true, MaxRedirects: 2,
			}},
		},
		{"redis://h1,h2:7001", Options{ClientOptions: &goredis.UniversalOptions{Addrs: []string{"h1:6379", "h2:7001"}}}},
		{
			"redis://h1:7000/0?addr=h2:7001&addr=[::1]:7002",
			Options{ClientOptions: &goredis.UniversalOptions{Addrs: []string{"h1:7000", "h2:7001", "[::1]:7002"}}},
		},
		{
			"rediss://h1:7000,h2:7001",
			Options{ClientOptions: &goredis.UniversalOptions{Addrs: []string{"h1:7000", "h2:7001"}, TLSConfig: tls12("h1", false)}},
		},
		{
			"redis://sentuser:sentpass@s1:26379,s2:26380/2?master_name=mymaster&password=primarypass&dial_timeout=1s&route_randomly=true",
			Options{ClientOptions: &goredis.UniversalOptions{
				Addrs: []string{"s1:26379", "s2:26380"}, MasterName: "mymaster", DB: 2,
				SentinelUsername: "sentuser", SentinelPassword: "sentpass", Password: "primarypass",
				DialTimeout: time.Second, RouteRandomly: true,
			}},
		},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.url)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseURL(%q) = %s, %v;\nwant %s, nil", tt.url, describe(got), err, describe(tt.want))
		}
	}
}

// describe shows o with its client options.
func describe(o Options) string {
	return fmt.Sprintf("%+v %+v", o, o.ClientOptions)
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want string
	}{
		{"mem://", `redis: URL scheme "mem", want redis or rediss`},
		{"redis:localhost:6379", `redis: URL redis:localhost:6379 has no //: want redis://host:port/db`},
		{"redis://u:secret@h:port", `redis: URL: invalid port ":port" after host`},
		{"redis://h1,,h2", `redis: URL host "h1,,h2" has an empty address`},
		{"redis://localhost?prefix=", `redis: invalid URL parameter prefix="": want a non-empty value`},
		{"redis://localhost?scan_count=0", `redis: invalid URL parameter scan_count="0": want a positive integer`},
		{"redis://localhost?scan_count=many", `redis: invalid URL parameter scan_count="many": want a positive integer`},
		{"redis://localhost?poolsize=3", `redis: unknown URL parameter "poolsize"; did you mean "pool_size"?`},
		{"redis://localhost?prefix=a&prefix=b", `redis: URL parameter prefix is given 2 times; give it once`},
		{"redis://localhost?dial_timeout=soon", `redis: invalid URL parameter dial_timeout="soon": want a duration such as 500ms, or 0 for none`},
		{"redis://localhost?dial_timeout=3", `redis: invalid URL parameter dial_timeout="3": want a duration such as 500ms, or 0 for none`},
		{"redis://localhost?protocol=4", `redis: invalid URL parameter protocol="4": want an integer from 2 to 3`},
		{"redis://localhost?pool_fifo=yes", `redis: invalid URL parameter pool_fifo="yes": want true or false`},
		{"redis://localhost/db1", `redis: URL path "/db1": want a database number such as /0`},
		{"redis://localhost/1/2", `redis: URL path "/1/2": want a database number such as /0`},
		{"redis://h1:7000,h2:7001/3", `redis: URL path "/3" selects a database, but a cluster has only database 0`},
		{"redis://h1:7000,h2:7001?db=1", `redis: unknown URL parameter "db" (want addr, client_name, conn_max_idle_time, conn_max_lifetime, conn_max_lifetime_jitter, dial_timeout, dialer_retries, dialer_retry_timeout, failing_timeout_seconds, master_name, max_active_conns, max_concurrent_dials, max_idle_conns, max_redirects, max_retries, max_retry_backoff, min_idle_conns, min_retry_backoff, password, pipeline_pool_size, pipeline_read_buffer_size, pipeline_write_buffer_size, pool_fifo, pool_size, pool_timeout, prefix, protocol, read_only, read_timeout, route_by_latency, route_by_latency_tolerance, route_randomly, scan_count, skip_verify, username or write_timeout)`},
		{"redis://h1:7000?addr=nohostport", `redis: invalid URL parameter addr="nohostport": want host:port`},
		{"redis://h1:7000?addr=", `redis: invalid URL parameter addr="": want a value`},
		{"redis://localhost?skip_verify=true", `redis: URL parameter skip_verify applies to rediss:// URLs only`},
		{"redis://localhost?route_randomly=true", `redis: URL parameter route_randomly applies to Redis Cluster and Sentinel URLs only`},
		{"redis://h1,h2?password=p", `redis: URL parameter password applies to Sentinel URLs only`},
		{"redis://s1?master_name=m&max_redirects=3", `redis: URL parameter max_redirects applies to Redis Cluster URLs only`},
		{"redis://localhost#x", `redis: URL fragment "#x": a backend URL has none; escape a # in a value as %23`},
		{"redis://localhost?scan_count=0&poolsize=3", `redis: invalid URL parameter scan_count="0": want a positive integer` + "\n" +
			`redis: unknown URL parameter "poolsize"; did you mean "pool_size"?`},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.url)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseURL(%q) = %s, %v; want the error\n%s", tt.url, describe(got), err, tt.want)
		}
		if strings.Contains(fmt.Sprint(err), "secret") {
			t.Errorf("ParseURL(%q) = %v; the error shows the password", tt.url, err)
		}
		if _, perr := url.Parse(tt.url); perr != nil || !strings.HasPrefix(tt.url, "redis://") {
			continue // memo.Open parses the URL itself, or finds no redis scheme
		}
		if _, err := memo.Open(tt.url); err == nil || err.Error() != tt.want {
			t.Errorf("memo.Open(%q) = %v; want the error\n%s", tt.url, err, tt.want)
		}
	}
}

// TestParseURLAgreesWithGoRedis checks that the options ParseURL gives the
// go-redis client are those go-redis's own URL parsers read, for URLs of
// the parameters both accept.
func TestParseURLAgreesWithGoRedis(t *testing.T) {
	t.Parallel()
	common := "client_name=c&protocol=2&max_retries=-1&min_retry_backoff=1ms&max_retry_backoff=2s&dial_timeout=3s" +
		"&read_timeout=0&write_timeout=500ms&pool_fifo=true&pool_size=9&pool_timeout=4s&min_idle_conns=1&max_idle_conns=2" +
		"&max_active_conns=3&max_concurrent_dials=4&pipeline_pool_size=-1&pipeline_read_buffer_size=4096" +
		"&pipeline_write_buffer_size=8192&conn_max_idle_time=5m&conn_max_lifetime=1h&conn_max_lifetime_jitter=1m"
	compare := func(raw string, ours, theirs any, theirsErr error, ignore ...string) {
		if theirsErr != nil {
			t.Fatalf("go-redis cannot parse %q: %v", raw, theirsErr)
		}
		a, b := reflect.ValueOf(ours).Elem(), reflect.ValueOf(theirs).Elem()
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() || f.Type.Kind() == reflect.Func || slices.Contains(ignore, f.Name) {
				continue
			}
			if x, y := a.Field(i).Interface(), b.Field(i).Interface(); !reflect.DeepEqual(x, y) {
				t.Errorf("%q: %s = %v; go-redis reads %v", raw, f.Name, x, y)
			}
		}
	}
	// go-redis's ParseURL names the network; NewClient defaults it to tcp.
	raw := "rediss://u:p@h:6380/2?skip_verify=true&" + common
	simple, err := goredis.ParseURL(raw)
	compare(raw, mustParseURL(t, raw).ClientOptions.Simple(), simple, err, "Network")

	raw = "redis://u:p@h1:7000/0?addr=h2:7001&read_only=true&route_by_latency=true&route_by_latency_tolerance=5ms&route_randomly=true" +
		"&max_redirects=4&dialer_retries=3&dialer_retry_timeout=1s&failing_timeout_seconds=20&" + common
	cluster, err := goredis.ParseClusterURL(raw)
	compare(raw, mustParseURL(t, raw).ClientOptions.Cluster(), cluster, err)

	raw = "rediss://su:sp@s1:26379/3?addr=s2:26380&master_name=m&username=u&password=p&skip_verify=true&route_by_latency=true" +
		"&route_randomly=true&route_by_latency_tolerance=5ms&dialer_retries=3&dialer_retry_timeout=1s&" + common
	failover, err := goredis.ParseFailoverURL(raw)
	// go-redis reads a Sentinel replica_only= where memogen reads read_only=.
	compare(raw, mustParseURL(t, raw).ClientOptions.Failover(), failover, err)
}

func mustParseURL(t *testing.T, raw string) Options {
	t.Helper()
	o, err := ParseURL(raw)
	if err != nil {
		t.Fatalf("ParseURL(%q) = %v", raw, err)
	}
	return o
}

// TestNewFromURL checks that a client made from a URL honours context
// deadlines, so that memo.Config.Timeout bounds its commands.
func TestNewFromURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"redis://127.0.0.1:1/0", "redis://127.0.0.1:1,127.0.0.1:2", "redis://127.0.0.1:1?master_name=m"} {
		s := Must(New(mustParseURL(t, raw)))
		var enabled bool
		switch c := s.rdb.(type) {
		case *goredis.Client:
			enabled = c.Options().ContextTimeoutEnabled
		case *goredis.ClusterClient:
			enabled = c.Options().ContextTimeoutEnabled
		}
		if !enabled {
			t.Errorf("New(ParseURL(%q)): ContextTimeoutEnabled = false; want true", raw)
		}
		if s.prefix != DefaultPrefix || s.scanCount != DefaultScanCount {
			t.Errorf("New(ParseURL(%q)): prefix %q, scan count %d; want %q, %d", raw, s.prefix, s.scanCount, DefaultPrefix, DefaultScanCount)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close = %v; want nil", err)
		}
	}
}

func TestMust(t *testing.T) {
	t.Parallel()
	defer func() {
		if r := recover(); r == nil || fmt.Sprint(r) != "redis: Options set neither Client nor ClientOptions" {
			t.Errorf("Must(New(Options{})) panicked with %v; want New's error", r)
		}
	}()
	Must(New(Options{}))
}

func TestOpenClientKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want string
	}{
		{"redis://127.0.0.1:1/0", "*redis.Client"},
		{"redis://127.0.0.1:1,127.0.0.1:2", "*redis.ClusterClient"},
		{"redis://127.0.0.1:1?master_name=mymaster", "failover *redis.Client"},
		{"redis://127.0.0.1:1?master_name=mymaster&route_randomly=true", "*redis.ClusterClient"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		b, err := open(u)
		if err != nil {
			t.Errorf("open(%q) = %v; want nil", tt.raw, err)
			continue
		}
		s := b.(*Store)
		var got string
		switch c := s.rdb.(type) {
		case *goredis.ClusterClient:
			got = "*redis.ClusterClient"
		case *goredis.Client:
			got = "*redis.Client"
			if c.Options().Addr == "FailoverClient" {
				got = "failover " + got
			}
		default:
			got = fmt.Sprintf("%T", c)
		}
		if got != tt.want {
			t.Errorf("open(%q) made a %s; want a %s", tt.raw, got, tt.want)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close of open(%q) = %v; want nil", tt.raw, err)
		}
	}
}
