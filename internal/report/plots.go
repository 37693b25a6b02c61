package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"image/color"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/glusterdr/terraform-provider-gluster/internal/benchtable"
	"github.com/glusterdr/terraform-provider-gluster/internal/drill"
)

// The size of every plot on the page.
const plotWidth, plotHeight = 17 * vg.Centimeter, 7 * vg.Centimeter

var (
	green = color.RGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	red   = color.RGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	grey  = color.RGBA{R: 0x75, G: 0x75, B: 0x75, A: 0xff}
)

// inlineSVG draws p as SVG for the page: the XML prolog of a standalone
// file is dropped, and the element gets an id and an accessible label.
func inlineSVG(p *plot.Plot, id, label string) template.HTML {
	c := vgsvg.New(plotWidth, plotHeight)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return template.HTML(fmt.Sprintf(`<p class="problem">%s: %s</p>`, html.EscapeString(label), html.EscapeString(err.Error())))
	}
	s := b.String()
	s = s[strings.Index(s, "<svg"):]
	s = strings.Replace(s, "<svg", fmt.Sprintf(`<svg id="%s" class="plot" role="img" aria-label="%s"`, id, html.EscapeString(label)), 1)
	return template.HTML(s) // made by vgsvg, which escapes every text it draws
}

func newPlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	return p
}

func timeAxis(p *plot.Plot) {
	p.X.Tick.Marker = plot.TimeTicks{Format: "2006-01-02\n15:04"}
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

// series is one named line of a time plot.
type series struct {
	name string
	xys  plotter.XYs
}

// roomForLegend raises the top of the y axis so that the legend, drawn in
// the top right corner, covers no data.
func roomForLegend(p *plot.Plot) {
	if p.Y.Max > 0 {
		p.Y.Max *= 1.3
	}
}

// addLines adds each series as a line with points, one color each.
func addLines(p *plot.Plot, ss []series) error {
	defer roomForLegend(p)
	for i, s := range ss {
		l, pts, err := plotter.NewLinePoints(s.xys)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		l.Color, pts.Color = plotutil.Color(i), plotutil.Color(i)
		pts.Shape = plotutil.Shape(i)
		p.Add(l, pts)
		p.Legend.Add(s.name, l, pts)
	}
	return nil
}

// copiesPlot sets the copies held against those the audits require.
func copiesPlot(r Report) (*plot.Plot, error) {
	p := newPlot("Geographically separate verified copies", "copies")
	bars, err := plotter.NewBarChart(plotter.Values{float64(r.Copies), float64(r.RequiredCopies)}, vg.Centimeter)
	if err != nil {
		return nil, err
	}
	bars.Color = red
	if r.CopiesMet {
		bars.Color = green
	}
	p.Add(bars)
	p.NominalX("held (primary + verified sites)", "required by audits")
	p.X.Min, p.X.Max = -0.75, 1.75
	p.Y.Min, p.Y.Max = 0, float64(max(r.Copies, r.RequiredCopies))+0.5
	return p, nil
}

// rpoPlot draws each site's RPO over time, in hours.
func rpoPlot(hist map[string][]rpoPoint, sites []string) (*plot.Plot, error) {
	p := newPlot("RPO per site: age of the newest verified copy", "hours")
	timeAxis(p)
	var ss []series
	for _, site := range sites {
		var xys plotter.XYs
		for _, pt := range hist[site] {
			xys = append(xys, plotter.XY{X: unix(pt.at), Y: pt.rpo.Hours()})
		}
		if len(xys) > 0 {
			ss = append(ss, series{site, xys})
		}
	}
	p.Y.Min = 0
	return p, addLines(p, ss)
}

// nightPlot draws one figure of every night, per target.
func nightPlot(title, ylabel string, ns []night, sites []string, value func(night) float64) (*plot.Plot, error) {
	p := newPlot(title, ylabel)
	timeAxis(p)
	var ss []series
	for _, site := range sites {
		var xys plotter.XYs
		for _, n := range ns {
			if n.Target == site {
				xys = append(xys, plotter.XY{X: unix(n.At), Y: value(n)})
			}
		}
		if len(xys) > 0 {
			ss = append(ss, series{site, xys})
		}
	}
	p.Y.Min = 0
	return p, addLines(p, ss)
}

// stallsPlot draws the stalls and resent files of every night.
func stallsPlot(ns []night) (*plot.Plot, error) {
	p := newPlot("Stalls (stop/start rounds and extra markers) and files resent, per night", "count")
	timeAxis(p)
	var stalls, resent plotter.XYs
	for _, n := range ns {
		stalls = append(stalls, plotter.XY{X: unix(n.At), Y: float64(n.Stalls)})
		resent = append(resent, plotter.XY{X: unix(n.At), Y: float64(n.ResentFiles)})
	}
	p.Y.Min = 0
	return p, addLines(p, []series{{"stalls", stalls}, {"files resent", resent}})
}

// drillsPlot draws the RTO of each restore drill, per site; a failed
// drill is a red cross.
func drillsPlot(records []drill.Record, sites []string) (*plot.Plot, error) {
	p := newPlot("Restore drills: measured RTO", "minutes")
	timeAxis(p)
	for i, site := range sites {
		var passed, failed plotter.XYs
		for _, r := range records {
			if r.Site != site {
				continue
			}
			xy := plotter.XY{X: unix(r.Time), Y: r.RTOSeconds / 60}
			if r.Passed {
				passed = append(passed, xy)
			} else {
				failed = append(failed, xy)
			}
		}
		if len(passed) > 0 {
			s, err := plotter.NewScatter(passed)
			if err != nil {
				return nil, err
			}
			s.Color, s.Shape, s.Radius = plotutil.Color(i), draw.CircleGlyph{}, vg.Points(4)
			p.Add(s)
			p.Legend.Add(site+" passed", s)
		}
		if len(failed) > 0 {
			s, err := plotter.NewScatter(failed)
			if err != nil {
				return nil, err
			}
			s.Color, s.Shape, s.Radius = red, draw.CrossGlyph{}, vg.Points(5)
			p.Add(s)
			p.Legend.Add(site+" FAILED", s)
		}
	}
	p.Y.Min = 0
	roomForLegend(p)
	return p, nil
}

// pointsPlot draws the points in time each site can be restored to.
func pointsPlot(sps []sitePoints) (*plot.Plot, error) {
	p := newPlot("Restore points per site (verified: filled; not verified: cross)", "")
	timeAxis(p)
	var names []string
	for i, sp := range sps {
		names = append(names, sp.Site)
		var ok, bad plotter.XYs
		for _, pt := range sp.Points {
			xy := plotter.XY{X: unix(pt.AsOf), Y: float64(i)}
			if pt.Verified {
				ok = append(ok, xy)
			} else {
				bad = append(bad, xy)
			}
		}
		for _, g := range []struct {
			xys   plotter.XYs
			shape draw.GlyphDrawer
			c     color.Color
		}{{ok, draw.CircleGlyph{}, green}, {bad, draw.CrossGlyph{}, red}} {
			if len(g.xys) == 0 {
				continue
			}
			s, err := plotter.NewScatter(g.xys)
			if err != nil {
				return nil, err
			}
			s.Shape, s.Color, s.Radius = g.shape, g.c, vg.Points(4)
			p.Add(s)
		}
	}
	p.NominalY(names...)
	return p, nil
}

// benchPlot draws each measured ratio that has a goal, beside 1 (as fast
// as the reference).
func benchPlot(t *benchtable.Table) (*plot.Plot, error) {
	p := newPlot("make bench: glusterdr over its reference (ratio of medians)", "ratio")
	var values plotter.Values
	var names []string
	var met []bool
	for _, r := range t.Rows {
		for _, m := range r.Metrics {
			if m.Goal == nil {
				continue
			}
			values = append(values, m.Ratio)
			names = append(names, shorten(r.Name, 28))
			met = append(met, m.Met != nil && *m.Met)
		}
	}
	if len(values) == 0 {
		return p, nil
	}
	for i, v := range values {
		one := make(plotter.Values, len(values)) // one bar per chart, so each gets its own color
		one[i] = v
		bars, err := plotter.NewBarChart(one, vg.Centimeter)
		if err != nil {
			return nil, err
		}
		bars.Color = red
		if met[i] {
			bars.Color = green
		}
		p.Add(bars)
	}
	unity, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 1}, {X: float64(len(values)) - 0.5, Y: 1}})
	if err != nil {
		return nil, err
	}
	unity.Color, unity.Dashes = grey, []vg.Length{vg.Points(4), vg.Points(4)}
	p.Add(unity)
	p.NominalX(names...)
	p.Y.Min = 0
	return p, nil
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
