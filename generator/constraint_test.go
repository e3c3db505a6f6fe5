package generator

import "testing"

// TestReadConstraint checks the constraint read from a file's name, its
// build lines and its imports, as the go command reads them.
func TestReadConstraint(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"a.go", "package p\n", "<nil>"},
		{"a_linux.go", "package p\n", "linux"},
		{"a.go", "//go:build linux && 386\n\npackage p\n", "linux && 386"},
		// Without a //go:build line, // +build lines count, all required.
		{"a.go", "// +build linux,386\n\npackage p\n", "linux && 386"},
		{"a.go", "// +build linux darwin\n// +build !cgo\n\npackage p\n", "(linux || darwin) && !cgo"},
		// With one, the go command ignores them.
		{"a.go", "//go:build windows\n// +build linux\n\npackage p\n", "windows"},
		{"a_amd64.go", "// +build linux\n\npackage p\n\nimport \"C\"\n", "amd64 && linux && cgo"},
	}
	for _, tt := range tests {
		fc, err := readConstraint(tt.name, []byte(tt.src))
		if err != nil {
			t.Errorf("readConstraint(%s, %q): %v", tt.name, tt.src, err)
			continue
		}
		got := "<nil>"
		if fc.expr != nil {
			got = fc.expr.String()
		}
		if got != tt.want {
			t.Errorf("readConstraint(%s, %q) = %s; want %s", tt.name, tt.src, got, tt.want)
		}
	}
}
