// Command memprof writes a heap dump of a program that samples every
// allocation for the memory profile.
//
// Usage: memprof OUTPUT
//
// runtime.MemProfileRate is set to 1 first thing in main, so every
// allocation made after that gets a profile bucket (memprof records: one per
// distinct size and call stack) and every live sampled object is tied to its
// bucket (allocsample records). The program keeps 4000 objects of 16 to
// 4104 bytes alive, allocated from several call paths of varying depth,
// frees 1000 more, and runs a GC so the bucket counts are published.
//
// The expect lines below are read by ../run.sh, which passes each one to
// hdvalidate as an --expect argument (see ../README.md).
//
// expect: memprof >= 50
// expect: allocsample >= 3900
// expect: object >= 3900
// expect: eof == 1
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
)

type rec struct {
	next *rec
	data []byte
}

var (
	kept    [][]byte
	keptRec []*rec
	garbage [][]byte
)

var sizes = []int{16, 24, 48, 64, 100, 256, 500, 1024, 1500, 4096}

//go:noinline
func allocA(size int) []byte { return make([]byte, size) }

//go:noinline
func allocB(size int) []byte { return allocA(size + 8) }

//go:noinline
func allocC(depth, size int) []byte {
	if depth == 0 {
		return make([]byte, size)
	}
	return allocC(depth-1, size)
}

//go:noinline
func allocRec(prev *rec) *rec { return &rec{next: prev} }

func main() {
	runtime.MemProfileRate = 1
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: memprof OUTPUT")
		os.Exit(2)
	}
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "memprof:", err)
		os.Exit(1)
	}

	kept = make([][]byte, 0, 3000)
	for i := 0; i < 1000; i++ {
		s := sizes[i%len(sizes)]
		kept = append(kept, allocA(s))
		kept = append(kept, allocB(s))
		kept = append(kept, allocC(i%8, s))
	}
	var r *rec
	for i := 0; i < 1000; i++ {
		r = allocRec(r)
		keptRec = append(keptRec, r)
	}
	for i := 0; i < 1000; i++ {
		garbage = append(garbage, allocA(sizes[i%len(sizes)]))
	}
	garbage = nil
	runtime.GC()
	runtime.GC()

	debug.WriteHeapDump(out.Fd())
	if err := out.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "memprof:", err)
		os.Exit(1)
	}
	runtime.KeepAlive(kept)
	runtime.KeepAlive(keptRec)
}
