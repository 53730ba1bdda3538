package aws

import (
	"context"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// ec2 collects instances, security groups, volumes, VPCs and flow logs of one region. Each
// listing fails on its own.
func (c *collector) ec2(ctx context.Context, region string) {
	cl := ec2.NewFromConfig(c.cfg, c.inRegion(region))

	ip := ec2.NewDescribeInstancesPaginator(cl, &ec2.DescribeInstancesInput{})
	for ip.HasMorePages() {
		out, err := ip.NextPage(ctx)
		if err != nil {
			c.fail(region, "ec2.DescribeInstances", err)
			break
		}
		for _, rv := range out.Reservations {
			for _, in := range rv.Instances {
				id := sdkaws.ToString(in.InstanceId)
				c.addListed(region, "ec2.DescribeInstances", "AWS::EC2::Instance", c.arn("ec2", region, "instance/"+id), id, in)
			}
		}
	}

	sp := ec2.NewDescribeSecurityGroupsPaginator(cl, &ec2.DescribeSecurityGroupsInput{})
	for sp.HasMorePages() {
		out, err := sp.NextPage(ctx)
		if err != nil {
			c.fail(region, "ec2.DescribeSecurityGroups", err)
			break
		}
		for _, g := range out.SecurityGroups {
			id := sdkaws.ToString(g.GroupId)
			c.addListed(region, "ec2.DescribeSecurityGroups", "AWS::EC2::SecurityGroup", c.arn("ec2", region, "security-group/"+id), sdkaws.ToString(g.GroupName), g)
		}
	}

	vp := ec2.NewDescribeVolumesPaginator(cl, &ec2.DescribeVolumesInput{})
	for vp.HasMorePages() {
		out, err := vp.NextPage(ctx)
		if err != nil {
			c.fail(region, "ec2.DescribeVolumes", err)
			break
		}
		for _, v := range out.Volumes {
			id := sdkaws.ToString(v.VolumeId)
			c.addListed(region, "ec2.DescribeVolumes", "AWS::EC2::Volume", c.arn("ec2", region, "volume/"+id), id, v)
		}
	}

	np := ec2.NewDescribeVpcsPaginator(cl, &ec2.DescribeVpcsInput{})
	for np.HasMorePages() {
		out, err := np.NextPage(ctx)
		if err != nil {
			c.fail(region, "ec2.DescribeVpcs", err)
			break
		}
		for _, v := range out.Vpcs {
			id := sdkaws.ToString(v.VpcId)
			c.addListed(region, "ec2.DescribeVpcs", "AWS::EC2::VPC", c.arn("ec2", region, "vpc/"+id), id, v)
		}
	}

	fp := ec2.NewDescribeFlowLogsPaginator(cl, &ec2.DescribeFlowLogsInput{})
	for fp.HasMorePages() {
		out, err := fp.NextPage(ctx)
		if err != nil {
			c.fail(region, "ec2.DescribeFlowLogs", err)
			break
		}
		for _, f := range out.FlowLogs {
			id := sdkaws.ToString(f.FlowLogId)
			c.addListed(region, "ec2.DescribeFlowLogs", "AWS::EC2::FlowLog", c.arn("ec2", region, "vpc-flow-log/"+id), id, f)
		}
	}
}

// addListed adds a resource whose list item is its whole state. Items without an id are
// reported (the ARN then ends in "/").
func (c *collector) addListed(region, op, typ, id, name string, item any) {
	if name == "" || id == "" || id[len(id)-1] == '/' {
		c.errorf(source(region, op), "a %s without an id was listed", typ)
		return
	}
	c.add(c.resource(typ, id, name, region, op, mustProps(item)))
}
