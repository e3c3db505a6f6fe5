//go:build !linux

package file

import (
	"io"
	"os"
	"slices"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// readFile returns the contents and modification time of the file at path,
// with the system calls of os.ReadFile: open, fstat, read, close. Where
// open can refuse a symbolic link, it does; where it can open without
// waiting for a FIFO's writer, it does. It reads regular files alone
// (errNotRegular) and no more than limit bytes (an error wrapping
// store.ErrTooLarge).
func readFile(path string, limit int) ([]byte, time.Time, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow|nonBlock, 0)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	if !fi.Mode().IsRegular() {
		return nil, time.Time{}, errNotRegular
	}
	if fi.Size() > int64(limit) {
		return nil, time.Time{}, store.EntryTooLarge(fi.Size(), limit)
	}
	// One byte more than the size, so that a file that grew since the
	// fstat shows as such rather than as a short read.
	data := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if len(data) > limit {
			return nil, time.Time{}, store.EntryTooLarge(-1, limit)
		}
		if err == io.EOF {
			return data, fi.ModTime(), nil
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		if len(data) == cap(data) {
			data = slices.Grow(data, min(len(data), limit+1-len(data)))
		}
	}
}
