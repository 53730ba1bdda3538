package azpolicy

import (
	"strings"
)

// EmbeddedChildren returns the child resources ARM embeds in a resource's
// properties (a network security group's securityRules, a virtual
// network's subnets) as resources of their own. Azure evaluates such
// children against policies on the child type (for example
// Microsoft.Network/networkSecurityGroups/securityRules), so an inventory
// holding only the parents should evaluate these too.
func EmbeddedChildren(res map[string]any) []map[string]any {
	id, _ := lookupString(res, "id")
	typ, _ := lookupString(res, "type")
	propsV, _ := lookupKey(res, "properties")
	props, ok := propsV.(map[string]any)
	if id == "" || typ == "" || !ok {
		return nil
	}
	prefix := strings.ToLower(id) + "/"
	var out []map[string]any
	for _, key := range sortedKeys(props) {
		arr, ok := props[key].([]any)
		if !ok {
			continue
		}
		for _, e := range arr {
			child, ok := e.(map[string]any)
			if !ok {
				continue
			}
			cid, _ := lookupString(child, "id")
			if !strings.HasPrefix(strings.ToLower(cid), prefix) {
				continue
			}
			// The id continues with "<childType>/<name>".
			seg := strings.Split(cid[len(prefix):], "/")
			if len(seg) != 2 {
				continue
			}
			c := make(map[string]any, len(child)+1)
			for k, v := range child {
				c[k] = v
			}
			if _, ok := lookupKey(c, "type"); !ok {
				c["type"] = typ + "/" + seg[0]
			}
			if _, ok := lookupKey(c, "name"); !ok {
				c["name"] = seg[1]
			}
			out = append(out, c)
		}
	}
	return out
}
