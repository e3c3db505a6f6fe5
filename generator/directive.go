package generator

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
	"time"

	memoruntime "github.com/memogen/memogen/runtime"
)

// receiverMode says how a method's receiver enters the cache key.
type receiverMode int

const (
	// receiverAuto is the mode when receiver= is absent: the receiver must
	// have a key method, which later analysis checks.
	receiverAuto receiverMode = iota
	// receiverIgnore (receiver=ignore) leaves the receiver out of the key.
	receiverIgnore
	// receiverFields (receiver=fields) keys on the receiver's value: a
	// struct's fields, or the value of any other keyable type.
	receiverFields
)

// String returns the receiver= spelling of m, or "auto" for receiverAuto,
// which has none.
func (m receiverMode) String() string {
	switch m {
	case receiverAuto:
		return "auto"
	case receiverIgnore:
		return "ignore"
	case receiverFields:
		return "fields"
	}
	return fmt.Sprintf("receiverMode(%d)", int(m))
}

// directive holds the options of one //memo:cache line.
type directive struct {
	TTL      time.Duration // ttl=; 0 means no expiry
	Ignore   []string      // ignore=; parameter names in the order written
	Dynamic  []string      // dynamic=; parameter names in the order written
	NoCache  string        // nocache=; "" if absent
	Backend  string        // backend=; "default" if absent
	Size     int           // size=; 0 if absent
	Version  string        // version=; "" if absent
	Receiver receiverMode  // receiver=
	Name     string        // name=; "" if absent
	Codec    string        // codec=; "" if absent (e.g. "json", "msgpack+zstd")
	NoVerify bool          // verify=false; results are then stored unchecked
	Lock     lockMode      // lock=
	Tags     []string      // tags=; tag names in the order written
	Summary  string        // summary=; "true", "false", or "" if absent
	Fresh    freshOptions  // stale=, stale_if_error=, early=, errttl=, ttl_refresh=; see directive_fresh.go

	// Canonical re-serializes the options so that it fingerprints the
	// directive whatever order and spacing the user wrote. It lists the
	// options in alphabetical order of name, separated by single spaces, each
	// as name=value:
	//
	//	backend=redis codec=json dynamic=v ignore=logger,tracer lock=false name=getUser nocache=refresh receiver=fields size=10 summary=false tags=users,billing ttl=10m0s verify=false version="release 2"
	//
	// backend is always present ("backend=default" when absent, so writing
	// the default changes nothing); every other option is left out when it
	// is at its absent value (ttl=0 is left out too, as it means no
	// expiry, and so is verify=true, the default). ttl is written as
	// time.Duration.String writes it, size in decimal, ignore and dynamic in the order written so that parsing Canonical gives
	// back the same Ignore (reordering ignore= thus changes the fingerprint,
	// which costs at most some cache misses). A value is quoted
	// with strconv.Quote only when it would not re-parse bare or is better
	// escaped: when it contains a space, a quote, a backslash, a
	// non-printable character or invalid UTF-8.
	// Parsing Canonical gives back the same directive, apart from offsets.
	Canonical string

	// Offsets maps the name of each option given to the byte offset in the
	// option text where its value starts (at the opening quote of a quoted
	// value), so later analysis can point at, say, the nocache= value. It
	// records an option even when its value was rejected, and keeps the
	// first of duplicates.
	Offsets map[string]int

	// IgnoreOffsets holds, for each element of Ignore, the byte offset in
	// the option text where it starts, so analysis can point at the one
	// ignored name that matches no parameter. Inside a quoted value that
	// uses escapes it falls back to the start of the value.
	IgnoreOffsets []int
	// DynamicOffsets is IgnoreOffsets for Dynamic.
	DynamicOffsets []int
}

// optionError is a mistake in a directive's option text.
type optionError struct {
	Offset int    // byte offset within the option text where the problem starts
	Msg    string // lower case, no trailing period, e.g. `unknown option "tll"; did you mean "ttl"?`
	// Fix, when set, corrects the mistake without changing what a
	// correct directive would mean: a name's spelling, quotes.
	Fix *optionFix
}

// optionFix replaces the option text from Start to End with New.
type optionFix struct {
	Start, End int
	New        string
	Message    string
}

// parseOptions parses the text following "//memo:cache" (it may start with
// spaces, may be empty). It returns every mistake found, not just the first,
// in the order they occur in text, so one run of the generator can report
// them all; options without mistakes are still set in the directive.
//
// Options are separated by runs of spaces and tabs, each written name=value.
// A value is either bare, running to the next space or tab, or a Go
// double-quoted string, which may contain spaces.
func parseOptions(text string) (directive, []optionError) {
	p := parser{text: text, d: directive{
		Backend: memoruntime.DefaultBackend,
		Offsets: map[string]int{},
	}}
	for i := skipBlanks(text, 0); i < len(text); i = skipBlanks(text, i) {
		if strings.HasPrefix(text[i:], "//") {
			// No option starts with "//": it is a comment after the options,
			// which the directive line cannot carry.
			p.errorf(i, "a directive line cannot end in a comment: %q would be read as options; put the comment on a line of its own", text[i:])
			break
		}
		i = p.option(i)
	}
	p.d.Canonical = p.d.canonical()
	return p.d, p.errs
}

// optionSpec describes one option name.
type optionSpec struct {
	name string
	// set validates a non-empty value and stores it in the directive.
	set func(p *parser, v value)
	// format returns the value Canonical shows, or "" to leave the option out.
	format func(d *directive) string
}

// options lists every option in the order Canonical writes them.
var options = []optionSpec{
	{"backend", (*parser).setBackend, func(d *directive) string { return d.Backend }},
	{"codec", (*parser).setCodec, func(d *directive) string { return d.Codec }},
	{"dynamic", (*parser).setDynamic, func(d *directive) string { return strings.Join(d.Dynamic, ",") }},
	{"early", (*parser).setEarly, formatEarly},
	{"errttl", (*parser).setErrTTL, formatDuration(func(d *directive) time.Duration { return d.Fresh.ErrTTL })},
	{"errttl_if", (*parser).setErrTTLIf, func(d *directive) string { return d.Fresh.ErrTTLIf }},
	{"ignore", (*parser).setIgnore, func(d *directive) string { return strings.Join(d.Ignore, ",") }},
	{"lock", (*parser).setLock, formatLock},
	{"name", (*parser).setName, func(d *directive) string { return d.Name }},
	{"nocache", (*parser).setNoCache, func(d *directive) string { return d.NoCache }},
	{"receiver", (*parser).setReceiver, formatReceiver},
	{"size", (*parser).setSize, formatSize},
	{"stale", (*parser).setStale, formatDuration(func(d *directive) time.Duration { return d.Fresh.Stale })},
	{"stale_if_error", (*parser).setStaleIfError, formatDuration(func(d *directive) time.Duration { return d.Fresh.StaleIfError })},
	{"summary", (*parser).setSummary, func(d *directive) string { return d.Summary }},
	{"tags", (*parser).setTags, func(d *directive) string { return strings.Join(d.Tags, ",") }},
	{"ttl", (*parser).setTTL, formatTTL},
	{"ttl_refresh", (*parser).setTTLRefresh, formatTTLRefresh},
	{"verify", (*parser).setVerify, formatVerify},
	{"version", (*parser).setVersion, func(d *directive) string { return d.Version }},
}

// lookupOption returns the spec of the option called name.
func lookupOption(name string) (optionSpec, bool) {
	for _, o := range options {
		if o.name == name {
			return o, true
		}
	}
	return optionSpec{}, false
}

// OptionNames returns the name of every directive option, in alphabetical
// order: the candidates for "did you mean", and what memogen's manual must
// document.
func OptionNames() []string {
	names := make([]string, len(options))
	for i, o := range options {
		names[i] = o.name
	}
	return names
}

// parser accumulates the directive and the mistakes found in one option text.
type parser struct {
	text string
	d    directive
	errs []optionError
	bare *bareOption // the option just read, when its value was not quoted
}

// bareOption is an option whose value was written without quotes, which a
// space ends: what follows may be meant as more of the value.
type bareOption struct {
	name       string
	valueStart int // offset of the value in the option text
}

// quoteHint suggests quoting when the text from start to end, which has no
// "=", directly follows an unquoted value: version=v 2 meant the value
// "v 2". It returns "" otherwise.
func (p *parser) quoteHint(start, end int) (string, *optionFix) {
	if p.bare == nil {
		return "", nil
	}
	value := p.text[p.bare.valueStart:end]
	if strings.ContainsAny(value, "=\"") {
		return "", nil
	}
	quoted := strconv.Quote(value)
	fix := &optionFix{Start: p.bare.valueStart, End: end, New: quoted, Message: fmt.Sprintf("Quote the value: %s=%s", p.bare.name, quoted)}
	return fmt.Sprintf("; to put spaces in a value, quote it: %s=%s", p.bare.name, quoted), fix
}

// errorf records a mistake at offset and lets parsing go on.
func (p *parser) errorf(offset int, format string, args ...any) {
	p.errs = append(p.errs, optionError{Offset: offset, Msg: fmt.Sprintf(format, args...)})
}

// value is one option value as written.
type value struct {
	text   string // the value, unquoted
	offset int    // where the value starts in the option text; at the quote if quoted
	// inner is where text[0] sits in the option text, or -1 when escapes in
	// a quoted value make positions inside it impossible to map back.
	inner int
}

// at returns the offset in the option text of byte i of v.text, or of the
// whole value when that cannot be known.
func (v value) at(i int) int {
	if v.inner < 0 {
		return v.offset
	}
	return v.inner + i
}

// option parses the option starting at start and returns where it ends.
// The value is scanned even when the name is bad, so that a quoted value
// containing spaces is skipped as one piece rather than misread as options.
func (p *parser) option(start int) int {
	nameEnd := scanTo(p.text, start, "= \t")
	if nameEnd == len(p.text) || p.text[nameEnd] != '=' {
		hint, fix := p.quoteHint(start, nameEnd)
		p.errorf(start, "missing \"=\" in %q%s", p.text[start:nameEnd], hint)
		p.errs[len(p.errs)-1].Fix = fix
		return nameEnd
	}
	name := p.text[start:nameEnd]
	spec, nameOK := p.checkName(start, name)
	v, end, valueOK := p.scanValue(nameEnd + 1)
	p.bare = nil
	if valueOK && (nameEnd+1 == len(p.text) || p.text[nameEnd+1] != '"') {
		p.bare = &bareOption{name: name, valueStart: nameEnd + 1}
	}
	if nameOK {
		p.d.Offsets[name] = v.offset
		if valueOK {
			p.setValue(spec, v)
		}
	}
	return end
}

// checkName reports an empty, unknown or repeated option name and returns
// the option's spec when the name is usable.
func (p *parser) checkName(start int, name string) (optionSpec, bool) {
	spec, known := lookupOption(name)
	_, repeated := p.d.Offsets[name]
	switch {
	case name == "":
		p.errorf(start, `missing option name before "="`)
	case !known:
		p.errorf(start, "unknown option %q%s", name, didYouMean(name, OptionNames()))
		if c := closest(name, OptionNames()); c != "" {
			p.errs[len(p.errs)-1].Fix = &optionFix{Start: start, End: start + len(name), New: c, Message: fmt.Sprintf("Change %q to %q", name, c)}
		}
	case repeated:
		p.errorf(start, "duplicate option %q", name)
	default:
		return spec, true
	}
	return optionSpec{}, false
}

// scanValue reads the value starting at start. It returns the value, where
// it ends, and whether it was well formed.
func (p *parser) scanValue(start int) (value, int, bool) {
	if start < len(p.text) && p.text[start] == '"' {
		return p.scanQuoted(start)
	}
	end := scanTo(p.text, start, " \t")
	return value{text: p.text[start:end], offset: start, inner: start}, end, true
}

// scanQuoted reads the Go string literal starting at the quote at start.
func (p *parser) scanQuoted(start int) (value, int, bool) {
	i := start + 1
	for i < len(p.text) && p.text[i] != '"' {
		if p.text[i] == '\\' {
			i++ // an escaped quote does not end the value
		}
		i++
	}
	if i >= len(p.text) {
		p.errorf(start, "unterminated quoted value")
		return value{offset: start, inner: -1}, len(p.text), false
	}
	closed := i + 1
	raw := p.text[start:closed]
	ok := true
	s, err := strconv.Unquote(raw)
	if err != nil {
		p.errorf(start, "invalid quoted value: not a valid Go string literal")
		ok = false
	}
	end := scanTo(p.text, closed, " \t")
	if end > closed {
		p.errorf(closed, "unexpected %q after quoted value", p.text[closed:end])
		ok = false
	}
	inner := start + 1
	if raw[1:len(raw)-1] != s {
		inner = -1
	}
	return value{text: s, offset: start, inner: inner}, end, ok
}

// setValue rejects an empty value, which no option accepts, and hands the
// others to the option's own check.
func (p *parser) setValue(spec optionSpec, v value) {
	if v.text == "" {
		p.errorf(v.offset, "empty value for option %q", spec.name)
		return
	}
	spec.set(p, v)
}

func (p *parser) setTTL(v value) {
	ttl, err := time.ParseDuration(v.text)
	switch {
	case err != nil:
		p.errorf(v.offset, `invalid ttl %q: want a duration such as "90s" or "1h30m"`, v.text)
	case ttl < 0:
		p.errorf(v.offset, "invalid ttl %q: must not be negative", v.text)
	default:
		p.d.TTL = ttl
	}
}

// setSize accepts decimal digits only: strconv.Atoi alone would let "+5"
// through, which nobody writes on purpose.
func (p *parser) setSize(v value) {
	n, err := strconv.Atoi(v.text)
	switch {
	case !containsOnly(v.text, digits) || err == nil && n < 1:
		p.errorf(v.offset, "invalid size %q: want a positive integer", v.text)
	case err != nil:
		p.errorf(v.offset, "invalid size %q: too large", v.text)
	default:
		p.d.Size = n
	}
}

func (p *parser) setReceiver(v value) {
	modes := []receiverMode{receiverIgnore, receiverFields}
	for _, m := range modes {
		if v.text == m.String() {
			p.d.Receiver = m
			return
		}
	}
	p.errorf(v.offset, `invalid receiver %q: want "ignore" or "fields"%s`, v.text,
		didYouMean(v.text, []string{receiverIgnore.String(), receiverFields.String()}))
}

// setName checks that the name can be used as a Go identifier, since the
// generator declares things with it.
func (p *parser) setName(v value) {
	if problem := identifierProblem(v.text); problem != "" {
		p.errorf(v.offset, "invalid name %q: %s", v.text, problem)
		return
	}
	p.d.Name = v.text
}

// setBackend restricts the name to what can follow MEMO_BACKEND_ in an
// environment variable, where backends are bound.
func (p *parser) setBackend(v value) {
	if !containsOnly(v.text, wordChars) {
		p.errorf(v.offset, "invalid backend %q: want only letters, digits and underscores", v.text)
		return
	}
	p.d.Backend = v.text
}

// setIgnore checks each comma-separated parameter name; analysis later
// checks that the names are parameters of the function.
func (p *parser) setIgnore(v value) {
	seen := map[string]bool{}
	pos := 0
	for name := range strings.SplitSeq(v.text, ",") {
		at := v.at(pos)
		pos += len(name) + 1
		problem := identifierProblem(name)
		switch {
		case name == "":
			p.errorf(at, "empty parameter name in ignore list")
		case problem != "":
			p.errorf(at, "invalid parameter %q in ignore list: %s", name, problem)
		case seen[name]:
			p.errorf(at, "duplicate parameter %q in ignore list", name)
		default:
			seen[name] = true
			p.d.Ignore = append(p.d.Ignore, name)
			p.d.IgnoreOffsets = append(p.d.IgnoreOffsets, at)
		}
	}
}

// setNoCache checks that the value can name a parameter; analysis later
// checks that it does.
func (p *parser) setNoCache(v value) {
	if problem := identifierProblem(v.text); problem != "" {
		p.errorf(v.offset, "invalid nocache %q: %s", v.text, problem)
		return
	}
	p.d.NoCache = v.text
}

// setCodec accepts a pipeline of lower-case stage names joined by "+",
// such as "msgpack+zstd"; which stages exist is for analysis to say.
func (p *parser) setCodec(v value) {
	for stage := range strings.SplitSeq(v.text, "+") {
		if stage == "" || !containsOnly(stage, lowerDigits) {
			p.errorf(v.offset, `invalid codec %q: want lower-case letters and digits, with "+" between stages, such as "json" or "msgpack+zstd"`, v.text)
			return
		}
	}
	p.d.Codec = v.text
}

// setVerify accepts true, the default, and false, which stores results in
// byte-level backends without checking that they read back equal.
func (p *parser) setVerify(v value) {
	switch v.text {
	case "true":
		p.d.NoVerify = false
	case "false":
		p.d.NoVerify = true
	default:
		p.errorf(v.offset, `invalid verify %q: want "true" or "false"%s`, v.text, didYouMean(v.text, []string{"true", "false"}))
	}
}

// setSummary accepts true, which keeps a readable summary of the keyed
// arguments in every entry of a byte-level backend, shared ones included,
// and false, which never keeps one (see memo.SummaryPolicy).
func (p *parser) setSummary(v value) {
	switch v.text {
	case "true", "false":
		p.d.Summary = v.text
	default:
		p.errorf(v.offset, `invalid summary %q: want "true" or "false"%s`, v.text, didYouMean(v.text, []string{"true", "false"}))
	}
}

// setVersion accepts any non-empty text: it only feeds the fingerprint.
func (p *parser) setVersion(v value) {
	p.d.Version = v.text
}

// identifierProblem explains why s cannot name a Go function or parameter,
// or returns "" if it can. The blank identifier is refused because nothing
// can refer to it.
func identifierProblem(s string) string {
	switch {
	case token.IsKeyword(s):
		return "want a Go identifier, not a keyword"
	case s == "_":
		return `want a Go identifier other than "_"`
	case !token.IsIdentifier(s):
		return "want a Go identifier"
	}
	return ""
}

const (
	digits      = "0123456789"
	lowerDigits = "abcdefghijklmnopqrstuvwxyz" + digits
	wordChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_" + lowerDigits
)

// containsOnly reports whether every byte of s is one of chars.
func containsOnly(s, chars string) bool {
	for i := range len(s) {
		if strings.IndexByte(chars, s[i]) < 0 {
			return false
		}
	}
	return true
}

// scanTo returns the index of the first byte at or after i that is one of
// stop, or len(s).
func scanTo(s string, i int, stop string) int {
	if j := strings.IndexAny(s[i:], stop); j >= 0 {
		return i + j
	}
	return len(s)
}

// skipBlanks returns the index of the first byte at or after i that is not
// a space or tab.
func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// canonical builds directive.Canonical; see there for the form.
func (d *directive) canonical() string {
	var parts []string
	for _, o := range options {
		if v := o.format(d); v != "" {
			parts = append(parts, o.name+"="+quoteIfNeeded(v))
		}
	}
	return strings.Join(parts, " ")
}

func formatReceiver(d *directive) string {
	if d.Receiver == receiverAuto {
		return ""
	}
	return d.Receiver.String()
}

func formatSize(d *directive) string {
	if d.Size == 0 {
		return ""
	}
	return strconv.Itoa(d.Size)
}

func formatVerify(d *directive) string {
	if d.NoVerify {
		return "false"
	}
	return ""
}

func formatTTL(d *directive) string {
	if d.TTL == 0 {
		return ""
	}
	return d.TTL.String()
}

// quoteIfNeeded quotes v when, written bare, it would not read back as v: a
// space would end it, a leading quote would start a quoted value, and
// control characters or invalid UTF-8 are safer escaped. strconv.Quote
// changes exactly the characters of the last kinds, so comparing with it
// finds them.
func quoteIfNeeded(v string) string {
	q := strconv.Quote(v)
	if strings.Contains(v, " ") || q[1:len(q)-1] != v {
		return q
	}
	return v
}
