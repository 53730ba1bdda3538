package k8s

// Workload kinds and where their pod template sits.

// podTemplate returns the pod template object ({metadata, spec}) of a workload, or the
// Pod itself; nil for other kinds.
func podTemplate(obj map[string]any) map[string]any {
	spec, _ := obj["spec"].(map[string]any)
	switch str(obj["kind"]) {
	case "Pod":
		return obj
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController":
		t, _ := spec["template"].(map[string]any)
		return t
	case "CronJob":
		jt, _ := spec["jobTemplate"].(map[string]any)
		js, _ := jt["spec"].(map[string]any)
		t, _ := js["template"].(map[string]any)
		return t
	}
	return nil
}

// podSpec returns the pod spec of a workload or nil.
func podSpec(obj map[string]any) map[string]any {
	s, _ := podTemplate(obj)["spec"].(map[string]any)
	return s
}

// podLabels are the labels Services select on.
func podLabels(obj map[string]any) map[string]any {
	m, _ := podTemplate(obj)["metadata"].(map[string]any)
	l, _ := m["labels"].(map[string]any)
	return l
}

// containerLists names the pod spec fields holding containers.
var containerLists = []string{"containers", "initContainers", "ephemeralContainers"}

// eachContainer calls f for every container map of a pod spec.
func eachContainer(spec map[string]any, f func(c map[string]any)) {
	for _, k := range containerLists {
		list, _ := spec[k].([]any)
		for _, c := range list {
			if cm, ok := c.(map[string]any); ok {
				f(cm)
			}
		}
	}
}

func isWorkload(kind string) bool {
	switch kind {
	case "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController":
		return true
	}
	return false
}
