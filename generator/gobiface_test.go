package generator_test

import "testing"

// interfacesProgram memoizes functions of interface results under gob, in
// a file backend that outlives the process.
const interfacesProgram = `package main

import (
	"encoding/gob"
	"fmt"
	"os"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

type Shape interface{ Area() float64 }

type Square struct{ Side float64 }

func (s Square) Area() float64 { return s.Side * s.Side }

type Plain struct {
	N int
	S string
}

var computed bool

// Pick returns a Shape, nil for 0.
//
//memo:cache backend=disk codec=gob
func Pick(n int) Shape {
	computed = true
	if n == 0 {
		return nil
	}
	return Square{Side: float64(n)}
}

// Anything returns a Plain as an any.
//
//memo:cache backend=disk codec=gob
func Anything(n int) any {
	computed = true
	return Plain{N: n, S: "plain"}
}

func show(v any) {
	fmt.Printf("%#v %v\n", v, computed)
	computed = false
}

func main() {
	gob.Register(Square{})
	gob.Register(Plain{})
	store, err := file.New(file.Options{Dir: os.Args[1]})
	if err != nil {
		panic(err)
	}
	memo.Register("disk", store)
	show(PickCached(3))
	show(PickCached(0))
	show(AnythingCached(7))
}
`

// TestGobInterfaceResultsInASecondProcess stores interface results, a nil
// one among them, under gob, and runs the program again: the second
// process is served each as it was computed.
func TestGobInterfaceResultsInASecondProcess(t *testing.T) {
	p := newProgram(t)
	p.write(interfacesProgram)
	p.run("main.Square{Side:3} true\n<nil> true\nmain.Plain{N:7, S:\"plain\"} true")
	p.run("main.Square{Side:3} false\n<nil> false\nmain.Plain{N:7, S:\"plain\"} false")
}
