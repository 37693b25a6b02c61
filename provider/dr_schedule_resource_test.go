//go:build lab

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glusterdr/terraform-provider-gluster/internal/backupset"
	"github.com/glusterdr/terraform-provider-gluster/internal/journal"
	"github.com/glusterdr/terraform-provider-gluster/internal/lab"
	"github.com/glusterdr/terraform-provider-gluster/internal/retention"
	"github.com/glusterdr/terraform-provider-gluster/internal/trigger"
)

// scheduleEnv is where one test's schedule lives on p1: its own file,
// state_dir and backup folder, so that nothing else on p1 is touched.
type scheduleEnv struct {
	path, stateDir, backupDir string
}

func newScheduleEnv() scheduleEnv {
	s := strings.ToLower(acctest.RandStringFromCharSet(6, acctest.CharSetAlphaNum))
	return scheduleEnv{
		path:      "/etc/glusterdr/tfacc-" + s + ".hcl",
		stateDir:  "/var/lib/glusterdr-tfacc-" + s,
		backupDir: path.Join(lab.MountPath, "tfacc-"+s, "backup"),
	}
}

// scheduleConfig is a dr_schedule on p1 for the lab's two sites, and the
// sdsc sets in its backup folder.
func scheduleConfig(l *accLab, e scheduleEnv, cron, timeZone string, daily int) string {
	return l.providerConfig() + fmt.Sprintf(`
resource "dr_schedule" "test" {
  provider        = gluster
  controller_node = %[1]q
  path            = %[2]q
  cron            = %[3]q
  time_zone       = %[4]q
  state_dir       = %[5]q

  primary = {
    volume     = "global"
    node       = %[1]q
    backup_dir = %[6]q
  }
  targets = [
    { name = "sdsc", secondary_host = %[7]q, secondary_volume = "global-dr", verify_node = %[8]q },
    { name = "tacc", secondary_host = %[9]q, secondary_volume = "global-dr" },
  ]
  retention = { daily = %[10]d }
  etcd      = { endpoints = %[11]q }
}

data "dr_backup_sets" "sdsc" {
  provider     = gluster
  primary_node = dr_schedule.test.primary.node
  backup_dir   = dr_schedule.test.primary.backup_dir
  target       = "sdsc"
}
`, l.addr("p1"), e.path, cron, timeZone, e.stateDir, e.backupDir, l.addr("sdsc1"), l.addr("sdsc2"), l.addr("tacc1"),
		daily, l.d.Etcd.Endpoints)
}

// TestAccSchedule runs dr_schedule through its life on p1: create (the
// file, mode 0640, and the cron entry p1 gets without systemd), import,
// update in place, drift of the file (edited, comment only, removed) and
// of the trigger (removed), each repaired by apply, and a destroy that
// leaves the backup sets and the journal alone.
func TestAccSchedule(t *testing.T) {
	l := newAccLab(t)
	ctx := context.Background()
	e := newScheduleEnv()
	const addr = "dr_schedule.test"
	p1 := l.files("p1")
	t.Cleanup(func() {
		l.removeAll("p1", e.path, e.stateDir, path.Dir(e.backupDir), trigger.CronFile)
	})
	l.removeAll("p1", trigger.CronFile) // one schedule per controller: a leftover would be ours

	// A set in the backup folder and a journal entry, as a nightly run
	// leaves them: last_run reads the one, dr_backup_sets the other, and
	// destroy must leave both.
	store := backupset.Store{Files: p1, Dir: e.backupDir}
	set := backupset.New(time.Now().Add(-time.Hour), "sdsc", retention.Full, "")
	l.must(store.Create(ctx, set))
	set.Status = retention.Verified
	set.Verification = &backupset.Verification{Verified: true, At: time.Now().Add(-50 * time.Minute)}
	l.must(store.Write(ctx, set))
	entry, err := json.Marshal(journal.Entry{Time: time.Now().Add(-50 * time.Minute), Set: set.ID, Target: "sdsc",
		Tier: "daily", Kind: "full", Result: journal.ResultVerified, Started: set.Opened, Seconds: 14.5,
		CheckpointTime: set.Opened.Add(2 * time.Second)})
	l.must(err)
	l.writeFile("p1", path.Join(e.stateDir, journal.FileName), string(entry)+"\n", 0o640)

	wantRunner := trigger.RunnerGlusterdr
	if l.collectionInstalled("p1") {
		wantRunner = trigger.RunnerPlaybook
	}
	cfg := scheduleConfig(l, e, "0 2 * * *", "UTC", 7)
	cfgUpdated := scheduleConfig(l, e, "30 3 * * 1-5", "Europe/Berlin", 5)

	liveFile := func(check func(content string, mode fs.FileMode) error) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			info, err := p1.Stat(ctx, e.path)
			if err != nil {
				return err
			}
			data, _ := l.readFile("p1", e.path)
			rs := s.RootModule().Resources[addr].Primary.Attributes
			if got := sha256Hex(data); got != rs["sha256"] {
				return fmt.Errorf("the file's sha256 is %s, state says %s", got, rs["sha256"])
			}
			return check(string(data), info.Mode().Perm())
		}
	}
	liveCron := func(wantLine string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			data, found := l.readFile("p1", trigger.CronFile)
			if !found {
				return fmt.Errorf("no %s on p1", trigger.CronFile)
			}
			_, command, err := trigger.CronJob(string(data))
			if err != nil {
				return err
			}
			if !strings.Contains(string(data), wantLine) || !strings.Contains(command, e.path) {
				return fmt.Errorf("%s on p1 lacks %q or runs %q:\n%s", trigger.CronFile, wantLine, command, data)
			}
			return nil
		}
	}
	drift := func(change func(), before []any, want any, action plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			PreConfig:          change,
			Config:             cfgUpdated,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, action),
				expectBefore{addr: addr, path: before, want: want},
			}},
		}
	}
	var edited []byte

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		CheckDestroy: func(*terraform.State) error {
			if _, found := l.readFile("p1", e.path); found {
				return fmt.Errorf("%s is still on p1 after destroy", e.path)
			}
			if _, found := l.readFile("p1", trigger.CronFile); found {
				return fmt.Errorf("%s is still on p1 after destroy", trigger.CronFile)
			}
			listing, err := store.List(ctx)
			if err != nil || len(listing.Sets) != 1 || listing.Sets[0].ID != set.ID {
				return fmt.Errorf("backup sets after destroy: %+v, %v; want %s untouched", listing.Sets, err, set.ID)
			}
			if _, found := l.readFile("p1", path.Join(e.stateDir, journal.FileName)); !found {
				return errors.New("destroy removed the journal")
			}
			return nil
		},
		Steps: []resource.TestStep{
			// 1. Create: the file (mode 0640, canonical, defaults written
			// out), the cron entry (no systemd on p1), the runner p1 calls
			// for, next runs, and last_run from the journal.
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "id", l.addr("p1")+e.path),
					resource.TestCheckResourceAttr(addr, "trigger", trigger.Cron),
					resource.TestCheckResourceAttr(addr, "runner", wantRunner),
					resource.TestCheckResourceAttr(addr, "trigger_files.0", trigger.CronFile),
					resource.TestCheckResourceAttr(addr, "lock_file", e.stateDir+"/run.lock"),
					resource.TestCheckResourceAttr(addr, "run_timeout", "5h"),
					resource.TestCheckResourceAttr(addr, "targets.1.verify_node", l.addr("tacc1")),
					resource.TestCheckResourceAttr(addr, "next_runs.#", "3"),
					resource.TestMatchResourceAttr(addr, "next_runs.0", regexpMust(`T02:00:00Z$`)),
					resource.TestCheckResourceAttr(addr, "last_run.set", set.ID),
					resource.TestCheckResourceAttr(addr, "last_run.result", journal.ResultVerified),
					resource.TestMatchResourceAttr(addr, "last_run.rpo_seconds", regexpMust(`^3[5-9][0-9]{2}$`)),
					resource.TestMatchResourceAttr(addr, "trigger_sha256", regexpMust(`^[0-9a-f]{64}$`)),
					resource.TestCheckResourceAttr("data.dr_backup_sets.sdsc", "sets.#", "1"),
					resource.TestCheckResourceAttr("data.dr_backup_sets.sdsc", "newest_verified", set.ID),
					liveFile(func(content string, mode fs.FileMode) error {
						if mode != scheduleFileMode || !strings.Contains(content, `cron                   = "0 2 * * *"`) ||
							!strings.Contains(content, `verify_node        = "`+l.addr("sdsc2")+`"`) {
							return fmt.Errorf("file mode %v:\n%s", mode, content)
						}
						return nil
					}),
					// The night's deadline: run_timeout (5h) and 5m, SIGKILL 3m later.
					liveCron("\n0 2 * * * root timeout -k 180s 18300s "),
				),
			},
			// 2. Import by id.
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "last_run.rpo_seconds"},
			},
			// 3. Update in place: cron, time zone and retention; file and
			// trigger rewritten.
			{
				Config: cfgUpdated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "retention.daily", "5"),
					resource.TestMatchResourceAttr(addr, "next_runs.0", regexpMust(`T03:30:00\+0[12]:00$`)),
					liveFile(func(content string, _ fs.FileMode) error {
						if !strings.Contains(content, `"30 3 * * 1-5"`) || !strings.Contains(content, `"Europe/Berlin"`) {
							return fmt.Errorf("file not updated:\n%s", content)
						}
						return nil
					}),
					liveCron("CRON_TZ=Europe/Berlin\n30 3 * * 1-5 root "),
				),
			},
			// ...and a systemd timer asked for on p1, which runs no systemd,
			// is refused before anything there changes.
			{
				Config: strings.Replace(cfgUpdated, "provider        = gluster", "provider        = gluster\n  trigger         = \"systemd\"", 1),
				ExpectError: errorSaying(fmt.Sprintf(`trigger = "systemd", but systemd is not running on %s (no /run/systemd/system), so nothing was changed there`,
					l.addr("p1"))),
			},
			{Config: cfgUpdated, Check: liveCron("\n30 3 * * 1-5 root ")},
			// 4. Drift: the file edited by hand; plan shows the setting and
			// the sha256.
			drift(func() {
				data, _ := l.readFile("p1", e.path)
				edited = []byte(strings.Replace(string(data), `"30 3 * * 1-5"`, `"0 5 * * *"`, 1))
				l.writeFile("p1", e.path, string(edited), scheduleFileMode)
			}, []any{"cron"}, "0 5 * * *", plancheck.ResourceActionUpdate),
			{Config: cfgUpdated, Check: liveFile(func(content string, _ fs.FileMode) error {
				if !strings.Contains(content, `"30 3 * * 1-5"`) {
					return fmt.Errorf("file not repaired:\n%s", content)
				}
				return nil
			})},
			// 5. Drift: only a comment added; the sha256 tells.
			drift(func() {
				data, _ := l.readFile("p1", e.path)
				edited = append(data, "# tuned by hand\n"...)
				l.writeFile("p1", e.path, string(edited), scheduleFileMode)
			}, []any{"sha256"}, func() string { return sha256Hex(edited) }, plancheck.ResourceActionUpdate),
			{Config: cfgUpdated, ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			// 6. Drift: the cron entry deleted.
			drift(func() { l.removeAll("p1", trigger.CronFile) }, []any{"trigger_sha256"}, "", plancheck.ResourceActionUpdate),
			{Config: cfgUpdated, Check: liveCron("\n30 3 * * 1-5 root ")},
			// 7. Drift: the file removed; plan proposes to write it again.
			drift(func() { l.removeAll("p1", e.path) }, []any{}, nil, plancheck.ResourceActionCreate),
			{Config: cfgUpdated, Check: liveFile(func(string, fs.FileMode) error { return nil })},
		},
	})
}
