// Memogen generates memoized wrappers for Go functions and methods annotated
// with //memo:cache directives. This is its manual; memogen -h prints it.
//
// Annotate a function in its doc comment:
//
//	// FetchUser loads a user.
//	//
//	//memo:cache ttl=10m ignore=logger nocache=refresh
//	func FetchUser(ctx context.Context, logger *slog.Logger, id int64, refresh bool) (*User, error)
//
// and add one go:generate line for the whole module, in one file of the
// package at its root:
//
//	//go:generate go tool memogen ./...
//
// Then go generate ./... writes memo_gen.go next to FetchUser, with
// FetchUserCached (the same signature, served from a cache) and
// FetchUserMemo (a handle to forget, look up and clear entries and read
// counters), and does the same for every package of the module that has
// directives, including those added later.
//
// Usage:
//
//	memogen [-check] [-version] [-output file] [-tags list] [packages]
//
// Packages default to "."; a Go file stands for its package, so
// //go:generate memogen $GOFILE works as //go:generate memogen does. For
// every package with directives, memogen
// writes one file of wrappers, and removes the file it generated earlier
// when a package no longer has directives. Directives in files under build
// constraints (a //go:build line, a _linux.go or _amd64.go name, import
// "C") get their wrappers in a file per distinct constraint, which carries
// it: memo_gen_linux.go, memo_gen_special.go, memo_gen_not-windows.go,
// memo_gen_cgo.go. memogen finds them whatever platform and tags it runs
// with, by loading the package again for the constraints its first load
// leaves out, and removes those it generated that no directive needs any
// more. The flags are:
//
//	-check         change nothing; exit 1 naming each generated file that
//	               is missing, out of date or left over (for CI), and for
//	               a file out of date the functions whose fingerprint
//	               changed: an edit of their code, or of code or types
//	               they reach, that regenerating turns into new cache keys;
//	               and the command that regenerates them, such as
//	               go tool memogen ./...
//	-version       print the version of memogen and exit
//	-output file   the generated file's name in each package, ending in
//	               .go (default memo_gen.go); the file generated under
//	               another name before is removed
//	-tags list     comma-separated build tags to load packages with first;
//	               not needed for directives under build constraints
//
// Mistakes in directives are reported as file:line:col: memo: message, all
// of them in one run, with a "did you mean" for a typo, and memogen exits
// with status 1; a usage mistake exits with status 2. A mistake in a
// parameter points at the parameter; file names are relative to the
// working directory, as go vet prints them. A comment that looks like a
// mistyped directive (// memo:cache, //memo: cache, //memocache,
// //Memo:cache) is a mistake too, not silently ignored. Warnings print as
// file:line:col: memo: warning: message; they point out a directive that
// is valid but probably not meant, such as an ignore= that leaves no
// argument in the key, and do not stop generation or change the exit
// status.
//
// Install memogen as a module tool (Go 1.26+), and after the first go
// generate tidy the module, so that go.mod and go.sum hold what the
// generated code imports:
//
//	go get -tool github.com/memogen/memogen/cmd/memogen
//	go generate ./...
//	go mod tidy
//
// or run it without installing:
//
//	//go:generate go run github.com/memogen/memogen/cmd/memogen@latest ./...
//
// The generator links no backend: inspecting and clearing caches is the
// work of memocache (see The cache command).
//
// # Directives
//
// A //memo:cache line goes in the doc comment of a top-level function or a
// method, in a non-test file: a package is generated without its tests, so
// a directive in a _test.go file is reported as a mistake. It takes
// space-separated name=value options; a value with spaces is a Go quoted
// string (version="v 2"):
//
//	ttl=<duration>   entry lifetime (time.ParseDuration); absent or 0: no expiry
//	ignore=a,b       parameters left out of the key (context.Context always is)
//	dynamic=a,b      interface parameters (any, fmt.Stringer, ...any) keyed at
//	                 run time by their dynamic type and value
//	nocache=<param>  a bool parameter; when true, skip the read, recompute, store
//	backend=<name>   a backend bound at run time; default "default" (in memory)
//	size=<n>         at most n entries for this function in a memory store;
//	                 default: no bound of its own (see Bounds)
//	version=<s>      a manual cache version; changing it orphans old entries
//	receiver=ignore|fields   for methods without a MemoKey method
//	name=<Ident>     the wrapper's name; default <Func>Cached
//	codec=<spec>     the codec for byte-level backends, e.g. json, msgpack+zstd
//	verify=false     store results in byte-level backends without first
//	                 checking that they read back equal (default true)
//	summary=true|false  keep, or never keep, a readable summary of the
//	                 keyed arguments in byte-level entries (default: only
//	                 in backends private to this machine)
//	lock=true|false  one process computes a missing key of a shared file or
//	                 Redis backend while the others wait (default: on there)
//	tags=a,b         tags by which memo.InvalidateTags drops the results
//	stale=<duration> after ttl, serve the expired result at once for that
//	                 long while one background refresh per key runs
//	stale_if_error=<duration>  after ttl, serve the expired result for that
//	                 long instead of the function's error (the function
//	                 must return one)
//	early=<beta>     recompute before expiry with a probability that grows
//	                 as expiry nears (XFetch; 1 is the usual beta)
//	errttl=<duration>  cache the function's errors for that long; for
//	                 //memo:batch, how long IDs the function does not
//	                 return stay cached as missing
//	errttl_if=<func> only the errors this func(error) bool of the package
//	                 accepts (with errttl=)
//	ttl_refresh=true a hit extends the result's life by ttl
//
// The nocache parameter is left out of the key. receiver=ignore leaves a
// method's receiver out of the key; receiver=fields keys it by its value (a
// struct's fields); without either, the receiver type needs a
// MemoKey(*memo.KeyWriter) method. name= may not be init, a predeclared
// identifier, a name a file of the package imports, or main in package
// main. The codecs are msgpack (the default), json, gob and raw (one
// result of string or []byte kind, such as type ID string), optionally
// followed by compressors, +gzip or +zstd. codec= is checked when
// generating: an unknown codec, a compressor alone (codec=gzip) or raw for
// other results is a mistake. A codec or compressor the program registers
// itself (store.RegisterCodec, store.RegisterCompressor) is declared to
// memogen by a line in any comment of a non-test file of the package:
//
//	//memo:codec protobuf
//	//memo:compressor brotli
//
// after which codec=protobuf+brotli is accepted; memo.CheckBackends reports
// at startup every codec and compressor that a function bound to a
// byte-level backend uses and that is not registered.
//
// Keyed arguments are encoded with typed, length-prefixed encodings: every
// basic type, strings, byte slices, arrays, slices, maps, pointers,
// structs, named types, time.Time, and any type with a
// MemoKey(*memo.KeyWriter) or MarshalBinary method, or else, with its type
// identity written first, an AppendBinary, GobEncode, AppendText or
// MarshalText method, in that order of preference (math/big's Int, Float
// and Rat key by GobEncode, which keeps a Float's precision). Such a
// method must capture everything that affects the result. A struct keyed
// through one of these methods also writes every exported field that can
// be keyed, since a marshaler may print two values alike (url.URL's
// MarshalBinary prints Path "p" and "/p" alike when Host is set): its key
// is the method's output plus those fields, and only what its exported
// fields cannot key (url.URL's User) rests on the method. For another
// package's type that has none of these, declare a key function in the
// package; it keys every value of exactly that type in the package's
// directives, and its code is part of their fingerprints:
//
//	//memo:key
//	func keyRegexp(w *memo.KeyWriter, re *regexp.Regexp) { w.Text(re.String()) }
//
// A func, a channel or another package's struct with unexported fields
// cannot be keyed, nor an interface unless dynamic= names it: memogen says
// so and says how to key it. It suggests leaving an argument out of the
// key only with what that costs (calls then share one result), and for a
// reader (io.Reader, io.ReaderAt) never: read it into a []byte and memoize
// a function of the bytes instead.
//
// dynamic= names parameters whose type is an interface, or holds one
// ([]any, map[string]any, a variadic ...any): their values are keyed when
// the function is called, by their dynamic type and value, as values of
// type parameters are (a type switch, then reflection), so that int(5) and
// int64(5) never share an entry. A value that cannot be keyed (a func, a
// channel, another package's struct with unexported fields, a cycle) makes
// that call run uncached, counted as a failure and reported to the hook.
// It is an opt-in because it keys by reflection and trusts every dynamic
// type to be keyed by its value. An error parameter is refused unless
// named in dynamic=, and rarely belongs there: the values errors.New and
// fmt.Errorf return are pointers to structs with unexported fields, which
// cannot be keyed, so such calls always run uncached; and an error's
// identity (errors.Is compares with ==), not its value, is usually what a
// function tests. Name an error in dynamic= only when its dynamic types
// are your own types with exported fields (a StatusError{Code int}).
// dynamic= may not name a parameter in ignore= or nocache=, a
// context.Context, or one memogen keys without it. Each key also
// covers a fingerprint of the function's directive and code, and of the
// code, constants and types of your module it can reach (the README's
// "Invalidation by code" says exactly what), so that editing any of them
// orphans its old entries. A function that reaches a package with files
// for other platforms or tag sets gets a fingerprint that depends on the
// platform generating it: run go generate and memogen -check on one.
//
// # Batch functions
//
// A //memo:batch line memoizes a batch function, one that takes a slice of
// IDs, its last parameter (ids []K or ids ...K), and returns a result for
// each, in one of two forms:
//
//	//memo:batch ttl=10m errttl=1m
//	func Users(ctx context.Context, ids []int64) (map[int64]User, error)
//
//	//memo:batch
//	func Labels(ctx context.Context, locale string, keys []string) ([]string, error)
//
// UsersCached has the same signature. It caches each ID under its own key,
// the key of a memoized func(ctx, id int64) (User, error), so entries are
// listed, forgotten and expire one ID at a time; a call looks up each
// distinct ID, calls Users once with those it did not find, stores each
// result and merges. Concurrent calls share the IDs in flight: a call
// waits for the IDs another call is fetching and fetches only the rest.
// In the map form, an ID the function does not return is absent from the
// result; with errttl= it is cached as missing for that long (a marker
// under the function's name with #missing appended) and not asked for
// again while that lasts. In the slice form, result i answers ids[i], in
// the function's result and in the wrapper's (duplicates included): the
// function must return one result per ID it is given, or the call fails
// with memo.ErrBatchLength; errttl= does not apply. Parameters other than
// the context and the IDs are keyed into every ID's key (ignore=,
// dynamic= and nocache= apply as for //memo:cache), and so is a method's
// receiver; ttl=, backend=, codec=, size=, version=, name= and verify=
// mean what they mean for //memo:cache. The function must return an
// error, which is returned for the whole call, nothing of that call being
// cached; it may not be generic, and the IDs must be comparable. The
// handle's Forget and Contains take one ID in the place of the IDs:
// UsersMemo().Forget(ctx, 42).
//
// # Bounds
//
// How many entries a function keeps in a memory store is bounded twice:
// by size=, the function's own bound (none by default), and by the
// store's, on the entries of all functions together: max_entries, 100000
// for the default backend and any mem:// URL without it, and max_bytes,
// none by default. When either is reached the store evicts by S3-FIFO: an
// entry used only once since it was stored goes first, an entry used
// again is kept longer, and a key evicted and soon stored again comes back
// as a used one; so a function keeps at most the smaller of size= and
// max_entries (less when other functions or max_bytes take room). A size=
// above max_entries can never be reached: the first call that uses the
// function's cache reports it, once, to the hook (memo.ErrUnreachableBound,
// with both numbers) and to the logger as a warning; raise the store's
// bound, as in MEMO_BACKEND_DEFAULT=mem://?max_entries=2000000, or set
// max_entries=0 for none. size= does not apply to byte-level backends
// (file, redis, s3, tiered, writebehind), whose own bounds are their URL
// parameters: file's max_entries and max_bytes (no bound by default),
// tiered's front (mem://, so 100000 entries of copies by default), and
// none for redis and s3, which keep entries until they expire or the
// server evicts them.
//
// # The generated API
//
// For func FetchUser(...) (*User, error) memogen generates:
//
//	FetchUserCached(...) (*User, error)   the wrapper, with the same signature:
//	                                      type parameters, variadics, named
//	                                      results and all
//	FetchUserMemo() FetchUserMemoHandle   the cache's handle
//	FetchUserMemo().Forget(...) error     forget the result for one argument set
//	FetchUserMemo().Contains(...) bool    whether a live result is cached
//	FetchUserMemo().Clear(ctx) error      remove every entry of the function
//	FetchUserMemo().Stats() memo.Stats    hits, misses, shared waits, errors,
//	                                      cache failures, corrupt entries,
//	                                      oversize results, evictions
//
// Forget and Contains take the wrapper's arguments. For a method (s *Store)
// Load the wrapper is the method s.LoadCached and the handle s.LoadMemo().
// A generic function's handle is generic too, MapMemo[int](), and each
// instantiation has a cache, counters and size= bound of its own; listings
// name it Map[int], or by a hash of its type arguments when they are not
// built of predeclared types. With name=GetUser the names are GetUser and
// GetUserMemo; an unexported function gets unexported names.
//
// A non-nil error from a function whose last result is an error is returned
// and not cached. Concurrent calls with the same arguments run the function
// once and share its result, error or panic. A wrapper fails open: a dead
// or slow backend, a corrupt entry or an argument that cannot be keyed at
// run time makes it run the function uncached, and the problem is counted
// and reported to the hook that memo.Configure installs and to those that
// memo.AddHook adds, which compose: a library and the application can each
// have one (see go doc github.com/memogen/memogen/runtime).
//
// # Backends
//
// A directive's backend= names a backend, bound at run time by memo.Register
// in code, or by the variable MEMO_BACKEND_<NAME> (see Environment) the
// first time it is needed. The backend named default is an in-memory store
// unless rebound; it keeps results as they are, shared with every caller,
// so treat them as read-only. Generated code imports the memory backend; a
// program imports the other backend packages it binds by URL:
//
//	import _ "github.com/memogen/memogen/backends/redis"
//
// A backend URL's parameters follow one rule in every backend: each is named
// after the Options field it sets, sizes are written 1048576 or 64MiB (B, KB,
// MB, GB, TB, KiB, MiB, GiB, TiB), durations 30s or 1m30s, and an unknown,
// repeated or malformed parameter is an error that names the backend and
// the parameter. Each backend package's ParseURL returns the Options a URL
// describes. The schemes:
//
//	mem://?max_entries=N&max_bytes=N
//	  max_entries  entries of all functions (default 100000; 0: no bound)
//	  max_bytes    estimated bytes of all entries: keys, 144 bytes of
//	               overhead each, and what each result keeps alive (its
//	               strings, slices, maps, pointees); default and 0: no bound
//
//	file:///absolute/path?max_entries=N&max_bytes=N&trust_dir=1
//	file:relative/path?params     relative to the working directory when
//	                              the backend is opened (file:./cache too)
//	  max_entries  entries (default and 0: no bound)
//	  max_bytes    total size of the entry files (default and 0: no bound)
//	  trust_dir    1 accepts a directory that another user owns or that
//	               group or others may write to (default: refused)
//
// The file backend keeps one readable file per entry under the directory,
// written atomically and shared by every process of one user; a bounded
// store evicts the least recently used entries first, and every process
// sharing the directory keeps its bounds, exceeded by at most a tenth.
//
//	redis://[user:pass@]host[:port][/db][?params]
//	rediss://...                                    the same over TLS
//	redis://host1:port1,host2:port2[/0][?params]    Redis Cluster
//	redis://sentinel1:port1[,...][/db]?master_name=name[&params]
//	                                                Sentinel
//	  prefix        starts every key (default memo)
//	  scan_count    keys SCAN examines per round trip (default 1000)
//	  master_name   the primary that Sentinels name; selects Sentinel
//	  addr          host:port of one more cluster seed or Sentinel; may repeat
//	  username      with master_name, the primary's user (the URL's are the
//	                Sentinels')
//	  password      with master_name, the primary's password
//	  skip_verify   with rediss://, true skips verifying the certificate
//
// The other redis parameters set the go-redis client option of the same
// name: client_name, protocol (2 or 3), max_retries (-1 for none),
// min_retry_backoff, max_retry_backoff, dial_timeout, dialer_retries,
// dialer_retry_timeout, read_timeout, write_timeout, pool_fifo, pool_size,
// pool_timeout, min_idle_conns, max_idle_conns, max_active_conns,
// max_concurrent_dials, pipeline_pool_size (-1 for none),
// pipeline_read_buffer_size, pipeline_write_buffer_size (sizes),
// conn_max_idle_time, conn_max_lifetime and conn_max_lifetime_jitter; with
// Redis Cluster or Sentinel also read_only (read from replicas),
// route_by_latency, route_by_latency_tolerance and route_randomly; with
// Redis Cluster also max_redirects and failing_timeout_seconds. A duration
// of 0 turns a time limit off. Redis expires entries itself.
//
//	s3://bucket/prefix?params
//	  region        the bucket's region (default: AWS_REGION or the shared
//	                config)
//	  endpoint      an S3-compatible service's base URL, such as
//	                http://127.0.0.1:9000 (default: AWS or AWS_ENDPOINT_URL_S3)
//	  path_style    true to address the bucket as endpoint/bucket
//	  max_attempts  attempts per request, 1 to 1024 (default: the SDK's)
//	  page_size     keys per listing page and batch delete, 1 to 1000
//	                (default 1000)
//	  ec2_metadata  true to let the AWS SDK ask the EC2 instance-metadata
//	                service for credentials (default false: never asked)
//
// The s3 backend takes its credentials from the AWS SDK's default chain
// (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, shared config and
// credentials files, SSO, instance roles) and keeps each entry's expiry in
// its object's metadata.
//
//	tiered://?front=<url>&back=<url>&front_ttl=<duration>
//	  back          the URL of the shared backend, query-escaped; required
//	  front         the URL of the local backend, query-escaped (default
//	                mem://)
//	  front_ttl     how long a copy may be served from the front (default 1m)
//
//	writebehind://?back=<url>&queue_size=N&workers=N&write_timeout=<duration>
//	  back          the URL of the backend written to, query-escaped; required
//	  queue_size    keys with changes not yet written (default 1024)
//	  workers       goroutines writing to the back (default 1)
//	  write_timeout bound of each write to the back (default 30s)
//
// A tiered store serves a local copy for up to front_ttl, so a change made
// by another process may go unseen that long. A write-behind store returns
// from a write at once and writes in the background; changes still queued
// when the process exits are lost unless it calls memo.Close, Flush or
// Close.
//
// # Environment
//
//	MEMO_BACKEND_<NAME>=<url>
//	    binds the backend that directives name <name>: NAME is the name in
//	    upper case, MEMO_BACKEND_DEFAULT for the default backend. It is
//	    read when the backend is first used; memo.Register in code takes
//	    precedence. A URL that cannot be opened leaves the functions that
//	    use the backend uncached, and the error is reported once to the
//	    hook and the logger; memo.CheckBackends reports it at startup.
//	MEMO_DISABLE=1
//	    makes every wrapper a plain call, as memo.Config.Disabled does; it
//	    is read once, when the program starts.
//	MEMO_NOVERIFY=1
//	    stores results in byte-level backends without decoding them first
//	    to check that they read back equal, for every function, as
//	    memo.Config.NoVerify does; it is read once, when the program starts.
//	MEMO_SIGN_KEY, MEMO_SIGN_KEY_PREV
//	    process-wide keys (32 bytes, in hex or base64) with which entries
//	    of byte-level backends bound from MEMO_BACKEND_<NAME> are signed
//	    (HMAC-SHA-256) and, for the previous key, still read, when the
//	    URL names no key of its own (sign=VAR, sign_prev=VAR).
//	MEMO_ENCRYPT_KEY, MEMO_ENCRYPT_KEY_PREV
//	    the same for encryption at rest (AES-256-GCM; encrypt=VAR,
//	    encrypt_prev=VAR in a URL).
//
// The s3 backend also reads the AWS SDK's variables, such as AWS_REGION,
// AWS_ENDPOINT_URL_S3, AWS_MAX_ATTEMPTS and AWS_PROFILE.
//
// # The cache command
//
// memocache, a command of its own, lists, prunes and clears the entries of
// a cache in any backend, by the URLs above:
//
//	go run github.com/memogen/memogen/cmd/memocache@latest ls file:///var/cache/myapp
//
// It links every backend, so the AWS SDK and go-redis, which the generator
// leaves out of your module; go doc github.com/memogen/memogen/cmd/memocache
// is its manual.
package main
