package file

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// writeFile replaces the file at path with data so that readers, in any
// process, see the old content or the new, never part of either.
func writeFile(path string, data []byte) error {
	err := writeOnce(path, data)
	if errors.Is(err, fs.ErrNotExist) {
		// A concurrent Clear moved the directory away, with the temporary
		// file in it; write again in a new directory.
		err = writeOnce(path, data)
	}
	return err
}

// writeOnce writes data to a temporary file beside path and renames it over
// path. The file's modification time is set from the Go clock, which Get
// uses too, so that recency orders writes and reads consistently.
func writeOnce(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600) // exactly, whatever the umask
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
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}
