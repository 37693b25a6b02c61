package retention

import (
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
)

// FolderName is the folder (and the ID) of the set opened at t for target,
// e.g. 20261125T020000Z-sdsc. The time is written in UTC to the second.
func FolderName(t time.Time, target string) string {
	return t.UTC().Format(valid.SetTimeLayout) + "-" + target
}

// ParseFolderName reads a folder name written by FolderName back into its
// time (UTC) and target. Anything else in the backup folder fails to parse
// and is not a backup set: the rule is valid.SetID, the one every face
// applies to a set ID a user gives.
func ParseFolderName(name string) (time.Time, string, error) {
	return valid.SetID(name)
}
