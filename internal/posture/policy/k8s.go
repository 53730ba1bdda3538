package policy

// podSpec finds the pod spec inside any workload manifest.
func podSpec(manifest any) map[string]any {
	m, _ := manifest.(map[string]any)
	kind, _ := m["kind"].(string)
	spec, _ := m["spec"].(map[string]any)
	switch kind {
	case "Pod":
		if spec != nil {
			return spec
		}
	case "CronJob":
		jt, _ := spec["jobTemplate"].(map[string]any)
		js, _ := jt["spec"].(map[string]any)
		return templateSpec(js)
	default:
		return templateSpec(spec)
	}
	return map[string]any{}
}

func templateSpec(spec map[string]any) map[string]any {
	t, _ := spec["template"].(map[string]any)
	if s, ok := t["spec"].(map[string]any); ok {
		return s
	}
	return map[string]any{}
}

// containers lists every container of a pod spec: init, regular and ephemeral.
func containers(spec map[string]any) []any {
	out := []any{}
	for _, key := range []string{"initContainers", "containers", "ephemeralContainers"} {
		if l, ok := spec[key].([]any); ok {
			for _, c := range l {
				if _, ok := c.(map[string]any); ok {
					out = append(out, c)
				}
			}
		}
	}
	return out
}
