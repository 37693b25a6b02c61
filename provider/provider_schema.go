package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/glusterdr/terraform-provider-gluster/internal/remote"
)

// Provider defaults, applied in Configure (a provider schema has no
// defaults of its own).
const (
	defaultSSHUser        = remote.DefaultUser
	defaultSSHPort        = remote.DefaultPort
	defaultKnownHostsFile = "~/.ssh/known_hosts"
)

var defaultConnectTimeout = remote.DefaultConnectTimeout

func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "The `gluster` provider declares a GlusterFS disaster-recovery topology — the trusted pools " +
			"and volumes at the DR sites, and the geo-replication sessions from the primary volume to them — and " +
			"reaches every node over SSH, exactly as an operator would. `terraform plan` reads the live clusters, " +
			"so it shows drift: a peer that left, a stopped volume, a session that is gone or configured differently.\n\n" +
			"It also declares the nightly DR policy: `dr_schedule` writes the schedule file onto the controller node and " +
			"installs the timer or cron entry that runs the nightly cycle; `gluster_provisioning_state` keeps the Ansible " +
			"provisioning state of day one in the backup folder; the `dr_backup_sets` data source lists the backup sets " +
			"with their verification. **`dr_schedule` and `dr_backup_sets` keep the names users asked for: their prefix " +
			"is not the provider's, so their blocks say `provider = gluster`.**\n\n" +
			"Host keys are always verified, against `known_hosts_file` or the pinned `host_keys`; trust on first use " +
			"must be asked for by name. One SSH connection is kept per host for the whole run, whatever the number of " +
			"resources that use it; each command runs in its own session on it.\n\n" +
			"The settings here are the defaults for every node; `nodes` overrides them per node.\n\n" +
			"**Geo-replication on Debian 12: use `sync_method = \"tarssh\"`.** With Debian 12's current rsync " +
			"(3.5.0+ds1-0+deb12u1), gsyncd's default `rsync` sync method delivers files of 0 bytes at the secondary, " +
			"while rsync exits 0 and the checkpoint completes: monitoring stays green over an empty copy. " +
			"`tarssh` (or rsync 3.2.7) copies the bytes.\n\n" +
			"**Host keys for gsyncd.** gsyncd's own SSH defaults to `StrictHostKeyChecking=no`. " +
			"`gluster_georep_session` pins, for gsyncd, the host keys that the provider's own connections verified " +
			"for every secondary node, so that verification holds end to end; `insecure_skip_host_key_pinning` is " +
			"the explicit opt-out.",
		Attributes: map[string]schema.Attribute{
			"user": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("SSH user on every node. Default `%s`.", defaultSSHUser),
				Optional:            true,
				Validators:          []validator.String{sshUser()},
			},
			"port": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("SSH port of every node. Default `%d`.", defaultSSHPort),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 65535)},
			},
			"private_key": schema.StringAttribute{
				MarkdownDescription: "Private key, inline (OpenSSH or PEM format), e.g. `file(\"~/.ssh/id_ed25519\")`. " +
					"Sensitive: never written to logs. No default.",
				Optional:  true,
				Sensitive: true,
			},
			"private_key_file": schema.StringAttribute{
				MarkdownDescription: "Path of a private key file on the machine that runs Terraform. No default.",
				Optional:            true,
				Validators:          []validator.String{localPath()},
			},
			"passphrase": schema.StringAttribute{
				MarkdownDescription: "Passphrase of an encrypted `private_key` or `private_key_file`. Sensitive. No default.",
				Optional:            true,
				Sensitive:           true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password, offered after the keys. Sensitive. No default.",
				Optional:            true,
				Sensitive:           true,
			},
			"agent": schema.BoolAttribute{
				MarkdownDescription: "Offer the keys of the ssh-agent at `agent_socket` (or `$SSH_AUTH_SOCK`). Default `false`, " +
					"except that the agent is used when no other credential is set and `$SSH_AUTH_SOCK` is.",
				Optional: true,
			},
			"agent_socket": schema.StringAttribute{
				MarkdownDescription: "Path of the ssh-agent's socket. Default `$SSH_AUTH_SOCK`.",
				Optional:            true,
				Validators:          []validator.String{localPath()},
			},
			"known_hosts_file": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("known_hosts file that host keys are verified against (after `host_keys`). "+
					"Default `%s`.", defaultKnownHostsFile),
				Optional:   true,
				Validators: []validator.String{localPath()},
			},
			"host_keys": schema.ListAttribute{
				MarkdownDescription: "Pinned host keys, as known_hosts lines: `host keytype base64`, e.g. " +
					"`203.0.113.21 ssh-ed25519 AAAAC3Nz...`; `[host]:port` for a port other than 22. A node whose key is " +
					"pinned here is accepted with that key only if `known_hosts_file` does not also list it. Hashed host " +
					"names, wildcards and markers are not supported. Default: none.",
				ElementType: stringType,
				Optional:    true,
				Validators:  []validator.List{listvalidator.ValueStringsAre(knownHostsLine())},
			},
			"trust_on_first_use": schema.BoolAttribute{
				MarkdownDescription: "Accept the key of a host that `known_hosts_file` does not list yet, and record it there. " +
					"A host whose key differs from the recorded one is still refused. Default `false`: unknown hosts are refused.",
				Optional: true,
			},
			"connect_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time allowed for the TCP connection and the SSH handshake together, per host, "+
					"as a Go duration (`30s`, `1m`). Default `%s`.", defaultConnectTimeout),
				Optional:   true,
				Validators: []validator.String{duration()},
			},
			"jump_host": schema.SingleNestedAttribute{
				MarkdownDescription: "Reach every node through this bastion host (like `ssh -J`). It uses the same credentials " +
					"and host key verification as the nodes. Default: none.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"host": schema.StringAttribute{
						MarkdownDescription: "Host name or address of the jump host.",
						Required:            true,
						Validators:          []validator.String{host()},
					},
					"port": schema.Int64Attribute{
						MarkdownDescription: fmt.Sprintf("SSH port of the jump host. Default `%d`.", defaultSSHPort),
						Optional:            true,
						Validators:          []validator.Int64{int64validator.Between(1, 65535)},
					},
					"user": schema.StringAttribute{
						MarkdownDescription: "SSH user on the jump host. Default: the provider's `user`.",
						Optional:            true,
						Validators:          []validator.String{sshUser()},
					},
				},
			},
			"nodes": schema.MapNestedAttribute{
				MarkdownDescription: "Per-node overrides, keyed by the node's name as the resources give it (the name gluster " +
					"knows the node by). Unset fields fall back to the provider's settings. Default: none.",
				Optional:   true,
				Validators: []validator.Map{mapvalidator.KeysAre(host())},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"address": schema.StringAttribute{
							MarkdownDescription: "Address to dial instead of the node's name, e.g. a public address " +
								"in front of a private gluster name. Default: the name.",
							Optional:   true,
							Validators: []validator.String{host()},
						},
						"port": schema.Int64Attribute{
							MarkdownDescription: "SSH port. Default: the provider's `port`.",
							Optional:            true,
							Validators:          []validator.Int64{int64validator.Between(1, 65535)},
						},
						"user": schema.StringAttribute{
							MarkdownDescription: "SSH user. Default: the provider's `user`.",
							Optional:            true,
							Validators:          []validator.String{sshUser()},
						},
						"private_key": schema.StringAttribute{
							MarkdownDescription: "Private key, inline. Sensitive. Default: the provider's credentials.",
							Optional:            true,
							Sensitive:           true,
						},
						"private_key_file": schema.StringAttribute{
							MarkdownDescription: "Path of a private key file. Default: the provider's credentials.",
							Optional:            true,
							Validators:          []validator.String{localPath()},
						},
						"known_hosts_file": schema.StringAttribute{
							MarkdownDescription: "known_hosts file for this node. Default: the provider's `known_hosts_file`.",
							Optional:            true,
							Validators:          []validator.String{localPath()},
						},
					},
				},
			},
		},
	}
}
