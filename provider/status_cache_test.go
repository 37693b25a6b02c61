package provider

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// countingRunner answers every gluster call with the same stdout and counts
// the calls by argv.
type countingRunner struct {
	stdout []byte
	mu     sync.Mutex
	calls  map[string]int
	n      atomic.Int32
}

func (r *countingRunner) Host() string { return "p1" }

func (r *countingRunner) Run(_ context.Context, cmd remote.Cmd) (remote.Result, error) {
	r.mu.Lock()
	r.calls[strings.Join(cmd.Argv, " ")]++
	r.mu.Unlock()
	r.n.Add(1)
	return remote.Result{Stdout: r.stdout}, nil
}

func TestStatusCacheOneCallPerNodeForManyReaders(t *testing.T) {
	out, err := os.ReadFile("../internal/gluster/testdata/georep-status-detail-checkpoint-completed-small100MB.xml.out")
	if err != nil {
		t.Fatal(err)
	}
	r := &countingRunner{stdout: out, calls: map[string]int{}}
	c, g := &statusCache{}, gluster.New(r)
	ref := gluster.SessionRef{PrimaryVolume: "gv0", SecondaryHost: "vm", SecondaryVolume: "gv1"}
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for range 30 {
		wg.Go(func() {
			st, err := c.status(context.Background(), "p1", g, ref)
			if err == nil && st.Ref != ref {
				err = errors.New("wrong session")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := r.n.Load(); n != 1 {
		t.Errorf("%d gluster calls for 30 readers of one node, want 1: %v", n, r.calls)
	}
	c.forget("p1")
	if _, err := c.status(context.Background(), "p1", g, ref); err != nil || r.n.Load() != 2 {
		t.Errorf("after forget, the status must be read again: %d calls, %v", r.n.Load(), err)
	}
	other := gluster.SessionRef{PrimaryVolume: "gv0", SecondaryHost: "elsewhere", SecondaryVolume: "gv1"}
	if _, err := c.status(context.Background(), "p1", g, other); !errors.Is(err, gluster.ErrNoSession) {
		t.Errorf("a session the node does not list: got %v, want ErrNoSession", err)
	}
}

func TestStatusCacheKeepsNoFailure(t *testing.T) {
	c := &statusCache{}
	calls := 0
	fail := func(context.Context) (any, error) { calls++; return nil, errors.New("glusterd busy") }
	for range 2 {
		if _, err := c.do(context.Background(), "k", fail); err == nil {
			t.Fatal("want the failure")
		}
	}
	if calls != 2 {
		t.Errorf("a failure must not be cached: %d calls for 2 reads", calls)
	}
}
