package generator

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// validOptions are option texts ParseOptions accepts, with the Directive
// each yields. Backend is "default" where want leaves it empty; positions
// and Canonical are checked by their own tests.
var validOptions = []struct {
	text string
	want Directive
}{
	// Nothing given: every option is absent.
	{"", Directive{}},
	{" \t ", Directive{}},

	// ttl= takes a Go duration; 0 means no expiry.
	{" ttl=10m", Directive{TTL: 10 * time.Minute}},
	{"ttl=1h30m", Directive{TTL: 90 * time.Minute}},
	{"ttl=1.5s", Directive{TTL: 1500 * time.Millisecond}},
	{"ttl=0", Directive{}},

	// ignore= takes parameter names, kept in the order written.
	{"ignore=logger", Directive{Ignore: []string{"logger"}}},
	{"ignore=logger,tracer", Directive{Ignore: []string{"logger", "tracer"}}},
	{"ignore=tracer,logger", Directive{Ignore: []string{"tracer", "logger"}}},
	{"ignore=ctx,_x,ä", Directive{Ignore: []string{"ctx", "_x", "ä"}}},

	// nocache= and name= take identifiers.
	{"nocache=refresh", Directive{NoCache: "refresh"}},
	{"name=cachedUser", Directive{Name: "cachedUser"}},

	// backend= takes letters, digits and underscores; "default" is the default.
	{"backend=redis", Directive{Backend: "redis"}},
	{"backend=Redis_2", Directive{Backend: "Redis_2"}},
	{"backend=default", Directive{}},

	// size= takes a positive decimal integer.
	{"size=100", Directive{Size: 100}},
	{"size=1", Directive{Size: 1}},
	{"size=007", Directive{Size: 7}},

	// receiver= is ignore or fields.
	{"receiver=ignore", Directive{Receiver: ReceiverIgnore}},
	{"receiver=fields", Directive{Receiver: ReceiverFields}},

	// codec= is one or more lower-case stages joined by "+".
	{"codec=json", Directive{Codec: "json"}},
	{"codec=msgpack+zstd", Directive{Codec: "msgpack+zstd"}},
	{"codec=gob+s2+base64", Directive{Codec: "gob+s2+base64"}},

	// version= takes any text; quote it to include spaces.
	{"version=v2", Directive{Version: "v2"}},
	{"version=2024-01-01", Directive{Version: "2024-01-01"}},
	{`version="release 2"`, Directive{Version: "release 2"}},
	{`version="tab\there \"quoted\""`, Directive{Version: "tab\there \"quoted\""}},
	{"version=a=b", Directive{Version: "a=b"}},
	{`version=a"b`, Directive{Version: `a"b`}},

	// verify= turns store-time verification off, or spells the default.
	{"verify=false", Directive{NoVerify: true}},
	{"verify=true", Directive{}},
	{`verify="false"`, Directive{NoVerify: true}},

	// Any value may be quoted.
	{`name="quoted" ttl="5s"`, Directive{Name: "quoted", TTL: 5 * time.Second}},

	// Options are separated by runs of spaces and tabs, in any order.
	{"ttl=10m\tignore=logger  nocache=refresh ", Directive{
		TTL: 10 * time.Minute, Ignore: []string{"logger"}, NoCache: "refresh",
	}},
	{"receiver=fields codec=json size=10 name=get backend=mem version=3 nocache=fresh ignore=a,b ttl=1h", Directive{
		Receiver: ReceiverFields, Codec: "json", Size: 10, Name: "get", Backend: "mem",
		Version: "3", NoCache: "fresh", Ignore: []string{"a", "b"}, TTL: time.Hour,
	}},
}

func TestParseOptions(t *testing.T) {
	for _, tt := range validOptions {
		got, errs := ParseOptions(tt.text)
		if errs != nil {
			t.Errorf("ParseOptions(%q) errors = %v; want none", tt.text, errs)
		}
		want := tt.want
		if want.Backend == "" {
			want.Backend = "default"
		}
		if got := withoutPositions(got); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseOptions(%q) = %+v; want %+v", tt.text, got, want)
		}
	}
}

// withoutPositions clears what depends on the text as written rather than
// on what it means, and Canonical, which TestCanonical checks.
func withoutPositions(d Directive) Directive {
	d.Offsets, d.IgnoreOffsets, d.Canonical = nil, nil, ""
	return d
}

const codecWant = `want lower-case letters and digits, with "+" between stages, such as "json" or "msgpack+zstd"`

// invalidOptions are option texts with mistakes, and the errors each yields.
var invalidOptions = []struct {
	text string
	want []OptionError
}{
	// Each option is name=value.
	{"ttl", []OptionError{{0, `missing "=" in "ttl"`}}},
	{"  nocache", []OptionError{{2, `missing "=" in "nocache"`}}},
	{"ttl 10m", []OptionError{{0, `missing "=" in "ttl"`}, {4, `missing "=" in "10m"`}}},
	{"=10m", []OptionError{{0, `missing option name before "="`}}},
	{"ttl=", []OptionError{{4, `empty value for option "ttl"`}}},
	{"ttl= size=1", []OptionError{{4, `empty value for option "ttl"`}}},
	{`version=""`, []OptionError{{8, `empty value for option "version"`}}},

	// Unknown names get a suggestion when one is close.
	{"tll=10m", []OptionError{{0, `unknown option "tll"; did you mean "ttl"?`}}},
	{"TTL=10m", []OptionError{{0, `unknown option "TTL"; did you mean "ttl"?`}}},
	{"recevier=fields", []OptionError{{0, `unknown option "recevier"; did you mean "receiver"?`}}},
	{"igonre=a", []OptionError{{0, `unknown option "igonre"; did you mean "ignore"?`}}},
	{"expiry=10m", []OptionError{{0, `unknown option "expiry"`}}},
	{`"ttl"=10m`, []OptionError{{0, `unknown option "\"ttl\""`}}},

	// Each option may be given once; the first is kept.
	{"ttl=1m ttl=2m", []OptionError{{7, `duplicate option "ttl"`}}},
	{"ttl=1m ttl=oops", []OptionError{{7, `duplicate option "ttl"`}}},

	// ttl= must be a non-negative duration.
	{"ttl=10x", []OptionError{{4, `invalid ttl "10x": want a duration such as "90s" or "1h30m"`}}},
	{"ttl=10", []OptionError{{4, `invalid ttl "10": want a duration such as "90s" or "1h30m"`}}},
	{"ttl=-5m", []OptionError{{4, `invalid ttl "-5m": must not be negative`}}},

	// size= must be a positive decimal integer.
	{"size=0", []OptionError{{5, `invalid size "0": want a positive integer`}}},
	{"size=-1", []OptionError{{5, `invalid size "-1": want a positive integer`}}},
	{"size=+5", []OptionError{{5, `invalid size "+5": want a positive integer`}}},
	{"size=1.5", []OptionError{{5, `invalid size "1.5": want a positive integer`}}},
	{"size=ten", []OptionError{{5, `invalid size "ten": want a positive integer`}}},
	{"size=99999999999999999999", []OptionError{{5, `invalid size "99999999999999999999": too large`}}},

	// receiver= must be ignore or fields.
	{"receiver=feilds", []OptionError{{9, `invalid receiver "feilds": want "ignore" or "fields"; did you mean "fields"?`}}},
	{"receiver=Ignore", []OptionError{{9, `invalid receiver "Ignore": want "ignore" or "fields"; did you mean "ignore"?`}}},
	{"receiver=auto", []OptionError{{9, `invalid receiver "auto": want "ignore" or "fields"`}}},

	// name= must be a Go identifier other than a keyword or "_".
	{"name=1abc", []OptionError{{5, `invalid name "1abc": want a Go identifier`}}},
	{"name=get-user", []OptionError{{5, `invalid name "get-user": want a Go identifier`}}},
	{"name=func", []OptionError{{5, `invalid name "func": want a Go identifier, not a keyword`}}},
	{"name=_", []OptionError{{5, `invalid name "_": want a Go identifier other than "_"`}}},

	// backend= must fit in an environment variable name.
	{"backend=redis-1", []OptionError{{8, `invalid backend "redis-1": want only letters, digits and underscores`}}},
	{"backend=rédis", []OptionError{{8, `invalid backend "rédis": want only letters, digits and underscores`}}},

	// ignore= must be a comma-separated list of distinct identifiers;
	// errors point at the element.
	{"ignore=a,,b", []OptionError{{9, `empty parameter name in ignore list`}}},
	{"ignore=a,", []OptionError{{9, `empty parameter name in ignore list`}}},
	{"ignore=,a", []OptionError{{7, `empty parameter name in ignore list`}}},
	{"ignore=a,1b", []OptionError{{9, `invalid parameter "1b" in ignore list: want a Go identifier`}}},
	{"ignore=a,type", []OptionError{{9, `invalid parameter "type" in ignore list: want a Go identifier, not a keyword`}}},
	{"ignore=_", []OptionError{{7, `invalid parameter "_" in ignore list: want a Go identifier other than "_"`}}},
	{"ignore=a,b,a", []OptionError{{11, `duplicate parameter "a" in ignore list`}}},
	{`ignore="a, b"`, []OptionError{{10, `invalid parameter " b" in ignore list: want a Go identifier`}}},
	// Where escapes hide the element's position, the error points at the value.
	{`ignore="a,\x31"`, []OptionError{{7, `invalid parameter "1" in ignore list: want a Go identifier`}}},

	// nocache= must be an identifier.
	{"nocache=1x", []OptionError{{8, `invalid nocache "1x": want a Go identifier`}}},
	{"nocache=refresh,force", []OptionError{{8, `invalid nocache "refresh,force": want a Go identifier`}}},
	{"nocache=range", []OptionError{{8, `invalid nocache "range": want a Go identifier, not a keyword`}}},

	// codec= must be lower-case stages joined by "+".
	{"codec=JSON", []OptionError{{6, `invalid codec "JSON": ` + codecWant}}},
	{"codec=json+", []OptionError{{6, `invalid codec "json+": ` + codecWant}}},
	{"codec=+zstd", []OptionError{{6, `invalid codec "+zstd": ` + codecWant}}},
	{"codec=msgpack++zstd", []OptionError{{6, `invalid codec "msgpack++zstd": ` + codecWant}}},
	{"codec=msgpack,zstd", []OptionError{{6, `invalid codec "msgpack,zstd": ` + codecWant}}},
	{"codec=json-v2", []OptionError{{6, `invalid codec "json-v2": ` + codecWant}}},

	// verify= is true or false, spelled so.
	{"verify=flase", []OptionError{{7, `invalid verify "flase": want "true" or "false"; did you mean "false"?`}}},
	{"verify=False", []OptionError{{7, `invalid verify "False": want "true" or "false"; did you mean "false"?`}}},
	{"verify=off", []OptionError{{7, `invalid verify "off": want "true" or "false"`}}},
	{"verify=0", []OptionError{{7, `invalid verify "0": want "true" or "false"`}}},
	{"verfiy=false", []OptionError{{0, `unknown option "verfiy"; did you mean "verify"?`}}},

	// Quoted values must be well-formed Go strings, followed by a space or the end.
	{`version="release 2`, []OptionError{{8, `unterminated quoted value`}}},
	{`version="abc\"`, []OptionError{{8, `unterminated quoted value`}}},
	{`version="a"b`, []OptionError{{11, `unexpected "b" after quoted value`}}},
	{`version="\q"`, []OptionError{{8, `invalid quoted value: not a valid Go string literal`}}},
	{`version="\q"x`, []OptionError{
		{8, `invalid quoted value: not a valid Go string literal`},
		{12, `unexpected "x" after quoted value`},
	}},

	// A quoted value is skipped as one piece even after an unknown name.
	{`foo="a b" ttl=x`, []OptionError{
		{0, `unknown option "foo"`},
		{14, `invalid ttl "x": want a duration such as "90s" or "1h30m"`},
	}},
	{`foo="a b`, []OptionError{{0, `unknown option "foo"`}, {4, `unterminated quoted value`}}},

	// Every mistake is reported, in text order.
	{"tll=10m size=0 receiver=feilds ignore=a,,a name=ok", []OptionError{
		{0, `unknown option "tll"; did you mean "ttl"?`},
		{13, `invalid size "0": want a positive integer`},
		{24, `invalid receiver "feilds": want "ignore" or "fields"; did you mean "fields"?`},
		{40, `empty parameter name in ignore list`},
		{41, `duplicate parameter "a" in ignore list`},
	}},
}

func TestParseOptionsErrors(t *testing.T) {
	for _, tt := range invalidOptions {
		if _, errs := ParseOptions(tt.text); !reflect.DeepEqual(errs, tt.want) {
			t.Errorf("ParseOptions(%q) errors = %v; want %v", tt.text, errs, tt.want)
		}
	}
}

// TestParseOptionsKeepsGoodOptions checks that a mistake in one option, or
// in one element of ignore=, does not lose the others.
func TestParseOptionsKeepsGoodOptions(t *testing.T) {
	text := "ttl=5m tll=1m size=0 ignore=a,1b,c"
	d, errs := ParseOptions(text)
	want := Directive{TTL: 5 * time.Minute, Backend: "default", Ignore: []string{"a", "c"}}
	if got := withoutPositions(d); !reflect.DeepEqual(got, want) || len(errs) != 3 {
		t.Errorf("ParseOptions(%q) = %+v, %d errors; want %+v, 3 errors", text, got, len(errs), want)
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
		d, _ := ParseOptions(tt.text)
		if !reflect.DeepEqual(d.Offsets, tt.offsets) {
			t.Errorf("ParseOptions(%q).Offsets = %v; want %v", tt.text, d.Offsets, tt.offsets)
		}
		if !slices.Equal(d.IgnoreOffsets, tt.ignoreOffsets) {
			t.Errorf("ParseOptions(%q).IgnoreOffsets = %v; want %v", tt.text, d.IgnoreOffsets, tt.ignoreOffsets)
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
	}
	for _, tt := range tests {
		if d, _ := ParseOptions(tt.text); d.Canonical != tt.want {
			t.Errorf("ParseOptions(%q).Canonical = %q; want %q", tt.text, d.Canonical, tt.want)
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
	want, _ := ParseOptions(same[0])
	for _, text := range same[1:] {
		if got, _ := ParseOptions(text); got.Canonical != want.Canonical {
			t.Errorf("ParseOptions(%q).Canonical = %q; want %q, as for %q", text, got.Canonical, want.Canonical, same[0])
		}
	}
}

func TestReceiverModeString(t *testing.T) {
	tests := []struct {
		mode ReceiverMode
		want string
	}{
		{ReceiverAuto, "auto"},
		{ReceiverIgnore, "ignore"},
		{ReceiverFields, "fields"},
		{ReceiverMode(7), "ReceiverMode(7)"},
	}
	for _, tt := range tests {
		if got := tt.mode.String(); got != tt.want {
			t.Errorf("ReceiverMode(%d).String() = %q; want %q", int(tt.mode), got, tt.want)
		}
	}
}

// FuzzParseOptions checks that ParseOptions never panics, that errors and
// offsets stay inside the text and come in text order, and that when there
// are no errors, Canonical parses without errors into the same Directive.
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
		d, errs := ParseOptions(text)
		checkPositions(t, text, d, errs)
		if len(errs) > 0 {
			return
		}
		again, errs := ParseOptions(d.Canonical)
		if errs != nil {
			t.Fatalf("ParseOptions(%q) errors = %v; want none, as %q is the Canonical of %q", d.Canonical, errs, d.Canonical, text)
		}
		d.Offsets, d.IgnoreOffsets = nil, nil
		again.Offsets, again.IgnoreOffsets = nil, nil
		if !reflect.DeepEqual(again, d) {
			t.Errorf("ParseOptions(%q) = %+v; want %+v, as for %q", again.Canonical, again, d, text)
		}
	})
}

// checkPositions checks that every offset ParseOptions returned for text
// lies in [0, len(text)] and that errors come in text order.
func checkPositions(t *testing.T, text string, d Directive, errs []OptionError) {
	t.Helper()
	inText := func(off int) bool { return 0 <= off && off <= len(text) }
	for i, e := range errs {
		if !inText(e.Offset) || e.Msg == "" {
			t.Errorf("ParseOptions(%q) error %d = %+v; want an offset in [0, %d] and a message", text, i, e, len(text))
		}
		if i > 0 && e.Offset < errs[i-1].Offset {
			t.Errorf("ParseOptions(%q) errors = %v; want them in text order", text, errs)
		}
	}
	for name, off := range d.Offsets {
		if !inText(off) {
			t.Errorf("ParseOptions(%q).Offsets[%q] = %d; want it in [0, %d]", text, name, off, len(text))
		}
	}
	for _, off := range d.IgnoreOffsets {
		if !inText(off) {
			t.Errorf("ParseOptions(%q).IgnoreOffsets = %v; want them in [0, %d]", text, d.IgnoreOffsets, len(text))
		}
	}
}
