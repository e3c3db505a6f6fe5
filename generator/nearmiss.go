package generator

import (
	"fmt"
	"regexp"
	"strings"
)

// nearMissPattern matches the start of a comment that looks like a
// //memo:cache directive without being one: a space after "//", upper
// case, a missing or different separator ("//memocache", "//memo-cache",
// "// memo: cache"), or a longer word ("//memo:cached"). Group 1 is what
// sits between "//" and "memo", group 2 between "memo" and "cache", group
// 3 is the rest of the line.
var nearMissPattern = regexp.MustCompile(`^//([ \t]*)(?i:memo)([ \t]*[:\-_.]?[ \t]*)(?i:cache[a-z]*)((?:[ \t].*)?)$`)

// optionLike matches option text: empty, or starting with name=.
var optionLike = regexp.MustCompile(`^[ \t]*(?:[A-Za-z]+=|$)`)

// nearMiss returns why the comment text, which is not a directive, looks
// like a mistyped //memo:cache, or "" when it does not. Prose that merely
// mentions memo and caching is left alone: a comment that spells the
// directive with a space after "//", or without a separator, counts only
// when what follows looks like options ("ttl=5m"), and a comment that
// begins "//memo:" is the unknown-directive check's to report.
func nearMiss(text string) string {
	why, _ := nearMissSpelling(text)
	return why
}

// nearMissSpelling returns nearMiss's answer and the text that was meant
// as //memo:cache, which a fix replaces.
func nearMissSpelling(text string) (why, written string) {
	if strings.HasPrefix(text, directivePrefix) {
		return "", ""
	}
	m := nearMissPattern.FindStringSubmatch(text)
	if m == nil {
		return "", ""
	}
	spaced, sep, rest := m[1] != "", m[2], m[3]
	colon := strings.Contains(sep, ":")
	if !colon && rest == "" && (spaced || sep != "" && strings.TrimSpace(sep) == "") {
		return "", "" // "// Memo cache" at the end of a prose line
	}
	if !optionLike.MatchString(rest) {
		return "", ""
	}
	written = strings.TrimRight(text[:len(text)-len(rest)], " \t")
	switch {
	case spaced:
		why = `a directive has no space after "//"`
	case strings.ToLower(written) == directiveLine:
		why = "directives are lower case"
	case !colon:
		why = `"memo" and "cache" are joined by a colon`
	default:
		why = "it is spelt differently"
	}
	return fmt.Sprintf("%q is not a directive, so it would be ignored: %s; did you mean //memo:cache?", written, why), written
}
