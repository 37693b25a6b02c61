// Package history keeps each backup set's own account of itself in the
// set's folder on the global volume, record.json: the journal entries the
// record step wrote for the set, and the restore drills made of it. The
// volume replicates to every site, so that account survives the controller
// (whose journal and drill log live in its state_dir) and, once replicated,
// the primary. Rebuild reads it back from a backup folder, the primary's or
// a site's copy, into a journal and a drill log.
package history

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// FileName is the record's name inside a set's folder.
const FileName = "record.json"

// Mode is record.json's mode: it holds no secret.
const Mode = 0o644

// Record is a set's record.json.
type Record struct {
	Version int    `json:"version"`
	Set     string `json:"set"`
	// Runs are the set's journal entries, oldest first: one per record
	// step, so a set recorded again after a retried step has two.
	Runs []journal.Entry `json:"runs"`
	// Drills are the restore drills of the set's copy or restore point.
	Drills []drill.Record `json:"drills,omitempty"`
}

// AddRun appends en to the record of the set in setDir.
func AddRun(ctx context.Context, files remote.Files, setDir string, en journal.Entry) error {
	return update(ctx, files, setDir, func(r *Record) { r.Runs = append(r.Runs, en) })
}

// AddDrill appends a drill to the record of the set in setDir.
func AddDrill(ctx context.Context, files remote.Files, setDir string, d drill.Record) error {
	return update(ctx, files, setDir, func(r *Record) { r.Drills = append(r.Drills, d) })
}

// update rewrites the record atomically with change applied. The nightly
// run's writers hold the run lock; a restore drill run by hand does not,
// and one that drills the very set a run is recording at that moment could
// lose one of the two additions from this copy (never from the
// controller's own logs).
func update(ctx context.Context, files remote.Files, setDir string, change func(*Record)) error {
	r, err := Read(ctx, files, setDir)
	if err != nil {
		return err
	}
	if r == nil {
		r = &Record{Version: 1, Set: path.Base(setDir), Runs: []journal.Entry{}}
	}
	change(r)
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	p := path.Join(setDir, FileName)
	if err := files.WriteFile(ctx, p, bytes.NewReader(append(data, '\n')), Mode); err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return nil
}

// Read reads the record of the set in setDir; nil when it has none.
func Read(ctx context.Context, files remote.Files, setDir string) (*Record, error) {
	p := path.Join(setDir, FileName)
	data, err := files.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s is damaged: %w", p, err)
	}
	if r.Set != path.Base(setDir) {
		return nil, fmt.Errorf("%s describes set %q, not %s", p, r.Set, path.Base(setDir))
	}
	return &r, nil
}

// Folder is what Rebuild found in one backup folder.
type Folder struct {
	// Records are the sets' records, by set ID.
	Records map[string]*Record
	// Missing are the set folders without a record.json: sets made before
	// records were kept, or whose record did not reach this copy yet.
	Missing []string
	// Damaged are records that could not be read, with why.
	Damaged map[string]string
}

// ReadFolder reads the record of every set folder in the backup folder dir.
// A missing backup folder is an empty one.
func ReadFolder(ctx context.Context, files remote.Files, dir string) (Folder, error) {
	f := Folder{Records: map[string]*Record{}, Damaged: map[string]string{}}
	infos, err := files.ReadDir(ctx, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("listing the backup folder %s: %w", dir, err)
	}
	for _, info := range infos {
		if _, _, perr := retention.ParseFolderName(info.Name()); !info.IsDir() || perr != nil {
			continue
		}
		r, err := Read(ctx, files, path.Join(dir, info.Name()))
		switch {
		case ctx.Err() != nil:
			return f, ctx.Err()
		case err != nil:
			f.Damaged[info.Name()] = err.Error()
		case r == nil:
			f.Missing = append(f.Missing, info.Name())
		default:
			f.Records[info.Name()] = r
		}
	}
	slices.Sort(f.Missing)
	return f, nil
}

// Merge joins the records of several copies of the backup folder (the
// sites' copies lag the primary by up to a night each): per set, the
// record that knows most.
func Merge(folders ...Folder) Folder {
	out := Folder{Records: map[string]*Record{}, Damaged: map[string]string{}}
	missing := map[string]bool{}
	for _, f := range folders {
		for id, r := range f.Records {
			if have, ok := out.Records[id]; !ok || len(r.Runs)+len(r.Drills) > len(have.Runs)+len(have.Drills) {
				out.Records[id] = r
			}
		}
		for _, id := range f.Missing {
			missing[id] = true
		}
		for id, why := range f.Damaged {
			out.Damaged[id] = why
		}
	}
	for id := range missing {
		if _, ok := out.Records[id]; !ok {
			out.Missing = append(out.Missing, id)
		}
	}
	slices.Sort(out.Missing)
	return out
}

// Journal is the journal and the drill log that the records hold, in the
// order the controller wrote them.
func (f Folder) Journal() ([]journal.Entry, []drill.Record) {
	var entries []journal.Entry
	var drills []drill.Record
	for _, r := range f.Records {
		entries = append(entries, r.Runs...)
		drills = append(drills, r.Drills...)
	}
	slices.SortStableFunc(entries, func(a, b journal.Entry) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Set, b.Set))
	})
	slices.SortStableFunc(drills, func(a, b drill.Record) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Site, b.Site), cmp.Compare(a.Set, b.Set))
	})
	return entries, drills
}
