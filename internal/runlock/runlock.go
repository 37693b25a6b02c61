// Package runlock makes sure that only one nightly run of a schedule works
// at a time. It uses flock(2) on a lock file: the kernel releases the lock
// when its holder exits for any reason, SIGKILL included, so a crash never
// leaves a stale lock that blocks the next night. The file also records who
// holds it, so that a refused run can name the holder.
package runlock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Holder says who holds a lock.
type Holder struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Host    string    `json:"host"`
	// Command is what the holder is doing, e.g. "glusterdr run --step all".
	Command string `json:"command"`
}

// HeldError is returned by Acquire when another process holds the lock.
type HeldError struct {
	Path string
	// Holder is what the lock file says; its PID is 0 when the holder had
	// not written it yet.
	Holder Holder
}

func (e *HeldError) Error() string {
	who := "a command that reads the sets (verify, restore-drill), or a run that has not recorded its PID yet"
	if e.Holder.PID != 0 {
		who = fmt.Sprintf("PID %d on %s, started %s", e.Holder.PID, e.Holder.Host, e.Holder.Started.UTC().Format(time.RFC3339))
		if e.Holder.Command != "" {
			who += fmt.Sprintf(" (%s)", e.Holder.Command)
		}
	}
	return fmt.Sprintf("another run holds the lock %s: %s. Only one run of a schedule works at a time; "+
		"wait for it to finish, or stop it. A killed run leaves no stale lock: the kernel releases it.", e.Path, who)
}

// Lock is a held lock.
type Lock struct {
	f      *os.File
	path   string
	shared bool
}

// Acquire takes the lock at path without waiting, exclusively, for a
// command that changes sessions or sets, creating the file (and its
// folder) if needed, and records the holder: this process and command.
func Acquire(path, command string) (*Lock, error) {
	f, err := lockFile(path, syscall.LOCK_EX)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	h := Holder{PID: os.Getpid(), Started: time.Now().UTC(), Host: host, Command: command}
	data, _ := json.Marshal(h)
	if err := writeHolder(f, append(data, '\n')); err != nil {
		f.Close() // releases the lock
		return nil, fmt.Errorf("run lock: recording the holder in %s: %w", path, err)
	}
	return &Lock{f: f, path: path}, nil
}

// AcquireShared takes the lock at path without waiting, shared, for a
// command that reads the sets back and must not see them change (verify,
// restore-drill): readers run side by side, and no writer runs with them.
// A reader does not record itself.
func AcquireShared(path string) (*Lock, error) {
	f, err := lockFile(path, syscall.LOCK_SH)
	if err != nil {
		return nil, err
	}
	return &Lock{f: f, path: path, shared: true}, nil
}

// lockFile opens path and flocks it with how, without waiting.
func lockFile(path string, how int) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("run lock: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("run lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			h, _ := readHolder(path)
			return nil, &HeldError{Path: path, Holder: h}
		}
		return nil, fmt.Errorf("run lock: flock %s: %w", path, err)
	}
	return f, nil
}

func writeHolder(f *os.File, data []byte) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		return err
	}
	return f.Sync()
}

// Release clears the holder and releases the lock. The file stays: removing
// a flock'ed file races with a process that has just opened it.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	var truncErr error
	if !l.shared {
		truncErr = l.f.Truncate(0)
	}
	unlockErr := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	closeErr := l.f.Close()
	l.f = nil
	if err := errors.Join(truncErr, unlockErr, closeErr); err != nil {
		return fmt.Errorf("run lock: releasing %s: %w", l.path, err)
	}
	return nil
}

// Inspect reports whether the lock at path is held right now, and by whom.
// A missing file is a free lock. It never blocks and never takes the lock
// for longer than the check.
func Inspect(path string) (Holder, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Holder{}, false, nil
	}
	if err != nil {
		return Holder{}, false, fmt.Errorf("run lock: %w", err)
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	switch {
	case err == nil:
		return Holder{}, false, syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	case errors.Is(err, syscall.EWOULDBLOCK):
		h, _ := readHolder(path)
		return h, true, nil
	default:
		return Holder{}, false, fmt.Errorf("run lock: flock %s: %w", path, err)
	}
}

func readHolder(path string) (Holder, error) {
	f, err := os.Open(path)
	if err != nil {
		return Holder{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return Holder{}, err
	}
	var h Holder
	if strings.TrimSpace(string(data)) == "" {
		return h, nil
	}
	err = json.Unmarshal(data, &h)
	return h, err
}
