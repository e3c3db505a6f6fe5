// Package errreceiver has methods whose receivers cannot be keyed as asked.
package errreceiver

// Store has no MemoKey method.
type Store struct{ Name string }

// Get says nothing about its receiver.
//
//memo:cache
func (s *Store) Get(id int) string { return "" }

// Plain is a function with receiver=.
//
//memo:cache receiver=ignore
func Plain(n int) int { return n }

// Conn has a func field.
type Conn struct {
	Addr string
	Dial func() error
}

// Ping keys by fields, one of which is a func.
//
//memo:cache receiver=fields
func (c Conn) Ping(n int) int { return n }
