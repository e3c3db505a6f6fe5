package generator

import (
	"fmt"
	"strings"
)

// lockTagsDoc documents lock= and tags= in the wrapper's doc comment.
func lockTagsDoc(fm *funcModel) []string {
	var lines []string
	switch fm.dir.Lock {
	case lockOn:
		lines = append(lines, "Among processes sharing a file or Redis backend, one computes a missing result while the others wait for it, up to memo.Config.LockWait, then compute it themselves (lock=true).")
	case lockOff:
		lines = append(lines, "Processes sharing a backend may compute the same missing result at once: no lease is taken (lock=false).")
	}
	if tags := fm.dir.Tags; len(tags) > 0 {
		quoted := make([]string, len(tags))
		for i, t := range tags {
			quoted[i] = fmt.Sprintf("%q", t)
		}
		lines = append(lines, fmt.Sprintf("memo.InvalidateTags with %s drops every result, in every process sharing the backend (tags=%s).", joinOr(quoted), strings.Join(tags, ",")))
	}
	return lines
}

// joinOr joins words as "a", "a or b", "a, b or c".
func joinOr(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
