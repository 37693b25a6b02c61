// Package provider is the Terraform provider "gluster": the Terraform layer
// over glusterdr's engine (internal/peercluster, internal/georep,
// internal/gluster and internal/remote). It is public so that it can be
// muxed with other providers.
package provider

import (
	"context"
	"log/slog"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

var _ provider.Provider = (*glusterProvider)(nil)

// New returns the provider factory that main serves; version is set at
// build time.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return newProvider(version) }
}

func newProvider(version string) *glusterProvider {
	return &glusterProvider{version: version}
}

// glusterProvider holds the SSH pool that every resource of one Terraform
// run shares: one connection per host, however many resources use it.
type glusterProvider struct {
	version string
	pool    *remote.Pool
}

// providerModel is the provider block.
type providerModel struct {
	User            types.String         `tfsdk:"user"`
	Port            types.Int64          `tfsdk:"port"`
	PrivateKey      types.String         `tfsdk:"private_key"`
	PrivateKeyFile  types.String         `tfsdk:"private_key_file"`
	Passphrase      types.String         `tfsdk:"passphrase"`
	Password        types.String         `tfsdk:"password"`
	Agent           types.Bool           `tfsdk:"agent"`
	AgentSocket     types.String         `tfsdk:"agent_socket"`
	KnownHostsFile  types.String         `tfsdk:"known_hosts_file"`
	HostKeys        []types.String       `tfsdk:"host_keys"`
	TrustOnFirstUse types.Bool           `tfsdk:"trust_on_first_use"`
	ConnectTimeout  types.String         `tfsdk:"connect_timeout"`
	JumpHost        *jumpHostModel       `tfsdk:"jump_host"`
	Nodes           map[string]nodeModel `tfsdk:"nodes"`
}

type jumpHostModel struct {
	Host types.String `tfsdk:"host"`
	Port types.Int64  `tfsdk:"port"`
	User types.String `tfsdk:"user"`
}

type nodeModel struct {
	Address        types.String `tfsdk:"address"`
	Port           types.Int64  `tfsdk:"port"`
	User           types.String `tfsdk:"user"`
	PrivateKey     types.String `tfsdk:"private_key"`
	PrivateKeyFile types.String `tfsdk:"private_key_file"`
	KnownHostsFile types.String `tfsdk:"known_hosts_file"`
}

func (p *glusterProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "gluster"
	resp.Version = p.version
}

func (p *glusterProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *glusterProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	if !req.Config.Raw.IsFullyKnown() {
		resp.Diagnostics.AddError("Unknown Provider Configuration",
			"The gluster provider's configuration depends on values that are known only after apply, "+
				"so it cannot connect to any node during this plan. Give the SSH settings as literals, "+
				"variables or values read from files, or apply the resources they depend on first (-target).")
		return
	}
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := newSSHSettings(cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	ctx = tflog.MaskLogStrings(ctx, settings.secrets()...)
	if p.pool != nil {
		// Configured again in the same process: the old connections may
		// carry other credentials.
		if err := p.pool.Close(); err != nil {
			tflog.Warn(ctx, "closing the previous SSH pool", map[string]any{"error": err.Error()})
		}
	}
	log := slog.New(newTflogHandler(ctx))
	p.pool = remote.NewPool(log)
	data := &providerData{pool: p.pool, ssh: settings, log: log, statuses: &statusCache{}}
	resp.ResourceData = data
	resp.DataSourceData = data
	tflog.Debug(ctx, "gluster provider configured", map[string]any{
		"user": settings.base.User, "port": settings.base.Port, "nodes_overridden": len(settings.nodes),
		"pinned_host_keys": len(settings.hostKeys), "known_hosts_file": settings.base.KnownHostsFile,
	})
}

func (p *glusterProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewPeerClusterResource,
		NewGeorepSessionResource,
		NewScheduleResource,
		NewProvisioningStateResource,
	}
}

func (p *glusterProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewGeorepStatusDataSource,
		NewBackupSetsDataSource,
	}
}

// closePool closes the provider's SSH connections; tests call it when a
// test ends, since Terraform gives a provider no shutdown call.
func (p *glusterProvider) closePool() error {
	if p.pool == nil {
		return nil
	}
	return p.pool.Close()
}
