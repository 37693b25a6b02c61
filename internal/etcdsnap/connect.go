// Package etcdsnap saves, verifies and test-restores etcd v3 snapshots,
// modelled on etcd's own `snapshot save` and `etcdutl snapshot status`.
//
// It imports nothing from Terraform: functions take a context.Context and
// return a plain error, for the engine, the CLI and the provider alike.
package etcdsnap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// DefaultDialTimeout applies when Config.DialTimeout is zero.
const DefaultDialTimeout = 5 * time.Second

// Config says how to reach etcd. TLS is used when any of CACert, Cert or
// Key is set; Cert and Key go together.
type Config struct {
	Endpoints   []string
	CACert      string // path to the CA bundle that signed the server certificates
	Cert        string // path to the client certificate
	Key         string // path to the client certificate's private key
	DialTimeout time.Duration
	Username    string
	Password    string // never printed or logged
}

// String prints the Config with the password redacted, for %v and %+v.
func (c Config) String() string {
	return fmt.Sprintf("{Endpoints:%v CACert:%q Cert:%q Key:%q DialTimeout:%s Username:%q Password:%s}",
		c.Endpoints, c.CACert, c.Cert, c.Key, c.dialTimeout(), c.Username, c.redactedPassword())
}

// GoString keeps %#v from printing the password too.
func (c Config) GoString() string { return "etcdsnap.Config" + c.String() }

// LogValue keeps the password out of slog records.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("endpoints", c.Endpoints),
		slog.Bool("tls", c.usesTLS()),
		slog.Duration("dial_timeout", c.dialTimeout()),
		slog.String("username", c.Username),
		slog.String("password", c.redactedPassword()),
	)
}

func (c Config) redactedPassword() string {
	if c.Password == "" {
		return `""`
	}
	return "REDACTED"
}

func (c Config) dialTimeout() time.Duration {
	if c.DialTimeout <= 0 {
		return DefaultDialTimeout
	}
	return c.DialTimeout
}

func (c Config) usesTLS() bool { return c.CACert != "" || c.Cert != "" || c.Key != "" }

func (c Config) clientConfig() (clientv3.Config, error) {
	if len(c.Endpoints) == 0 {
		return clientv3.Config{}, errors.New("etcd: no endpoints configured")
	}
	if (c.Cert == "") != (c.Key == "") {
		return clientv3.Config{}, fmt.Errorf("etcd: a client certificate needs both cert and key (cert %q, key %q)", c.Cert, c.Key)
	}
	if c.Password != "" && c.Username == "" {
		return clientv3.Config{}, errors.New("etcd: a password was given without a username")
	}
	cfg := clientv3.Config{
		Endpoints:   c.Endpoints,
		DialTimeout: c.dialTimeout(),
		Username:    c.Username,
		Password:    c.Password,
		// Failures come back as errors; the client's own zap lines would
		// only add noise to the caller's stderr.
		Logger: zap.NewNop(),
	}
	if c.usesTLS() {
		info := transport.TLSInfo{CertFile: c.Cert, KeyFile: c.Key, TrustedCAFile: c.CACert}
		tlsCfg, err := info.ClientConfig()
		if err != nil {
			return clientv3.Config{}, fmt.Errorf("etcd: load TLS files (ca %q, cert %q, key %q): %w", c.CACert, c.Cert, c.Key, err)
		}
		cfg.TLS = tlsCfg
	}
	return cfg, nil
}

// Connect returns a client once at least one endpoint has answered a
// Status call, each endpoint given DialTimeout. The caller closes the client.
// Save needs a client with exactly one endpoint.
func Connect(ctx context.Context, c Config) (*clientv3.Client, error) {
	cfg, err := c.clientConfig()
	if err != nil {
		return nil, err
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, withDiagnosis(ctx, c.dialError(err), c.Endpoints, cfg.TLS)
	}
	if err := probe(ctx, cli, c.dialTimeout()); err != nil {
		err = withDiagnosis(ctx, c.dialError(err), c.Endpoints, cfg.TLS)
		return nil, errors.Join(err, cli.Close())
	}
	return cli, nil
}

func (c Config) dialError(err error) error {
	return fmt.Errorf("etcd: connect to %s (dial timeout %s): %w", strings.Join(c.Endpoints, ", "), c.dialTimeout(), err)
}

// probe asks every endpoint for its status at once and returns as soon as
// one answers; otherwise it returns every endpoint's error.
func probe(ctx context.Context, cli *clientv3.Client, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	eps := cli.Endpoints()
	errc := make(chan error, len(eps))
	for _, ep := range eps {
		go func() {
			if _, err := cli.Status(ctx, ep); err != nil {
				errc <- fmt.Errorf("%s: %w", ep, err)
				return
			}
			errc <- nil
		}()
	}
	var errs []error
	for range eps {
		err := <-errc
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
