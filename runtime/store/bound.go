package store

// An EntryBounder is a [ValueStore] that bounds the entries of all its
// functions together. When a function with a bound of its own (the
// directive's size=) is bound to such a store, the runtime compares the
// two bounds, and reports once a function bound the store's would never
// let the function reach.
type EntryBounder interface {
	// EntryBound returns the store's bound on the entries of all
	// functions together, 0 for none, and the URL parameter that sets it
	// (such as "max_entries").
	EntryBound() (n int, param string)
}
