// Package labtest gives integration tests the running lab. A test that
// needs the lab fails, loudly, when it is not up: it never skips, so CI
// cannot pass without having run it.
package labtest

import (
	"log/slog"
	"os"
	"testing"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Require returns the description of the lab instance named by
// GLUSTERDR_LAB_INSTANCE (0 when unset), or fails the test.
func Require(t testing.TB) *lab.Description {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this test needs root and the lab: run it as root through `make test-lab`")
	}
	inst, err := lab.InstanceFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	d, err := lab.Load(inst.Dir())
	if err != nil {
		t.Fatalf("this test needs the lab (instance %d): %v", inst, err)
	}
	return d
}

// Conn returns the lab with an SSH pool that the test closes at its end.
func Conn(t testing.TB) lab.Conn {
	t.Helper()
	d := Require(t)
	pool := remote.NewPool(slog.New(slog.DiscardHandler))
	t.Cleanup(func() {
		if err := pool.Close(); err != nil {
			t.Errorf("closing the SSH pool: %v", err)
		}
	})
	return lab.Conn{D: d, Pool: pool}
}
