package drill

import (
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/manifest"
)

// Report is what a drill found and how long each part took.
type Report struct {
	Site string `json:"site"`
	Set  string `json:"set"`
	// Chain is the sets a restore of Set needs, full first.
	Chain  []string `json:"chain"`
	Passed bool     `json:"passed"`
	// Problem says why the drill failed; "" when it passed.
	Problem string `json:"problem,omitempty"`
	// DataAsOf is the point in time the restored data reflects, and
	// RPOSeconds its age when the drill ran.
	DataAsOf   time.Time     `json:"data_as_of"`
	RPOSeconds float64       `json:"rpo_seconds"`
	Steps      []StepTiming  `json:"steps"`
	Manifest   ManifestCheck `json:"manifest"`
	Etcd       *EtcdCheck    `json:"etcd,omitempty"`
	Sample     *SampleCheck  `json:"sample,omitempty"`
	// VolumeBytes is the volume's data, what a full restore copies back: the
	// size of the primary's files when it was scanned for the sample,
	// otherwise the space used on the site's file system.
	VolumeBytes int64 `json:"volume_bytes"`
	// ReadBytesPerSecond is the rate at which the drill read the copy at
	// the site; RTOSeconds extrapolates a full restore from it (see RTOModel).
	ReadBytesPerSecond float64   `json:"read_bytes_per_second"`
	RTOSeconds         float64   `json:"rto_seconds"`
	RTOModel           string    `json:"rto_model"`
	Seconds            float64   `json:"seconds"`
	Started            time.Time `json:"started"`
}

// StepTiming is one measured part of the drill.
type StepTiming struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	OK      bool    `json:"ok"`
	Detail  string  `json:"detail,omitempty"`
}

// ManifestCheck is every set file read back at the site.
type ManifestCheck struct {
	Entries    int                 `json:"entries"`
	Bytes      int64               `json:"bytes"`
	Errors     int                 `json:"errors"`
	Warnings   int                 `json:"warnings"`
	Mismatches []manifest.Mismatch `json:"mismatches"`
}

// EtcdCheck is the snapshot restored and served on loopback.
type EtcdCheck struct {
	OK       bool   `json:"ok"`
	Revision int64  `json:"revision"`
	Keys     int64  `json:"keys"`
	Problem  string `json:"problem,omitempty"`
}

// SampleCheck is volume files compared between the site and the primary.
type SampleCheck struct {
	Files      int                 `json:"files"`
	Mismatches []manifest.Mismatch `json:"mismatches"`
	Skipped    string              `json:"skipped,omitempty"`
}

// rtoModel explains RTOSeconds to the operator.
const rtoModel = "time to restore the etcd snapshot, plus the volume's data at the rate this drill read and hashed files at the site"

func (r *Report) step(name string, start time.Time, err error, detail string) {
	s := StepTiming{Name: name, Seconds: time.Since(start).Seconds(), OK: err == nil, Detail: detail}
	if err != nil && detail == "" {
		s.Detail = err.Error()
	}
	r.Steps = append(r.Steps, s)
}

func (r *Report) stepSeconds(name string) float64 {
	for _, s := range r.Steps {
		if s.Name == name {
			return s.Seconds
		}
	}
	return 0
}
