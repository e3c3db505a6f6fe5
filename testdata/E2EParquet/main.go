// Command e2eparquet caches tables as Parquet files, reads them back in a
// second pass, opens a stored payload with parquet-go as any Parquet reader
// would, and shows that a damaged entry is a miss that is recomputed.
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	pq "github.com/parquet-go/parquet-go"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Sale is a row of a table.
type Sale struct {
	Region string `parquet:"region"`
	Units  int64
	Price  float64
	Paid   bool
	Code   uint8
}

// Sales is stored as a Parquet file.
//
//memo:cache backend=disk codec=parquet
func Sales(region string, n int) []Sale {
	calls["Sales"]++
	rows := make([]Sale, n)
	for i := range rows {
		rows[i] = Sale{Region: region, Units: int64(i) - 1, Price: float64(i) / 3, Paid: i%2 == 0, Code: uint8(250 + i)}
	}
	if n > 2 {
		rows[2].Price = math.Copysign(0, -1)
	}
	return rows
}

// Maybe is stored as a zstd-compressed Parquet file: nil, empty or a row.
//
//memo:cache backend=disk codec=parquet+zstd
func Maybe(n int) ([]Sale, error) {
	calls["Maybe"]++
	switch n {
	case 0:
		return nil, nil
	case 1:
		return []Sale{}, nil
	}
	return []Sale{{Region: "x\r\ny", Units: math.MinInt64}}, nil
}

func main() {
	dir, err := os.MkdirTemp("", "e2eparquet-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	memo.Register("disk", file.Must(file.New(file.Options{Dir: dir})))

	var first []Sale
	run := func(pass string) {
		fmt.Println("#", pass)
		rows := SalesCached("north", 4)
		fmt.Printf("Sales(north, 4) = %+v calls=%d\n", rows, calls["Sales"])
		if first == nil {
			first = rows
		} else {
			fmt.Printf("equal to the first pass: %v, -0 kept: %v\n", reflect.DeepEqual(rows, first), math.Signbit(rows[2].Price))
		}
		for n := range 3 {
			m, err := MaybeCached(n)
			fmt.Printf("Maybe(%d) = %#v, %v calls=%d\n", n, m, err, calls["Maybe"])
		}
	}
	run("first pass: every call computes")
	run("second pass: every call is served from its file")

	fmt.Println("# the Sales entry is a Parquet file after its metadata line")
	path := filepath.Join(dir, find(dir, "Sales/"))
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	_, payload, _ := bytes.Cut(data, []byte("\n"))
	fmt.Printf("file name ends in .parquet: %v\n", strings.HasSuffix(path, ".parquet"))
	fmt.Printf("payload starts with %q, ends with %q\n", payload[:4], payload[len(payload)-4:])
	f, err := pq.OpenFile(bytes.NewReader(payload), int64(len(payload)))
	if err != nil {
		panic(err)
	}
	fmt.Printf("parquet.OpenFile: %d rows, schema %s\n", f.NumRows(), strings.Join(strings.Fields(f.Schema().String()), " "))
	read, err := pq.Read[Sale](bytes.NewReader(payload), int64(len(payload)))
	fmt.Printf("parquet.Read = %+v, %v\n", read, err)

	fmt.Println("# a damaged entry is a miss, recomputed and replaced")
	if err := os.WriteFile(path, data[:len(data)-6], 0o600); err != nil {
		panic(err)
	}
	run("third pass: Sales recomputes, the rest hit")
	run("fourth pass: every call hits")
	s := SalesMemo().Stats()
	fmt.Printf("Sales hits=%d misses=%d corrupt=%d\n", s.Hits, s.Misses, s.Corrupt)
}

// find returns the path, relative to dir, of the first entry file whose
// path holds part.
func find(dir, part string) string {
	var found string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && found == "" && strings.Contains(filepath.ToSlash(path), part) {
			found, _ = filepath.Rel(dir, path)
		}
		return nil
	})
	if found == "" {
		panic("no entry file for " + part)
	}
	return found
}
