package etcdsnap

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"
)

// diagnosisTimeout bounds the plain TCP/TLS check of one endpoint.
const diagnosisTimeout = 2 * time.Second

// diagnoseEndpoint explains why gRPC got no answer, which gRPC itself
// reports only as a deadline: it dials the endpoint over TCP and, for
// https or when TLS is configured, completes a TLS handshake. It returns
// "" when that succeeds, when the endpoint is not host:port, or when ctx
// is already done (the caller gave up; there is nothing to explain).
func diagnoseEndpoint(ctx context.Context, endpoint string, tlsCfg *tls.Config) string {
	host, useTLS := endpointHost(endpoint, tlsCfg != nil)
	if host == "" || ctx.Err() != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, diagnosisTimeout)
	defer cancel()
	if !useTLS {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", host)
		if err != nil {
			return "tcp: " + err.Error()
		}
		conn.Close()
		return ""
	}
	cfg := &tls.Config{}
	if tlsCfg != nil {
		cfg = tlsCfg.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName, _, _ = net.SplitHostPort(host)
	}
	conn, err := (&tls.Dialer{Config: cfg}).DialContext(ctx, "tcp", host)
	if err != nil {
		return "tls: " + err.Error()
	}
	defer conn.Close()
	// With TLS 1.3 a server refuses a client certificate only after the
	// handshake; its alert arrives on the first read.
	_ = conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := conn.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
		return "tls: " + err.Error()
	}
	return ""
}

// endpointHost returns host:port of an etcd endpoint and whether it uses TLS.
func endpointHost(endpoint string, tlsConfigured bool) (string, bool) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		// "host:port" without a scheme: TLS if configured, as clientv3 does.
		if _, _, err := net.SplitHostPort(endpoint); err == nil {
			return endpoint, tlsConfigured
		}
		return "", false
	}
	switch u.Scheme {
	case "https":
		return u.Host, true
	case "http":
		return u.Host, false
	}
	return "", false
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// withDiagnosis appends each endpoint's TCP/TLS diagnosis to err.
func withDiagnosis(ctx context.Context, err error, endpoints []string, tlsCfg *tls.Config) error {
	for _, ep := range endpoints {
		if why := diagnoseEndpoint(ctx, ep, tlsCfg); why != "" {
			err = fmt.Errorf("%w\n%s: %s", err, ep, why)
		}
	}
	return err
}
