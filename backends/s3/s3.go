// Package s3 is memogen's backend for Amazon S3 and S3-compatible object
// stores (MinIO, Ceph, versitygw, …): results shared by every process that
// can reach the bucket, kept across restarts and deploys.
//
// Importing it registers the "s3" URL scheme, so that
//
//	MEMO_BACKEND_<NAME>=s3://bucket/prefix?region=eu-west-1
//	MEMO_BACKEND_<NAME>=s3://bucket/?endpoint=http://127.0.0.1:7070&path_style=true
//
// binds a backend from the environment. The parameters are
//
//	region        the bucket's region (default: the SDK's, e.g. AWS_REGION)
//	endpoint      the service's base URL (default: AWS, or AWS_ENDPOINT_URL_S3)
//	path_style    true to address the bucket as endpoint/bucket, as most
//	              S3-compatible servers want (default false: bucket.endpoint)
//	max_attempts  attempts per request, retries included, 1 to 1024 (default:
//	              the SDK's, 3 unless AWS_MAX_ATTEMPTS says otherwise)
//	page_size     keys per listing page and per batch delete, 1 to 1000
//	              (default 1000)
//	ec2_metadata  true to let the SDK ask the EC2 instance-metadata service
//	              for credentials (default false)
//
// and an unknown, repeated or malformed parameter is an error (see
// [ParseURL]).
//
// # Credentials
//
// Credentials come from the AWS SDK's default chain, in this order: the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
// the shared config and credentials files (~/.aws/config, ~/.aws/credentials,
// AWS_PROFILE), SSO, web identity (AWS_WEB_IDENTITY_TOKEN_FILE, as on EKS),
// and the ECS container credentials endpoint. The last link of the SDK's
// chain, the EC2 instance-metadata service at 169.254.169.254, is off unless
// [Options.EC2Metadata] or ec2_metadata=true turns it on, or the
// environment sets AWS_EC2_METADATA_DISABLED=false: off EC2, the SDK would
// otherwise spend each credential lookup that finds nothing else waiting
// on an address nothing answers, and tests and the memogen command would
// probe it.
//
// # Layout
//
// Each entry is one object whose body is the entry itself:
//
//	<prefix>/<import path>/<Func>/<digest>
//
// for instance "memo/example.com/app/user/Svc.Load/0f3c…" (32 hex digits),
// or with no prefix "example.com/app/user/Svc.Load/0f3c…". Clearing a
// function deletes the entries in its folder, and leaves those of a package
// whose import path happens to continue the folder's (p/F for function F of
// package p). The prefix should be dedicated to memogen: listings and
// prunes treat every object beneath it whose key has this shape as an
// entry.
//
// S3 lists keys without their metadata, so [Store.List] and [Store.Prune]
// read each entry's expiry with a HEAD request, 16 at a time: listing or
// pruning a million entries costs a million requests, plus one per page of
// keys.
//
// # Expiry
//
// An entry's expiry is recorded in the object's metadata as
// x-amz-meta-memo-expires, an RFC 3339 time in UTC that the S3 console
// shows as is (x-amz-meta-memo-codec records the codec, for listings), and
// Get treats an object past it as absent. Expired objects
// stay in the bucket until a fresh result overwrites them, [Store.Prune]
// deletes them (memocache prune), or a lifecycle rule on the prefix
// does: S3 cannot expire single objects at a chosen instant, but a rule
// that deletes objects some days after creation bounds the bucket's size
// for functions whose TTL is shorter than that.
//
// # Failures
//
// Each request is bounded by the context the runtime passes, that is by
// memo.Config.Timeout, and the runtime treats a failing store as a miss.
// Retries happen within that bound; lower max_attempts to fail faster.
// Opening a store makes no request, so a bucket that is unreachable at
// startup does not stop a program: its calls run uncached until the
// bucket answers.
//
// The credentials need s3:GetObject, s3:PutObject and s3:DeleteObject on
// the prefix, and s3:ListBucket on the bucket to clear, list and prune.
package s3

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/memogen/memogen/backends/internal/urlopt"
	"github.com/memogen/memogen/runtime/store"
)

// MaxPageSize is the largest Options.PageSize: S3 lists at most 1000 keys
// per page and deletes at most 1000 per request.
const MaxPageSize = 1000

// Options configure a Store.
type Options struct {
	// Bucket names the bucket. It is required.
	Bucket string
	// Prefix is the folder that holds the entries; slashes around it are
	// ignored. "" means the top of the bucket.
	Prefix string
	// Region is the bucket's region. "" means the SDK's default: AWS_REGION,
	// then the shared config file. New fails if neither names one.
	Region string
	// Endpoint is the base URL of an S3-compatible service, such as
	// "http://127.0.0.1:9000". "" means AWS, unless AWS_ENDPOINT_URL_S3 or
	// the shared config names another.
	Endpoint string
	// PathStyle addresses the bucket as Endpoint/Bucket instead of as the
	// host name Bucket.Endpoint, as most S3-compatible servers require.
	PathStyle bool
	// MaxAttempts bounds the attempts of each request, the first included.
	// 0 means the SDK's default: 3, unless AWS_MAX_ATTEMPTS or the shared
	// config says otherwise. Whatever the attempts, the runtime's
	// Config.Timeout bounds each operation.
	MaxAttempts int
	// PageSize bounds the keys of each listing page and of each batch
	// delete. 0 means MaxPageSize.
	PageSize int
	// EC2Metadata lets the SDK's default credential chain end with the EC2
	// instance-metadata service, as programs that run on EC2 with an
	// instance role need. It is off by default; AWS_EC2_METADATA_DISABLED=false
	// in the environment turns it on too.
	EC2Metadata bool
	// Client, if not nil, is the S3 client to use, as configured by the
	// caller (credentials, HTTP client, middleware). Region, Endpoint,
	// PathStyle, MaxAttempts and EC2Metadata configure the client New
	// builds, so they must be left zero with it.
	Client *awss3.Client
}

// client lists the methods of the S3 client a Store uses.
type client interface {
	GetObject(ctx context.Context, in *awss3.GetObjectInput, opts ...func(*awss3.Options)) (*awss3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *awss3.PutObjectInput, opts ...func(*awss3.Options)) (*awss3.PutObjectOutput, error)
	HeadObject(ctx context.Context, in *awss3.HeadObjectInput, opts ...func(*awss3.Options)) (*awss3.HeadObjectOutput, error)
	DeleteObject(ctx context.Context, in *awss3.DeleteObjectInput, opts ...func(*awss3.Options)) (*awss3.DeleteObjectOutput, error)
	DeleteObjects(ctx context.Context, in *awss3.DeleteObjectsInput, opts ...func(*awss3.Options)) (*awss3.DeleteObjectsOutput, error)
	ListObjectsV2(ctx context.Context, in *awss3.ListObjectsV2Input, opts ...func(*awss3.Options)) (*awss3.ListObjectsV2Output, error)
}

// A Store keeps entries in an S3 bucket. It is safe for concurrent use.
type Store struct {
	client   client
	bucket   string
	root     string // the prefix and a slash, or "" for the top of the bucket
	pageSize int32
}

var (
	_ store.Backend = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Pruner  = (*Store)(nil)
)

// New returns a store for the bucket and prefix opts name. Unless
// opts.Client is set, it loads the SDK's default configuration, which reads
// the environment and the shared config files but makes no request.
func New(ctx context.Context, opts Options) (*Store, error) {
	if opts.Bucket == "" || strings.Contains(opts.Bucket, "/") {
		return nil, fmt.Errorf("s3: bucket %q: want a bucket name", opts.Bucket)
	}
	prefix := strings.Trim(opts.Prefix, "/")
	if prefix != "" && !validPath(prefix) {
		return nil, fmt.Errorf("s3: prefix %q: want slash-separated names, none of them \".\", \"..\" or empty", opts.Prefix)
	}
	if opts.PageSize < 0 || opts.PageSize > MaxPageSize {
		return nil, fmt.Errorf("s3: page size %d: want 1 to %d, or 0 for %[2]d", opts.PageSize, MaxPageSize)
	}
	if opts.MaxAttempts < 0 {
		return nil, fmt.Errorf("s3: max attempts %d: want a positive number, or 0 for the SDK's default", opts.MaxAttempts)
	}
	s := &Store{bucket: opts.Bucket, pageSize: int32(opts.PageSize)}
	if s.pageSize == 0 {
		s.pageSize = MaxPageSize
	}
	if prefix != "" {
		s.root = prefix + "/"
	}
	if opts.Client != nil {
		if opts.Region != "" || opts.Endpoint != "" || opts.PathStyle || opts.MaxAttempts != 0 || opts.EC2Metadata {
			return nil, fmt.Errorf("s3: Options.Client is set: configure region, endpoint, path style, attempts and credentials on the client")
		}
		s.client = opts.Client
		return s, nil
	}
	c, err := newClient(ctx, opts)
	if err != nil {
		return nil, err
	}
	s.client = c
	return s, nil
}

// newClient builds an S3 client from the SDK's default configuration and
// opts.
func newClient(ctx context.Context, opts Options) (*awss3.Client, error) {
	if opts.Endpoint != "" {
		u, err := url.Parse(opts.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("s3: endpoint %q: want an http or https URL", opts.Endpoint)
		}
	}
	var load []func(*config.LoadOptions) error
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	if !opts.EC2Metadata && os.Getenv("AWS_EC2_METADATA_DISABLED") != "false" {
		load = append(load, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("s3: loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("s3: no region: set Options.Region, region= or AWS_REGION")
	}
	return awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		o.UsePathStyle = opts.PathStyle
		if opts.MaxAttempts > 0 {
			o.RetryMaxAttempts = opts.MaxAttempts
		}
	}), nil
}

// Must returns s, and panics if err is not nil. It suits package-level
// variables: var cache = s3.Must(s3.New(ctx, opts)).
func Must(s *Store, err error) *Store {
	if err != nil {
		panic(err)
	}
	return s
}

// maxAttempts bounds the max_attempts URL parameter.
const maxAttempts = 1 << 10

// ParseURL returns the options that a URL of the form
//
//	s3://bucket/prefix?region=R&endpoint=E&path_style=true&max_attempts=N&page_size=N&ec2_metadata=true
//
// describes, every part but the bucket optional; the package doc lists the
// parameters. An unknown, repeated or malformed parameter is an error.
func ParseURL(rawURL string) (Options, error) {
	u, q, err := urlopt.Parse("s3", rawURL, "s3")
	if err != nil {
		return Options{}, err
	}
	if u.Opaque != "" || u.User != nil || u.Host == "" || u.Port() != "" {
		return Options{}, fmt.Errorf("s3: URL %q: want s3://bucket/prefix?params", u.Redacted())
	}
	opts := Options{
		Bucket:      u.Host,
		Prefix:      u.Path,
		Region:      q.String("region"),
		Endpoint:    q.String("endpoint"),
		PathStyle:   q.Bool("path_style"),
		MaxAttempts: q.Int("max_attempts", 1, maxAttempts),
		PageSize:    q.Int("page_size", 1, MaxPageSize),
		EC2Metadata: q.Bool("ec2_metadata"),
	}
	if err := q.Err(); err != nil {
		return Options{}, err
	}
	return opts, nil
}

// open is the opener of s3:// URLs.
func open(u *url.URL) (store.Backend, error) {
	opts, err := ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	return New(context.Background(), opts)
}

func init() { store.RegisterScheme("s3", open) }
