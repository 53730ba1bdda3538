package replay

import (
	"encoding/json"
	"errors"
	"strings"
)

// cloudTrailColumns maps CloudTrail record keys (dotted for nested ones) to the
// AWSCloudTrail columns Sentinel stores them in.
var cloudTrailColumns = map[string]string{
	"eventName": "EventName", "eventSource": "EventSource", "eventType": "EventTypeName",
	"eventVersion": "EventVersion", "errorCode": "ErrorCode", "errorMessage": "ErrorMessage",
	"userAgent": "UserAgent", "sourceIPAddress": "SourceIpAddress", "awsRegion": "AWSRegion",
	"recipientAccountId": "RecipientAccountId", "readOnly": "ReadOnly", "requestID": "AwsRequestId",
	"eventID": "AwsEventId", "managementEvent": "ManagementEvent", "eventTime": "TimeGenerated",
	"apiVersion": "APIVersion", "sharedEventID": "SharedEventId", "vpcEndpointId": "VpcEndpointId",
	"eventCategory":     "Category",
	"userIdentity.type": "UserIdentityType", "userIdentity.arn": "UserIdentityArn",
	"userIdentity.accountId": "UserIdentityAccountId", "userIdentity.principalId": "UserIdentityPrincipalid",
	"userIdentity.userName": "UserIdentityUserName", "userIdentity.invokedBy": "UserIdentityInvokedBy",
	"userIdentity.accessKeyId":                                "UserIdentityAccessKeyId",
	"userIdentity.sessionContext.attributes.mfaAuthenticated": "SessionMfaAuthenticated",
	"userIdentity.sessionContext.attributes.creationDate":     "SessionCreationDate",
	"userIdentity.sessionContext.sessionIssuer.type":          "SessionIssuerType",
	"userIdentity.sessionContext.sessionIssuer.arn":           "SessionIssuerArn",
	"userIdentity.sessionContext.sessionIssuer.userName":      "SessionIssuerUserName",
	"userIdentity.sessionContext.sessionIssuer.principalId":   "SessionIssuerPrincipalId",
	"userIdentity.sessionContext.sessionIssuer.accountId":     "SessionIssuerAccountId",
}

// cloudTrailJSONColumns hold objects; Sentinel keeps them as JSON text, which also
// lets `contains` patterns see the whole payload (dotted paths still decode it).
var cloudTrailJSONColumns = map[string]string{
	"requestParameters": "RequestParameters", "responseElements": "ResponseElements",
	"additionalEventData": "AdditionalEventData", "resources": "Resources",
	"serviceEventDetails": "ServiceEventDetails",
}

// cloudTrail converts one CloudTrail record, or a {"Records": [...]} file object,
// into AWSCloudTrail rows.
func cloudTrail(rec map[string]any) ([]Row, error) {
	if recs, ok := rec["Records"].([]any); ok {
		out := make([]Row, 0, len(recs))
		for _, r := range recs {
			m, ok := r.(map[string]any)
			if !ok {
				return out, errors.New("cloudtrail: Records holds a non-object")
			}
			out = append(out, cloudTrailRow(m))
		}
		return out, nil
	}
	if rec["eventName"] == nil && rec["eventSource"] == nil {
		return nil, errors.New("cloudtrail: record has neither eventName nor eventSource")
	}
	return []Row{cloudTrailRow(rec)}, nil
}

func cloudTrailRow(rec map[string]any) Row {
	row := map[string]any{"Type": "AWSCloudTrail"}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			key := prefix + k
			if col, ok := cloudTrailJSONColumns[key]; ok {
				row[col] = jsonText(v)
				continue
			}
			if col, ok := cloudTrailColumns[key]; ok {
				row[col] = v
				continue
			}
			if sub, ok := v.(map[string]any); ok && (prefix != "" || k == "userIdentity") {
				walk(key+".", sub)
			}
		}
	}
	walk("", rec)
	return Row{Table: "AWSCloudTrail", Fields: row}
}

// jsonText renders an object or array as JSON text; strings and nil stay.
func jsonText(v any) any {
	switch v.(type) {
	case map[string]any, []any:
		b, err := json.Marshal(v)
		if err != nil {
			return nil
		}
		return string(b)
	}
	return v
}

// sentinelRow takes a Log Analytics row as it is: its Type column (or, failing
// that, the name of the file it came from) names the table.
func sentinelRow(rec map[string]any, fileTable string) (Row, error) {
	table := str(rec["Type"])
	if table == "" {
		table = fileTable
	}
	if table == "" {
		return Row{}, errors.New("sentinel row: no Type column and no table named by the file")
	}
	if table == "Event" {
		return legacyEvent(rec), nil
	}
	return Row{Table: table, Fields: rec}, nil
}

// tableFromFile derives a table from a Sentinel export's file name:
// "SecurityEvent.jsonl" and "Syslog_auoms.jsonl" name SecurityEvent and Syslog.
func tableFromFile(name string) string {
	base := name
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	if i := strings.IndexByte(base, '_'); i > 0 {
		base = base[:i]
	}
	return base
}
