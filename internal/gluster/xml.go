package gluster

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// envelope is the <cliOutput> wrapper of every --xml answer. The payload
// stays raw so that each command decodes only what it knows.
type envelope struct {
	OpRet    int
	OpErrno  int
	OpErrstr string
	raw      []byte
}

type xmlEnvelope struct {
	XMLName  xml.Name `xml:"cliOutput"`
	OpRet    string   `xml:"opRet"`
	OpErrno  string   `xml:"opErrno"`
	OpErrstr string   `xml:"opErrstr"`
}

var errNoXML = errors.New("no <cliOutput> XML in the output")

// parseEnvelope decodes the <cliOutput> envelope. Output that does not
// contain one (gluster printed plain text, e.g. "geo-replication command
// failed") returns errNoXML.
func parseEnvelope(out []byte) (*envelope, error) {
	i := bytes.Index(out, []byte("<cliOutput"))
	if i < 0 {
		return nil, errNoXML
	}
	var x xmlEnvelope
	if err := xml.Unmarshal(out[i:], &x); err != nil {
		return nil, fmt.Errorf("decode gluster XML: %w", err)
	}
	env := &envelope{OpErrstr: strings.TrimSpace(x.OpErrstr), raw: out[i:]}
	var err error
	if env.OpRet, err = strconv.Atoi(strings.TrimSpace(x.OpRet)); err != nil {
		return nil, fmt.Errorf("decode gluster XML: opRet %q is not a number", x.OpRet)
	}
	if s := strings.TrimSpace(x.OpErrno); s != "" {
		if env.OpErrno, err = strconv.Atoi(s); err != nil {
			return nil, fmt.Errorf("decode gluster XML: opErrno %q is not a number", x.OpErrno)
		}
	}
	return env, nil
}

// decode unmarshals the envelope's payload into v, which should be a struct
// with XMLName cliOutput.
func (e *envelope) decode(v any) error {
	if err := xml.Unmarshal(e.raw, v); err != nil {
		return fmt.Errorf("decode gluster XML: %w", err)
	}
	return nil
}

// notAvailable reports gluster's way of saying "no value".
func notAvailable(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.EqualFold(s, "N/A")
}

// glusterTimeLayout is how geo-replication status prints times (UTC).
const glusterTimeLayout = "2006-01-02 15:04:05"

// parseTime reads "2026-11-25 17:30:58" as UTC; "N/A", empty or anything
// unreadable gives the zero time.
func parseTime(s string) time.Time {
	if notAvailable(s) {
		return time.Time{}
	}
	t, err := time.ParseInLocation(glusterTimeLayout, strings.TrimSpace(s), time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseCount reads a counter; "N/A" and garbage give 0.
func parseCount(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// parseIntOr reads an integer, or returns def.
func parseIntOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// parseYesNo reads gluster's "Yes"/"No" (and "1"/"0").
func parseYesNo(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "1", "true":
		return true
	}
	return false
}

// pick returns the first non-empty of the GlusterFS >= 10 and <= 9 spellings.
func pick(v10, v9 string) string {
	if strings.TrimSpace(v10) != "" {
		return v10
	}
	return v9
}
