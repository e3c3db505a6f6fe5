// Command e2edifferential is the differential test of persistent stores:
// for a matrix of result types and every codec, a first process stores each
// result in a byte-level backend and a second process, in another time
// zone, calls again. Every call of the second process is either a hit whose
// value equals a direct call, or a miss of a function the cache reported
// unstorable. There is no third outcome: a hit with another value, or a
// crash, fails the program.
//
// With no arguments it runs both phases against a file backend in a
// temporary directory (and, when MEMO_DIFF_REDIS is set, against that
// Redis URL), re-executing itself for each phase.
package main

import (
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata"

	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/codecs/gob"
	_ "github.com/memogen/memogen/codecs/json"
	_ "github.com/memogen/memogen/codecs/msgpack"
	_ "github.com/memogen/memogen/codecs/zstd"
	memo "github.com/memogen/memogen/runtime"
)

var (
	jst      = time.FixedZone("JST", 9*3600)
	tokyo, _ = time.LoadLocation("Asia/Tokyo")
)

func base(k int) time.Time {
	return time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC).Add(time.Duration(k) * time.Hour)
}

// Stamps holds times in four kinds of zone.
type Stamps struct{ UTC, JST, Tokyo, Fixed time.Time }

// Money marshals itself to JSON only.
type Money struct{ cents int }

// MarshalJSON encodes m as its cents.
func (m Money) MarshalJSON() ([]byte, error) { return json.Marshal(m.cents) }

// UnmarshalJSON decodes cents.
func (m *Money) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &m.cents) }

// Secret has a field JSON skips.
type Secret struct {
	User         string
	PasswordHash string `json:"-"`
}

// MsgSecret has a field msgpack skips.
type MsgSecret struct {
	User  string
	Token string `msgpack:"-"`
}

// Base is embedded in Item, whose own ID shadows Base's.
type Base struct{ ID int }

// Item shadows Base.ID.
type Item struct {
	Base
	ID string
}

// Bag holds a map of slices, empty and nil ones included.
type Bag struct{ M map[string][]int }

// Ptrs holds a pointer to a zero value, a set one and a nil one.
type Ptrs struct {
	Zero *int
	Set  *int
	Nil  *string
}

// Celsius is a named float.
type Celsius float64

// Reading holds a NaN and a negative zero.
type Reading struct {
	Temp Celsius
	Raw  float64
	N    int
}

// Plain is storable by every codec.
type Plain struct {
	Name string
	Tags []string
	N    int
	When time.Time
}

// Names is a named slice.
type Names []string

// Inner and Outer nest maps, pointers and slices.
type Inner struct{ Vals map[int]*Plain }

// Outer holds Inner by value and in a slice.
type Outer struct {
	Inner Inner
	List  []Inner
}

// Node is a doubly linked list node.
type Node struct {
	V          int
	Next, Prev *Node
}

// ring returns a two-node cycle.
func ring(k int) *Node {
	a, b := &Node{V: k}, &Node{V: k + 1}
	a.Next, b.Prev, b.Next, a.Prev = b, a, a, b
	return a
}

// chain returns an acyclic list of k+1 nodes linked one way.
func chain(k int) *Node {
	var head *Node
	for i := range k + 1 {
		head = &Node{V: i, Next: head}
	}
	return head
}

// Box is a generic result.
type Box[T any] struct {
	V    T
	List []T
}

func init() { gob.Register(Plain{}) }

//memo:cache backend=store codec=msgpack
func StampsMsgpack(k int) Stamps {
	return Stamps{UTC: base(k).UTC(), JST: base(k).In(jst), Tokyo: base(k).In(tokyo), Fixed: base(k).In(time.FixedZone("", -3*3600))}
}

//memo:cache backend=store codec=json
func StampsJSON(k int) Stamps {
	return Stamps{UTC: base(k).UTC(), JST: base(k).In(jst), Tokyo: base(k).In(tokyo), Fixed: base(k).In(time.FixedZone("", -3*3600))}
}

//memo:cache backend=store codec=gob
func StampsGob(k int) Stamps {
	return Stamps{UTC: base(k).UTC(), JST: base(k).In(jst), Tokyo: base(k).In(tokyo), Fixed: base(k).In(time.FixedZone("", -3*3600))}
}

//memo:cache backend=store codec=msgpack+zstd
func StampsZstd(k int) Stamps {
	return Stamps{UTC: base(k).UTC(), JST: base(k).In(jst), Tokyo: base(k).In(tokyo), Fixed: base(k).In(time.FixedZone("", -3*3600))}
}

//memo:cache backend=store codec=msgpack
func MoneyMsgpack(k int) Money {
	return Money{cents: 400 * k}
}

//memo:cache backend=store codec=json
func MoneyJSON(k int) Money {
	return Money{cents: 400 * k}
}

//memo:cache backend=store codec=gob
func MoneyGob(k int) Money {
	return Money{cents: 400 * k}
}

//memo:cache backend=store codec=msgpack+zstd
func MoneyZstd(k int) Money {
	return Money{cents: 400 * k}
}

//memo:cache backend=store codec=msgpack
func SecretMsgpack(k int) Secret {
	return Secret{User: "u" + strconv.Itoa(k), PasswordHash: "h" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=json
func SecretJSON(k int) Secret {
	return Secret{User: "u" + strconv.Itoa(k), PasswordHash: "h" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=gob
func SecretGob(k int) Secret {
	return Secret{User: "u" + strconv.Itoa(k), PasswordHash: "h" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=msgpack+zstd
func SecretZstd(k int) Secret {
	return Secret{User: "u" + strconv.Itoa(k), PasswordHash: "h" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=msgpack
func MsgSecretMsgpack(k int) MsgSecret {
	return MsgSecret{User: "u", Token: "t" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=json
func MsgSecretJSON(k int) MsgSecret {
	return MsgSecret{User: "u", Token: "t" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=gob
func MsgSecretGob(k int) MsgSecret {
	return MsgSecret{User: "u", Token: "t" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=msgpack+zstd
func MsgSecretZstd(k int) MsgSecret {
	return MsgSecret{User: "u", Token: "t" + strconv.Itoa(k)}
}

//memo:cache backend=store codec=msgpack
func ShadowMsgpack(k int) Item {
	return Item{Base: Base{ID: 7 * k}, ID: "x"}
}

//memo:cache backend=store codec=json
func ShadowJSON(k int) Item {
	return Item{Base: Base{ID: 7 * k}, ID: "x"}
}

//memo:cache backend=store codec=gob
func ShadowGob(k int) Item {
	return Item{Base: Base{ID: 7 * k}, ID: "x"}
}

//memo:cache backend=store codec=msgpack+zstd
func ShadowZstd(k int) Item {
	return Item{Base: Base{ID: 7 * k}, ID: "x"}
}

//memo:cache backend=store codec=msgpack
func BagMsgpack(k int) Bag {
	return Bag{M: map[string][]int{"full": {k, 2}, "empty": {}, "nil": nil}}
}

//memo:cache backend=store codec=json
func BagJSON(k int) Bag {
	return Bag{M: map[string][]int{"full": {k, 2}, "empty": {}, "nil": nil}}
}

//memo:cache backend=store codec=gob
func BagGob(k int) Bag {
	return Bag{M: map[string][]int{"full": {k, 2}, "empty": {}, "nil": nil}}
}

//memo:cache backend=store codec=msgpack+zstd
func BagZstd(k int) Bag {
	return Bag{M: map[string][]int{"full": {k, 2}, "empty": {}, "nil": nil}}
}

//memo:cache backend=store codec=msgpack
func PtrsMsgpack(k int) Ptrs {
	return Ptrs{Zero: new(int), Set: &k, Nil: nil}
}

//memo:cache backend=store codec=json
func PtrsJSON(k int) Ptrs {
	return Ptrs{Zero: new(int), Set: &k, Nil: nil}
}

//memo:cache backend=store codec=gob
func PtrsGob(k int) Ptrs {
	return Ptrs{Zero: new(int), Set: &k, Nil: nil}
}

//memo:cache backend=store codec=msgpack+zstd
func PtrsZstd(k int) Ptrs {
	return Ptrs{Zero: new(int), Set: &k, Nil: nil}
}

//memo:cache backend=store codec=msgpack
func EmptyMsgpack(k int) []int {
	return []int{}
}

//memo:cache backend=store codec=json
func EmptyJSON(k int) []int {
	return []int{}
}

//memo:cache backend=store codec=gob
func EmptyGob(k int) []int {
	return []int{}
}

//memo:cache backend=store codec=msgpack+zstd
func EmptyZstd(k int) []int {
	return []int{}
}

//memo:cache backend=store codec=msgpack
func NilSliceMsgpack(k int) []int {
	return []int(nil)
}

//memo:cache backend=store codec=json
func NilSliceJSON(k int) []int {
	return []int(nil)
}

//memo:cache backend=store codec=gob
func NilSliceGob(k int) []int {
	return []int(nil)
}

//memo:cache backend=store codec=msgpack+zstd
func NilSliceZstd(k int) []int {
	return []int(nil)
}

//memo:cache backend=store codec=msgpack
func NaNMsgpack(k int) Reading {
	return Reading{Temp: Celsius(math.NaN()), Raw: math.Copysign(0, -1), N: k}
}

//memo:cache backend=store codec=json
func NaNJSON(k int) Reading {
	return Reading{Temp: Celsius(math.NaN()), Raw: math.Copysign(0, -1), N: k}
}

//memo:cache backend=store codec=gob
func NaNGob(k int) Reading {
	return Reading{Temp: Celsius(math.NaN()), Raw: math.Copysign(0, -1), N: k}
}

//memo:cache backend=store codec=msgpack+zstd
func NaNZstd(k int) Reading {
	return Reading{Temp: Celsius(math.NaN()), Raw: math.Copysign(0, -1), N: k}
}

//memo:cache backend=store codec=msgpack
func TextMsgpack(k int) string {
	return "bad\xff" + strconv.Itoa(k)
}

//memo:cache backend=store codec=json
func TextJSON(k int) string {
	return "bad\xff" + strconv.Itoa(k)
}

//memo:cache backend=store codec=gob
func TextGob(k int) string {
	return "bad\xff" + strconv.Itoa(k)
}

//memo:cache backend=store codec=msgpack+zstd
func TextZstd(k int) string {
	return "bad\xff" + strconv.Itoa(k)
}

//memo:cache backend=store codec=msgpack
func PlainMsgpack(k int) Plain {
	return Plain{Name: "p", Tags: []string{"a"}, N: k, When: base(k).UTC()}
}

//memo:cache backend=store codec=json
func PlainJSON(k int) Plain {
	return Plain{Name: "p", Tags: []string{"a"}, N: k, When: base(k).UTC()}
}

//memo:cache backend=store codec=gob
func PlainGob(k int) Plain {
	return Plain{Name: "p", Tags: []string{"a"}, N: k, When: base(k).UTC()}
}

//memo:cache backend=store codec=msgpack+zstd
func PlainZstd(k int) Plain {
	return Plain{Name: "p", Tags: []string{"a"}, N: k, When: base(k).UTC()}
}

//memo:cache backend=store codec=msgpack
func NamedMsgpack(k int) Names {
	return Names{"a", "b", strconv.Itoa(k)}
}

//memo:cache backend=store codec=json
func NamedJSON(k int) Names {
	return Names{"a", "b", strconv.Itoa(k)}
}

//memo:cache backend=store codec=gob
func NamedGob(k int) Names {
	return Names{"a", "b", strconv.Itoa(k)}
}

//memo:cache backend=store codec=msgpack+zstd
func NamedZstd(k int) Names {
	return Names{"a", "b", strconv.Itoa(k)}
}

//memo:cache backend=store codec=msgpack
func NestedMsgpack(k int) *Outer {
	return &Outer{Inner: Inner{Vals: map[int]*Plain{k: {Name: "q"}}}, List: []Inner{{}}}
}

//memo:cache backend=store codec=json
func NestedJSON(k int) *Outer {
	return &Outer{Inner: Inner{Vals: map[int]*Plain{k: {Name: "q"}}}, List: []Inner{{}}}
}

//memo:cache backend=store codec=gob
func NestedGob(k int) *Outer {
	return &Outer{Inner: Inner{Vals: map[int]*Plain{k: {Name: "q"}}}, List: []Inner{{}}}
}

//memo:cache backend=store codec=msgpack+zstd
func NestedZstd(k int) *Outer {
	return &Outer{Inner: Inner{Vals: map[int]*Plain{k: {Name: "q"}}}, List: []Inner{{}}}
}

//memo:cache backend=store codec=msgpack
func CycleMsgpack(k int) *Node {
	return ring(k)
}

//memo:cache backend=store codec=json
func CycleJSON(k int) *Node {
	return ring(k)
}

//memo:cache backend=store codec=gob
func CycleGob(k int) *Node {
	return ring(k)
}

//memo:cache backend=store codec=msgpack+zstd
func CycleZstd(k int) *Node {
	return ring(k)
}

//memo:cache backend=store codec=msgpack
func TreeMsgpack(k int) *Node {
	return chain(k)
}

//memo:cache backend=store codec=json
func TreeJSON(k int) *Node {
	return chain(k)
}

//memo:cache backend=store codec=gob
func TreeGob(k int) *Node {
	return chain(k)
}

//memo:cache backend=store codec=msgpack+zstd
func TreeZstd(k int) *Node {
	return chain(k)
}

//memo:cache backend=store codec=msgpack
func AnyMsgpack(k int) any {
	return any(Plain{Name: "i", N: k})
}

//memo:cache backend=store codec=json
func AnyJSON(k int) any {
	return any(Plain{Name: "i", N: k})
}

//memo:cache backend=store codec=gob
func AnyGob(k int) any {
	return any(Plain{Name: "i", N: k})
}

//memo:cache backend=store codec=msgpack+zstd
func AnyZstd(k int) any {
	return any(Plain{Name: "i", N: k})
}

//memo:cache backend=store codec=msgpack
func MultiMsgpack(k int) (int, Plain, error) {
	return k, Plain{Name: "m", N: k, When: base(k).In(jst)}, nil
}

//memo:cache backend=store codec=json
func MultiJSON(k int) (int, Plain, error) {
	return k, Plain{Name: "m", N: k, When: base(k).In(jst)}, nil
}

//memo:cache backend=store codec=gob
func MultiGob(k int) (int, Plain, error) {
	return k, Plain{Name: "m", N: k, When: base(k).In(jst)}, nil
}

//memo:cache backend=store codec=msgpack+zstd
func MultiZstd(k int) (int, Plain, error) {
	return k, Plain{Name: "m", N: k, When: base(k).In(jst)}, nil
}

//memo:cache backend=store codec=msgpack
func BoxedMsgpack[T any](v T) Box[T] {
	return Box[T]{V: v, List: []T{v}}
}

//memo:cache backend=store codec=json
func BoxedJSON[T any](v T) Box[T] {
	return Box[T]{V: v, List: []T{v}}
}

//memo:cache backend=store codec=gob
func BoxedGob[T any](v T) Box[T] {
	return Box[T]{V: v, List: []T{v}}
}

//memo:cache backend=store codec=msgpack+zstd
func BoxedZstd[T any](v T) Box[T] {
	return Box[T]{V: v, List: []T{v}}
}

// check is one function of the matrix: call calls its wrapper and direct
// calls the function itself, both with k.
type check struct {
	name         string
	call, direct func(k int) any
	stats        func() memo.Stats
}

func multi(a int, p Plain, err error) any { return []any{a, p, err} }

var checks = []check{
	{"StampsMsgpack", func(k int) any { return StampsMsgpackCached(k) }, func(k int) any { return StampsMsgpack(k) }, func() memo.Stats { return StampsMsgpackMemo().Stats() }},
	{"StampsJSON", func(k int) any { return StampsJSONCached(k) }, func(k int) any { return StampsJSON(k) }, func() memo.Stats { return StampsJSONMemo().Stats() }},
	{"StampsGob", func(k int) any { return StampsGobCached(k) }, func(k int) any { return StampsGob(k) }, func() memo.Stats { return StampsGobMemo().Stats() }},
	{"StampsZstd", func(k int) any { return StampsZstdCached(k) }, func(k int) any { return StampsZstd(k) }, func() memo.Stats { return StampsZstdMemo().Stats() }},
	{"MoneyMsgpack", func(k int) any { return MoneyMsgpackCached(k) }, func(k int) any { return MoneyMsgpack(k) }, func() memo.Stats { return MoneyMsgpackMemo().Stats() }},
	{"MoneyJSON", func(k int) any { return MoneyJSONCached(k) }, func(k int) any { return MoneyJSON(k) }, func() memo.Stats { return MoneyJSONMemo().Stats() }},
	{"MoneyGob", func(k int) any { return MoneyGobCached(k) }, func(k int) any { return MoneyGob(k) }, func() memo.Stats { return MoneyGobMemo().Stats() }},
	{"MoneyZstd", func(k int) any { return MoneyZstdCached(k) }, func(k int) any { return MoneyZstd(k) }, func() memo.Stats { return MoneyZstdMemo().Stats() }},
	{"SecretMsgpack", func(k int) any { return SecretMsgpackCached(k) }, func(k int) any { return SecretMsgpack(k) }, func() memo.Stats { return SecretMsgpackMemo().Stats() }},
	{"SecretJSON", func(k int) any { return SecretJSONCached(k) }, func(k int) any { return SecretJSON(k) }, func() memo.Stats { return SecretJSONMemo().Stats() }},
	{"SecretGob", func(k int) any { return SecretGobCached(k) }, func(k int) any { return SecretGob(k) }, func() memo.Stats { return SecretGobMemo().Stats() }},
	{"SecretZstd", func(k int) any { return SecretZstdCached(k) }, func(k int) any { return SecretZstd(k) }, func() memo.Stats { return SecretZstdMemo().Stats() }},
	{"MsgSecretMsgpack", func(k int) any { return MsgSecretMsgpackCached(k) }, func(k int) any { return MsgSecretMsgpack(k) }, func() memo.Stats { return MsgSecretMsgpackMemo().Stats() }},
	{"MsgSecretJSON", func(k int) any { return MsgSecretJSONCached(k) }, func(k int) any { return MsgSecretJSON(k) }, func() memo.Stats { return MsgSecretJSONMemo().Stats() }},
	{"MsgSecretGob", func(k int) any { return MsgSecretGobCached(k) }, func(k int) any { return MsgSecretGob(k) }, func() memo.Stats { return MsgSecretGobMemo().Stats() }},
	{"MsgSecretZstd", func(k int) any { return MsgSecretZstdCached(k) }, func(k int) any { return MsgSecretZstd(k) }, func() memo.Stats { return MsgSecretZstdMemo().Stats() }},
	{"ShadowMsgpack", func(k int) any { return ShadowMsgpackCached(k) }, func(k int) any { return ShadowMsgpack(k) }, func() memo.Stats { return ShadowMsgpackMemo().Stats() }},
	{"ShadowJSON", func(k int) any { return ShadowJSONCached(k) }, func(k int) any { return ShadowJSON(k) }, func() memo.Stats { return ShadowJSONMemo().Stats() }},
	{"ShadowGob", func(k int) any { return ShadowGobCached(k) }, func(k int) any { return ShadowGob(k) }, func() memo.Stats { return ShadowGobMemo().Stats() }},
	{"ShadowZstd", func(k int) any { return ShadowZstdCached(k) }, func(k int) any { return ShadowZstd(k) }, func() memo.Stats { return ShadowZstdMemo().Stats() }},
	{"BagMsgpack", func(k int) any { return BagMsgpackCached(k) }, func(k int) any { return BagMsgpack(k) }, func() memo.Stats { return BagMsgpackMemo().Stats() }},
	{"BagJSON", func(k int) any { return BagJSONCached(k) }, func(k int) any { return BagJSON(k) }, func() memo.Stats { return BagJSONMemo().Stats() }},
	{"BagGob", func(k int) any { return BagGobCached(k) }, func(k int) any { return BagGob(k) }, func() memo.Stats { return BagGobMemo().Stats() }},
	{"BagZstd", func(k int) any { return BagZstdCached(k) }, func(k int) any { return BagZstd(k) }, func() memo.Stats { return BagZstdMemo().Stats() }},
	{"PtrsMsgpack", func(k int) any { return PtrsMsgpackCached(k) }, func(k int) any { return PtrsMsgpack(k) }, func() memo.Stats { return PtrsMsgpackMemo().Stats() }},
	{"PtrsJSON", func(k int) any { return PtrsJSONCached(k) }, func(k int) any { return PtrsJSON(k) }, func() memo.Stats { return PtrsJSONMemo().Stats() }},
	{"PtrsGob", func(k int) any { return PtrsGobCached(k) }, func(k int) any { return PtrsGob(k) }, func() memo.Stats { return PtrsGobMemo().Stats() }},
	{"PtrsZstd", func(k int) any { return PtrsZstdCached(k) }, func(k int) any { return PtrsZstd(k) }, func() memo.Stats { return PtrsZstdMemo().Stats() }},
	{"EmptyMsgpack", func(k int) any { return EmptyMsgpackCached(k) }, func(k int) any { return EmptyMsgpack(k) }, func() memo.Stats { return EmptyMsgpackMemo().Stats() }},
	{"EmptyJSON", func(k int) any { return EmptyJSONCached(k) }, func(k int) any { return EmptyJSON(k) }, func() memo.Stats { return EmptyJSONMemo().Stats() }},
	{"EmptyGob", func(k int) any { return EmptyGobCached(k) }, func(k int) any { return EmptyGob(k) }, func() memo.Stats { return EmptyGobMemo().Stats() }},
	{"EmptyZstd", func(k int) any { return EmptyZstdCached(k) }, func(k int) any { return EmptyZstd(k) }, func() memo.Stats { return EmptyZstdMemo().Stats() }},
	{"NilSliceMsgpack", func(k int) any { return NilSliceMsgpackCached(k) }, func(k int) any { return NilSliceMsgpack(k) }, func() memo.Stats { return NilSliceMsgpackMemo().Stats() }},
	{"NilSliceJSON", func(k int) any { return NilSliceJSONCached(k) }, func(k int) any { return NilSliceJSON(k) }, func() memo.Stats { return NilSliceJSONMemo().Stats() }},
	{"NilSliceGob", func(k int) any { return NilSliceGobCached(k) }, func(k int) any { return NilSliceGob(k) }, func() memo.Stats { return NilSliceGobMemo().Stats() }},
	{"NilSliceZstd", func(k int) any { return NilSliceZstdCached(k) }, func(k int) any { return NilSliceZstd(k) }, func() memo.Stats { return NilSliceZstdMemo().Stats() }},
	{"NaNMsgpack", func(k int) any { return NaNMsgpackCached(k) }, func(k int) any { return NaNMsgpack(k) }, func() memo.Stats { return NaNMsgpackMemo().Stats() }},
	{"NaNJSON", func(k int) any { return NaNJSONCached(k) }, func(k int) any { return NaNJSON(k) }, func() memo.Stats { return NaNJSONMemo().Stats() }},
	{"NaNGob", func(k int) any { return NaNGobCached(k) }, func(k int) any { return NaNGob(k) }, func() memo.Stats { return NaNGobMemo().Stats() }},
	{"NaNZstd", func(k int) any { return NaNZstdCached(k) }, func(k int) any { return NaNZstd(k) }, func() memo.Stats { return NaNZstdMemo().Stats() }},
	{"TextMsgpack", func(k int) any { return TextMsgpackCached(k) }, func(k int) any { return TextMsgpack(k) }, func() memo.Stats { return TextMsgpackMemo().Stats() }},
	{"TextJSON", func(k int) any { return TextJSONCached(k) }, func(k int) any { return TextJSON(k) }, func() memo.Stats { return TextJSONMemo().Stats() }},
	{"TextGob", func(k int) any { return TextGobCached(k) }, func(k int) any { return TextGob(k) }, func() memo.Stats { return TextGobMemo().Stats() }},
	{"TextZstd", func(k int) any { return TextZstdCached(k) }, func(k int) any { return TextZstd(k) }, func() memo.Stats { return TextZstdMemo().Stats() }},
	{"PlainMsgpack", func(k int) any { return PlainMsgpackCached(k) }, func(k int) any { return PlainMsgpack(k) }, func() memo.Stats { return PlainMsgpackMemo().Stats() }},
	{"PlainJSON", func(k int) any { return PlainJSONCached(k) }, func(k int) any { return PlainJSON(k) }, func() memo.Stats { return PlainJSONMemo().Stats() }},
	{"PlainGob", func(k int) any { return PlainGobCached(k) }, func(k int) any { return PlainGob(k) }, func() memo.Stats { return PlainGobMemo().Stats() }},
	{"PlainZstd", func(k int) any { return PlainZstdCached(k) }, func(k int) any { return PlainZstd(k) }, func() memo.Stats { return PlainZstdMemo().Stats() }},
	{"NamedMsgpack", func(k int) any { return NamedMsgpackCached(k) }, func(k int) any { return NamedMsgpack(k) }, func() memo.Stats { return NamedMsgpackMemo().Stats() }},
	{"NamedJSON", func(k int) any { return NamedJSONCached(k) }, func(k int) any { return NamedJSON(k) }, func() memo.Stats { return NamedJSONMemo().Stats() }},
	{"NamedGob", func(k int) any { return NamedGobCached(k) }, func(k int) any { return NamedGob(k) }, func() memo.Stats { return NamedGobMemo().Stats() }},
	{"NamedZstd", func(k int) any { return NamedZstdCached(k) }, func(k int) any { return NamedZstd(k) }, func() memo.Stats { return NamedZstdMemo().Stats() }},
	{"NestedMsgpack", func(k int) any { return NestedMsgpackCached(k) }, func(k int) any { return NestedMsgpack(k) }, func() memo.Stats { return NestedMsgpackMemo().Stats() }},
	{"NestedJSON", func(k int) any { return NestedJSONCached(k) }, func(k int) any { return NestedJSON(k) }, func() memo.Stats { return NestedJSONMemo().Stats() }},
	{"NestedGob", func(k int) any { return NestedGobCached(k) }, func(k int) any { return NestedGob(k) }, func() memo.Stats { return NestedGobMemo().Stats() }},
	{"NestedZstd", func(k int) any { return NestedZstdCached(k) }, func(k int) any { return NestedZstd(k) }, func() memo.Stats { return NestedZstdMemo().Stats() }},
	{"CycleMsgpack", func(k int) any { return CycleMsgpackCached(k) }, func(k int) any { return CycleMsgpack(k) }, func() memo.Stats { return CycleMsgpackMemo().Stats() }},
	{"CycleJSON", func(k int) any { return CycleJSONCached(k) }, func(k int) any { return CycleJSON(k) }, func() memo.Stats { return CycleJSONMemo().Stats() }},
	{"CycleGob", func(k int) any { return CycleGobCached(k) }, func(k int) any { return CycleGob(k) }, func() memo.Stats { return CycleGobMemo().Stats() }},
	{"CycleZstd", func(k int) any { return CycleZstdCached(k) }, func(k int) any { return CycleZstd(k) }, func() memo.Stats { return CycleZstdMemo().Stats() }},
	{"TreeMsgpack", func(k int) any { return TreeMsgpackCached(k) }, func(k int) any { return TreeMsgpack(k) }, func() memo.Stats { return TreeMsgpackMemo().Stats() }},
	{"TreeJSON", func(k int) any { return TreeJSONCached(k) }, func(k int) any { return TreeJSON(k) }, func() memo.Stats { return TreeJSONMemo().Stats() }},
	{"TreeGob", func(k int) any { return TreeGobCached(k) }, func(k int) any { return TreeGob(k) }, func() memo.Stats { return TreeGobMemo().Stats() }},
	{"TreeZstd", func(k int) any { return TreeZstdCached(k) }, func(k int) any { return TreeZstd(k) }, func() memo.Stats { return TreeZstdMemo().Stats() }},
	{"AnyMsgpack", func(k int) any { return AnyMsgpackCached(k) }, func(k int) any { return AnyMsgpack(k) }, func() memo.Stats { return AnyMsgpackMemo().Stats() }},
	{"AnyJSON", func(k int) any { return AnyJSONCached(k) }, func(k int) any { return AnyJSON(k) }, func() memo.Stats { return AnyJSONMemo().Stats() }},
	{"AnyGob", func(k int) any { return AnyGobCached(k) }, func(k int) any { return AnyGob(k) }, func() memo.Stats { return AnyGobMemo().Stats() }},
	{"AnyZstd", func(k int) any { return AnyZstdCached(k) }, func(k int) any { return AnyZstd(k) }, func() memo.Stats { return AnyZstdMemo().Stats() }},
	{"MultiMsgpack", func(k int) any { return multi(MultiMsgpackCached(k)) }, func(k int) any { return multi(MultiMsgpack(k)) }, func() memo.Stats { return MultiMsgpackMemo().Stats() }},
	{"MultiJSON", func(k int) any { return multi(MultiJSONCached(k)) }, func(k int) any { return multi(MultiJSON(k)) }, func() memo.Stats { return MultiJSONMemo().Stats() }},
	{"MultiGob", func(k int) any { return multi(MultiGobCached(k)) }, func(k int) any { return multi(MultiGob(k)) }, func() memo.Stats { return MultiGobMemo().Stats() }},
	{"MultiZstd", func(k int) any { return multi(MultiZstdCached(k)) }, func(k int) any { return multi(MultiZstd(k)) }, func() memo.Stats { return MultiZstdMemo().Stats() }},
	{"BoxedMsgpack[int]", func(k int) any { return BoxedMsgpackCached(k) }, func(k int) any { return BoxedMsgpack(k) }, func() memo.Stats { return BoxedMsgpackMemo[int]().Stats() }},
	{"BoxedMsgpack[string]", func(k int) any { return BoxedMsgpackCached(strconv.Itoa(k)) }, func(k int) any { return BoxedMsgpack(strconv.Itoa(k)) }, func() memo.Stats { return BoxedMsgpackMemo[string]().Stats() }},
	{"BoxedJSON[int]", func(k int) any { return BoxedJSONCached(k) }, func(k int) any { return BoxedJSON(k) }, func() memo.Stats { return BoxedJSONMemo[int]().Stats() }},
	{"BoxedJSON[string]", func(k int) any { return BoxedJSONCached(strconv.Itoa(k)) }, func(k int) any { return BoxedJSON(strconv.Itoa(k)) }, func() memo.Stats { return BoxedJSONMemo[string]().Stats() }},
	{"BoxedGob[int]", func(k int) any { return BoxedGobCached(k) }, func(k int) any { return BoxedGob(k) }, func() memo.Stats { return BoxedGobMemo[int]().Stats() }},
	{"BoxedGob[string]", func(k int) any { return BoxedGobCached(strconv.Itoa(k)) }, func(k int) any { return BoxedGob(strconv.Itoa(k)) }, func() memo.Stats { return BoxedGobMemo[string]().Stats() }},
	{"BoxedZstd[int]", func(k int) any { return BoxedZstdCached(k) }, func(k int) any { return BoxedZstd(k) }, func() memo.Stats { return BoxedZstdMemo[int]().Stats() }},
	{"BoxedZstd[string]", func(k int) any { return BoxedZstdCached(strconv.Itoa(k)) }, func(k int) any { return BoxedZstd(strconv.Itoa(k)) }, func() memo.Stats { return BoxedZstdMemo[string]().Stats() }},
}

func main() {
	switch phase := os.Getenv("MEMO_DIFF_PHASE"); phase {
	case "write", "read":
		os.Exit(runPhase(phase))
	}
	dir, err := os.MkdirTemp("", "memo-diff-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	stores := []struct{ name, url string }{{"file", "file://" + dir}}
	if u := os.Getenv("MEMO_DIFF_REDIS"); u != "" {
		stores = append(stores, struct{ name, url string }{"redis", u})
	}
	failed := false
	for _, s := range stores {
		fmt.Printf("== %s\n", s.name)
		for _, p := range []struct{ phase, tz string }{{"write", "Asia/Tokyo"}, {"read", "America/New_York"}} {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "MEMO_DIFF_PHASE="+p.phase, "TZ="+p.tz, "MEMO_BACKEND_STORE="+s.url)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				fmt.Printf("%s phase failed: %v\n", p.phase, err)
				failed = true
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

// runPhase calls every function of the matrix with k = 1 and 2, in a store
// that the write phase finds empty; the read phase checks each outcome.
func runPhase(phase string) int {
	var mu sync.Mutex
	unstorable := map[string]string{}
	memo.Configure(memo.Config{Hook: func(ci memo.CallInfo) {
		if errors.Is(ci.Err, memo.ErrUnstorable) {
			mu.Lock()
			if _, ok := unstorable[ci.Func.Name]; !ok {
				unstorable[ci.Func.Name] = ci.Err.Error()
			}
			mu.Unlock()
		}
	}})
	wrong := 0
	var stored, refused []string
	for _, c := range checks {
		for k := 1; k <= 2; k++ {
			got := c.call(k)
			if phase == "read" && !same(got, c.direct(k)) {
				fmt.Printf("WRONG %s(%d): got %#v, want %#v\n", c.name, k, got, c.direct(k))
				wrong++
			}
		}
		if phase != "read" {
			continue
		}
		st := c.stats()
		_, reported := unstorable[c.name]
		switch {
		case st.Hits == 2 && st.Misses == 0:
			stored = append(stored, c.name)
		case st.Hits == 0 && reported:
			refused = append(refused, c.name)
		default:
			fmt.Printf("THIRD OUTCOME %s: %+v, reported unstorable: %v\n", c.name, st, reported)
			wrong++
		}
	}
	if phase == "read" {
		slices.Sort(stored)
		slices.Sort(refused)
		fmt.Printf("served from the store (%d): %s\n", len(stored), strings.Join(stored, " "))
		fmt.Printf("reported unstorable (%d): %s\n", len(refused), strings.Join(refused, " "))
		fmt.Printf("wrong values: %d\n", wrong)
	}
	if wrong > 0 {
		return 1
	}
	return 0
}

// same reports whether a and b are the same value: deep equality where
// times must agree on instant, zone name and offset, NaN equals NaN, and
// nil and empty differ.
func same(a, b any) bool {
	return sameValue(reflect.ValueOf(a), reflect.ValueOf(b), map[[2]uintptr]bool{})
}

var timeType = reflect.TypeFor[time.Time]()

func sameValue(a, b reflect.Value, seen map[[2]uintptr]bool) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == timeType {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		na, oa := ta.Zone()
		nb, ob := tb.Zone()
		return ta.Equal(tb) && na == nb && oa == ob && ta.Location().String() == tb.Location().String()
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y && math.Signbit(x) == math.Signbit(y) || x != x && y != y
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		k := [2]uintptr{a.Pointer(), b.Pointer()}
		if seen[k] {
			return true
		}
		seen[k] = true
		return sameValue(a.Elem(), b.Elem(), seen)
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem(), seen)
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i), seen) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i), seen) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !b.MapIndex(k).IsValid() || !sameValue(a.MapIndex(k), b.MapIndex(k), seen) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i), seen) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
