// Package shapes declares exported types whose fields have unexported
// types, which generated code in another package cannot name.
package shapes

// Box is exported; its corners' type is not.
type Box struct {
	Min, Max corner
	Path     *chain
}

type corner struct{ X, Y int }

// chain is unexported and recursive.
type chain struct {
	Step int
	Next *chain
}

// NewBox returns a box with a path of n steps.
func NewBox(x0, y0, x1, y1, n int) Box {
	b := Box{Min: corner{x0, y0}, Max: corner{x1, y1}}
	for i := n; i > 0; i-- {
		b.Path = &chain{i, b.Path}
	}
	return b
}

// Area is the box's area.
func (b Box) Area() int { return (b.Max.X - b.Min.X) * (b.Max.Y - b.Min.Y) }
