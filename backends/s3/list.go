package s3

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/memogen/memogen/runtime/store"
	"golang.org/x/sync/errgroup"
)

// headConcurrency bounds the HEAD requests one listing or prune has in
// flight: a listing page has no metadata, so each entry needs its own.
const headConcurrency = 16

// List calls yield for each entry of fn, or of every function when fn is the
// zero FuncID, in key order, until yield returns false. Size, Created (the
// time the object was last written) and Expires come from each object's
// HEAD; Summary is left empty, since it is only in the object's body.
// Objects beneath the prefix that do not have the layout of an entry are
// skipped.
func (s *Store) List(ctx context.Context, fn store.FuncID, yield func(store.StoredEntry) bool) error {
	prefix := s.root
	if fn != (store.FuncID{}) {
		var err error
		if prefix, err = s.folder(fn); err != nil {
			return err
		}
	}
	for objs, err := range s.pages(ctx, prefix) {
		if err != nil {
			return err
		}
		entries, err := s.describe(ctx, objs, fn)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !yield(e.StoredEntry) {
				return nil
			}
		}
	}
	return nil
}

// Prune deletes the entries whose recorded expiry has passed, a listing page
// at a time, and reports how many it deleted and their size. On an error,
// the stats count what was deleted before it. An entry rewritten between
// its HEAD and the delete is deleted too: that costs one recomputation.
func (s *Store) Prune(ctx context.Context) (store.PruneStats, error) {
	var stats store.PruneStats
	now := time.Now()
	for objs, err := range s.pages(ctx, s.root) {
		if err != nil {
			return stats, err
		}
		entries, err := s.describe(ctx, objs, store.FuncID{})
		if err != nil {
			return stats, err
		}
		sizes := make(map[string]int64)
		var expired []string
		for _, e := range entries {
			if !e.Expires.IsZero() && !now.Before(e.Expires) {
				expired = append(expired, e.name)
				sizes[e.name] = e.Size
			}
		}
		deleted, err := s.deleteObjects(ctx, expired)
		for _, name := range deleted {
			stats.Entries++
			stats.Bytes += sizes[name]
		}
		if err != nil {
			return stats, err
		}
	}
	return stats, nil
}

// storedObject is a listed entry and the object that holds it.
type storedObject struct {
	store.StoredEntry
	name string // the object's key
}

// describe returns the entries among objs, of function only unless it is
// zero, in their order, with the size, time and metadata of a HEAD of each.
// (The folder of function F of package p also holds the folders of package
// p/F, if there is one.) Objects that are not entries, or
// that were deleted since the listing, are left out. An expiry that does
// not parse counts as never, so that Prune deletes only what it
// understands.
func (s *Store) describe(ctx context.Context, objs []types.Object, only store.FuncID) ([]storedObject, error) {
	entries := make([]storedObject, 0, len(objs))
	for _, o := range objs {
		name := aws.ToString(o.Key)
		if fn, digest, ok := s.parseObjectKey(name); ok && (only == (store.FuncID{}) || fn == only) {
			entries = append(entries, storedObject{StoredEntry: store.StoredEntry{Key: store.Key{Func: fn, Digest: digest}}, name: name})
		}
	}
	found := make([]bool, len(entries))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(headConcurrency)
	for i := range entries {
		g.Go(func() error {
			e := &entries[i]
			head, err := s.client.HeadObject(gctx, &awss3.HeadObjectInput{Bucket: &s.bucket, Key: &e.name})
			if isNotFound(err) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("s3: head %s: %w", e.name, err)
			}
			found[i] = true
			e.Size = aws.ToInt64(head.ContentLength)
			e.Created = aws.ToTime(head.LastModified)
			e.Expires, _ = expiresOf(head.Metadata)
			e.Key.Codec = head.Metadata[codecMeta]
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	live := entries[:0]
	for i, e := range entries {
		if found[i] {
			live = append(live, e)
		}
	}
	return live, nil
}
