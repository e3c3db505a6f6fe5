package generator

import (
	"math"
	"strconv"
	"time"
)

// freshOptions are the directive's freshness options (see the README's
// "Freshness"): what a call does around a result's expiry.
type freshOptions struct {
	Stale        time.Duration // stale=: serve an expired result while refreshing it in the background
	StaleIfError time.Duration // stale_if_error=: serve an expired result when the function fails
	Early        float64       // early=: XFetch's beta, recompute before expiry with a growing probability
	ErrTTL       time.Duration // errttl=: cache errors for that long
	ErrTTLIf     string        // errttl_if=: a func(error) bool of the package that picks the errors to cache
	TTLRefresh   bool          // ttl_refresh=true: a hit extends the result's life
}

// any reports whether a freshness option is set.
func (o freshOptions) any() bool {
	return o.Stale > 0 || o.StaleIfError > 0 || o.Early > 0 || o.ErrTTL > 0 || o.TTLRefresh
}

// positiveDuration parses the value of a duration option that must be
// above zero, reporting it otherwise.
func (p *parser) positiveDuration(name string, v value) (time.Duration, bool) {
	d, err := time.ParseDuration(v.text)
	switch {
	case err != nil:
		p.errorf(v.offset, `invalid %s %q: want a duration such as "90s" or "1h30m"`, name, v.text)
	case d <= 0:
		p.errorf(v.offset, "invalid %s %q: must be positive", name, v.text)
	default:
		return d, true
	}
	return 0, false
}

func (p *parser) setStale(v value) {
	if d, ok := p.positiveDuration("stale", v); ok {
		p.d.Fresh.Stale = d
	}
}

func (p *parser) setStaleIfError(v value) {
	if d, ok := p.positiveDuration("stale_if_error", v); ok {
		p.d.Fresh.StaleIfError = d
	}
}

func (p *parser) setErrTTL(v value) {
	if d, ok := p.positiveDuration("errttl", v); ok {
		p.d.Fresh.ErrTTL = d
	}
}

// setErrTTLIf checks that the value can name a function; analysis later
// checks that it names a func(error) bool of the package.
func (p *parser) setErrTTLIf(v value) {
	if problem := identifierProblem(v.text); problem != "" {
		p.errorf(v.offset, "invalid errttl_if %q: %s", v.text, problem)
		return
	}
	p.d.Fresh.ErrTTLIf = v.text
}

// setEarly accepts XFetch's beta: a positive decimal number, 1 by the
// paper's analysis, more to recompute earlier.
func (p *parser) setEarly(v value) {
	beta, err := strconv.ParseFloat(v.text, 64)
	if err != nil || !containsOnly(v.text, digits+".") || beta <= 0 || math.IsInf(beta, 0) {
		p.errorf(v.offset, `invalid early %q: want a positive number such as "1" or "0.5"`, v.text)
		return
	}
	p.d.Fresh.Early = beta
}

func (p *parser) setTTLRefresh(v value) {
	switch v.text {
	case "true":
		p.d.Fresh.TTLRefresh = true
	case "false":
		p.d.Fresh.TTLRefresh = false
	default:
		p.errorf(v.offset, `invalid ttl_refresh %q: want "true" or "false"%s`, v.text, didYouMean(v.text, []string{"true", "false"}))
	}
}

// formatDuration returns the Canonical format of a duration option that
// get reads, left out at zero.
func formatDuration(get func(d *directive) time.Duration) func(d *directive) string {
	return func(d *directive) string {
		if v := get(d); v != 0 {
			return v.String()
		}
		return ""
	}
}

func formatEarly(d *directive) string {
	if d.Fresh.Early == 0 {
		return ""
	}
	return strconv.FormatFloat(d.Fresh.Early, 'g', -1, 64)
}

func formatTTLRefresh(d *directive) string {
	if d.Fresh.TTLRefresh {
		return "true"
	}
	return ""
}
