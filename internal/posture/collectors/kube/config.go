package kube

import (
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// LoadConfig reads the client configuration the way kubectl does: the kubeconfig named by
// path, else $KUBECONFIG, else ~/.kube/config, with context overriding the current one;
// inside a pod without a kubeconfig, the in-cluster service account. It returns the name
// of the context's cluster for resource IDs ("in-cluster" in a pod).
func LoadConfig(path, context string) (*rest.Config, string, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if path != "" {
		rules.ExplicitPath = path
	}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: context})
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, "", err
	}
	name := "in-cluster"
	if raw, err := cc.RawConfig(); err == nil {
		current := raw.CurrentContext
		if context != "" {
			current = context
		}
		if c := raw.Contexts[current]; c != nil && c.Cluster != "" {
			name = c.Cluster
		}
	}
	return cfg, name, nil
}
