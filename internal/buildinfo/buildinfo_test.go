package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	t.Parallel()
	memogen := func(version string, replace *debug.Module) *debug.Module {
		return &debug.Module{Path: modulePath, Version: version, Replace: replace}
	}
	other := &debug.Module{Path: "example.com/app", Version: "v0.1.0"}
	tests := []struct {
		name     string
		bi       debug.BuildInfo
		want     string
		released string
	}{
		{"go install memogen@v1.2.3", debug.BuildInfo{Main: *memogen("v1.2.3", nil)}, "v1.2.3", "v1.2.3"},
		{"a checkout", debug.BuildInfo{Main: *memogen("(devel)", nil)}, "(devel)", ""},
		{"go tool memogen", debug.BuildInfo{Main: *other, Deps: []*debug.Module{other, memogen("v1.4.0", nil)}}, "v1.4.0", ""},
		{"replaced by a version", debug.BuildInfo{Main: *other, Deps: []*debug.Module{memogen("v1.4.0", &debug.Module{Path: "example.com/fork", Version: "v1.4.1"})}}, "v1.4.1", ""},
		{"replaced by a directory", debug.BuildInfo{Main: *other, Deps: []*debug.Module{memogen("v0.0.0", &debug.Module{Path: "../memogen"})}}, "(devel)", ""},
		{"not linked", debug.BuildInfo{Main: *other}, "(devel)", ""},
		{"go run of a required memogen replaced by a directory", debug.BuildInfo{Main: *memogen("v0.0.0-00010101000000-000000000000", &debug.Module{Path: "../memogen"})}, "(devel)", ""},
		{"go run of a placeholder version", debug.BuildInfo{Main: *memogen("v0.0.0-00010101000000-000000000000", nil)}, "v0.0.0-00010101000000-000000000000", ""},
	}
	for _, tt := range tests {
		if got := moduleVersion(&tt.bi); got != tt.want {
			t.Errorf("%s: moduleVersion = %q; want %q", tt.name, got, tt.want)
		}
		if got := released(&tt.bi); got != tt.released {
			t.Errorf("%s: released = %q; want %q", tt.name, got, tt.released)
		}
	}
}
