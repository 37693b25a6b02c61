package report

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chromium is Debian's headless browser; `make deps` installs it.
const chromium = "/usr/bin/chromium"

// plotIDs are the figures the page must show when every kind of data is there.
var plotIDs = []string{"plot-copies", "plot-restore-points", "plot-rpo", "plot-sync-seconds", "plot-sync-bytes",
	"plot-throughput", "plot-stalls", "plot-drills", "plot-bench"}

// headless runs chromium on a page with a fresh profile and no network
// beyond the file, and returns what it printed on stdout and stderr.
func headless(t *testing.T, page string, args ...string) (stdout, stderr string) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s is missing (%v): run `make deps`, which installs Debian's chromium", chromium, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	argv := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}, args...)
	cmd := exec.CommandContext(ctx, chromium, append(argv, "file://"+page)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) } // its helpers too
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errs.String())
	}
	return out.String(), errs.String()
}

// consoleMessages are the lines chromium logs for the page's console: a
// page without scripts logs one only for an error, such as an SVG
// attribute it cannot parse.
func consoleMessages(stderr string) []string {
	var msgs []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, ":CONSOLE") {
			msgs = append(msgs, line)
		}
	}
	return msgs
}

func TestHTMLPageIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, fortnight()); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, banned := range []string{"<script", "<link", "<img", "<iframe", "src=", "url(", "@import"} {
		if strings.Contains(page, banned) {
			t.Errorf("the page contains %q: it must need nothing but itself", banned)
		}
	}
	// The only addresses are the SVG namespaces, which are names, never fetched.
	for _, m := range regexp.MustCompile(`[a-z:]*="?https?://[^" ]*`).FindAllString(page, -1) {
		if !strings.HasPrefix(m, "xmlns") {
			t.Errorf("the page refers to %s", m)
		}
	}
	for _, want := range []string{"3 of the 3", "sha256 mismatch", "20261119T020000Z-tacc", "1.05x", "pending: measured elsewhere"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// The page in a real browser: no console message (chromium reports SVG it
// cannot parse there), every plot in the rendered DOM with its lines and
// labels, and a screenshot that shows them.
func TestHTMLPageRendersInChromium(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteHTMLFile(path, fortnight()); err != nil {
		t.Fatal(err)
	}

	dom, stderr := headless(t, path, "--dump-dom")

	if msgs := consoleMessages(stderr); len(msgs) > 0 {
		t.Errorf("chromium logged for the page:\n%s", strings.Join(msgs, "\n"))
	}
	for _, id := range plotIDs {
		fig := element(dom, "figure", id)
		if fig == "" {
			t.Errorf("no figure %s in the rendered page", id)
			continue
		}
		paths, texts := strings.Count(fig, "<path"), strings.Count(fig, "<text")
		if !strings.Contains(fig, fmt.Sprintf(`<svg id="%s-svg"`, id)) || paths < 5 || texts < 3 {
			t.Errorf("figure %s: svg %v, %d paths and %d texts; want a drawn plot", id, strings.Contains(fig, "<svg"), paths, texts)
		}
	}

	shot := filepath.Join(t.TempDir(), "page.png")
	headless(t, path, "--hide-scrollbars", "--window-size=1200,6000", "--screenshot="+shot)
	nonWhite, green := screenshotInk(t, shot)
	if nonWhite < 0.02 || green < 2000 {
		t.Errorf("the screenshot has %.1f%% of pixels not white and %d of the bars' green; want plots drawn", 100*nonWhite, green)
	}
}

// The console check can fail: a page with an SVG chromium cannot parse.
func TestConsoleCheckCatchesBrokenSVG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(path, []byte(`<!DOCTYPE html><html><body><svg height="tall"><path d="M 0 0 L x"/></svg></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr := headless(t, path, "--dump-dom")
	if len(consoleMessages(stderr)) == 0 {
		t.Errorf("no console message for a broken SVG; chromium printed:\n%s", stderr)
	}
}

// element returns the outer HTML of the first <tag id="id"> in dom.
func element(dom, tag, id string) string {
	start := strings.Index(dom, fmt.Sprintf(`<%s id="%s"`, tag, id))
	if start < 0 {
		return ""
	}
	end := strings.Index(dom[start:], "</"+tag+">")
	if end < 0 {
		return ""
	}
	return dom[start : start+end]
}

// screenshotInk returns the share of pixels that are not white, and how
// many have the green of a met goal's bars.
func screenshotInk(t *testing.T, path string) (nonWhite float64, greenPixels int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if c.R < 240 || c.G < 240 || c.B < 240 {
				ink++
			}
			if near(c, green) {
				greenPixels++
			}
		}
	}
	return float64(ink) / float64(b.Dx()*b.Dy()), greenPixels
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int { return max(int(x), int(y)) - min(int(x), int(y)) }
	return d(a.R, b.R) < 8 && d(a.G, b.G) < 8 && d(a.B, b.B) < 8
}
