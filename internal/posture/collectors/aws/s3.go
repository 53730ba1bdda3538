package aws

import (
	"context"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// s3 lists every bucket (S3 is global) and reads each one's security settings in its own
// region.
func (c *collector) s3(ctx context.Context) {
	home := c.homeRegion()
	cl := s3.NewFromConfig(c.cfg, func(o *s3.Options) {
		o.UsePathStyle = c.opts.S3PathStyle
		o.Region = home
	})
	var buckets []types.Bucket
	p := s3.NewListBucketsPaginator(cl, &s3.ListBucketsInput{MaxBuckets: sdkaws.Int32(1000)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			c.fail("", "s3.ListBuckets", err)
			break
		}
		buckets = append(buckets, out.Buckets...)
	}
	forEach(ctx, len(buckets), c.opts.Concurrency, func(i int) { c.bucket(ctx, cl, buckets[i]) })
}

// bucketOps are the per-bucket calls, each stored under its name.
var bucketOps = []struct {
	op   string
	call func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error)
}{
	{"s3.GetBucketEncryption", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b}, in)
	}},
	{"s3.GetBucketPolicy", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b}, in)
	}},
	{"s3.GetBucketPolicyStatus", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b}, in)
	}},
	{"s3.GetPublicAccessBlock", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b}, in)
	}},
	{"s3.GetBucketVersioning", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}, in)
	}},
	{"s3.GetBucketLogging", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b}, in)
	}},
	{"s3.GetBucketAcl", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b}, in)
	}},
	{"s3.GetBucketTagging", func(ctx context.Context, cl *s3.Client, b *string, in func(*s3.Options)) (any, error) {
		return cl.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b}, in)
	}},
}

func (c *collector) bucket(ctx context.Context, cl *s3.Client, b types.Bucket) {
	name := sdkaws.ToString(b.Name)
	if name == "" {
		c.errorf(source("", "s3.ListBuckets"), "a bucket without a name was listed")
		return
	}
	p := mustProps(b)
	region := sdkaws.ToString(b.BucketRegion)
	r := c.resource("AWS::S3::Bucket", "arn:"+c.partition+":s3:::"+name, name, region, "s3.ListBuckets", p)
	errExtra := map[string]any{"BucketName": name}
	if region == "" {
		// Older listings carry no region: ask, since the other calls must go there.
		out, err := cl.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b.Name})
		if c.store(r, c.homeRegion(), "s3.GetBucketLocation", out, err, errExtra) {
			region = bucketRegion(string(out.LocationConstraint))
		}
		if region == "" {
			c.add(r) // settings unreadable without the region; the error says why
			return
		}
		r.Region = region
	}
	in := func(o *s3.Options) { o.Region = region }
	for _, op := range bucketOps {
		if ctx.Err() != nil {
			break
		}
		out, err := op.call(ctx, cl, b.Name, in)
		c.store(r, region, op.op, out, err, errExtra)
	}
	if tg, ok := r.Properties["GetBucketTagging"].(map[string]any); ok && r.Tags == nil {
		r.Tags = tagMap(tg)
	}
	c.add(r)
}

// bucketRegion maps a LocationConstraint to a region: empty is us-east-1, EU the old name
// of eu-west-1.
func bucketRegion(loc string) string {
	switch loc {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return loc
}
