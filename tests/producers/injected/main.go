// Command injected writes a heap dump in which two goroutines were stopped
// by calls that the runtime injected from a signal handler.
//
// Usage: injected OUTPUT
//
// At dump time, besides the runtime's own goroutines:
//   - one goroutine spins in a loop without calls; stopping the world can
//     only stop it by asynchronous preemption, so its stack reads
//     runtime.asyncPreempt2, runtime.asyncPreempt (whose frame holds the
//     spinning function's registers), main.spin, ...;
//   - one goroutine dereferenced a nil pointer: the signal handler injected
//     a call to runtime.sigpanic, and the goroutine is parked in a deferred
//     call run by that panic, so its stack holds ..., runtime.gopanic,
//     runtime.sigpanic, main.deref, ...
//
// On link-register architectures the unwinder steps over the word the
// signal handler saved between an injected frame and the interrupted one,
// so those two frames are not contiguous in the dump (the gap is the
// architecture's minimum frame size rounded up to its stack alignment);
// on 386/amd64 they are. The asyncPreempt frame has no pointer map: the
// writer lists every word of it as a pointer field, whatever the saved
// registers hold.
//
// The expect lines below are read by ../run.sh, which passes each one to
// hdvalidate as an --expect argument (see ../README.md).
//
// expect: goroutine >= 3
// expect: stackframe >= 15
// expect: max_frames >= 8
// expect: defer >= 1
// expect: panic >= 1
// expect: eof == 1
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"time"
)

var (
	ready = make(chan int, 2) // each goroutine says it is about to stop
	block = make(chan int)    // never written: the deferred call waits here
	spun  int64               // what the spinning loop writes
)

// spin never calls anything inside its loop, so it has no synchronous
// preemption point.
//
//go:noinline
func spin(p *int64) {
	ready <- 1
	for i := int64(0); ; i++ {
		*p += i
	}
}

type pair struct{ a, b int }

// deref faults on a nil pointer; its deferred call recovers and then parks
// while the panic is still in progress.
//
//go:noinline
func deref(p *pair) int {
	defer func() {
		recover()
		ready <- 1
		<-block
	}()
	return p.b
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: injected OUTPUT")
		os.Exit(2)
	}
	// The spinning goroutine needs a P of its own.
	if runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
	go spin(&spun)
	go deref(nil)
	<-ready
	<-ready
	time.Sleep(20 * time.Millisecond) // let spin enter its loop

	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "injected:", err)
		os.Exit(1)
	}
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "injected:", err)
		os.Exit(1)
	}
}
