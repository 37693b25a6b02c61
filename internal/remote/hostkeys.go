package remote

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError reports a host key that could not be verified: either it
// differs from the one on record (a reinstalled host, or an attack), or the
// host is not on record at all.
type HostKeyError struct {
	Addr        string // host:port
	KeyType     string // of the presented key
	Fingerprint string // SHA256 fingerprint of the presented key
	// CheckedAgainst lists what the key was compared with, e.g.
	// "/root/.ssh/known_hosts:3 (ssh-ed25519 SHA256:...)" or "pinned host key ...".
	CheckedAgainst []string
	// Unknown is true when no source had any key for the host.
	Unknown bool
	// KnownHostsFile and Port let the message say exactly what to run.
	KnownHostsFile string
	Port           int
	Err            error // the underlying knownhosts error, if any
}

func (e *HostKeyError) Error() string {
	host, _, _ := net.SplitHostPort(e.Addr)
	scan := fmt.Sprintf("ssh-keyscan -p %d %s | ssh-keygen -lf -", e.Port, host)
	var b strings.Builder
	if e.Unknown {
		fmt.Fprintf(&b, "ssh host key for %s is unknown: the server presented %s key %s, and there is no entry for it in %s.",
			e.Addr, e.KeyType, e.Fingerprint, strings.Join(e.CheckedAgainst, ", "))
		fmt.Fprintf(&b, " Compare that fingerprint with one obtained out of band (the host's console: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub),"+
			" then add the key (`%s` shows what the host offers), pin it, or enable trust on first use.", scan)
		return b.String()
	}
	fmt.Fprintf(&b, "ssh host key verification failed for %s: the server presented %s key %s, which does not match %s.",
		e.Addr, e.KeyType, e.Fingerprint, strings.Join(e.CheckedAgainst, ", "))
	fmt.Fprintf(&b, " The host may have been reinstalled, or someone may be intercepting the connection. Do not connect until"+
		" you have compared the new fingerprint (`%s`) with one obtained out of band; if they match, replace the recorded key.", scan)
	return b.String()
}

func (e *HostKeyError) Unwrap() error { return e.Err }

// knownHostsMu serializes trust-on-first-use appends within the process, so
// that two connections to the same new host record it once.
var knownHostsMu sync.Mutex

// hostKeyVerifier checks the key a server presents against a Config.
type hostKeyVerifier struct {
	cfg    Config
	pins   []ssh.PublicKey
	logger *slog.Logger
}

func newHostKeyVerifier(cfg Config, logger *slog.Logger) (*hostKeyVerifier, error) {
	v := &hostKeyVerifier{cfg: cfg, logger: logger}
	for i, line := range cfg.HostKeys {
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("ssh %s: pinned host key %d is not in authorized_keys format (\"ssh-ed25519 AAAA...\"): %w", cfg, i+1, err)
		}
		v.pins = append(v.pins, key)
	}
	return v, nil
}

// check is an ssh.HostKeyCallback. When keys are pinned for the host, only
// they count: known_hosts can neither override a pin that does not match
// nor stand in for it. A key that known_hosts marks @revoked is refused
// everywhere, pinned or not.
func (v *hostKeyVerifier) check(_ string, remote net.Addr, key ssh.PublicKey) error {
	herr := &HostKeyError{
		Addr:           v.cfg.addr(),
		KeyType:        key.Type(),
		Fingerprint:    ssh.FingerprintSHA256(key),
		KnownHostsFile: v.cfg.KnownHostsFile,
		Port:           v.cfg.port(),
		Unknown:        true,
	}
	if len(v.pins) > 0 {
		return v.checkPins(remote, key, herr)
	}
	if v.cfg.KnownHostsFile == "" {
		return herr
	}

	knownHostsMu.Lock()
	defer knownHostsMu.Unlock()
	err := v.checkKnownHosts(remote, key)
	var keyErr *knownhosts.KeyError
	var revoked *knownhosts.RevokedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &revoked):
		return revokedError(herr, revoked)
	case errors.As(err, &keyErr) && len(keyErr.Want) == 0:
		if v.cfg.TrustOnFirstUse {
			return v.trust(key)
		}
		herr.CheckedAgainst = append(herr.CheckedAgainst, v.cfg.KnownHostsFile)
		herr.Err = err
		return herr
	case errors.As(err, &keyErr):
		for _, want := range keyErr.Want {
			herr.CheckedAgainst = append(herr.CheckedAgainst, fmt.Sprintf("%s:%d (%s %s)",
				want.Filename, want.Line, want.Key.Type(), ssh.FingerprintSHA256(want.Key)))
		}
		herr.Unknown, herr.Err = false, err
		return herr
	default:
		return fmt.Errorf("ssh %s: reading known_hosts: %w", v.cfg, err)
	}
}

// checkPins accepts key only when it is one of the pins and known_hosts,
// when there is one, does not revoke it.
func (v *hostKeyVerifier) checkPins(remote net.Addr, key ssh.PublicKey, herr *HostKeyError) error {
	herr.Unknown = false
	pinned := false
	for _, pin := range v.pins {
		pinned = pinned || bytes.Equal(pin.Marshal(), key.Marshal())
		herr.CheckedAgainst = append(herr.CheckedAgainst, "pinned host key "+pin.Type()+" "+ssh.FingerprintSHA256(pin))
	}
	if !pinned {
		return herr
	}
	if v.cfg.KnownHostsFile == "" {
		return nil
	}
	if _, err := os.Stat(v.cfg.KnownHostsFile); errors.Is(err, fs.ErrNotExist) {
		return nil // the pins are the record; there is nothing to revoke them
	}
	knownHostsMu.Lock()
	defer knownHostsMu.Unlock()
	var revoked *knownhosts.RevokedError
	if err := v.checkKnownHosts(remote, key); errors.As(err, &revoked) {
		return revokedError(herr, revoked)
	}
	return nil
}

func revokedError(herr *HostKeyError, revoked *knownhosts.RevokedError) error {
	herr.Unknown, herr.Err = false, revoked
	herr.CheckedAgainst = append(herr.CheckedAgainst, fmt.Sprintf("%s:%d, which marks it @revoked", revoked.Revoked.Filename, revoked.Revoked.Line))
	return herr
}

// checkKnownHosts reads the file anew on each check, so that a key appended
// by another connection is seen. A missing file is an empty one only when
// trust on first use may create it.
func (v *hostKeyVerifier) checkKnownHosts(remote net.Addr, key ssh.PublicKey) error {
	path := v.cfg.KnownHostsFile
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && v.cfg.TrustOnFirstUse {
		return &knownhosts.KeyError{}
	}
	cb, err := knownhosts.New(path)
	if err != nil {
		return fmt.Errorf("%s: %w (create it, e.g. from ssh-keyscan output you have checked, or enable trust on first use)", path, err)
	}
	return cb(v.cfg.addr(), remote, key)
}

func (v *hostKeyVerifier) trust(key ssh.PublicKey) error {
	path := v.cfg.KnownHostsFile
	line := knownhosts.Line([]string{knownhosts.Normalize(v.cfg.addr())}, key) + "\n"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("ssh %s: trust on first use: %w", v.cfg, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("ssh %s: trust on first use: %w", v.cfg, err)
	}
	_, err = f.WriteString(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("ssh %s: trust on first use: recording the host key in %s: %w", v.cfg, path, err)
	}
	v.logger.Warn("ssh: trusting a new host key on first use",
		"host", v.cfg.Host, "port", v.cfg.port(), "key_type", key.Type(),
		"fingerprint", ssh.FingerprintSHA256(key), "known_hosts", path)
	return nil
}

// hostKeyAlgorithms lists the algorithms of the keys on record for the host,
// so that the server offers a key we can check rather than another type it
// also has. Nil means "no preference" (nothing on record yet).
func (v *hostKeyVerifier) hostKeyAlgorithms() []string {
	known := append([]ssh.PublicKey(nil), v.pins...)
	if len(v.pins) == 0 && v.cfg.KnownHostsFile != "" {
		if cb, err := knownhosts.New(v.cfg.KnownHostsFile); err == nil {
			// Checking a key that is on record nowhere makes knownhosts list
			// the keys it does have for the host.
			var keyErr *knownhosts.KeyError
			if errors.As(cb(v.cfg.addr(), &net.TCPAddr{}, probeKey), &keyErr) {
				for _, want := range keyErr.Want {
					known = append(known, want.Key)
				}
			}
		}
	}
	var algos []string
	seen := map[string]bool{}
	for _, key := range known {
		for _, algo := range algorithmsForKeyType(key.Type()) {
			if !seen[algo] {
				seen[algo] = true
				algos = append(algos, algo)
			}
		}
	}
	return algos
}

func algorithmsForKeyType(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

// probeKey is a fixed public key that no host has.
var probeKey = func() ssh.PublicKey {
	key, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public())
	if err != nil {
		panic(err)
	}
	return key
}()
