package redis

import (
	"crypto/tls"
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/memogen/memogen/backends/internal/urlopt"
)

// ParseURL returns the options that a URL of one of these forms describes:
//
//	redis://[user:pass@]host[:port][/db][?param=value&...]
//	rediss://...                      the same over TLS
//	redis://[user:pass@]host1:port1,host2:port2[/0][?addr=host3:port3&...]
//	                                  Redis Cluster, from these seed nodes
//	redis://[user:pass@]sentinel1:port1[,...][/db]?master_name=name[&...]
//	                                  the primary that Sentinels name
//
// The host defaults to localhost and the port to 6379. prefix and
// scan_count set Options.Prefix and Options.ScanCount; every other
// parameter configures Options.ClientOptions, the go-redis client, and is
// named after its field in snake case (dial_timeout sets DialTimeout). The
// package doc lists them. An unknown, repeated or malformed parameter, or
// one that does not apply to the URL's deployment, is an error.
//
// With master_name, the user and password in the URL are the Sentinels';
// the primary's are the username and password parameters. IPv6 addresses
// beyond the first go in addr= parameters, as a URL's host cannot list
// several.
func ParseURL(rawURL string) (Options, error) {
	u, q, err := urlopt.Parse("redis", rawURL, "redis", "rediss")
	if err != nil {
		return Options{}, err
	}
	if u.Opaque != "" {
		return Options{}, fmt.Errorf("redis: URL %s:%s has no //: want %s://host:port/db", u.Scheme, u.Opaque, u.Scheme)
	}
	opts := Options{
		Prefix:        q.String("prefix"),
		ScanCount:     q.Int("scan_count", 1, math.MaxInt),
		ClientOptions: &goredis.UniversalOptions{MasterName: q.String("master_name")},
	}
	o := opts.ClientOptions

	hosts := strings.Split(u.Host, ",")
	for i, h := range hosts {
		if h == "" && len(hosts) > 1 {
			return Options{}, fmt.Errorf("redis: URL host %q has an empty address", u.Host)
		}
		hosts[i] = withPort(h)
	}
	o.Addrs = hosts
	for _, a := range q.Strings("addr") {
		if h, p, err := net.SplitHostPort(a); err != nil || h == "" || p == "" {
			q.Errorf("invalid URL parameter addr=%q: want host:port", a)
			continue
		}
		o.Addrs = append(o.Addrs, a)
	}
	kind := deploymentOf(o)

	user := u.User.Username()
	password, _ := u.User.Password()
	if kind == sentinel {
		o.SentinelUsername, o.SentinelPassword = user, password
	} else {
		o.Username, o.Password = user, password
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		n, err := strconv.Atoi(db)
		switch {
		case kind == cluster && db != "0":
			q.Errorf("URL path %q selects a database, but a cluster has only database 0", u.Path)
		case err != nil || n < 0:
			q.Errorf("URL path %q: want a database number such as /0", u.Path)
		default:
			o.DB = n
		}
	}

	for _, p := range clientParams {
		if p.on&kind != 0 {
			p.set(q, p.name, o)
			continue
		}
		p.set(q, p.name, new(uopts)) // known, but misplaced
		if q.Has(p.name) {
			q.Errorf("URL parameter %s applies to %s URLs only", p.name, p.on)
		}
	}
	skipVerify := q.Bool("skip_verify")
	if u.Scheme == "rediss" {
		host, _, _ := net.SplitHostPort(hosts[0])
		o.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: skipVerify}
	} else if q.Has("skip_verify") {
		q.Errorf("URL parameter skip_verify applies to rediss:// URLs only")
	}
	if err := q.Err(); err != nil {
		return Options{}, err
	}
	return opts, nil
}

// withPort adds Redis's default port to an address without one, and
// localhost to an empty one.
func withPort(addr string) string {
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr
	}
	if addr == "" {
		addr = "localhost"
	}
	return net.JoinHostPort(strings.Trim(addr, "[]"), "6379")
}

// A deployment is the kind of Redis a URL reaches, which decides the client
// that goredis.NewUniversalClient creates; a set of them is a bit mask.
type deployment uint8

const (
	single   deployment = 1 << iota // one server
	cluster                         // several addresses: Redis Cluster
	sentinel                        // master_name=: the primary Sentinels name
	anywhere = single | cluster | sentinel
)

// deploymentOf returns the deployment o reaches, as NewUniversalClient
// decides it.
func deploymentOf(o *goredis.UniversalOptions) deployment {
	switch {
	case o.MasterName != "":
		return sentinel
	case len(o.Addrs) > 1:
		return cluster
	}
	return single
}

// String names the deployments in d, for errors.
func (d deployment) String() string {
	var names []string
	for _, k := range []struct {
		d    deployment
		name string
	}{{single, "single-server"}, {cluster, "Redis Cluster"}, {sentinel, "Sentinel"}} {
		if d&k.d != 0 {
			names = append(names, k.name)
		}
	}
	return strings.Join(names, " and ")
}

// uopts are the options of a go-redis client of any deployment.
type uopts = goredis.UniversalOptions

// A setter reads the URL parameter name from q into a field of o.
type setter func(q *urlopt.Query, name string, o *uopts)

// clientParams are the URL parameters that configure the go-redis client,
// each on the deployments whose client has the field it sets.
var clientParams = []struct {
	name string
	on   deployment
	set  setter
}{
	{"client_name", anywhere, stringParam(func(o *uopts) *string { return &o.ClientName })},
	{"protocol", anywhere, intRangeParam(2, 3, func(o *uopts) *int { return &o.Protocol })},
	{"max_retries", anywhere, intParam(-1, func(o *uopts) *int { return &o.MaxRetries })},
	{"min_retry_backoff", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.MinRetryBackoff })},
	{"max_retry_backoff", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.MaxRetryBackoff })},
	{"dial_timeout", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.DialTimeout })},
	{"dialer_retries", anywhere, intParam(0, func(o *uopts) *int { return &o.DialerRetries })},
	{"dialer_retry_timeout", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.DialerRetryTimeout })},
	{"read_timeout", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.ReadTimeout })},
	{"write_timeout", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.WriteTimeout })},
	{"pool_fifo", anywhere, boolParam(func(o *uopts) *bool { return &o.PoolFIFO })},
	{"pool_size", anywhere, intParam(1, func(o *uopts) *int { return &o.PoolSize })},
	{"pool_timeout", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.PoolTimeout })},
	{"min_idle_conns", anywhere, intParam(0, func(o *uopts) *int { return &o.MinIdleConns })},
	{"max_idle_conns", anywhere, intParam(0, func(o *uopts) *int { return &o.MaxIdleConns })},
	{"max_active_conns", anywhere, intParam(0, func(o *uopts) *int { return &o.MaxActiveConns })},
	{"max_concurrent_dials", anywhere, intParam(0, func(o *uopts) *int { return &o.MaxConcurrentDials })},
	{"pipeline_pool_size", anywhere, intParam(-1, func(o *uopts) *int { return &o.PipelinePoolSize })},
	{"pipeline_read_buffer_size", anywhere, sizeParam(func(o *uopts) *int { return &o.PipelineReadBufferSize })},
	{"pipeline_write_buffer_size", anywhere, sizeParam(func(o *uopts) *int { return &o.PipelineWriteBufferSize })},
	{"conn_max_idle_time", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.ConnMaxIdleTime })},
	{"conn_max_lifetime", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.ConnMaxLifetime })},
	{"conn_max_lifetime_jitter", anywhere, durationParam(func(o *uopts) *time.Duration { return &o.ConnMaxLifetimeJitter })},
	{"read_only", cluster | sentinel, boolParam(func(o *uopts) *bool { return &o.ReadOnly })},
	{"route_by_latency", cluster | sentinel, boolParam(func(o *uopts) *bool { return &o.RouteByLatency })},
	{"route_by_latency_tolerance", cluster | sentinel, durationParam(func(o *uopts) *time.Duration { return &o.RouteByLatencyTolerance })},
	{"route_randomly", cluster | sentinel, boolParam(func(o *uopts) *bool { return &o.RouteRandomly })},
	{"max_redirects", cluster, intParam(-1, func(o *uopts) *int { return &o.MaxRedirects })},
	{"failing_timeout_seconds", cluster, intParam(1, func(o *uopts) *int { return &o.FailingTimeoutSeconds })},
	{"username", sentinel, stringParam(func(o *uopts) *string { return &o.Username })},
	{"password", sentinel, stringParam(func(o *uopts) *string { return &o.Password })},
}

func stringParam(field func(*uopts) *string) setter {
	return func(q *urlopt.Query, name string, o *uopts) { *field(o) = q.String(name) }
}

func boolParam(field func(*uopts) *bool) setter {
	return func(q *urlopt.Query, name string, o *uopts) { *field(o) = q.Bool(name) }
}

func intParam(min int, field func(*uopts) *int) setter {
	return intRangeParam(min, math.MaxInt, field)
}

func intRangeParam(min, max int, field func(*uopts) *int) setter {
	return func(q *urlopt.Query, name string, o *uopts) { *field(o) = q.Int(name, min, max) }
}

func sizeParam(field func(*uopts) *int) setter {
	return func(q *urlopt.Query, name string, o *uopts) { *field(o) = int(q.Bytes(name)) }
}

func durationParam(field func(*uopts) *time.Duration) setter {
	return func(q *urlopt.Query, name string, o *uopts) { *field(o) = timeout(q, name) }
}

// timeout reads a duration parameter of the go-redis client: a duration
// such as 500ms, where 0 or a negative one turns the limit off, which
// go-redis spells -1; 0 in its Options means its default instead.
func timeout(q *urlopt.Query, name string) time.Duration {
	return urlopt.Value(q, name, "a duration such as 500ms, or 0 for none", func(s string) (time.Duration, bool) {
		d, err := time.ParseDuration(s)
		if err == nil && d <= 0 {
			d = -1
		}
		return d, err == nil
	})
}
