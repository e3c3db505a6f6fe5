package file

import (
	"io/fs"
	"slices"
	"syscall"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// readFile returns the contents and modification time of the file at path,
// refusing to follow a symbolic link, to wait on a FIFO or device (it opens
// without blocking and reads regular files alone: errNotRegular) and to read
// more than limit bytes (an error wrapping store.ErrTooLarge). It makes the
// system calls os.ReadFile makes (open, fstat, read, close) without an
// os.File, whose set-up (a non-blocking mode switch, a poller check, a
// cleanup) costs as much again on a small file.
func readFile(path string, limit int) ([]byte, time.Time, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, time.Time{}, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, time.Time{}, &fs.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, time.Time{}, errNotRegular
	}
	if st.Size > int64(limit) {
		return nil, time.Time{}, store.EntryTooLarge(st.Size, limit)
	}
	// One byte more than the size, so that reaching the end of the file
	// takes no second buffer; a file that grew since the fstat grows it,
	// up to one byte over the limit.
	data := make([]byte, 0, st.Size+1)
	for {
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, time.Time{}, &fs.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			return data, time.Unix(st.Mtim.Unix()), nil
		}
		data = data[:len(data)+n]
		if len(data) > limit {
			return nil, time.Time{}, store.EntryTooLarge(-1, limit)
		}
		if len(data) == cap(data) {
			data = slices.Grow(data, min(len(data), limit+1-len(data)))
		}
	}
}
