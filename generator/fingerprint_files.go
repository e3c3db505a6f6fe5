package generator

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// filesNode returns the node of a local package loaded without syntax: the
// contents of all its files, so that any edit counts.
func (fp *fingerprinter) filesNode(path string) *node {
	key := "files:" + path
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key, digest: digestFiles(fp.files[path])}
	fp.nodes[key] = n
	var edges edgeSet
	edges.add(fp.moduleNode(path), fp.sourcesNode(path))
	n.edges = edges.list
	return n
}

// sourcesNode returns the node of the full contents of a local package
// with files under build constraints (for a platform, a tag set, cgo, a Go
// version), whether or not this load compiles them, or nil: a fingerprint
// computed on one platform cannot see the code another platform compiles,
// so every edit of any variant changes it, and the same digest results
// whichever variant is loaded. Test files and memogen's own output do not
// count.
func (fp *fingerprinter) sourcesNode(path string) *node {
	if !fp.local(path) {
		return nil
	}
	key := "src:" + path
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	var ignored []string
	for _, f := range fp.ignored[path] {
		if strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") && !generatedByMemogen(f) {
			ignored = append(ignored, f)
		}
	}
	var n *node
	if len(ignored) > 0 || slices.ContainsFunc(fp.files[path], constrained) {
		n = &node{key: key, digest: digestFiles(append(slices.Clone(fp.files[path]), ignored...))}
	}
	fp.nodes[key] = n
	return n
}

// constrained reports whether the Go file at path is under a build
// constraint.
func constrained(path string) bool {
	src, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	fc, _ := readConstraint(path, src)
	return fc.expr != nil
}

// generatedByMemogen reports whether the file at path begins with the
// header of memogen's output.
func generatedByMemogen(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	want := []byte("// " + header + "\n")
	got := make([]byte, len(want))
	n, _ := io.ReadFull(f, got)
	return bytes.Equal(got[:n], want)
}

// digestFiles digests the names and contents of files, in the order of
// their names; a file that cannot be read contributes the error.
func digestFiles(files []string) []byte {
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b string) int { return strings.Compare(filepath.Base(a), filepath.Base(b)) })
	h := sha256.New()
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			src = []byte(err.Error())
		}
		fmt.Fprintf(h, "%s\x00%d\x00%s", filepath.Base(f), len(src), src)
	}
	return h.Sum(nil)
}
