package aws

import (
	"context"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// kms collects the region's keys with their metadata, rotation status, key policy and
// aliases.
func (c *collector) kms(ctx context.Context, region string) {
	cl := kms.NewFromConfig(c.cfg, func(o *kms.Options) { o.Region = region })
	var keys []types.KeyListEntry
	p := kms.NewListKeysPaginator(cl, &kms.ListKeysInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			c.fail(region, "kms.ListKeys", err)
			return
		}
		keys = append(keys, out.Keys...)
	}
	aliases := map[string][]any{}
	ap := kms.NewListAliasesPaginator(cl, &kms.ListAliasesInput{})
	for ap.HasMorePages() {
		out, err := ap.NextPage(ctx)
		if err != nil {
			c.fail(region, "kms.ListAliases", err)
			break
		}
		for _, a := range out.Aliases {
			if id := sdkaws.ToString(a.TargetKeyId); id != "" {
				aliases[id] = append(aliases[id], mustProps(a))
			}
		}
	}
	rs := make([]*inventory.Resource, len(keys))
	forEach(ctx, len(keys), c.opts.Concurrency, func(i int) { rs[i] = c.key(ctx, cl, region, keys[i]) })
	for _, r := range rs {
		if r == nil {
			continue
		}
		if a := aliases[r.Name]; a != nil {
			r.Properties["Aliases"] = a
		}
		c.add(r)
	}
}

func (c *collector) key(ctx context.Context, cl *kms.Client, region string, k types.KeyListEntry) *inventory.Resource {
	arn, id := sdkaws.ToString(k.KeyArn), sdkaws.ToString(k.KeyId)
	if arn == "" || id == "" {
		c.errorf(source(region, "kms.ListKeys"), "a key without an ARN or id was listed")
		return nil
	}
	r := c.resource("AWS::KMS::Key", arn, id, region, "kms.ListKeys", mustProps(k))
	d, err := cl.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyArn})
	c.store(r, region, "kms.DescribeKey", d, err, nil)
	rot, err := cl.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: k.KeyArn})
	c.store(r, region, "kms.GetKeyRotationStatus", rot, err, nil)
	pol, err := cl.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: k.KeyArn, PolicyName: sdkaws.String("default")})
	c.store(r, region, "kms.GetKeyPolicy", pol, err, nil)
	return r
}
