package lab

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
)

// keyPair is an ed25519 key in OpenSSH formats.
type keyPair struct {
	private []byte // OpenSSH PEM
	public  string // authorized_keys line, without newline
}

func newKeyPair(comment string) (keyPair, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return keyPair{}, err
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return keyPair{}, err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return keyPair{}, err
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " " + comment
	return keyPair{private: pem.EncodeToMemory(block), public: line}, nil
}

// write stores the key as path (0600) and path.pub (0644).
func (k keyPair) write(path string) error {
	if err := os.WriteFile(path, k.private, 0o600); err != nil {
		return err
	}
	return os.WriteFile(path+".pub", []byte(k.public+"\n"), 0o644)
}

// hostKeyLine is the known_hosts line for a host's key; the comment of the
// authorized_keys form is dropped.
func hostKeyLine(hosts []string, k keyPair) string {
	fields := strings.Fields(k.public)
	return fmt.Sprintf("%s %s %s", strings.Join(hosts, ","), fields[0], fields[1])
}
