// Package parquet is memogen's Parquet codec: a result that is a table, a
// slice of flat structs, stored as a Parquet file, which DuckDB, pandas or
// Spark opens as it is (read_parquet on an entry's payload, after its one
// metadata line). Importing it registers the codec "parquet".
//
// A flat struct has exported fields of string, bool, integer and float
// kinds only; each becomes a required column named by the field's name, or
// by its `parquet:"name"` tag (a tag may name the column and nothing else:
// options such as optional or dict would change what is stored). memogen
// refuses any other result type for codec=parquet at generation time.
// Values are stored exactly: integers in INT32 or INT64 columns with their
// width and signedness, floats by their bits (NaN, ±Inf and -0 included),
// strings as the bytes they hold. A nil slice is stored as nothing at all
// and an empty one as a file of no rows, so that each reads back as it
// was. Files are written uncompressed, with plain encodings; a compressor
// chained after the codec (codec=parquet+zstd) compresses the whole file.
package parquet

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"

	pq "github.com/parquet-go/parquet-go"

	"github.com/memogen/memogen/codecs/internal/rows"
	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "parquet"

func init() { store.RegisterCodec(Name, Codec{}) }

// Codec encodes slices of flat structs as Parquet files.
type Codec struct{}

var _ store.LimitedCodec = Codec{}

// ErrNotTable reports a value that is not a slice of flat structs.
var ErrNotTable = errors.New("parquet: not a slice of flat structs (exported fields of string, bool, integer or float kinds)")

// table is what the codec keeps of a row type: its Parquet schema, and
// where its strings are.
type table struct {
	schema  *pq.Schema
	strings []int // indexes of the string fields, whose bytes decoding allocates
}

// tables holds the table of every row type the codec has met. A `parquet`
// tag names a column and nothing else: parquet-go would act on options
// after a comma, such as optional or dict, and change what is stored.
var tables = rows.NewTables(rows.Rules{Tag: "parquet", NameOnly: true, NotTable: ErrNotTable}, newTable)

// newTable returns the table of rows of type t, whose columns are cols.
func newTable(t reflect.Type, cols []rows.Column) *table {
	tab := &table{schema: pq.SchemaOf(reflect.New(t).Interface())}
	for _, c := range cols {
		if c.Kind == reflect.String {
			tab.strings = append(tab.strings, c.Index)
		}
	}
	return tab
}

// Marshal writes v, a slice of flat structs, as a Parquet file: a nil
// slice as no bytes, an empty one as a file of no rows.
func (Codec) Marshal(v any) ([]byte, error) {
	rv, tab, err := tables.Slice(v)
	if err != nil {
		return nil, err
	}
	if rv.IsNil() {
		return []byte{}, nil
	}
	var buf bytes.Buffer
	w := pq.NewWriter(&buf, tab.schema, pq.Compression(&pq.Uncompressed), pq.DefaultEncoding(&pq.Plain))
	for i := range rv.Len() {
		if err := w.Write(rv.Index(i).Interface()); err != nil {
			return nil, fmt.Errorf("parquet: row %d: %w", i, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	return buf.Bytes(), nil
}

// Unmarshal decodes a Parquet file into v, a pointer to a slice of flat
// structs, within store.DefaultLimits.
func (c Codec) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, store.DefaultLimits())
}

// UnmarshalLimited decodes a Parquet file into v, a pointer to a slice of
// flat structs. Before it decodes the footer, it checks that its Thrift
// lists claim no more than their bytes hold and lim.MaxAlloc allows; before
// it decodes a page, it checks the file's layout (see check): every column
// chunk uncompressed, every page plainly encoded and within the file, and
// the rows the footer counts, at the row's size, within lim.MaxAlloc; as it decodes, it counts the bytes of the strings
// too. Past lim.MaxAlloc it fails with an error wrapping store.ErrTooLarge.
// A file whose schema is not the row type's, or which is malformed, fails
// with an error wrapping store.ErrCorrupt.
func (Codec) UnmarshalLimited(data []byte, v any, lim store.Limits) (err error) {
	sv, tab, err := tables.Target(v)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		sv.SetZero()
		return nil
	}
	st := sv.Type()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: parquet: decoding panicked: %v", store.ErrCorrupt, p)
		}
	}()
	if err := checkFooter(data, lim.MaxAlloc); err != nil {
		return err
	}
	file, err := pq.OpenFile(bytes.NewReader(data), int64(len(data)), pq.SkipPageIndex(true), pq.SkipBloomFilters(true))
	if err != nil {
		return fmt.Errorf("%w: parquet: %w", store.ErrCorrupt, err)
	}
	if !pq.EqualNodes(tab.schema, file.Schema()) {
		return fmt.Errorf("%w: parquet: the file's schema is not that of %s", store.ErrCorrupt, st.Elem())
	}
	rows := file.NumRows()
	if err := check(data, file, lim.MaxAlloc); err != nil {
		return err
	}
	rowSize := int64(st.Elem().Size())
	alloc := rows * rowSize
	if alloc > lim.MaxAlloc {
		return fmt.Errorf("%w: %d rows of %s take %d bytes, over the limit of %d", store.ErrTooLarge, rows, st.Elem(), alloc, lim.MaxAlloc)
	}
	out := reflect.MakeSlice(st, int(rows), int(rows))
	r := pq.NewReader(file)
	defer r.Close()
	for i := range int(rows) {
		if i%1024 == 0 {
			if err := lim.CheckDeadline(); err != nil {
				return err
			}
		}
		row := out.Index(i)
		if err := r.Read(row.Addr().Interface()); err != nil {
			return fmt.Errorf("%w: parquet row %d of %d: %w", store.ErrCorrupt, i+1, rows, err)
		}
		for _, j := range tab.strings {
			alloc += int64(row.Field(j).Len())
		}
		if alloc > lim.MaxAlloc {
			return fmt.Errorf("%w: %d rows of %s take more than %d bytes, the limit", store.ErrTooLarge, rows, st.Elem(), lim.MaxAlloc)
		}
	}
	sv.Set(out)
	return nil
}
