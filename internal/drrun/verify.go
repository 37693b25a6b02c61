package drrun

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/etcdsnap"
	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
)

// verifyStep verifies m at its target and records the result in m.
func (e *Engine) verifyStep(ctx context.Context, m *backupset.Meta) error {
	v, err := e.Verify(ctx, m)
	if err == nil && !v.Verified {
		v, err = e.verifyAfterResend(ctx, m, v)
	}
	if v != nil {
		m.Verification = v
	}
	if err != nil {
		return err
	}
	if !v.Verified {
		return &DamagedError{Target: m.Target, Problem: v.Problem}
	}
	m.Status = retention.Verified
	return nil
}

// DamagedError is a verification that was carried out and found the copy
// at the target not what was sent, as opposed to one that could not be
// carried out (an unreachable node, a failed mount), which is a plain error.
// The CLI exits with its own code for it.
type DamagedError struct {
	Target string
	// Problem says what differs (Verification.Problem).
	Problem string
}

func (e *DamagedError) Error() string { return e.Problem }

// verifyAfterResend re-sends the set files that first failed verification
// (see resend.go) and verifies once more. It returns first unchanged when
// a resend cannot cure the copy.
func (e *Engine) verifyAfterResend(ctx context.Context, m *backupset.Meta, first *backupset.Verification) (*backupset.Verification, error) {
	rel, err := e.BackupRel()
	if err != nil {
		return first, nil
	}
	files, ok := resendable(first, path.Join(rel, m.ID))
	if !ok {
		return first, nil
	}
	e.log().Warn("the copy at the target lacks files of the set; sending them once more", "set", m.ID,
		"target", m.Target, "files", files, "problem", first.Problem)
	started := time.Now()
	if err := e.resend(ctx, m, first.Mismatches); err != nil {
		first.Problem += fmt.Sprintf("\nsending the files once more failed: %v", err)
		return first, nil
	}
	v, err := e.Verify(ctx, m)
	if v != nil {
		v.Resent = &backupset.Resend{Files: files, FirstProblem: first.Problem, Seconds: time.Since(started).Seconds()}
		if !v.Verified {
			v.Problem += fmt.Sprintf("\n(after sending %d of the set's files once more)", len(files))
		}
	}
	return v, err
}

// Verify reads set m back at its target and compares it with what was sent,
// changing nothing (the copy is mounted read-only):
//   - every entry of the set's manifest, decoded from the target's own copy
//     of manifest.json (or, when that copy is damaged, from the primary's,
//     so that the damaged files can still be named);
//   - a random sample of the volume's other files that had settled before
//     the checkpoint, hashed on the primary and at the target;
//   - the etcd snapshot, fetched from the target and opened.
//
// A Verification with Verified false says what differs; an error means the
// verification could not be carried out.
func (e *Engine) Verify(ctx context.Context, m *backupset.Meta) (*backupset.Verification, error) {
	start := time.Now()
	t, err := e.Target(m.Target)
	if err != nil {
		return nil, err
	}
	rel, err := e.BackupRel()
	if err != nil {
		return nil, err
	}
	v := &backupset.Verification{At: e.now(), Node: t.VerifyNode, Mismatches: []manifest.Mismatch{}}
	fail := func(err error) (*backupset.Verification, error) {
		v.Problem = err.Error()
		v.Seconds = time.Since(start).Seconds()
		return v, err
	}
	vr, vf := e.Nodes.Runner(t.VerifyNode), e.Nodes.Files(t.VerifyNode)
	dir, unmount, err := e.mounter()(ctx, vr, t.SecondaryHost, t.SecondaryVolume)
	if err != nil {
		return fail(fmt.Errorf("mounting the copy at %s (%s:/%s) read-only on %s: %w", t.Name, t.SecondaryHost, t.SecondaryVolume, t.VerifyNode, err))
	}
	defer func() {
		if err := unmount(ctx); err != nil {
			e.log().Warn("unmounting the verification mount", "node", t.VerifyNode, "error", err)
		}
	}()
	setRel := path.Join(rel, m.ID)
	setRoot := path.Join(dir, setRel)

	want, err := e.wantedEntries(ctx, vf, setRoot, m)
	if err != nil {
		return fail(err)
	}
	got, err := manifest.Observe(ctx, vr, setRoot, want)
	var unreadable *manifest.UnreadableError
	if err != nil && !errors.As(err, &unreadable) {
		return fail(fmt.Errorf("reading the set back on %s: %w", t.VerifyNode, err))
	}
	v.Entries = len(want)
	ms := manifest.Compare(want, got)
	if mm := checkMeta(ctx, vf, setRoot, m); mm != nil {
		ms = append(ms, *mm)
	}
	ms = prefixed(ms, setRel)

	if e.Schedule.SampleFiles > 0 && m.Replication != nil {
		sample, sms, err := e.sample(ctx, m, vr, dir, setRel)
		if err != nil {
			return fail(err)
		}
		v.Sample = sample
		ms = append(ms, sms...)
	}
	if m.Contents.Etcd != nil {
		v.Etcd = checkEtcd(ctx, vf, path.Join(setRoot, backupset.EtcdFile), m.Contents.Etcd)
	}

	for _, mm := range ms {
		if mm.Severity == manifest.SeverityWarning {
			v.Warnings++
		} else {
			v.Errors++
		}
	}
	v.Mismatches = append([]manifest.Mismatch{}, ms[:min(len(ms), backupset.MaxMismatches)]...)
	v.Verified = v.Errors == 0 && (v.Etcd == nil || v.Etcd.OK)
	if !v.Verified {
		var b strings.Builder
		fmt.Fprintf(&b, "the copy at %s (read on %s) is not what was sent", t.Name, t.VerifyNode)
		if len(ms) > 0 {
			b.WriteString(": " + manifest.Report(ms))
		}
		if v.Etcd != nil && !v.Etcd.OK {
			fmt.Fprintf(&b, "\netcd snapshot: %s", v.Etcd.Problem)
		}
		v.Problem = strings.TrimSpace(b.String())
	}
	v.Seconds = time.Since(start).Seconds()
	e.log().Info("verified at the target", "set", m.ID, "target", t.Name, "node", t.VerifyNode, "verified", v.Verified,
		"entries", v.Entries, "sample", v.Sample.Files, "errors", v.Errors, "warnings", v.Warnings, "took", time.Since(start).Round(time.Millisecond))
	return v, nil
}

// wantedEntries are the set's files as the manifest lists them, plus
// manifest.json itself. The manifest is decoded from the target's copy when
// that copy is byte for byte the one written at fill; otherwise from the
// primary's, and the comparison then reports manifest.json as well.
func (e *Engine) wantedEntries(ctx context.Context, vf remote.Files, setRoot string, m *backupset.Meta) ([]manifest.Entry, error) {
	_, pf := e.primary()
	primaryCopy, err := pf.ReadFile(ctx, e.Store().Path(m.ID, backupset.ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("reading the set's manifest on the primary: %w", err)
	}
	if m.Contents.ManifestSHA256 != "" && sha(primaryCopy) != m.Contents.ManifestSHA256 {
		return nil, fmt.Errorf("manifest.json of %s on the primary has changed since the set was filled (sha256 %s, recorded %s)",
			m.ID, sha(primaryCopy), m.Contents.ManifestSHA256)
	}
	source := primaryCopy
	if targetCopy, err := vf.ReadFile(ctx, path.Join(setRoot, backupset.ManifestFile)); err == nil && sha(targetCopy) == sha(primaryCopy) {
		source = targetCopy
	}
	man, err := manifest.Decode(source)
	if err != nil {
		return nil, err
	}
	self := manifest.Entry{Path: backupset.ManifestFile, Type: manifest.TypeFile, Size: int64(len(primaryCopy)),
		Mode: "0644", SHA256: sha(primaryCopy), Links: 1}
	return append(man.Entries, self), nil
}

// checkMeta reads the target's copy of set.json, which a restore at the
// site starts from: it must decode and describe the same contents. It is
// not in the manifest, as it changes after every step; the target's copy is
// the one written when replication began.
func checkMeta(ctx context.Context, vf remote.Files, setRoot string, m *backupset.Meta) *manifest.Mismatch {
	bad := func(format string, args ...any) *manifest.Mismatch {
		return &manifest.Mismatch{Path: backupset.MetaFile, Severity: manifest.SeverityError, Problem: fmt.Sprintf(format, args...)}
	}
	data, err := vf.ReadFile(ctx, path.Join(setRoot, backupset.MetaFile))
	if errors.Is(err, fs.ErrNotExist) {
		mm := bad("missing at the target")
		mm.Missing = true
		return mm
	}
	if err != nil {
		return bad("not readable at the target: %v", err)
	}
	site, err := backupset.Decode(data)
	if err != nil {
		return bad("not readable at the target (%d bytes): %v", len(data), err)
	}
	got, _ := json.Marshal(site.Contents)
	sent, _ := json.Marshal(m.Contents)
	if site.ID != m.ID || !bytes.Equal(got, sent) {
		return bad("describes set %s with other contents than the one sent", site.ID)
	}
	return nil
}

// checkEtcd fetches the snapshot from the target into a private temporary
// file and opens it.
func checkEtcd(ctx context.Context, vf remote.Files, src string, sent *backupset.EtcdInfo) *backupset.EtcdCheck {
	c := &backupset.EtcdCheck{}
	tmp, err := os.MkdirTemp("", "glusterdr-verify-")
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	defer os.RemoveAll(tmp)
	local := filepath.Join(tmp, backupset.EtcdFile)
	if err := remote.Download(ctx, vf, src, local); err != nil {
		c.Problem = fmt.Sprintf("fetching it from the target: %v", err)
		return c
	}
	info, err := etcdsnap.Verify(local)
	c.SHA256, c.Revision, c.Keys = info.SHA256, info.Revision, info.Keys
	switch {
	case err != nil:
		c.Problem = fmt.Sprintf("it does not open: %v", err)
	case info.SHA256 != sent.SHA256:
		c.Problem = fmt.Sprintf("sha256 %s, want %s", info.SHA256, sent.SHA256)
	case info.Revision != sent.Revision || info.Keys != sent.Keys:
		c.Problem = fmt.Sprintf("revision %d with %d keys, want revision %d with %d keys", info.Revision, info.Keys, sent.Revision, sent.Keys)
	default:
		c.OK = true
	}
	return c
}

// prefixed makes mismatch paths relative to the volume root.
func prefixed(ms []manifest.Mismatch, dir string) []manifest.Mismatch {
	for i := range ms {
		ms[i].Path = path.Join(dir, ms[i].Path)
	}
	return ms
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
