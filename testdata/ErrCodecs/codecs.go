// Package errcodecs names codecs that do not exist or cannot store the
// results, and one it declares.
package errcodecs

import (
	"io"
	"time"
)

//memo:codec upper
//memo:compressor brotli

// CompressorAlone names a compressor without a codec.
//
//memo:cache codec=gzip
func CompressorAlone(x int) int { return x }

// Unknown names a codec nobody declared.
//
//memo:cache codec=protobuf
func Unknown(x int) int { return x }

// Typo misspells a built-in codec.
//
//memo:cache codec=msgpak+zstd
func Typo(x int) int { return x }

// CodecAfterCodec chains two codecs.
//
//memo:cache codec=json+gob
func CodecAfterCodec(x int) int { return x }

// UnknownCompressor chains a compressor nobody declared.
//
//memo:cache codec=json+lz4
func UnknownCompressor(x int) int { return x }

// Declared uses the declared codec and compressor.
//
//memo:cache codec=upper+brotli
func Declared(x int) string { return "" }

// RawInt stores an int with the raw codec.
//
//memo:cache codec=raw
func RawInt(x int) int { return x }

// RawPair stores two results with the raw codec.
//
//memo:cache codec=raw
func RawPair(x int) (string, []byte, error) { return "", nil, nil }

// ID is a named string, which the raw codec stores.
type ID string

// RawNamed stores a named string with the raw codec: accepted.
//
//memo:cache codec=raw
func RawNamed(x int) ID { return "" }

// Checksum reads r, which cannot be keyed, and must not be ignored.
//
//memo:cache
func Checksum(r io.Reader) int { return 0 }

// AllIgnored leaves every argument out of the key: a warning.
//
//memo:cache ignore=x,y
func AllIgnored(x, y int) int { return x + y }

// Row is a flat struct: a table codec stores a slice of them.
type Row struct {
	Region string `csv:"region"`
	ID     int64
	Rate   float64
}

// Rows is a table.
//
//memo:cache codec=csv
func Rows(n int) []Row { return nil }

// NotRows returns rows that are not flat.
//
//memo:cache codec=csv
func NotRows(n int) []struct {
	Region string
	Tags   []string
} {
	return nil
}

// NotSlice returns a single row.
//
//memo:cache codec=csv+gzip
func NotSlice(n int) Row { return Row{} }

// Dropped tags a column away.
//
//memo:cache codec=csv
func Dropped(n int) []struct {
	ID   int
	Note string `csv:"-"`
} {
	return nil
}

// Settings keeps a secret yaml drops.
type Settings struct {
	Name   string
	Secret string `yaml:"-"`
}

// LoadSettings is stored as YAML.
//
//memo:cache codec=yaml
func LoadSettings(n int) Settings { return Settings{} }

// Table is a flat struct that parquet names columns of.
type Table struct {
	Region string `parquet:"region"`
	ID     int64
	Rate   float64
	Ok     bool
}

// ParquetRows is a table stored as Parquet: accepted.
//
//memo:cache codec=parquet
func ParquetRows(n int) ([]Table, error) { return nil, nil }

// ParquetCompressed is a Parquet table, compressed whole: accepted.
//
//memo:cache codec=parquet+zstd
func ParquetCompressed(n int) []Row { return nil }

// ParquetMap is not a table.
//
//memo:cache codec=parquet
func ParquetMap(n int) map[string]int { return nil }

// ParquetPair returns two tables.
//
//memo:cache codec=parquet
func ParquetPair(n int) ([]Row, []Row) { return nil, nil }

// ParquetTimes has a column of times.
//
//memo:cache codec=parquet
func ParquetTimes(n int) []struct {
	ID int
	At time.Time
} {
	return nil
}

// ParquetOptional tags a column with an option.
//
//memo:cache codec=parquet
func ParquetOptional(n int) []struct {
	ID int `parquet:"id,optional"`
} {
	return nil
}
