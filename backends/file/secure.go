package file

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrUnsafeDir reports a directory of the store that another user could
// write to, or a symbolic link where the store expects a directory: another
// user could plant entries there, which every call would then return.
var ErrUnsafeDir = errors.New("file: unsafe cache directory")

// This file decides which directories the store trusts. The root, Dir, must
// be a directory owned by the process's effective user and writable by no
// one else (the link to it, if Dir is a symbolic link, must belong to that
// user or to root). So must every directory below it that the store uses,
// which may not be a symbolic link either, and every directory the store
// creates on the way to the root but finds made by someone else in the
// meantime. The directories above the root are not checked: a world-writable
// parent such as /tmp is fine when it has the sticky bit, since others then
// cannot rename the root away. Options.TrustDir lifts the checks of owner
// and mode, not the refusal of symbolic links.

// checkRoot checks the root directory, creating it and its missing parents
// first when create is set. Without create, a missing root is an error for
// which absent reports true. A checked root is remembered until a write
// finds it gone.
func (s *Store) checkRoot(create bool) error {
	if s.rootReady.Load() {
		return nil
	}
	if create {
		if err := s.makeRoot(); err != nil {
			return err
		}
	}
	fi, err := os.Lstat(s.dir)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if uid, ok := owner(fi); ok && uid != os.Geteuid() && uid != 0 && !s.opts.TrustDir {
			return fmt.Errorf("%w: %s is a symbolic link owned by uid %d, neither this process's user (uid %d) nor root; "+
				"replace it, or add trust_dir=1 to the URL (Options.TrustDir) to accept it", ErrUnsafeDir, s.dir, uid, os.Geteuid())
		}
		if fi, err = os.Stat(s.dir); err != nil {
			return err
		}
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "open", Path: s.dir, Err: syscall.ENOTDIR}
	}
	if err := s.checkMode(s.dir, fi); err != nil {
		return err
	}
	s.rootReady.Store(true)
	return nil
}

// makeRoot creates the root and its missing parents with mode 0700. A
// directory that appears between the look and the Mkdir was made by
// someone else, on a path the store meant to create: it is checked.
func (s *Store) makeRoot() error {
	var missing []string
	for p := s.dir; ; p = filepath.Dir(p) {
		_, err := os.Lstat(p)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := s.mkdir(missing[i]); err != nil {
			return err
		}
	}
	return nil
}

// mkdir creates dir with mode 0700, or checks the directory someone else
// created there first.
func (s *Store) mkdir(dir string) error {
	err := os.Mkdir(dir, 0o700)
	if err == nil || !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	return s.checkDir(dir, fi)
}

// checkBelow checks every directory from just below the root down to dir,
// creating the missing ones with mode 0700 when create is set. Without
// create, a missing directory is an error for which absent reports true.
func (s *Store) checkBelow(dir string, create bool) error {
	rel, err := filepath.Rel(s.dir, dir)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("file: %s is not below %s", dir, s.dir)
	}
	p := s.dir
	for elem := range strings.SplitSeq(rel, string(filepath.Separator)) {
		p += string(filepath.Separator) + elem
		fi, err := os.Lstat(p)
		if create && errors.Is(err, fs.ErrNotExist) {
			if err := s.mkdir(p); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := s.checkDir(p, fi); err != nil {
			return err
		}
	}
	return nil
}

// checkDir checks a directory below the root, described by Lstat: a
// symbolic link is refused whatever Options.TrustDir says, since following
// it could take the store out of its directory.
func (s *Store) checkDir(path string, fi fs.FileInfo) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%w: %s is a symbolic link; the store does not follow links below its directory", ErrUnsafeDir, path)
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "open", Path: path, Err: syscall.ENOTDIR}
	}
	return s.checkMode(path, fi)
}

// checkMode refuses a directory owned by another user, or writable by
// group or others, unless Options.TrustDir is set.
func (s *Store) checkMode(path string, fi fs.FileInfo) error {
	if s.opts.TrustDir || !permsApply {
		return nil
	}
	if uid, ok := owner(fi); ok && uid != os.Geteuid() {
		return fmt.Errorf("%w: %s is owned by uid %d, not by this process's user (uid %d), who could plant entries in it; "+
			"use a directory of your own, or add trust_dir=1 to the URL (Options.TrustDir) to accept it", ErrUnsafeDir, path, uid, os.Geteuid())
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%w: %s is writable by group or others (mode %04o), who could plant entries in it; "+
			"run chmod go-w %s, or add trust_dir=1 to the URL (Options.TrustDir) if they are trusted", ErrUnsafeDir, path, fi.Mode().Perm(), path)
	}
	return nil
}
