package file

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// locksDir holds the leases: <dir>/.memogen/locks/<digest>.lock, one file
// per key being computed, removed by the holder on release.
const locksDir = "locks"

var _ store.Locker = (*Store)(nil)

// TryLock takes the lease of key for the processes sharing the directory:
// on Unix an exclusive flock on a lock file of the key's own, which the
// system releases when its holder dies, so ttl is not needed; elsewhere a
// lock file created exclusively, which another process takes over once it
// is ttl old.
func (s *Store) TryLock(ctx context.Context, key store.Key, ttl time.Duration) (unlock func(context.Context) error, ok bool, err error) {
	if !isDigest(key.Digest) {
		return nil, false, fmt.Errorf("%w: digest %q is not 32 lowercase hex digits", ErrInvalidKey, key.Digest)
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	dir := filepath.Join(s.dir, ownDir, locksDir)
	if err := s.checkDirs(dir, true); err != nil {
		return nil, false, fmt.Errorf("file: lock: %w", err)
	}
	unlock, ok, err = tryLease(filepath.Join(dir, key.Digest+".lock"), ttl)
	if err != nil {
		return nil, false, fmt.Errorf("file: lock: %w", err)
	}
	return unlock, ok, nil
}

// flockLease takes the lease at path with a flock. A holder removes the
// file before it unlocks, so a process that locked the file just as it
// was removed finds its path gone or another file there, and reports the
// lease taken: the holder of the new file has it.
func flockLease(path string) (release func(context.Context) error, ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		return nil, false, err
	}
	if ok, err = tryLock(f); err != nil || !ok {
		f.Close()
		return nil, false, err
	}
	fi, err := f.Stat()
	cur, lerr := os.Lstat(path)
	if err != nil || lerr != nil || !os.SameFile(fi, cur) {
		unlock(f)
		f.Close()
		return nil, false, nil
	}
	return func(context.Context) error {
		err := os.Remove(path)
		unlock(f)
		return errors.Join(err, f.Close())
	}, true, nil
}

// exclLease takes the lease at path by creating the file exclusively,
// writing a random token to it; a file older than ttl is a dead holder's,
// removed and created anew. Release removes the file only while it holds
// the token. Two processes finding the same dead holder's file may both
// remove it, and then both hold the lease: a duplicate run, never a wrong
// result.
func exclLease(path string, ttl time.Duration) (release func(context.Context) error, ok bool, err error) {
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails
	token := hex.EncodeToString(raw[:])
	for range 2 {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
		if errors.Is(err, fs.ErrExist) {
			fi, serr := os.Lstat(path)
			if serr == nil && time.Since(fi.ModTime()) > ttl {
				_ = os.Remove(path)
				continue
			}
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		_, err = f.WriteString(token)
		if err = errors.Join(err, f.Close()); err != nil {
			_ = os.Remove(path)
			return nil, false, err
		}
		return func(context.Context) error {
			if held, err := os.ReadFile(path); err != nil || string(held) != token {
				return nil // expired and taken over: the lease is another's
			}
			return os.Remove(path)
		}, true, nil
	}
	return nil, false, nil
}
