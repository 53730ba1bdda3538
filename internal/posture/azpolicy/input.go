package azpolicy

// Input is one evaluation request.
type Input struct {
	// Resource is the ARM JSON of the evaluated resource (id, name, type,
	// location, kind, sku, identity, tags, properties...).
	Resource map[string]any
	// Parameters are the assignment's parameter values; declared defaults
	// fill the rest.
	Parameters map[string]any
	// APIVersion is the resource's API version; it selects versioned alias
	// paths and is the value of field('apiVersion').
	APIVersion string
	Context    Context
	// Related looks up the resources an auditIfNotExists or
	// deployIfNotExists effect checks. It must return the resources of
	// q.Type (and q.Name, when set) in the given scope; nil means none.
	Related func(q RelatedQuery) ([]map[string]any, error)
}

// Context holds what the template functions resourceGroup(),
// subscription(), policy(), requestContext() and utcNow() return.
type Context struct {
	ResourceGroup  map[string]any // name, location, id, tags...
	Subscription   map[string]any // subscriptionId, displayName, id...
	Policy         map[string]any // assignmentId, definitionId, setDefinitionId, definitionReferenceId
	RequestContext map[string]any // apiVersion
	// UTCNow is returned by utcNow(); empty means the current time.
	UTCNow string
}

// RelatedQuery describes the related resources an *IfNotExists effect needs.
type RelatedQuery struct {
	Type              string
	Name              string // empty: any name
	ResourceGroupName string // empty: the evaluated resource's group
	// ExistenceScope is "resourceGroup" (default) or "subscription".
	ExistenceScope string
	// Resource is the evaluated resource the lookup is relative to.
	Resource map[string]any
}

// Result is the outcome of evaluating a policy on one resource.
type Result struct {
	// Match is true when the rule applies: the "if" condition held, the
	// effect is not disabled and, for *IfNotExists effects, no related
	// resource satisfied the existence condition. For audit-like effects
	// that makes the resource non-compliant.
	Match bool
	// Effect is the effect name as written or given by a parameter.
	Effect string
	// Details carries what the effect acts on: modify's roleDefinitionIds
	// and operations (values evaluated), append's field/value list, or the
	// related resource type (and roleDefinitionIds) of *IfNotExists.
	Details any
	// Related is the lookup made for *IfNotExists effects.
	Related *RelatedQuery
}
