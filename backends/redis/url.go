package redis

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// urlConfig is what a backend URL says: the Store's own settings and the
// options of exactly one kind of client.
type urlConfig struct {
	prefix    string
	scanCount int
	simple    *goredis.Options         // one server
	cluster   *goredis.ClusterOptions  // several addresses: Redis Cluster
	failover  *goredis.FailoverOptions // master_name=: Sentinel
}

// parseURL reads a backend URL of the forms that [Open] documents. Several
// hosts become go-redis's addr= parameters, after the first.
func parseURL(u *url.URL) (urlConfig, error) {
	var cfg urlConfig
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return cfg, fmt.Errorf("redis: URL scheme %q, want redis or rediss", u.Scheme)
	}
	if u.Opaque != "" {
		return cfg, fmt.Errorf("redis: URL %s:%s has no //: want %s://host:port/db", u.Scheme, u.Opaque, u.Scheme)
	}
	q := u.Query()
	if vs, ok := q["prefix"]; ok {
		cfg.prefix = vs[len(vs)-1]
		if cfg.prefix == "" {
			return cfg, errors.New("redis: URL parameter prefix is empty; leave it out for the default " + strconv.Quote(DefaultPrefix))
		}
		q.Del("prefix")
	}
	if vs, ok := q["scan_count"]; ok {
		n, err := strconv.Atoi(vs[len(vs)-1])
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("redis: URL parameter scan_count=%q: want a positive integer", vs[len(vs)-1])
		}
		cfg.scanCount = n
		q.Del("scan_count")
	}

	// go-redis takes one address in the host and the others as addr=.
	hosts := strings.Split(u.Host, ",")
	if len(hosts) > 1 {
		for i, h := range hosts {
			if h == "" {
				return cfg, fmt.Errorf("redis: URL host %q has an empty address", u.Host)
			}
			hosts[i] = withPort(h)
		}
		for _, h := range hosts[1:] {
			q.Add("addr", h)
		}
	}
	forRedis := *u
	forRedis.Host = hosts[0]
	forRedis.RawQuery = q.Encode()
	raw := forRedis.String()

	var err error
	switch {
	case q.Has("master_name"):
		cfg.failover, err = goredis.ParseFailoverURL(raw)
		if err == nil {
			cfg.failover.ContextTimeoutEnabled = true
		}
	case q.Has("addr"):
		if db := strings.Trim(u.Path, "/"); db != "" && db != "0" {
			return cfg, fmt.Errorf("redis: URL path %q selects a database, but a cluster has only database 0", u.Path)
		}
		cfg.cluster, err = goredis.ParseClusterURL(raw)
		if err == nil {
			cfg.cluster.ContextTimeoutEnabled = true
		}
	default:
		cfg.simple, err = goredis.ParseURL(raw)
		if err == nil {
			cfg.simple.ContextTimeoutEnabled = true
		}
	}
	if err != nil {
		return cfg, fmt.Errorf("redis: parsing URL: %w", err)
	}
	return cfg, nil
}

// withPort adds Redis's default port to an address without one.
func withPort(addr string) string {
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr
	}
	return net.JoinHostPort(strings.Trim(addr, "[]"), "6379")
}

// newClient returns a client of the kind the URL selected.
func (c *urlConfig) newClient() goredis.UniversalClient {
	switch {
	case c.failover != nil && (c.failover.RouteByLatency || c.failover.RouteRandomly):
		return goredis.NewFailoverClusterClient(c.failover) // reads from replicas too
	case c.failover != nil:
		return goredis.NewFailoverClient(c.failover)
	case c.cluster != nil:
		return goredis.NewClusterClient(c.cluster)
	}
	return goredis.NewClient(c.simple)
}
