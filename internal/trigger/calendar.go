package trigger

import (
	"fmt"
	"strings"

	"github.com/robfig/cron/v3"
)

// cronStar is robfig/cron's mark of a field written as '*' (or '?').
const cronStar = 1 << 63

var (
	// weekdays are cron's day numbers 0..6 by name; systemd lists Monday first.
	weekdays     = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	weekdayOrder = []int{1, 2, 3, 4, 5, 6, 0}
)

// OnCalendar converts a cron expression (5 fields or a descriptor, as
// internal/schedule accepts them) into systemd OnCalendar= values in the
// time zone tz. Each field becomes a list of its values. cron fires when
// the day of the month OR the day of the week matches if both are
// restricted, while systemd requires both: that case gives two values,
// one per day field, and the timer fires on either.
func OnCalendar(expr, tz string) ([]string, error) {
	sched, err := cron.ParseStandard(strings.TrimSpace(expr))
	if err != nil {
		return nil, fmt.Errorf("cron %q: %w", expr, err)
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("cron %q has no fixed wall clock time", expr)
	}
	number := func(v int) string { return fmt.Sprintf("%02d", v) }
	clock := calendarField(spec.Hour, numbers(0, 23), number) + ":" + calendarField(spec.Minute, numbers(0, 59), number) + ":00"
	month := calendarField(spec.Month, numbers(1, 12), number)
	dom := calendarField(spec.Dom, numbers(1, 31), number)
	dow := calendarField(spec.Dow, weekdayOrder, func(v int) string { return weekdays[v] })
	format := func(dow, dom string) string {
		date := "*-" + month + "-" + dom
		if dow != "*" {
			date = dow + " " + date
		}
		return date + " " + clock + " " + tz
	}
	if spec.Dom&cronStar == 0 && spec.Dow&cronStar == 0 && dom != "*" && dow != "*" {
		return []string{format("*", dom), format(dow, "*")}, nil
	}
	return []string{format(dow, dom)}, nil
}

// calendarField lists the values of order that bits holds, or "*" when it
// holds them all.
func calendarField(bits uint64, order []int, name func(int) string) string {
	var vals []string
	for _, v := range order {
		if bits&(1<<uint(v)) != 0 {
			vals = append(vals, name(v))
		}
	}
	if bits&cronStar != 0 || len(vals) == len(order) {
		return "*"
	}
	return strings.Join(vals, ",")
}

func numbers(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		out = append(out, v)
	}
	return out
}
