package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/glusterdr/terraform-provider-gluster/internal/valid"
	"github.com/glusterdr/terraform-provider-gluster/internal/version"
)

func newManCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write the manual pages, one per command, into DIR",
		Long: `Man writes glusterdr.1 and a page for every command (glusterdr-run.1, …) into DIR,
made from the same help as --help. The release's packages install them; from a build of
your own, write them where man looks. SOURCE_DATE_EPOCH sets their date.`,
		Example: `  glusterdr man /usr/local/share/man/man1 && man glusterdr-run
  glusterdr man ./man`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			dir := args[0]
			if err := valid.LocalPath(dir); err != nil {
				return &usageError{fmt.Errorf("DIR: %w", err)}
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			header := &doc.GenManHeader{Title: "GLUSTERDR", Section: "1", Source: "glusterdr " + version.Version(),
				Manual: "glusterdr manual"}
			root := c.Root()
			root.DisableAutoGenTag = true
			if err := doc.GenManTree(root, header, dir); err != nil {
				return fmt.Errorf("writing the manual pages into %s: %w", dir, err)
			}
			return nil
		},
	}
}
