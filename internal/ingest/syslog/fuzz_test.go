package syslog

import (
	"bytes"
	"io"
	"testing"
	"time"
)

var fuzzSeeds = []string{
	"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' failed",
	`<165>1 2003-10-11T22:14:15.003Z h evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="App\]" eventID="1011"][p@1 class="high"]`,
	"<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
	"<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time",
	"Jun 21 11:17:33 demo-host.local openvpn[30264]: 1.2.3.4:41445 peer info",
	"<189>Mar  1 18:48:50.483 UTC: %SYS-5-CONFIG_I: Configured",
	"<166>Jan 18 2024 11:07:53 fw01 %ASA-6-302013: Built",
	"<13>2024-02-29T23:59:60.123456789+14:00 h a[1]: x",
	"<13>Feb 29 10:00:00 h x", "<191>", "<13>1 ", "<13>1 - - - - - [", `<0>1 - - - - - [a b="\`,
	"Use the BFG!", "", "<", "<999>",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	recv := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b, recv)
		if err != nil {
			if want := string(bytes.TrimRight(b, "\r\n\x00")); m.Msg != want {
				t.Fatalf("on error Msg = %q, want the input", m.Msg)
			}
		}
		if m.Facility < 0 || m.Facility > 23 || m.Severity < 0 || m.Severity > 7 {
			t.Fatalf("PRI out of range: %d.%d", m.Facility, m.Severity)
		}
		m.Columns("192.0.2.1", func(string, string) {})
	})
}

func FuzzScanner(f *testing.F) {
	f.Add([]byte("<13>a\n11 <13>a\nb c d9 <13>efghi\r\n\x00<13>x"), 8)
	f.Add([]byte("999999999 <13>"), 4)
	f.Add([]byte("5 <13>"), 100)
	f.Add([]byte("\n\n\r\x00"), 1)
	f.Fuzz(func(t *testing.T, b []byte, max int) {
		max = 1 + max&0x3ff
		sc := NewScanner(bytes.NewReader(b), max)
		total := 0
		for sc.Scan() {
			if n := len(sc.Bytes()); n == 0 || n > max {
				t.Fatalf("message of %d bytes with max %d", n, max)
			}
			total++
			if total > len(b) {
				t.Fatalf("more messages (%d) than input bytes (%d)", total, len(b))
			}
		}
		if err := sc.Err(); err != nil && err != io.ErrUnexpectedEOF {
			t.Fatalf("unexpected error: %v", err)
		}
	})
}
