package syslog

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

var recv = time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)

type parseCase struct {
	name     string
	in       string
	received time.Time // zero means recv
	want     Message
	wantTime time.Time
	errAt    int // -1: no error
}

func runParseCases(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.received
			if r.IsZero() {
				r = recv
			}
			got, err := Parse([]byte(c.in), r)
			if c.errAt >= 0 {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("err = %v, want a ParseError at %d", err, c.errAt)
				}
				if pe.Offset != c.errAt {
					t.Errorf("error offset = %d (%v), want %d", pe.Offset, err, c.errAt)
				}
				if got.Msg != c.in {
					t.Errorf("on error Msg = %q, want the whole input", got.Msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !got.Timestamp.Equal(c.wantTime) {
				t.Errorf("Timestamp = %v, want %v", got.Timestamp, c.wantTime)
			}
			got.Timestamp = time.Time{}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestParseRFC5424(t *testing.T) {
	minus7 := time.FixedZone("", -7*3600)
	runParseCases(t, []parseCase{
		{
			name: "rfc example 1 with BOM",
			in:   "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8",
			want: Message{Format: RFC5424, HasPRI: true, Facility: 4, Severity: 2, Version: 1,
				Hostname: "mymachine.example.com", AppName: "su", MsgID: "ID47",
				Msg: "'su root' failed for lonvick on /dev/pts/8"},
			wantTime: time.Date(2003, 10, 11, 22, 14, 15, 3e6, time.UTC),
			errAt:    -1,
		},
		{
			name: "rfc example 2 offset and microseconds",
			in:   "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
			want: Message{Format: RFC5424, HasPRI: true, Facility: 20, Severity: 5, Version: 1,
				Hostname: "192.0.2.1", AppName: "myproc", ProcID: "8710",
				Msg: "%% It's time to make the do-nuts."},
			wantTime: time.Date(2003, 8, 24, 5, 14, 15, 3000, minus7),
			errAt:    -1,
		},
		{
			name: "rfc example 3 structured data and message",
			in:   `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] ` + "\xEF\xBB\xBFAn application event log entry...",
			want: Message{Format: RFC5424, HasPRI: true, Facility: 20, Severity: 5, Version: 1,
				Hostname: "mymachine.example.com", AppName: "evntslog", MsgID: "ID47",
				StructuredData: []SDElement{{ID: "exampleSDID@32473", Params: []SDParam{
					{"iut", "3"}, {"eventSource", "Application"}, {"eventID", "1011"}}}},
				StructuredDataRaw: `[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]`,
				Msg:               "An application event log entry..."},
			wantTime: time.Date(2003, 10, 11, 22, 14, 15, 3e6, time.UTC),
			errAt:    -1,
		},
		{
			name: "rfc example 4 two elements no message",
			in:   `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]`,
			want: Message{Format: RFC5424, HasPRI: true, Facility: 20, Severity: 5, Version: 1,
				Hostname: "mymachine.example.com", AppName: "evntslog", MsgID: "ID47",
				StructuredData: []SDElement{
					{ID: "exampleSDID@32473", Params: []SDParam{{"iut", "3"}, {"eventSource", "Application"}, {"eventID", "1011"}}},
					{ID: "examplePriority@32473", Params: []SDParam{{"class", "high"}}}},
				StructuredDataRaw: `[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]`},
			wantTime: time.Date(2003, 10, 11, 22, 14, 15, 3e6, time.UTC),
			errAt:    -1,
		},
		{
			name: "escapes in param values, unknown escape kept",
			in:   `<13>1 - - - - - [x@1 a="q\"b" b="back\\slash" c="br\]" d="keep\n" e=""] m`,
			want: Message{Format: RFC5424, HasPRI: true, Facility: 1, Severity: 5, Version: 1,
				StructuredData: []SDElement{{ID: "x@1", Params: []SDParam{
					{"a", `q"b`}, {"b", `back\slash`}, {"c", "br]"}, {"d", `keep\n`}, {"e", ""}}}},
				StructuredDataRaw: `[x@1 a="q\"b" b="back\\slash" c="br\]" d="keep\n" e=""]`,
				Msg:               "m"},
			errAt: -1,
		},
		{
			name: "element without params, trailing CRLF",
			in:   "<0>1 2024-01-02T03:04:05+01:30 h a 1 m [origin] text\r\n",
			want: Message{Format: RFC5424, HasPRI: true, Version: 1, Hostname: "h", AppName: "a", ProcID: "1", MsgID: "m",
				StructuredData: []SDElement{{ID: "origin"}}, StructuredDataRaw: "[origin]", Msg: "text"},
			wantTime: time.Date(2024, 1, 2, 1, 34, 5, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:  "lenient: no STRUCTURED-DATA at all",
			in:    "<13>1 - host app - -",
			want:  Message{Format: RFC5424, HasPRI: true, Facility: 1, Severity: 5, Version: 1, Hostname: "host", AppName: "app"},
			errAt: -1,
		},
		{name: "bad month", in: "<13>1 2003-13-11T22:14:15Z h a p m - x", errAt: 6},
		{name: "timestamp garbage", in: "<13>1 2003-10-11Tnoon h a p m - x", errAt: 6},
		{name: "empty hostname", in: "<13>1 -  a p m - x", errAt: 8},
		{name: "unquoted param", in: "<13>1 - h a p m [x a=1]", errAt: 21},
		{name: "unterminated value", in: `<13>1 - h a p m [x a="1`, errAt: 23},
		{name: "no SP before MSG", in: "<13>1 - h a p m -x", errAt: 17},
		{name: "bad SD start", in: "<13>1 - h a p m x", errAt: 16},
		{name: "missing SD-ID", in: "<13>1 - h a p m [ a=\"1\"]", errAt: 17},
	})
}

func TestParseRFC3164(t *testing.T) {
	plus1 := time.FixedZone("", 3600)
	runParseCases(t, []parseCase{
		{
			name: "rfc example 1, year from received (October is last year in March)",
			in:   "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
			want: Message{Format: RFC3164, HasPRI: true, Facility: 4, Severity: 2, Hostname: "mymachine",
				AppName: "su", Msg: "'su root' failed for lonvick on /dev/pts/8"},
			wantTime: time.Date(2023, 10, 11, 22, 14, 15, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "rfc example 3, address as hostname, no tag",
			in:       "<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!",
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Hostname: "10.0.0.99", Msg: "Use the BFG!"},
			wantTime: time.Date(2024, 2, 5, 17, 32, 18, 0, time.UTC),
			errAt:    -1,
		},
		{
			name: "rfc example 4, zone and year after the time",
			in:   "<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time to make the do-nuts.  %%  Ingredients: Mix=OK",
			want: Message{Format: RFC3164, HasPRI: true, Facility: 20, Severity: 5, Hostname: "mymachine",
				AppName: "myproc", ProcID: "10", Msg: "%% It's time to make the do-nuts.  %%  Ingredients: Mix=OK"},
			wantTime: time.Date(1987, 8, 24, 5, 34, 0, 0, time.UTC),
			errAt:    -1,
		},
		{name: "rfc example 2, no PRI no timestamp", in: "Use the BFG!", errAt: 0},
		{
			name:     "no PRI: defaults user.notice",
			in:       "Jun 21 11:17:33 demo-host.local openvpn[30264]: 1.2.3.4:41445 peer info: IV_PROTO=30",
			want:     Message{Format: RFC3164, Facility: 1, Severity: 5, Hostname: "demo-host.local", AppName: "openvpn", ProcID: "30264", Msg: "1.2.3.4:41445 peer info: IV_PROTO=30"},
			wantTime: time.Date(2024, 6, 21, 11, 17, 33, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "ISO 8601 timestamp in BSD framing",
			in:       "<34>2024-01-15T10:30:00.123+01:00 host app[12]: hello",
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 4, Severity: 2, Hostname: "host", AppName: "app", ProcID: "12", Msg: "hello"},
			wantTime: time.Date(2024, 1, 15, 10, 30, 0, 123e6, plus1),
			errAt:    -1,
		},
		{
			name:     "missing hostname",
			in:       "<38>Mar 10 11:00:00 sshd[123]: Accepted publickey for root",
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 4, Severity: 6, AppName: "sshd", ProcID: "123", Msg: "Accepted publickey for root"},
			wantTime: time.Date(2024, 3, 10, 11, 0, 0, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "December message received on January 1st is last year",
			in:       "<13>Dec 31 23:59:58 h app: x",
			received: time.Date(2024, 1, 1, 0, 0, 5, 0, time.UTC),
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Hostname: "h", AppName: "app", Msg: "x"},
			wantTime: time.Date(2023, 12, 31, 23, 59, 58, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "January message from a fast clock received on December 31st is next year",
			in:       "<13>Jan  1 00:00:01 h app: x",
			received: time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC),
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Hostname: "h", AppName: "app", Msg: "x"},
			wantTime: time.Date(2024, 1, 1, 0, 0, 1, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "tag with pid and no colon",
			in:       "Jul 25 09:56:42 syslog.fortiweb-cloud.com syslogng[9] CEF:0|a|b|c|d|e|5|",
			want:     Message{Format: RFC3164, Facility: 1, Severity: 5, Hostname: "syslog.fortiweb-cloud.com", AppName: "syslogng", ProcID: "9", Msg: "CEF:0|a|b|c|d|e|5|"},
			wantTime: time.Date(2024, 7, 25, 9, 56, 42, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "Cisco ASA year before time",
			in:       "<166>Jan 18 2024 11:07:53 fw01 %ASA-6-302013: Built outbound TCP connection",
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 20, Severity: 6, Hostname: "fw01", AppName: "%ASA-6-302013", Msg: "Built outbound TCP connection"},
			wantTime: time.Date(2024, 1, 18, 11, 7, 53, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "Cisco IOS fraction and UTC zone, no hostname",
			in:       "<189>Mar  1 18:48:50.483 UTC: %SYS-5-CONFIG_I: Configured from console",
			received: time.Date(2024, 3, 2, 0, 0, 0, 0, time.FixedZone("X", 5*3600)),
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 23, Severity: 5, AppName: "%SYS-5-CONFIG_I", Msg: "Configured from console"},
			wantTime: time.Date(2024, 3, 1, 18, 48, 50, 483e6, time.UTC),
			errAt:    -1,
		},
		{
			name:     "zone-less time is in received's zone",
			in:       "<13>Mar  1 18:48:50 h x",
			received: time.Date(2024, 3, 2, 0, 0, 0, 0, time.FixedZone("X", 5*3600)),
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Hostname: "h", Msg: "x"},
			wantTime: time.Date(2024, 3, 1, 13, 48, 50, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "space after PRI",
			in:       "<13> Mar 10 11:00:00 h x",
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Hostname: "h", Msg: "x"},
			wantTime: time.Date(2024, 3, 10, 11, 0, 0, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:  "PRI without timestamp: the rest is content",
			in:    "<13>hello world",
			want:  Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Msg: "hello world"},
			errAt: -1,
		},
		{
			name:  "PRI without timestamp, tag kept",
			in:    "<14>myapp[7]: started",
			want:  Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 6, AppName: "myapp", ProcID: "7", Msg: "started"},
			errAt: -1,
		},
		{
			name:     "CEF record marker is not a tag",
			in:       "Aug  3 10:49:35 Barracuda CEF: 0|BarracudaNetworks|WAAS|BNWAS-1.0|WAF|WAF|4| cat=TR",
			want:     Message{Format: RFC3164, Facility: 1, Severity: 5, Hostname: "Barracuda", Msg: "CEF: 0|BarracudaNetworks|WAAS|BNWAS-1.0|WAF|WAF|4| cat=TR"},
			wantTime: time.Date(2024, 8, 3, 10, 49, 35, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "key=value content is not a tag",
			in:       "Jul 29 06:52:56 Barracuda cat=TR dvc=10.239.0.52 msg=a",
			want:     Message{Format: RFC3164, Facility: 1, Severity: 5, Hostname: "Barracuda", Msg: "cat=TR dvc=10.239.0.52 msg=a"},
			wantTime: time.Date(2024, 7, 29, 6, 52, 56, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "only the first tag is taken",
			in:       "May 13 15:52:56 localhost journal: Oracle Audit[52963]: LENGTH: '621'",
			want:     Message{Format: RFC3164, Facility: 1, Severity: 5, Hostname: "localhost", AppName: "journal", Msg: "Oracle Audit[52963]: LENGTH: '621'"},
			wantTime: time.Date(2024, 5, 13, 15, 52, 56, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "URL is not a tag; single-digit day",
			in:       "<13>Mar 5 11:00:00 host http://x/ y",
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Hostname: "host", Msg: "http://x/ y"},
			wantTime: time.Date(2024, 3, 5, 11, 0, 0, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "timestamp only",
			in:       "<13>Mar 10 11:00:00",
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5},
			wantTime: time.Date(2024, 3, 10, 11, 0, 0, 0, time.UTC),
			errAt:    -1,
		},
		{
			name:     "Feb 29 goes to the nearest leap year",
			in:       "<13>Feb 29 10:00:00 h x",
			received: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
			want:     Message{Format: RFC3164, HasPRI: true, Facility: 1, Severity: 5, Hostname: "h", Msg: "x"},
			wantTime: time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC),
			errAt:    -1,
		},
		{name: "PRI not a number", in: "<1x>Mar 10 11:00:00 h x", errAt: 2},
		{name: "PRI out of range", in: "<192>Mar 10 11:00:00 h x", errAt: 0},
		{name: "PRI unclosed", in: "<13", errAt: 3},
		{name: "PRI too long", in: "<0013>x", errAt: 4},
		{name: "impossible date", in: "<13>Feb 30 10:00:00 h x", errAt: 4},
		{name: "impossible hour", in: "Mar 10 24:00:00 h x", errAt: 0},
		{name: "empty", in: "", errAt: 0},
		{name: "plain text", in: "just some text", errAt: 0},
	})
}

func TestParseErrorText(t *testing.T) {
	_, err := Parse([]byte("hello"), recv)
	want := `syslog: at byte 0: expected "<PRI>" or a timestamp, found "hello"`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}
