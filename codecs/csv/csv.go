// Package csv is memogen's CSV codec: a result that is a table, a slice of
// flat structs, stored as a CSV file with a header row, which DuckDB,
// pandas or a spreadsheet opens as it is (read_csv_auto('x.csv') on an
// entry's payload, after its one metadata line). Importing it registers
// the codec "csv".
//
// A flat struct has exported fields of string, bool, integer and float
// kinds only; each becomes a column named by the field's name, or by its
// `csv:"name"` tag. memogen refuses any other result type for codec=csv
// at generation time. Floats are written in the shortest form that parses
// back to the same value (NaN and ±Inf included); a nil slice is stored as
// nothing at all and an empty one as the header alone, so that each reads
// back as it was. What CSV cannot carry exactly depends on the value:
// encoding/csv reads a carriage return before a newline inside a field as
// a newline alone, so a string holding "\r\n" would come back changed; the
// runtime's check that a result reads back equal keeps such a result out
// of the cache.
package csv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/memogen/memogen/codecs/internal/rows"
	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "csv"

func init() { store.RegisterCodec(Name, Codec{}) }

// Codec encodes slices of flat structs as CSV with a header row.
type Codec struct{}

var _ store.LimitedCodec = Codec{}

// ErrNotTable reports a value that is not a slice of flat structs.
var ErrNotTable = errors.New("csv: not a slice of flat structs (exported fields of string, bool, integer or float kinds)")

// table is what the codec keeps of a row type: its columns, and the header
// row that names them.
type table struct {
	columns []rows.Column
	header  []string
}

// tables holds the table of every row type the codec has met. A `csv` tag
// names a column; a comma in it is part of the name.
var tables = rows.NewTables(rows.Rules{Tag: "csv", NotTable: ErrNotTable}, newTable)

// newTable returns the table of rows whose columns are cols.
func newTable(_ reflect.Type, cols []rows.Column) *table {
	tab := &table{columns: cols}
	for _, c := range cols {
		tab.header = append(tab.header, c.Name)
	}
	return tab
}

// Marshal writes v, a slice of flat structs, as CSV with a header row: a
// nil slice as no bytes, an empty one as the header alone.
func (Codec) Marshal(v any) ([]byte, error) {
	rv, tab, err := tables.Slice(v)
	if err != nil {
		return nil, err
	}
	if rv.IsNil() {
		return []byte{}, nil
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(tab.header); err != nil {
		return nil, err
	}
	record := make([]string, len(tab.columns))
	for i := range rv.Len() {
		row := rv.Index(i)
		for j, c := range tab.columns {
			record[j] = format(row.Field(c.Index), c)
		}
		if len(record) == 1 && record[0] == "" {
			// encoding/csv writes a lone empty field as an empty line,
			// which readers skip: quote it so that the row stays.
			w.Flush()
			buf.WriteString("\"\"\n")
			continue
		}
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func format(f reflect.Value, c rows.Column) string {
	switch c.Kind {
	case reflect.String:
		return f.String()
	case reflect.Bool:
		return strconv.FormatBool(f.Bool())
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(f.Float(), 'g', -1, c.Bits)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(f.Uint(), 10)
	}
	return strconv.FormatInt(f.Int(), 10)
}

// Unmarshal decodes CSV data into v, a pointer to a slice of flat structs,
// within store.DefaultLimits.
func (c Codec) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, store.DefaultLimits())
}

// UnmarshalLimited decodes CSV data into v, a pointer to a slice of flat
// structs. Before it decodes, it bounds what the rows will take: each line
// of data is at most one row, so the slice, grown by doubling, takes at
// most twice lines × the row's size, and the strings at most data's size;
// when that exceeds lim.MaxAlloc, it fails with an error wrapping
// store.ErrTooLarge. Data whose header is not the row type's, whose rows
// have another number of fields, or whose fields do not parse as their
// columns' kinds fails with an error wrapping store.ErrCorrupt.
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
	lines := int64(bytes.Count(data, []byte{'\n'})) + 1
	if need := 2*lines*int64(st.Elem().Size()) + 2*int64(len(data)); need > lim.MaxAlloc {
		return fmt.Errorf("%w: %d lines of %s may take %d bytes, over the limit of %d", store.ErrTooLarge, lines, st.Elem(), need, lim.MaxAlloc)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: csv: decoding panicked: %v", store.ErrCorrupt, p)
		}
	}()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(tab.columns)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%w: csv header: %w", store.ErrCorrupt, err)
	}
	for i, name := range header {
		if name != tab.header[i] {
			return fmt.Errorf("%w: csv column %d is %q, want %q", store.ErrCorrupt, i+1, name, tab.header[i])
		}
	}
	out := reflect.MakeSlice(st, 0, 0)
	row := reflect.New(st.Elem()).Elem()
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := lim.CheckDeadline(); err != nil {
				return err
			}
		}
		record, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: csv: %w", store.ErrCorrupt, err)
		}
		row.SetZero()
		for j, c := range tab.columns {
			if err := parse(row.Field(c.Index), c, record[j]); err != nil {
				return fmt.Errorf("%w: csv row %d, column %q: %w", store.ErrCorrupt, n+1, c.Name, err)
			}
		}
		out = reflect.Append(out, row)
	}
	sv.Set(out)
	return nil
}

func parse(f reflect.Value, c rows.Column, s string) error {
	switch c.Kind {
	case reflect.String:
		f.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil || s != strconv.FormatBool(b) {
			return fmt.Errorf("invalid bool %q", s)
		}
		f.SetBool(b)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(s, c.Bits)
		if err != nil {
			return err
		}
		f.SetFloat(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x, err := strconv.ParseUint(s, 10, c.Bits)
		if err != nil {
			return err
		}
		f.SetUint(x)
	default:
		x, err := strconv.ParseInt(s, 10, c.Bits)
		if err != nil {
			return err
		}
		f.SetInt(x)
	}
	return nil
}
