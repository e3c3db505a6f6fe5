package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// This file holds the Store's leases and tags, each under keys of its own
// beside the entries, which neither Clear nor List mistakes for entries:
//
//	<prefix>:lock:<import path>.<Func>:<digest>   a lease: a random token, with a TTL
//	<prefix>:tag:<tag>                            a set of "<import path> <Func>"

// unlockScript deletes a lease only if it still holds the releasing
// holder's token: a holder whose lease expired, and was taken by another,
// must not release the other's.
const unlockScript = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`

// TryLock takes the lease of key with SET NX PX and a random token, for
// ttl (rounded up to a millisecond); unlock deletes it only if it still
// holds the token.
func (s *Store) TryLock(ctx context.Context, key store.Key, ttl time.Duration) (unlock func(context.Context) error, ok bool, err error) {
	k := s.prefix + ":lock:" + key.Func.String() + ":" + key.Digest
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails
	token := hex.EncodeToString(raw[:])
	ttl = max((ttl + time.Millisecond - 1).Truncate(time.Millisecond), time.Millisecond)
	ok, err = s.rdb.SetNX(ctx, k, token, ttl).Result()
	if err != nil {
		return nil, false, fmt.Errorf("redis: lock %s: %w", k, err)
	}
	if !ok {
		return nil, false, nil
	}
	return func(ctx context.Context) error {
		if err := s.rdb.Eval(ctx, unlockScript, []string{k}, token).Err(); err != nil {
			return fmt.Errorf("redis: unlock %s: %w", k, err)
		}
		return nil
	}, true, nil
}

// tagKey returns the key of the set of functions carrying tag.
func (s *Store) tagKey(tag string) string { return s.prefix + ":tag:" + tag }

// AddTag adds fn, as "<import path> <Func>", to tag's set. An import path
// holds no space, so the first space splits the member again.
func (s *Store) AddTag(ctx context.Context, tag string, fn store.FuncID) error {
	if err := s.rdb.SAdd(ctx, s.tagKey(tag), fn.Package+" "+fn.Name).Err(); err != nil {
		return fmt.Errorf("redis: tag %s: %w", tag, err)
	}
	return nil
}

// Tagged returns the functions in tag's set, leaving out members of
// another form.
func (s *Store) Tagged(ctx context.Context, tag string) ([]store.FuncID, error) {
	members, err := s.rdb.SMembers(ctx, s.tagKey(tag)).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: tag %s: %w", tag, err)
	}
	fns := make([]store.FuncID, 0, len(members))
	for _, m := range members {
		if pkg, name, ok := strings.Cut(m, " "); ok && pkg != "" && name != "" {
			fns = append(fns, store.FuncID{Package: pkg, Name: name})
		}
	}
	return fns, nil
}
