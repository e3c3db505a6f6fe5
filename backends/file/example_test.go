package file_test

import (
	"context"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/runtime/store"
)

func ExampleNew() {
	dir, err := os.MkdirTemp("", "memo-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	disk, err := file.New(file.Options{Dir: dir, MaxBytes: 1 << 30})
	if err != nil {
		log.Fatal(err)
	}
	defer disk.Close()
	// Generated code binds a store by name: memo.Register("disk", disk).
	// Here we store one entry directly, as the runtime would.
	key := store.Key{
		Func:   store.FuncID{Package: "example.com/users", Name: "Fetch"},
		Digest: "0c3e9ad1b9e2f04c8a7d6e5f4a3b2c41",
		Codec:  "json",
	}
	entry := store.EncodeEntry(store.Entry{
		Codec:   "json",
		Created: time.Unix(1700000000, 0),
		Digest:  key.Digest,
		Summary: "id=42",
		Payload: []byte(`{"name":"Ada"}`),
	})
	if err := disk.Set(context.Background(), key, entry, time.Time{}); err != nil {
		log.Fatal(err)
	}

	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if err == nil && d.Name() == ".memogen" {
				return fs.SkipDir // the store's own files
			}
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		fmt.Printf("%s:\n%s\n", filepath.ToSlash(rel), data)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// example.com/users/Fetch/0c3e9ad1b9e2f04c8a7d6e5f4a3b2c41.json:
	// memo2 json 1700000000000000000 0 0c3e9ad1b9e2f04c8a7d6e5f4a3b2c41 e1176ac837a1091b "id=42"
	// {"name":"Ada"}
}

// ParseURL reads the options of a file:// URL, as MEMO_BACKEND_<NAME>
// gives it.
func ExampleParseURL() {
	opts, err := file.ParseURL("file:///var/cache/myapp?max_bytes=1GiB&max_entries=100000")
	fmt.Printf("%+v %v\n", opts, err)

	opts, err = file.ParseURL("file:cache?max_bytes=64MiB")
	fmt.Printf("%+v %v\n", opts, err)

	_, err = file.ParseURL("file://cache")
	fmt.Println(err)
	// Output:
	// {Dir:/var/cache/myapp MaxBytes:1073741824 MaxEntries:100000 TrustDir:false} <nil>
	// {Dir:cache MaxBytes:67108864 MaxEntries:0 TrustDir:false} <nil>
	// file: URL host "cache": want file:///absolute/path (three slashes) or file:relative/path
}
