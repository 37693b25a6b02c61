package lab

import (
	"strings"
	"testing"
)

// routesSeenHere is `ip -o -4 route show` on a machine of this project's
// kind with lab instance 0 up: eth0 sits on 192.0.2.0/24.
const routesSeenHere = `default via 192.0.2.1 dev eth0
192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
198.51.100.0/24 dev gdr0 proto kernel scope link src 198.51.100.1`

func TestBlockClash(t *testing.T) {
	for _, i := range Instances {
		if err := blockClash(routesSeenHere, i); err != nil {
			t.Errorf("instance %d clashes on the machine seen here: %v", i, err)
		}
	}
	eth0On := func(block string) string {
		return "default via " + block + ".1 dev eth0\n" + block + ".0/24 dev eth0 proto kernel scope link src " + block + ".2"
	}
	for _, tc := range []struct {
		routes string
		inst   Instance
	}{
		{eth0On("198.51.100"), 0},
		{eth0On("198.18.1"), 1},
		{"198.18.0.0/15 via 10.0.0.1 dev eth1", 2},
		{"default via 198.51.100.254 dev eth0", 0},
	} {
		err := blockClash(tc.routes, tc.inst)
		if err == nil || !strings.Contains(err.Error(), "--instance") {
			t.Errorf("instance %d with routes %q: err = %v, want a refusal pointing at --instance", tc.inst, tc.routes, err)
		}
	}
}

func TestFieldAfter(t *testing.T) {
	f := strings.Fields("default via 192.0.2.1 dev eth0 src 192.0.2.2")
	if fieldAfter(f, "via") != "192.0.2.1" || fieldAfter(f, "dev") != "eth0" || fieldAfter(f, "metric") != "" {
		t.Errorf("fieldAfter misreads %q", f)
	}
}
