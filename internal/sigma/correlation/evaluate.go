package correlation

import (
	"sort"
	"time"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// evaluate computes the aggregate over entries and tests the condition.
func (c *corr) evaluate(g *group, entries []entry) (Alert, bool) {
	if len(entries) == 0 {
		return Alert{}, false
	}
	r := c.r
	var value float64
	switch r.Type {
	case rule.EventCount:
		value = float64(len(entries))
	case rule.ValueCount:
		distinct := map[string]bool{}
		for _, en := range entries {
			distinct[en.val] = true
		}
		value = float64(len(distinct))
	case rule.ValueSum, rule.ValueAvg:
		for _, en := range entries {
			value += en.num
		}
		if r.Type == rule.ValueAvg {
			value /= float64(len(entries))
		}
	case rule.ValuePercentile:
		value = percentile(r, entries)
	case rule.Temporal:
		value = float64(distinctRefs(entries))
	case rule.TemporalOrdered:
		if !ordered(len(r.Rules), entries, r.Timespan) {
			return Alert{}, false
		}
		value = float64(len(r.Rules))
	}
	conds := r.Condition
	if len(conds) == 0 { // temporal default: every referenced rule fired
		conds = []rule.Comparison{{Op: "gte", Value: float64(len(r.Rules))}}
	}
	for _, cmp := range conds {
		if !cmp.Holds(value) {
			return Alert{}, false
		}
	}
	a := Alert{Correlation: r, Start: entries[0].t, End: entries[len(entries)-1].t,
		Group: g.values, Value: value, Events: len(entries)}
	seen := make([]bool, len(r.Rules))
	for _, en := range entries {
		seen[en.ref] = true
	}
	for i, s := range seen {
		if s {
			a.Rules = append(a.Rules, r.Rules[i])
		}
	}
	return a, true
}

func distinctRefs(entries []entry) int {
	seen := map[int]bool{}
	for _, en := range entries {
		seen[en.ref] = true
	}
	return len(seen)
}

// ordered reports whether the entries contain occurrences of rule 0, 1, ... n-1
// in that (non-decreasing) time order, all within span. For each occurrence of the
// last rule, picking the latest possible earlier occurrence of each previous rule
// is optimal.
func ordered(n int, entries []entry, span time.Duration) bool {
	times := make([][]time.Time, n)
	for _, en := range entries {
		times[en.ref] = append(times[en.ref], en.t)
	}
	for _, end := range times[n-1] {
		t := end
		ok := true
		for k := n - 2; k >= 0 && ok; k-- {
			i := sort.Search(len(times[k]), func(i int) bool { return times[k][i].After(t) })
			if i == 0 {
				ok = false
				break
			}
			t = times[k][i-1]
		}
		if ok && !t.Before(end.Add(-span)) {
			return true
		}
	}
	return false
}

// percentile implements value_percentile. With `percentile: P` it is the P-th
// percentile (nearest rank) of the numeric field over the window. Without it, the
// value is rarity: the share, in percent, of the window's matches whose field
// value equals that of the newest match, so `lte: 1` fires on values making up at
// most 1 % of the group's events.
func percentile(r *rule.Correlation, entries []entry) float64 {
	if r.Percentile > 0 {
		nums := make([]float64, len(entries))
		for i, en := range entries {
			nums[i] = en.num
		}
		sort.Float64s(nums)
		rank := int(r.Percentile/100*float64(len(nums))+0.999999) - 1
		rank = min(max(rank, 0), len(nums)-1)
		return nums[rank]
	}
	newest := entries[len(entries)-1].val
	same := 0
	for _, en := range entries {
		if en.val == newest {
			same++
		}
	}
	return 100 * float64(same) / float64(len(entries))
}
