package provider

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glusterdr/terraform-provider-gluster/internal/schedule"
)

// dr_schedule's ssh: how the engine on the controller reaches the nodes,
// with the provider's connection model (defaults, a jump host, per-node
// overrides), as the schedule file's ssh block and its node blocks.

var (
	scheduleNodeAttrTypes = map[string]attr.Type{
		"address": types.StringType, "port": types.Int64Type, "user": types.StringType,
		"private_key_file": types.StringType, "known_hosts_file": types.StringType, "jump_host": types.StringType,
	}
	scheduleNodeObjectType = types.ObjectType{AttrTypes: scheduleNodeAttrTypes}
	scheduleSSHAttrTypes   = map[string]attr.Type{
		"user": types.StringType, "port": types.Int64Type, "private_key_file": types.StringType, "known_hosts_file": types.StringType,
		"jump_host": types.StringType, "config_file": types.StringType,
		"nodes": types.MapType{ElemType: scheduleNodeObjectType},
	}
)

// nestedBlocks names the file's block for a map attribute of a block: the
// ssh block's nodes are its node "<name>" blocks.
var nestedBlocks = map[string]string{"ssh.nodes": "node"}

// scheduleSSHValue is the ssh attribute of a parsed schedule: every
// default written out, the optional settings null when the file leaves
// them out.
func scheduleSSHValue(s schedule.SSH) types.Object {
	nodes := types.MapNull(scheduleNodeObjectType)
	if len(s.Nodes) > 0 {
		elems := map[string]attr.Value{}
		for _, n := range s.Nodes {
			port := types.Int64Null()
			if n.Port != 0 {
				port = types.Int64Value(int64(n.Port))
			}
			elems[n.Name] = types.ObjectValueMust(scheduleNodeAttrTypes, map[string]attr.Value{
				"address": optionalString(n.Address), "port": port, "user": optionalString(n.User),
				"private_key_file": optionalString(n.PrivateKeyFile), "known_hosts_file": optionalString(n.KnownHostsFile),
				"jump_host": optionalString(n.JumpHost),
			})
		}
		nodes = types.MapValueMust(scheduleNodeObjectType, elems)
	}
	return types.ObjectValueMust(scheduleSSHAttrTypes, map[string]attr.Value{
		"user": types.StringValue(s.User), "port": types.Int64Value(int64(s.Port)),
		"private_key_file": types.StringValue(s.PrivateKeyFile), "known_hosts_file": types.StringValue(s.KnownHostsFile),
		"jump_host": optionalString(s.JumpHost), "config_file": optionalString(s.ConfigFile), "nodes": nodes,
	})
}

// sortedKeys are a map's keys in order, so that the rendered file does not
// depend on Go's map order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func scheduleSSHAttribute() schema.SingleNestedAttribute {
	opt := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: true}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "How the engine, on the controller, reaches every node it drives: the primary node, the " +
			"targets' nodes, and the jump hosts in front of them. The same model as the provider's own settings: " +
			"defaults for every node, a jump host, and per-node overrides in `nodes`. A jump host is a host like any " +
			"other: its user, port, key and known_hosts come from its own entry in `nodes`, else from the defaults. " +
			"Host keys are always verified. These are paths on the controller, never key material. Default: every " +
			"field's default.",
		Optional: true,
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"user": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("SSH user. Default `%s`.", schedule.DefaultNodeUser),
				Optional: true, Computed: true},
			"port": schema.Int64Attribute{MarkdownDescription: fmt.Sprintf("SSH port. Default `%d`.", schedule.DefaultNodePort),
				Optional: true, Computed: true},
			"private_key_file": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("Private key file on the controller. "+
				"Default `%s`.", schedule.DefaultPrivateKeyFile), Optional: true, Computed: true},
			"known_hosts_file": schema.StringAttribute{MarkdownDescription: fmt.Sprintf("known_hosts file on the controller. "+
				"Default `%s`.", schedule.DefaultKnownHostsFile), Optional: true, Computed: true},
			"jump_host": opt(fmt.Sprintf("Reach every node through this host (like `ssh -J`), except the jump host itself "+
				"and the nodes whose entry in `nodes` says otherwise. Default: none (`%s` says the same).", schedule.NoJumpHost)),
			"config_file": opt("An OpenSSH client configuration on the controller (e.g. `/root/.ssh/config`) that the " +
				"engine also reads: for each host, by the name it is given, `HostName`, `User`, `Port`, the first " +
				"`IdentityFile` and `ProxyJump` override the defaults above; `nodes` overrides both. Host keys are still " +
				"checked strictly against the known_hosts file, whatever the file says. Default: none, nothing is read."),
			"nodes": schema.MapNestedAttribute{
				MarkdownDescription: "Per-node overrides, keyed by the name the schedule (or gluster, for a brick host) " +
					"gives the node, or by a jump host's name. Unset fields take the defaults above. Default: none.",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"address": opt("Address to dial instead of the name. Default: the name."),
					"port": schema.Int64Attribute{MarkdownDescription: "SSH port. Default: `ssh.port`.",
						Optional: true},
					"user":             opt("SSH user. Default: `ssh.user`."),
					"private_key_file": opt("Private key file on the controller. Default: `ssh.private_key_file`."),
					"known_hosts_file": opt("known_hosts file on the controller. Default: `ssh.known_hosts_file`."),
					"jump_host": opt(fmt.Sprintf("The host this node is reached through, instead of `ssh.jump_host`; `%s` "+
						"reaches it directly. A route that comes back to a host on it is refused at plan. Default: "+
						"`ssh.jump_host`.", schedule.NoJumpHost)),
				}},
			},
		},
	}
}
