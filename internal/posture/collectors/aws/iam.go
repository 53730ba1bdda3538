package aws

import (
	"context"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// iam collects the account-wide IAM settings (AWS::IAM::Account, the password policy) and
// the users with their MFA devices, login profiles, access keys and policies.
func (c *collector) iam(ctx context.Context) {
	cl := iam.NewFromConfig(c.cfg, func(o *iam.Options) { o.Region = c.homeRegion() })
	acct := c.resource("AWS::IAM::Account", "arn:"+c.partition+":iam::"+c.accountOr()+":root", c.accountOr(), "", "iam.GetAccountSummary", map[string]any{})
	acct.Account = c.account

	if out, err := cl.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err != nil {
		c.fail("", "iam.GetAccountSummary", err)
	} else {
		merge(acct.Properties, mustProps(out))
	}
	c.passwordPolicy(ctx, cl, acct)
	var mfa []types.VirtualMFADevice
	vp := iam.NewListVirtualMFADevicesPaginator(cl, &iam.ListVirtualMFADevicesInput{})
	for vp.HasMorePages() {
		out, err := vp.NextPage(ctx)
		if err != nil {
			c.fail("", "iam.ListVirtualMFADevices", err)
			mfa = nil
			break
		}
		mfa = append(mfa, out.VirtualMFADevices...)
	}
	if mfa != nil {
		merge(acct.Properties, mustProps(struct{ VirtualMFADevices []types.VirtualMFADevice }{mfa}))
	}
	c.credentialReport(ctx, cl, acct)
	c.add(acct)
	c.users(ctx, cl)
}

// passwordPolicy adds AWS::IAM::AccountPasswordPolicy, with Exists false when the account
// has none (NoSuchEntity), which is the finding.
func (c *collector) passwordPolicy(ctx context.Context, cl *iam.Client, acct *inventory.Resource) {
	const op = "iam.GetAccountPasswordPolicy"
	id := "arn:" + c.partition + ":iam::" + c.accountOr() + ":account-password-policy"
	out, err := cl.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	p := map[string]any{}
	switch {
	case err == nil:
		pp := mustProps(out.PasswordPolicy)
		acct.Properties["PasswordPolicy"] = pp
		merge(p, pp)
		p["Exists"] = true
	case describe(err).code == "NoSuchEntity":
		e := describe(err)
		acct.Properties["PasswordPolicy"] = nil
		p["Error"] = e.data(nil)["Error"]
		p["Exists"] = false
	default:
		c.fail("", op, err)
		return
	}
	r := c.resource("AWS::IAM::AccountPasswordPolicy", id, "password-policy", "", op, p)
	r.Account = c.account
	c.add(r)
}

// credentialReport asks IAM for the credential report, waits for it within
// CredentialReportWait, and stores its rows (and the root user's) on the account.
func (c *collector) credentialReport(ctx context.Context, cl *iam.Client, acct *inventory.Resource) {
	if c.opts.CredentialReportWait < 0 {
		return
	}
	deadline := time.Now().Add(c.opts.CredentialReportWait)
	for {
		gen, err := cl.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			c.fail("", "iam.GenerateCredentialReport", err)
			return
		}
		if gen.State == types.ReportStateTypeComplete {
			break
		}
		if time.Now().After(deadline) {
			c.errorf(source("", "iam.GetCredentialReport"), "the credential report was not ready within %s", c.opts.CredentialReportWait)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
	out, err := cl.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		c.fail("", "iam.GetCredentialReport", err)
		return
	}
	rows, err := credentialReport(out.Content)
	if err != nil {
		c.errorf(source("", "iam.GetCredentialReport"), "credential report: %v", err)
		return
	}
	acct.Properties["CredentialReport"] = rows
	for _, row := range rows {
		if m, _ := row.(map[string]any); m["user"] == "<root_account>" {
			acct.Properties["Root"] = m
		}
	}
}

// users lists IAM users and reads each one's details.
func (c *collector) users(ctx context.Context, cl *iam.Client) {
	var users []types.User
	p := iam.NewListUsersPaginator(cl, &iam.ListUsersInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			c.fail("", "iam.ListUsers", err)
			break
		}
		users = append(users, out.Users...)
	}
	forEach(ctx, len(users), c.opts.Concurrency, func(i int) { c.user(ctx, cl, users[i]) })
}

func (c *collector) user(ctx context.Context, cl *iam.Client, u types.User) {
	arn, name := sdkaws.ToString(u.Arn), sdkaws.ToString(u.UserName)
	if arn == "" || name == "" {
		c.errorf(source("", "iam.ListUsers"), "a user without an ARN or name was listed")
		return
	}
	r := c.resource("AWS::IAM::User", arn, name, "", "iam.ListUsers", mustProps(u))
	n := u.UserName

	lp, err := cl.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: n})
	c.store(r, "", "iam.GetLoginProfile", lp, err, nil)

	var mfa []types.MFADevice
	mp := iam.NewListMFADevicesPaginator(cl, &iam.ListMFADevicesInput{UserName: n})
	for err = nil; err == nil && mp.HasMorePages(); {
		var out *iam.ListMFADevicesOutput
		if out, err = mp.NextPage(ctx); err == nil {
			mfa = append(mfa, out.MFADevices...)
		}
	}
	c.store(r, "", "iam.ListMFADevices", &iam.ListMFADevicesOutput{MFADevices: nonNil(mfa)}, err, nil)

	var keys []types.AccessKeyMetadata
	kp := iam.NewListAccessKeysPaginator(cl, &iam.ListAccessKeysInput{UserName: n})
	for err = nil; err == nil && kp.HasMorePages(); {
		var out *iam.ListAccessKeysOutput
		if out, err = kp.NextPage(ctx); err == nil {
			keys = append(keys, out.AccessKeyMetadata...)
		}
	}
	c.store(r, "", "iam.ListAccessKeys", &iam.ListAccessKeysOutput{AccessKeyMetadata: nonNil(keys)}, err, nil)

	var attached []types.AttachedPolicy
	ap := iam.NewListAttachedUserPoliciesPaginator(cl, &iam.ListAttachedUserPoliciesInput{UserName: n})
	for err = nil; err == nil && ap.HasMorePages(); {
		var out *iam.ListAttachedUserPoliciesOutput
		if out, err = ap.NextPage(ctx); err == nil {
			attached = append(attached, out.AttachedPolicies...)
		}
	}
	c.store(r, "", "iam.ListAttachedUserPolicies", &iam.ListAttachedUserPoliciesOutput{AttachedPolicies: nonNil(attached)}, err, nil)

	var inline []string
	ip := iam.NewListUserPoliciesPaginator(cl, &iam.ListUserPoliciesInput{UserName: n})
	for err = nil; err == nil && ip.HasMorePages(); {
		var out *iam.ListUserPoliciesOutput
		if out, err = ip.NextPage(ctx); err == nil {
			inline = append(inline, out.PolicyNames...)
		}
	}
	c.store(r, "", "iam.ListUserPolicies", &iam.ListUserPoliciesOutput{PolicyNames: nonNil(inline)}, err, nil)
	c.add(r)
}

// nonNil keeps an empty list as [] so "no MFA devices" is stored, not dropped as absent.
func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// merge copies src's fields into dst.
func merge(dst, src map[string]any) {
	for k, v := range src {
		dst[k] = v
	}
}
