package parquet

import (
	"encoding/binary"
	"errors"
	"fmt"

	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/memogen/memogen/runtime/store"
)

// check walks the column chunks the footer of data lists, and the header of
// every page in them, before any page is decoded, and accepts only files
// laid out as Marshal writes them: one value per row in each column,
// uncompressed, plainly encoded, no dictionary, every page within its
// chunk and every chunk within the file. parquet-go sizes a page's buffer
// by what its header claims, and decodes dictionary and delta encodings
// into more bytes than they take, so a hostile header or encoding could
// otherwise make a small entry allocate without bound. A plain page holds
// at least one bit per value, so the rows are bounded by data's size too.
func check(data []byte, file *pq.File, maxAlloc int64) error {
	md := file.Metadata()
	if md.NumRows < 0 || md.NumRows > 8*int64(len(data)) {
		return corrupt("the footer counts %d rows in %d bytes", md.NumRows, len(data))
	}
	var rows int64
	for g, rg := range md.RowGroups {
		if rg.NumRows < 0 || rg.NumRows > md.NumRows-rows {
			return corrupt("row group %d counts %d rows, the file %d", g, rg.NumRows, md.NumRows)
		}
		rows += rg.NumRows
		for c, cc := range rg.Columns {
			if err := checkChunk(data, &cc, rg.NumRows, maxAlloc); err != nil {
				return fmt.Errorf("%w (row group %d, column %d)", err, g, c)
			}
		}
	}
	if rows != md.NumRows {
		return corrupt("the row groups count %d rows, the file %d", rows, md.NumRows)
	}
	return nil
}

// checkChunk checks a column chunk of a row group of rows rows.
func checkChunk(data []byte, cc *format.ColumnChunk, rows, maxAlloc int64) error {
	m := &cc.MetaData
	switch {
	case cc.FilePath != "":
		return corrupt("a column chunk is in another file, %q", cc.FilePath)
	case m.Codec != format.Uncompressed:
		return corrupt("a column chunk is compressed (%s)", m.Codec)
	case m.DictionaryPageOffset != 0:
		return corrupt("a column chunk has a dictionary")
	case m.NumValues != rows:
		return corrupt("a column chunk has %d values for %d rows", m.NumValues, rows)
	case m.DataPageOffset < 4 || m.TotalCompressedSize < 0 || m.TotalCompressedSize > int64(len(data))-8-m.DataPageOffset:
		return corrupt("a column chunk of %d bytes at %d does not fit in %d bytes", m.TotalCompressedSize, m.DataPageOffset, len(data))
	}
	chunk := data[m.DataPageOffset : m.DataPageOffset+m.TotalCompressedSize]
	var values int64
	for len(chunk) > 0 {
		var h format.PageHeader
		n, err := walkThrift(chunk, maxAlloc)
		if errors.Is(err, store.ErrTooLarge) {
			return fmt.Errorf("parquet page header: %w", err)
		} else if err != nil {
			return corrupt("page header: %v", err)
		}
		if err := thrift.Unmarshal(new(thrift.CompactProtocol), chunk[:n], &h); err != nil {
			return corrupt("page header: %v", err)
		}
		chunk = chunk[n:]
		size := int64(h.CompressedPageSize)
		if size < 0 || size > int64(len(chunk)) || h.UncompressedPageSize != h.CompressedPageSize {
			return corrupt("a page of %d bytes (%d uncompressed) in %d", h.CompressedPageSize, h.UncompressedPageSize, len(chunk))
		}
		var values32 int32
		switch {
		case h.Type == format.DataPage && h.DataPageHeader.Valid && h.DataPageHeader.V.Encoding == format.Plain:
			values32 = h.DataPageHeader.V.NumValues
		case h.Type == format.DataPageV2 && h.DataPageHeaderV2.Valid && h.DataPageHeaderV2.V.Encoding == format.Plain &&
			h.DataPageHeaderV2.V.NumNulls == 0 && h.DataPageHeaderV2.V.NumRows == h.DataPageHeaderV2.V.NumValues &&
			h.DataPageHeaderV2.V.DefinitionLevelsByteLength == 0 && h.DataPageHeaderV2.V.RepetitionLevelsByteLength == 0:
			values32 = h.DataPageHeaderV2.V.NumValues
		default:
			return corrupt("a page is not a plain data page (type %s)", h.Type)
		}
		if values32 < 0 || int64(values32) > 8*size || int64(values32) > rows-values {
			return corrupt("a page of %d bytes holds %d values", size, values32)
		}
		values += int64(values32)
		chunk = chunk[size:]
	}
	if values != rows {
		return corrupt("a column chunk's pages hold %d values for %d rows", values, rows)
	}
	return nil
}

// checkFooter checks the magic numbers around data and the Thrift encoding
// of its footer, before parquet-go decodes it (see walkThrift).
func checkFooter(data []byte, maxAlloc int64) error {
	n := len(data)
	if n < 12 || string(data[:4]) != "PAR1" || string(data[n-4:]) != "PAR1" {
		return corrupt("not a Parquet file of plain footer")
	}
	size := int64(binary.LittleEndian.Uint32(data[n-8:]))
	if size > int64(n-12) {
		return corrupt("a footer of %d bytes in a file of %d", size, n)
	}
	footer := data[int64(n-8)-size : n-8]
	if _, err := walkThrift(footer, maxAlloc); errors.Is(err, store.ErrTooLarge) {
		return fmt.Errorf("parquet footer: %w", err)
	} else if err != nil {
		return corrupt("footer: %v", err)
	}
	return nil
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: parquet: "+format, append([]any{store.ErrCorrupt}, args...)...)
}
