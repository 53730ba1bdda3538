package stix

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/ti/pattern"
)

// The newer Sentinel tables, ThreatIntelIndicators and ThreatIntelObjects, are written by
// sentinel_tables.go.

// RowOptions feeds the columns a STIX indicator does not carry itself.
type RowOptions struct {
	Now          time.Time // TimeGenerated and the Active test; zero: time.Now()
	Provider     string    // IndicatorProvider (feed name); default: the creator identity's name
	SourceSystem string    // default "Rampart"
	Action       string    // alert, block or allow; default "alert"
	Markings     *Markings // TLP resolution; nil: predefined TLP ids only
	Store        *Store    // optional: indicates-relationships and identities
	UpdateMethod string    // LastUpdateMethod of the 2025 tables; default "Rampart"
	// Parsed is the indicator's parsed pattern when the caller has it (nil: parsed here).
	Parsed *pattern.Pattern
}

func (opt RowOptions) now() time.Time {
	if opt.Now.IsZero() {
		return time.Now()
	}
	return opt.Now
}

// legacyKillChain maps kill-chain phase names (Lockheed Martin and ATT&CK
// tactics) to the legacy table's six flags.
var legacyKillChain = map[string]string{
	"reconnaissance":        "KillChainReconnaissance",
	"weaponization":         "KillChainWeaponization",
	"resource-development":  "KillChainWeaponization",
	"delivery":              "KillChainDelivery",
	"initial-access":        "KillChainDelivery",
	"exploitation":          "KillChainExploitation",
	"installation":          "KillChainExploitation",
	"execution":             "KillChainExploitation",
	"command-and-control":   "KillChainC2",
	"command-control":       "KillChainC2",
	"c2":                    "KillChainC2",
	"actions-on-objectives": "KillChainActions",
	"actions":               "KillChainActions",
	"collection":            "KillChainActions",
	"exfiltration":          "KillChainActions",
	"impact":                "KillChainActions",
}

// observableColumns maps canonical pattern paths to legacy columns; the
// CIDR column is used when the value is a network rather than an address.
var observableColumns = map[string][2]string{
	"ipv4-addr:value":                {"NetworkIP", "NetworkCidrBlock"},
	"ipv6-addr:value":                {"NetworkIP", "NetworkCidrBlock"},
	"network-traffic:src_ref.value":  {"NetworkSourceIP", "NetworkSourceCidrBlock"},
	"network-traffic:dst_ref.value":  {"NetworkDestinationIP", "NetworkDestinationCidrBlock"},
	"network-traffic:dst_port":       {"NetworkDestinationPort"},
	"domain-name:value":              {"DomainName"},
	"url:value":                      {"Url"},
	"email-addr:value":               {"EmailSenderAddress"},
	"email-message:from_ref.value":   {"EmailSenderAddress"},
	"email-message:sender_ref.value": {"EmailSenderAddress"},
	"file:name":                      {"FileName"},
	"directory:path":                 {"FilePath"},
	"mutex:name":                     {"FileMutexName"},
}

// SentinelIndicatorRow maps an indicator to one ThreatIntelligenceIndicator
// row, column name → value as text (bool "true"/"false", datetimes RFC 3339
// UTC, list-valued strings as JSON arrays). Observable columns come from
// pattern.Observables(); where a pattern has several values for one
// column the first fills it and all are listed in AdditionalInformation,
// with the pattern, so nothing is lost. Empty columns are omitted.
func SentinelIndicatorRow(o *Object, opt RowOptions) (map[string]string, error) {
	if o.Indicator == nil {
		return nil, errNotIndicator
	}
	now := opt.now()
	row := make(map[string]string, 40) // sized once: growing it was a third of its cost
	row["TimeGenerated"] = fmtTime(now)
	row["SourceSystem"] = or(opt.SourceSystem, "Rampart")
	row["Action"] = or(opt.Action, "alert")
	row["IndicatorId"] = o.ID
	row["ExternalIndicatorId"] = o.ID
	row["Active"] = strconv.FormatBool(o.ActiveAt(now))
	row["PassiveOnly"] = "false"
	row["Description"] = or(o.Description, o.Name)
	set := func(col, v string) {
		if v != "" {
			row[col] = v
		}
	}
	set("ExpirationDateTime", fmtTime(o.Indicator.ValidUntil))
	if o.Confidence >= 0 {
		row["ConfidenceScore"] = strconv.Itoa(o.Confidence)
	}
	if len(o.Types) > 0 {
		row["ThreatType"] = o.Types[0]
	}
	set("Tags", jsonList(o.Labels))
	if tlp, _ := opt.Markings.ObjectTLP(o); tlp != TLPUnknown {
		row["TrafficLightProtocolLevel"] = tlp.SentinelTLP()
	}
	for _, col := range []string{"KillChainReconnaissance", "KillChainWeaponization", "KillChainDelivery",
		"KillChainExploitation", "KillChainC2", "KillChainActions"} {
		row[col] = "false"
	}
	for _, k := range o.KillChainPhases {
		if col, ok := legacyKillChain[strings.ToLower(k.PhaseName)]; ok {
			row[col] = "true"
		}
	}
	row["IndicatorProvider"] = opt.Provider
	relatedColumns(o, opt.Store, row)
	if row["IndicatorProvider"] == "" {
		delete(row, "IndicatorProvider")
	}

	extra := map[string]any{"pattern": o.Indicator.Pattern, "pattern_type": o.Indicator.PatternType}
	if o.Indicator.PatternType == "stix" {
		p, err := opt.Parsed, error(nil)
		if p == nil {
			p, err = o.ParsePattern()
		}
		if err != nil {
			extra["pattern_error"] = err.Error()
		} else if obs := p.Observables(); len(obs) > 0 {
			fillObservables(row, obs)
			if len(obs) > 1 {
				list := make([][2]string, len(obs))
				for i, ob := range obs {
					list[i] = [2]string{ob.Key, ob.Value}
				}
				extra["observables"] = list
			}
		}
	}
	if b, err := json.Marshal(extra); err == nil {
		row["AdditionalInformation"] = string(b)
	}
	return row, nil
}

func fillObservables(row map[string]string, obs []pattern.Observable) {
	for _, ob := range obs {
		if algo, ok := strings.CutPrefix(ob.Key, "file:hashes."); ok {
			if _, done := row["FileHashValue"]; !done {
				row["FileHashType"] = sentinelHashType(algo)
				row["FileHashValue"] = ob.Value
			}
			continue
		}
		cols, ok := observableColumns[ob.Key]
		if !ok {
			continue
		}
		col := cols[0]
		if len(cols) > 1 && ob.Prefix.IsValid() && ob.Prefix.Bits() < ob.Prefix.Addr().BitLen() {
			col = cols[1]
		}
		if _, done := row[col]; !done {
			row[col] = ob.Value
		}
	}
}

// sentinelHashType spells an algorithm as the legacy table does: SHA256,
// SHA1, MD5 (no hyphen, upper case).
func sentinelHashType(key string) string {
	key = strings.Trim(key, "'")
	return strings.ReplaceAll(pattern.NormalizeHashName(key), "-", "")
}

// relatedColumns fills MalwareNames, ActivityGroupNames and the provider
// from the store's graph.
func relatedColumns(o *Object, st *Store, row map[string]string) {
	if st == nil {
		return
	}
	var malware, groups []string
	for _, t := range st.Related(o.ID, "indicates") {
		switch t.Type {
		case "malware", "tool":
			malware = append(malware, t.Name)
		case "threat-actor", "intrusion-set", "campaign":
			groups = append(groups, t.Name)
		}
	}
	if s := jsonList(malware); s != "" {
		row["MalwareNames"] = s
	}
	if s := jsonList(groups); s != "" {
		row["ActivityGroupNames"] = s
	}
	if row["IndicatorProvider"] == "" && o.CreatedByRef != "" {
		if id := st.Get(o.CreatedByRef); id != nil && id.Name != "" {
			row["IndicatorProvider"] = id.Name
		}
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func jsonList(l []string) string {
	if len(l) == 0 {
		return ""
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
