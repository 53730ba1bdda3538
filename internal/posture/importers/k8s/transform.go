package k8s

import (
	"strings"
)

// ensure returns the object at path under m, creating empty objects on the way.
func ensure(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	return m
}

// existing returns the object at path or nil, creating nothing.
func existing(m map[string]any, path ...string) map[string]any {
	v, _ := field(m, path...).(map[string]any)
	return v
}

func putAll(dst, src map[string]any) {
	for _, k := range sortedKeys(src) {
		dst[k] = scalarString(src[k])
	}
}

// setNamespace moves namespaced objects into ns, and ServiceAccount subjects of bindings
// that name a ServiceAccount of this build with them.
func setNamespace(acc []*object, ns string) {
	sas := map[string]bool{}
	for _, o := range acc {
		if o.kind() == "ServiceAccount" {
			sas[o.name()] = true
		}
	}
	for _, o := range acc {
		if !clusterScoped(o.kind()) {
			ensure(o.Obj, "metadata")["namespace"] = ns
		}
		if k := o.kind(); k == "RoleBinding" || k == "ClusterRoleBinding" {
			for _, s := range list(o.Obj["subjects"]) {
				sm, _ := s.(map[string]any)
				if str(sm["kind"]) == "ServiceAccount" && sas[str(sm["name"])] {
					sm["namespace"] = ns
				}
			}
		}
	}
}

// renameAll applies namePrefix/nameSuffix and rewrites references to renamed objects.
func renameAll(acc []*object, prefix, suffix string) {
	renamed := map[string]map[string]string{} // kind -> old -> new
	for _, o := range acc {
		k := o.kind()
		if k == "CustomResourceDefinition" || k == "Namespace" {
			continue
		}
		old := o.name()
		nn := prefix + old + suffix
		ensure(o.Obj, "metadata")["name"] = nn
		if renamed[k] == nil {
			renamed[k] = map[string]string{}
		}
		renamed[k][old] = nn
	}
	for _, o := range acc {
		updateRefs(o.Obj, renamed)
	}
}

// updateRefs rewrites the name references kustomize's nameReference transformer knows.
func updateRefs(obj map[string]any, renamed map[string]map[string]string) {
	ref := func(m map[string]any, key, kind string) {
		if m == nil {
			return
		}
		if n, ok := renamed[kind][str(m[key])]; ok {
			m[key] = n
		}
	}
	spec := mapOf(obj["spec"])
	if ps := podSpec(obj); ps != nil {
		ref(ps, "serviceAccountName", "ServiceAccount")
		ref(ps, "serviceAccount", "ServiceAccount")
		for _, v := range list(ps["volumes"]) {
			vm := mapOf(v)
			ref(existing(vm, "configMap"), "name", "ConfigMap")
			ref(existing(vm, "secret"), "secretName", "Secret")
			ref(existing(vm, "persistentVolumeClaim"), "claimName", "PersistentVolumeClaim")
			for _, s := range list(field(vm, "projected", "sources")) {
				ref(existing(mapOf(s), "configMap"), "name", "ConfigMap")
				ref(existing(mapOf(s), "secret"), "name", "Secret")
			}
		}
		for _, s := range list(ps["imagePullSecrets"]) {
			ref(mapOf(s), "name", "Secret")
		}
		eachContainer(ps, func(c map[string]any) {
			for _, ev := range list(c["env"]) {
				ref(existing(mapOf(ev), "valueFrom", "configMapKeyRef"), "name", "ConfigMap")
				ref(existing(mapOf(ev), "valueFrom", "secretKeyRef"), "name", "Secret")
			}
			for _, ev := range list(c["envFrom"]) {
				ref(existing(mapOf(ev), "configMapRef"), "name", "ConfigMap")
				ref(existing(mapOf(ev), "secretRef"), "name", "Secret")
			}
		})
	}
	switch str(obj["kind"]) {
	case "StatefulSet":
		ref(spec, "serviceName", "Service")
	case "RoleBinding", "ClusterRoleBinding":
		rr := mapOf(obj["roleRef"])
		ref(rr, "name", str(rr["kind"]))
		for _, s := range list(obj["subjects"]) {
			if sm := mapOf(s); str(sm["kind"]) == "ServiceAccount" {
				ref(sm, "name", "ServiceAccount")
			}
		}
	case "Ingress":
		backend := func(b map[string]any) {
			ref(existing(b, "service"), "name", "Service")
			ref(b, "serviceName", "Service")
		}
		backend(existing(spec, "defaultBackend"))
		backend(existing(spec, "backend"))
		for _, r := range list(spec["rules"]) {
			for _, p := range list(field(mapOf(r), "http", "paths")) {
				backend(existing(mapOf(p), "backend"))
			}
		}
		for _, t := range list(spec["tls"]) {
			ref(mapOf(t), "secretName", "Secret")
		}
	case "PersistentVolumeClaim":
		ref(spec, "storageClassName", "StorageClass")
		ref(spec, "volumeName", "PersistentVolume")
	case "PersistentVolume":
		ref(spec, "storageClassName", "StorageClass")
	case "HorizontalPodAutoscaler":
		st := existing(spec, "scaleTargetRef")
		ref(st, "name", str(st["kind"]))
	case "ServiceAccount":
		for _, f := range []string{"secrets", "imagePullSecrets"} {
			for _, s := range list(obj[f]) {
				ref(mapOf(s), "name", "Secret")
			}
		}
	}
}

// addLabels adds labels to metadata and, as kustomize does, to selectors (sel) and pod
// templates (tmpl).
func addLabels(o *object, labels map[string]any, sel, tmpl bool) {
	if len(labels) == 0 {
		return
	}
	putAll(ensure(o.Obj, "metadata", "labels"), labels)
	spec := mapOf(o.Obj["spec"])
	switch o.kind() {
	case "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet":
		if sel && spec != nil {
			putAll(ensure(spec, "selector", "matchLabels"), labels)
		}
		if tmpl && spec != nil {
			putAll(ensure(spec, "template", "metadata", "labels"), labels)
		}
	case "ReplicationController":
		if sel && spec != nil {
			putAll(ensure(spec, "selector"), labels)
		}
		if tmpl && spec != nil {
			putAll(ensure(spec, "template", "metadata", "labels"), labels)
		}
	case "Job":
		if tmpl && spec != nil {
			putAll(ensure(spec, "template", "metadata", "labels"), labels)
		}
	case "CronJob":
		if tmpl && spec != nil {
			putAll(ensure(spec, "jobTemplate", "metadata", "labels"), labels)
			putAll(ensure(spec, "jobTemplate", "spec", "template", "metadata", "labels"), labels)
		}
	case "Service":
		if sel && spec != nil {
			putAll(ensure(spec, "selector"), labels)
		}
	case "PodDisruptionBudget":
		if m := existing(spec, "selector", "matchLabels"); sel && m != nil {
			putAll(m, labels)
		}
	case "NetworkPolicy":
		if m := existing(spec, "podSelector", "matchLabels"); sel && m != nil {
			putAll(m, labels)
		}
	}
}

// addAnnotations adds annotations to metadata and pod templates.
func addAnnotations(o *object, ann map[string]any) {
	if len(ann) == 0 {
		return
	}
	putAll(ensure(o.Obj, "metadata", "annotations"), ann)
	if o.kind() == "CronJob" {
		if jt := existing(o.Obj, "spec", "jobTemplate"); jt != nil {
			putAll(ensure(jt, "metadata", "annotations"), ann)
		}
	}
	if t := podTemplate(o.Obj); t != nil && o.kind() != "Pod" {
		putAll(ensure(t, "metadata", "annotations"), ann)
	}
}

func setReplicas(acc []*object, name string, count any) {
	for _, o := range acc {
		switch o.kind() {
		case "Deployment", "ReplicaSet", "StatefulSet", "ReplicationController":
			if o.name() == name || o.Origin == name {
				ensure(o.Obj, "spec")["replicas"] = count
			}
		}
	}
}

// setImages applies one kustomize images entry (name, newName, newTag, digest).
func setImages(acc []*object, e map[string]any) {
	name := str(e["name"])
	newName, newTag, digest := str(e["newName"]), scalarString(e["newTag"]), str(e["digest"])
	if name == "" {
		return
	}
	for _, o := range acc {
		ps := podSpec(o.Obj)
		if ps == nil {
			continue
		}
		eachContainer(ps, func(c map[string]any) {
			img, ok := c["image"].(string)
			if !ok {
				return
			}
			n, tag, dg := splitImage(img)
			if n != name {
				return
			}
			if newName != "" {
				n = newName
			}
			if newTag != "" {
				tag, dg = newTag, ""
			}
			if digest != "" {
				tag, dg = "", digest
			}
			out := n
			if tag != "" {
				out += ":" + tag
			}
			if dg != "" {
				out += "@" + dg
			}
			c["image"] = out
		})
	}
}

// splitImage splits "registry:5000/repo/name:tag@sha256:..." into name, tag and digest.
func splitImage(img string) (name, tag, digest string) {
	if i := strings.Index(img, "@"); i >= 0 {
		img, digest = img[:i], img[i+1:]
	}
	if i := strings.LastIndex(img, ":"); i > strings.LastIndex(img, "/") {
		return img[:i], img[i+1:], digest
	}
	return img, "", digest
}
