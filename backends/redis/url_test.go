package redis

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("url.Parse(%q) = %v", raw, err)
	}
	return u
}

func TestParseURLSingle(t *testing.T) {
	cfg, err := parseURL(mustParse(t, "redis://alice:secret@cache.internal:6380/3?prefix=app&scan_count=50&dial_timeout=250ms&read_timeout=2s&pool_size=7"))
	if err != nil {
		t.Fatalf("parseURL = %v; want nil", err)
	}
	if cfg.simple == nil || cfg.cluster != nil || cfg.failover != nil {
		t.Fatalf("parseURL of one address chose %+v; want single-node options", cfg)
	}
	o := cfg.simple
	if o.Addr != "cache.internal:6380" || o.DB != 3 || o.Username != "alice" || o.Password != "secret" {
		t.Errorf("Options: Addr %q DB %d user %q password %q; want cache.internal:6380, 3, alice, secret", o.Addr, o.DB, o.Username, o.Password)
	}
	if o.DialTimeout != 250*time.Millisecond || o.ReadTimeout != 2*time.Second || o.PoolSize != 7 {
		t.Errorf("Options: DialTimeout %v ReadTimeout %v PoolSize %d; want 250ms, 2s, 7", o.DialTimeout, o.ReadTimeout, o.PoolSize)
	}
	if !o.ContextTimeoutEnabled {
		t.Error("Options.ContextTimeoutEnabled = false; want true, so that memo.Config.Timeout bounds commands")
	}
	if o.TLSConfig != nil {
		t.Error("redis:// set a TLSConfig; want none")
	}
	if cfg.prefix != "app" || cfg.scanCount != 50 {
		t.Errorf("prefix %q, scan_count %d; want app, 50", cfg.prefix, cfg.scanCount)
	}
}

func TestParseURLDefaults(t *testing.T) {
	cfg, err := parseURL(mustParse(t, "redis://localhost"))
	if err != nil {
		t.Fatalf("parseURL = %v; want nil", err)
	}
	if cfg.simple == nil || cfg.simple.Addr != "localhost:6379" || cfg.simple.DB != 0 {
		t.Errorf("parseURL(redis://localhost) = %+v; want localhost:6379, database 0", cfg.simple)
	}
	client := goredis.NewClient(cfg.simple)
	defer client.Close()
	s := newStore(client, cfg.prefix, cfg.scanCount, nil)
	if s.prefix != DefaultPrefix || s.scanCount != DefaultScanCount {
		t.Errorf("Store prefix %q, scan count %d; want %q, %d", s.prefix, s.scanCount, DefaultPrefix, DefaultScanCount)
	}
}

func TestParseURLTLS(t *testing.T) {
	cfg, err := parseURL(mustParse(t, "rediss://cache.example.com:6380/1?skip_verify=true"))
	if err != nil {
		t.Fatalf("parseURL = %v; want nil", err)
	}
	if cfg.simple == nil || cfg.simple.TLSConfig == nil {
		t.Fatalf("rediss:// chose %+v; want single-node options with TLS", cfg.simple)
	}
	tls := cfg.simple.TLSConfig
	if tls.ServerName != "cache.example.com" || !tls.InsecureSkipVerify {
		t.Errorf("TLSConfig ServerName %q InsecureSkipVerify %v; want cache.example.com, true", tls.ServerName, tls.InsecureSkipVerify)
	}
}

func TestParseURLCluster(t *testing.T) {
	tests := []struct {
		raw       string
		wantAddrs []string
		wantTLS   bool
	}{
		{"redis://u:p@h1:7000,h2:7001,h3:7002?prefix=c&read_timeout=1s", []string{"h1:7000", "h2:7001", "h3:7002"}, false},
		{"redis://h1,h2:7001", []string{"h1:6379", "h2:7001"}, false},
		{"redis://h1:7000/0?addr=h2:7001&addr=[::1]:7002", []string{"h1:7000", "h2:7001", "[::1]:7002"}, false},
		{"rediss://h1:7000,h2:7001", []string{"h1:7000", "h2:7001"}, true},
	}
	for _, tt := range tests {
		cfg, err := parseURL(mustParse(t, tt.raw))
		if err != nil {
			t.Errorf("parseURL(%q) = %v; want nil", tt.raw, err)
			continue
		}
		if cfg.cluster == nil || cfg.simple != nil || cfg.failover != nil {
			t.Errorf("parseURL(%q) chose %+v; want cluster options", tt.raw, cfg)
			continue
		}
		if !slices.Equal(cfg.cluster.Addrs, tt.wantAddrs) {
			t.Errorf("parseURL(%q): Addrs %q; want %q", tt.raw, cfg.cluster.Addrs, tt.wantAddrs)
		}
		if got := cfg.cluster.TLSConfig != nil; got != tt.wantTLS {
			t.Errorf("parseURL(%q): TLS %v; want %v", tt.raw, got, tt.wantTLS)
		}
		if !cfg.cluster.ContextTimeoutEnabled {
			t.Errorf("parseURL(%q): ContextTimeoutEnabled = false; want true", tt.raw)
		}
	}

	cfg, _ := parseURL(mustParse(t, tests[0].raw))
	if o := cfg.cluster; o.Username != "u" || o.Password != "p" || o.ReadTimeout != time.Second || cfg.prefix != "c" {
		t.Errorf("cluster: user %q password %q ReadTimeout %v prefix %q; want u, p, 1s, c", o.Username, o.Password, o.ReadTimeout, cfg.prefix)
	}
}

func TestParseURLSentinel(t *testing.T) {
	cfg, err := parseURL(mustParse(t, "redis://sentuser:sentpass@s1:26379,s2:26380/2?master_name=mymaster&password=primarypass&dial_timeout=1s"))
	if err != nil {
		t.Fatalf("parseURL = %v; want nil", err)
	}
	if cfg.failover == nil || cfg.simple != nil || cfg.cluster != nil {
		t.Fatalf("master_name chose %+v; want failover options", cfg)
	}
	o := cfg.failover
	if o.MasterName != "mymaster" || o.DB != 2 || o.DialTimeout != time.Second {
		t.Errorf("FailoverOptions: MasterName %q DB %d DialTimeout %v; want mymaster, 2, 1s", o.MasterName, o.DB, o.DialTimeout)
	}
	if !slices.Equal(o.SentinelAddrs, []string{"s1:26379", "s2:26380"}) {
		t.Errorf("SentinelAddrs = %q; want s1:26379, s2:26380", o.SentinelAddrs)
	}
	if o.SentinelUsername != "sentuser" || o.SentinelPassword != "sentpass" || o.Password != "primarypass" {
		t.Errorf("credentials: sentinel %q/%q, primary password %q; want sentuser/sentpass, primarypass", o.SentinelUsername, o.SentinelPassword, o.Password)
	}
	if !o.ContextTimeoutEnabled {
		t.Error("FailoverOptions.ContextTimeoutEnabled = false; want true")
	}
}

func TestParseURLErrors(t *testing.T) {
	tests := []struct {
		raw  string
		want string // in the error
	}{
		{"mem://", `scheme "mem"`},
		{"redis:localhost:6379", "has no //"},
		{"redis://localhost?prefix=", "prefix is empty"},
		{"redis://localhost?scan_count=0", `scan_count="0"`},
		{"redis://localhost?scan_count=many", `scan_count="many"`},
		{"redis://localhost?poolsize=3", "unexpected option: poolsize"},
		{"redis://localhost?dial_timeout=soon", "dial_timeout"},
		{"redis://localhost/db1", "invalid database number"},
		{"redis://h1,,h2", "empty address"},
		{"redis://h1:7000,h2:7001/3", "only database 0"},
		{"redis://h1:7000,h2:7001?db=1", "unexpected option: db"},
		{"redis://h1:7000?addr=nohostport", "addr"},
	}
	for _, tt := range tests {
		_, err := parseURL(mustParse(t, tt.raw))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "redis: ") {
			t.Errorf("parseURL(%q) = %v; want an error starting with \"redis: \" and mentioning %q", tt.raw, err, tt.want)
		}
	}
}

func TestOpenClientKinds(t *testing.T) {
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
		b, err := Open(mustParse(t, tt.raw))
		if err != nil {
			t.Errorf("Open(%q) = %v; want nil", tt.raw, err)
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
			t.Errorf("Open(%q) made a %s; want a %s", tt.raw, got, tt.want)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close of Open(%q) = %v; want nil", tt.raw, err)
		}
	}
}
