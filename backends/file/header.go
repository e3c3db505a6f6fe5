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

// readEntry describes the entry file at path from its size and metadata
// line, leaving the metadata zero when the line cannot be parsed. It also
// returns the file's info, nil with no error when the file has gone.
func readEntry(path string, key memo.Key) (memo.StoredEntry, fs.FileInfo, error) {
	f, err := os.Open(path)
	if absent(err) {
		return memo.StoredEntry{}, nil, nil
	}
	if err != nil {
		return memo.StoredEntry{}, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return memo.StoredEntry{}, nil, err
	}
	buf := make([]byte, min(fi.Size(), maxHeader))
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return memo.StoredEntry{}, nil, err
	}
	e := memo.StoredEntry{Key: key, Size: fi.Size()}
	if h, err := memo.DecodeEntryHeader(buf[:n]); err == nil {
		e.Created, e.Expires, e.Summary = h.Created, h.Expires, h.Summary
	}
	return e, fi, nil
}
