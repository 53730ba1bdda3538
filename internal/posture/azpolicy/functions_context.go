package azpolicy

import (
	"fmt"
	"strings"
	"time"
)

// Functions that read the evaluation context.

func init() {
	register("parameters", 1, 1, fnParameters)
	register("field", 1, 1, func(c *evalCtx, a []any) (any, error) {
		name, ok := a[0].(string)
		if !ok || name == "" {
			return nil, fmt.Errorf("needs a field name, not %s", typeName(a[0]))
		}
		return c.fieldFunc(name)
	})
	register("current", 0, 1, func(c *evalCtx, a []any) (any, error) { return c.current(a) })
	register("resourcegroup", 0, 0, func(c *evalCtx, _ []any) (any, error) { return c.resourceGroup(), nil })
	register("subscription", 0, 0, func(c *evalCtx, _ []any) (any, error) { return c.subscription(), nil })
	register("policy", 0, 0, func(c *evalCtx, _ []any) (any, error) { return orEmpty(c.in.Context.Policy), nil })
	register("requestcontext", 0, 0, func(c *evalCtx, _ []any) (any, error) { return c.requestContext(), nil })
	register("utcnow", 0, 0, func(c *evalCtx, _ []any) (any, error) { return c.utcNow(), nil })

	registerUnsupported("not available in policy rules",
		"reference", "resourceid", "subscriptionresourceid", "tenantresourceid", "extensionresourceid",
		"managementgroupresourceid", "list", "listkeys", "listsecrets", "listaccountsas", "listservicesas",
		"deployment", "environment", "variables", "copyindex", "managementgroup", "tenant", "pickzones",
		"providers", "newguid", "lambda", "filter", "map", "reduce", "sort", "toobject", "mapvalues", "groupby")
	registerUnsupported("its hash is not implemented", "guid", "uniquestring")
}

func fnParameters(c *evalCtx, a []any) (any, error) {
	name, ok := a[0].(string)
	if !ok {
		return nil, fmt.Errorf("needs a parameter name, not %s", typeName(a[0]))
	}
	if v, ok := lookupKey(c.params, name); ok {
		return v, nil
	}
	return nil, fmt.Errorf("parameter %q has no value", name)
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func (c *evalCtx) root() *evalCtx {
	if c.primary != nil {
		return c.primary
	}
	return c
}

// resourceGroup returns the context's resource group, or what the
// resource id tells about it.
func (c *evalCtx) resourceGroup() map[string]any {
	if rg := c.in.Context.ResourceGroup; rg != nil {
		return rg
	}
	out := map[string]any{}
	id, _ := lookupString(c.root().res, "id")
	if sub, rg := idScope(id); rg != "" {
		out["name"] = rg
		out["id"] = "/subscriptions/" + sub + "/resourceGroups/" + rg
	}
	return out
}

func (c *evalCtx) subscription() map[string]any {
	if s := c.in.Context.Subscription; s != nil {
		return s
	}
	out := map[string]any{}
	id, _ := lookupString(c.root().res, "id")
	if sub, _ := idScope(id); sub != "" {
		out["subscriptionId"] = sub
		out["id"] = "/subscriptions/" + sub
	}
	return out
}

func (c *evalCtx) requestContext() map[string]any {
	if rc := c.in.Context.RequestContext; rc != nil {
		return rc
	}
	if v := c.root().apiVersion; v != "" {
		return map[string]any{"apiVersion": v}
	}
	return map[string]any{}
}

// utcNow is fixed for the whole evaluation, so that a rule comparing two
// utcNow() calls sees the same instant.
func (c *evalCtx) utcNow() string {
	if s := c.in.Context.UTCNow; s != "" {
		return s
	}
	r := c.root()
	if r.now == "" {
		r.now = time.Now().UTC().Format("2006-01-02T15:04:05.0000000Z")
	}
	return r.now
}

// idScope extracts the subscription id and resource group name of an ARM id.
func idScope(id string) (sub, rg string) {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		switch {
		case strings.EqualFold(parts[i], "subscriptions") && sub == "":
			sub = parts[i+1]
		case strings.EqualFold(parts[i], "resourceGroups") && rg == "":
			rg = parts[i+1]
		}
	}
	return sub, rg
}
