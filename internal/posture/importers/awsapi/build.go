package awsapi

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// builder turns the calls of one recording into resources.
type builder struct {
	res     *inventory.Result
	calls   []call
	account string
	region  string
	byID    map[string]*inventory.Resource
	byType  map[string][]*inventory.Resource // in list order
	listed  map[string][]*inventory.Resource // every listing, repeats included
	order   []*inventory.Resource
	// per type, the resources key-matched detail calls answered for, in call order: custodian
	// calls each per-resource operation over the same sequence of resources.
	sequence map[string][]*inventory.Resource
}

func newBuilder(res *inventory.Result, calls []call) *builder {
	b := &builder{res: res, calls: calls, byID: map[string]*inventory.Resource{},
		byType: map[string][]*inventory.Resource{}, listed: map[string][]*inventory.Resource{}, sequence: map[string][]*inventory.Resource{}}
	b.account, b.region = scope(calls)
	return b
}

// scope finds the recorded account and region: the most frequent in the ARNs and owner
// ids of all responses.
func scope(calls []call) (account, region string) {
	accounts, regions := map[string]int{}, map[string]int{}
	for _, c := range calls {
		walk(c.data, 0, func(k, s string) {
			if _, r, a, _, ok := arnParts(s); ok {
				if a != "" && a != "aws" {
					accounts[a]++
				}
				if r != "" {
					regions[r]++
				}
			} else if (k == "OwnerId" || k == "AWSAccountId" || k == "AccountId") && len(s) == 12 {
				accounts[s]++
			}
		})
	}
	return most(accounts), most(regions)
}

func most(m map[string]int) string {
	best, n := "", 0
	for k, c := range m {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}

// walk calls f for every string value with its key.
func walk(v any, depth int, f func(key, s string)) {
	if depth > 32 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok {
				f(k, s)
			} else {
				walk(val, depth+1, f)
			}
		}
	case []any:
		for _, val := range x {
			if s, ok := val.(string); ok {
				f("", s)
			} else {
				walk(val, depth+1, f)
			}
		}
	}
}

func (b *builder) build() {
	// Lists first, then account settings, then details that merge into listed resources.
	for _, c := range b.calls {
		if spec, ok := listOps[c.op]; ok {
			b.list(c, spec)
		}
	}
	for _, c := range b.calls {
		switch {
		case iamAccountOps[c.op]:
			b.iamAccount(c)
		case accountOps[c.op]:
			b.accountSetting(c)
		}
	}
	b.details()
	for _, c := range b.calls {
		switch {
		case memberOps[c.op].typ != "":
			b.members(c)
		case c.op == "tagging.GetResources":
			b.tags(c)
		case listOps[c.op].typ != "", detailOps[c.op].typ != "", iamAccountOps[c.op], accountOps[c.op], ignoredOps[c.op]:
		case strings.HasPrefix(c.op, "s3.Get"):
		default:
			b.res.Errorf(c.source, "operation %s is not mapped to a resource type", c.op)
		}
	}
	b.res.Add(b.order...)
}

// add records a resource; one listed by several calls is merged.
func (b *builder) add(r *inventory.Resource) *inventory.Resource {
	if old, ok := b.byID[r.ID]; ok {
		for k, v := range r.Properties {
			if _, has := old.Properties[k]; !has {
				old.Properties[k] = v
			}
		}
		return old
	}
	b.byID[r.ID] = r
	b.byType[r.Type] = append(b.byType[r.Type], r)
	b.order = append(b.order, r)
	return r
}

// list adds the resources a list call returns.
func (b *builder) list(c call, spec listOp) {
	if c.status >= 400 {
		b.res.Errorf(c.source, "recorded HTTP %d: %s", c.status, apiError(c.data))
		return
	}
	items := collect(c.data, strings.Split(spec.items, "."))
	for i, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			s, isStr := it.(string)
			if !isStr {
				b.res.Errorf(fmt.Sprintf("%s: %s[%d]", c.source, spec.items, i), "expected an object, got %s", jsonKind(it))
				continue
			}
			obj = map[string]any{spec.id: s} // lists of ids (guardduty.ListDetectors)
		}
		id := str(obj, spec.id)
		if id == "" {
			b.res.Errorf(fmt.Sprintf("%s: %s[%d]", c.source, spec.items, i), "resource has no %s", spec.id)
			continue
		}
		name := id
		if spec.name != "" && str(obj, spec.name) != "" {
			name = str(obj, spec.name)
		}
		arn := id
		if _, _, _, _, isARN := arnParts(id); !isARN {
			arn = b.makeARN(spec, id)
		}
		r := b.add(b.resource(spec.typ, arn, name, obj, c.source))
		b.listed[spec.typ] = append(b.listed[spec.typ], r)
	}
}

// collect follows a dotted path; "*" maps over list elements. A single object at the end
// is a list of one.
func collect(v any, path []string) []any {
	if len(path) == 0 {
		switch x := v.(type) {
		case []any:
			return x
		case nil:
			return nil
		default:
			return []any{x}
		}
	}
	if path[0] == "*" {
		var out []any
		if l, ok := v.([]any); ok {
			for _, el := range l {
				out = append(out, collect(el, path[1:])...)
			}
		}
		return out
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	return collect(m[path[0]], path[1:])
}

// makeARN fills an ARN template, or names the resource type/id when there is none.
func (b *builder) makeARN(spec listOp, id string) string {
	if spec.arn == "" {
		return spec.typ + "/" + id
	}
	r := strings.NewReplacer("{id}", id, "{region}", b.region, "{account}", b.account)
	return r.Replace(spec.arn)
}

// resource makes a resource in the recording's scope; the ARN, when it has them, tells
// its own account and region.
func (b *builder) resource(typ, id, name string, props map[string]any, source string) *inventory.Resource {
	r := &inventory.Resource{ID: id, Provider: inventory.AWS, Type: typ, Name: name,
		Account: b.account, Region: b.region, Properties: props, Source: source, Format: Format}
	if _, region, account, _, ok := arnParts(id); ok {
		if account != "" {
			r.Account = account
		}
		if region != "" {
			r.Region = region
		}
	}
	for _, k := range []string{"Tags", "TagList", "tags"} {
		if t := tagMap(props[k]); t != nil {
			r.Tags = t
			break
		}
	}
	return r
}

// apiError formats a recorded error response.
func apiError(data map[string]any) string {
	code, msg := str(data, "Error.Code"), str(data, "Error.Message")
	switch {
	case code != "" && msg != "":
		return code + ": " + msg
	case code != "":
		return code
	case msg != "":
		return msg
	}
	return "no error message"
}
