//go:build !unix

package file

import (
	"io/fs"
	"os"
)

// permsApply is false where file modes do not say who may write a
// directory (Windows reports 0777 for every one).
const permsApply = false

// noFollow is 0 where open has no flag to refuse symbolic links; the store
// checks directories with Lstat instead.
const noFollow = 0

// nonBlock is 0 where open has no non-blocking flag.
const nonBlock = 0

// tryLock succeeds at once: without flock, processes sharing a directory
// update its count without a lock, and the count drifts until the next scan.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}

func unlinked(*os.File) bool { return false }

// owner reports no owner: file modes carry no user ids here.
func owner(fs.FileInfo) (int, bool) { return 0, false }
