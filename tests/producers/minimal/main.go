// Command minimal writes a heap dump of an almost empty program.
//
// Usage: minimal OUTPUT
//
// The dump holds only what every Go program has: the runtime's own
// goroutines (main, GC workers, finalizer and scavenger goroutines),
// params, memstats, OS threads, data and bss segments, types and itabs of
// whatever the runtime and the os package allocated during start-up.
//
// The expect lines below are read by ../run.sh, which passes each one to
// hdvalidate as an --expect argument (see ../README.md).
//
// expect: eof == 1
// expect: params == 1
// expect: memstats == 1
// expect: goroutine >= 1
// expect: stackframe >= 1
// expect: osthread >= 1
// expect: data >= 1
// expect: bss >= 1
// expect: object >= 1
// expect: max_frames >= 1
package main

import (
	"fmt"
	"os"
	"runtime/debug"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: minimal OUTPUT")
		os.Exit(2)
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "minimal:", err)
		os.Exit(1)
	}
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "minimal:", err)
		os.Exit(1)
	}
}
