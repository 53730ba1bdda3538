package replay

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/sigma/pipeline"
)

// zeekTable holds Zeek log records for the Sigma engine. Rampart's Sentinel
// pipeline has no Zeek table, so replay extends it: every Zeek service reads
// the rows of its log (ZeekLog column), field names used as they are.
const zeekTable = "ZeekEvents"

var zeekServices = []string{"conn", "dns", "http", "ssl", "x509", "files", "kerberos", "smb_files",
	"smb_mapping", "dce_rpc", "dpd", "weird", "notice", "pe", "rdp", "ntlm", "ssh", "smtp", "ftp"}

func zeekPipelineYAML() string {
	var b strings.Builder
	b.WriteString("name: replay-zeek\ntables:\n  " + zeekTable + ":\n    columns: [TimeGenerated, ZeekLog, Sensor]\n    passthrough: true\nsources:\n")
	for _, s := range zeekServices {
		b.WriteString("  - {logsource: {product: zeek, service: " + s + "}, targets: [{table: " + zeekTable + ", where: {ZeekLog: " + s + "}}]}\n")
	}
	return b.String()
}

var (
	replayPipelineOnce sync.Once
	replayPipeline     *pipeline.Pipeline
	replayPipelineErr  error
)

// Pipeline is Rampart's Sentinel pipeline plus the Zeek logsources.
func Pipeline() (*pipeline.Pipeline, error) {
	replayPipelineOnce.Do(func() {
		z, err := pipeline.Load([]byte(zeekPipelineYAML()))
		if err != nil {
			replayPipelineErr = err
			return
		}
		def := pipeline.Default()
		p := &pipeline.Pipeline{Name: "sentinel+zeek", Tables: map[string]*pipeline.Table{}}
		for n, t := range def.Tables {
			p.Tables[n] = t
		}
		for n, t := range z.Tables {
			p.Tables[n] = t
		}
		p.Sources = append(append(p.Sources, def.Sources...), z.Sources...)
		replayPipeline = p
	})
	return replayPipeline, replayPipelineErr
}

// zeekDotted are the record prefixes Zeek writes with dots (id.orig_h,
// certificate.serial) that some pipelines flatten to underscores.
var zeekDotted = []string{"id_", "certificate_", "san_", "basic_constraints_"}

// zeekRows converts one Zeek JSON record (@stream names the log). Both spellings
// of dotted fields are set. HTTP records also give a proxy row and DNS records a
// DnsEvents row, so Sigma's proxy and dns category rules see network traffic too.
func zeekRows(rec map[string]any) ([]Row, error) {
	stream := str(rec["@stream"])
	if stream == "" {
		stream = str(rec["_path"])
	}
	if stream == "" {
		return nil, errors.New("zeek json: no @stream (or _path) naming the log")
	}
	row := make(map[string]any, len(rec)+8)
	for k, v := range rec {
		row[k] = v
		for _, p := range zeekDotted {
			if rest, ok := strings.CutPrefix(k, p); ok && rest != "" {
				row[strings.TrimSuffix(p, "_")+"."+rest] = v
			}
		}
		if strings.HasPrefix(k, "id.") {
			row["id_"+k[3:]] = v
		}
	}
	row["ZeekLog"] = stream
	row["Sensor"] = rec["@system"]
	if ts := zeekTime(rec["ts"]); ts != "" {
		row["TimeGenerated"] = ts
	}
	out := []Row{{Table: zeekTable, Fields: row}}
	switch stream {
	case "http":
		out = append(out, Row{Table: "CommonSecurityLog", Fields: map[string]any{
			"TimeGenerated": row["TimeGenerated"], "DeviceProduct": "Zeek", "Activity": "http",
			"RequestURL": row["uri"], "RequestMethod": row["method"], "RequestClientApplication": row["user_agent"],
			"DestinationHostName": row["host"], "SourceIP": row["id.orig_h"], "DestinationIP": row["id.resp_h"],
			"SourcePort": row["id.orig_p"], "DestinationPort": row["id.resp_p"], "Outcome": str(row["status_code"]),
			"RequestContext": row["referrer"],
		}})
	case "dns":
		out = append(out, Row{Table: "DnsEvents", Fields: map[string]any{
			"TimeGenerated": row["TimeGenerated"], "Name": row["query"], "QueryType": row["qtype_name"],
			"ClientIP": row["id.orig_h"], "IPAddresses": joinList(row["answers"]), "ResultCode": row["rcode"],
		}})
	}
	return out, nil
}

func zeekTime(v any) string {
	s := str(v)
	if s == "" {
		return ""
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Format(time.RFC3339Nano)
	}
	ts, _ := epochText(s)
	return ts
}

func joinList(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	parts := make([]string, 0, len(l))
	for _, x := range l {
		parts = append(parts, str(x))
	}
	return strings.Join(parts, ",")
}
