package remote

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// An unreachable host must never read as "no such file" on it: callers
// take fs.ErrNotExist from the host for an answer ("no backup folder yet").
func TestMissingKeyFileIsNotAMissingRemoteFile(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.Password = ""
	cfg.PrivateKeyFile = filepath.Join(t.TempDir(), "id_ed25519") // absent
	files := newTestPool(t).Files(cfg)

	_, err := files.ReadDir(context.Background(), "/var/glfs/global/backup")
	if err == nil {
		t.Fatal("ReadDir with a missing private key file succeeded")
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the dial error matches fs.ErrNotExist, so it reads as an empty folder: %v", err)
	}
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Host != cfg.Host {
		t.Errorf("error is not a *ConnectError for %s: %#v", cfg.Host, err)
	}
	for _, want := range []string{"cannot reach " + cfg.Host, cfg.PrivateKeyFile} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

func TestConnectErrorKeepsTypedCauses(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	cfg := srv.config()
	cfg.HostKeys = []string{testPin(t)} // not the server's key
	_, err := newTestPool(t).Runner(cfg).Run(context.Background(), Cmd{Argv: []string{"true"}})
	var hk *HostKeyError
	if !errors.As(err, &hk) {
		t.Fatalf("a wrong host key: want a *HostKeyError through the ConnectError, got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Dial(ctx, srv.config())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled dial: want context.Canceled, got %v", err)
	}
}
