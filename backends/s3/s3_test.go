package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// These tests talk to the real S3-compatible server that
// scripts/testservers.sh starts; each works under a prefix of its own, so
// that they run in parallel and never see each other's objects.

var (
	funcF       = store.FuncID{Package: "example.com/p", Name: "F"}
	funcF2      = store.FuncID{Package: "example.com/p", Name: "F2"}
	funcMethod  = store.FuncID{Package: "example.com/p", Name: "T.Method"}
	funcNestedG = store.FuncID{Package: "example.com/p/F", Name: "G"} // its folder is inside F's
)

// serverOptions returns the options of MEMO_S3_URL with a fresh prefix.
func serverOptions(t *testing.T) Options {
	t.Helper()
	opts, err := ParseURL(testservers.S3Server(t).String())
	if err != nil {
		t.Fatalf("MEMO_S3_URL: %v", err)
	}
	opts.Prefix = strings.TrimPrefix(strings.Trim(opts.Prefix, "/")+"/"+uniqueName(t), "/")
	return opts
}

// uniqueName returns a path element for t that no other run uses.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("%s-%08x", strings.ReplaceAll(t.Name(), "/", "."), rand.Uint32())
}

func newStore(t *testing.T, opts Options) *Store {
	t.Helper()
	s, err := New(context.Background(), opts)
	if err != nil {
		t.Fatalf("New(%+v) = %v", opts, err)
	}
	return s
}

func key(fn store.FuncID, n int) store.Key {
	return store.Key{Func: fn, Digest: fmt.Sprintf("%032x", n), Codec: "msgpack"}
}

func set(t *testing.T, s *Store, k store.Key, value string, expires time.Time) {
	t.Helper()
	if err := s.Set(context.Background(), k, []byte(value), expires); err != nil {
		t.Fatalf("Set(%v) = %v", k, err)
	}
}

func wantValue(t *testing.T, s *Store, k store.Key, want string) {
	t.Helper()
	got, err := s.Get(context.Background(), k)
	if err != nil || string(got) != want {
		t.Fatalf("Get(%v) = %q, %v; want %q, nil", k, got, err, want)
	}
}

func wantMissing(t *testing.T, s *Store, k store.Key) {
	t.Helper()
	got, err := s.Get(context.Background(), k)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%v) = %q, %v; want store.ErrNotFound", k, got, err)
	}
}

// objectKeys lists the bucket under prefix directly, bypassing the Store.
func objectKeys(t *testing.T, s *Store, prefix string) []string {
	t.Helper()
	var keys []string
	in := &awss3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: &prefix}
	for p := awss3.NewListObjectsV2Paginator(s.client, in); p.HasMorePages(); {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListObjectsV2(%q) = %v", prefix, err)
		}
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// putRaw writes an object directly, bypassing the Store.
func putRaw(t *testing.T, s *Store, name, body string, meta map[string]string) {
	t.Helper()
	_, err := s.client.PutObject(context.Background(), &awss3.PutObjectInput{
		Bucket: &s.bucket, Key: &name, Body: strings.NewReader(body), Metadata: meta,
	})
	if err != nil {
		t.Fatalf("PutObject(%q) = %v", name, err)
	}
}

func listAll(t *testing.T, s *Store, fn store.FuncID) []store.StoredEntry {
	t.Helper()
	var got []store.StoredEntry
	err := s.List(context.Background(), fn, func(e store.StoredEntry) bool {
		got = append(got, e)
		return true
	})
	if err != nil {
		t.Fatalf("List(%v) = %v", fn, err)
	}
	return got
}

func digests(entries []store.StoredEntry) []string {
	var ds []string
	for _, e := range entries {
		ds = append(ds, e.Key.Digest)
	}
	return ds
}

func TestConformance(t *testing.T) {
	t.Parallel()
	backendtest.Run(t, func(t *testing.T) store.Backend { return newStore(t, serverOptions(t)) })
}

func TestGetSetDelete(t *testing.T) {
	t.Parallel()
	s := newStore(t, serverOptions(t))
	wantMissing(t, s, key(funcF, 1))
	set(t, s, key(funcF, 1), "one", time.Time{})
	wantValue(t, s, key(funcF, 1), "one")
	set(t, s, key(funcF, 1), "uno", time.Time{})
	wantValue(t, s, key(funcF, 1), "uno")
	wantMissing(t, s, key(funcF2, 1))
	for range 2 {
		if err := s.Delete(context.Background(), key(funcF, 1)); err != nil {
			t.Fatalf("Delete(%v) = %v; want nil, present or not", key(funcF, 1), err)
		}
	}
	wantMissing(t, s, key(funcF, 1))
	set(t, s, key(funcF, 2), "", time.Time{})
	wantValue(t, s, key(funcF, 2), "")
}

func TestKeyLayout(t *testing.T) {
	t.Parallel()
	base := serverOptions(t)
	// Without a prefix, the package path makes the keys unique to this run.
	pkg := "example.com/" + uniqueName(t) + "/p"
	for _, tt := range []struct {
		prefix, wantRoot string
	}{
		{base.Prefix + "/plain", base.Prefix + "/plain/"},
		{"/" + base.Prefix + "/slashes/", base.Prefix + "/slashes/"},
		{"", ""},
	} {
		opts := base
		opts.Prefix = tt.prefix
		s := newStore(t, opts)
		k1 := store.Key{Func: store.FuncID{Package: pkg, Name: "F"}, Digest: "0123456789abcdef0123456789abcdef", Codec: "msgpack+zstd"}
		k2 := store.Key{Func: store.FuncID{Package: pkg, Name: "T.Method"}, Digest: "fedcba9876543210fedcba9876543210", Codec: "json"}
		expires := time.Date(2100, 1, 2, 3, 4, 5, 6, time.UTC)
		set(t, s, k1, "v1", expires)
		set(t, s, k2, "v2", time.Time{})
		t.Cleanup(func() {
			s.Delete(context.Background(), k1)
			s.Delete(context.Background(), k2)
		})

		want := []string{
			tt.wantRoot + pkg + "/F/0123456789abcdef0123456789abcdef",
			tt.wantRoot + pkg + "/T.Method/fedcba9876543210fedcba9876543210",
		}
		if got := objectKeys(t, s, tt.wantRoot+pkg+"/"); !slices.Equal(got, want) {
			t.Errorf("prefix %q: objects %q; want %q", tt.prefix, got, want)
		}
		out, err := s.client.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: &s.bucket, Key: &want[0]})
		if err != nil {
			t.Fatalf("GetObject(%q) = %v", want[0], err)
		}
		body := new(bytes.Buffer)
		body.ReadFrom(out.Body)
		out.Body.Close()
		if body.String() != "v1" {
			t.Errorf("body of %q = %q; want the bytes given to Set, %q", want[0], body, "v1")
		}
		wantMeta := map[string]string{"memo-expires": "2100-01-02T03:04:05.000000006Z", "memo-codec": "msgpack+zstd"}
		for name, v := range wantMeta {
			if got := out.Metadata[name]; got != v {
				t.Errorf("metadata %s of %q = %q; want %q", name, want[0], got, v)
			}
		}
		head, err := s.client.HeadObject(context.Background(), &awss3.HeadObjectInput{Bucket: &s.bucket, Key: &want[1]})
		if err != nil {
			t.Fatalf("HeadObject(%q) = %v", want[1], err)
		}
		if v, ok := head.Metadata["memo-expires"]; ok {
			t.Errorf("metadata memo-expires of a never-expiring entry = %q; want none", v)
		}
	}
}

func TestExpiryEnforcedOnRead(t *testing.T) {
	t.Parallel()
	s := newStore(t, serverOptions(t))
	ctx := context.Background()

	// The Store reads expiry from metadata: the body need not be an entry.
	set(t, s, key(funcF, 1), "stale", time.Now().Add(-time.Minute))
	wantMissing(t, s, key(funcF, 1))
	if n := len(objectKeys(t, s, s.root)); n != 1 {
		t.Errorf("after reading an expired entry, %d objects; want it left for a prune", n)
	}

	set(t, s, key(funcF, 2), "fresh", time.Now().Add(time.Hour))
	wantValue(t, s, key(funcF, 2), "fresh")

	// The Store talks to a real server, whose network I/O a synctest
	// bubble cannot wait for: this wait is on the real clock.
	soon := time.Now().Add(300 * time.Millisecond)
	set(t, s, key(funcF, 3), "brief", soon)
	time.Sleep(time.Until(soon))
	wantMissing(t, s, key(funcF, 3))

	// An expiry that does not parse is no expiry: the runtime still checks
	// the one inside the entry.
	name, _ := s.objectKey(key(funcF, 4))
	putRaw(t, s, name, "odd", map[string]string{"memo-expires": "tomorrow"})
	wantValue(t, s, key(funcF, 4), "odd")
	if _, err := s.Get(ctx, store.Key{Func: funcF, Digest: "not-hex"}); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get with a malformed digest = %v; want an error other than store.ErrNotFound", err)
	}
}

func TestClearOneFunction(t *testing.T) {
	t.Parallel()
	s := newStore(t, serverOptions(t))
	others := []store.FuncID{funcF2, funcMethod, funcNestedG}
	for i := range 3 {
		set(t, s, key(funcF, i), "f", time.Time{})
		for _, fn := range others {
			set(t, s, key(fn, i), fn.Name, time.Time{})
		}
	}
	if err := s.Clear(context.Background(), funcF); err != nil {
		t.Fatalf("Clear(%v) = %v", funcF, err)
	}
	for i := range 3 {
		wantMissing(t, s, key(funcF, i))
		for _, fn := range others {
			wantValue(t, s, key(fn, i), fn.Name)
		}
	}
	if err := s.Clear(context.Background(), funcF); err != nil {
		t.Errorf("Clear(%v) of nothing = %v; want nil", funcF, err)
	}
	if err := s.Clear(context.Background(), store.FuncID{}); err == nil {
		t.Errorf("Clear(zero FuncID) = nil; want an error, not a cleared prefix")
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	opts := serverOptions(t)
	opts.PageSize = 7
	s := newStore(t, opts)
	past, future := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)
	var want []string
	for i := range 20 {
		expires := future
		if i%2 == 0 {
			expires = past
		}
		set(t, s, key(funcF, i), "xx", expires)
		want = append(want, key(funcF, i).Digest)
	}
	for i := range 3 {
		set(t, s, key(funcF2, i), "kept", time.Time{})
	}

	if got := digests(listAll(t, s, funcF)); !slices.Equal(got, want) {
		t.Errorf("List(%v) over pages of 7 = %q; want %q", funcF, got, want)
	}
	stats, err := s.Prune(context.Background())
	if err != nil {
		t.Fatalf("Prune = %v", err)
	}
	if want := (store.PruneStats{Entries: 10, Bytes: 20}); stats != want {
		t.Errorf("Prune over pages of 7 = %+v; want %+v", stats, want)
	}
	if err := s.Clear(context.Background(), funcF); err != nil {
		t.Fatalf("Clear(%v) = %v", funcF, err)
	}
	if got := objectKeys(t, s, s.root); len(got) != 3 {
		t.Errorf("after Clear(%v) over pages of 7, objects %q; want only the 3 of %v", funcF, got, funcF2)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	s := newStore(t, serverOptions(t))
	expires := time.Now().Add(time.Hour).Round(0)
	set(t, s, key(funcF, 1), "abc", expires)
	set(t, s, key(funcF, 2), "de", time.Time{})
	set(t, s, key(funcMethod, 1), "f", time.Time{})
	set(t, s, key(funcNestedG, 1), "g", time.Time{})
	putRaw(t, s, s.root+"README", "not an entry", nil)
	putRaw(t, s, s.root+"example.com/p/F/notes/0123", "not an entry", nil)

	all := listAll(t, s, store.FuncID{})
	if len(all) != 4 {
		t.Fatalf("List(all) = %d entries %+v; want the 4 stored, and no other objects", len(all), all)
	}
	got := listAll(t, s, funcF)
	if len(got) != 2 {
		t.Fatalf("List(%v) = %+v; want its 2 entries and not those of %v", funcF, got, funcNestedG)
	}
	e := got[0]
	if e.Key != key(funcF, 1) || e.Size != 3 || !e.Expires.Equal(expires) || e.Created.IsZero() {
		t.Errorf("List(%v)[0] = %+v; want key %v, size 3, expires %v, a creation time", funcF, e, key(funcF, 1), expires)
	}
	if !got[1].Expires.IsZero() {
		t.Errorf("List(%v)[1].Expires = %v; want zero for never", funcF, got[1].Expires)
	}
	if got := listAll(t, s, funcNestedG); len(got) != 1 || got[0].Key != key(funcNestedG, 1) {
		t.Errorf("List(%v) = %+v; want its one entry", funcNestedG, got)
	}

	calls := 0
	err := s.List(context.Background(), store.FuncID{}, func(store.StoredEntry) bool {
		calls++
		return false
	})
	if err != nil || calls != 1 {
		t.Errorf("List with a yield that stops: %d calls, %v; want 1 call, nil", calls, err)
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	s := newStore(t, serverOptions(t))
	past := time.Now().Add(-time.Minute)
	set(t, s, key(funcF, 1), "expired", past)
	set(t, s, key(funcMethod, 1), "gone", past)
	set(t, s, key(funcF, 2), "live", time.Now().Add(time.Hour))
	set(t, s, key(funcF, 3), "never", time.Time{})
	odd, _ := s.objectKey(key(funcF, 4))
	putRaw(t, s, odd, "unreadable expiry", map[string]string{"memo-expires": "yesterday"})
	putRaw(t, s, s.root+"README", "not an entry", map[string]string{"memo-expires": past.Format(time.RFC3339Nano)})

	stats, err := s.Prune(context.Background())
	if err != nil {
		t.Fatalf("Prune = %v", err)
	}
	if want := (store.PruneStats{Entries: 2, Bytes: int64(len("expired") + len("gone"))}); stats != want {
		t.Errorf("Prune = %+v; want %+v", stats, want)
	}
	for _, k := range []store.Key{key(funcF, 1), key(funcMethod, 1)} {
		name, _ := s.objectKey(k)
		if got := objectKeys(t, s, name); len(got) != 0 {
			t.Errorf("after Prune, expired %q still stored", name)
		}
	}
	wantValue(t, s, key(funcF, 2), "live")
	wantValue(t, s, key(funcF, 3), "never")
	wantValue(t, s, key(funcF, 4), "unreadable expiry")
	if got := objectKeys(t, s, s.root+"README"); len(got) != 1 {
		t.Errorf("Prune deleted %sREADME, which is not an entry", s.root)
	}
	if stats, err := s.Prune(context.Background()); err != nil || stats != (store.PruneStats{}) {
		t.Errorf("second Prune = %+v, %v; want nothing removed", stats, err)
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		url  string
		want Options
	}{
		{"s3://bucket", Options{Bucket: "bucket"}},
		{"s3://bucket/", Options{Bucket: "bucket", Prefix: "/"}},
		{"s3://bucket/a/b", Options{Bucket: "bucket", Prefix: "/a/b"}},
		{"s3://b?region=eu-west-1", Options{Bucket: "b", Region: "eu-west-1"}},
		{
			"s3://b/p?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true&max_attempts=1&page_size=7",
			Options{Bucket: "b", Prefix: "/p", Endpoint: "http://127.0.0.1:9000", Region: "us-east-1", PathStyle: true, MaxAttempts: 1, PageSize: 7},
		},
		{"s3://b?path_style=false&max_attempts=1024&page_size=1000", Options{Bucket: "b", MaxAttempts: 1024, PageSize: 1000}},
		{"s3://b?ec2_metadata=true", Options{Bucket: "b", EC2Metadata: true}},
	} {
		if got, err := ParseURL(tt.url); err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v, nil", tt.url, got, err, tt.want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ url, want string }{
		{"mem://b", `s3: URL scheme "mem", want s3`},
		{"s3:bucket", `s3: URL "s3:bucket": want s3://bucket/prefix?params`},
		{"s3:///prefix", `s3: URL "s3:///prefix": want s3://bucket/prefix?params`},
		{"s3://user:secret@b", `s3: URL "s3://user:xxxxx@b": want s3://bucket/prefix?params`},
		{"s3://b:9000", `s3: URL "s3://b:9000": want s3://bucket/prefix?params`},
		{"s3://b#frag", `s3: URL fragment "#frag": a backend URL has none; escape a # in a value as %23`},
		{"s3://b?regoin=eu-west-1", `s3: unknown URL parameter "regoin"; did you mean "region"?`},
		{"s3://b?bucket=b", `s3: unknown URL parameter "bucket" (want ec2_metadata, endpoint, max_attempts, page_size, path_style or region)`},
		{"s3://b?region=a&region=b", `s3: URL parameter region is given 2 times; give it once`},
		{"s3://b?region=", `s3: invalid URL parameter region="": want a non-empty value`},
		{"s3://b?path_style=yes", `s3: invalid URL parameter path_style="yes": want true or false`},
		{"s3://b?max_attempts=0", `s3: invalid URL parameter max_attempts="0": want an integer from 1 to 1024`},
		{"s3://b?page_size=1001", `s3: invalid URL parameter page_size="1001": want an integer from 1 to 1000`},
		{"s3://b?page_size=-1", `s3: invalid URL parameter page_size="-1": want an integer from 1 to 1000`},
		{"s3://b?ec2_metadata=maybe", `s3: invalid URL parameter ec2_metadata="maybe": want true or false`},
	} {
		got, err := ParseURL(tt.url)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want the error\n%s", tt.url, got, err, tt.want)
		}
		if _, err := memo.Open(tt.url); strings.HasPrefix(tt.url, "s3:") && (err == nil || err.Error() != tt.want) {
			t.Errorf("memo.Open(%q) = %v; want the error\n%s", tt.url, err, tt.want)
		}
	}
}

func TestNewRejects(t *testing.T) {
	t.Parallel()
	client := awss3.New(awss3.Options{Region: "us-east-1"})
	for _, opts := range []Options{
		{Region: "us-east-1"},
		{Bucket: "a/b", Region: "us-east-1"},
		{Bucket: "b", Region: "us-east-1", Prefix: "a//b"},
		{Bucket: "b", Region: "us-east-1", Prefix: "a/../b"},
		{Bucket: "b", Region: "us-east-1", PageSize: MaxPageSize + 1},
		{Bucket: "b", Region: "us-east-1", MaxAttempts: -1},
		{Bucket: "b", Region: "us-east-1", Endpoint: "127.0.0.1:9000"},
		{Bucket: "b", Client: client, Region: "us-east-1"},
		{Bucket: "b", Client: client, PathStyle: true},
		{Bucket: "b", Client: client, EC2Metadata: true},
	} {
		if _, err := New(context.Background(), opts); err == nil {
			t.Errorf("New(%+v) = nil error; want one", opts)
		}
	}
}

// TestNewNeedsRegion changes the environment, so it does not run in
// parallel.
func TestNewNeedsRegion(t *testing.T) {
	none := t.TempDir() + "/none"
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"} {
		t.Setenv(name, "")
	}
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	_, err := New(context.Background(), Options{Bucket: "b"})
	if err == nil || !strings.Contains(err.Error(), "region") {
		t.Fatalf("New without a region = %v; want an error that asks for one", err)
	}
	if _, err := New(context.Background(), Options{Bucket: "b", Region: "eu-west-1"}); err != nil {
		t.Fatalf("New with Options.Region = %v; want nil", err)
	}
}

func TestInvalidKeys(t *testing.T) {
	t.Parallel()
	// Keys are checked before any request, so no server is needed.
	s := newStore(t, Options{Bucket: "b", Region: "us-east-1", Endpoint: "http://127.0.0.1:1"})
	ctx := context.Background()
	for _, k := range []store.Key{
		{Func: funcF, Digest: "0123"},
		{Func: funcF, Digest: "0123456789ABCDEF0123456789ABCDEF"},
		{Func: store.FuncID{Package: "example.com/p", Name: "a/b"}, Digest: key(funcF, 1).Digest},
		{Func: store.FuncID{Package: "../p", Name: "F"}, Digest: key(funcF, 1).Digest},
		{Func: store.FuncID{Name: "F"}, Digest: key(funcF, 1).Digest},
	} {
		if _, err := s.Get(ctx, k); err == nil || errors.Is(err, store.ErrNotFound) || !strings.HasPrefix(err.Error(), "s3: ") {
			t.Errorf("Get(%+v) = %v; want an s3: error", k, err)
		}
		if err := s.Set(ctx, k, nil, time.Time{}); err == nil {
			t.Errorf("Set(%+v) = nil; want an error", k)
		}
	}
}

func TestParseObjectKey(t *testing.T) {
	t.Parallel()
	for _, root := range []string{"", "memo/"} {
		s := &Store{root: root}
		for _, k := range []store.Key{key(funcF, 1), key(funcMethod, 2), key(funcNestedG, 3)} {
			name, err := s.objectKey(k)
			if err != nil {
				t.Fatal(err)
			}
			fn, digest, ok := s.parseObjectKey(name)
			if !ok || fn != k.Func || digest != k.Digest {
				t.Errorf("root %q: parseObjectKey(%q) = %v, %q, %v; want %v, %q, true", root, name, fn, digest, ok, k.Func, k.Digest)
			}
		}
		for _, name := range []string{
			root + "README",
			root + "F/0123456789abcdef0123456789abcdef",
			root + "example.com/p/F/notadigest",
			root + "example.com//F/0123456789abcdef0123456789abcdef",
		} {
			if fn, digest, ok := s.parseObjectKey(name); ok {
				t.Errorf("root %q: parseObjectKey(%q) = %v, %q, true; want false", root, name, fn, digest)
			}
		}
	}
}

// Objects overwritten with another argument's entry, or another function's,
// are misses: an entry names the key it answers, under its checksum, and
// the runtime compares it with the key it read the object under.
func TestEntriesAnswerForOneKey(t *testing.T) {
	t.Parallel()
	s := newStore(t, serverOptions(t))
	backendtest.EntryKeys(t, s, backendtest.SwapValues(s), backendtest.CopyValue(s))
}

// TestNoInstanceMetadataProbe changes the environment, so it does not run
// in parallel. With no credentials anywhere else, a store asks the EC2
// instance-metadata service for them only when told to.
func TestNoInstanceMetadataProbe(t *testing.T) {
	var probes atomic.Int64
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		probes.Add(1)
		if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
			w.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", "60")
			_, _ = w.Write([]byte("token"))
			return
		}
		http.Error(w, "no role here", http.StatusNotFound)
	}))
	t.Cleanup(imds.Close)
	none := t.TempDir() + "/none"
	for _, name := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_EC2_METADATA_DISABLED",
	} {
		t.Setenv(name, "")
	}
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)

	get := func(opts Options) error {
		opts.Bucket, opts.Region, opts.MaxAttempts = "b", "us-east-1", 1
		opts.Endpoint, opts.PathStyle = "http://127.0.0.1:1", true // credentials come first
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := newStore(t, opts).Get(ctx, key(funcF, 1))
		return err
	}
	if err := get(Options{}); err == nil {
		t.Fatal("Get without credentials = nil error; want one")
	}
	if n := probes.Load(); n != 0 {
		t.Errorf("a store made %d requests to the instance-metadata service; want none by default", n)
	}
	if err := get(Options{EC2Metadata: true}); err == nil {
		t.Fatal("Get without credentials = nil error; want one")
	}
	if probes.Load() == 0 {
		t.Error("a store with EC2Metadata made no request to the instance-metadata service; want it to ask")
	}
}
