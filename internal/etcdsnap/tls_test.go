package etcdsnap

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// testPKI is a CA with a server certificate for 127.0.0.1 and a client
// certificate, as PEM files in a temporary directory.
type testPKI struct {
	CA, ServerCert, ServerKey, ClientCert, ClientKey string
}

func TestConnectAndSaveOverMutualTLSAndExplainRefusals(t *testing.T) {
	pki := newTestPKI(t)
	endpoint := startTLSTestEtcd(t, pki)
	ctx := context.Background()

	cli, err := Connect(ctx, Config{Endpoints: []string{endpoint}, CACert: pki.CA, Cert: pki.ClientCert, Key: pki.ClientKey})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	rev := putKeys(t, cli, 20, 10)
	info, err := Save(ctx, cli, filepath.Join(t.TempDir(), "etcd.db"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Keys != 20 || info.Revision != rev {
		t.Errorf("Info has %d keys at revision %d, want 20 at %d", info.Keys, info.Revision, rev)
	}

	otherCA := newTestPKI(t)
	refusals := []struct {
		name string
		cfg  Config
		why  string
	}{
		{"no client certificate", Config{CACert: pki.CA}, "certificate required"},
		{"server signed by an unknown CA", Config{CACert: otherCA.CA, Cert: otherCA.ClientCert, Key: otherCA.ClientKey}, "unknown authority"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			r.cfg.Endpoints, r.cfg.DialTimeout = []string{endpoint}, 500*time.Millisecond

			cli, err := Connect(ctx, r.cfg)

			if err == nil {
				cli.Close()
				t.Fatal("Connect succeeded")
			}
			if !strings.Contains(err.Error(), endpoint) || !strings.Contains(err.Error(), r.why) {
				t.Errorf("error %q should name the endpoint and say %q", err, r.why)
			}
		})
	}
}

// startTLSTestEtcd starts an embedded etcd that serves clients over TLS
// and requires a client certificate signed by the test CA.
func startTLSTestEtcd(t *testing.T, pki testPKI) string {
	t.Helper()
	cfg := embed.NewConfig()
	cfg.Dir = t.TempDir()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	cfg.UnsafeNoFsync = true
	peer, client := url.URL{Scheme: "http", Host: "127.0.0.1:0"}, url.URL{Scheme: "https", Host: "127.0.0.1:0"}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.ClientTLSInfo.CertFile, cfg.ClientTLSInfo.KeyFile = pki.ServerCert, pki.ServerKey
	cfg.ClientTLSInfo.TrustedCAFile, cfg.ClientTLSInfo.ClientCertAuth = pki.CA, true
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(20 * time.Second):
		t.Fatal("TLS etcd not ready within 20s")
	}
	return "https://" + e.Clients[0].Addr().String()
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, caCert := newCert(t, "glusterdr test CA", nil, nil, func(c *x509.Certificate) {
		c.IsCA, c.BasicConstraintsValid, c.KeyUsage = true, true, x509.KeyUsageCertSign
	})
	serverKey, serverCert := newCert(t, "etcd server", caCert, caKey, func(c *x509.Certificate) {
		c.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	})
	clientKey, clientCert := newCert(t, "glusterdr", caCert, caKey, func(c *x509.Certificate) {
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	})
	p := testPKI{
		CA:         writePEM(t, dir, "ca.crt", "CERTIFICATE", caCert.Raw),
		ServerCert: writePEM(t, dir, "server.crt", "CERTIFICATE", serverCert.Raw),
		ServerKey:  writePEM(t, dir, "server.key", "EC PRIVATE KEY", marshalKey(t, serverKey)),
		ClientCert: writePEM(t, dir, "client.crt", "CERTIFICATE", clientCert.Raw),
		ClientKey:  writePEM(t, dir, "client.key", "EC PRIVATE KEY", marshalKey(t, clientKey)),
	}
	return p
}

// newCert makes a key and a certificate signed by parent (self-signed when nil).
func newCert(t *testing.T, cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, edit func(*x509.Certificate)) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	edit(tmpl)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

func marshalKey(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
