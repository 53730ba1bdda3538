package cef

import (
	"reflect"
	"testing"
	"time"
)

func cols(t *testing.T, e Event) map[string]string {
	t.Helper()
	got := map[string]string{}
	e.Columns(func(c, v string) {
		if _, dup := got[c]; dup {
			t.Errorf("column %s set twice", c)
		}
		got[c] = v
	})
	return got
}

func TestColumns(t *testing.T) {
	e, err := Parse(`CEF:0|Palo Alto Networks|PAN-OS|10.1|TRAFFIC|end|3|` +
		`rt=1659077576618 src=10.0.0.5 spt=51515 dst=8.8.8.8 dpt=53 proto=UDP act=allow app=dns ` +
		`cnt=2 in=120 out=80 suser=alice duser=bob shost=ws1 dhost=dns.google smac=aa:bb dmac=cc:dd ` +
		`dvc=10.0.0.1 dvchost=fw1 dvcmac=ee:ff dvcpid=42 deviceProcessName=pan_task externalId=7 ` +
		`cat=traffic cs1Label=Rule cs1=allow-dns cn1Label=SessionID cn1=1234 cfp1=0.5 cfp1Label=score ` +
		`c6a1=fe80::1 deviceDirection=1 destinationTranslatedPort=1053 sourceTranslatedAddress=1.2.3.4 ` +
		`fname=a.txt fsize=10 filePath=/tmp/a.txt fileHash=abc request=http://x/ requestMethod=GET ` +
		`requestClientApplication=curl/8 outcome=success reason=ok msg=hello world start=Jan 18 2024 11:07:53.250 UTC ` +
		`end=2024-01-18T12:00:00+01:00 type=1 flexNumber1=9 flexString1=fs deviceCustomDate1=Jan 01 2024 00:00:00 ` +
		`PanOSCustom=v1 dpid=77 sproc=bash`)
	if err != nil {
		t.Fatal(err)
	}
	e.Host = "collector01"
	want := map[string]string{
		"Computer": "collector01", "DeviceVendor": "Palo Alto Networks", "DeviceProduct": "PAN-OS", "DeviceVersion": "10.1",
		"DeviceEventClassID": "TRAFFIC", "Activity": "end", "LogSeverity": "3",
		"ReceiptTime": "1659077576618", "SourceIP": "10.0.0.5", "SourcePort": "51515", "DestinationIP": "8.8.8.8",
		"DestinationPort": "53", "Protocol": "UDP", "DeviceAction": "allow", "ApplicationProtocol": "dns",
		"EventCount": "2", "ReceivedBytes": "120", "SentBytes": "80", "SourceUserName": "alice", "DestinationUserName": "bob",
		"SourceHostName": "ws1", "DestinationHostName": "dns.google", "SourceMACAddress": "aa:bb", "DestinationMACAddress": "cc:dd",
		"DeviceAddress": "10.0.0.1", "DeviceName": "fw1", "DeviceMacAddress": "ee:ff", "ProcessID": "42", "ProcessName": "pan_task",
		"ExternalID": "7", "DeviceCustomString1Label": "Rule", "DeviceCustomString1": "allow-dns",
		"DeviceCustomNumber1Label": "SessionID", "DeviceCustomNumber1": "1234",
		"DeviceCustomFloatingPoint1": "0.5", "DeviceCustomFloatingPoint1Label": "score", "DeviceCustomIPv6Address1": "fe80::1",
		"CommunicationDirection": "1", "DestinationTranslatedPort": "1053", "SourceTranslatedAddress": "1.2.3.4",
		"FileName": "a.txt", "FileSize": "10", "FilePath": "/tmp/a.txt", "FileHash": "abc", "RequestURL": "http://x/",
		"RequestMethod": "GET", "RequestClientApplication": "curl/8", "Outcome": "success", "Reason": "ok",
		"Message": "hello world", "StartTime": "2024-01-18T11:07:53.250000000Z", "EndTime": "2024-01-18T11:00:00.000000000Z",
		"EventType": "1", "FlexNumber1": "9", "FlexString1": "fs", "DeviceCustomDate1": "Jan 01 2024 00:00:00",
		"DestinationProcessId": "77", "SourceProcessName": "bash",
		"AdditionalExtensions": "cat=traffic;PanOSCustom=v1",
	}
	got := cols(t, e)
	if !reflect.DeepEqual(got, want) {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
		for k, v := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected %s = %q", k, v)
			}
		}
	}
}

func TestColumnsNothingLost(t *testing.T) {
	e, err := Parse(`CEF:1|v|p|1|id|n|High|junk before src=1.1.1.1 sourceAddress=2.2.2.2 cn3=N/A cn2=99999999999 ` +
		`in=99999999999 spt=http start=someday empty= dpt=`)
	if err != nil {
		t.Fatal(err)
	}
	got := cols(t, e)
	want := map[string]string{
		"DeviceVendor": "v", "DeviceProduct": "p", "DeviceVersion": "1", "DeviceEventClassID": "id", "Activity": "n",
		"LogSeverity": "High", "SourceIP": "1.1.1.1", "ReceivedBytes": "99999999999",
		"AdditionalExtensions": "cefVersion=1;junk before;sourceAddress=2.2.2.2;cn3=N/A;cn2=99999999999;spt=http;start=someday;empty=",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestParseTime(t *testing.T) {
	ref := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"1659077576618":                  time.UnixMilli(1659077576618),
		"1630510030":                     time.Unix(1630510030, 0),
		"2022-07-25T04:56:13-05:00":      time.Date(2022, 7, 25, 9, 56, 13, 0, time.UTC),
		"Dec 20 2021 08:58:03 GMT+00:00": time.Date(2021, 12, 20, 8, 58, 3, 0, time.UTC),
		"Nov 07 2020 11:22:27 UTC":       time.Date(2020, 11, 7, 11, 22, 27, 0, time.UTC),
		"Feb 04 2021 23:57:21":           time.Date(2021, 2, 4, 23, 57, 21, 0, time.UTC),
		"Jan 18 2024 11:07:53.5 PST":     time.Date(2024, 1, 18, 19, 7, 53, 5e8, time.UTC),
		"Jan 18 2024 11:07:53 +0100":     time.Date(2024, 1, 18, 10, 7, 53, 0, time.UTC),
		"Dec 31 23:00:00":                time.Date(2023, 12, 31, 23, 0, 0, 0, time.UTC),
		"Jan  3 01:00:00.123 GMT":        time.Date(2024, 1, 3, 1, 0, 0, 123e6, time.UTC),
	}
	for in, want := range cases {
		got, ok := parseTime(in, ref)
		if !ok || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "someday", "Jan 18 2024 11:07:53 XYZ", "-5", "Foo 1 2024 00:00:00", "Jan 18 2024 11:07:53 GMT+99:00"} {
		if got, ok := parseTime(bad, ref); ok {
			t.Errorf("parseTime(%q) = %v, want failure", bad, got)
		}
	}
}
