package drrun

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/history"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// History is what the controller knows of the past: the journal, the drill
// log and the sites' restore points.
type History struct {
	Entries []journal.Entry
	Drills  []drill.Record
	Points  []backupset.SitePoints
	// Sets are the sets the history was rebuilt from; nil when it was not.
	Sets []*backupset.Meta
	// Rebuilt is set when the controller's state_dir lacked the journal and
	// the history was read back from the backup sets instead.
	Rebuilt *Rebuilt
}

// Rebuilt says where a history was rebuilt from, and how much of it.
type Rebuilt struct {
	// Why the controller's own history was not used.
	Why string `json:"why"`
	// From are the copies of the backup folder read: the primary's, or,
	// when it cannot be read, the sites' (each mounted read-only).
	From []string `json:"from"`
	// Sets are the set folders found; Records those with a record.json.
	Sets    int `json:"sets"`
	Records int `json:"records"`
	Entries int `json:"entries"`
	Drills  int `json:"drills"`
	// FromSetJSON are finished sets without a record.json (made before
	// records were kept, or whose record has not reached this copy), whose
	// entry was made from their set.json.
	FromSetJSON []string `json:"from_set_json,omitempty"`
	// Unrecorded are sets with neither: unfinished, or not known finished
	// in this copy. Nights that failed before they could open a set were
	// in the controller's journal only.
	Unrecorded []string `json:"unrecorded,omitempty"`
	// Problems are copies or records that could not be read.
	Problems []string `json:"problems,omitempty"`
	// Failed says why nothing could be rebuilt: the history shown is empty.
	Failed string `json:"failed,omitempty"`
}

// History reads the controller's history, or rebuilds it from the backup
// sets when the state_dir has no journal (a new controller, or one whose
// state was lost). A history that cannot be rebuilt, with nothing
// reachable, is the empty one, with Rebuilt saying why: status still
// answers.
func (e *Engine) History(ctx context.Context) (History, error) {
	s := e.Schedule
	if _, err := os.Stat(JournalPath(s)); errors.Is(err, fs.ErrNotExist) {
		why := fmt.Sprintf("the controller's journal %s is missing", JournalPath(s))
		h, err := e.rebuild(ctx, why, true)
		switch {
		case err != nil:
			h, _ = localHistory(ctx, s)
			h.Rebuilt = &Rebuilt{Why: why, Failed: err.Error()}
		case h.Rebuilt.Sets == 0 && len(h.Rebuilt.Problems) == 0:
			h.Rebuilt = nil // a new deployment: there was nothing to rebuild
		}
		return h, nil
	} else if err != nil {
		return History{}, err
	}
	return localHistory(ctx, s)
}

// localHistory reads the history in the controller's state_dir; what is
// missing there is empty.
func localHistory(ctx context.Context, s *schedule.Schedule) (History, error) {
	entries, err := journal.ReadFile(ctx, remote.LocalFiles{}, JournalPath(s))
	if err != nil {
		return History{}, err
	}
	drills, err := drill.Read(ctx, remote.LocalFiles{}, DrillsPath(s))
	if err != nil {
		return History{}, err
	}
	points, err := readPoints(ctx, s)
	return History{Entries: entries, Drills: drills, Points: points}, err
}

// RebuildHistory reads the history back from the sets' records: at the
// primary, or, when its backup folder cannot be read, at the sites.
func (e *Engine) RebuildHistory(ctx context.Context, why string) (History, error) {
	return e.rebuild(ctx, why, true)
}

// rebuild reads the history back from the primary, and, with sites, from
// the sites' copies when the primary cannot be read.
func (e *Engine) rebuild(ctx context.Context, why string, sites bool) (History, error) {
	s := e.Schedule
	rb := &Rebuilt{Why: why}
	_, files := e.primary()
	f, err := history.ReadFolder(ctx, files, s.Primary.BackupDir)
	var listing backupset.Listing
	if err == nil {
		listing, err = e.Store().List(ctx)
	}
	if err == nil {
		rb.From = []string{s.Primary.Node + ":" + s.Primary.BackupDir}
		return e.rebuilt(rb, f, listing.Sets), nil
	}
	rb.Problems = append(rb.Problems, fmt.Sprintf("the primary %s: %v", s.Primary.Node, err))
	if !sites || ctx.Err() != nil {
		return History{}, fmt.Errorf("%s, and the history cannot be rebuilt: %s", why, rb.Problems[0])
	}
	e.log().Warn("the primary's backup folder cannot be read; rebuilding the history from the sites' copies", "error", err)
	var folders []history.Folder
	var sets []*backupset.Meta
	for _, t := range s.Targets {
		where, f, metas, err := e.siteHistory(ctx, t.Name)
		if err != nil {
			rb.Problems = append(rb.Problems, fmt.Sprintf("site %s: %v", t.Name, err))
			continue
		}
		rb.From = append(rb.From, where)
		folders, sets = append(folders, f), append(sets, metas...)
	}
	if len(folders) == 0 {
		return History{}, fmt.Errorf("%s, and no copy of the backup folder could be read to rebuild the history from: %s",
			why, joinProblems(rb.Problems))
	}
	return e.rebuilt(rb, history.Merge(folders...), newestCopies(sets)), nil
}

// siteHistory reads the records and the sets in a site's copy of the
// backup folder, through a read-only mount of its volume on its verify
// node.
func (e *Engine) siteHistory(ctx context.Context, target string) (string, history.Folder, []*backupset.Meta, error) {
	t, err := e.Target(target)
	if err != nil {
		return "", history.Folder{}, nil, err
	}
	rel, err := e.BackupRel()
	if err != nil {
		return "", history.Folder{}, nil, err
	}
	dir, unmount, err := e.mounter()(ctx, e.Nodes.Runner(t.VerifyNode), t.SecondaryHost, t.SecondaryVolume)
	if err != nil {
		return "", history.Folder{}, nil, err
	}
	defer func() {
		if err := unmount(context.WithoutCancel(ctx)); err != nil {
			e.log().Warn("unmounting the site's volume", "target", t.Name, "error", err)
		}
	}()
	files := e.Nodes.Files(t.VerifyNode)
	backup := path.Join(dir, rel)
	f, err := history.ReadFolder(ctx, files, backup)
	if err != nil {
		return "", f, nil, err
	}
	listing, err := backupset.Store{Files: files, Dir: backup}.List(ctx)
	where := fmt.Sprintf("site %s: %s::%s/%s, read-only on %s", t.Name, t.SecondaryHost, t.SecondaryVolume, rel, t.VerifyNode)
	return where, f, listing.Sets, err
}

// rebuilt makes the history of the records in f and the sets' set.json.
func (e *Engine) rebuilt(rb *Rebuilt, f history.Folder, sets []*backupset.Meta) History {
	entries, drills := f.Journal()
	byID := map[string]*backupset.Meta{}
	for _, m := range sets {
		byID[m.ID] = m
	}
	for _, id := range f.Missing {
		m := byID[id]
		if m == nil || m.Status == retention.Pending {
			rb.Unrecorded = append(rb.Unrecorded, id)
			continue
		}
		entries = append(entries, journalEntry(m, m.Updated))
		rb.FromSetJSON = append(rb.FromSetJSON, id)
	}
	slices.SortStableFunc(entries, func(a, b journal.Entry) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Set, b.Set))
	})
	for id, why := range f.Damaged {
		rb.Problems = append(rb.Problems, fmt.Sprintf("set %s: %s", id, why))
	}
	slices.Sort(rb.Problems)
	rb.Sets, rb.Records = len(f.Records)+len(f.Missing)+len(f.Damaged), len(f.Records)
	rb.Entries, rb.Drills = len(entries), len(drills)
	return History{Entries: entries, Drills: drills, Points: backupset.PointsBySite(sets), Sets: sets, Rebuilt: rb}
}

// newestCopies keeps, per set, the copy of its set.json written last (the
// sites' copies lag each other).
func newestCopies(sets []*backupset.Meta) []*backupset.Meta {
	byID := map[string]*backupset.Meta{}
	for _, m := range sets {
		if have, ok := byID[m.ID]; !ok || m.Updated.After(have.Updated) {
			byID[m.ID] = m
		}
	}
	out := make([]*backupset.Meta, 0, len(byID))
	for _, m := range byID {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *backupset.Meta) int { return cmp.Or(a.Opened.Compare(b.Opened), cmp.Compare(a.ID, b.ID)) })
	return out
}

// restoreState puts the history back into a state_dir that lacks the
// journal, from the sets at the primary, before a run adds to it: the
// journal, the drill log and points.json. A history that cannot be
// rebuilt is logged; the run goes on and starts a new journal.
func (e *Engine) restoreState(ctx context.Context) {
	s := e.Schedule
	if _, err := os.Stat(JournalPath(s)); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	h, err := e.rebuild(ctx, fmt.Sprintf("the controller's journal %s was missing", JournalPath(s)), false)
	if err != nil {
		e.log().Error("the history could not be rebuilt; this run starts a new journal", "error", err)
		return
	}
	if h.Rebuilt.Sets == 0 {
		return // a new deployment: nothing to restore
	}
	if err := writeHistory(ctx, s.StateDir, h, e.now()); err != nil {
		e.log().Error("the rebuilt history could not be written into the state_dir", "error", err)
		return
	}
	e.log().Warn("the controller's history was restored from the backup sets", "state_dir", s.StateDir,
		"entries", len(h.Entries), "drills", len(h.Drills), "from", h.Rebuilt.From)
}

func writeHistory(ctx context.Context, stateDir string, h History, now time.Time) error {
	files := remote.LocalFiles{}
	if err := files.MkdirAll(ctx, stateDir, 0o750); err != nil {
		return err
	}
	write := func(name string, lines []any) error {
		var buf bytes.Buffer
		for _, l := range lines {
			data, err := json.Marshal(l)
			if err != nil {
				return err
			}
			buf.Write(append(data, '\n'))
		}
		return files.WriteFile(ctx, path.Join(stateDir, name), &buf, 0o640)
	}
	// The drill log and points first: the journal's presence is what says
	// the state_dir holds the history.
	drills := make([]any, len(h.Drills))
	for i, d := range h.Drills {
		drills[i] = d
	}
	if err := write(drill.FileName, drills); err != nil {
		return err
	}
	points, err := json.MarshalIndent(pointsFile{Updated: now, Sites: h.Points}, "", "  ")
	if err != nil {
		return err
	}
	if err := files.WriteFile(ctx, path.Join(stateDir, PointsFileName), bytes.NewReader(append(points, '\n')), 0o644); err != nil {
		return err
	}
	entries := make([]any, len(h.Entries))
	for i, en := range h.Entries {
		entries[i] = en
	}
	return write(journal.FileName, entries)
}

func joinProblems(p []string) string {
	if len(p) == 0 {
		return "none found"
	}
	out := p[0]
	for _, s := range p[1:] {
		out += "; " + s
	}
	return out
}
