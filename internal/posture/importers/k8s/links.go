package k8s

import (
	"sort"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// Link kinds.
const (
	LinkRunsAs   = "runsAs"  // workload -> ServiceAccount
	LinkUses     = "uses"    // workload -> ConfigMap/Secret/PVC; PVC/PV -> StorageClass
	LinkGrants   = "grants"  // (Cluster)RoleBinding -> (Cluster)Role
	LinkBoundTo  = "boundTo" // (Cluster)RoleBinding -> ServiceAccount subject
	LinkSelects  = "selects" // Service -> workloads whose pod labels match its selector
	LinkRoutes   = "routesTo"
	LinkProtects = "protects" // NetworkPolicy -> its Namespace
	LinkIsolates = "isolates" // NetworkPolicy -> workloads its podSelector matches
	// Derived edges so one-hop policies can see two-hop facts.
	LinkHasRole = "hasRole" // workload -> (Cluster)Role bound to its service account
	LinkBoundBy = "boundBy" // workload -> (Cluster)RoleBinding naming its service account
	LinkExposes = "exposes" // Ingress -> workloads behind the Services it routes to
)

// entry is a resource with the scope (file or kustomize overlay) it came from.
type entry struct {
	res   *inventory.Resource
	scope string
	plain bool // from a plain manifest file rather than a kustomize render
}

type linker struct {
	byKey map[string][]*entry // "ns/Kind/name"
	all   []*entry
	links map[*inventory.Resource]map[inventory.Link]bool
}

func key(ns, kind, name string) string { return ns + "/" + kind + "/" + name }

// link adds typed edges between the resources of one import. A reference resolves to a
// resource of the same scope; failing that, to resources from plain manifest files
// (manifests applied side by side). Targets that were not imported get no edge.
func link(entries []*entry) {
	l := &linker{byKey: map[string][]*entry{}, all: entries, links: map[*inventory.Resource]map[inventory.Link]bool{}}
	for _, e := range entries {
		k := key(e.res.ResourceGroup, kind(e.res), e.res.Name)
		l.byKey[k] = append(l.byKey[k], e)
	}
	for _, e := range entries {
		l.direct(e)
	}
	// Derived edges read the direct ones, so they come second.
	for _, e := range entries {
		l.derived(e)
	}
	for _, e := range entries {
		set := l.links[e.res]
		if len(set) == 0 {
			continue
		}
		out := make([]inventory.Link, 0, len(set))
		for lk := range set {
			out = append(out, lk)
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Kind != out[j].Kind {
				return out[i].Kind < out[j].Kind
			}
			return out[i].Target < out[j].Target
		})
		e.res.Links = append(e.res.Links, out...)
	}
}

func kind(r *inventory.Resource) string { return r.Type[len("k8s:"):] }

// resolve finds the targets of a reference from e.
func (l *linker) resolve(e *entry, ns, kind, name string) []*entry {
	if name == "" {
		return nil
	}
	if clusterScoped(kind) {
		ns = ""
	}
	cands := l.byKey[key(ns, kind, name)]
	var same, plain []*entry
	for _, c := range cands {
		if c == e {
			continue
		}
		if c.scope == e.scope {
			same = append(same, c)
		} else if c.plain {
			plain = append(plain, c)
		}
	}
	if len(same) > 0 {
		return same
	}
	return plain
}

func (l *linker) add(from *inventory.Resource, kind string, to []*entry) {
	for _, t := range to {
		l.addID(from, kind, t.res.ID)
	}
}

func (l *linker) addID(from *inventory.Resource, kind, target string) {
	if target == from.ID {
		return
	}
	if l.links[from] == nil {
		l.links[from] = map[inventory.Link]bool{}
	}
	l.links[from][inventory.Link{Kind: kind, Target: target}] = true
}

func (l *linker) direct(e *entry) {
	p, ns, k := e.res.Properties, e.res.ResourceGroup, kind(e.res)
	spec, _ := p["spec"].(map[string]any)
	switch {
	case isWorkload(k):
		l.workload(e)
	case k == "RoleBinding" || k == "ClusterRoleBinding":
		ref, _ := p["roleRef"].(map[string]any)
		l.add(e.res, LinkGrants, l.resolve(e, ns, str(ref["kind"]), str(ref["name"])))
		subjects, _ := p["subjects"].([]any)
		for _, s := range subjects {
			sm, _ := s.(map[string]any)
			if str(sm["kind"]) != "ServiceAccount" {
				continue
			}
			sns := str(sm["namespace"])
			if sns == "" {
				sns = ns
			}
			l.add(e.res, LinkBoundTo, l.resolve(e, sns, "ServiceAccount", str(sm["name"])))
		}
	case k == "Service":
		sel, _ := spec["selector"].(map[string]any)
		if len(sel) > 0 {
			l.add(e.res, LinkSelects, l.selected(e, sel))
		}
	case k == "NetworkPolicy":
		l.add(e.res, LinkProtects, l.resolve(e, "", "Namespace", ns))
		// An empty podSelector selects every pod of the namespace; matchExpressions are
		// not evaluated, so such policies are treated as selecting nothing.
		ps, _ := spec["podSelector"].(map[string]any)
		ml, _ := ps["matchLabels"].(map[string]any)
		if me, _ := ps["matchExpressions"].([]any); ps != nil && len(me) == 0 {
			l.add(e.res, LinkIsolates, l.selected(e, ml))
		}
	case k == "Ingress":
		for _, svc := range ingressServices(spec) {
			l.add(e.res, LinkRoutes, l.resolve(e, ns, "Service", svc))
		}
		tls, _ := spec["tls"].([]any)
		for _, t := range tls {
			tm, _ := t.(map[string]any)
			l.add(e.res, LinkUses, l.resolve(e, ns, "Secret", str(tm["secretName"])))
		}
	case k == "PersistentVolumeClaim":
		l.add(e.res, LinkUses, l.resolve(e, "", "StorageClass", str(spec["storageClassName"])))
		l.add(e.res, LinkUses, l.resolve(e, "", "PersistentVolume", str(spec["volumeName"])))
	case k == "PersistentVolume":
		l.add(e.res, LinkUses, l.resolve(e, "", "StorageClass", str(spec["storageClassName"])))
	case k == "ServiceAccount":
		for _, f := range []string{"secrets", "imagePullSecrets"} {
			list, _ := p[f].([]any)
			for _, s := range list {
				sm, _ := s.(map[string]any)
				l.add(e.res, LinkUses, l.resolve(e, ns, "Secret", str(sm["name"])))
			}
		}
	}
}

// workload links a pod-bearing object to its service account and the config it reads.
func (l *linker) workload(e *entry) {
	spec := podSpec(e.res.Properties)
	if spec == nil {
		return
	}
	ns := e.res.ResourceGroup
	sa := str(spec["serviceAccountName"])
	if sa == "" {
		sa = str(spec["serviceAccount"])
	}
	if sa == "" {
		sa = "default"
	}
	l.add(e.res, LinkRunsAs, l.resolve(e, ns, "ServiceAccount", sa))
	uses := func(kind, name string) { l.add(e.res, LinkUses, l.resolve(e, ns, kind, name)) }
	vols, _ := spec["volumes"].([]any)
	for _, v := range vols {
		vm, _ := v.(map[string]any)
		uses("ConfigMap", str(field(vm, "configMap", "name")))
		uses("Secret", str(field(vm, "secret", "secretName")))
		uses("PersistentVolumeClaim", str(field(vm, "persistentVolumeClaim", "claimName")))
		srcs, _ := field(vm, "projected", "sources").([]any)
		for _, s := range srcs {
			sm, _ := s.(map[string]any)
			uses("ConfigMap", str(field(sm, "configMap", "name")))
			uses("Secret", str(field(sm, "secret", "name")))
		}
	}
	pulls, _ := spec["imagePullSecrets"].([]any)
	for _, s := range pulls {
		sm, _ := s.(map[string]any)
		uses("Secret", str(sm["name"]))
	}
	eachContainer(spec, func(c map[string]any) {
		env, _ := c["env"].([]any)
		for _, ev := range env {
			em, _ := ev.(map[string]any)
			uses("ConfigMap", str(field(em, "valueFrom", "configMapKeyRef", "name")))
			uses("Secret", str(field(em, "valueFrom", "secretKeyRef", "name")))
		}
		envFrom, _ := c["envFrom"].([]any)
		for _, ev := range envFrom {
			em, _ := ev.(map[string]any)
			uses("ConfigMap", str(field(em, "configMapRef", "name")))
			uses("Secret", str(field(em, "secretRef", "name")))
		}
	})
}

// selected returns the workloads in the Service's namespace whose pod labels include
// every selector pair; same-scope workloads first, as in resolve.
func (l *linker) selected(e *entry, sel map[string]any) []*entry {
	var same, plain []*entry
	for _, c := range l.all {
		if c == e || c.res.ResourceGroup != e.res.ResourceGroup || !isWorkload(kind(c.res)) {
			continue
		}
		labels := podLabels(c.res.Properties)
		match := true
		for k, v := range sel {
			if lv, ok := labels[k]; !ok || scalarString(lv) != scalarString(v) {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		if c.scope == e.scope {
			same = append(same, c)
		} else if c.plain {
			plain = append(plain, c)
		}
	}
	if len(same) > 0 {
		return same
	}
	return plain
}

// derived adds workload -> role edges (through bindings of its service account) and
// Ingress -> workload edges (through the Services it routes to).
func (l *linker) derived(e *entry) {
	k := kind(e.res)
	switch {
	case isWorkload(k):
		for sa := range l.targets(e.res, LinkRunsAs) {
			for _, b := range l.all {
				bk := kind(b.res)
				if (bk != "RoleBinding" && bk != "ClusterRoleBinding") || !l.links[b.res][inventory.Link{Kind: LinkBoundTo, Target: sa}] {
					continue
				}
				l.addID(e.res, LinkBoundBy, b.res.ID)
				for role := range l.targets(b.res, LinkGrants) {
					l.addID(e.res, LinkHasRole, role)
				}
			}
		}
	case k == "Ingress":
		byID := map[string]*entry{}
		for _, c := range l.all {
			byID[c.res.ID] = c
		}
		for svc := range l.targets(e.res, LinkRoutes) {
			if s := byID[svc]; s != nil {
				for w := range l.targets(s.res, LinkSelects) {
					l.addID(e.res, LinkExposes, w)
				}
			}
		}
	}
}

func (l *linker) targets(r *inventory.Resource, kind string) map[string]bool {
	out := map[string]bool{}
	for lk := range l.links[r] {
		if lk.Kind == kind {
			out[lk.Target] = true
		}
	}
	return out
}

// ingressServices lists backend service names of networking/v1 and v1beta1 Ingresses.
func ingressServices(spec map[string]any) []string {
	var out []string
	backend := func(b any) {
		bm, _ := b.(map[string]any)
		if n := str(field(bm, "service", "name")); n != "" {
			out = append(out, n)
		}
		if n := str(bm["serviceName"]); n != "" {
			out = append(out, n)
		}
	}
	backend(spec["defaultBackend"])
	backend(spec["backend"])
	rules, _ := spec["rules"].([]any)
	for _, r := range rules {
		rm, _ := r.(map[string]any)
		paths, _ := field(rm, "http", "paths").([]any)
		for _, p := range paths {
			pm, _ := p.(map[string]any)
			backend(pm["backend"])
		}
	}
	return out
}

// field walks nested objects, returning nil when a step is missing.
func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}
