package gluster

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestParsePeers(t *testing.T) {
	tests := []struct {
		fixture string
		want    []Peer
	}{
		{"pool-list.xml", []Peer{
			{UUID: "2754c775-5186-4fea-95eb-d195a7e5054c", Hostname: "localhost", Hostnames: []string{"localhost"}, Connected: true, Self: true},
		}},
		{"peer-status.xml", []Peer{}},
		{"site2-pool-list.xml", []Peer{
			{UUID: "8a205816-9511-43db-896c-4cd00b720d44", Hostname: "198.51.100.3", Hostnames: []string{"198.51.100.3"}, Connected: true, State: "Peer in Cluster"},
			{UUID: "b1475b3f-be65-4e60-9622-6bd5ca32795d", Hostname: "localhost", Hostnames: []string{"localhost"}, Connected: true, Self: true},
		}},
		{"site2-peer-status.xml", []Peer{
			{UUID: "8a205816-9511-43db-896c-4cd00b720d44", Hostname: "198.51.100.3", Hostnames: []string{"198.51.100.3"}, Connected: true, State: "Peer in Cluster"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got, err := parsePeers(mustEnvelope(t, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestPeerCommands(t *testing.T) {
	ctx := context.Background()
	f := newFake(t).
		on(g("--xml", "pool", "list"), fixture(t, "site2-pool-list.xml")).
		on(g("--xml", "peer", "status"), fixture(t, "site2-peer-status.xml")).
		on(g("--xml", "peer", "probe", "198.51.100.3"), fixture(t, "site2-err-peer-probe-already")).
		on(g("--mode=script", "--xml", "peer", "detach", "198.51.100.3", "force"), ok(`<?xml version="1.0"?>
<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><output>success</output></cliOutput>`)).
		on(g("--mode=script", "--xml", "peer", "detach", "198.51.100.9"), reply{
			stderr: "peer detach: failed: 198.51.100.9 is not part of cluster\n", rc: 1})
	c := New(f)
	pool, err := c.PoolList(ctx)
	if err != nil || len(pool) != 2 || !pool[1].Self || pool[0].Hostname != "198.51.100.3" {
		t.Errorf("PoolList = %+v, %v", pool, err)
	}
	peers, err := c.PeerStatus(ctx)
	if err != nil || len(peers) != 1 || !peers[0].Connected {
		t.Errorf("PeerStatus = %+v, %v", peers, err)
	}
	if err := c.Probe(ctx, "198.51.100.3"); err != nil {
		t.Errorf("Probe of an existing peer: %v", err)
	}
	if err := c.Detach(ctx, "198.51.100.3", true); err != nil {
		t.Errorf("Detach: %v", err)
	}
	if err := c.Detach(ctx, "198.51.100.9", false); err != nil {
		t.Errorf("Detach of a non-peer must be success, got %v", err)
	}
}

func TestProbeUnreachableHint(t *testing.T) {
	f := newFake(t).on(g("--xml", "peer", "probe", "198.51.100.2"), fixture(t, "err-peer-probe-refused.xml"))
	err := New(f).Probe(context.Background(), "198.51.100.2")
	var ge *Error
	if !errors.As(err, &ge) || ge.OpErrno != 107 || ge.Kind != ErrPeerUnreachable {
		t.Fatalf("got %#v", err)
	}
	if want := "glusterd on 198.51.100.2 did not answer"; len(ge.Hint) < len(want) || ge.Hint[:len(want)] != want {
		t.Errorf("hint = %q", ge.Hint)
	}
}

func TestPeerInputRejected(t *testing.T) {
	f := newFake(t)
	c := New(f)
	for _, h := range []string{"", "-oProxyCommand=x", "a b", "host;rm"} {
		if err := c.Probe(context.Background(), h); !errors.Is(err, ErrInvalid) {
			t.Errorf("Probe(%q) = %v", h, err)
		}
		if err := c.Detach(context.Background(), h, true); !errors.Is(err, ErrInvalid) {
			t.Errorf("Detach(%q) = %v", h, err)
		}
	}
	if len(f.commands()) != 0 {
		t.Error("commands ran for invalid hosts")
	}
}
