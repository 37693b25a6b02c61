package gluster

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Worker statuses as gluster prints them.
const (
	WorkerActive       = "Active"
	WorkerPassive      = "Passive"
	WorkerFaulty       = "Faulty"
	WorkerCreated      = "Created"
	WorkerStopped      = "Stopped"
	WorkerPaused       = "Paused"
	WorkerInitializing = "Initializing..."
	WorkerOffline      = "Offline"
)

// Worker is one primary brick's gsyncd worker, one <pair> of the status.
type Worker struct {
	PrimaryNode     string
	PrimaryBrick    string
	PrimaryNodeUUID string
	SecondaryUser   string
	// SecondaryNode is the secondary node the worker talks to. Gluster 10
	// leaves it empty even while Active; "N/A" also becomes "".
	SecondaryNode string
	// Status is Active, Passive, Faulty, Created, Stopped, Paused,
	// "Initializing..." or Offline.
	Status      string
	CrawlStatus string
	// LastSynced is zero when gluster says N/A.
	LastSynced time.Time
	// Entry, Data, Meta are pending operations and Failures failed ones;
	// 0 when gluster says N/A (a worker that is not Active).
	Entry, Data, Meta, Failures int
	// CheckpointTime is the checkpoint this worker measures against, and
	// CheckpointCompletionTime when it reached it; zero when N/A.
	CheckpointTime           time.Time
	CheckpointCompleted      bool
	CheckpointCompletionTime time.Time
}

// Brick names the worker's brick as host:path.
func (w Worker) Brick() string { return w.PrimaryNode + ":" + w.PrimaryBrick }

// Pending sums pending and failed operations.
type Pending struct {
	Entry, Data, Meta, Failures int
}

// Total is entry + data + meta.
func (p Pending) Total() int { return p.Entry + p.Data + p.Meta }

// Rollup summarises a session's workers in one word.
type Rollup string

// Rollup values, decided in this order (see RollupOf):
//
//   - unknown: there are no workers;
//   - faulty: at least one worker is Faulty;
//   - created, stopped, paused: every worker has that one status;
//   - up: every worker is Active or Passive, and at least one is Active;
//   - initializing: no worker is Active and at least one is Initializing;
//   - partial: some worker is Active or Passive, but not all (for example a
//     node is Offline), or all are Passive;
//   - down: anything else, e.g. all Offline, or Stopped mixed with Created.
const (
	RollupUnknown      Rollup = "unknown"
	RollupFaulty       Rollup = "faulty"
	RollupCreated      Rollup = "created"
	RollupStopped      Rollup = "stopped"
	RollupPaused       Rollup = "paused"
	RollupUp           Rollup = "up"
	RollupInitializing Rollup = "initializing"
	RollupPartial      Rollup = "partial"
	RollupDown         Rollup = "down"
)

// RollupOf computes the rollup of a set of workers.
func RollupOf(workers []Worker) Rollup {
	if len(workers) == 0 {
		return RollupUnknown
	}
	count := map[string]int{}
	for _, w := range workers {
		s := w.Status
		if strings.HasPrefix(s, "Initializing") {
			s = WorkerInitializing
		}
		count[s]++
	}
	n := len(workers)
	switch {
	case count[WorkerFaulty] > 0:
		return RollupFaulty
	case count[WorkerCreated] == n:
		return RollupCreated
	case count[WorkerStopped] == n:
		return RollupStopped
	case count[WorkerPaused] == n:
		return RollupPaused
	case count[WorkerActive]+count[WorkerPassive] == n && count[WorkerActive] > 0:
		return RollupUp
	case count[WorkerActive] == 0 && count[WorkerInitializing] > 0:
		return RollupInitializing
	case count[WorkerActive]+count[WorkerPassive] > 0:
		return RollupPartial
	}
	return RollupDown
}

// SessionStatus is the status of one session.
type SessionStatus struct {
	Ref SessionRef
	// Key is gluster's session id, "primaryUUID:ssh://host::vol:secondaryVolumeUUID".
	Key     string
	Workers []Worker
	Rollup  Rollup
}

// Pending sums the workers' pending and failed operations.
func (s *SessionStatus) Pending() Pending {
	var p Pending
	for _, w := range s.Workers {
		p.Entry += w.Entry
		p.Data += w.Data
		p.Meta += w.Meta
		p.Failures += w.Failures
	}
	return p
}

// LastSynced is the oldest last-synced time of the Active workers (how far
// behind the session is, conservatively); zero when none has synced.
func (s *SessionStatus) LastSynced() time.Time {
	var oldest time.Time
	for _, w := range s.Workers {
		if w.Status != WorkerActive || w.LastSynced.IsZero() {
			continue
		}
		if oldest.IsZero() || w.LastSynced.Before(oldest) {
			oldest = w.LastSynced
		}
	}
	return oldest
}

// CheckpointReached reports whether every Active worker (there must be at
// least one) has completed a checkpoint taken at cp or later, and when the
// last of them did.
func (s *SessionStatus) CheckpointReached(cp time.Time) (bool, time.Time) {
	var last time.Time
	active := 0
	for _, w := range s.Workers {
		if w.Status != WorkerActive {
			continue
		}
		active++
		if !w.CheckpointCompleted || w.CheckpointTime.IsZero() || w.CheckpointTime.Before(cp) {
			return false, time.Time{}
		}
		if w.CheckpointCompletionTime.After(last) {
			last = w.CheckpointCompletionTime
		}
	}
	return active > 0, last
}

type xmlGeorepStatus struct {
	XMLName xml.Name `xml:"cliOutput"`
	Volumes []struct {
		Name     string `xml:"name"`
		Sessions []struct {
			SessionSecondary string    `xml:"session_secondary"`
			SessionSlave     string    `xml:"session_slave"`
			Pairs            []xmlPair `xml:"pair"`
		} `xml:"sessions>session"`
	} `xml:"geoRep>volume"`
}

// xmlPair holds both spellings of each renamed element: GlusterFS >= 10
// (primary_*, secondary*) and <= 9 (master_*, slave*).
type xmlPair struct {
	PrimaryNode     string `xml:"primary_node"`
	MasterNode      string `xml:"master_node"`
	PrimaryBrick    string `xml:"primary_brick"`
	MasterBrick     string `xml:"master_brick"`
	PrimaryNodeUUID string `xml:"primary_node_uuid"`
	MasterNodeUUID  string `xml:"master_node_uuid"`
	SecondaryUser   string `xml:"secondary_user"`
	SlaveUser       string `xml:"slave_user"`
	Secondary       string `xml:"secondary"`
	Slave           string `xml:"slave"`
	SecondaryNode   string `xml:"secondary_node"`
	SlaveNode       string `xml:"slave_node"`

	Status                   string `xml:"status"`
	CrawlStatus              string `xml:"crawl_status"`
	Entry                    string `xml:"entry"`
	Data                     string `xml:"data"`
	Meta                     string `xml:"meta"`
	Failures                 string `xml:"failures"`
	CheckpointCompleted      string `xml:"checkpoint_completed"`
	LastSynced               string `xml:"last_synced"`
	CheckpointTime           string `xml:"checkpoint_time"`
	CheckpointCompletionTime string `xml:"checkpoint_completion_time"`
}

func (p xmlPair) worker() Worker {
	t := strings.TrimSpace
	node := t(pick(p.SecondaryNode, p.SlaveNode))
	if notAvailable(node) {
		node = ""
	}
	crawl := t(p.CrawlStatus)
	if notAvailable(crawl) {
		crawl = ""
	}
	return Worker{
		PrimaryNode:              t(pick(p.PrimaryNode, p.MasterNode)),
		PrimaryBrick:             t(pick(p.PrimaryBrick, p.MasterBrick)),
		PrimaryNodeUUID:          t(pick(p.PrimaryNodeUUID, p.MasterNodeUUID)),
		SecondaryUser:            t(pick(p.SecondaryUser, p.SlaveUser)),
		SecondaryNode:            node,
		Status:                   t(p.Status),
		CrawlStatus:              crawl,
		LastSynced:               parseTime(p.LastSynced),
		Entry:                    parseCount(p.Entry),
		Data:                     parseCount(p.Data),
		Meta:                     parseCount(p.Meta),
		Failures:                 parseCount(p.Failures),
		CheckpointTime:           parseTime(p.CheckpointTime),
		CheckpointCompleted:      parseYesNo(p.CheckpointCompleted),
		CheckpointCompletionTime: parseTime(p.CheckpointCompletionTime),
	}
}

// parseGeorepStatus reads `gluster --xml volume geo-replication [P S]
// status [detail]`, in either element spelling, into one SessionStatus per
// session. It never fails on odd values: unknown counts read 0 and unknown
// times zero.
func parseGeorepStatus(env *envelope) ([]SessionStatus, error) {
	var x xmlGeorepStatus
	if err := env.decode(&x); err != nil {
		return nil, err
	}
	var out []SessionStatus
	for _, v := range x.Volumes {
		primary := strings.TrimSpace(v.Name)
		for _, s := range v.Sessions {
			st := SessionStatus{Key: strings.TrimSpace(pick(s.SessionSecondary, s.SessionSlave))}
			secondary := ""
			for _, p := range s.Pairs {
				st.Workers = append(st.Workers, p.worker())
				if secondary == "" {
					secondary = strings.TrimSpace(pick(p.Secondary, p.Slave))
				}
			}
			if secondary == "" {
				secondary = secondaryFromKey(st.Key)
			}
			st.Ref = looseRef(primary, secondary)
			if st.Ref.SecondaryUser == "" && len(st.Workers) > 0 && st.Workers[0].SecondaryUser != "root" {
				st.Ref.SecondaryUser = st.Workers[0].SecondaryUser
			}
			st.Rollup = RollupOf(st.Workers)
			out = append(out, st)
		}
	}
	return out, nil
}

// secondaryFromKey takes "uuid:ssh://host::vol:uuid" apart.
func secondaryFromKey(key string) string {
	_, rest, ok := strings.Cut(key, ":")
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(rest, ':'); i > strings.Index(rest, "::")+1 {
		rest = rest[:i]
	}
	return rest
}

// looseRef splits "[ssh://][user@]host::vol" without validating it, so
// that status output is reported as gluster printed it.
func looseRef(primary, secondary string) SessionRef {
	s := strings.TrimPrefix(secondary, "ssh://")
	hostPart, vol, _ := cutVolume(s)
	ref := SessionRef{PrimaryVolume: primary, SecondaryHost: hostPart, SecondaryVolume: vol}
	if user, host, ok := strings.Cut(hostPart, "@"); ok {
		ref.SecondaryHost = host
		if user != "root" {
			ref.SecondaryUser = user
		}
	}
	return ref
}

// Status reads `status detail` of one session. A missing session gives
// ErrNoSession.
//
// The --xml status of a missing session exits 2 and prints no XML at all,
// but so does one that glusterd could not answer (seen while another
// session of the same primary was being created). Taking that for "gone"
// would make Terraform propose to re-create a live session, so the plain
// status, which says "No active geo-replication sessions between ..." only
// for a missing session, decides; an undecided answer is asked again.
func (c *Client) Status(ctx context.Context, ref SessionRef) (*SessionStatus, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	op := "read status of geo-replication session " + ref.String()
	argv := georepArgv(false, true, ref, "status", "detail")
	var env *envelope
	for attempt := 1; ; attempt++ {
		var err error
		env, err = c.callXML(ctx, op, argv)
		var e *Error
		if err == nil || !errors.As(err, &e) || e.Kind != nil || e.XML || e.ExitCode == 0 ||
			!strings.Contains(e.Stdout, "geo-replication command failed") {
			if err != nil {
				return nil, err
			}
			break
		}
		gone, plain := c.sessionMissing(ctx, ref)
		if gone {
			e.Kind, e.Hint = ErrNoSession, defaultHint(ErrNoSession, c.Host())
			return nil, e
		}
		if attempt == statusAttempts {
			e.Hint = fmt.Sprintf("The plain status does not say the session is missing (%s): glusterd may be busy or failing; check /var/log/glusterfs/glusterd.log on %s",
				firstLine(plain), c.Host())
			return nil, e
		}
		if err := c.clock.Sleep(ctx, statusPause); err != nil {
			return nil, err
		}
	}
	all, err := parseGeorepStatus(env)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	if st, ok := FindSession(all, ref); ok {
		return st, nil
	}
	return nil, &Error{Op: op, Host: c.Host(), Argv: argv, Kind: ErrNoSession,
		Err: errors.New("session missing from the status answer"), Hint: defaultHint(ErrNoSession, c.Host())}
}

// How often Status asks again when gluster neither answers nor says the
// session is missing.
const (
	statusAttempts = 3
	statusPause    = 2 * time.Second
)

// sessionMissing runs the plain status of ref: missing is true when gluster
// says in words that there is no such session; what sums up the answer.
func (c *Client) sessionMissing(ctx context.Context, ref SessionRef) (missing bool, what string) {
	res, err := c.exec(ctx, "read plain status of "+ref.String(), georepArgv(false, false, ref, "status"))
	out := strings.TrimSpace(string(res.Stdout) + "\n" + string(res.Stderr))
	switch {
	case strings.Contains(out, "No active geo-replication sessions between"):
		return true, out
	case err != nil:
		return false, err.Error()
	case res.ExitCode == 0:
		return false, "it lists the session"
	default:
		return false, out
	}
}

// StatusAll reads `volume geo-replication status`: every session whose
// primary is on this cluster. No sessions at all is an empty list.
func (c *Client) StatusAll(ctx context.Context) ([]SessionStatus, error) {
	return c.statusAll(ctx, "status")
}

// StatusDetailAll reads `volume geo-replication status detail`: every
// session of this cluster with its workers' pending counts and checkpoint,
// in one gluster call, as Status gives one session.
func (c *Client) StatusDetailAll(ctx context.Context) ([]SessionStatus, error) {
	return c.statusAll(ctx, "status", "detail")
}

// FindSession picks ref's session out of a StatusAll or StatusDetailAll
// answer, with ref's own user.
func FindSession(all []SessionStatus, ref SessionRef) (*SessionStatus, bool) {
	for i := range all {
		r := all[i].Ref
		if r.PrimaryVolume == ref.PrimaryVolume && r.SecondaryHost == ref.SecondaryHost && r.SecondaryVolume == ref.SecondaryVolume {
			st := all[i]
			st.Ref = ref
			return &st, true
		}
	}
	return nil, false
}

func (c *Client) statusAll(ctx context.Context, args ...string) ([]SessionStatus, error) {
	op := "read status of all geo-replication sessions"
	argv := glusterArgv(false, true, append([]string{"volume", "geo-replication"}, args...)...)
	env, err := c.callXML(ctx, op, argv)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && !e.XML && strings.Contains(e.Stdout+e.Stderr, "No active geo-replication sessions") {
			return nil, nil
		}
		return nil, err
	}
	all, err := parseGeorepStatus(env)
	if err != nil {
		return nil, c.parseError(op, argv, err)
	}
	return all, nil
}
