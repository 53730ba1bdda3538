package lite

import "testing"

func TestWindowOrder(t *testing.T) {
	runCases(t, []qcase{
		{`range x from 1 to 100000 step 1 | extend k = (x * 7919) % 100003 | order by k asc | extend p = prev(k), r = row_number() | where p > k or (r == 1 and k != 1) | count`, `[[0]]`, ""},
	})
}

func TestWindowRestart(t *testing.T) {
	const data = `datatable(k:string, v:long)["a", 5, "a", 10, "a", 10, "a", 20, "b", 5, "b", 7]`
	runCases(t, []qcase{
		{data + ` | sort by k asc, v asc | extend r = row_number(1, prev(k) != k), c = row_cumsum(v, k != prev(k))`, `[["a",5,1,5],["a",10,2,15],["a",10,3,25],["a",20,4,45],["b",5,1,5],["b",7,2,12]]`, "k:string,v:long,r:long,c:long"},
		{data + ` | sort by k asc, v asc | extend d = row_rank_dense(v), m = row_rank_min(v, k != prev(k))`, `[["a",5,1,1],["a",10,2,2],["a",10,2,2],["a",20,3,4],["b",5,4,1],["b",7,5,2]]`, ""},
	})
}
