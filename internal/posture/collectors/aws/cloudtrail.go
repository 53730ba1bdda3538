package aws

import (
	"context"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// cloudtrail collects the trails visible in a region with their status and event
// selectors. A multi-region trail shows in every region; it is collected once.
func (c *collector) cloudtrail(ctx context.Context, region string) {
	cl := cloudtrail.NewFromConfig(c.cfg, func(o *cloudtrail.Options) { o.Region = region })
	out, err := cl.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: sdkaws.Bool(true)})
	if err != nil {
		c.fail(region, "cloudtrail.DescribeTrails", err)
		return
	}
	var mine []types.Trail
	for _, t := range out.TrailList {
		arn := sdkaws.ToString(t.TrailARN)
		if arn == "" || sdkaws.ToString(t.Name) == "" {
			c.errorf(source(region, "cloudtrail.DescribeTrails"), "a trail without an ARN or name was listed")
			continue
		}
		if home := sdkaws.ToString(t.HomeRegion); home != region && c.collecting[home] {
			continue // its home region's run has the authoritative copy
		}
		if c.claim(arn) {
			mine = append(mine, t)
		}
	}
	forEach(ctx, len(mine), c.opts.Concurrency, func(i int) {
		t := mine[i]
		r := c.resource("AWS::CloudTrail::Trail", sdkaws.ToString(t.TrailARN), sdkaws.ToString(t.Name), region, "cloudtrail.DescribeTrails", mustProps(t))
		st, err := cl.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: t.TrailARN})
		c.store(r, region, "cloudtrail.GetTrailStatus", st, err, nil)
		sel, err := cl.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: t.TrailARN})
		c.store(r, region, "cloudtrail.GetEventSelectors", sel, err, nil)
		c.add(r)
	})
}
