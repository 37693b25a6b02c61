package etcdsnap

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestConnectToADeadEndpointNamesItAndTheTimeout(t *testing.T) {
	dead := "http://" + freeLoopbackAddr(t) // nothing listens there any more
	start := time.Now()

	cli, err := Connect(context.Background(), Config{Endpoints: []string{dead}, DialTimeout: 300 * time.Millisecond})

	if err == nil {
		cli.Close()
		t.Fatal("Connect to a dead endpoint succeeded")
	}
	for _, want := range []string{dead, "300ms", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Connect took %s, want about the 300ms dial timeout", took)
	}
}

func TestConnectSucceedsWhenOneOfSeveralEndpointsAnswers(t *testing.T) {
	live, dead := startTestEtcd(t), "http://"+freeLoopbackAddr(t)

	cli, err := Connect(context.Background(), Config{Endpoints: []string{dead, live}, DialTimeout: 2 * time.Second})

	if err != nil {
		t.Fatal(err)
	}
	cli.Close()
}

func TestConnectRefusesHalfAClientCertificate(t *testing.T) {
	_, err := Connect(context.Background(), Config{Endpoints: []string{"https://127.0.0.1:2379"}, Cert: "/etc/etcd/client.crt"})
	if err == nil || !strings.Contains(err.Error(), "both cert and key") {
		t.Fatalf("err = %v, want a refusal asking for both cert and key", err)
	}
}

func TestPasswordNeverReachesPrintsLogsOrErrors(t *testing.T) {
	const secret = "s3cr3t-etcd-password"
	cfg := Config{
		Endpoints:   []string{"http://" + freeLoopbackAddr(t)},
		DialTimeout: 200 * time.Millisecond,
		Username:    "root",
		Password:    secret,
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "%v %+v %#v %s\n", cfg, cfg, cfg, cfg)
	fmt.Fprintf(&out, "%v %+v\n", &cfg, &cfg)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("connecting", "etcd", cfg)
	slog.New(slog.NewTextHandler(&out, nil)).Info("connecting", "etcd", cfg)
	_, err := Connect(context.Background(), cfg)
	if err == nil {
		t.Fatal("Connect to a dead endpoint succeeded")
	}
	fmt.Fprintln(&out, err)

	if strings.Contains(out.String(), secret) {
		t.Errorf("the password leaked:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "REDACTED") || !strings.Contains(out.String(), "root") {
		t.Errorf("the output should show the user and a redacted password:\n%s", out.String())
	}
}
