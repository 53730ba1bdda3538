package aws

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Options choose what to collect.
type Options struct {
	// Regions to collect regional services (EC2, RDS, KMS, CloudTrail) in; empty means the
	// configuration's region, "all" every region enabled for the account. S3 and IAM are
	// global and collected once.
	Regions []string
	// S3PathStyle addresses buckets by path (S3-compatible endpoints, local test servers).
	S3PathStyle bool
	// Concurrency bounds the per-resource detail calls in flight (default 8).
	Concurrency int
	// CredentialReportWait bounds the wait for IAM to generate the credential report
	// (default 30s; negative skips the report).
	CredentialReportWait time.Duration
}

// LoadConfig reads credentials and settings the usual way (environment, shared config and
// credentials files, SSO, web identity, container and instance roles), with an optional
// profile and region.
func LoadConfig(ctx context.Context, profile, region string) (sdkaws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	return config.LoadDefaultConfig(ctx, opts...)
}

// collector is one run's state; services running concurrently add to it under mu.
type collector struct {
	cfg       sdkaws.Config
	opts      Options
	partition string
	account   string

	collecting map[string]bool // the regions of this run

	mu   sync.Mutex
	res  inventory.Result
	byID map[string]*inventory.Resource
}

// Collect gathers the inventory of the account cfg's credentials belong to. A failing
// service or region is recorded as an error and the rest continues; ctx bounds the run.
func Collect(ctx context.Context, cfg sdkaws.Config, opts Options) inventory.Result {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.CredentialReportWait == 0 {
		opts.CredentialReportWait = 30 * time.Second
	}
	c := &collector{cfg: cfg, opts: opts, partition: "aws", byID: map[string]*inventory.Resource{}}
	c.identify(ctx)
	regions := c.regions(ctx)
	c.collecting = map[string]bool{}
	for _, r := range regions {
		c.collecting[r] = true
	}

	jobs := []func(){func() { c.s3(ctx) }, func() { c.iam(ctx) }}
	for _, r := range regions {
		jobs = append(jobs, func() { c.region(ctx, r) })
	}
	forEach(ctx, len(jobs), 4, func(i int) { jobs[i]() })
	if err := ctx.Err(); err != nil {
		c.errorf("aws", "collection stopped: %v", err)
	}
	inventory.SortByID(c.res.Resources)
	sort.SliceStable(c.res.Errors, func(i, j int) bool { return c.res.Errors[i].Source < c.res.Errors[j].Source })
	return c.res
}

// identify finds the account and partition the ARNs are built in.
func (c *collector) identify(ctx context.Context) {
	out, err := sts.NewFromConfig(c.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		c.fail(c.cfg.Region, "sts.GetCallerIdentity", err)
		return
	}
	c.account = sdkaws.ToString(out.Account)
	if p, _, _, _, ok := arnParts(sdkaws.ToString(out.Arn)); ok && p != "" {
		c.partition = p
	}
}

// regions resolves Options.Regions.
func (c *collector) regions(ctx context.Context) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range c.opts.Regions {
		r = strings.TrimSpace(r)
		if r == "all" {
			all, err := ec2.NewFromConfig(c.cfg, c.inRegion(c.homeRegion())).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
			if err != nil {
				c.fail(c.homeRegion(), "ec2.DescribeRegions", err)
				continue
			}
			for _, reg := range all.Regions {
				if n := sdkaws.ToString(reg.RegionName); n != "" && !seen[n] {
					seen[n] = true
					out = append(out, n)
				}
			}
			continue
		}
		if r != "" && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	if len(out) == 0 && len(c.opts.Regions) == 0 {
		if c.cfg.Region == "" {
			c.errorf("aws", "no region configured (set AWS_REGION, a profile region or --region); regional services skipped")
			return nil
		}
		out = []string{c.cfg.Region}
	}
	sort.Strings(out)
	return out
}

// homeRegion is where global calls go.
func (c *collector) homeRegion() string {
	if c.cfg.Region != "" {
		return c.cfg.Region
	}
	return "us-east-1"
}

// inRegion is a client option pinning a region; it works for every service's Options
// through the Region field they all have.
func (c *collector) inRegion(region string) func(*ec2.Options) {
	return func(o *ec2.Options) { o.Region = region }
}

// region collects the regional services of one region, one after the other.
func (c *collector) region(ctx context.Context, region string) {
	for _, f := range []func(context.Context, string){c.ec2, c.rds, c.kms, c.cloudtrail} {
		if ctx.Err() != nil {
			return
		}
		f(ctx, region)
	}
}

// resource builds a resource of this account; an ARN's own account and region win.
func (c *collector) resource(typ, id, name, region, op string, p map[string]any) *inventory.Resource {
	r := &inventory.Resource{ID: id, Provider: inventory.AWS, Account: c.account, Region: region,
		Type: typ, Name: name, Properties: p, Source: source(region, op), Format: Format, Tags: tagMap(p)}
	if _, _, reg, acct, ok := arnParts(id); ok {
		if acct != "" {
			r.Account = acct
		}
		if reg != "" {
			r.Region = reg
		}
	}
	return r
}

// arn builds an ARN in this account's partition.
func (c *collector) arn(service, region, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", c.partition, service, region, c.account, resource)
}

func (c *collector) accountOr() string {
	if c.account != "" {
		return c.account
	}
	return "unknown"
}

// claim reserves an ID so resources seen from several regions (multi-region trails) are
// collected once; it reports whether the caller got it.
func (c *collector) claim(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byID[id]; ok {
		return false
	}
	c.byID[id] = nil
	return true
}

// add stores finished resources.
func (c *collector) add(rs ...*inventory.Resource) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range rs {
		if old := c.byID[r.ID]; old != nil {
			continue
		}
		c.byID[r.ID] = r
		c.res.Add(r)
	}
}

func (c *collector) errorf(src, format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.res.Errorf(src, format, args...)
}

// fail records a failed call.
func (c *collector) fail(region, op string, err error) {
	c.errorf(source(region, op), "%s", describe(err))
}

// source names an API call in Resource.Source and errors: "aws:<region>:<service>.<Op>".
func source(region, op string) string {
	if region == "" {
		region = "global"
	}
	return "aws:" + region + ":" + op
}

// forEach runs f(0..n-1) with at most limit in flight; it stops starting new ones once ctx
// is done.
func forEach(ctx context.Context, n, limit int, f func(i int)) {
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}
