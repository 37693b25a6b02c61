package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/glusterdr/terraform-provider-gluster/internal/gluster"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
)

func newLabCommand(g *globals) *cobra.Command {
	var instance int
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "A real GlusterFS DR topology on this machine (root): primary, sdsc and tacc",
		Example: `  glusterdr lab up && glusterdr lab status
  glusterdr lab up --instance 1
  glusterdr lab down --instance 1`,
	}
	def, _ := lab.InstanceFromEnv()
	cmd.PersistentFlags().IntVar(&instance, "instance", int(def),
		"which of the machine's labs: 0, 1 or 2, each on its own RFC 5737 block (default $GLUSTERDR_LAB_INSTANCE or 0)")
	opts := func() lab.Options { return lab.Options{Instance: lab.Instance(instance), Log: g.logger()} }
	dir := func() string { return lab.Instance(instance).Dir() }

	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Bring the lab up, or check the one that is up",
		Example: `  glusterdr lab up
  glusterdr lab up --instance 2 --json`,
		RunE: func(c *cobra.Command, _ []string) error {
			d, err := lab.Up(c.Context(), opts())
			if err != nil {
				return err
			}
			return printResult(g, c.OutOrStdout(), d, printNodes, nil)
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "down",
		Short: "Remove every namespace, process, mount, bridge and file of the lab",
		Example: `  glusterdr lab down
  glusterdr lab down --instance 2`,
		RunE: func(c *cobra.Command, _ []string) error {
			return lab.Down(c.Context(), opts())
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "status",
		Short: "Say what of the lab is running",
		Example: `  glusterdr lab status
  glusterdr lab status --instance 1 --json`,
		RunE: func(c *cobra.Command, _ []string) error {
			d, err := lab.Load(dir())
			if err != nil {
				return err
			}
			st := lab.Inspect(c.Context(), d)
			if !st.Healthy() {
				err = fmt.Errorf("the lab is not healthy: %d problem(s); `glusterdr lab up` rebuilds it", len(st.Problems()))
			}
			return printResult(g, c.OutOrStdout(), st, printChecks, err)
		},
	})
	cmd.AddCommand(newLabDemoCommand(g, dir))
	cmd.AddCommand(newLabIsolateCommand(dir))
	return cmd
}

// newLabIsolateCommand puts a node behind the bastion, or takes it out.
func newLabIsolateCommand(dir func() string) *cobra.Command {
	var reopen bool
	cmd := &cobra.Command{
		Use:   "isolate NODE",
		Short: "Make a node reachable from this machine only through the bastion (or again directly, with --reopen)",
		Example: `  glusterdr lab isolate tacc1
  glusterdr lab isolate --reopen tacc1`,
		Long: `Isolate cuts this machine, the controller of the lab's nightly runs, off from NODE: a
prohibit route in the node's network namespace to this machine's address on the lab
bridge. The bastion and the other nodes still reach it (p1's gsyncd and glusterd
traffic to the site is untouched), so the engine reaches it through the bastion, as
a schedule whose ssh block names the bastion as the node's jump host says. lab up
does not isolate anything: the provider's and the collection's tests reach tacc1
directly. lab down removes the route with the node.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := gluster.ValidHost(args[0]); err != nil {
				return &usageError{fmt.Errorf("NODE: %s", plainInvalid(err))}
			}
			d, err := lab.Load(dir())
			if err != nil {
				return err
			}
			if reopen {
				return lab.Reopen(c.Context(), d, args[0])
			}
			return lab.Isolate(c.Context(), d, args[0])
		},
	}
	cmd.Flags().BoolVar(&reopen, "reopen", false, "let this machine reach the node directly again")
	return cmd
}

func printNodes(w io.Writer, d *lab.Description) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSITE\tADDRESS\tNETNS")
	for _, n := range d.Nodes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n.Name, n.Site, n.Address, n.Netns)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nSSH key %s, known hosts %s\netcd %v\ndescription %s/lab.json\n",
		d.SSH.PrivateKeyFile, d.SSH.KnownHostsFile, d.Etcd.Endpoints, d.Dir)
	if len(d.Isolated) > 0 {
		fmt.Fprintf(w, "reached only through the bastion: %v\n", d.Isolated)
	}
}

func printChecks(w io.Writer, st lab.Status) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tCHECK\tOK\tDETAIL")
	for _, c := range st.Checks {
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", c.Node, c.What, c.OK, c.Detail)
	}
	tw.Flush()
}
