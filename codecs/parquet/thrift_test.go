package parquet

import (
	"errors"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go/format"

	"github.com/memogen/memogen/runtime/store"
)

// TestMaxElemSize checks that maxElemSize bounds the elements of the lists
// of Parquet's metadata.
func TestMaxElemSize(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[format.FileMetaData](), reflect.TypeFor[format.RowGroup](),
		reflect.TypeFor[format.ColumnChunk](), reflect.TypeFor[format.SchemaElement](),
		reflect.TypeFor[format.KeyValue](), reflect.TypeFor[format.PageEncodingStats](),
		reflect.TypeFor[format.ColumnOrder](), reflect.TypeFor[format.SortingColumn](),
		reflect.TypeFor[format.PageHeader](),
	} {
		if typ.Size() > maxElemSize {
			t.Errorf("%s takes %d bytes, over maxElemSize (%d)", typ, typ.Size(), maxElemSize)
		}
	}
}

// TestWalkThrift checks that a list which claims more elements than its
// bytes hold, or more than the budget, and nesting past maxDepth are
// refused before parquet-go would make them.
func TestWalkThrift(t *testing.T) {
	// A struct whose field 1 is a list of 2³¹-1 i32s, then nothing.
	huge := []byte{0x19, 0xf5, 0xff, 0xff, 0xff, 0xff, 0x07}
	if _, err := walkThrift(huge, 1<<40); !errors.Is(err, errThrift) {
		t.Errorf("walkThrift(a list of 2³¹-1 elements in 7 bytes) = %v; want errThrift", err)
	}
	// A struct whose field 1 is a list of 4 i32s, within 4 bytes, then stop.
	four := []byte{0x19, 0x45, 1, 2, 3, 4, 0}
	if n, err := walkThrift(four, 4*maxElemSize); err != nil || n != len(four) {
		t.Errorf("walkThrift(a list of 4) = %d, %v; want %d, nil", n, err, len(four))
	}
	if _, err := walkThrift(four, 3*maxElemSize); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("walkThrift(a list of 4 over the budget) = %v; want ErrTooLarge", err)
	}
	// Structs nested in field 1 of structs, deeper than maxDepth.
	var deep []byte
	for range maxDepth + 2 {
		deep = append(deep, 0x1c)
	}
	if _, err := walkThrift(deep, 1<<40); !errors.Is(err, errThrift) {
		t.Errorf("walkThrift(deep nesting) = %v; want errThrift", err)
	}
}
