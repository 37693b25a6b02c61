package georep

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// KeyChecker checks the key cfg's host presents against cfg's pins,
// without logging in: remote.CheckHostKey, or a test's stand-in.
type KeyChecker func(ctx context.Context, cfg remote.Config) error

// PinMismatchError is a secondary node that answers with a key other than
// the one gsyncd pins for it: gsyncd will refuse to connect.
type PinMismatchError struct {
	Host        string // the secondary node
	Port        int
	PrimaryHost string // the node holding the pinned file
	File        string // the pinned known_hosts file there
	Err         *remote.HostKeyError
}

func (e *PinMismatchError) Error() string {
	return fmt.Sprintf("secondary node %s (port %d) answers with %s key %s, which is not the key gsyncd pins for it "+
		"(%s) in %s on %s: gsyncd will refuse to connect (\"Host key verification failed\"), so no checkpoint could complete. "+
		"If the node was reinstalled or re-keyed, compare %s with the fingerprint on its console "+
		"(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub); if they match, re-pin the new key. If they do not, someone may be "+
		"intercepting the connection: change nothing.",
		e.Host, e.Port, e.Err.KeyType, e.Err.Fingerprint, strings.Join(e.Err.CheckedAgainst, ", "), e.File, e.PrimaryHost,
		e.Err.Fingerprint)
}

func (e *PinMismatchError) Unwrap() error { return e.Err }

// CheckPins checks, from this machine and strictly, that every secondary
// node that gsyncd's pinned known_hosts (read on the primary node through
// files) names answers with its pinned key. It returns how many nodes it
// checked: 0 when the session pins nothing, which gsyncd then does not
// check either.
func CheckPins(ctx context.Context, files remote.Files, primaryHost string, ref gluster.SessionRef, check KeyChecker) (int, error) {
	lines, err := PinnedKeys(ctx, files, ref)
	if err != nil {
		return 0, err
	}
	pins, order, err := pinsByNode(lines)
	if err != nil {
		return 0, fmt.Errorf("%s on %s: %w", KnownHostsPath(ref), primaryHost, err)
	}
	var errs []error
	for _, addr := range order {
		host, portText, _ := net.SplitHostPort(addr)
		port, _ := strconv.Atoi(portText)
		err := check(ctx, remote.Config{Host: host, Port: port, HostKeys: pins[addr]})
		var hk *remote.HostKeyError
		switch {
		case errors.As(err, &hk):
			errs = append(errs, &PinMismatchError{Host: host, Port: port, PrimaryHost: primaryHost, File: KnownHostsPath(ref), Err: hk})
		case err != nil:
			errs = append(errs, fmt.Errorf("checking the host key gsyncd pins for secondary node %s: %w", host, err))
		}
	}
	return len(order), errors.Join(errs...)
}

// pinsByNode groups known_hosts lines ("host keytype base64", or
// "[host]:port ...") by host:port, as authorized_keys lines for
// remote.Config.HostKeys, in the order first seen.
func pinsByNode(lines []string) (map[string][]string, []string, error) {
	pins := map[string][]string{}
	var order []string
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 3 || strings.HasPrefix(f[0], "@") {
			return nil, nil, fmt.Errorf("%q is not a pinned known_hosts line (host keytype base64)", l)
		}
		for _, h := range strings.Split(f[0], ",") {
			addr := h + ":22"
			if strings.HasPrefix(h, "[") {
				addr = strings.Replace(strings.TrimPrefix(h, "["), "]:", ":", 1)
			}
			if _, ok := pins[addr]; !ok {
				order = append(order, addr)
			}
			pins[addr] = append(pins[addr], f[1]+" "+f[2])
		}
	}
	return pins, order, nil
}
