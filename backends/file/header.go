package file

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// maxHeader bounds the bytes read for a metadata line: a 256-byte summary
// quoted with every byte escaped, and the other fields.
const maxHeader = 4096

// entryExpired reports whether the stored entry in data says, in its
// metadata line, that it has expired at now. Data whose line cannot be
// parsed never expires here: whether an entry is intact is the runtime's
// business, and it verifies the checksum on every hit.
func entryExpired(data []byte, now time.Time) bool {
	expires, err := store.EntryExpires(data[:min(len(data), maxHeader)])
	return err == nil && !expires.IsZero() && !now.Before(expires)
}

// entryFile is what the store learns of a file named like an entry.
type entryFile struct {
	store.StoredEntry
	info fs.FileInfo // nil when the file has gone
	// isEntry is set when the file starts with an entry's metadata line,
	// as the runtime writes it: a file without one is not the store's,
	// whatever its name, and the store neither lists nor removes it.
	isEntry bool
	// old is set for an entry of the previous format, which no reader
	// serves: the runtime takes it for a miss and replaces it.
	old bool
}

// readEntry describes the file at path, which has the name of key's entry,
// from its size and metadata line, leaving the metadata zero when the line
// cannot be parsed.
func readEntry(path string, key store.Key) (entryFile, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow|nonBlock, 0)
	if absent(err) {
		return entryFile{}, nil
	}
	if err != nil {
		return entryFile{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return entryFile{}, err
	}
	e := entryFile{StoredEntry: store.StoredEntry{Key: key, Size: fi.Size()}, info: fi}
	if !fi.Mode().IsRegular() {
		return e, nil
	}
	buf := make([]byte, min(fi.Size(), maxHeader))
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return entryFile{}, err
	}
	h, err := store.DecodeEntryHeader(buf[:n])
	switch {
	case err == nil && key.Codec != "" && h.Codec != key.Codec:
		// An entry copied under another name (a person's x.msgpack.bak,
		// which reads as codec "msgpack+bak") is the person's file.
	case err == nil:
		e.Created, e.Expires, e.Summary = h.Created, h.Expires, h.Summary
		e.isEntry = true
	case errors.Is(err, store.ErrOldEntry):
		e.isEntry, e.old = true, true
	}
	return e, nil
}
