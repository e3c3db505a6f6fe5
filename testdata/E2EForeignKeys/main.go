// Command e2eforeignkeys memoizes functions of types that the package
// cannot add methods to: math/big's Int, Float and Rat, keyed through their
// marshaling methods, and *regexp.Regexp through a //memo:key function. It
// also stores a named string with the raw codec and a result with a codec
// the program registers and declares with //memo:codec.
package main

import (
	"fmt"
	"math/big"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

var calls = map[string]int{}

// Square squares a big.Int.
//
//memo:cache
func Square(x *big.Int) *big.Int {
	calls["Square"]++
	return new(big.Int).Mul(x, x)
}

// Half halves a big.Float, whose precision its key keeps.
//
//memo:cache
func Half(x *big.Float) string {
	calls["Half"]++
	return new(big.Float).SetPrec(x.Prec()).Quo(x, big.NewFloat(2)).Text('g', 20)
}

// Inverse inverts a big.Rat.
//
//memo:cache
func Inverse(x *big.Rat) string {
	calls["Inverse"]++
	return new(big.Rat).Inv(x).String()
}

// keyRegexp keys a regular expression by its source.
//
//memo:key
func keyRegexp(w *memo.KeyWriter, re *regexp.Regexp) { w.Text(re.String()) }

// Matches counts the words re matches, every word for a nil re: the
// wrapper keys a nil re itself, without calling keyRegexp, which would
// dereference it.
//
//memo:cache
func Matches(re *regexp.Regexp, text string) int {
	calls["Matches"]++
	if re == nil {
		return len(strings.Fields(text))
	}
	n := 0
	for _, w := range strings.Fields(text) {
		if re.MatchString(w) {
			n++
		}
	}
	return n
}

// URLPath returns a URL's path. url.URL is keyed by MarshalBinary, which
// prints {Host: "h", Path: "p"} and {Host: "h", Path: "/p"} alike, and by
// its exported fields, which tell them apart.
//
//memo:cache
func URLPath(u url.URL) string {
	calls["URLPath"]++
	return u.Path
}

// URLPathPtr is URLPath through a pointer.
//
//memo:cache
func URLPathPtr(u *url.URL) string {
	calls["URLPathPtr"]++
	return u.Path
}

// ID is a named string, which the raw codec stores as it is.
type ID string

// UserID stores its result in files with the raw codec.
//
//memo:cache backend=disk codec=raw
func UserID(n int) ID {
	calls["UserID"]++
	return ID(fmt.Sprintf("user-%d", n))
}

// upper is a codec of the program's own, declared to memogen here.
//
//memo:codec upper
type upper struct{}

func (upper) Marshal(v any) ([]byte, error) { return []byte(strings.ToUpper(v.(string))), nil }

func (upper) Unmarshal(data []byte, v any) error {
	*v.(*string) = strings.ToLower(string(data))
	return nil
}

// Greeting stores its result with the declared codec.
//
//memo:cache backend=disk codec=upper
func Greeting(name string) string {
	calls["Greeting"]++
	return "hello " + name
}

func main() {
	dir, err := os.MkdirTemp("", "e2eforeignkeys")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	disk, err := file.New(file.Options{Dir: dir})
	if err != nil {
		panic(err)
	}
	memo.Register("disk", disk)
	if err := memo.CheckBackends(); err == nil || !strings.Contains(err.Error(), `codec "upper" is not registered`) {
		panic(fmt.Sprintf("CheckBackends before registering upper = %v; want it to name the codec", err))
	}
	store.RegisterCodec("upper", upper{})
	if err := memo.CheckBackends(); err != nil {
		panic(err)
	}

	for range 2 {
		fmt.Println(SquareCached(big.NewInt(12)), SquareCached(big.NewInt(-12)))
		fmt.Println(HalfCached(big.NewFloat(3)), HalfCached(new(big.Float).SetPrec(8).SetInt64(3)))
		fmt.Println(InverseCached(big.NewRat(2, 3)), InverseCached(big.NewRat(4, 6)))
		fmt.Println(MatchesCached(regexp.MustCompile(`^a`), "ab ac b"), MatchesCached(regexp.MustCompile(`b$`), "ab ac b"), MatchesCached(nil, "ab ac b"))
		fmt.Println(UserIDCached(7), GreetingCached("ada"))
		relative := url.URL{Scheme: "http", Host: "h", Path: "p"}
		absolute := url.URL{Scheme: "http", Host: "h", Path: "/p"}
		fmt.Printf("%q %q %q %q\n", URLPathCached(relative), URLPathCached(absolute), URLPathPtrCached(&relative), URLPathPtrCached(&absolute))
	}
	for _, name := range []string{"Square", "Half", "Inverse", "Matches", "UserID", "Greeting", "URLPath", "URLPathPtr"} {
		fmt.Printf("%s ran %d times\n", name, calls[name])
	}
}
