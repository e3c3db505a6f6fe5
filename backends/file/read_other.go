//go:build !linux

package file

import (
	"io"
	"os"
	"slices"
	"time"
)

// readFile returns the contents and modification time of the file at path,
// with the system calls of os.ReadFile: open, fstat, read, close. Where
// open can refuse a symbolic link, it does.
func readFile(path string) ([]byte, time.Time, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	// One byte more than the size, so that a file that grew since the
	// fstat shows as such rather than as a short read.
	data := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, fi.ModTime(), nil
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		if len(data) == cap(data) {
			data = slices.Grow(data, len(data))
		}
	}
}
