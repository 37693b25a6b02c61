package remote

import (
	"errors"
	"fmt"
	"io/fs"
)

// ConnectError is a failure to reach a host at all: the dial, the handshake,
// or a local file the dial needs (private key, known_hosts, agent socket).
//
// It never matches the fs sentinels (fs.ErrNotExist, fs.ErrExist,
// fs.ErrPermission), even when its cause is a missing local key file.
// Callers treat "no such file" on the remote host as an answer, for example
// "no backup folder yet"; an unreachable host must never read as one.
// errors.As still finds the typed causes (*HostKeyError, *AuthError), and
// errors.Is still finds context errors.
type ConnectError struct {
	Host string // the host that could not be reached
	Err  error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot reach %s: %v", e.Host, e.Err)
}

// Is matches what the cause matches, except the fs sentinels.
func (e *ConnectError) Is(target error) bool {
	if target == fs.ErrNotExist || target == fs.ErrExist || target == fs.ErrPermission {
		return false
	}
	return errors.Is(e.Err, target)
}

// As finds a typed cause, except the *fs.PathError of a local file, which
// would otherwise pass for an answer from the host.
func (e *ConnectError) As(target any) bool {
	if _, ok := target.(**fs.PathError); ok {
		return false
	}
	return errors.As(e.Err, target)
}

// connectFailed wraps err in a *ConnectError for host, once.
func connectFailed(host string, err error) error {
	var ce *ConnectError
	if err == nil || errors.As(err, &ce) {
		return err
	}
	return &ConnectError{Host: host, Err: err}
}
