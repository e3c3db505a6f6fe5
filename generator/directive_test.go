package generator

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// validOptions are option texts parseOptions accepts, with the directive
// each yields. Backend is "default" where want leaves it empty; positions
// and Canonical are checked by their own tests.
var validOptions = []struct {
	text string
	want directive
}{
	// Nothing given: every option is absent.
	{"", directive{}},
	{" \t ", directive{}},

	// ttl= takes a Go duration; 0 means no expiry.
	{" ttl=10m", directive{TTL: 10 * time.Minute}},
	{"ttl=1h30m", directive{TTL: 90 * time.Minute}},
	{"ttl=1.5s", directive{TTL: 1500 * time.Millisecond}},
	{"ttl=0", directive{}},

	// errttl= takes a positive Go duration.
	{"errttl=1m", directive{Fresh: freshOptions{ErrTTL: time.Minute}}},

	// ignore= takes parameter names, kept in the order written.
	{"ignore=logger", directive{Ignore: []string{"logger"}}},
	{"ignore=logger,tracer", directive{Ignore: []string{"logger", "tracer"}}},
	{"ignore=tracer,logger", directive{Ignore: []string{"tracer", "logger"}}},
	{"ignore=ctx,_x,ä", directive{Ignore: []string{"ctx", "_x", "ä"}}},
	// dynamic= too.
	{"dynamic=v", directive{Dynamic: []string{"v"}}},
	{"dynamic=b,a", directive{Dynamic: []string{"b", "a"}}},

	// nocache= and name= take identifiers.
	{"nocache=refresh", directive{NoCache: "refresh"}},
	{"name=cachedUser", directive{Name: "cachedUser"}},

	// backend= takes letters, digits and underscores; "default" is the default.
	{"backend=redis", directive{Backend: "redis"}},
	{"backend=Redis_2", directive{Backend: "Redis_2"}},
	{"backend=default", directive{}},

	// size= takes a positive decimal integer.
	{"size=100", directive{Size: 100}},
	{"size=1", directive{Size: 1}},
	{"size=007", directive{Size: 7}},

	// receiver= is ignore or fields.
	{"receiver=ignore", directive{Receiver: receiverIgnore}},
	{"receiver=fields", directive{Receiver: receiverFields}},

	// codec= is one or more lower-case stages joined by "+".
	{"codec=json", directive{Codec: "json"}},
	{"codec=msgpack+zstd", directive{Codec: "msgpack+zstd"}},
	{"codec=gob+s2+base64", directive{Codec: "gob+s2+base64"}},

	// version= takes any text; quote it to include spaces.
	{"version=v2", directive{Version: "v2"}},
	{"version=2024-01-01", directive{Version: "2024-01-01"}},
	{`version="release 2"`, directive{Version: "release 2"}},
	{`version="tab\there \"quoted\""`, directive{Version: "tab\there \"quoted\""}},
	{"version=a=b", directive{Version: "a=b"}},
	{`version=a"b`, directive{Version: `a"b`}},

	// verify= turns store-time verification off, or spells the default.
	{"verify=false", directive{NoVerify: true}},
	{"verify=true", directive{}},
	{`verify="false"`, directive{NoVerify: true}},
	// lock= asks for the lease or refuses it; tags= keeps the order written.
	{"lock=true", directive{Lock: lockOn}},
	{"lock=false", directive{Lock: lockOff}},
	{"tags=users,billing.v2,_x,a-b", directive{Tags: []string{"users", "billing.v2", "_x", "a-b"}}},
	// summary= keeps or drops the readable summary of the arguments.
	{"summary=true", directive{Summary: "true"}},
	{"summary=false", directive{Summary: "false"}},

	// Any value may be quoted.
	{`name="quoted" ttl="5s"`, directive{Name: "quoted", TTL: 5 * time.Second}},

	// Options are separated by runs of spaces and tabs, in any order.
	{"ttl=10m\tignore=logger  nocache=refresh ", directive{
		TTL: 10 * time.Minute, Ignore: []string{"logger"}, NoCache: "refresh",
	}},
	{"receiver=fields codec=json size=10 name=get backend=mem version=3 nocache=fresh ignore=a,b ttl=1h", directive{
		Receiver: receiverFields, Codec: "json", Size: 10, Name: "get", Backend: "mem",
		Version: "3", NoCache: "fresh", Ignore: []string{"a", "b"}, TTL: time.Hour,
	}},
}

func TestParseOptions(t *testing.T) {
	for _, tt := range validOptions {
		got, errs := parseOptions(tt.text)
		if errs != nil {
			t.Errorf("parseOptions(%q) errors = %v; want none", tt.text, errs)
		}
		want := tt.want
		if want.Backend == "" {
			want.Backend = "default"
		}
		if got := withoutPositions(got); !reflect.DeepEqual(got, want) {
			t.Errorf("parseOptions(%q) = %+v; want %+v", tt.text, got, want)
		}
	}
}

// withoutPositions clears what depends on the text as written rather than
// on what it means, and Canonical, which TestCanonical checks.
func withoutPositions(d directive) directive {
	d.Offsets, d.IgnoreOffsets, d.DynamicOffsets, d.Canonical = nil, nil, nil, ""
	return d
}

const codecWant = `want lower-case letters and digits, with "+" between stages, such as "json" or "msgpack+zstd"`

// invalidOptions are option texts with mistakes, and the errors each yields.
var invalidOptions = []struct {
	text string
	want []optionError
}{
	// Each option is name=value.
	{"ttl", []optionError{{Offset: 0, Msg: `missing "=" in "ttl"`}}},
	{"  nocache", []optionError{{Offset: 2, Msg: `missing "=" in "nocache"`}}},
	{"ttl 10m", []optionError{{Offset: 0, Msg: `missing "=" in "ttl"`}, {Offset: 4, Msg: `missing "=" in "10m"`}}},
	{"=10m", []optionError{{Offset: 0, Msg: `missing option name before "="`}}},
	{"ttl=", []optionError{{Offset: 4, Msg: `empty value for option "ttl"`}}},
	{"ttl= size=1", []optionError{{Offset: 4, Msg: `empty value for option "ttl"`}}},
	{`version=""`, []optionError{{Offset: 8, Msg: `empty value for option "version"`}}},

	// A comment cannot follow the options; one inside quotes is a value.
	{"ttl=1m // kept a minute", []optionError{{Offset: 7, Msg: `a directive line cannot end in a comment: "// kept a minute" would be read as options; put the comment on a line of its own`}}},
	{"//x", []optionError{{Offset: 0, Msg: `a directive line cannot end in a comment: "//x" would be read as options; put the comment on a line of its own`}}},

	// Unknown names get a suggestion when one is close.
	{"tll=10m", []optionError{{Offset: 0, Msg: `unknown option "tll"; did you mean "ttl"?`}}},
	{"TTL=10m", []optionError{{Offset: 0, Msg: `unknown option "TTL"; did you mean "ttl"?`}}},
	{"recevier=fields", []optionError{{Offset: 0, Msg: `unknown option "recevier"; did you mean "receiver"?`}}},
	{"igonre=a", []optionError{{Offset: 0, Msg: `unknown option "igonre"; did you mean "ignore"?`}}},
	{"expiry=10m", []optionError{{Offset: 0, Msg: `unknown option "expiry"`}}},
	{`"ttl"=10m`, []optionError{{Offset: 0, Msg: `unknown option "\"ttl\""`}}},

	// Each option may be given once; the first is kept.
	{"ttl=1m ttl=2m", []optionError{{Offset: 7, Msg: `duplicate option "ttl"`}}},
	{"ttl=1m ttl=oops", []optionError{{Offset: 7, Msg: `duplicate option "ttl"`}}},

	// ttl= must be a non-negative duration.
	{"ttl=10x", []optionError{{Offset: 4, Msg: `invalid ttl "10x": want a duration such as "90s" or "1h30m"`}}},
	{"ttl=10", []optionError{{Offset: 4, Msg: `invalid ttl "10": want a duration such as "90s" or "1h30m"`}}},
	{"ttl=-5m", []optionError{{Offset: 4, Msg: `invalid ttl "-5m": must not be negative`}}},

	// size= must be a positive decimal integer.
	{"size=0", []optionError{{Offset: 5, Msg: `invalid size "0": want a positive integer`}}},
	{"size=-1", []optionError{{Offset: 5, Msg: `invalid size "-1": want a positive integer`}}},
	{"size=+5", []optionError{{Offset: 5, Msg: `invalid size "+5": want a positive integer`}}},
	{"size=1.5", []optionError{{Offset: 5, Msg: `invalid size "1.5": want a positive integer`}}},
	{"size=ten", []optionError{{Offset: 5, Msg: `invalid size "ten": want a positive integer`}}},
	{"size=99999999999999999999", []optionError{{Offset: 5, Msg: `invalid size "99999999999999999999": too large`}}},

	// receiver= must be ignore or fields.
	{"receiver=feilds", []optionError{{Offset: 9, Msg: `invalid receiver "feilds": want "ignore" or "fields"; did you mean "fields"?`}}},
	{"receiver=Ignore", []optionError{{Offset: 9, Msg: `invalid receiver "Ignore": want "ignore" or "fields"; did you mean "ignore"?`}}},
	{"receiver=auto", []optionError{{Offset: 9, Msg: `invalid receiver "auto": want "ignore" or "fields"`}}},

	// name= must be a Go identifier other than a keyword or "_".
	{"name=1abc", []optionError{{Offset: 5, Msg: `invalid name "1abc": want a Go identifier`}}},
	{"name=get-user", []optionError{{Offset: 5, Msg: `invalid name "get-user": want a Go identifier`}}},
	{"name=func", []optionError{{Offset: 5, Msg: `invalid name "func": want a Go identifier, not a keyword`}}},
	{"name=_", []optionError{{Offset: 5, Msg: `invalid name "_": want a Go identifier other than "_"`}}},

	// backend= must fit in an environment variable name.
	{"backend=redis-1", []optionError{{Offset: 8, Msg: `invalid backend "redis-1": want only letters, digits and underscores`}}},
	{"backend=rédis", []optionError{{Offset: 8, Msg: `invalid backend "rédis": want only letters, digits and underscores`}}},

	// ignore= must be a comma-separated list of distinct identifiers;
	// errors point at the element.
	{"ignore=a,,b", []optionError{{Offset: 9, Msg: `empty parameter name in ignore list`}}},
	{"ignore=a,", []optionError{{Offset: 9, Msg: `empty parameter name in ignore list`}}},
	{"ignore=,a", []optionError{{Offset: 7, Msg: `empty parameter name in ignore list`}}},
	{"ignore=a,1b", []optionError{{Offset: 9, Msg: `invalid parameter "1b" in ignore list: want a Go identifier`}}},
	{"ignore=a,type", []optionError{{Offset: 9, Msg: `invalid parameter "type" in ignore list: want a Go identifier, not a keyword`}}},
	{"ignore=_", []optionError{{Offset: 7, Msg: `invalid parameter "_" in ignore list: want a Go identifier other than "_"`}}},
	{"ignore=a,b,a", []optionError{{Offset: 11, Msg: `duplicate parameter "a" in ignore list`}}},
	{"dynamic=a,,b", []optionError{{Offset: 10, Msg: `empty parameter name in dynamic list`}}},
	{"dynamic=a,1b", []optionError{{Offset: 10, Msg: `invalid parameter "1b" in dynamic list: want a Go identifier`}}},
	{"dynamic=a,b,a", []optionError{{Offset: 12, Msg: `duplicate parameter "a" in dynamic list`}}},
	{`ignore="a, b"`, []optionError{{Offset: 10, Msg: `invalid parameter " b" in ignore list: want a Go identifier`}}},
	// Where escapes hide the element's position, the error points at the value.
	{`ignore="a,\x31"`, []optionError{{Offset: 7, Msg: `invalid parameter "1" in ignore list: want a Go identifier`}}},

	// nocache= must be an identifier.
	{"nocache=1x", []optionError{{Offset: 8, Msg: `invalid nocache "1x": want a Go identifier`}}},
	{"nocache=refresh,force", []optionError{{Offset: 8, Msg: `invalid nocache "refresh,force": want a Go identifier`}}},
	{"nocache=range", []optionError{{Offset: 8, Msg: `invalid nocache "range": want a Go identifier, not a keyword`}}},

	// codec= must be lower-case stages joined by "+".
	{"codec=JSON", []optionError{{Offset: 6, Msg: `invalid codec "JSON": ` + codecWant}}},
	{"codec=json+", []optionError{{Offset: 6, Msg: `invalid codec "json+": ` + codecWant}}},
	{"codec=+zstd", []optionError{{Offset: 6, Msg: `invalid codec "+zstd": ` + codecWant}}},
	{"codec=msgpack++zstd", []optionError{{Offset: 6, Msg: `invalid codec "msgpack++zstd": ` + codecWant}}},
	{"codec=msgpack,zstd", []optionError{{Offset: 6, Msg: `invalid codec "msgpack,zstd": ` + codecWant}}},
	{"codec=json-v2", []optionError{{Offset: 6, Msg: `invalid codec "json-v2": ` + codecWant}}},

	// errttl= is a positive duration.
	{"errttl=0", []optionError{{Offset: 7, Msg: `invalid errttl "0": must be positive`}}},
	{"errttl=-1m", []optionError{{Offset: 7, Msg: `invalid errttl "-1m": must be positive`}}},
	{"errttl=soon", []optionError{{Offset: 7, Msg: `invalid errttl "soon": want a duration such as "90s" or "1h30m"`}}},
	{"errtl=1m", []optionError{{Offset: 0, Msg: `unknown option "errtl"; did you mean "errttl"?`}}},

	// verify= is true or false, spelled so.
	{"verify=flase", []optionError{{Offset: 7, Msg: `invalid verify "flase": want "true" or "false"; did you mean "false"?`}}},
	{"verify=False", []optionError{{Offset: 7, Msg: `invalid verify "False": want "true" or "false"; did you mean "false"?`}}},
	{"verify=off", []optionError{{Offset: 7, Msg: `invalid verify "off": want "true" or "false"`}}},
	{"verify=0", []optionError{{Offset: 7, Msg: `invalid verify "0": want "true" or "false"`}}},
	{"verfiy=false", []optionError{{Offset: 0, Msg: `unknown option "verfiy"; did you mean "verify"?`}}},
	// lock= is true or false; each tag is a plain name, given once.
	{"lock=on", []optionError{{Offset: 5, Msg: `invalid lock "on": want "true" or "false"`}}},
	{"lokc=true", []optionError{{Offset: 0, Msg: `unknown option "lokc"; did you mean "lock"?`}}},
	{"tags=a,,b", []optionError{{Offset: 7, Msg: `empty tag name in tags list`}}},
	{"tags=a,a", []optionError{{Offset: 7, Msg: `duplicate tag "a"`}}},
	{"tags=a/b,-c,.d", []optionError{
		{Offset: 5, Msg: `invalid tag "a/b": want letters, digits, '_', '-' and '.'`},
		{Offset: 9, Msg: `invalid tag "-c": must start with a letter, a digit or '_'`},
		{Offset: 12, Msg: `invalid tag ".d": must start with a letter, a digit or '_'`},
	}},
	// summary= is true or false, spelled so.
	{"summary=ture", []optionError{{Offset: 8, Msg: `invalid summary "ture": want "true" or "false"; did you mean "true"?`}}},
	{"summary=off", []optionError{{Offset: 8, Msg: `invalid summary "off": want "true" or "false"`}}},
	{"sumary=false", []optionError{{Offset: 0, Msg: `unknown option "sumary"; did you mean "summary"?`}}},

	// Quoted values must be well-formed Go strings, followed by a space or the end.
	{`version="release 2`, []optionError{{Offset: 8, Msg: `unterminated quoted value`}}},
	{`version="abc\"`, []optionError{{Offset: 8, Msg: `unterminated quoted value`}}},
	{`version="a"b`, []optionError{{Offset: 11, Msg: `unexpected "b" after quoted value`}}},
	{`version="\q"`, []optionError{{Offset: 8, Msg: `invalid quoted value: not a valid Go string literal`}}},
	{`version="\q"x`, []optionError{
		{Offset: 8, Msg: `invalid quoted value: not a valid Go string literal`},
		{Offset: 12, Msg: `unexpected "x" after quoted value`},
	}},

	// A quoted value is skipped as one piece even after an unknown name.
	{`foo="a b" ttl=x`, []optionError{
		{Offset: 0, Msg: `unknown option "foo"`},
		{Offset: 14, Msg: `invalid ttl "x": want a duration such as "90s" or "1h30m"`},
	}},
	{`foo="a b`, []optionError{{Offset: 0, Msg: `unknown option "foo"`}, {Offset: 4, Msg: `unterminated quoted value`}}},

	// Every mistake is reported, in text order.
	{"tll=10m size=0 receiver=feilds ignore=a,,a name=ok", []optionError{
		{Offset: 0, Msg: `unknown option "tll"; did you mean "ttl"?`},
		{Offset: 13, Msg: `invalid size "0": want a positive integer`},
		{Offset: 24, Msg: `invalid receiver "feilds": want "ignore" or "fields"; did you mean "fields"?`},
		{Offset: 40, Msg: `empty parameter name in ignore list`},
		{Offset: 41, Msg: `duplicate parameter "a" in ignore list`},
	}},
}

func TestParseOptionsErrors(t *testing.T) {
	for _, tt := range invalidOptions {
		if _, errs := parseOptions(tt.text); !reflect.DeepEqual(withoutFixes(errs), tt.want) {
			t.Errorf("parseOptions(%q) errors = %v; want %v", tt.text, errs, tt.want)
		}
	}
}

// TestParseOptionsKeepsGoodOptions checks that a mistake in one option, or
// in one element of ignore=, does not lose the others.
func TestParseOptionsKeepsGoodOptions(t *testing.T) {
	text := "ttl=5m tll=1m size=0 ignore=a,1b,c"
	d, errs := parseOptions(text)
	want := directive{TTL: 5 * time.Minute, Backend: "default", Ignore: []string{"a", "c"}}
	if got := withoutPositions(d); !reflect.DeepEqual(got, want) || len(errs) != 3 {
		t.Errorf("parseOptions(%q) = %+v, %d errors; want %+v, 3 errors", text, got, len(errs), want)
	}
}

func TestParseOptionsOffsets(t *testing.T) {
	tests := []struct {
		text          string
		offsets       map[string]int
		ignoreOffsets []int
	}{
		{"", map[string]int{}, nil},
		{`  ttl=10m ignore=logger,tracer nocache="refresh"`,
			map[string]int{"ttl": 6, "ignore": 17, "nocache": 39}, []int{17, 24}},
		// A quoted value starts at its quote; its elements after it.
		{`ignore="a,b"`, map[string]int{"ignore": 7}, []int{8, 10}},
		// Escapes hide where elements are, so they point at the value.
		{`ignore="a,\x62"`, map[string]int{"ignore": 7}, []int{7, 7}},
		// Rejected elements take no place.
		{"ignore=a,1,c", map[string]int{"ignore": 7}, []int{7, 11}},
		// Rejected and empty values are recorded, so analysis can still
		// point at them; of duplicates, the first is kept.
		{"ttl=bad ttl=1m", map[string]int{"ttl": 4}, nil},
		{"ttl=", map[string]int{"ttl": 4}, nil},
		// Unknown options are not recorded.
		{"tll=1m", map[string]int{}, nil},
	}
	for _, tt := range tests {
		d, _ := parseOptions(tt.text)
		if !reflect.DeepEqual(d.Offsets, tt.offsets) {
			t.Errorf("parseOptions(%q).Offsets = %v; want %v", tt.text, d.Offsets, tt.offsets)
		}
		if !slices.Equal(d.IgnoreOffsets, tt.ignoreOffsets) {
			t.Errorf("parseOptions(%q).IgnoreOffsets = %v; want %v", tt.text, d.IgnoreOffsets, tt.ignoreOffsets)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		// backend is always written; other options only when given.
		{"", "backend=default"},
		{"backend=default", "backend=default"},
		{"ttl=10m", "backend=default ttl=10m0s"},
		{"ttl=0s", "backend=default"},
		{"errttl=90s ttl=1h", "backend=default errttl=1m30s ttl=1h0m0s"},
		// Options are sorted by name and values normalized.
		{`version="release 2" verify=false ttl=90m size=010 receiver=fields nocache=refresh name=getUser ignore=logger,tracer codec=msgpack+zstd backend=redis`,
			`backend=redis codec=msgpack+zstd ignore=logger,tracer name=getUser nocache=refresh receiver=fields size=10 ttl=1h30m0s verify=false version="release 2"`},
		// The default verify=true is left out, as if absent.
		{"verify=true", "backend=default"},
		// Quotes are written only where needed.
		{`name="get" version="v2"`, "backend=default name=get version=v2"},
		{`version="a\"b"`, `backend=default version="a\"b"`},
		{`version=a"b`, `backend=default version="a\"b"`},
		{`version=a\b`, `backend=default version="a\\b"`},
		{`version="tab\there"`, `backend=default version="tab\there"`},
		{`version="\xff"`, `backend=default version="\xff"`},
		{"version=é", "backend=default version=é"},
		// The order of ignore= elements is kept.
		{"ignore=b,a", "backend=default ignore=b,a"},
		{"ignore=x dynamic=b,a", "backend=default dynamic=b,a ignore=x"},
		// lock= and tags= sit in name order too; tags keep their order.
		{"tags=b,a lock=false ttl=1m", "backend=default lock=false tags=b,a ttl=1m0s"},
	}
	for _, tt := range tests {
		if d, _ := parseOptions(tt.text); d.Canonical != tt.want {
			t.Errorf("parseOptions(%q).Canonical = %q; want %q", tt.text, d.Canonical, tt.want)
		}
	}
}

// TestCanonicalIgnoresLayout checks that texts meaning the same directive
// have the same Canonical, whatever their order, spacing and spelling.
func TestCanonicalIgnoresLayout(t *testing.T) {
	same := []string{
		"ttl=10m nocache=refresh",
		"  nocache=refresh\tttl=600s ",
		`nocache="refresh"   ttl=10m0s backend=default`,
		"ttl=600000ms nocache=refresh",
	}
	want, _ := parseOptions(same[0])
	for _, text := range same[1:] {
		if got, _ := parseOptions(text); got.Canonical != want.Canonical {
			t.Errorf("parseOptions(%q).Canonical = %q; want %q, as for %q", text, got.Canonical, want.Canonical, same[0])
		}
	}
}

func TestReceiverModeString(t *testing.T) {
	tests := []struct {
		mode receiverMode
		want string
	}{
		{receiverAuto, "auto"},
		{receiverIgnore, "ignore"},
		{receiverFields, "fields"},
		{receiverMode(7), "receiverMode(7)"},
	}
	for _, tt := range tests {
		if got := tt.mode.String(); got != tt.want {
			t.Errorf("receiverMode(%d).String() = %q; want %q", int(tt.mode), got, tt.want)
		}
	}
}

// FuzzParseOptions checks that parseOptions never panics, that errors and
// offsets stay inside the text and come in text order, and that when there
// are no errors, Canonical parses without errors into the same directive.
func FuzzParseOptions(f *testing.F) {
	for _, tt := range validOptions {
		f.Add(tt.text)
	}
	for _, tt := range invalidOptions {
		f.Add(tt.text)
	}
	f.Add("ttl=2562047h47m16.854775807s size=9223372036854775807")
	f.Add("version=\"\\u00e9\\x00\" name=\xff ignore=a,\xff")
	f.Add("version=\x00\n\r")
	f.Fuzz(func(t *testing.T, text string) {
		d, errs := parseOptions(text)
		checkPositions(t, text, d, errs)
		if len(errs) > 0 {
			return
		}
		again, errs := parseOptions(d.Canonical)
		if errs != nil {
			t.Fatalf("parseOptions(%q) errors = %v; want none, as %q is the Canonical of %q", d.Canonical, errs, d.Canonical, text)
		}
		d.Offsets, d.IgnoreOffsets, d.DynamicOffsets = nil, nil, nil
		again.Offsets, again.IgnoreOffsets, again.DynamicOffsets = nil, nil, nil
		if !reflect.DeepEqual(again, d) {
			t.Errorf("parseOptions(%q) = %+v; want %+v, as for %q", again.Canonical, again, d, text)
		}
	})
}

// checkPositions checks that every offset parseOptions returned for text
// lies in [0, len(text)] and that errors come in text order.
func checkPositions(t *testing.T, text string, d directive, errs []optionError) {
	t.Helper()
	inText := func(off int) bool { return 0 <= off && off <= len(text) }
	for i, e := range errs {
		if !inText(e.Offset) || e.Msg == "" {
			t.Errorf("parseOptions(%q) error %d = %+v; want an offset in [0, %d] and a message", text, i, e, len(text))
		}
		if i > 0 && e.Offset < errs[i-1].Offset {
			t.Errorf("parseOptions(%q) errors = %v; want them in text order", text, errs)
		}
	}
	for name, off := range d.Offsets {
		if !inText(off) {
			t.Errorf("parseOptions(%q).Offsets[%q] = %d; want it in [0, %d]", text, name, off, len(text))
		}
	}
	for _, off := range d.IgnoreOffsets {
		if !inText(off) {
			t.Errorf("parseOptions(%q).IgnoreOffsets = %v; want them in [0, %d]", text, d.IgnoreOffsets, len(text))
		}
	}
	for _, off := range d.DynamicOffsets {
		if !inText(off) {
			t.Errorf("parseOptions(%q).DynamicOffsets = %v; want them in [0, %d]", text, d.DynamicOffsets, len(text))
		}
	}
}

// withoutFixes returns errs without their suggested fixes, which
// TestOptionFixes checks.
func withoutFixes(errs []optionError) []optionError {
	var out []optionError
	for _, e := range errs {
		e.Fix = nil
		out = append(out, e)
	}
	return out
}

// TestOptionFixes checks the fixes parseOptions suggests: the spelling of
// an option's name and quotes around a value with spaces, nothing else.
func TestOptionFixes(t *testing.T) {
	for _, tt := range []struct {
		text, fixed string
	}{
		{"tll=10m", "ttl=10m"},
		{"ttl=1m recevier=fields", "ttl=1m receiver=fields"},
		{"version=v 2", `version="v 2"`},
		{"version=a b c", `version="a b" c`},
		{"expiry=10m", ""},
		{"ttl=10x", ""},
	} {
		_, errs := parseOptions(tt.text)
		fixed := ""
		for _, e := range errs {
			if e.Fix != nil {
				fixed = tt.text[:e.Fix.Start] + e.Fix.New + tt.text[e.Fix.End:]
				break
			}
		}
		if fixed != tt.fixed {
			t.Errorf("parseOptions(%q) fix gives %q; want %q", tt.text, fixed, tt.fixed)
		}
	}
}
