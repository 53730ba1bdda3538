// Command genstandards builds the compliance standards catalogue (standard -> control ids
// and titles) from the posture corpus: the Microsoft cloud security benchmark, Prowler's
// framework files and Azure Policy regulatory initiatives. `make standards` runs it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type control struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
}

type standard struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Controls []control `json:"controls"`
}

// prowler files merged into one standard each (per-provider files share requirement ids).
var prowler = map[string][]string{
	"cis-aws-6.0":         {"aws/cis_6.0_aws.json"},
	"cis-azure-2.0":       {"azure/cis_2.0_azure.json"},
	"cis-azure-6.0":       {"azure/cis_6.0_azure.json"},
	"cis-gcp-4.0":         {"gcp/cis_4.0_gcp.json"},
	"cis-kubernetes-1.12": {"kubernetes/cis_1.12_kubernetes.json"},
	"iso27001-2022":       {"aws/iso27001_2022_aws.json", "azure/iso27001_2022_azure.json", "gcp/iso27001_2022_gcp.json", "kubernetes/iso27001_2022_kubernetes.json"},
	"soc2":                {"aws/soc2_aws.json", "azure/soc2_azure.json", "gcp/soc2_gcp.json"},
	"pci-dss-4.0":         {"aws/pci_4.0_aws.json", "azure/pci_4.0_azure.json"},
	"nist-800-53-r5":      {"aws/nist_800_53_revision_5_aws.json"},
	"aws-fsbp":            {"aws/aws_foundational_security_best_practices_aws.json"},
}

var names = map[string]string{
	"mcsb-v1":             "Microsoft cloud security benchmark v1",
	"cis-aws-6.0":         "CIS Amazon Web Services Foundations Benchmark v6.0",
	"cis-azure-2.0":       "CIS Microsoft Azure Foundations Benchmark v2.0",
	"cis-azure-6.0":       "CIS Microsoft Azure Foundations Benchmark v6.0",
	"cis-gcp-4.0":         "CIS Google Cloud Platform Foundation Benchmark v4.0",
	"cis-kubernetes-1.12": "CIS Kubernetes Benchmark v1.12",
	"iso27001-2022":       "ISO/IEC 27001:2022",
	"soc2":                "SOC 2",
	"pci-dss-4.0":         "PCI DSS v4.0",
	"nist-800-53-r5":      "NIST SP 800-53 Rev. 5",
	"aws-fsbp":            "AWS Foundational Security Best Practices",
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus/posture", "posture corpus folder")
	out := flag.String("out", "internal/posture/compliance/standards.json", "output file")
	flag.Parse()
	var stds []standard
	stds = append(stds, mcsb(*corpus))
	ids := make([]string, 0, len(prowler))
	for id := range prowler {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		seen := map[string]bool{}
		s := standard{ID: id, Name: names[id]}
		for _, f := range prowler[id] {
			for _, c := range prowlerControls(filepath.Join(*corpus, "prowler/compliance", f)) {
				if !seen[c.ID] {
					seen[c.ID] = true
					s.Controls = append(s.Controls, c)
				}
			}
		}
		stds = append(stds, s)
	}
	data, err := json.MarshalIndent(stds, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	for _, s := range stds {
		fmt.Printf("%s: %d controls\n", s.ID, len(s.Controls))
	}
}

func readJSON(path string, v any) {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

func mcsb(corpus string) standard {
	var doc struct {
		Controls []struct{ ID, Title string } `json:"controls"`
	}
	readJSON(filepath.Join(corpus, "benchmarks/mcsb_v1_controls.json"), &doc)
	s := standard{ID: "mcsb-v1", Name: names["mcsb-v1"]}
	for _, c := range doc.Controls {
		s.Controls = append(s.Controls, control{c.ID, c.Title})
	}
	return s
}

func prowlerControls(path string) []control {
	var doc struct {
		Requirements []struct {
			ID          string `json:"Id"`
			Name        string `json:"Name"`
			Description string `json:"Description"`
		} `json:"Requirements"`
	}
	readJSON(path, &doc)
	var out []control
	for _, r := range doc.Requirements {
		title := r.Name
		if title == "" {
			title = r.Description
		}
		if len(title) > 160 {
			title = strings.TrimSpace(title[:157]) + "..."
		}
		out = append(out, control{r.ID, title})
	}
	return out
}
