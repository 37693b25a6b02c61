// Package version holds the release this tree builds. The file VERSION
// beside it is the one source of truth: the CLI's --version, the provider's
// version, ansible/galaxy.yml and the top entry of CHANGELOG.md all agree
// with it (version_test.go checks), and a release tag must be v<VERSION>
// (scripts/release-version.sh, run by goreleaser before it builds).
package version

import (
	_ "embed"
	"strings"
)

//go:embed VERSION
var file string

// Release is the version in VERSION, e.g. "0.2.0".
var Release = strings.TrimSpace(file)

// build is set by goreleaser, for snapshots that add a suffix to Release:
// -ldflags "-X github.com/glusterdr/terraform-provider-gluster/internal/version.build=0.2.0-SNAPSHOT-abc1234".
var build string

// Version is what the binaries report: Release, or what the build set.
func Version() string {
	if build != "" {
		return build
	}
	return Release
}
