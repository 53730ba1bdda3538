package lite

import "testing"

func TestWindowOrder(t *testing.T) {
	runCases(t, []qcase{
		{`range x from 1 to 100000 step 1 | extend k = (x * 7919) % 100003 | order by k asc | extend p = prev(k), r = row_number() | where p > k or (r == 1 and k != 1) | count`, `[[0]]`, ""},
	})
}
