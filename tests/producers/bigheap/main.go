// Command bigheap writes a heap dump of a program with a large live heap,
// for measuring the validator's throughput.
//
// Usage: bigheap OUTPUT [MiB]
//
// The program builds a pointer-rich graph of about MiB mebibytes (default
// 200) of live objects and dumps it. Sizes are mixed: small graph nodes
// (4 words plus a slice header), edge slices of 1 to 8 pointers, byte
// payloads of 16 bytes to 4 KiB, and every so often an array of 32768
// pointers (a large object). Every node points at up to 8 earlier nodes,
// chosen with a fixed random seed, so the object graph and the dump size
// are the same from run to run on one architecture.
//
// The expectations below hold for the default size.
//
// The expect lines below are read by ../run.sh, which passes each one to
// hdvalidate as an --expect argument (see ../README.md).
//
// expect: object >= 500000
// expect: goroutine >= 1
// expect: eof == 1
package main

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"unsafe"
)

type node struct {
	id      int
	parent  *node
	edges   []*node
	payload []byte
	extra   interface{}
}

const chunkLen = 4096

var (
	chunks [][]*node // every node, so all of them stay reachable
	hubs   [][]*node // the large pointer arrays
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: bigheap OUTPUT [MiB]")
		os.Exit(2)
	}
	mib := 200
	if len(os.Args) == 3 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 1 || n > 1<<16 {
			fmt.Fprintln(os.Stderr, "bigheap: bad size:", os.Args[2])
			os.Exit(2)
		}
		mib = n
	}
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bigheap:", err)
		os.Exit(1)
	}

	const word = int(unsafe.Sizeof(uintptr(0)))
	target := mib << 20
	total := 0
	rng := rand.New(rand.NewSource(1))
	cur := make([]*node, 0, chunkLen)
	var all []*node // a window over the most recent nodes, for picking edges
	for total < target {
		n := &node{id: total}
		total += int(unsafe.Sizeof(*n))
		if len(all) > 0 {
			n.parent = all[rng.Intn(len(all))]
			k := 1 + rng.Intn(8)
			n.edges = make([]*node, k)
			for j := range n.edges {
				n.edges[j] = all[rng.Intn(len(all))]
			}
			total += k * word
		}
		switch r := rng.Intn(16); {
		case r < 5:
			n.payload = make([]byte, 16+rng.Intn(4080))
			for j := 0; j < len(n.payload); j += 64 {
				n.payload[j] = byte(n.id + j)
			}
			total += len(n.payload)
		case r == 5:
			n.extra = strconv.Itoa(n.id)
			total += 16
		case r == 6:
			n.extra = n.edges
		}
		if rng.Intn(20000) == 0 {
			hub := make([]*node, 32768)
			for j := range hub {
				if len(all) > 0 {
					hub[j] = all[rng.Intn(len(all))]
				}
			}
			hubs = append(hubs, hub)
			total += len(hub) * word
		}
		cur = append(cur, n)
		if len(cur) == chunkLen {
			chunks = append(chunks, cur)
			total += chunkLen * word
			cur = make([]*node, 0, chunkLen)
		}
		if len(all) < 1<<16 {
			all = append(all, n)
		} else {
			all[rng.Intn(len(all))] = n
		}
	}
	chunks = append(chunks, cur)

	debug.WriteHeapDump(out.Fd())
	if err := out.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "bigheap:", err)
		os.Exit(1)
	}
	runtime.KeepAlive(all)
}
