package file

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// writeFile replaces the file at path, in dir, with data, so that readers
// in any process see the old content or the new, never part of either. It
// writes a temporary file in the store's own directory and renames it over
// path. A directory that vanished meanwhile, under a Clear, a Prune or a
// person, is made again, twice at most. The temporary file never outlives
// a failure.
func (s *Store) writeFile(dir *funcDir, path string, data []byte) error {
	var err error
	for range 3 {
		if err = s.checkOwn(); err != nil {
			return err
		}
		var tmp string
		if tmp, err = s.writeTemp(data); err == nil {
			if err = os.Rename(tmp, path); err != nil {
				_ = os.Remove(tmp)
			}
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		s.rootReady.Store(false)
		s.ownReady.Store(false)
		dir.ready.Store(false)
		if err = s.prepare(dir, true); err != nil {
			return err
		}
	}
	return err
}

// writeTemp writes data to a new file in the store's temporary directory,
// synced, with mode 0600 whatever the umask, and modified now by the Go
// clock, which Get uses too, so that recency orders writes and reads
// consistently. It returns the file's path, or removes it on failure.
func (s *Store) writeTemp(data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Join(s.dir, ownDir, tmpDir), "*.tmp")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		now := time.Now()
		err = os.Chtimes(tmp, now, now)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}
