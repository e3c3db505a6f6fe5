package rows_test

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/memogen/memogen/codecs/internal/rows"
)

var errNotTable = errors.New("test: not a table")

// columnsOf derives the columns themselves as a table.
func columnsOf(_ reflect.Type, cols []rows.Column) []rows.Column { return cols }

func newTables(nameOnly bool) *rows.Tables[[]rows.Column] {
	return rows.NewTables(rows.Rules{Tag: "csv", NameOnly: nameOnly, NotTable: errNotTable}, columnsOf)
}

func TestColumns(t *testing.T) {
	type row struct {
		Region string `csv:"region" parquet:"other"`
		ID     int64
		Ok     bool `parquet:"ok"`
		Small  int8 `csv:"a,b"`
		Rate   float32
		N      uint
	}
	cols, err := newTables(false).Of(reflect.TypeFor[row]())
	if err != nil {
		t.Fatalf("Of(row) = %v; want no error", err)
	}
	want := []rows.Column{
		{Name: "region", Index: 0, Kind: reflect.String},
		{Name: "ID", Index: 1, Kind: reflect.Int64, Bits: 64},
		{Name: "Ok", Index: 2, Kind: reflect.Bool},
		{Name: "a,b", Index: 3, Kind: reflect.Int8, Bits: 8},
		{Name: "Rate", Index: 4, Kind: reflect.Float32, Bits: 32},
		{Name: "N", Index: 5, Kind: reflect.Uint, Bits: strconv.IntSize},
	}
	if !slices.Equal(cols, want) {
		t.Errorf("Of(row) = %+v; want %+v", cols, want)
	}
}

func TestRefused(t *testing.T) {
	type hidden struct {
		A int
		b int
	}
	_ = hidden{b: 0} // b is there to be refused, never read
	type dash struct {
		A int `csv:"-"`
	}
	type empty struct {
		A int `csv:""`
	}
	type comma struct {
		A int `csv:"a,omitempty"`
	}
	type dup struct {
		A int `csv:"B"`
		B int
	}
	type ptr struct{ P *int }
	type up struct{ P uintptr }
	type cx struct{ C complex128 }
	type bytes struct{ S []byte }
	type nested struct{ D dup }
	const prefix = "test: not a table: "
	for _, c := range []struct {
		t        reflect.Type
		nameOnly bool
		want     string
	}{
		{reflect.TypeFor[int](), false, "rows of int"},
		{reflect.TypeFor[*dup](), false, "rows of *rows_test.dup"},
		{reflect.TypeFor[struct{}](), false, "struct {} has no fields"},
		{reflect.TypeFor[hidden](), false, "rows_test.hidden.b is unexported"},
		{reflect.TypeFor[dash](), false, `rows_test.dash.A has the tag csv:"-"; name the column or drop the tag`},
		{reflect.TypeFor[empty](), false, `rows_test.empty.A has the tag csv:""; name the column or drop the tag`},
		{reflect.TypeFor[dash](), true, `rows_test.dash.A has the tag csv:"-"; name the column and nothing else, or drop the tag`},
		{reflect.TypeFor[comma](), true, `rows_test.comma.A has the tag csv:"a,omitempty"; name the column and nothing else, or drop the tag`},
		{reflect.TypeFor[dup](), false, `two columns of rows_test.dup are named "B"`},
		{reflect.TypeFor[ptr](), false, "rows_test.ptr.P is a *int"},
		{reflect.TypeFor[up](), false, "rows_test.up.P is a uintptr"},
		{reflect.TypeFor[cx](), false, "rows_test.cx.C is a complex128"},
		{reflect.TypeFor[bytes](), false, "rows_test.bytes.S is a []uint8"},
		{reflect.TypeFor[nested](), false, "rows_test.nested.D is a rows_test.dup"},
	} {
		cols, err := newTables(c.nameOnly).Of(c.t)
		if !errors.Is(err, errNotTable) || err.Error() != prefix+c.want || cols != nil {
			t.Errorf("Of(%s) with NameOnly %v = %v, %v; want nil, %q", c.t, c.nameOnly, cols, err, prefix+c.want)
		}
	}
}

func TestCache(t *testing.T) {
	type row struct{ A, B string }
	type bad struct{ C chan int }
	derived := 0
	tables := rows.NewTables(rows.Rules{Tag: "csv", NotTable: errNotTable}, func(_ reflect.Type, cols []rows.Column) *[]rows.Column {
		derived++
		return &cols
	})
	first, err1 := tables.Of(reflect.TypeFor[row]())
	again, err2 := tables.Of(reflect.TypeFor[row]())
	if err1 != nil || err2 != nil || first != again {
		t.Errorf("Of(row) twice = %p, %v then %p, %v; want the same table twice", first, err1, again, err2)
	}
	_, badErr1 := tables.Of(reflect.TypeFor[bad]())
	_, badErr2 := tables.Of(reflect.TypeFor[bad]())
	if badErr1 == nil || badErr1 != badErr2 {
		t.Errorf("Of(bad) twice = %v then %v; want the same error twice", badErr1, badErr2)
	}
	if derived != 1 {
		t.Errorf("derive ran %d times; want once, for row alone", derived)
	}
}

func TestSlice(t *testing.T) {
	type row struct{ A string }
	tables := newTables(false)
	for _, v := range []any{[]row{{"x"}}, &[]row{{"x"}}} {
		sv, cols, err := tables.Slice(v)
		if err != nil || sv.Len() != 1 || sv.Index(0).Field(0).String() != "x" || len(cols) != 1 || cols[0].Name != "A" {
			t.Errorf("Slice(%T) = %v, %+v, %v; want the slice of one row, column A", v, sv, cols, err)
		}
	}
	for _, c := range []struct {
		v    any
		want string
	}{
		{1, "test: not a table: int"},
		{(*[]row)(nil), "test: not a table: *[]rows_test.row"},
		{&[]int{}, "test: not a table: rows of int"},
		{map[string]row{}, "test: not a table: map[string]rows_test.row"},
		{[]struct{ c int }{}, "test: not a table: struct { c int }.c is unexported"},
	} {
		if _, _, err := tables.Slice(c.v); !errors.Is(err, errNotTable) || err.Error() != c.want {
			t.Errorf("Slice(%T) = %v; want %q", c.v, err, c.want)
		}
	}
}

func TestTarget(t *testing.T) {
	type row struct{ A string }
	tables := newTables(false)
	var got []row
	sv, cols, err := tables.Target(&got)
	if err != nil || len(cols) != 1 {
		t.Fatalf("Target(*[]row) = %v, %+v, %v; want the slice, one column", sv, cols, err)
	}
	sv.Set(reflect.ValueOf([]row{{"y"}}))
	if len(got) != 1 || got[0].A != "y" {
		t.Errorf("setting the target gave %v; want [{y}]", got)
	}
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "test: not a table: decoding into <nil>"},
		{[]row{}, "test: not a table: decoding into []rows_test.row"},
		{(*[]row)(nil), "test: not a table: decoding into *[]rows_test.row"},
		{new(int), "test: not a table: decoding into *int"},
		{&[]int{}, "test: not a table: rows of int"},
	} {
		if _, _, err := tables.Target(c.v); !errors.Is(err, errNotTable) || err.Error() != c.want {
			t.Errorf("Target(%T) = %v; want %q", c.v, err, c.want)
		}
	}
}
