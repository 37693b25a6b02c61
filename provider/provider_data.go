package provider

import (
	"context"
	"fmt"
	"github.com/glusterdr/terraform-provider-gluster/internal/georep"
	"log/slog"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// providerData carries the configured clients from the provider's
// Configure to every resource and data source.
type providerData struct {
	pool *remote.Pool
	ssh  *sshSettings
	// log carries the engine's slog records into Terraform's log.
	log *slog.Logger
	// statuses are the sessions' statuses read during this process.
	statuses *statusCache
}

// changed forgets what is known of node's sessions, after one was changed.
func (d *providerData) changed(node string) {
	if d.statuses != nil {
		d.statuses.forget(node)
	}
}

// runner runs commands on node over its pooled connection.
func (d *providerData) runner(node string) remote.Runner { return d.pool.Runner(d.ssh.config(node)) }

// files reaches node's files over SFTP on its pooled connection.
func (d *providerData) files(node string) remote.Files { return d.pool.Files(d.ssh.config(node)) }

// gluster is the gluster CLI client of node; its retries (a glusterd busy
// with another transaction) are logged to Terraform's log.
func (d *providerData) gluster(node string) *gluster.Client {
	if d.log == nil {
		return gluster.New(d.runner(node))
	}
	return gluster.New(d.runner(node), gluster.WithLogger(d.log))
}

// hosts reaches nodes by name, for the engine's georep helpers.
func (d *providerData) hosts() georep.Hosts { return dataHosts{d} }

type dataHosts struct{ d *providerData }

func (h dataHosts) Runner(node string) remote.Runner { return h.d.runner(node) }
func (h dataHosts) Files(node string) remote.Files   { return h.d.files(node) }
func (h dataHosts) HostKey(ctx context.Context, node string) (ssh.PublicKey, error) {
	return h.d.hostKey(ctx, node)
}

// hostKey is node's host key as the provider's own handshake verified it.
func (d *providerData) hostKey(ctx context.Context, node string) (ssh.PublicKey, error) {
	return d.pool.HostKey(ctx, d.ssh.config(node))
}

// configuredData checks the value a resource or data source receives in
// its Configure. Nil means the provider is not configured yet (during
// validation), which is not an error.
func configuredData(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	d, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *provider.providerData from the gluster provider, got %T. This is a bug in the provider: please report it.", raw))
		return nil
	}
	return d
}

var stringType = types.StringType

func stringOr(v types.String, def string) string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return def
	}
	return v.ValueString()
}

func int64Or(v types.Int64, def int64) int64 {
	if v.IsNull() || v.IsUnknown() || v.ValueInt64() == 0 {
		return def
	}
	return v.ValueInt64()
}
