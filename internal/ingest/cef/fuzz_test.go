package cef

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`CEF:0|security|threatmanager|1.0|100|detected a \| in message|10|src=10.0.0.1 act=blocked a \= dst=1.1.1.1`,
		"Aug  3 10:49:35 Barracuda CEF: 0|BarracudaNetworks|WAAS|BNWAS-1.0|WAF|WAF|4| cat=TR h1= msg=a=b",
		`CEF:0||||N/A|URL Access Violation|Substantial|rt=2022-07-25T04:56:13-05:00 cs1=My App 1 cs1Label=appName start=Jan 18 2024 11:07:53 UTC`,
		`CEF:1|v|p|1|id|n|7|cn1=N/A cn1=5 in=99999999999999999999 end=1659077576618 x\\=y \=z =a`,
		"CEF:0|a", "CEF:", "CEF:99999999999|", "", `CEF:0|\`, "CEF:0|v|p|1|id|n|1|\xff=\xfe k=\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if i := Find(s); i >= 0 {
			if !strings.HasPrefix(s[i:], "CEF:") {
				t.Fatalf("Find = %d does not point at CEF:", i)
			}
		}
		e, err := Parse(s)
		if err != nil {
			return
		}
		n := 0
		e.Columns(func(col, val string) {
			if val == "" {
				t.Fatalf("empty value set for %s", col)
			}
			n++
		})
		for _, x := range e.Extensions {
			e.Get(x.Key)
		}
		_ = SeverityClass(e.Severity)
	})
}
