package memoimpl

import (
	"encoding/binary"
	"errors"
	"fmt"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// In a byte-level backend, the payload of an entry of a function with
// freshness options starts with an envelope:
//
//	kind  fresh  delta  rest
//
// kind is 'v' for a result, whose encoding rest is, or 'e' for an error
// cached under errttl=; fresh is the logical expiry in Unix nanoseconds (0
// for never) and delta the nanoseconds the function took, both uvarints.
// The entry's own expiry, which the backend enforces, is later than fresh
// by the stale windows. The rest of an error is a uvarint length, a tag of
// that length ("" when the error matched none of the package's error
// variables, "=Name" when it was the variable Name, "~Name" when it
// wrapped it) and the error's message. The function's fingerprint covers
// its options, so entries with and without envelopes never share a key.
const (
	envValue = 'v'
	envError = 'e'
)

// envelope is a parsed envelope.
type envelope struct {
	fresh, delta int64
	err          error  // the cached error, for kind 'e'
	payload      []byte // the encoded result, for kind 'v'
}

// appendEnvelope appends an envelope's head to b.
func appendEnvelope(b []byte, kind byte, fresh, delta int64) []byte {
	b = append(b, kind)
	b = binary.AppendUvarint(b, uint64(fresh))
	return binary.AppendUvarint(b, uint64(delta))
}

// appendErrorEnvelope appends the envelope of err to b, tagged with the
// first of sentinels err is, or wraps.
func appendErrorEnvelope(b []byte, fresh, delta int64, err error, sentinels map[string]error) []byte {
	b = appendEnvelope(b, envError, fresh, delta)
	tag := sentinelTag(err, sentinels)
	b = binary.AppendUvarint(b, uint64(len(tag)))
	b = append(b, tag...)
	return append(b, err.Error()...)
}

// sentinelTag names the error variable err is ("=Name"), or else the first
// in name order that err wraps ("~Name"), or returns "".
func sentinelTag(err error, sentinels map[string]error) string {
	wraps := ""
	for name, s := range sentinels {
		switch {
		case err == s:
			return "=" + name
		case errors.Is(err, s) && (wraps == "" || "~"+name < wraps):
			wraps = "~" + name
		}
	}
	return wraps
}

// parseEnvelope parses the envelope of a stored payload. An error whose
// variable the package no longer declares comes back as a
// [memo.CachedError] with its message alone.
func parseEnvelope(data []byte, sentinels map[string]error) (env envelope, err error) {
	bad := func(what string) error { return fmt.Errorf("%w: freshness envelope: %s", store.ErrCorrupt, what) }
	if len(data) == 0 {
		return env, bad("empty")
	}
	kind, rest := data[0], data[1:]
	fresh, n := binary.Uvarint(rest)
	if n <= 0 || fresh > 1<<63-1 {
		return env, bad("expiry")
	}
	rest = rest[n:]
	delta, n := binary.Uvarint(rest)
	if n <= 0 || delta > 1<<63-1 {
		return env, bad("duration")
	}
	rest = rest[n:]
	env.fresh, env.delta = int64(fresh), int64(delta)
	switch kind {
	case envValue:
		env.payload = rest
		return env, nil
	case envError:
	default:
		return env, bad("kind")
	}
	tagLen, n := binary.Uvarint(rest)
	if n <= 0 || tagLen > uint64(len(rest)-n) {
		return env, bad("error tag")
	}
	tag, msg := string(rest[n:n+int(tagLen)]), string(rest[n+int(tagLen):])
	ce := &memo.CachedError{Msg: msg}
	env.err = ce
	if len(tag) > 1 {
		if s, ok := sentinels[tag[1:]]; ok {
			switch tag[0] {
			case '=':
				env.err = s
			case '~':
				ce.Sentinel = s
			}
		}
	}
	if env.err == nil { // a nil variable
		env.err = ce
	}
	return env, nil
}
