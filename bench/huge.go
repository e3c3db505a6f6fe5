package bench

// A function of a huge argument, memoized in memory and in an in-memory
// byte store, against the plain call: a miss hashes the argument once for
// its key and describes a bounded prefix of it for the entry.

import "crypto/sha256"

// Checksum stands for a function that reads a large argument once: the
// SHA-256 of 32 MiB takes about as long as the plain call (21 ms).
func Checksum(data []byte) [32]byte { return sha256.Sum256(data) }

// HugeMemory is Checksum cached in the memory backend.
//
//memo:cache
func HugeMemory(data []byte) [32]byte { return Checksum(data) }

// HugeBytes is Checksum cached in an in-memory byte store, which encodes
// each result into an entry that describes its arguments.
//
//memo:cache backend=benchmissbytes
func HugeBytes(data []byte) [32]byte { return Checksum(data) }
