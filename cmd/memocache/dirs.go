package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/memogen/memogen/backends/file"
)

// missingDirs returns an error naming the directory of a file backend in
// the URL rawURL, or in a URL nested in its parameters (tiered://?back=…),
// that does not exist. A file backend takes a missing directory for an
// empty cache, which is right for a program about to fill it, but a
// listing of a directory that is not there is more likely a mistake in the
// URL than a cache that was never written.
func missingDirs(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil // memo.Open has reported it
	}
	if u.Scheme == "file" {
		opts, err := file.ParseURL(rawURL)
		if err != nil {
			return nil
		}
		dir, err := filepath.Abs(opts.Dir)
		if err != nil {
			return fmt.Errorf("file: %w", err)
		}
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("file: directory %s does not exist", dir)
		}
		return nil
	}
	for _, values := range u.Query() {
		for _, v := range values {
			if nested, err := url.Parse(v); err == nil && nested.Scheme != "" {
				if err := missingDirs(v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
