package retention

import (
	"fmt"
	"strings"
	"time"
)

// folderTimeLayout is the UTC timestamp that starts a set's folder name.
const folderTimeLayout = "20060102T150405Z"

// FolderName is the folder (and the ID) of the set opened at t for target,
// e.g. 20261125T020000Z-sdsc. The time is written in UTC to the second.
func FolderName(t time.Time, target string) string {
	return t.UTC().Format(folderTimeLayout) + "-" + target
}

// ParseFolderName reads a folder name written by FolderName back into its
// time (UTC) and target. Anything else in the backup folder fails to parse
// and is not a backup set.
func ParseFolderName(name string) (time.Time, string, error) {
	stamp, target, ok := strings.Cut(name, "-")
	if !ok || target == "" || strings.ContainsAny(target, "/\x00") {
		return time.Time{}, "", fmt.Errorf("%q is not a backup set folder: want <%s>-<target>", name, folderTimeLayout)
	}
	t, err := time.Parse(folderTimeLayout, stamp)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("%q is not a backup set folder: bad timestamp %q", name, stamp)
	}
	return t, target, nil
}
