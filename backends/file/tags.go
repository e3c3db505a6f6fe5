package file

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/memogen/memogen/runtime/store"
	"github.com/zeebo/xxh3"
)

// tagsDir records which functions carry a tag:
// <dir>/.memogen/tags/<tag>/<hash of the function> holds the function's
// import path and name, one a line.
const tagsDir = "tags"

var _ store.Tagger = (*Store)(nil)

// tagDir returns the directory of tag's functions, refusing a tag that is
// not one path element.
func (s *Store) tagDir(tag string) (string, error) {
	if err := checkElem(tag); err != nil {
		return "", fmt.Errorf("%w: tag %q: %v", ErrInvalidKey, tag, err)
	}
	return filepath.Join(s.dir, ownDir, tagsDir, tag), nil
}

// AddTag records that fn carries tag, writing its file atomically once.
func (s *Store) AddTag(ctx context.Context, tag string, fn store.FuncID) error {
	dir, err := s.tagDir(tag)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	content := fn.Package + "\n" + fn.Name + "\n"
	sum := xxh3.HashString128(content).Bytes()
	path := filepath.Join(dir, hex.EncodeToString(sum[:]))
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		return nil
	}
	if err := s.checkOwn(); err != nil {
		return fmt.Errorf("file: tag %s: %w", tag, err)
	}
	if err := s.checkDirs(dir, true); err != nil {
		return fmt.Errorf("file: tag %s: %w", tag, err)
	}
	tmp, err := s.writeTemp([]byte(content))
	if err == nil {
		if err = os.Rename(tmp, path); err != nil {
			_ = os.Remove(tmp)
		}
	}
	if err != nil {
		return fmt.Errorf("file: tag %s: %w", tag, err)
	}
	return nil
}

// Tagged returns the functions recorded with tag, leaving out files of
// another form.
func (s *Store) Tagged(ctx context.Context, tag string) ([]store.FuncID, error) {
	dir, err := s.tagDir(tag)
	if err != nil {
		return nil, err
	}
	if err := s.checkRoot(false); err != nil {
		if absent(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("file: tag %s: %w", tag, err)
	}
	ents, err := os.ReadDir(dir)
	if absent(err) {
		return nil, nil
	}
	var fns []store.FuncID
	for _, e := range ents {
		if err == nil {
			err = ctx.Err()
		}
		if err != nil || !e.Type().IsRegular() {
			continue
		}
		data, rerr := os.ReadFile(filepath.Join(dir, e.Name()))
		if rerr != nil {
			if !absent(rerr) {
				err = rerr
			}
			continue
		}
		lines := strings.Split(string(data), "\n")
		if len(lines) == 3 && lines[0] != "" && lines[1] != "" && lines[2] == "" {
			fns = append(fns, store.FuncID{Package: lines[0], Name: lines[1]})
		}
	}
	if err != nil {
		return fns, fmt.Errorf("file: tag %s: %w", tag, err)
	}
	return fns, nil
}
