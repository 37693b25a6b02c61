//go:build lab

package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glusterdr/terraform-provider-gluster/internal/hostile"
)

// TestAccHostileInput runs the catalogue of hostile values (internal/hostile)
// through real `terraform plan`, into every attribute that reaches a host
// (tfFields, checked against the schemas). For each row, one plan sets every
// attribute to the row's value, each in a block of its own: every attribute
// whose kind refuses the value must have a diagnostic naming it, and no
// other may have one; the attributes of resources that take it then plan,
// alone, to a non-empty plan. A row that is not UTF-8 cannot reach the
// provider at all: Terraform refuses the file where the bytes are, which is
// tried attribute by attribute. No node is contacted, and no file may
// appear under /tmp: the test runs in a /tmp of its own, snapshotted before
// and after. The CLI's flags and the schedule file are
// cmd/glusterdr/hostile_test.go.
func TestAccHostileInput(t *testing.T) {
	accPreCheck(t)
	if !hostile.InPrivateTmp(t) {
		return
	}
	tfFieldsCoverSchema(t)
	before := hostile.TmpSnapshot(t)
	var refused, accepted, plans int
	texts := slices.DeleteFunc(slices.Clone(tfFields), func(f tfField) bool { return f.kind == hostile.Count })
	counts := slices.DeleteFunc(slices.Clone(tfFields), func(f tfField) bool { return f.kind != hostile.Count })
	for _, v := range hostile.Values {
		t.Run(v.Name, func(t *testing.T) {
			if !v.UTF8() {
				for i, f := range texts {
					encodingRefused(t, i, f, v)
					refused++
					plans++
				}
				return
			}
			takes := func(f tfField) bool { return v.ValidFor(f.kind) }
			literal := func(f tfField) string { return hostile.HCLString(f.value(v.Text)) }
			if len(v.Text) > 4096 {
				// Terraform takes minutes to render a hundred diagnostics
				// that each quote a huge value from one file, and seconds
				// for ten.
				for chunk := range slices.Chunk(texts, 10) {
					r, a := planFields(t, chunk, takes, literal)
					refused, accepted, plans = refused+r, accepted+a, plans+1+min(a, 1)
				}
				return
			}
			r, a := planFields(t, texts, takes, literal)
			refused, accepted, plans = refused+r, accepted+a, plans+1+min(a, 1)
		})
	}
	for _, n := range hostile.Counts {
		t.Run(n.Name, func(t *testing.T) {
			r, a := planFields(t, counts, func(f tfField) bool { return f.bounds.Takes(n.N) },
				func(tfField) string { return strconv.FormatInt(n.N, 10) })
			refused, accepted, plans = refused+r, accepted+a, plans+1+min(a, 1)
		})
	}
	hostile.CheckTmp(t, "terraform plan", before)
	t.Logf("terraform face: %d attributes (%d of text, %d numbers) given %d string values or %d numbers, %d plans: %d refused, %d accepted",
		len(tfFields), len(texts), len(counts), len(hostile.Values), len(hostile.Counts), plans, refused, accepted)
}

func (f tfField) value(v string) string {
	if f.wrap != nil {
		return f.wrap(v)
	}
	return v
}

// planFields plans fields, each given literal in blocks of its own, and
// checks the diagnostics: one naming every field that takes is false for,
// none about the others. It returns how many were refused and accepted.
func planFields(t *testing.T, fields []tfField, takes func(tfField) bool, literal func(tfField) string) (int, int) {
	t.Helper()
	var config strings.Builder
	config.WriteString(tfHeader)
	var acceptedConfig strings.Builder
	acceptedConfig.WriteString(tfHeader)
	var refused, accepted, acceptedResources int
	for i, f := range fields {
		block := f.render(blockName(i), literal(f)) + "\n"
		config.WriteString(block)
		if takes(f) {
			accepted++
			if f.what == "resource" {
				acceptedConfig.WriteString(block)
				acceptedResources++
			}
		} else {
			refused++
		}
	}
	var planErr error
	runPlan(t, config.String(), func(err error) error { planErr = err; return nil })
	if planErr == nil {
		t.Fatal("the plan passed: every attribute took the value")
	}
	diags := errorsByBlock(planErr.Error())
	for i, f := range fields {
		mine := diags[blockName(i)]
		switch {
		case !takes(f) && !slices.ContainsFunc(mine, func(d string) bool { return names(d, f) }):
			t.Errorf("%s (%s): refused without a diagnostic naming %s; its diagnostics: %q", f.at, f.kind, f.diag, mine)
		case takes(f) && len(mine) > 0:
			t.Errorf("%s (%s): a value it takes was refused: %q", f.at, f.kind, mine)
		}
	}
	if acceptedResources > 0 && !t.Failed() {
		runPlan(t, acceptedConfig.String(), nil)
	}
	return refused, accepted
}

// encodingRefused plans field f alone with row v, which is not UTF-8, and
// requires Terraform's refusal of the file at the value's line, in f's
// block. Terraform is run by hand here: terraform-plugin-testing cannot
// clean up after a configuration that does not load (it reads the state
// back through it), and Terraform refuses the file before it needs a
// provider.
func encodingRefused(t *testing.T, i int, f tfField, v hostile.Value) {
	t.Helper()
	const sentinel = `"SENTINEL"`
	var lines []string
	for n, l := range strings.Split(tfHeader+f.render(blockName(i), sentinel), "\n") {
		if strings.Contains(l, sentinel) {
			lines = append(lines, strconv.Itoa(n+1))
		}
	}
	in := fmt.Sprintf(`in (resource|data) "[a-z_]+" "%s"`, blockName(i))
	if f.what == "provider" {
		in = `in provider "gluster"`
	}
	want := regexp.MustCompile(`Invalid character encoding\s+on main\.tf line (` + strings.Join(lines, "|") + `), ` + in)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tfHeader+f.render(blockName(i), hostile.HCLString(f.value(v.Text)))), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "plan", "-input=false", "-no-color")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil || !want.Match(out) {
		t.Errorf("%s: not refused for its encoding at line %q in block %s (err %v):\n%.1000s", f.at, lines, blockName(i), err, out)
	}
}

// runPlan plans config with real Terraform; check gets the plan's error
// (nil: the plan must succeed, with changes).
func runPlan(t *testing.T, config string, check func(error) error) {
	t.Helper()
	step := resource.TestStep{Config: config, PlanOnly: true, ExpectNonEmptyPlan: true}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"gluster": providerserver.NewProtocol6WithError(newProvider("acc")),
		},
		ErrorCheck: check,
		Steps:      []resource.TestStep{step},
	})
}

const tfHeader = `terraform {
  required_providers {
    gluster = { source = "glusterdr/gluster" }
  }
}
provider "gluster" {
  password         = "unused"
  known_hosts_file = "/dev/null"
}
`

// blockName names field i's blocks; it ends with '_' so that no name is
// the start of another.
func blockName(i int) string { return fmt.Sprintf("hostile_%03d_", i) }

// errorsByBlock splits Terraform's output into its error diagnostics, by
// the name of the block each is about ("with dr_schedule.NAME,",
// `with provider["…"].NAME,`).
func errorsByBlock(out string) map[string][]string {
	byBlock := map[string][]string{}
	for _, d := range regexp.MustCompile(`(?m)^\s*Error: `).Split(out, -1)[1:] {
		if m := blockRE.FindStringSubmatch(d); m != nil {
			byBlock[m[1]] = append(byBlock[m[1]], d)
		}
	}
	return byBlock
}

var blockRE = regexp.MustCompile(`with [^\n]*\.(hostile_\d{3}_),`)

// names reports whether diagnostic d names f's attribute: as the provider
// and the engine do ("Attribute volume.bricks[0] …"), or as Terraform's type
// check does (`attribute "replica_count"`).
func names(d string, f tfField) bool {
	d = strings.Join(strings.Fields(d), " ")
	last := f.diag[strings.LastIndex(f.diag, ".")+1:]
	if i := strings.IndexAny(last, "[\""); i > 0 {
		last = last[:i]
	}
	return strings.Contains(d, "Attribute "+f.diag) || strings.Contains(d, `attribute "`+last+`"`)
}

// tfFieldsCoverSchema fails for every attribute a user sets, in the
// provider's schema and every resource's and data source's, that is neither
// in tfFields nor in tfWithoutHostileInput.
func tfFieldsCoverSchema(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	p := newProvider("test")
	var settable []string
	var pr fwprovider.SchemaResponse
	p.Schema(ctx, fwprovider.SchemaRequest{}, &pr)
	walkProvider("provider", pr.Schema.Attributes, &settable)
	for _, nr := range p.Resources(ctx) {
		r := nr()
		var m fwresource.MetadataResponse
		r.Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: "gluster"}, &m)
		var sr fwresource.SchemaResponse
		r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
		walkResource(m.TypeName, sr.Schema.Attributes, &settable)
	}
	for _, nd := range p.DataSources(ctx) {
		d := nd()
		var m datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "gluster"}, &m)
		var sr datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sr)
		walkData(m.TypeName, sr.Schema.Attributes, &settable)
	}
	for _, a := range settable {
		if !slices.ContainsFunc(tfFields, func(f tfField) bool { return f.at == a }) && !slices.Contains(tfWithoutHostileInput, a) {
			t.Errorf("%s is settable but not in the catalogue's attributes (tfFields) nor among those without hostile input", a)
		}
	}
	if len(settable) < 100 {
		t.Fatalf("only %d settable attributes found in the schemas: %q", len(settable), settable)
	}
}

type settableAttr interface {
	IsRequired() bool
	IsOptional() bool
}

func settableName(prefix, name string, a settableAttr, out *[]string) {
	if a.IsRequired() || a.IsOptional() {
		*out = append(*out, prefix+"."+name)
	}
}

func walkResource(prefix string, attrs map[string]rschema.Attribute, out *[]string) {
	for name, a := range attrs {
		switch n := a.(type) {
		case rschema.SingleNestedAttribute:
			walkResource(prefix+"."+name, n.Attributes, out)
		case rschema.ListNestedAttribute:
			walkResource(prefix+"."+name, n.NestedObject.Attributes, out)
		case rschema.MapNestedAttribute:
			settableName(prefix, name, a, out) // the map's keys are hosts
			walkResource(prefix+"."+name, n.NestedObject.Attributes, out)
		default:
			settableName(prefix, name, a, out)
		}
	}
}

func walkData(prefix string, attrs map[string]dsschema.Attribute, out *[]string) {
	for name, a := range attrs {
		if n, ok := a.(dsschema.SingleNestedAttribute); ok {
			walkData(prefix+"."+name, n.Attributes, out)
			continue
		}
		settableName(prefix, name, a, out)
	}
}

func walkProvider(prefix string, attrs map[string]pschema.Attribute, out *[]string) {
	for name, a := range attrs {
		switch n := a.(type) {
		case pschema.SingleNestedAttribute:
			walkProvider(prefix+"."+name, n.Attributes, out)
		case pschema.MapNestedAttribute:
			settableName(prefix, name, a, out) // the map's keys are hosts
			walkProvider(prefix+"."+name, n.NestedObject.Attributes, out)
		default:
			settableName(prefix, name, a, out)
		}
	}
}
