package cef

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Event
	}{
		{
			name: "spec example with escapes and spaces in values",
			in:   `CEF:0|security|threatmanager|1.0|100|detected a \| in message|10|src=10.0.0.1 act=blocked a \= dst=1.1.1.1 msg=line1\nline2\rend back\\slash`,
			want: Event{DeviceVendor: "security", DeviceProduct: "threatmanager", DeviceVersion: "1.0",
				DeviceEventClassID: "100", Name: "detected a | in message", Severity: "10",
				Extensions: []Extension{{"src", "10.0.0.1"}, {"act", "blocked a ="},
					{"dst", "1.1.1.1"}, {"msg", "line1\nline2\rend back\\slash"}}},
		},
		{
			name: "backslash in header",
			in:   `CEF:1|Vendor\\Inc|Pro\duct|1|id|name|Very-High|`,
			want: Event{Version: 1, DeviceVendor: `Vendor\Inc`, DeviceProduct: `Pro\duct`, DeviceVersion: "1",
				DeviceEventClassID: "id", Name: "name", Severity: "Very-High"},
		},
		{
			name: "space after CEF:, around extension, empty values, CRLF",
			in:   "CEF: 0|BarracudaNetworks|WAAS|BNWAS-1.0|WAF|WAF|4| cat=TR h1= h2= duser=\"-\" ua=Mozilla/5.0 (X11; Linux) end=1 \r\n",
			want: Event{DeviceVendor: "BarracudaNetworks", DeviceProduct: "WAAS", DeviceVersion: "BNWAS-1.0",
				DeviceEventClassID: "WAF", Name: "WAF", Severity: "4",
				Extensions: []Extension{{"cat", "TR"}, {"h1", ""}, {"h2", ""}, {"duser", `"-"`},
					{"ua", "Mozilla/5.0 (X11; Linux)"}, {"end", "1"}}},
		},
		{
			name: "unescaped = inside a value and escaped = in a URL",
			in:   `CEF:0|Citrix|NetScaler|NS13.1|APPFW|APPFW_STARTURL|6|msg=a=fetch&content=x request=http://t/login?usr\=admin cs1=My App 1 cs1Label=appName`,
			want: Event{DeviceVendor: "Citrix", DeviceProduct: "NetScaler", DeviceVersion: "NS13.1",
				DeviceEventClassID: "APPFW", Name: "APPFW_STARTURL", Severity: "6",
				Extensions: []Extension{{"msg", "a=fetch&content=x"}, {"request", "http://t/login?usr=admin"},
					{"cs1", "My App 1"}, {"cs1Label", "appName"}}},
		},
		{
			name: "lenient keys and empty header fields",
			in:   `CEF:0||||N/A|URL Access Violation|Substantial|ad.key[0]=x my_key-2=y`,
			want: Event{DeviceEventClassID: "N/A", Name: "URL Access Violation", Severity: "Substantial",
				Extensions: []Extension{{"ad.key[0]", "x"}, {"my_key-2", "y"}}},
		},
		{
			name: "text before the first key is kept",
			in:   `CEF:0|v|p|1|id|n|3|garbage here k=v`,
			want: Event{DeviceVendor: "v", DeviceProduct: "p", DeviceVersion: "1", DeviceEventClassID: "id", Name: "n", Severity: "3",
				Extensions: []Extension{{"", "garbage here"}, {"k", "v"}}},
		},
		{
			name: "no trailing pipe after severity",
			in:   `CEF:0|v|p|1|id|n| 7 `,
			want: Event{DeviceVendor: "v", DeviceProduct: "p", DeviceVersion: "1", DeviceEventClassID: "id", Name: "n", Severity: "7"},
		},
		{
			name: "BOM and leading space",
			in:   "\xEF\xBB\xBF CEF:0|v|p|1|id|n|1|k=v",
			want: Event{DeviceVendor: "v", DeviceProduct: "p", DeviceVersion: "1", DeviceEventClassID: "id", Name: "n", Severity: "1",
				Extensions: []Extension{{"k", "v"}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in, contains string
		offset       int
	}{
		{"Jan 18 host CEF:0|a|b", `expected "CEF:"`, 0},
		{"CEF:x|a", "expected the CEF version", 4},
		{"CEF:0a|", "expected '|' after the CEF version", 5},
		{"CEF:0", "expected '|' after the CEF version", 5},
		{"CEF:0|Vendor", "missing Device Product, Device Version, Device Event Class ID, Name, Severity", 12},
		{"CEF:0|v|p|1|id", "header ends after Device Event Class ID: missing Name, Severity", 14},
		{`CEF:0|v|p|1|id\|n|5`, "missing Severity", 19},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a ParseError", c.in, err)
			continue
		}
		if pe.Offset != c.offset || !strings.Contains(err.Error(), c.contains) {
			t.Errorf("Parse(%q) = %v (offset %d), want %q at %d", c.in, err, pe.Offset, c.contains, c.offset)
		}
	}
}

func TestFind(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"CEF:0|a|b|c|d|e|1|", 0},
		{"Jan 18 11:07:53 host CEF:0|a|b|c|d|e|1|", 21},
		{"<134>CEF:0|a|b|c|d|e|1|", 5},
		{"Aug  3 10:49:35 Barracuda CEF: 0|B|W|1|W|W|4| cat=TR", 26},
		{"host syslogng[9] CEF:1|||||x|", 17},
		{"MYCEF:0|x", -1},
		{"CEF: enabled", -1},
		{"the CEF:0 format", -1},
		{"CEF:0 no CEF:1|a", 9},
		{"", -1},
	}
	for _, c := range cases {
		if got := Find(c.in); got != c.want {
			t.Errorf("Find(%q) = %d, want %d", c.in, got, c.want)
		}
		if IsCEF(c.in) != (c.want >= 0) {
			t.Errorf("IsCEF(%q) disagrees with Find", c.in)
		}
	}
}

func TestGet(t *testing.T) {
	e, err := Parse("CEF:0|v|p|1|id|n|1|sourceAddress=10.1.1.1 DPT=443 custom=x")
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"src": "10.1.1.1", "sourceAddress": "10.1.1.1", "destinationPort": "443", "custom": "x"} {
		if got, ok := e.Get(k); !ok || got != want {
			t.Errorf("Get(%q) = %q, %v; want %q", k, got, ok, want)
		}
	}
	if _, ok := e.Get("dst"); ok {
		t.Error("Get(dst) found a value that is not there")
	}
}

func TestSeverityClass(t *testing.T) {
	for in, want := range map[string]string{
		"0": "Low", "3": "Low", "4": "Medium", "6": "Medium", "7": "High", "8": "High", "9": "Very-High", "10": "Very-High",
		"11": "Unknown", "-1": "Unknown", "2.2": "Unknown", " high ": "High", "Very-High": "Very-High", "very high": "Very-High",
		"Medium": "Medium", "low": "Low", "Unknown": "Unknown", "Substantial": "Unknown", "": "Unknown",
	} {
		if got := SeverityClass(in); got != want {
			t.Errorf("SeverityClass(%q) = %q, want %q", in, got, want)
		}
	}
}
