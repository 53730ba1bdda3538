package stix

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/rampart-soc/rampart/internal/ti/pattern"
)

// Sentinel's 2025 threat-intelligence tables (shared/notes/stix-taxii-notes.md §4.1–4.2):
// ThreatIntelIndicators holds at least one row per indicator, one per (ObservableKey,
// ObservableValue) pair its pattern reduces to, or a single pattern-only row;
// ThreatIntelObjects holds every other STIX object. Both carry the whole object in Data.

// ThreatIntelIndicatorRows maps an indicator to its ThreatIntelIndicators rows, column name
// → value as text (as SentinelIndicatorRow). opt.Parsed, when set, is the indicator's parsed
// pattern, so callers that hold it do not parse it again.
func ThreatIntelIndicatorRows(o *Object, opt RowOptions) ([]map[string]string, error) {
	if o.Indicator == nil {
		return nil, errNotIndicator
	}
	base := tiCommon(o, opt, "ThreatIntelIndicators")
	base["Created"] = fmtTime(o.Created)
	base["Modified"] = fmtTime(o.Modified)
	base["ValidFrom"] = fmtTime(o.Indicator.ValidFrom)
	base["ValidUntil"] = fmtTime(o.Indicator.ValidUntil)
	if o.Confidence >= 0 {
		base["Confidence"] = strconv.Itoa(o.Confidence)
	}
	base["IsActive"] = strconv.FormatBool(o.ActiveAt(opt.now()))
	base["Revoked"] = strconv.FormatBool(o.Revoked)
	base["Pattern"] = o.Indicator.Pattern
	base["PatternType"] = o.Indicator.PatternType
	base["Tags"] = jsonList(o.Labels)

	var obs []pattern.Observable
	if o.Indicator.PatternType == "stix" {
		p := opt.Parsed
		if p == nil {
			p, _ = o.ParsePattern()
		}
		if p != nil {
			obs = p.Observables()
		}
	}
	if len(obs) == 0 { // Sentinel's pattern-only row: empty key and value
		return []map[string]string{base}, nil
	}
	rows := make([]map[string]string, len(obs))
	for i, ob := range obs {
		r := base
		if i > 0 {
			r = make(map[string]string, 32)
			for k, v := range base {
				r[k] = v
			}
		}
		r["ObservableKey"] = ob.Key
		r["ObservableValue"] = ob.Value
		rows[i] = r
	}
	return rows, nil
}

// ThreatIntelObjectRow maps any object but an indicator to its ThreatIntelObjects row.
func ThreatIntelObjectRow(o *Object, opt RowOptions) map[string]string {
	r := tiCommon(o, opt, "ThreatIntelObjects")
	r["StixType"] = o.Type
	return r
}

// tiCommon fills the columns both tables share.
func tiCommon(o *Object, opt RowOptions, table string) map[string]string {
	src := TISource(o, opt)
	r := make(map[string]string, 32)
	r["TimeGenerated"] = fmtTime(opt.now())
	r["Id"] = TIRowID(src, o.ID)
	r["Source"] = src
	r["Data"] = string(o.Data)
	r["IsDeleted"] = "false"
	r["LastUpdateMethod"] = or(opt.UpdateMethod, "Rampart")
	r["SourceSystem"] = or(opt.SourceSystem, "Rampart")
	r["Type"] = table
	if tlp, _ := opt.Markings.ObjectTLP(o); tlp != TLPUnknown {
		b, _ := json.Marshal(map[string]string{"TLPLevel": tlp.SentinelTLP()})
		r["AdditionalFields"] = string(b)
	}
	return r
}

// TISource is the Source column: the feed or import source, else the creator identity's
// name, else the source system.
func TISource(o *Object, opt RowOptions) string {
	if opt.Provider != "" {
		return opt.Provider
	}
	if opt.Store != nil && o.CreatedByRef != "" {
		if id := opt.Store.Get(o.CreatedByRef); id != nil && id.Name != "" {
			return id.Name
		}
	}
	return or(opt.SourceSystem, "Rampart")
}

// TIRowID is Sentinel's Id: the base64 source name, "---", the STIX id; stable across
// versions, so queries take the latest row per Id.
func TIRowID(source, stixID string) string {
	return base64.StdEncoding.EncodeToString([]byte(source)) + "---" + stixID
}
