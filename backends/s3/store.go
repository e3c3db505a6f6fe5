package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/memogen/memogen/runtime/store"
)

// The object metadata a Store writes, without the x-amz-meta- prefix. The
// SDK reports metadata names in lower case, as S3 itself does.
const (
	expiresMeta = "memo-expires" // RFC 3339 in UTC; absent for never
	codecMeta   = "memo-codec"   // the key's codec spec, for listings
)

// Get returns the entry stored under key, or store.ErrNotFound if there is
// none or its recorded expiry has passed. An expired object is left for a
// fresh result or a prune to replace: deleting it here would lengthen the
// miss and could race with a concurrent Set.
func (s *Store) Get(ctx context.Context, key store.Key) ([]byte, error) {
	name, err := s.objectKey(key)
	if err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &awss3.GetObjectInput{Bucket: &s.bucket, Key: &name})
	if isNotFound(err) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("s3: get %s: %w", name, err)
	}
	defer out.Body.Close()
	if expires, _ := expiresOf(out.Metadata); !expires.IsZero() && !time.Now().Before(expires) {
		return nil, store.ErrNotFound
	}
	// An object over the entry limit, which another client may have put
	// under the key, is refused by its length, unread, or once the body
	// has gone one byte past the limit, whatever its length claimed.
	limit := store.DefaultLimits().MaxBytes
	n := aws.ToInt64(out.ContentLength)
	if n > int64(limit) {
		return nil, fmt.Errorf("s3: get %s: %w", name, store.EntryTooLarge(n, limit))
	}
	var buf bytes.Buffer
	if n > 0 {
		buf.Grow(int(n) + bytes.MinRead) // room to read EOF without growing
	}
	if _, err := buf.ReadFrom(io.LimitReader(out.Body, int64(limit)+1)); err != nil {
		return nil, fmt.Errorf("s3: get %s: reading the body: %w", name, err)
	}
	if buf.Len() > limit {
		return nil, fmt.Errorf("s3: get %s: %w", name, store.EntryTooLarge(-1, limit))
	}
	return buf.Bytes(), nil
}

// Set stores value as the object of key, its expiry in its metadata.
func (s *Store) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	name, err := s.objectKey(key)
	if err != nil {
		return err
	}
	meta := make(map[string]string, 2)
	if !expires.IsZero() {
		meta[expiresMeta] = expires.UTC().Format(time.RFC3339Nano)
	}
	if headerSafe(key.Codec) {
		meta[codecMeta] = key.Codec
	}
	_, err = s.client.PutObject(ctx, &awss3.PutObjectInput{
		Bucket:        &s.bucket,
		Key:           &name,
		Body:          bytes.NewReader(value),
		ContentLength: aws.Int64(int64(len(value))),
		ContentType:   aws.String("application/octet-stream"),
		Metadata:      meta,
	})
	if err != nil {
		return fmt.Errorf("s3: put %s: %w", name, err)
	}
	return nil
}

// Delete removes the object of key; S3 reports success for an absent one.
func (s *Store) Delete(ctx context.Context, key store.Key) error {
	name, err := s.objectKey(key)
	if err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: &s.bucket, Key: &name})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("s3: delete %s: %w", name, err)
	}
	return nil
}

// Clear deletes the entries in fn's folder, a listing page at a time.
func (s *Store) Clear(ctx context.Context, fn store.FuncID) error {
	folder, err := s.folder(fn)
	if err != nil {
		return err
	}
	for objs, err := range s.pages(ctx, folder) {
		if err != nil {
			return err
		}
		names := make([]string, 0, len(objs))
		for _, o := range objs {
			// The folder of function F of package p also holds the folders
			// of package p/F, if there is one: those are not fn's.
			if name := aws.ToString(o.Key); validDigest(strings.TrimPrefix(name, folder)) {
				names = append(names, name)
			}
		}
		if _, err := s.deleteObjects(ctx, names); err != nil {
			return err
		}
	}
	return nil
}

// pages lists the objects whose keys start with prefix, a page of at most
// s.pageSize at a time, ending with an error if listing fails. Objects
// deleted after their page was listed do not disturb the next pages: a
// continuation token marks a position among keys, not an object.
func (s *Store) pages(ctx context.Context, prefix string) iter.Seq2[[]types.Object, error] {
	return func(yield func([]types.Object, error) bool) {
		in := &awss3.ListObjectsV2Input{Bucket: &s.bucket, MaxKeys: &s.pageSize}
		if prefix != "" {
			in.Prefix = &prefix
		}
		p := awss3.NewListObjectsV2Paginator(s.client, in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				yield(nil, fmt.Errorf("s3: list %s: %w", prefix, err))
				return
			}
			if !yield(out.Contents, nil) {
				return
			}
		}
	}
}

// deleteObjects deletes the named objects in batches of at most s.pageSize
// and returns the names S3 reported deleted; absent objects count as
// deleted.
func (s *Store) deleteObjects(ctx context.Context, names []string) (deleted []string, err error) {
	for batch := range slices.Chunk(names, int(s.pageSize)) {
		ids := make([]types.ObjectIdentifier, len(batch))
		for i := range batch {
			ids[i] = types.ObjectIdentifier{Key: &batch[i]}
		}
		out, err := s.client.DeleteObjects(ctx, &awss3.DeleteObjectsInput{
			Bucket: &s.bucket,
			Delete: &types.Delete{Objects: ids},
		})
		if err != nil {
			return deleted, fmt.Errorf("s3: delete %d objects: %w", len(batch), err)
		}
		for _, d := range out.Deleted {
			deleted = append(deleted, aws.ToString(d.Key))
		}
		var failed []types.Error
		for _, e := range out.Errors {
			if aws.ToString(e.Code) == "NoSuchKey" {
				deleted = append(deleted, aws.ToString(e.Key))
				continue
			}
			failed = append(failed, e)
		}
		if len(failed) > 0 {
			first := failed[0]
			return deleted, fmt.Errorf("s3: delete %d objects: %d failed, first %s: %s: %s",
				len(batch), len(failed), aws.ToString(first.Key), aws.ToString(first.Code), aws.ToString(first.Message))
		}
	}
	return deleted, nil
}

// expiresOf returns the expiry recorded in an object's metadata: zero for
// never, and false if the record does not parse.
func expiresOf(meta map[string]string) (expires time.Time, ok bool) {
	v, found := meta[expiresMeta]
	if !found {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// headerSafe reports whether v can travel as a metadata header unchanged.
func headerSafe(v string) bool {
	for _, c := range []byte(v) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return v != ""
}

// isNotFound reports whether err says the object does not exist. A missing
// bucket is an error of its own, not an absent entry.
func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	var noKey *types.NoSuchKey
	var notFound *types.NotFound
	if errors.As(err, &noKey) || errors.As(err, &notFound) {
		return true
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchKey" || apiErr.ErrorCode() == "NotFound")
}
