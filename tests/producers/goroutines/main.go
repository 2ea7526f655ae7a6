// Command goroutines writes a heap dump of a program whose goroutines are
// parked in every common kind of wait.
//
// Usage: goroutines OUTPUT
//
// At dump time the program has, besides the runtime's own goroutines:
//   - 10 goroutines each in: unbuffered channel send, unbuffered channel
//     receive, select over several channels, sync.Mutex.Lock,
//     sync.RWMutex.RLock (5) and .Lock (5), sync.Cond.Wait, time.Sleep,
//     sync.WaitGroup.Wait;
//   - 4 goroutines reading an os.Pipe that never gets data (netpoller wait);
//   - 4 goroutines in a blocking read(2) on a raw pipe (status syscall),
//     one of them locked to its OS thread;
//   - goroutines blocked on a nil channel, in an empty select and in a
//     select with a far-away timer;
//   - one goroutine 500 calls deep, each of those frames holding a pending
//     defer (defers made inside a loop, so they are real _defer records and
//     not open-coded);
//   - one goroutine parked inside a deferred call run by runtime.Goexit;
//   - one goroutine parked inside a deferred call while two nested panics
//     are in progress;
//   - and the main goroutine, which writes the dump from a deferred call
//     while its own panic is in progress, then recovers and exits 0.
//
// The expect lines below are read by ../run.sh, which passes each one to
// hdvalidate as an --expect argument (see ../README.md).
//
// expect: goroutine >= 90
// expect: max_frames > 450
// expect: defer >= 450
// expect: panic >= 4
// expect: stackframe >= 1000
// expect: osthread >= 5
// expect: eof == 1
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"time"
)

const perKind = 10

// depth of the recursing goroutine; every level has one pending defer.
const depth = 500

var (
	started sync.WaitGroup   // every parked goroutine says Done right before it parks
	forever = make(chan int) // never written, never closed

	// Kept in globals so that they stay reachable from the data/bss segments.
	sendCh, recvCh   = make(chan int), make(chan int)
	selA, selB, selC = make(chan int), make(chan string), make(chan struct{})
	mu               sync.Mutex
	rw               sync.RWMutex
	condMu           sync.Mutex
	cond             = sync.NewCond(&condMu)
	neverDone        sync.WaitGroup
	pipeR, pipeW     *os.File
	rawPipes         [][2]int
	deferCount       int
)

func spawn(n int, f func(i int)) {
	for i := 0; i < n; i++ {
		started.Add(1)
		go f(i)
	}
}

// recurse calls itself until level reaches depth, leaving a pending defer in
// every frame, then parks. The defer sits in a loop so the compiler has to
// use a runtime _defer record for it.
//
//go:noinline
func recurse(level int, done func()) int {
	for i := 0; i < 1; i++ {
		defer func() { deferCount += level }()
	}
	if level == depth {
		done()
		<-forever
		return level
	}
	return recurse(level+1, done) + 1
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: goroutines OUTPUT")
		os.Exit(2)
	}
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "goroutines:", err)
		os.Exit(1)
	}

	spawn(perKind, func(i int) { started.Done(); sendCh <- i })
	spawn(perKind, func(i int) { started.Done(); <-recvCh })
	spawn(perKind, func(i int) {
		started.Done()
		select {
		case <-selA:
		case selB <- "x":
		case <-selC:
		case v := <-recvCh:
			_ = v
		}
	})

	mu.Lock()
	spawn(perKind, func(i int) { started.Done(); mu.Lock() })

	rw.Lock()
	spawn(perKind/2, func(i int) { started.Done(); rw.RLock() })
	spawn(perKind/2, func(i int) { started.Done(); rw.Lock() })

	spawn(perKind, func(i int) {
		condMu.Lock()
		started.Done()
		cond.Wait()
		condMu.Unlock()
	})

	spawn(perKind, func(i int) { started.Done(); time.Sleep(time.Hour) })

	neverDone.Add(1)
	spawn(perKind, func(i int) { started.Done(); neverDone.Wait() })

	pipeR, pipeW, err = os.Pipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "goroutines:", err)
		os.Exit(1)
	}
	spawn(4, func(i int) {
		started.Done()
		var buf [16]byte
		pipeR.Read(buf[:])
	})

	for i := 0; i < 4; i++ {
		var p [2]int
		if err := syscall.Pipe(p[:]); err != nil {
			fmt.Fprintln(os.Stderr, "goroutines:", err)
			os.Exit(1)
		}
		rawPipes = append(rawPipes, p)
	}
	spawn(4, func(i int) {
		if i == 0 {
			runtime.LockOSThread()
		}
		started.Done()
		var buf [16]byte
		syscall.Read(rawPipes[i][0], buf[:])
	})

	spawn(1, func(int) {
		var nilCh chan int
		started.Done()
		<-nilCh
	})
	spawn(1, func(int) { started.Done(); select {} })
	spawn(1, func(int) {
		t := time.NewTimer(time.Hour)
		started.Done()
		select {
		case <-t.C:
		case <-forever:
		}
	})

	// Deep recursion with a pending defer in every frame.
	started.Add(1)
	go recurse(1, started.Done)

	// Parked inside a deferred call run by runtime.Goexit.
	started.Add(1)
	go func() {
		defer func() {
			started.Done()
			<-forever
		}()
		runtime.Goexit()
	}()

	// Parked inside a deferred call while two nested panics are running.
	started.Add(1)
	go func() {
		defer func() {
			started.Done()
			<-forever
		}()
		defer func() {
			panic("second panic, raised by a deferred call")
		}()
		panic("first panic")
	}()

	started.Wait()
	// Done is called just before each goroutine parks; give them time to
	// actually get there.
	for i := 0; i < 3; i++ {
		time.Sleep(100 * time.Millisecond)
		runtime.Gosched()
	}

	// Write the dump from a deferred call while main's own panic is in
	// progress, then recover so the program exits 0.
	defer func() {
		debug.WriteHeapDump(out.Fd())
		if err := out.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutines:", err)
			os.Exit(1)
		}
		recover()
	}()
	panic(fmt.Sprintf("dumping with %d goroutines", runtime.NumGoroutine()))
}
