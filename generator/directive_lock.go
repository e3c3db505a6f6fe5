package generator

import (
	"fmt"
	"strings"
)

// lockMode says whether a function's misses take a lease across processes.
type lockMode int

const (
	// lockAuto is the mode when lock= is absent: the runtime takes a lease
	// when the bound backend offers a cheap one (files, Redis).
	lockAuto lockMode = iota
	// lockOn (lock=true) asks for the lease, and is refused for a function
	// whose results no shared backend can hold.
	lockOn
	// lockOff (lock=false) never takes one: processes may compute the same
	// missing key at once, as before.
	lockOff
)

// setLock accepts true and false.
func (p *parser) setLock(v value) {
	switch v.text {
	case "true":
		p.d.Lock = lockOn
	case "false":
		p.d.Lock = lockOff
	default:
		p.errorf(v.offset, `invalid lock %q: want "true" or "false"%s`, v.text, didYouMean(v.text, []string{"true", "false"}))
	}
}

func formatLock(d *directive) string {
	switch d.Lock {
	case lockAuto:
		return ""
	case lockOn:
		return "true"
	}
	return "false"
}

// maxTagLen bounds a tag name: tags name Redis keys, files and S3 objects.
const maxTagLen = 64

// tagChars are the bytes a tag name may hold: safe in a Redis key, a file
// name and an S3 object key on every system, and never a separator.
const tagChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-."

// setTags checks each comma-separated tag name.
func (p *parser) setTags(v value) {
	seen := map[string]bool{}
	pos := 0
	for tag := range strings.SplitSeq(v.text, ",") {
		at := v.at(pos)
		pos += len(tag) + 1
		switch problem := tagProblem(tag); {
		case problem != "":
			p.errorf(at, "%s", problem)
		case seen[tag]:
			p.errorf(at, "duplicate tag %q", tag)
		default:
			seen[tag] = true
			p.d.Tags = append(p.d.Tags, tag)
		}
	}
}

// tagProblem explains why tag cannot name a tag, or returns "".
func tagProblem(tag string) string {
	switch {
	case tag == "":
		return "empty tag name in tags list"
	case len(tag) > maxTagLen:
		return fmt.Sprintf("invalid tag %q: longer than %d bytes", tag, maxTagLen)
	case !containsOnly(tag, tagChars):
		return fmt.Sprintf("invalid tag %q: want letters, digits, '_', '-' and '.'", tag)
	case tag[0] == '.' || tag[0] == '-':
		return fmt.Sprintf("invalid tag %q: must start with a letter, a digit or '_'", tag)
	}
	return ""
}
