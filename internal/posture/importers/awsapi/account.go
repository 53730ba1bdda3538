package awsapi

import (
	"encoding/base64"
	"encoding/csv"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// iamAccount merges IAM account-wide responses into the AWS::IAM::Account resource; the
// password policy is also a resource of its own (present or not, so a missing one can be
// reported).
func (b *builder) iamAccount(c call) {
	acct := b.accountResource("AWS::IAM::Account", "arn:aws:iam::"+b.accountOr()+":root", c.source)
	switch c.op {
	case "iam.GetAccountPasswordPolicy":
		props := map[string]any{}
		if c.status >= 400 {
			props["Error"] = c.data["Error"]
			acct.Properties["PasswordPolicy"] = nil
		} else {
			pp, _ := c.data["PasswordPolicy"].(map[string]any)
			for k, v := range pp {
				props[k] = v
			}
			acct.Properties["PasswordPolicy"] = pp
		}
		props["Exists"] = c.status < 400
		b.add(b.resource("AWS::IAM::AccountPasswordPolicy", "arn:aws:iam::"+b.accountOr()+":account-password-policy", "password-policy", props, c.source))
		return
	case "iam.GetCredentialReport":
		if c.status >= 400 {
			return // report not generated yet; the next call has it
		}
		rows, err := credentialReport(str(c.data, "Content"))
		if err != nil {
			b.res.Errorf(c.source, "credential report: %v", err)
			return
		}
		acct.Properties["CredentialReport"] = rows
		for _, row := range rows {
			if m, _ := row.(map[string]any); m["user"] == "<root_account>" {
				acct.Properties["Root"] = m
			}
		}
		return
	}
	if c.status >= 400 {
		b.res.Errorf(c.source, "recorded HTTP %d: %s", c.status, apiError(c.data))
		return
	}
	for k, v := range c.data {
		acct.Properties[k] = v
	}
}

// accountSetting stores an account-wide setting on the AWS::::Account resource under
// service, then operation (errors kept: a missing setting is a finding).
func (b *builder) accountSetting(c call) {
	acct := b.accountResource("AWS::::Account", "arn:aws:::"+b.accountOr(), c.source)
	svc, op, _ := strings.Cut(c.op, ".")
	m, _ := acct.Properties[svc].(map[string]any)
	if m == nil {
		m = map[string]any{}
		acct.Properties[svc] = m
	}
	data := c.data
	if c.status >= 400 {
		data = map[string]any{"Error": c.data["Error"], "StatusCode": float64(c.status)}
	}
	m[op] = data
}

func (b *builder) accountOr() string {
	if b.account != "" {
		return b.account
	}
	return "unknown"
}

func (b *builder) accountResource(typ, id, source string) *inventory.Resource {
	if r, ok := b.byID[id]; ok {
		return r
	}
	r := b.resource(typ, id, b.accountOr(), map[string]any{}, source)
	r.Account = b.account
	return b.add(r)
}

// credentialReport parses the CSV credential report (base64 in the raw API, text in
// recordings) into one object per user, "N/A" and "not_supported" becoming null and
// "true"/"false" booleans.
func credentialReport(content string) ([]any, error) {
	if !strings.Contains(content, ",") {
		if dec, err := base64.StdEncoding.DecodeString(content); err == nil {
			content = string(dec)
		}
	}
	r := csv.NewReader(strings.NewReader(content))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	head := recs[0]
	var out []any
	for _, rec := range recs[1:] {
		row := map[string]any{}
		for i, h := range head {
			if i >= len(rec) {
				break
			}
			switch v := rec[i]; v {
			case "N/A", "not_supported", "no_information":
				row[h] = nil
			case "true":
				row[h] = true
			case "false":
				row[h] = false
			default:
				row[h] = v
			}
		}
		out = append(out, row)
	}
	return out, nil
}
