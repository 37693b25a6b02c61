// Package lease guards a backup folder against two controllers working on
// it at once. The run lock (internal/runlock) is a flock on one machine;
// a second controller, with its own state_dir or on another host, cannot
// see it. The lease is a folder in the backup folder itself, on the global
// volume that every controller reaches: made with mkdir, which only one
// caller can win, holding holder.json (who, what, until when). Its holder
// renews it while it works; a lease past its expiry is taken over, and
// one this controller left (a crash, a SIGKILL) is taken over at once,
// since the caller holds this controller's run lock.
package lease

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// DirName is the lease's folder inside the backup folder.
const DirName = ".glusterdr-lease"

// holderFile is the file in the lease's folder that says who holds it.
const holderFile = "holder.json"

// DefaultTTL is how long a lease lasts unless renewed; Keep renews it every
// quarter of that.
const DefaultTTL = 10 * time.Minute

// Holder says who holds a lease.
type Holder struct {
	// Controller is the holder's host and state_dir: two schedules on one
	// host are two controllers.
	Controller string    `json:"controller"`
	PID        int       `json:"pid"`
	Command    string    `json:"command"`
	Acquired   time.Time `json:"acquired"`
	Expires    time.Time `json:"expires"`
	Token      string    `json:"token"` // this claim's, random
}

// HeldError refuses a lease that another controller holds.
type HeldError struct {
	Path   string
	Holder Holder
}

func (e *HeldError) Error() string {
	h := e.Holder
	who := "a controller that has not recorded itself yet"
	if h.Controller != "" {
		who = fmt.Sprintf("controller %s, PID %d (%s), until %s", h.Controller, h.PID, h.Command, h.Expires.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("another controller holds the lease %s on this backup folder: %s. Only one controller works on a "+
		"backup folder at a time; wait for it to finish. A controller that died leaves the lease to expire at that time; "+
		"remove the folder by hand only when you are sure it is gone.", e.Path, who)
}

// Folder is where a backup folder's lease lives: Runner and Files reach
// the node that mounts the volume.
type Folder struct {
	Runner remote.Runner
	Files  remote.Files
	Dir    string // the backup folder
	// Now is the clock; time.Now by default.
	Now func() time.Time
}

func (f Folder) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC()
	}
	return time.Now().UTC()
}

func (f Folder) path(names ...string) string {
	return path.Join(append([]string{f.Dir, DirName}, names...)...)
}

// Lease is a held lease.
type Lease struct {
	f      Folder
	holder Holder
	ttl    time.Duration
}

// Holder is who this lease says holds it.
func (l *Lease) Holder() Holder { return l.holder }

// Acquire takes the folder's lease for h (its Controller, PID and Command
// set) for ttl, or returns a *HeldError naming the controller that holds
// it. The backup folder is made if it is missing.
func Acquire(ctx context.Context, f Folder, h Holder, ttl time.Duration) (*Lease, error) {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	h.Token = newToken()
	h.Acquired = f.now()
	h.Expires = h.Acquired.Add(ttl)
	if err := f.Files.MkdirAll(ctx, f.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("lease: making the backup folder %s: %w", f.Dir, err)
	}
	for attempt := 0; attempt < 3; attempt++ {
		won, err := f.claim(ctx)
		if err != nil {
			return nil, err
		}
		if won {
			l := &Lease{f: f, holder: h, ttl: ttl}
			if err := l.write(ctx); err != nil {
				_ = f.Files.RemoveAll(context.WithoutCancel(ctx), f.path())
				return nil, err
			}
			return l, nil
		}
		old, err := f.read(ctx)
		if errors.Is(err, fs.ErrNotExist) {
			if old, err = f.unrecorded(ctx); err != nil {
				return nil, err
			}
		}
		if err != nil {
			return nil, err
		}
		if old.Controller != h.Controller && f.now().Before(old.Expires) {
			return nil, &HeldError{Path: f.path(), Holder: old}
		}
		if err := f.takeOver(ctx, old); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("lease: %s changed hands three times while this controller tried to take it; try again", f.path())
}

// claim makes the lease's folder; false when it exists already.
func (f Folder) claim(ctx context.Context) (bool, error) {
	res, err := f.Runner.Run(ctx, remote.Command("mkdir", "--", f.path()))
	var ce *remote.CommandError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &ce) && strings.Contains(string(res.Stderr)+ce.Stderr, "File exists"):
		return false, nil
	default:
		return false, fmt.Errorf("lease: taking %s: %w", f.path(), err)
	}
}

// unrecordedGrace is how long a lease folder may lack its holder.json
// (made, not yet written) before it counts as left by a crash.
const unrecordedGrace = time.Minute

// unrecorded judges a lease folder without holder.json: one that a
// controller has just made is held (an empty Holder expiring after the
// grace), and one older than that was left by a crash (already expired).
func (f Folder) unrecorded(ctx context.Context) (Holder, error) {
	info, err := f.Files.Stat(ctx, f.path())
	if errors.Is(err, fs.ErrNotExist) {
		return Holder{}, nil // released meanwhile: expired, nothing to take over
	}
	if err != nil {
		return Holder{}, err
	}
	return Holder{Expires: info.ModTime().Add(unrecordedGrace)}, nil
}

// takeOver moves aside a lease that expired, or that this controller left,
// and removes it. A lease that changed since it was read is put back.
func (f Folder) takeOver(ctx context.Context, old Holder) error {
	aside := f.path() + ".stale-" + newToken()
	if err := f.Files.Rename(ctx, f.path(), aside); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // another controller took it over first
		}
		return fmt.Errorf("lease: taking over %s: %w", f.path(), err)
	}
	moved, err := readHolder(ctx, f.Files, path.Join(aside, holderFile))
	if err == nil && moved.Token != old.Token {
		// Renewed or taken between the read and the move: give it back.
		if rerr := f.Files.Rename(ctx, aside, f.path()); rerr != nil {
			return fmt.Errorf("lease: %s changed while it was taken over, and putting it back failed: %w", f.path(), rerr)
		}
		return &HeldError{Path: f.path(), Holder: moved}
	}
	return f.Files.RemoveAll(ctx, aside)
}

func (f Folder) read(ctx context.Context) (Holder, error) {
	return readHolder(ctx, f.Files, f.path(holderFile))
}

func readHolder(ctx context.Context, files remote.Files, p string) (Holder, error) {
	var h Holder
	data, err := files.ReadFile(ctx, p)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(data, &h); err != nil {
		return h, fmt.Errorf("lease: %s: %w", p, err)
	}
	return h, nil
}

func (l *Lease) write(ctx context.Context) error {
	data, err := json.MarshalIndent(l.holder, "", "  ")
	if err != nil {
		return err
	}
	if err := l.f.Files.WriteFile(ctx, l.f.path(holderFile), bytes.NewReader(append(data, '\n')), 0o644); err != nil {
		return fmt.Errorf("lease: writing %s: %w", l.f.path(holderFile), err)
	}
	return nil
}

// LostError says the lease was taken over or removed while held.
type LostError struct {
	Path string
	Now  Holder // who holds it now; empty when nobody does
}

func (e *LostError) Error() string {
	if e.Now.Controller == "" {
		return fmt.Sprintf("the lease %s on the backup folder was removed while this controller held it; stopped so that two controllers never work at once", e.Path)
	}
	return fmt.Sprintf("the lease %s on the backup folder was taken over by controller %s (PID %d, %s) while this controller held it "+
		"(it was not renewed in time); stopped so that two controllers never work at once", e.Path, e.Now.Controller, e.Now.PID, e.Now.Command)
}

// Renew pushes the expiry ttl past now, after checking that the lease is
// still this one's; a *LostError when it is not.
func (l *Lease) Renew(ctx context.Context) error {
	cur, err := l.f.read(ctx)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &LostError{Path: l.f.path()}
	case err != nil:
		return err
	case cur.Token != l.holder.Token:
		return &LostError{Path: l.f.path(), Now: cur}
	}
	l.holder.Expires = l.f.now().Add(l.ttl)
	return l.write(ctx)
}

// Release gives the lease up, if it is still this one's.
func (l *Lease) Release(ctx context.Context) error {
	cur, err := l.f.read(ctx)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && cur.Token != l.holder.Token) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lease: releasing %s: %w", l.f.path(), err)
	}
	if err := l.f.Files.RemoveAll(ctx, l.f.path()); err != nil {
		return fmt.Errorf("lease: releasing %s: %w", l.f.path(), err)
	}
	return nil
}

// Check returns a *HeldError when another controller than controller
// holds a lease that has not expired: what a command that only reads the
// sets honours, without taking the lease.
func Check(ctx context.Context, f Folder, controller string) error {
	h, err := f.read(ctx)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case h.Controller != controller && f.now().Before(h.Expires):
		return &HeldError{Path: f.path(), Holder: h}
	}
	return nil
}

func newToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Keep renews the lease every quarter of its TTL until stop is called. It
// calls lost, once, when the lease turns out to be another's or gone, or
// when it could not be renewed before it expired.
func (l *Lease) Keep(ctx context.Context, lost func(error)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := time.NewTicker(l.ttl / 4)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			err := l.Renew(ctx)
			var le *LostError
			switch {
			case ctx.Err() != nil:
				return
			case errors.As(err, &le):
				lost(err)
				return
			case err != nil && !l.f.now().Before(l.holder.Expires):
				lost(fmt.Errorf("the lease %s could not be renewed before it expired: %w", l.f.path(), err))
				return
			}
		}
	}()
	return func() { cancel(); <-done }
}
