package generator

import "testing"

// TestFingerprintGoLine checks that the fingerprint covers the language
// version of the go.mod go line, not the line as written: go get rewrites
// "go 1.26" as "go 1.26.0", which changes nothing the code means.
func TestFingerprintGoLine(t *testing.T) {
	t.Parallel()
	src := map[string]string{"p.go": "package p\n\n//memo:cache\nfunc F(x int) int { return x * 2 }\n"}
	fingerprint := func(goLine string) string {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"go.mod": "module example.com/fp\n\ngo " + goLine + "\n"})
		writeFiles(t, dir, src)
		fp := generatedFingerprints(t, dir)["example.com/fp.F"]
		if fp == "" {
			t.Fatalf("go %s: no fingerprint for F", goLine)
		}
		return fp
	}
	short, patch0, patch1 := fingerprint("1.26"), fingerprint("1.26.0"), fingerprint("1.26.1")
	if short != patch0 || short != patch1 {
		t.Errorf("fingerprints under go 1.26, 1.26.0 and 1.26.1 = %s, %s, %s; want one", short, patch0, patch1)
	}
	if older := fingerprint("1.21"); older == short {
		t.Errorf("fingerprint under go 1.21 = %s, as under go 1.26; want another: loop variables changed meaning in 1.22", older)
	}
}

func TestLanguageVersion(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"go1.26", "go1.26"},
		{"go1.26.0", "go1.26"},
		{"go1.26.3", "go1.26"},
		{"go1.26rc1", "go1.26"},
		{"go1.21", "go1.21"},
		{"", ""},
	} {
		if got := languageVersion(tc.in); got != tc.want {
			t.Errorf("languageVersion(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
