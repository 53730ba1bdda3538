package incident

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// alertRow is the SecurityAlert row of an alert, with Sentinel's column meanings.
func alertRow(a Alert) map[string]string {
	entities := make([]Entity, len(a.Entities))
	for i, e := range a.Entities {
		c := Entity{"$id": strconv.Itoa(i + 1)}
		for k, v := range e {
			c[k] = v
		}
		entities[i] = c
	}
	ext := map[string]any{"Analytic Rule Ids": js([]string{a.RuleID}), "Analytic Rule Name": a.RuleName, "Techniques": strings.Join(a.Techniques, ","),
		"Rule Version": strconv.Itoa(a.RuleVersion), "Incident Number": strconv.Itoa(a.Incident)}
	if len(a.CustomDetails) > 0 {
		ext["Custom Details"] = js(a.CustomDetails)
	}
	compromised := ""
	for _, e := range a.Entities {
		switch e.Type() {
		case "host":
			compromised, _ = e["HostName"].(string)
		case "account":
			if compromised == "" {
				compromised, _ = e["Name"].(string)
			}
		}
	}
	return map[string]string{
		"TimeGenerated": ts(a.Time), "DisplayName": a.Title, "AlertName": a.Title, "AlertSeverity": string(a.Severity),
		"Description": a.Description, "ProviderName": "Rampart", "VendorName": "Rampart", "SystemAlertId": a.ID,
		"VendorOriginalId": a.ID, "AlertType": a.RuleID, "ProductName": "Rampart", "ProductComponentName": a.Product,
		"StartTime": ts(a.StartTime), "EndTime": ts(a.EndTime), "ProcessingEndTime": ts(a.Time), "RemediationSteps": a.Remediation,
		"ExtendedProperties": js(ext), "Entities": js(entities), "ExtendedLinks": js(a.Evidence), "Status": "New",
		"CompromisedEntity": compromised, "Tactics": strings.Join(a.Tactics, ", "), "IsIncident": "false", "SourceSystem": "Detection",
	}
}

// incidentRow is the SecurityIncident row of an incident's current state.
func incidentRow(inc *Incident, modifiedBy string) map[string]string {
	labels := make([]map[string]string, len(inc.Labels))
	for i, l := range inc.Labels {
		labels[i] = map[string]string{"labelName": l, "labelType": "User"}
	}
	comments := make([]map[string]string, len(inc.Comments))
	for i, c := range inc.Comments {
		comments[i] = map[string]string{"message": c.Text, "createdTimeUtc": ts(c.Time), "author": c.Author}
	}
	owner := map[string]any{"assignedTo": nilIfEmpty(inc.Owner.Name), "email": nilIfEmpty(inc.Owner.Email)}
	row := map[string]string{
		"TimeGenerated": ts(inc.Modified), "IncidentName": inc.ID, "Title": inc.Title, "Description": inc.Description,
		"Severity": string(inc.Severity), "Status": string(inc.Status), "Classification": inc.Classification,
		"ClassificationComment": inc.ClassificationComment, "ClassificationReason": inc.ClassificationReason,
		"Owner": js(owner), "FirstActivityTime": ts(inc.FirstActivity), "LastActivityTime": ts(inc.LastActivity),
		"LastModifiedTime": ts(inc.Modified), "CreatedTime": ts(inc.Created), "IncidentNumber": strconv.Itoa(inc.Number),
		"RelatedAnalyticRuleIds": js(inc.RuleIDs), "AlertIds": js(inc.AlertIDs), "BookmarkIds": "[]", "Comments": js(comments),
		"Labels": js(labels), "ModifiedBy": modifiedBy, "SourceSystem": "Rampart",
		"AdditionalData": js(map[string]any{"alertsCount": len(inc.AlertIDs), "tactics": inc.Tactics, "techniques": inc.Techniques,
			"alertProductNames": inc.Products, "commentsCount": len(inc.Comments), "tasksCount": len(inc.Tasks)}),
	}
	return row
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
