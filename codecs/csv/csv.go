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
	"sync"

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

// column is one field of a row struct.
type column struct {
	name  string
	index int
	kind  reflect.Kind
	bits  int
}

// table is the layout of a row struct.
type table struct {
	columns []column
	header  []string
}

var tables sync.Map // reflect.Type of the row struct → *table or error

// tableOf returns the layout of rows of struct type t.
func tableOf(t reflect.Type) (*table, error) {
	if v, ok := tables.Load(t); ok {
		if err, ok := v.(error); ok {
			return nil, err
		}
		return v.(*table), nil
	}
	tab, err := layout(t)
	if err != nil {
		tables.Store(t, err)
		return nil, err
	}
	tables.Store(t, tab)
	return tab, nil
}

func layout(t reflect.Type) (*table, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: rows of %s", ErrNotTable, t)
	}
	tab := &table{}
	seen := make(map[string]bool)
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			return nil, fmt.Errorf("%w: %s.%s is unexported", ErrNotTable, t, f.Name)
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("csv"); ok {
			if tag == "" || tag == "-" {
				return nil, fmt.Errorf("%w: %s.%s has the tag csv:%q; name the column or drop the tag", ErrNotTable, t, f.Name, tag)
			}
			name = tag
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: two columns of %s are named %q", ErrNotTable, t, name)
		}
		seen[name] = true
		switch k := f.Type.Kind(); k {
		case reflect.String, reflect.Bool:
			tab.columns = append(tab.columns, column{name: name, index: i, kind: k})
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64:
			tab.columns = append(tab.columns, column{name: name, index: i, kind: k, bits: f.Type.Bits()})
		default:
			return nil, fmt.Errorf("%w: %s.%s is a %s", ErrNotTable, t, f.Name, f.Type)
		}
		tab.header = append(tab.header, name)
	}
	if len(tab.columns) == 0 {
		return nil, fmt.Errorf("%w: %s has no fields", ErrNotTable, t)
	}
	return tab, nil
}

// sliceOf returns the slice value v holds, or v points to.
func sliceOf(v any) (reflect.Value, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Slice {
		return reflect.Value{}, fmt.Errorf("%w: %T", ErrNotTable, v)
	}
	return rv, nil
}

// Marshal writes v, a slice of flat structs, as CSV with a header row: a
// nil slice as no bytes, an empty one as the header alone.
func (Codec) Marshal(v any) ([]byte, error) {
	rv, err := sliceOf(v)
	if err != nil {
		return nil, err
	}
	tab, err := tableOf(rv.Type().Elem())
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
			record[j] = format(row.Field(c.index), c)
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

func format(f reflect.Value, c column) string {
	switch c.kind {
	case reflect.String:
		return f.String()
	case reflect.Bool:
		return strconv.FormatBool(f.Bool())
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(f.Float(), 'g', -1, c.bits)
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
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("%w: decoding into %T", ErrNotTable, v)
	}
	st := rv.Elem().Type()
	tab, err := tableOf(st.Elem())
	if err != nil {
		return err
	}
	if len(data) == 0 {
		rv.Elem().SetZero()
		return nil
	}
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
			if err := parse(row.Field(c.index), c, record[j]); err != nil {
				return fmt.Errorf("%w: csv row %d, column %q: %w", store.ErrCorrupt, n+1, c.name, err)
			}
		}
		out = reflect.Append(out, row)
	}
	rv.Elem().Set(out)
	return nil
}

func parse(f reflect.Value, c column, s string) error {
	switch c.kind {
	case reflect.String:
		f.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil || s != strconv.FormatBool(b) {
			return fmt.Errorf("invalid bool %q", s)
		}
		f.SetBool(b)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(s, c.bits)
		if err != nil {
			return err
		}
		f.SetFloat(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x, err := strconv.ParseUint(s, 10, c.bits)
		if err != nil {
			return err
		}
		f.SetUint(x)
	default:
		x, err := strconv.ParseInt(s, 10, c.bits)
		if err != nil {
			return err
		}
		f.SetInt(x)
	}
	return nil
}
