// Command heapzoo writes a heap dump of a program that keeps a varied heap
// alive, with live and queued finalizers.
//
// Usage: heapzoo OUTPUT
//
// Kept alive through package variables (so the data and bss segments point
// into the heap): maps of several key/value kinds (one with 5000 entries),
// an []interface{} holding ints, floats, strings, structs, pointers, slices,
// maps, funcs, channels and errors (so there are itabs and eface fields),
// interface values of a locally defined interface (itabs for our own
// types), closures capturing variables, buffered channels with queued
// elements, objects over 1 MiB (one pointer-free, one an array of
// pointers), slices of pointers, a linked list, a cyclic graph and
// many strings.
//
// Finalizers:
//   - 32 objects that stay reachable have a finalizer set: finalizer
//     records (the runtime adds a few of its own, e.g. for os.File).
//   - one unreachable object has a finalizer that blocks forever, so the
//     finalizer goroutine is stuck in it; then 64 more unreachable objects
//     with finalizers are collected, and their finalizers stay in the
//     runtime's queue: queuedfinalizer records.
//
// The expect lines below are read by ../run.sh, which passes each one to
// hdvalidate as an --expect argument (see ../README.md).
//
// expect: finalizer >= 32
// expect: queuedfinalizer >= 40
// expect: object >= 10000
// expect: itab >= 10
// expect: type >= 10
// expect: eof == 1
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

type point struct{ X, Y int }

type node struct {
	Val  int
	Name string
	Next *node
	Kids []*node
	Any  interface{}
}

type shape interface {
	Area() float64
}

type square struct{ side float64 }

func (s square) Area() float64 { return s.side * s.side }

type circle struct {
	r    float64
	tags []string
}

func (c *circle) Area() float64 { return 3 * c.r * c.r }

type myErr struct{ code int }

func (e *myErr) Error() string { return "code " + strconv.Itoa(e.code) }

// finalized is big enough (and holds a pointer) to never be a tiny
// allocation, so it is freed, and its finalizer queued, as soon as it is
// unreachable.
type finalized struct {
	id   int
	self *finalized
	pad  [48]byte
}

var (
	zooMaps     []interface{}
	zooIfaces   []interface{}
	zooShapes   []shape
	zooClosures []func() int
	zooChans    []interface{}
	zooBig      [][]byte
	zooBigPtrs  [][]*point
	zooPtrs     []*point
	zooList     *node
	zooGraph    []*node
	zooStrings  []string
	zooLive     []*finalized
	liveRan     int

	blockFinalizer = make(chan struct{})
	inFinalizer    = make(chan struct{}, 1)
)

func buildMaps() {
	m1 := map[string]int{}
	for i := 0; i < 5000; i++ {
		m1["key-"+strconv.Itoa(i)] = i
	}
	m2 := map[int]*point{}
	for i := 0; i < 100; i++ {
		m2[i] = &point{i, -i}
	}
	m3 := map[point][]string{{1, 2}: {"a", "b"}, {3, 4}: {"c"}}
	m4 := map[interface{}]interface{}{1: "one", "two": 2.0, point{5, 6}: &point{7, 8}}
	m5 := map[string]map[string]int{"inner": {"x": 1}}
	zooMaps = append(zooMaps, m1, m2, m3, m4, m5)
}

func buildIfaces() {
	var err error = &myErr{42}
	zooIfaces = append(zooIfaces,
		1, int64(1<<40), 3.5, complex(1, 2), "a string", []byte("bytes"),
		point{1, 2}, &point{3, 4}, []int{1, 2, 3}, map[string]bool{"t": true},
		func() {}, make(chan int, 1), err, errors.New("plain error"),
		fmt.Errorf("wrapped: %w", err), time.Duration(5), &node{Val: 9},
		[4]uintptr{1, 2, 3, 4}, struct{ A, B *int }{new(int), new(int)})
	for i := 0; i < 50; i++ {
		zooShapes = append(zooShapes, square{float64(i)}, &circle{r: float64(i), tags: []string{"t" + strconv.Itoa(i)}})
	}
}

func buildClosures() {
	for i := 0; i < 100; i++ {
		n := i
		p := &point{i, i}
		s := strings.Repeat("c", i%10+1)
		zooClosures = append(zooClosures, func() int { return n + p.X + len(s) })
	}
}

func buildChans() {
	c1 := make(chan *point, 16)
	for i := 0; i < 10; i++ {
		c1 <- &point{i, i}
	}
	c2 := make(chan string, 4)
	c2 <- "queued"
	c3 := make(chan interface{}, 8)
	c3 <- 1
	c3 <- &node{Val: 3}
	zooChans = append(zooChans, c1, c2, c3, make(chan struct{}), make(chan int))
}

func buildBig() {
	// 1.5 MiB without pointers and 2.5 MiB (amd64) / 1.25 MiB (386) of
	// pointers: both are large objects with a span of their own.
	b := make([]byte, 3<<19)
	for i := range b {
		b[i] = byte(i)
	}
	zooBig = append(zooBig, b)
	ptrs := make([]*point, 5<<16)
	for i := 0; i < len(ptrs); i += 64 {
		ptrs[i] = &point{i, i}
	}
	zooBigPtrs = append(zooBigPtrs, ptrs)
}

func buildPointersAndStrings() {
	for i := 0; i < 2000; i++ {
		zooPtrs = append(zooPtrs, &point{i, 2 * i})
	}
	for i := 0; i < 1000; i++ {
		zooList = &node{Val: i, Name: "n" + strconv.Itoa(i), Next: zooList, Any: i}
	}
	zooGraph = make([]*node, 200)
	for i := range zooGraph {
		zooGraph[i] = &node{Val: i}
	}
	for i, n := range zooGraph {
		n.Kids = []*node{zooGraph[(i+1)%len(zooGraph)], zooGraph[(i*7)%len(zooGraph)]}
		n.Any = zooGraph[(i+3)%len(zooGraph)]
	}
	for i := 0; i < 1000; i++ {
		zooStrings = append(zooStrings, strings.Repeat("s", i%100)+strconv.Itoa(i))
	}
	zooStrings = append(zooStrings, strings.Repeat("long string ", 20000))
}

func buildLiveFinalizers() {
	for i := 0; i < 32; i++ {
		f := &finalized{id: i}
		f.self = f
		runtime.SetFinalizer(f, func(*finalized) { liveRan++ })
		zooLive = append(zooLive, f)
	}
}

// dropBlocker makes one unreachable object whose finalizer never returns.
//
//go:noinline
func dropBlocker() {
	f := &finalized{id: -1}
	runtime.SetFinalizer(f, func(*finalized) {
		inFinalizer <- struct{}{}
		<-blockFinalizer
	})
}

// dropQueued makes n unreachable objects with finalizers.
//
//go:noinline
func dropQueued(n int) {
	for i := 0; i < n; i++ {
		f := &finalized{id: i}
		runtime.SetFinalizer(f, func(f *finalized) { liveRan += f.id })
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: heapzoo OUTPUT")
		os.Exit(2)
	}
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "heapzoo:", err)
		os.Exit(1)
	}

	buildMaps()
	buildIfaces()
	buildClosures()
	buildChans()
	buildBig()
	buildPointersAndStrings()
	buildLiveFinalizers()

	// Jam the finalizer goroutine.
	dropBlocker()
	jammed := false
	for i := 0; i < 50 && !jammed; i++ {
		runtime.GC()
		select {
		case <-inFinalizer:
			jammed = true
		case <-time.After(20 * time.Millisecond):
		}
	}
	if !jammed {
		fmt.Fprintln(os.Stderr, "heapzoo: blocking finalizer never ran")
		os.Exit(1)
	}

	// These finalizers stay queued behind the jammed one.
	dropQueued(64)
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	time.Sleep(50 * time.Millisecond)

	debug.WriteHeapDump(out.Fd())
	if err := out.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "heapzoo:", err)
		os.Exit(1)
	}
	runtime.KeepAlive(zooLive)
}
