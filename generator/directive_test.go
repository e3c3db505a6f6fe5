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
	{"ttl", []optionError{{0, `missing "=" in "ttl"`}}},
	{"  nocache", []optionError{{2, `missing "=" in "nocache"`}}},
	{"ttl 10m", []optionError{{0, `missing "=" in "ttl"`}, {4, `missing "=" in "10m"`}}},
	{"=10m", []optionError{{0, `missing option name before "="`}}},
	{"ttl=", []optionError{{4, `empty value for option "ttl"`}}},
	{"ttl= size=1", []optionError{{4, `empty value for option "ttl"`}}},
	{`version=""`, []optionError{{8, `empty value for option "version"`}}},

	// Unknown names get a suggestion when one is close.
	{"tll=10m", []optionError{{0, `unknown option "tll"; did you mean "ttl"?`}}},
	{"TTL=10m", []optionError{{0, `unknown option "TTL"; did you mean "ttl"?`}}},
	{"recevier=fields", []optionError{{0, `unknown option "recevier"; did you mean "receiver"?`}}},
	{"igonre=a", []optionError{{0, `unknown option "igonre"; did you mean "ignore"?`}}},
	{"expiry=10m", []optionError{{0, `unknown option "expiry"`}}},
	{`"ttl"=10m`, []optionError{{0, `unknown option "\"ttl\""`}}},

	// Each option may be given once; the first is kept.
	{"ttl=1m ttl=2m", []optionError{{7, `duplicate option "ttl"`}}},
	{"ttl=1m ttl=oops", []optionError{{7, `duplicate option "ttl"`}}},

	// ttl= must be a non-negative duration.
	{"ttl=10x", []optionError{{4, `invalid ttl "10x": want a duration such as "90s" or "1h30m"`}}},
	{"ttl=10", []optionError{{4, `invalid ttl "10": want a duration such as "90s" or "1h30m"`}}},
	{"ttl=-5m", []optionError{{4, `invalid ttl "-5m": must not be negative`}}},

	// size= must be a positive decimal integer.
	{"size=0", []optionError{{5, `invalid size "0": want a positive integer`}}},
	{"size=-1", []optionError{{5, `invalid size "-1": want a positive integer`}}},
	{"size=+5", []optionError{{5, `invalid size "+5": want a positive integer`}}},
	{"size=1.5", []optionError{{5, `invalid size "1.5": want a positive integer`}}},
	{"size=ten", []optionError{{5, `invalid size "ten": want a positive integer`}}},
	{"size=99999999999999999999", []optionError{{5, `invalid size "99999999999999999999": too large`}}},

	// receiver= must be ignore or fields.
	{"receiver=feilds", []optionError{{9, `invalid receiver "feilds": want "ignore" or "fields"; did you mean "fields"?`}}},
	{"receiver=Ignore", []optionError{{9, `invalid receiver "Ignore": want "ignore" or "fields"; did you mean "ignore"?`}}},
	{"receiver=auto", []optionError{{9, `invalid receiver "auto": want "ignore" or "fields"`}}},

	// name= must be a Go identifier other than a keyword or "_".
	{"name=1abc", []optionError{{5, `invalid name "1abc": want a Go identifier`}}},
	{"name=get-user", []optionError{{5, `invalid name "get-user": want a Go identifier`}}},
	{"name=func", []optionError{{5, `invalid name "func": want a Go identifier, not a keyword`}}},
	{"name=_", []optionError{{5, `invalid name "_": want a Go identifier other than "_"`}}},

	// backend= must fit in an environment variable name.
	{"backend=redis-1", []optionError{{8, `invalid backend "redis-1": want only letters, digits and underscores`}}},
	{"backend=rédis", []optionError{{8, `invalid backend "rédis": want only letters, digits and underscores`}}},

	// ignore= must be a comma-separated list of distinct identifiers;
	// errors point at the element.
	{"ignore=a,,b", []optionError{{9, `empty parameter name in ignore list`}}},
	{"ignore=a,", []optionError{{9, `empty parameter name in ignore list`}}},
	{"ignore=,a", []optionError{{7, `empty parameter name in ignore list`}}},
	{"ignore=a,1b", []optionError{{9, `invalid parameter "1b" in ignore list: want a Go identifier`}}},
	{"ignore=a,type", []optionError{{9, `invalid parameter "type" in ignore list: want a Go identifier, not a keyword`}}},
	{"ignore=_", []optionError{{7, `invalid parameter "_" in ignore list: want a Go identifier other than "_"`}}},
	{"ignore=a,b,a", []optionError{{11, `duplicate parameter "a" in ignore list`}}},
	{"dynamic=a,,b", []optionError{{10, `empty parameter name in dynamic list`}}},
	{"dynamic=a,1b", []optionError{{10, `invalid parameter "1b" in dynamic list: want a Go identifier`}}},
	{"dynamic=a,b,a", []optionError{{12, `duplicate parameter "a" in dynamic list`}}},
	{`ignore="a, b"`, []optionError{{10, `invalid parameter " b" in ignore list: want a Go identifier`}}},
	// Where escapes hide the element's position, the error points at the value.
	{`ignore="a,\x31"`, []optionError{{7, `invalid parameter "1" in ignore list: want a Go identifier`}}},

	// nocache= must be an identifier.
	{"nocache=1x", []optionError{{8, `invalid nocache "1x": want a Go identifier`}}},
	{"nocache=refresh,force", []optionError{{8, `invalid nocache "refresh,force": want a Go identifier`}}},
	{"nocache=range", []optionError{{8, `invalid nocache "range": want a Go identifier, not a keyword`}}},

	// codec= must be lower-case stages joined by "+".
	{"codec=JSON", []optionError{{6, `invalid codec "JSON": ` + codecWant}}},
	{"codec=json+", []optionError{{6, `invalid codec "json+": ` + codecWant}}},
	{"codec=+zstd", []optionError{{6, `invalid codec "+zstd": ` + codecWant}}},
	{"codec=msgpack++zstd", []optionError{{6, `invalid codec "msgpack++zstd": ` + codecWant}}},
	{"codec=msgpack,zstd", []optionError{{6, `invalid codec "msgpack,zstd": ` + codecWant}}},
	{"codec=json-v2", []optionError{{6, `invalid codec "json-v2": ` + codecWant}}},

	// verify= is true or false, spelled so.
	{"verify=flase", []optionError{{7, `invalid verify "flase": want "true" or "false"; did you mean "false"?`}}},
	{"verify=False", []optionError{{7, `invalid verify "False": want "true" or "false"; did you mean "false"?`}}},
	{"verify=off", []optionError{{7, `invalid verify "off": want "true" or "false"`}}},
	{"verify=0", []optionError{{7, `invalid verify "0": want "true" or "false"`}}},
	{"verfiy=false", []optionError{{0, `unknown option "verfiy"; did you mean "verify"?`}}},

	// Quoted values must be well-formed Go strings, followed by a space or the end.
	{`version="release 2`, []optionError{{8, `unterminated quoted value`}}},
	{`version="abc\"`, []optionError{{8, `unterminated quoted value`}}},
	{`version="a"b`, []optionError{{11, `unexpected "b" after quoted value`}}},
	{`version="\q"`, []optionError{{8, `invalid quoted value: not a valid Go string literal`}}},
	{`version="\q"x`, []optionError{
		{8, `invalid quoted value: not a valid Go string literal`},
		{12, `unexpected "x" after quoted value`},
	}},

	// A quoted value is skipped as one piece even after an unknown name.
	{`foo="a b" ttl=x`, []optionError{
		{0, `unknown option "foo"`},
		{14, `invalid ttl "x": want a duration such as "90s" or "1h30m"`},
	}},
	{`foo="a b`, []optionError{{0, `unknown option "foo"`}, {4, `unterminated quoted value`}}},

	// Every mistake is reported, in text order.
	{"tll=10m size=0 receiver=feilds ignore=a,,a name=ok", []optionError{
		{0, `unknown option "tll"; did you mean "ttl"?`},
		{13, `invalid size "0": want a positive integer`},
		{24, `invalid receiver "feilds": want "ignore" or "fields"; did you mean "fields"?`},
		{40, `empty parameter name in ignore list`},
		{41, `duplicate parameter "a" in ignore list`},
	}},
}

func TestParseOptionsErrors(t *testing.T) {
	for _, tt := range invalidOptions {
		if _, errs := parseOptions(tt.text); !reflect.DeepEqual(errs, tt.want) {
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
