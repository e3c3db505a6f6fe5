package msgpack

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// errTruncated reports data that ends inside a value.
var errTruncated = errors.New("msgpack: data ends inside a value")

// checkLengths walks the MessagePack value at the start of data without
// decoding it and fails when a declared length cannot fit in what remains:
// an array or map announcing more elements than there are bytes left, a
// string longer than the data. The decoder allocates by declared lengths,
// so without this walk a corrupt or hostile entry of a few bytes could make
// it allocate gigabytes. Every element takes at least one byte, so after
// the walk a decode allocates at most len(data) elements of the result's
// element types; entries are bounded by memo.Config.MaxEntryBytes. The
// payloads of extension types are opaque to the walk.
func checkLengths(data []byte) error {
	pos := 0
	pending := 1 // values still to walk; containers add their elements
	for pending > 0 {
		if pos >= len(data) {
			return errTruncated
		}
		pending--
		code := data[pos]
		pos++
		var (
			elems int  // elements of a container
			skip  int  // payload bytes to skip
			n     int  // width of a length field that follows
			ext   bool // an ext type byte follows the length
			mult  = 1
		)
		switch {
		case code <= 0x7f, code >= 0xe0, code == 0xc0, code == 0xc2, code == 0xc3:
			continue
		case code <= 0x8f: // fixmap
			elems, mult = int(code&0x0f), 2
		case code <= 0x9f: // fixarray
			elems = int(code & 0x0f)
		case code <= 0xbf: // fixstr
			skip = int(code & 0x1f)
		default:
			switch code {
			case 0xc4, 0xd9: // bin8, str8
				n = 1
			case 0xc5, 0xda: // bin16, str16
				n = 2
			case 0xc6, 0xdb: // bin32, str32
				n = 4
			case 0xc7, 0xc8, 0xc9: // ext8, ext16, ext32
				n, ext = 1<<(code-0xc7), true
			case 0xca, 0xce, 0xd2: // float32, uint32, int32
				skip = 4
			case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
				skip = 8
			case 0xcc, 0xd0: // uint8, int8
				skip = 1
			case 0xcd, 0xd1: // uint16, int16
				skip = 2
			case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16
				skip = 1 + 1<<(code-0xd4)
			case 0xdc, 0xde: // array16, map16
				n = 2
			case 0xdd, 0xdf: // array32, map32
				n = 4
			default: // 0xc1 is never used
				return fmt.Errorf("msgpack: invalid code %#x at offset %d", code, pos-1)
			}
		}
		if n > 0 {
			if len(data)-pos < n {
				return errTruncated
			}
			var length uint64
			switch n {
			case 1:
				length = uint64(data[pos])
			case 2:
				length = uint64(binary.BigEndian.Uint16(data[pos:]))
			case 4:
				length = uint64(binary.BigEndian.Uint32(data[pos:]))
			}
			pos += n
			if length > uint64(len(data)) {
				return fmt.Errorf("msgpack: length %d at offset %d exceeds the data's %d bytes", length, pos-n-1, len(data))
			}
			switch code {
			case 0xdc, 0xdd:
				elems = int(length)
			case 0xde, 0xdf:
				elems, mult = int(length), 2
			default:
				skip = int(length)
				if ext {
					skip++
				}
			}
		}
		if elems > 0 {
			if elems*mult > len(data)-pos {
				return fmt.Errorf("msgpack: %d elements at offset %d exceed the %d bytes left", elems*mult, pos-1, len(data)-pos)
			}
			pending += elems * mult
			continue
		}
		if skip > len(data)-pos {
			return errTruncated
		}
		pos += skip
	}
	return nil
}
