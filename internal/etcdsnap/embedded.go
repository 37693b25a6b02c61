package etcdsnap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// The embedded etcd is a single member on loopback. Port 0 lets the kernel
// pick free ports; a lone member never dials its own peer URL, so
// advertising port 0 is harmless, and it must match what a restore wrote.
const (
	embeddedName    = "glusterdr-drill"
	embeddedToken   = "glusterdr-drill"
	embeddedPeerURL = "http://127.0.0.1:0"
)

// startEmbedded starts etcd on dataDir and waits, bounded by ctx, until it
// serves clients. dataDir is either empty (a new member) or a restored one.
func startEmbedded(ctx context.Context, dataDir string) (*embed.Etcd, error) {
	loopback, err := url.Parse(embeddedPeerURL)
	if err != nil {
		return nil, err
	}
	cfg := embed.NewConfig()
	cfg.Name = embeddedName
	cfg.Dir = dataDir
	cfg.ListenPeerUrls = []url.URL{*loopback}
	cfg.AdvertisePeerUrls = []url.URL{*loopback}
	cfg.ListenClientUrls = []url.URL{*loopback}
	cfg.AdvertiseClientUrls = []url.URL{*loopback}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.InitialClusterToken = embeddedToken
	log := &startupLog{}
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(log.logger())
	// A scratch server: its data is thrown away, so durability buys nothing.
	cfg.UnsafeNoFsync = true

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, fmt.Errorf("start embedded etcd in %s: %w%s", dataDir, err, log)
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case err := <-e.Err():
		e.Close()
		return nil, fmt.Errorf("embedded etcd in %s failed while starting: %w%s", dataDir, err, log)
	case <-ctx.Done():
		e.Close()
		return nil, fmt.Errorf("embedded etcd in %s not ready: %w%s", dataDir, ctx.Err(), log)
	}
}

// clientEndpoints lists the URLs the embedded etcd actually listens on.
func clientEndpoints(e *embed.Etcd) ([]string, error) {
	var eps []string
	for _, l := range e.Clients {
		eps = append(eps, "http://"+l.Addr().String())
	}
	if len(eps) == 0 {
		return nil, errors.New("embedded etcd has no client listener")
	}
	return eps, nil
}

// startupLogLimit bounds what startupLog keeps; the first warnings explain
// a failed start, and a long-running server must not grow without bound.
const startupLogLimit = 16 << 10

// startupLog keeps the embedded etcd's first warnings and errors in
// memory, so that a failed start can say why without etcd writing JSON to
// the caller's stderr.
type startupLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *startupLog) logger() *zap.Logger {
	enc := zapcore.NewConsoleEncoder(zap.NewProductionEncoderConfig())
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(l), zap.WarnLevel))
}

func (l *startupLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := startupLogLimit - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// String formats the log as a suffix for an error message.
func (l *startupLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() == 0 {
		return ""
	}
	return "\netcd log:\n" + strings.TrimSpace(l.buf.String())
}
