package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// statusCache keeps, for the life of one provider process (one plan, or the
// apply after it), the geo-replication status of every session of each
// primary node, read with one `status detail` per node, and each session's
// checkpoint, read once. Thirty gluster_georep_status data sources on one
// node then cost one status call and one checkpoint call per session,
// instead of two gluster calls each that glusterd runs one at a time.
// Concurrent readers of one key wait for the first. A change to a session
// through gluster_georep_session forgets its node's entries.
type statusCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{}
	v    any
	err  error
}

// statuses is every session of node, as `status detail` reports them.
func (c *statusCache) statuses(ctx context.Context, node string, g *gluster.Client) ([]gluster.SessionStatus, error) {
	v, err := c.do(ctx, "status\x00"+node, func(ctx context.Context) (any, error) { return g.StatusDetailAll(ctx) })
	if err != nil {
		return nil, err
	}
	return v.([]gluster.SessionStatus), nil
}

// status is one session of node; a session the node does not list is an
// error of kind gluster.ErrNoSession.
func (c *statusCache) status(ctx context.Context, node string, g *gluster.Client, ref gluster.SessionRef) (*gluster.SessionStatus, error) {
	all, err := c.statuses(ctx, node, g)
	if err != nil {
		return nil, err
	}
	st, ok := gluster.FindSession(all, ref)
	if !ok {
		return nil, fmt.Errorf("%s lists no geo-replication session %s: %w", node, ref, gluster.ErrNoSession)
	}
	return st, nil
}

// checkpoint is ref's checkpoint as `config checkpoint` reports it.
func (c *statusCache) checkpoint(ctx context.Context, node string, g *gluster.Client, ref gluster.SessionRef) (time.Time, error) {
	v, err := c.do(ctx, "checkpoint\x00"+node+"\x00"+ref.String(), func(ctx context.Context) (any, error) { return g.Checkpoint(ctx, ref) })
	if err != nil {
		return time.Time{}, err
	}
	return v.(time.Time), nil
}

// forget drops node's entries: a session there was changed.
func (c *statusCache) forget(node string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if k == "status\x00"+node || strings.HasPrefix(k, "checkpoint\x00"+node+"\x00") {
			delete(c.entries, k)
		}
	}
}

// do runs fn once for key and shares its value. A failure is not kept: the
// callers that waited on it try once more with their own context (the
// first caller's timeout or cancellation is not theirs).
func (c *statusCache) do(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	var err error
	for range 2 {
		e, first := c.entry(key)
		if first {
			e.v, e.err = fn(ctx)
			if e.err != nil {
				c.drop(key, e)
			}
			close(e.done)
			return e.v, e.err
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil {
			return e.v, nil
		}
		err = e.err
	}
	return nil, err
}

func (c *statusCache) entry(key string) (e *cacheEntry, first bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*cacheEntry{}
	}
	if e, ok := c.entries[key]; ok {
		return e, false
	}
	e = &cacheEntry{done: make(chan struct{})}
	c.entries[key] = e
	return e, true
}

func (c *statusCache) drop(key string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] == e {
		delete(c.entries, key)
	}
}
