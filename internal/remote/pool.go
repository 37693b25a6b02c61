package remote

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/ssh"
)

// ErrPoolClosed is returned by a Pool after Close.
var ErrPoolClosed = errors.New("ssh connection pool is closed")

// Pool keeps one SSH connection per destination (user, host, port and jump
// host) and shares it between goroutines, each command in its own session.
// A connection found dead is replaced on the next use.
//
// Connections are keyed by destination only: the first Config used for a
// destination decides its credentials and host key checks.
type Pool struct {
	logger *slog.Logger

	mu        sync.Mutex
	conns     map[string]*poolSlot
	lostCause map[string]error // why a destination's last connection was dropped
	closed    bool

	handshakes atomic.Int64
	redials    atomic.Int64
}

// poolSlot is one destination's connection, or the dial that will make it.
// client and err are set before ready is closed, and never after.
type poolSlot struct {
	ready  chan struct{}
	client *Client
	err    error
}

// Stats counts a Pool's work, for the "SSH handshakes per plan" figure.
type Stats struct {
	Handshakes int64 // successful SSH handshakes, jump hosts included
	Redials    int64 // handshakes that replaced a lost connection
	Open       int   // pooled connections currently alive
}

// NewPool makes an empty pool that logs dials to logger (slog.Default()
// when nil).
func NewPool(logger *slog.Logger) *Pool {
	if logger == nil {
		logger = slog.Default()
	}
	return &Pool{logger: logger, conns: map[string]*poolSlot{}, lostCause: map[string]error{}}
}

// Get returns the pooled connection for cfg's destination, dialing it when
// there is none or it has died. Concurrent Gets for one destination share a
// single dial. The dial itself runs to completion (it is bounded by
// ConnectTimeout) even if every caller gives up, and is kept for later.
func (p *Pool) Get(ctx context.Context, cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	key := cfg.poolKey()
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, ErrPoolClosed
		}
		slot := p.conns[key]
		if slot == nil {
			slot = &poolSlot{ready: make(chan struct{})}
			p.conns[key] = slot
			go p.dial(context.WithoutCancel(ctx), key, cfg, slot)
		}
		p.mu.Unlock()

		select {
		case <-slot.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if slot.err != nil {
			return nil, slot.err
		}
		lost := slot.client.err()
		if lost == nil {
			return slot.client, nil
		}
		p.drop(key, slot, lost)
	}
}

func (p *Pool) dial(ctx context.Context, key string, cfg Config, slot *poolSlot) {
	client, err := p.dialDestination(ctx, key, cfg)
	p.mu.Lock()
	defer p.mu.Unlock()
	defer close(slot.ready)
	switch {
	case err != nil:
		p.logger.Warn("ssh: dial failed", "host", cfg.Host, "port", cfg.port(), "user", cfg.user(), "error", err)
		slot.err = connectFailed(cfg.Host, err)
		if p.conns[key] == slot {
			delete(p.conns, key) // do not cache failures: the next Get dials again
		}
	case p.closed:
		slot.err = errors.Join(ErrPoolClosed, client.Close())
	default:
		slot.client = client
	}
}

func (p *Pool) dialDestination(ctx context.Context, key string, cfg Config) (*Client, error) {
	p.mu.Lock()
	cause, isRedial := p.lostCause[key]
	p.mu.Unlock()
	if isRedial {
		p.logger.Warn("ssh: redialing after the connection was lost",
			"host", cfg.Host, "port", cfg.port(), "user", cfg.user(), "cause", cause.Error())
	}
	var jump *Client
	if cfg.JumpHost != nil {
		var err error
		if jump, err = p.Get(ctx, *cfg.JumpHost); err != nil {
			return nil, err
		}
	}
	client, err := dialVia(ctx, cfg, jump, p.logger)
	if err != nil {
		return nil, err
	}
	p.handshakes.Add(1)
	if isRedial {
		p.redials.Add(1)
		p.mu.Lock()
		delete(p.lostCause, key)
		p.mu.Unlock()
	}
	return client, nil
}

// HostKey returns the host key that the handshake of cfg's pooled
// connection verified, connecting first if need be.
func (p *Pool) HostKey(ctx context.Context, cfg Config) (ssh.PublicKey, error) {
	c, err := p.Get(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return c.HostKey(), nil
}

// drop forgets a dead connection, unless another goroutine already did.
func (p *Pool) drop(key string, slot *poolSlot, cause error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conns[key] != slot {
		return
	}
	delete(p.conns, key)
	p.lostCause[key] = cause
	go slot.client.Close() // already dead: nothing to report
}

// Stats reports what the pool has done so far.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Stats{Handshakes: p.handshakes.Load(), Redials: p.redials.Load()}
	for _, slot := range p.conns {
		select {
		case <-slot.ready:
			if slot.client != nil && slot.client.err() == nil {
				s.Open++
			}
		default:
		}
	}
	return s
}

// Close closes every pooled connection and returns their errors joined.
// A dial still under way is closed as soon as it completes.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	var clients []*Client
	for _, slot := range p.conns {
		select {
		case <-slot.ready:
			if slot.client != nil {
				clients = append(clients, slot.client)
			}
		default:
		}
	}
	p.conns = nil
	p.mu.Unlock()

	// Connections through a jump host go before the jump host's own.
	sort.Slice(clients, func(i, j int) bool { return hops(clients[i].cfg) > hops(clients[j].cfg) })
	var errs []error
	for _, c := range clients {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

func hops(cfg Config) int { return strings.Count(cfg.poolKey(), " via ") }
