package awsapi

import (
	"fmt"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// details merges per-resource responses. A response naming its resource (a key field) goes
// to that resource; the others go by call order, following the sequence another operation
// revealed for the same resource type, else the list order when the counts agree.
func (b *builder) details() {
	groups := map[string][]call{}
	var ops []string
	for _, c := range b.calls {
		if _, ok := detailOp4(c.op); !ok {
			continue
		}
		if _, seen := groups[c.op]; !seen {
			ops = append(ops, c.op)
		}
		groups[c.op] = append(groups[c.op], c)
	}
	// Keyed operations first: they reveal the sequences unkeyed ones follow.
	var keyed, unkeyed []string
	for _, op := range ops {
		if spec, _ := detailOp4(op); spec.key != "" {
			keyed = append(keyed, op)
		} else {
			unkeyed = append(unkeyed, op)
		}
	}
	for _, op := range append(keyed, unkeyed...) {
		spec, _ := detailOp4(op)
		b.detailGroup(op, spec, groups[op])
	}
}

// detailOp4 finds a detail operation's spec; every S3 bucket Get* call is one.
func detailOp4(op string) (detailOp, bool) {
	if spec, ok := detailOps[op]; ok {
		return spec, true
	}
	if strings.HasPrefix(op, "s3.Get") {
		return detailOp{typ: "AWS::S3::Bucket", key: "Error.BucketName", match: "Name"}, true
	}
	return detailOp{}, false
}

func (b *builder) detailGroup(op string, spec detailOp, calls []call) {
	store := op[strings.IndexByte(op, '.')+1:]
	if spec.create != "" {
		b.createFrom(spec, calls)
	}
	targets := b.byType[spec.typ]
	if len(targets) == 0 {
		for _, c := range calls {
			b.res.Errorf(c.source, "%s answers for a %s, but no %s was listed in this recording", op, spec.typ, spec.typ)
		}
		return
	}
	match := spec.match
	var seq []*inventory.Resource
	var pending []call
	for _, c := range calls {
		var target *inventory.Resource
		if spec.key != "" {
			if k := str(c.data, spec.key); k != "" {
				target = find(targets, match, k)
			}
		}
		if target == nil {
			target = b.mentioned(spec.typ, c.data)
		}
		if target == nil {
			pending = append(pending, c)
			seq = append(seq, nil)
			continue
		}
		merge(target, store, c)
		seq = append(seq, target)
	}
	if len(pending) == 0 {
		b.noteSequence(spec.typ, seq)
		return
	}
	order := b.sequence[spec.typ]
	if len(order) != len(calls) {
		order = targets
	}
	if len(order) != len(calls) {
		order = b.listed[spec.typ] // list calls repeated with the same resources
	}
	if len(order) != len(calls) {
		for _, c := range pending {
			b.res.Errorf(c.source, "%s: cannot tell which %s this response is for (%d responses, %d resources)", op, spec.typ, len(calls), len(targets))
		}
		return
	}
	// By position, unless a keyed response already claimed that resource; what is left
	// pairs up in order when the counts agree.
	claimed := map[*inventory.Resource]bool{}
	for _, r := range seq {
		if r != nil {
			claimed[r] = true
		}
	}
	keyed := map[*inventory.Resource]bool{}
	for r := range claimed {
		keyed[r] = true
	}
	for i, c := range calls {
		// A resource listed twice (repeated list calls) is answered for twice.
		if seq[i] == nil && !keyed[order[i]] {
			merge(order[i], store, c)
			seq[i] = order[i]
			claimed[order[i]] = true
		}
	}
	var left []*inventory.Resource
	for _, r := range order {
		if !claimed[r] {
			left = append(left, r)
		}
	}
	var rest []int
	for i := range calls {
		if seq[i] == nil {
			rest = append(rest, i)
		}
	}
	for j, i := range rest {
		if len(rest) != len(left) {
			b.res.Errorf(calls[i].source, "%s: cannot tell which %s this response is for", op, spec.typ)
			continue
		}
		merge(left[j], store, calls[i])
		seq[i] = left[j]
	}
	b.noteSequence(spec.typ, seq)
}

// noteSequence remembers the first complete call sequence seen for a type.
func (b *builder) noteSequence(typ string, seq []*inventory.Resource) {
	if _, ok := b.sequence[typ]; ok {
		return
	}
	for _, r := range seq {
		if r == nil {
			return
		}
	}
	b.sequence[typ] = seq
}

// find returns the resource whose field (or name, id) equals key.
func find(rs []*inventory.Resource, field, key string) *inventory.Resource {
	for _, r := range rs {
		if str(r.Properties, field) == key || r.ID == key {
			return r
		}
	}
	for _, r := range rs {
		if r.Name == key {
			return r
		}
	}
	return nil
}

// merge stores a response under the operation name; an error response is kept too (its
// Error.Code says the setting is absent, which is what many checks look for).
func merge(r *inventory.Resource, store string, c call) {
	data := c.data
	if c.status >= 400 {
		data = map[string]any{"Error": c.data["Error"], "StatusCode": float64(c.status)}
	}
	r.Properties[store] = data
	if t := tagMap(str2(data, "User", "Tags")); t != nil && r.Tags == nil {
		r.Tags = t
	}
}

// str2 returns a nested value two keys down.
func str2(m map[string]any, a, b string) any {
	if x, ok := m[a].(map[string]any); ok {
		return x[b]
	}
	return nil
}

// members merges the elements of a multi-resource response into their resources.
func (b *builder) members(c call) {
	spec := memberOps[c.op]
	if c.status >= 400 {
		b.res.Errorf(c.source, "recorded HTTP %d: %s", c.status, apiError(c.data))
		return
	}
	list, _ := c.data[spec.items].([]any)
	for i, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			b.res.Errorf(fmt.Sprintf("%s: %s[%d]", c.source, spec.items, i), "expected an object, got %s", jsonKind(el))
			continue
		}
		key := str(m, spec.key)
		if key == "" {
			continue // e.g. AWS-managed aliases not attached to a key
		}
		r := find(b.byType[spec.typ], spec.match, key)
		if r == nil {
			continue // answers for a resource this recording did not list
		}
		if spec.store == "Aliases" {
			l, _ := r.Properties[spec.store].([]any)
			r.Properties[spec.store] = append(l, m)
		} else {
			r.Properties[spec.store] = m
		}
	}
}

// tags applies tagging.GetResources results by ARN.
func (b *builder) tags(c call) {
	list, _ := c.data["ResourceTagMappingList"].([]any)
	for _, el := range list {
		m, _ := el.(map[string]any)
		if r, ok := b.byID[str(m, "ResourceARN")]; ok {
			if t := tagMap(m["Tags"]); t != nil {
				r.Tags = t
			}
		}
	}
}

// createFrom adds the resources detail responses describe in full when no list call
// named them.
func (b *builder) createFrom(spec detailOp, calls []call) {
	for _, c := range calls {
		obj, ok := c.data[spec.create].(map[string]any)
		if !ok || c.status >= 400 {
			continue
		}
		id := str(obj, spec.createID)
		if id == "" {
			continue
		}
		if _, exists := b.byID[id]; exists {
			continue
		}
		if spec.key != "" && find(b.byType[spec.typ], spec.match, str(c.data, spec.key)) != nil {
			continue
		}
		props := make(map[string]any, len(obj))
		for k, v := range obj {
			props[k] = v
		}
		name := str(obj, spec.createName)
		if name == "" {
			name = id
		}
		b.add(b.resource(spec.typ, id, name, props, c.source))
	}
}

// mentioned returns the one resource of a type whose ARN a response mentions (a bucket
// policy names its bucket in Resource), or nil when none or several are.
func (b *builder) mentioned(typ string, data map[string]any) *inventory.Resource {
	var found *inventory.Resource
	ambiguous := false
	walk(data, 0, func(_, s string) {
		s = strings.TrimSuffix(s, "/*")
		if r, ok := b.byID[s]; ok && r.Type == typ {
			if found != nil && found != r {
				ambiguous = true
			}
			found = r
		}
	})
	if ambiguous {
		return nil
	}
	return found
}
