package file

// WaitEvictions returns once s runs no eviction round, so that a test sees
// what the rounds its Sets asked for did.
func WaitEvictions(s *Store) {
	for {
		s.evictor.mu.Lock()
		running, exited := s.evictor.running, s.evictor.exited
		s.evictor.mu.Unlock()
		if !running {
			return
		}
		<-exited
	}
}

// ExclLease is exclLease, the lease of systems without flock, which tests
// exercise on every system.
var ExclLease = exclLease
