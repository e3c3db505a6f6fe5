//go:build unix

package file

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// permsApply reports whether file modes say who may write a directory.
const permsApply = true

// noFollow makes an open fail on a symbolic link rather than follow it.
const noFollow = syscall.O_NOFOLLOW

// nonBlock makes an open of a FIFO return at once rather than wait for a
// writer; reads of regular files are unaffected.
const nonBlock = syscall.O_NONBLOCK

// tryLock takes an exclusive flock on f without waiting; it reports false
// when another open file, in this process or another, holds one.
func tryLock(f *os.File) (bool, error) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EINTR) {
		return false, nil
	}
	return err == nil, err
}

// unlock releases the flock on f.
func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// unlinked reports whether the open file f has been removed from the
// directory, so that other processes no longer find it.
func unlinked(f *os.File) bool {
	var st syscall.Stat_t
	return syscall.Fstat(int(f.Fd()), &st) == nil && st.Nlink == 0
}

// owner returns the user id owning the file fi describes.
func owner(fi fs.FileInfo) (uid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
