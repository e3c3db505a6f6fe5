package basic

import (
	"context"
	"log/slog"
	"time"
)

type User struct {
	ID    int64
	Name  string
	Tags  []string
	Since time.Time
}

// FetchUser loads a user.
//
//memo:cache ttl=10m ignore=logger nocache=refresh
func FetchUser(ctx context.Context, logger *slog.Logger, id int64, refresh bool) (*User, error) {
	return &User{ID: id}, nil
}

// Split returns two halves.
//
//memo:cache size=100
func Split(s string, at int) (left, right string) {
	return s[:at], s[at:]
}

type Point struct{ X, Y float64 }

// Sum adds numbers.
//
//memo:cache
func Sum(p Point, m map[string]int, ps *Point, xs ...int) int {
	return len(xs)
}

// Map maps.
//
//memo:cache
func Map[T any, U comparable](xs []T, f U) []T { return xs }

type Tree struct {
	Kids []*Tree
	V    int
}

type Svc struct{ Base string }

// Load loads.
//
//memo:cache receiver=fields
func (s *Svc) Load(t *Tree, _ int, b []byte) (string, int, error) { return s.Base, 0, nil }

// Lookup keys an email address, which entries must not keep readable.
//
//memo:cache summary=false
func Lookup(email string) int { return len(email) }
