package main

import "time"

// lower is unexported, so its wrapper and handle are too.
//
//memo:cache
func lower(n int) int {
	calls["lower"]++
	return n * n
}

// price is unexported and renamed.
//
//memo:cache name=fetchPrice
func price(item string) int {
	calls["price"]++
	return len(item)
}

// find is unexported and renamed to an exported name.
//
//memo:cache name=Lookup
func find(key string) string {
	calls["Lookup"]++
	return key + "!"
}

// Item is keyed by a generated helper, memoKeyItem.
type Item struct {
	Name string
	N    int
}

// KeyItem's cache variable, memoKeyItem, would be the helper's name.
//
//memo:cache
func KeyItem(it Item) string {
	calls["KeyItem"]++
	return it.Name
}

// cart is unexported.
type cart struct{}

// total is an unexported method of an unexported type.
//
//memo:cache receiver=ignore
func (c *cart) total(items []Item) int {
	calls["total"]++
	n := 0
	for _, it := range items {
		n += it.N
	}
	return n
}

// Force is a named bool.
type Force bool

// Svc's methods name their receivers after what generated code refers to.
type Svc struct{ N int }

// Get's receiver is named memo, and its nocache parameter is a named bool.
//
//memo:cache receiver=fields nocache=force
func (memo *Svc) Get(id int, force Force) int {
	calls["Get"]++
	return memo.N + id
}

// Since's receiver is named like the time package its result needs.
//
//memo:cache receiver=ignore
func (time *Svc) Since(d int) time.Duration {
	calls["Since"]++
	return 0
}

// Plus's receiver is named w, like the key writer.
//
//memo:cache receiver=fields
func (w Svc) Plus(h int) int {
	calls["Plus"]++
	return w.N + h
}

// Box's method Get and the function Box_Get would both have internal names
// starting memoBox_Get; the method's are numbered instead.
type Box struct{ N int }

// Box_Get is a function whose name looks like a method's internal name.
//
//memo:cache
func Box_Get(n int) int {
	calls["Box_Get"]++
	return -n
}

// Get is Box's method.
//
//memo:cache receiver=fields
func (b Box) Get(n int) int {
	calls["Box.Get"]++
	return b.N + n
}

// memoTaken is the package's own; Taken's cache takes another name.
var memoTaken = "the package's"

// Taken's internal names would be memoTaken….
//
//memo:cache
func Taken(n int) int {
	calls["Taken"]++
	return n + 1
}

// Handler's methods have receivers named h, like the handle's methods.
type Handler struct{ Prefix string }

// Greet's receiver is named h.
//
//memo:cache receiver=fields
func (h Handler) Greet(name string) string {
	calls["Greet"]++
	return h.Prefix + name
}
