package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/glusterdr/terraform-provider-gluster/internal/drrun"
	"github.com/glusterdr/terraform-provider-gluster/internal/lease"
	"github.com/glusterdr/terraform-provider-gluster/internal/runlock"
)

// errorBody is the "error" object of a failed command's JSON document.
type errorBody struct {
	Message  string `json:"message"`
	Kind     string `json:"kind"` // failed | usage | damaged | locked
	ExitCode int    `json:"exit_code"`
	// Step and Set name the step of the nightly cycle that failed.
	Step string `json:"step,omitempty"`
	Set  string `json:"set,omitempty"`
	// Holder is the run that holds the lock (kind locked).
	Holder *runlock.Holder `json:"holder,omitempty"`
}

func newErrorBody(err error) errorBody {
	code, kind := classify(err)
	b := errorBody{Message: err.Error(), Kind: kind, ExitCode: code}
	var se *drrun.StepError
	if errors.As(err, &se) {
		b.Step, b.Set = se.Step, se.Set
	}
	var held *runlock.HeldError
	var leased *lease.HeldError
	switch {
	case errors.As(err, &held) && held.Holder.PID != 0:
		h := held.Holder
		b.Holder = &h
	case errors.As(err, &leased) && leased.Holder.PID != 0:
		h := leased.Holder
		b.Holder = &runlock.Holder{PID: h.PID, Started: h.Acquired, Host: h.Controller, Command: h.Command}
	}
	return b
}

// withError is the document a failed command prints with --json: doc is
// what the command printed (nothing, or one JSON document) and the result
// always has a top-level "error" object.
//   - No document: {"error": {…}}.
//   - An object (run's and verify's reports, …): its members in order, with
//     "error" first; a string "error" the report carried is replaced by the
//     object, whose message says the same.
//   - Anything else (restore-drill's list of reports): {"error": {…},
//     "result": doc}.
func withError(doc []byte, b errorBody) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(`{"error":`)
	if err := encodeCompact(&out, b); err != nil {
		return nil, err
	}
	doc = bytes.TrimSpace(doc)
	switch {
	case len(doc) == 0:
	case doc[0] == '{':
		if err := appendMembers(&out, doc); err != nil {
			return nil, fmt.Errorf("the command's JSON document: %w", err)
		}
	default:
		out.WriteString(`,"result":`)
		out.Write(doc)
	}
	out.WriteString("}")
	var indented bytes.Buffer
	if err := json.Indent(&indented, out.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	indented.WriteByte('\n')
	return indented.Bytes(), nil
}

// appendMembers writes the members of the JSON object doc to out, each
// preceded by a comma, leaving out "error".
func appendMembers(out *bytes.Buffer, doc []byte) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if tok == "error" {
			continue
		}
		out.WriteByte(',')
		if err := encodeCompact(out, tok); err != nil {
			return err
		}
		out.WriteByte(':')
		out.Write(v)
	}
	return nil
}

func encodeCompact(w *bytes.Buffer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Truncate(w.Len() - 1) // Encode's newline
	return nil
}

// heldStdout is the command's stdout. With --json it holds what the command
// prints until it has finished, so that a failure can add its error to the
// document; without, it writes through.
type heldStdout struct {
	json *bool
	w    io.Writer
	held bytes.Buffer
}

func (s *heldStdout) Write(p []byte) (int, error) {
	if *s.json {
		return s.held.Write(p)
	}
	return s.w.Write(p)
}

// finish writes the held document, with err added to it.
func (s *heldStdout) finish(err error, jsonWanted bool) error {
	doc := s.held.Bytes()
	if err != nil && jsonWanted {
		var werr error
		if doc, werr = withError(doc, newErrorBody(err)); werr != nil {
			return werr
		}
	}
	_, werr := s.w.Write(doc)
	return werr
}
