package backupset

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// MetaMode is set.json's mode: it holds no secret.
const MetaMode = 0o644

// DirMode is a set folder's mode: its files include secrets (0600 each),
// and the folder keeps others from even listing them.
const DirMode = 0o750

// Store is the backup folder on the primary's global volume.
type Store struct {
	Files remote.Files
	// Runner, when set, removes sets with one `rm -rf` instead of walking
	// them over SFTP, which is much faster for a cluster dump of thousands of
	// files. It must run on the host Files reaches.
	Runner remote.Runner
	Dir    string // the backup folder, e.g. /var/glfs/global/backup
}

// Path joins the set's folder and names inside it.
func (s Store) Path(id string, names ...string) string {
	return path.Join(append([]string{s.Dir, id}, names...)...)
}

// Create makes the set's folder and writes its set.json. It refuses a set
// whose folder exists already.
func (s Store) Create(ctx context.Context, m *Meta) error {
	dir := s.Path(m.ID)
	if _, err := s.Files.Lstat(ctx, dir); err == nil {
		return fmt.Errorf("backup set %s exists already in %s", m.ID, s.Dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup set %s: %w", m.ID, err)
	}
	if err := s.Files.MkdirAll(ctx, s.Dir, 0o755); err != nil {
		return fmt.Errorf("making the backup folder %s: %w", s.Dir, err)
	}
	if err := s.Files.MkdirAll(ctx, dir, DirMode); err != nil {
		return fmt.Errorf("making backup set %s: %w", dir, err)
	}
	return s.Write(ctx, m)
}

// Write stores m as the set's set.json, atomically.
func (s Store) Write(ctx context.Context, m *Meta) error {
	m.Updated = time.Now().UTC()
	data, err := Encode(m)
	if err != nil {
		return err
	}
	if err := s.Files.WriteFile(ctx, s.Path(m.ID, MetaFile), bytes.NewReader(data), MetaMode); err != nil {
		return fmt.Errorf("writing %s: %w", s.Path(m.ID, MetaFile), err)
	}
	return nil
}

// Read reads a set's set.json.
func (s Store) Read(ctx context.Context, id string) (*Meta, error) {
	if _, _, err := retention.ParseFolderName(id); err != nil {
		return nil, err
	}
	p := s.Path(id, MetaFile)
	data, err := s.Files.ReadFile(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	m, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if m.ID != id {
		return nil, fmt.Errorf("%s describes set %s, not %s", p, m.ID, id)
	}
	return m, nil
}

// Listing is what List found in the backup folder.
type Listing struct {
	// Sets are the readable sets, oldest first.
	Sets []*Meta
	// Unreadable are folders named like sets whose set.json is missing or
	// damaged. They are never deleted by retention; an operator decides.
	Unreadable []Unreadable
}

// Unreadable is a set folder whose set.json could not be read.
type Unreadable struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

// List reads every set in the backup folder. Entries not named like sets
// are ignored. A missing backup folder is an empty listing.
func (s Store) List(ctx context.Context) (Listing, error) {
	var l Listing
	infos, err := s.Files.ReadDir(ctx, s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("listing the backup folder %s: %w", s.Dir, err)
	}
	for _, info := range infos {
		if !info.IsDir() {
			continue
		}
		if _, _, err := retention.ParseFolderName(info.Name()); err != nil {
			continue
		}
		m, err := s.Read(ctx, info.Name())
		if err != nil {
			if ctx.Err() != nil {
				return l, ctx.Err()
			}
			l.Unreadable = append(l.Unreadable, Unreadable{ID: info.Name(), Error: err.Error()})
			continue
		}
		l.Sets = append(l.Sets, m)
	}
	slices.SortFunc(l.Sets, func(a, b *Meta) int {
		if c := a.Opened.Compare(b.Opened); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return l, nil
}

// Remove deletes a set's folder and everything in it.
func (s Store) Remove(ctx context.Context, id string) error {
	if _, _, err := retention.ParseFolderName(id); err != nil {
		return err // never compute a path to delete from anything else
	}
	dir := s.Path(id)
	if s.Runner != nil {
		if _, err := s.Runner.Run(ctx, remote.Command("rm", "-rf", "--", dir)); err != nil {
			return fmt.Errorf("removing backup set %s: %w", dir, err)
		}
		return nil
	}
	if err := s.Files.RemoveAll(ctx, dir); err != nil {
		return fmt.Errorf("removing backup set %s: %w", dir, err)
	}
	return nil
}

// Encode renders set.json.
func Encode(m *Meta) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("set.json of %s: %w", m.ID, err)
	}
	return buf.Bytes(), nil
}

// Decode parses and checks set.json.
func Decode(data []byte) (*Meta, error) {
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decode set.json: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.orderSteps()
	return &m, nil
}

// Newest returns the newest set of sets for which keep is true, or nil.
// sets are oldest first, as List returns them.
func Newest(sets []*Meta, keep func(*Meta) bool) *Meta {
	for i := len(sets) - 1; i >= 0; i-- {
		if keep(sets[i]) {
			return sets[i]
		}
	}
	return nil
}
