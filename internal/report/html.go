package report

import (
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"gonum.org/v1/plot"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
)

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"dur":     dur,
	"seconds": func(s float64) string { return dur(s) },
	"time":    func(t time.Time) string { return stamp(&t) },
	"rows":    func(r benchtable.Row) int { return max(len(r.Metrics), 1) },
	"figure":  benchtable.Figure,
	"goal":    benchtable.GoalText,
	"notMet":  func(m benchtable.Metric) bool { return m.Met != nil && !*m.Met },
}).Parse(pageHTML))

// figureView is one plot on the page, or the reason there is none.
type figureView struct {
	ID, Caption string
	SVG         template.HTML
	Empty       string
}

type siteRow struct {
	Name, CopyTime, RPO, LastRun, LastDrill, RTO string
	Verified, DrillFailed                        bool
}

type pageView struct {
	At       string
	R        Report
	Problems []string
	Copies   figureView
	Sites    []siteRow

	PointsFig figureView
	Points    []sitePoints

	RPO                                figureView
	SyncSeconds, SyncBytes, Throughput figureView

	Stalls      figureView
	StallNights []night

	DrillsFig figureView
	Drills    []drill.Record

	Bench        *benchtable.Table
	BenchSource  string
	BenchProblem string
	BenchFig     figureView
}

// WriteHTML writes the report as one self-contained HTML page for the
// operator: styles inline, every plot inline SVG, nothing fetched.
func WriteHTML(w io.Writer, in Inputs) error {
	return pageTemplate.Execute(w, view(in))
}

// WriteHTMLFile writes the page to path, through path+".part" and a rename,
// so that a reader never sees half a page.
func WriteHTMLFile(path string, in Inputs) error {
	part := path + ".part"
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	err = WriteHTML(f, in)
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(part, path)
	}
	if err != nil {
		_ = os.Remove(part)
		return fmt.Errorf("report: writing %s: %w", filepath.Clean(path), err)
	}
	return nil
}

func view(in Inputs) *pageView {
	r := in.Report
	v := &pageView{At: r.At.UTC().Format(time.RFC3339), R: r, Bench: in.Bench, BenchSource: in.BenchSource, BenchProblem: in.BenchProblem}
	if r.SetsProblem != "" {
		v.Problems = append(v.Problems, "The backup sets could not be read: "+r.SetsProblem)
	}
	var sites []string
	for _, s := range r.Sites {
		sites = append(sites, s.Name)
		v.Sites = append(v.Sites, siteView(s))
	}
	ns := nights(in.Journal, in.Sets)
	v.Copies = v.figure("plot-copies", "Verified copies held against those required.", "", true)(copiesPlot(r))
	v.Points = restorePoints(r, in.Sets)
	hasPoints := slices.ContainsFunc(v.Points, func(sp sitePoints) bool { return len(sp.Points) > 0 })
	v.PointsFig = v.figure("plot-restore-points", "Each site's restore points by the time they reflect.", "No restore points yet.", hasPoints)(pointsPlot(v.Points))
	hist := rpoHistory(in.Journal, r.At)
	v.RPO = v.figure("plot-rpo", "Hours since the checkpoint of each site's newest verified copy; it drops at each new copy.", "No verified copy yet.", len(hist) > 0)(rpoPlot(hist, sites))
	none := "No nightly run yet."
	v.SyncSeconds = v.figure("plot-sync-seconds", "Seconds of gluster's checkpoint cycle per night.", none, len(ns) > 0)(
		nightPlot("Sync time per night", "seconds", ns, sites, func(n night) float64 { return n.SyncSeconds }))
	v.SyncBytes = v.figure("plot-sync-bytes", "Megabytes in each night's set.", none, len(ns) > 0)(
		nightPlot("Bytes per night", "MB", ns, sites, func(n night) float64 { return float64(n.Bytes) / 1e6 }))
	v.Throughput = v.figure("plot-throughput", "The set's bytes over the sync time.", none, len(ns) > 0)(
		nightPlot("Throughput per night", "MB/s", ns, sites, night.MBPerSecond))
	v.Stalls = v.figure("plot-stalls", "Stop/start rounds and markers written again while a checkpoint stalled, and files sent again after a first verification failed.", none, len(ns) > 0)(stallsPlot(ns))
	for _, n := range ns {
		if n.Stalls > 0 || n.ResentFiles > 0 {
			v.StallNights = append(v.StallNights, n)
		}
	}
	v.Drills = slices.Clone(in.Drills)
	slices.SortFunc(v.Drills, func(a, b drill.Record) int { return b.Time.Compare(a.Time) })
	v.DrillsFig = v.figure("plot-drills", "Minutes from the start of each restore drill to a verified, served copy.", "No restore drill yet.", len(in.Drills) > 0)(drillsPlot(in.Drills, sites))
	if in.Bench != nil {
		v.BenchFig = v.figure("plot-bench", "Ratios with a goal; the dashed line is the reference.", "", true)(benchPlot(in.Bench))
	}
	return v
}

// figure returns a function that turns a plot into the page's figure, or
// notes why it is missing.
func (v *pageView) figure(id, caption, empty string, hasData bool) func(*plot.Plot, error) figureView {
	return func(p *plot.Plot, err error) figureView {
		f := figureView{ID: id, Caption: caption, Empty: empty}
		switch {
		case err != nil:
			f.Empty = "This plot could not be drawn."
			v.Problems = append(v.Problems, fmt.Sprintf("%s: %v", id, err))
		case hasData:
			f.SVG = inlineSVG(p, id+"-svg", caption)
		}
		return f
	}
}

func siteView(s Site) siteRow {
	row := siteRow{Name: s.Name, Verified: s.VerifiedCopy, CopyTime: stamp(s.CopyTime), RPO: "-", LastRun: s.LastRunResult,
		LastDrill: "never", RTO: "-", DrillFailed: s.LastDrillFailed}
	if s.RPOSeconds != nil {
		row.RPO = dur(*s.RPOSeconds)
	}
	if s.LastDrillPassed != nil {
		row.LastDrill = stamp(s.LastDrillPassed)
	}
	if s.LastDrillFailed {
		row.LastDrill += " (newest drill FAILED)"
	}
	if s.DrilledRTOSeconds != nil {
		row.RTO = dur(*s.DrilledRTOSeconds)
	}
	return row
}

func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}

// LoadBench fills in the newest `make bench` table from path (a results
// file, or the folder of them), or why there is none.
func (in *Inputs) LoadBench(path string) {
	t, source, err := benchtable.Newest(path)
	if err != nil {
		in.BenchProblem = err.Error()
		return
	}
	in.Bench, in.BenchSource = t, source
}
