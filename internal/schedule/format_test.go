package schedule

import (
	"strings"
	"testing"
	"time"
)

func TestFormatDurationIsHowEncodeWritesIt(t *testing.T) {
	s := mustParse(t, readTestdata(t, "minimal.hcl"))
	s.CheckpointTimeout = 90 * time.Minute
	if got := FormatDuration(s.CheckpointTimeout); got != "1h30m" {
		t.Errorf("FormatDuration(90m) = %q, want 1h30m", got)
	}
	if !strings.Contains(string(Encode(s)), `checkpoint_timeout     = "`+FormatDuration(s.CheckpointTimeout)+`"`) {
		t.Errorf("Encode does not write %q:\n%s", FormatDuration(s.CheckpointTimeout), Encode(s))
	}
}
