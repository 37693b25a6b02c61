// Package provstate captures the Ansible provisioning state of the platform
// (what `ansible-inventory --list` says about every host, the inventory
// files themselves, and the image reference the nodes were built from) with
// every secret redacted, so that it can sit in a backup set and be read by
// anyone who restores.
//
// The nightly engine stores a capture as provisioning.json in each backup
// set; the gluster_provisioning_state Terraform resource stores one at apply
// time and compares Digests to detect drift.
package provstate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Version is the format of an encoded State.
const Version = 1

// FileName is what a capture is called inside a backup set.
const FileName = "provisioning.json"

// FileMode is the mode a capture is written with: redaction is by name and
// shape, so the file is still treated as sensitive.
const FileMode = 0o600

// Bounds of the inventory command: a dynamic inventory asks cloud APIs,
// and a large fleet's variables run to megabytes.
const (
	InventoryTimeout         = 15 * time.Minute
	MaxInventoryOutput int64 = 256 << 20
)

// DefaultInventoryCommand prints every host's variables as JSON.
func DefaultInventoryCommand() []string { return []string{"ansible-inventory", "--list"} }

// Options say what to capture.
type Options struct {
	// InventoryCommand prints the inventory as JSON; DefaultInventoryCommand
	// when empty.
	InventoryCommand []string
	// InventoryFiles are copied, redacted, as text.
	InventoryFiles []string
	// ImageRef is the image reference the platform was built from.
	ImageRef string
}

// State is one capture. Everything in it is already redacted.
type State struct {
	Version    int       `json:"version"`
	CapturedAt time.Time `json:"captured_at"`
	// Host is where the command ran and the files were read.
	Host             string   `json:"host"`
	ImageRef         string   `json:"image_ref"`
	InventoryCommand []string `json:"inventory_command"`
	// Inventory is the command's JSON output, redacted.
	Inventory any    `json:"inventory"`
	Files     []File `json:"files"`
	// Redactions names what was redacted ("inventory: _meta.hostvars.web1.
	// ansible_password", "/etc/ansible/hosts line 3: ansible_password"),
	// never the values.
	Redactions []string `json:"redactions"`
	// Digest is the sha256 of the capture without CapturedAt and Digest: two
	// captures of an unchanged inventory have the same Digest.
	Digest string `json:"digest"`
}

// File is one inventory file, redacted.
type File struct {
	Path    string `json:"path"`
	Content string `json:"content"`
}

// Capture runs the inventory command with r (the controller, normally
// remote.Local) and reads the inventory files through files, redacting as it
// goes. Secrets never reach the returned State, its errors or a log.
func Capture(ctx context.Context, r remote.Runner, files remote.Files, opts Options) (*State, error) {
	argv := opts.InventoryCommand
	if len(argv) == 0 {
		argv = DefaultInventoryCommand()
	}
	st := &State{Version: Version, CapturedAt: time.Now().UTC(), Host: r.Host(), ImageRef: opts.ImageRef,
		InventoryCommand: slices.Clone(argv), Files: []File{}, Redactions: []string{}}

	res, err := r.Run(ctx, remote.Cmd{Argv: argv, Timeout: InventoryTimeout, MaxOutput: MaxInventoryOutput})
	if err != nil {
		return nil, fmt.Errorf("provisioning state: the inventory command failed on %s: %w", r.Host(), err)
	}
	inv, err := decodeJSON(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("provisioning state: the inventory command %s on %s did not print JSON (%v); "+
			"it must print what `ansible-inventory --list` prints", remote.Quote(argv), r.Host(), err)
	}
	st.Inventory = RedactValue(inv, "", func(where string) { st.Redactions = append(st.Redactions, "inventory: "+where) })

	for _, p := range opts.InventoryFiles {
		data, err := files.ReadFile(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("provisioning state: reading inventory file %s on %s: %w", p, r.Host(), err)
		}
		if !utf8.Valid(data) {
			return nil, fmt.Errorf("provisioning state: inventory file %s on %s is not UTF-8 text", p, r.Host())
		}
		content, notes := redactFile(data)
		for _, n := range notes {
			st.Redactions = append(st.Redactions, p+" "+n)
		}
		st.Files = append(st.Files, File{Path: p, Content: content})
	}
	slices.Sort(st.Redactions)
	st.Digest, err = st.digest()
	if err != nil {
		return nil, err
	}
	return st, nil
}

// redactFile redacts a JSON inventory file as JSON (re-encoded), anything
// else as text.
func redactFile(data []byte) (string, []string) {
	if v, err := decodeJSON(data); err == nil {
		if _, isObject := v.(map[string]any); isObject {
			var notes []string
			red := RedactValue(v, "", func(where string) { notes = append(notes, where) })
			out, err := json.MarshalIndent(red, "", "  ")
			if err == nil {
				slices.Sort(notes)
				return string(out) + "\n", notes
			}
		}
	}
	return RedactText(string(data))
}

// decodeJSON decodes one JSON value, keeping numbers as written.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func (s *State) digest() (string, error) {
	c := *s
	c.CapturedAt, c.Digest = time.Time{}, ""
	data, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("provisioning state: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// Encode renders the capture as indented JSON (map keys sorted).
func (s *State) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("provisioning state: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode reads an encoded capture and checks its Digest, so that a copy
// altered after the capture is told apart from one that is intact.
func Decode(data []byte) (*State, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var s State
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("provisioning state: decode: %w", err)
	}
	if s.Version != Version {
		return nil, fmt.Errorf("provisioning state: version %d is not supported (this build reads %d)", s.Version, Version)
	}
	want, err := s.digest()
	if err != nil {
		return nil, err
	}
	if want != s.Digest {
		return &s, fmt.Errorf("provisioning state: digest %s does not match the content (%s): the copy was altered", s.Digest, want)
	}
	return &s, nil
}

// Write stores the capture at path through files, atomically, mode 0600.
func (s *State) Write(ctx context.Context, files remote.Files, path string) error {
	data, err := s.Encode()
	if err != nil {
		return err
	}
	return files.WriteFile(ctx, path, bytes.NewReader(data), FileMode)
}
