package file

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// maxHeader bounds the bytes read for a metadata line: a 256-byte summary
// quoted with every byte escaped, and the other fields.
const maxHeader = 4096

// entryExpired reports whether the stored entry in data says, in its
// metadata line, that it has expired at now. Data whose line cannot be
// parsed never expires here: whether an entry is intact is the runtime's
// business, and it verifies the checksum on every hit.
func entryExpired(data []byte, now time.Time) bool {
	expires, err := memo.EntryExpires(data[:min(len(data), maxHeader)])
	return err == nil && !expires.IsZero() && !now.Before(expires)
}

// readEntry describes the file at path, which has the name of key's entry,
// from its size and metadata line. isEntry is false when the file does not
// start with an entry's metadata line, as the runtime writes it: such a
// file is not the store's, whatever its name, and the store neither lists
// nor removes it. fi is nil, with no error, when the file has gone.
func readEntry(path string, key memo.Key) (e memo.StoredEntry, fi fs.FileInfo, isEntry bool, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if absent(err) {
		return e, nil, false, nil
	}
	if err != nil {
		return e, nil, false, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return e, nil, false, err
	}
	if !fi.Mode().IsRegular() {
		return e, fi, false, nil
	}
	buf := make([]byte, min(fi.Size(), maxHeader))
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return e, nil, false, err
	}
	h, err := memo.DecodeEntryHeader(buf[:n])
	if err != nil {
		return e, fi, false, nil
	}
	e = memo.StoredEntry{Key: key, Size: fi.Size(), Created: h.Created, Expires: h.Expires, Summary: h.Summary}
	return e, fi, true, nil
}
