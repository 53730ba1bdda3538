package aws

import (
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// store keeps a per-resource call's outcome under the operation name, as the awsapi
// importer merges detail responses: the output on success, botocore's error layout when the
// service answered with an error (a missing bucket policy is a finding, not a failure).
// Authorisation and transport failures are also reported. It reports success.
func (c *collector) store(r *inventory.Resource, region, op string, out any, err error, errExtra map[string]any) bool {
	name := op[strings.IndexByte(op, '.')+1:]
	if err == nil {
		r.Properties[name] = mustProps(out)
		return true
	}
	e := describe(err)
	if !e.api {
		c.errorf(source(region, op), "%s: %s", r.Name, e)
		return false
	}
	r.Properties[name] = e.data(errExtra)
	if e.denied() {
		c.errorf(source(region, op), "%s: %s", r.Name, e)
	}
	return false
}
