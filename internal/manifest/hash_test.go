package manifest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// mixedSizes is a tree like the benchmark's: a few large files and many
// small ones, by absolute path.
func mixedSizes() map[string]int64 {
	sizes := map[string]int64{}
	add := func(n int, size int64) {
		for range n {
			sizes[fmt.Sprintf("/v/f%05d", len(sizes))] = size
		}
	}
	add(4, 128<<20)
	add(64, 4<<20)
	add(1024, 192<<10)
	add(4096, 16<<10)
	return sizes
}

// Workers that each take the next batch as they finish must end at about
// the same time: no worker does much more than an equal share.
func TestBalancedBatchesShareTheBytes(t *testing.T) {
	sizes := mixedSizes()
	for _, workers := range []int{1, 2, 3, 8} {
		batches, err := balancedBatches([]string{"sha256sum", "--"}, sizes, workers, maxCommandBytes)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		var total int64
		prevLargest := int64(1 << 62)
		for _, b := range batches {
			if n := len(remote.Quote(append([]string{"sha256sum", "--"}, b...))); n > maxCommandBytes {
				t.Errorf("%d workers: a batch is %d bytes quoted", workers, n)
			}
			if sizes[b[0]] > prevLargest {
				t.Errorf("%d workers: a batch of larger files comes after a batch of smaller ones", workers)
			}
			prevLargest = sizes[b[0]]
			for _, p := range b {
				if seen[p] {
					t.Errorf("%s is in two batches", p)
				}
				seen[p] = true
				total += sizes[p] + perFileCost
			}
		}
		if len(seen) != len(sizes) {
			t.Errorf("%d workers: %d of %d paths batched", workers, len(seen), len(sizes))
		}
		if busiest := simulate(batches, sizes, workers); float64(busiest) > 1.15*float64(total)/float64(workers) {
			t.Errorf("%d workers: the busiest reads %d of %d bytes, over 1.15 of an equal share", workers, busiest, total)
		}
	}
}

// simulate hands the batches in order to whichever worker is least busy,
// as HashFiles's workers do, and returns the busiest worker's bytes.
func simulate(batches [][]string, sizes map[string]int64, workers int) int64 {
	load := make([]int64, workers)
	for _, b := range batches {
		i := slices.Index(load, slices.Min(load))
		for _, p := range b {
			load[i] += sizes[p] + perFileCost
		}
	}
	return slices.Max(load)
}

// HashFiles runs one sha256sum per processor of the host at once: with a
// fake host of fakeProcessors processors, that many commands must be in
// flight together, and never more.
func TestHashFilesRunsOneBatchPerProcessorAtOnce(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	all := make(chan struct{})
	rec := &recorder{respond: func(argv []string) (remote.Result, error) {
		if argv[0] == "nproc" {
			return fakeSha256sum(argv)
		}
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if inFlight == fakeProcessors {
			select {
			case <-all:
			default:
				close(all)
			}
		}
		mu.Unlock()
		select { // hold the command until all run together (or give up)
		case <-all:
		case <-time.After(5 * time.Second):
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return fakeSha256sum(argv)
	}}
	files := map[string]int64{}
	for p, size := range mixedSizes() {
		files[p[len("/v/"):]] = size
	}

	sums, err := HashFiles(context.Background(), rec, "/v", files)

	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(files) {
		t.Errorf("%d hashes for %d files", len(sums), len(files))
	}
	if most != fakeProcessors {
		t.Errorf("at most %d sha256sum commands ran at once, want %d (one per processor)", most, fakeProcessors)
	}
}
