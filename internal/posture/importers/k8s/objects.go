package k8s

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// object is one decoded Kubernetes object before it becomes a Resource; kustomize
// transforms objects, so identity is read from the manifest each time.
type object struct {
	Obj    map[string]any
	File   string // file as reported in Source and errors
	Line   int
	Origin string // name before kustomize prefixes/suffixes, for patch targets
	OrigNS string
}

func (o *object) source() string { return fmt.Sprintf("%s:%d", o.File, o.Line) }

func (o *object) kind() string       { return str(o.Obj["kind"]) }
func (o *object) apiVersion() string { return str(o.Obj["apiVersion"]) }
func (o *object) meta() map[string]any {
	m, _ := o.Obj["metadata"].(map[string]any)
	return m
}

func (o *object) name() string {
	m := o.meta()
	if n := str(m["name"]); n != "" {
		return n
	}
	return str(m["generateName"])
}

// namespace is the effective namespace: "default" for namespaced kinds without one,
// empty for cluster-scoped kinds.
func (o *object) namespace() string {
	if clusterScoped(o.kind()) {
		return ""
	}
	if ns := str(o.meta()["namespace"]); ns != "" {
		return ns
	}
	return "default"
}

// isKustomization reports kustomize's own config files, which are not cluster objects
// (Flux's Kustomization, kustomize.toolkit.fluxcd.io, is).
func isKustomization(m map[string]any) bool {
	k := str(m["kind"])
	if k != "Kustomization" && k != "Component" {
		return false
	}
	av := str(m["apiVersion"])
	return av == "" || strings.HasPrefix(av, "kustomize.config.k8s.io/")
}

// apiVersionRe matches Kubernetes API versions ("v1", "apps/v1", "x.io/v2beta1"), not the
// date versions of ARM and other JSON that also carries apiVersion and kind.
var apiVersionRe = regexp.MustCompile(`^([a-z0-9]([a-z0-9.-]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$`)

// looksLikeObject is true for maps carrying a Kubernetes apiVersion and a kind.
func looksLikeObject(m map[string]any) bool {
	return str(m["kind"]) != "" && apiVersionRe.MatchString(str(m["apiVersion"]))
}

// parseObjects decodes a manifest stream into objects, expanding List kinds. Each bad
// document becomes one error naming file and line; the others are returned.
func parseObjects(data []byte, file string) ([]*object, []inventory.ImportError) {
	var objs []*object
	var errs []inventory.ImportError
	fail := func(line int, format string, args ...any) {
		errs = append(errs, inventory.ImportError{Source: fmt.Sprintf("%s:%d", file, line), Err: fmt.Sprintf(format, args...)})
	}
	docs := decodeStream(data)
	helm := bytes.Contains(data, []byte("{{"))
	for _, d := range docs {
		if d.Err != nil {
			msg := d.Err.Error()
			if helm {
				msg = helmError + " (" + msg + ")"
			}
			fail(d.Line, "document %d: %s", d.Index+1, msg)
			continue
		}
		if d.Empty {
			continue
		}
		if l, ok := d.Val.([]any); ok && d.Obj == nil {
			// A bare array of objects: treat like a List.
			d.Obj = map[string]any{"kind": "List", "items": l}
		}
		if d.Obj == nil {
			fail(d.Line, "document %d: document is a %s, not an object", d.Index+1, typeName(d.Val))
			continue
		}
		if isKustomization(d.Obj) {
			fail(d.Line, "document %d: kustomization files are rendered from their directory (import the directory)", d.Index+1)
			continue
		}
		objs = append(objs, expand(d.Obj, file, d.Line, d.Index, fail)...)
	}
	return objs, errs
}

// expand returns the object itself, or the items of a List ("List", "PodList", ... as
// `kubectl get -o json` prints them).
func expand(m map[string]any, file string, line, index int, fail func(int, string, ...any)) []*object {
	kind := str(m["kind"])
	if items, ok := m["items"].([]any); ok && strings.HasSuffix(kind, "List") {
		itemKind := strings.TrimSuffix(kind, "List")
		var out []*object
		for i, it := range items {
			im, ok := it.(map[string]any)
			if !ok {
				fail(line, "document %d: %s item %d is a %s, not an object", index+1, kind, i, typeName(it))
				continue
			}
			// Typed lists from the API server omit kind/apiVersion on items.
			if str(im["kind"]) == "" && itemKind != "" {
				im["kind"] = itemKind
			}
			if str(im["apiVersion"]) == "" && str(m["apiVersion"]) != "" {
				im["apiVersion"] = m["apiVersion"]
			}
			if o, err := newObject(im, file, line); err != nil {
				fail(line, "document %d: %s item %d: %v", index+1, kind, i, err)
			} else {
				out = append(out, o)
			}
		}
		return out
	}
	o, err := newObject(m, file, line)
	if err != nil {
		fail(line, "document %d: %v", index+1, err)
		return nil
	}
	return []*object{o}
}

func newObject(m map[string]any, file string, line int) (*object, error) {
	if str(m["kind"]) == "" {
		return nil, fmt.Errorf("not a Kubernetes object: no kind")
	}
	if _, ok := m["kind"].(string); !ok {
		return nil, fmt.Errorf("kind is not a string")
	}
	if m["metadata"] != nil {
		if _, ok := m["metadata"].(map[string]any); !ok {
			return nil, fmt.Errorf("%s: metadata is not an object", m["kind"])
		}
	}
	o := &object{Obj: m, File: file, Line: line}
	if o.name() == "" {
		return nil, fmt.Errorf("%s has no metadata.name", o.kind())
	}
	o.Origin, o.OrigNS = o.name(), str(o.meta()["namespace"])
	return o, nil
}

// resource builds the inventory record; scope keeps IDs of different files or overlays apart.
func (o *object) resource(scope string) *inventory.Resource {
	ns := o.namespace()
	r := &inventory.Resource{
		ID:            resourceID(scope, ns, o.kind(), o.name()),
		Provider:      inventory.Kubernetes,
		Type:          "k8s:" + o.kind(),
		Name:          o.name(),
		ResourceGroup: ns,
		Properties:    o.Obj,
		Source:        o.source(),
		Format:        "k8s",
	}
	if labels, ok := o.meta()["labels"].(map[string]any); ok && len(labels) > 0 {
		r.Tags = make(map[string]string, len(labels))
		for k, v := range labels {
			r.Tags[k] = scalarString(v)
		}
	}
	return r
}

// resourceID is "<scope>:<namespace>/<Kind>/<name>"; cluster-scoped kinds drop the
// namespace segment ("<scope>:ClusterRole/admin").
func resourceID(scope, ns, kind, name string) string {
	if ns == "" {
		return scope + ":" + kind + "/" + name
	}
	return scope + ":" + ns + "/" + kind + "/" + name
}

// clusterScopedKinds are the built-in (and common add-on) kinds without a namespace.
var clusterScopedKinds = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "ClusterRole": true,
	"ClusterRoleBinding": true, "StorageClass": true, "CustomResourceDefinition": true,
	"PriorityClass": true, "ValidatingWebhookConfiguration": true,
	"MutatingWebhookConfiguration": true, "APIService": true, "CSIDriver": true,
	"CSINode": true, "IngressClass": true, "RuntimeClass": true, "PodSecurityPolicy": true,
	"CertificateSigningRequest": true, "VolumeAttachment": true, "ComponentStatus": true,
	"FlowSchema": true, "PriorityLevelConfiguration": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
	"ClusterIssuer": true, "ClusterPolicy": true, "ClusterPolicyReport": true,
	"GatewayClass": true, "ClusterTriggerBinding": true, "VolumeSnapshotClass": true,
	"VolumeSnapshotContent": true,
}

func clusterScoped(kind string) bool { return clusterScopedKinds[kind] }

func str(v any) string {
	s, _ := v.(string)
	return s
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
