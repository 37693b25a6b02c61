package benchrepl

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Wire runs the reference copies on the primary node, into the scratch
// volume over SSH with the lab's key and known_hosts, as gsyncd's tarssh
// runs tar over ssh from the same node.
type Wire struct {
	From    remote.Runner
	To      *Scratch
	SSH     lab.SSH
	Timeout time.Duration
}

// pipeToSite is `SOURCE | ssh SITE REMOTE`; its values are positional
// arguments only.
const pipeToSite = `src=$1 key=$2 known=$3 port=$4 dest=$5 remote=$6
case $SOURCE in
tar) tar c -C "$src" . ;;
cat) cat -- "$src" ;;
esac | ssh -i "$key" -o UserKnownHostsFile="$known" -o StrictHostKeyChecking=yes -o BatchMode=yes -p "$port" "$dest" "$remote"`

// TarCommand and CatCommand name the references in the rows.
const (
	TarCommand = "tar c -C TREE . | ssh SITE tar x -C SCRATCH (p1 to a FUSE mount of a one-brick scratch volume on sdsc1)"
	CatCommand = "cat FILE | ssh SITE 'cat > SCRATCH/FILE' (p1 to a FUSE mount of a one-brick scratch volume on sdsc1)"
)

// Tar copies the tree at src on the primary into a fresh folder of the
// scratch volume, and says how long it took.
func (w Wire) Tar(ctx context.Context, src, name string) (time.Duration, error) {
	dst, err := w.To.Dir(ctx, name)
	if err != nil {
		return 0, err
	}
	return w.pipe(ctx, "tar", src, remote.Quote([]string{"tar", "x", "-C", dst}))
}

// Cat copies one file at src on the primary into the scratch volume.
func (w Wire) Cat(ctx context.Context, src, name string) (time.Duration, error) {
	dst, err := w.To.Dir(ctx, name)
	if err != nil {
		return 0, err
	}
	return w.pipe(ctx, "cat", src, remote.Quote([]string{"sh", "-c", `cat > "$1"`, "sh", dst + "/file"}))
}

func (w Wire) pipe(ctx context.Context, source, src, remoteCmd string) (time.Duration, error) {
	if w.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.Timeout)
		defer cancel()
	}
	argv := []string{"env", "SOURCE=" + source, "sh", "-c", pipeToSite, "sh", src, w.SSH.PrivateKeyFile, w.SSH.KnownHostsFile,
		strconv.Itoa(w.SSH.Port), w.SSH.User + "@" + w.To.Address(), remoteCmd}
	start := time.Now()
	if _, err := w.From.Run(ctx, remote.Cmd{Argv: argv}); err != nil {
		return 0, fmt.Errorf("reference %s | ssh from %s: %w", source, w.From.Host(), err)
	}
	return time.Since(start), nil
}
