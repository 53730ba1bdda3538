package aws

import (
	"context"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// rds collects the region's DB instances.
func (c *collector) rds(ctx context.Context, region string) {
	cl := rds.NewFromConfig(c.cfg, func(o *rds.Options) { o.Region = region })
	p := rds.NewDescribeDBInstancesPaginator(cl, &rds.DescribeDBInstancesInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			c.fail(region, "rds.DescribeDBInstances", err)
			return
		}
		for _, db := range out.DBInstances {
			c.addListed(region, "rds.DescribeDBInstances", "AWS::RDS::DBInstance", sdkaws.ToString(db.DBInstanceArn), sdkaws.ToString(db.DBInstanceIdentifier), db)
		}
	}
}
