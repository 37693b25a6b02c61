package remote

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// AuthError reports that the server accepted none of the credentials offered.
type AuthError struct {
	User    string
	Addr    string   // host:port
	Methods []string // what was offered, e.g. "public key from /root/.ssh/id_ed25519", "password"
	Err     error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("ssh authentication failed for %s@%s: the server accepted none of: %s. "+
		"Check that the user exists on the host, that the public key is in its ~/.ssh/authorized_keys "+
		"(or that the password is right), and that sshd allows these methods",
		e.User, e.Addr, strings.Join(e.Methods, ", "))
}

func (e *AuthError) Unwrap() error { return e.Err }

// credentials are the auth methods built from a Config, with a description
// of each for messages, and what to release once the handshake is over.
type credentials struct {
	methods   []ssh.AuthMethod
	described []string
	agentConn net.Conn
}

func (c *credentials) close() {
	if c.agentConn != nil {
		c.agentConn.Close()
	}
}

// newCredentials loads keys and connects to the agent. All public keys go
// into one method, because the SSH client tries each method name only once.
func newCredentials(cfg Config) (*credentials, error) {
	creds := &credentials{}
	var signers []ssh.Signer
	if len(cfg.PrivateKey) > 0 {
		s, err := parseKey(cfg.PrivateKey, cfg.Passphrase, "the inline private key")
		if err != nil {
			return nil, fmt.Errorf("ssh %s: %w", cfg, err)
		}
		signers = append(signers, s)
		creds.described = append(creds.described, "public key (inline, "+ssh.FingerprintSHA256(s.PublicKey())+")")
	}
	if cfg.PrivateKeyFile != "" {
		pem, err := os.ReadFile(cfg.PrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("ssh %s: reading the private key: %w", cfg, err)
		}
		s, err := parseKey(pem, cfg.Passphrase, "private key "+cfg.PrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("ssh %s: %w", cfg, err)
		}
		signers = append(signers, s)
		creds.described = append(creds.described, "public key from "+cfg.PrivateKeyFile)
	}
	if cfg.Agent {
		agentSigners, desc, conn, err := agentKeys(cfg.AgentSocket)
		if err != nil {
			creds.close()
			return nil, fmt.Errorf("ssh %s: %w", cfg, err)
		}
		creds.agentConn = conn
		signers = append(signers, agentSigners...)
		creds.described = append(creds.described, desc)
	}
	if len(signers) > 0 {
		creds.methods = append(creds.methods, ssh.PublicKeys(signers...))
	}
	if cfg.Password != "" {
		creds.methods = append(creds.methods, ssh.Password(cfg.Password))
		creds.described = append(creds.described, "password")
	}
	return creds, nil
}

// parseKey never puts key material or the passphrase into an error. A
// passphrase given for a key that is not encrypted is ignored.
func parseKey(pem []byte, passphrase, what string) (ssh.Signer, error) {
	s, err := ssh.ParsePrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) && passphrase != "" {
		s, err = ssh.ParsePrivateKeyWithPassphrase(pem, []byte(passphrase))
	}
	switch {
	case err == nil:
		return s, nil
	case errors.As(err, &missing):
		return nil, fmt.Errorf("%s is encrypted: set its passphrase", what)
	case errors.Is(err, x509.IncorrectPasswordError):
		return nil, fmt.Errorf("%s: the passphrase is wrong", what)
	default:
		return nil, fmt.Errorf("%s cannot be parsed (expected an OpenSSH or PEM private key): %w", what, err)
	}
}

func agentKeys(socket string) ([]ssh.Signer, string, net.Conn, error) {
	if socket == "" {
		socket = os.Getenv("SSH_AUTH_SOCK")
	}
	if socket == "" {
		return nil, "", nil, errors.New("agent authentication is on, but no agent socket is set and SSH_AUTH_SOCK is empty")
	}
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return nil, "", nil, fmt.Errorf("connecting to the ssh agent at %s: %w", socket, err)
	}
	signers, err := agent.NewClient(conn).Signers()
	if err != nil {
		conn.Close()
		return nil, "", nil, fmt.Errorf("listing the keys of the ssh agent at %s: %w", socket, err)
	}
	return signers, fmt.Sprintf("public keys from the agent at %s (%d keys)", socket, len(signers)), conn, nil
}

// isAuthFailure recognises x/crypto's "unable to authenticate" error, which
// has no type of its own.
func isAuthFailure(err error) bool {
	return err != nil && strings.Contains(err.Error(), "ssh: unable to authenticate")
}
