package georep

import (
	"maps"
	"slices"
	"strconv"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
)

// Change is one thing Apply changes: What, and for a config value its Key
// and the values From and To.
type Change struct {
	What, Key, From, To string
}

// What a Change does, in the order Plan lists them.
const (
	ChangeCreate = "create"
	ChangePort   = "ssh_port"
	ChangePin    = "pin_host_keys"
	ChangeUnpin  = "unpin_host_keys"
	ChangeConfig = "config"
	ChangeReset  = "config_reset"
	// ChangeRollover sets the primary volume's changelog rollover time.
	ChangeRollover = "changelog_rollover_time"
	// ChangeTarBlocking sets the forced command of gsyncd's tar key on
	// every secondary node.
	ChangeTarBlocking = "tar_blocking_factor"
	ChangeState       = "state"
	ChangeDelete      = "delete"
)

// Plan lists the changes that bring have to want, in the order Apply makes
// them; none when the session already is as declared. A session to create
// is created with want's port, pinning and config, and left stopped.
func Plan(have View, want Spec) []Change {
	changes := []Change{}
	if want.State == Absent {
		if have.Exists {
			changes = append(changes, Change{What: ChangeDelete, From: string(have.State)})
		}
		return changes
	}
	state := have.State
	if have.Exists {
		changes = append(changes, configChanges(have, want)...)
	} else {
		changes = append(changes, Change{What: ChangeCreate, To: string(Stopped)})
		state = Stopped
	}
	if want.State != "" && want.State != state {
		changes = append(changes, Change{What: ChangeState, From: string(state), To: string(want.State)})
	}
	return changes
}

// configChanges are an existing session's port, pinning and config
// changes. A new port needs the keys pinned again (a known_hosts line names
// the port); pinning that could not be checked is left alone.
func configChanges(have View, want Spec) []Change {
	var changes []Change
	live, ok := have.Config["ssh_port"]
	if !ok {
		live = "22"
	}
	port := strconv.Itoa(want.port())
	if live != port {
		changes = append(changes, Change{What: ChangePort, Key: "ssh_port", From: live, To: port})
	}
	switch {
	case want.InsecureSkipHostKeyPinning && have.PinsInUse:
		changes = append(changes, Change{What: ChangeUnpin, Key: "ssh_options"})
	case !want.InsecureSkipHostKeyPinning && (live != port || !have.Pinned && have.PinErr == nil):
		changes = append(changes, Change{What: ChangePin, Key: "ssh_options"})
	}
	for _, k := range slices.Sorted(maps.Keys(want.Config)) {
		if live, ok := have.Config[k]; !ok || live != want.Config[k] {
			changes = append(changes, Change{What: ChangeConfig, Key: k, From: live, To: want.Config[k]})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want.Reset)) {
		if live, ok := have.Config[k]; ok && live != want.Reset[k] {
			changes = append(changes, Change{What: ChangeReset, Key: k, From: live, To: want.Reset[k]})
		}
	}
	if want.RolloverSeconds != 0 && want.RolloverSeconds != have.RolloverSeconds {
		changes = append(changes, Change{What: ChangeRollover, Key: gluster.RolloverOption,
			From: strconv.Itoa(have.RolloverSeconds), To: strconv.Itoa(want.RolloverSeconds)})
	}
	if want.TarBlocking != 0 && have.TarErr == nil && have.TarBlocking != want.TarBlocking {
		changes = append(changes, Change{What: ChangeTarBlocking, Key: ChangeTarBlocking,
			From: TarBlockingText(have.TarBlocking), To: strconv.Itoa(want.TarBlocking)})
	}
	return changes
}

// Predict is what the session would be after changes, for a plan that
// changes nothing. A new running state's status is unknown until read.
func Predict(have View, want Spec, changes []Change) View {
	v := have
	v.Config = maps.Clone(have.Config)
	if v.Config == nil {
		v.Config = map[string]string{}
	}
	for _, ch := range changes {
		switch ch.What {
		case ChangeCreate:
			pinned := !want.InsecureSkipHostKeyPinning
			v = View{Exists: true, State: Stopped, Status: &gluster.SessionStatus{Rollup: gluster.RollupCreated},
				Config: map[string]string{"ssh_port": strconv.Itoa(want.port())}, PinsInUse: pinned, Pinned: pinned}
			maps.Copy(v.Config, want.Config)
			v.RolloverSeconds, v.TarBlocking = want.RolloverSeconds, want.TarBlocking
		case ChangePort, ChangeConfig, ChangeReset:
			v.Config[ch.Key] = ch.To
		case ChangeRollover:
			v.RolloverSeconds = want.RolloverSeconds
		case ChangeTarBlocking:
			v.TarBlocking, v.TarErr = want.TarBlocking, nil
		case ChangePin:
			v.PinsInUse, v.Pinned, v.PinErr = true, true, nil
		case ChangeUnpin:
			v.PinsInUse, v.Pinned, v.PinnedKeys = false, false, nil
		case ChangeState:
			v.State = State(ch.To)
			if v.Status != nil {
				st := *v.Status
				st.Rollup = ""
				v.Status = &st
			}
		case ChangeDelete:
			v = View{Config: map[string]string{}}
		}
	}
	return v
}
