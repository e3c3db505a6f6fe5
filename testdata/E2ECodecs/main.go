// Command e2ecodecs stores results in files with every codec and
// compressor, reads them back in a second pass, and shows that a corrupt,
// truncated or foreign entry is a miss that is recomputed, never an error or
// a wrong value.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Report is a composite result.
type Report struct {
	Region string
	Total  int
	Tags   []string
}

// JSONReport is stored as JSON, readable with cat.
//
//memo:cache backend=disk codec=json
func JSONReport(region string) Report {
	calls["JSONReport"]++
	return Report{Region: region, Total: len(region), Tags: []string{"a", "b"}}
}

// Packed is stored as zstd-compressed MessagePack.
//
//memo:cache backend=disk codec=msgpack+zstd
func Packed(region string) Report {
	calls["Packed"]++
	return Report{Region: region, Total: 2 * len(region)}
}

// Gobbed is stored as gzip-compressed gob, and may fail.
//
//memo:cache backend=disk codec=gob+gzip
func Gobbed(region string) (Report, error) {
	calls["Gobbed"]++
	if region == "" {
		return Report{}, fmt.Errorf("no region")
	}
	return Report{Region: region, Total: 3}, nil
}

// Raw stores its bytes as they are.
//
//memo:cache backend=disk codec=raw
func Raw(n int) []byte {
	calls["Raw"]++
	return bytes.Repeat([]byte{'x'}, n)
}

// Text stores a string, zstd-compressed.
//
//memo:cache backend=disk codec=raw+zstd
func Text(s string) string {
	calls["Text"]++
	return strings.ToUpper(s)
}

// Counts is stored as gzip-compressed JSON, with a lifetime.
//
//memo:cache backend=disk codec=json+gzip ttl=1h
func Counts(n int) map[string]int {
	calls["Counts"]++
	return map[string]int{"n": n, "twice": 2 * n}
}

func main() {
	dir, err := os.MkdirTemp("", "e2ecodecs-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	memo.Register("disk", file.Must(file.New(file.Options{Dir: dir})))
	var outcomes []string
	memo.Configure(memo.Config{Hook: func(c memo.CallInfo) {
		s := c.Func.Name + ":" + c.Outcome.String()
		if c.Err != nil {
			s += " (error)"
		}
		outcomes = append(outcomes, s)
	}})

	run := func(pass string) {
		fmt.Println("#", pass)
		fmt.Printf("JSONReport(north) = %+v calls=%d\n", JSONReportCached("north"), calls["JSONReport"])
		fmt.Printf("Packed(north)     = %+v calls=%d\n", PackedCached("north"), calls["Packed"])
		r, err := GobbedCached("north")
		fmt.Printf("Gobbed(north)     = %+v, %v calls=%d\n", r, err, calls["Gobbed"])
		r, err = GobbedCached("")
		fmt.Printf("Gobbed()          = %+v, %v calls=%d\n", r, err, calls["Gobbed"])
		fmt.Printf("Raw(3)            = %q calls=%d\n", RawCached(3), calls["Raw"])
		fmt.Printf("Text(abc)         = %q calls=%d\n", TextCached("abc"), calls["Text"])
		fmt.Printf("Counts(4)         = %v calls=%d\n", CountsCached(4), calls["Counts"])
	}
	run("first pass: every call computes")
	run("second pass: every call is served from its file")

	fmt.Println("# the files, one per entry")
	files := entryFiles(dir)
	for _, f := range files {
		fmt.Println(f)
	}
	jsonFile := find(files, "JSONReport/")
	data, _ := os.ReadFile(filepath.Join(dir, jsonFile))
	_, payload, _ := bytes.Cut(data, []byte("\n"))
	fmt.Printf("payload of the json entry: %s\n", payload)

	fmt.Println("# damaged entries are misses, recomputed and replaced")
	damage := func(name string, change func([]byte) []byte) {
		path := filepath.Join(dir, find(files, name+"/"))
		data, err := os.ReadFile(path)
		if err != nil {
			panic(err)
		}
		if err := os.WriteFile(path, change(data), 0o600); err != nil {
			panic(err)
		}
	}
	damage("Packed", func([]byte) []byte { return []byte("garbage, not an entry") })
	damage("JSONReport", func(b []byte) []byte { return b[:len(b)-5] })
	damage("Gobbed", func(b []byte) []byte { b[len(b)-1] ^= 0xff; return b })
	damage("Counts", func(b []byte) []byte { return bytes.Replace(b, []byte("json+gzip"), []byte("json+zstd"), 1) })
	run("third pass: the damaged four recompute, the rest hit")
	run("fourth pass: every call hits again")

	for _, st := range []struct {
		name string
		s    memo.Stats
	}{
		{"JSONReport", JSONReportMemo().Stats()},
		{"Packed", PackedMemo().Stats()},
		{"Gobbed", GobbedMemo().Stats()},
		{"Counts", CountsMemo().Stats()},
		{"Raw", RawMemo().Stats()},
	} {
		fmt.Printf("%-10s hits=%d misses=%d errors=%d corrupt=%d failures=%d\n", st.name, st.s.Hits, st.s.Misses, st.s.Errors, st.s.Corrupt, st.s.Failures)
	}
	if err := PackedMemo().Clear(context.Background()); err != nil {
		panic(err)
	}
	fmt.Printf("after Clear, Packed entries on disk: %d\n", len(slices.DeleteFunc(entryFiles(dir), func(f string) bool { return !strings.Contains(f, "Packed/") })))
	fmt.Println("# hook outcomes")
	for _, o := range outcomes {
		fmt.Println(o)
	}
}

// entryFiles lists the entry files under dir, relative and sorted.
func entryFiles(dir string) []string {
	var files []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(files)
	return files
}

func find(files []string, part string) string {
	for _, f := range files {
		if strings.Contains(f, part) {
			return f
		}
	}
	panic("no entry file for " + part)
}
