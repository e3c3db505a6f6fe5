package errorsall

// Store has no MemoKey method.
type Store struct{ Name string }

// Get does not say how its receiver is keyed.
//
//memo:cachee
func (s *Store) Get(id int) string { return "" }

// Put does not say how its receiver is keyed either.
//
//memo:cache ignore=ctx
func (s *Store) Put(id int) string { return "" }

// Valid is fine, but nothing is generated while the package has errors.
//
//memo:cache
func Valid(id int) int { return id }
