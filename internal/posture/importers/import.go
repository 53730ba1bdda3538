package importers

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rampart-soc/rampart/internal/posture/importers/awsapi"
	"github.com/rampart-soc/rampart/internal/posture/importers/azure"
	"github.com/rampart-soc/rampart/internal/posture/importers/gcp"
	"github.com/rampart-soc/rampart/internal/posture/importers/k8s"
	"github.com/rampart-soc/rampart/internal/posture/importers/terraform"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// MaxFileSize bounds one inventory file.
const MaxFileSize = 256 << 20

// Import reads every path: a file is imported by the importer its format calls for (an
// unrecognised file is an error); a folder is walked and every recognised file imported,
// others skipped. Kubernetes kustomizations and Terraform modules are imported per folder.
func Import(paths ...string) inventory.Result {
	var res inventory.Result
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			res.Errorf(p, "%v", err)
			continue
		}
		if st.IsDir() {
			res.Merge(importDir(p))
			continue
		}
		data, err := readFile(p)
		if err != nil {
			res.Errorf(p, "%v", err)
			continue
		}
		f := Detect(p, data)
		if f == Unknown {
			res.Errorf(p, "unrecognised inventory format (expected Terraform, CloudFormation, Kubernetes, Azure Resource Graph/ARM, GCP Cloud Asset Inventory or AWS Config/API JSON)")
			continue
		}
		res.Merge(importFile(f, p, data))
	}
	return dedupe(res)
}

// dedupe keeps the first of resources read twice (overlapping exports of one account).
func dedupe(res inventory.Result) inventory.Result {
	seen := make(map[string]bool, len(res.Resources))
	kept := res.Resources[:0]
	for _, r := range res.Resources {
		if !seen[r.ID] {
			seen[r.ID] = true
			kept = append(kept, r)
		}
	}
	res.Resources = kept
	return res
}

func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB", MaxFileSize>>20)
	}
	return data, nil
}

func importFile(format, p string, data []byte) inventory.Result {
	switch format {
	case Terraform:
		if strings.HasSuffix(p, ".tfvars") {
			return inventory.Result{}
		}
		return terraform.ImportFile(p)
	case TerraformPlan:
		return terraform.ImportJSON(data, p)
	case Kubernetes:
		return k8s.ImportFile(p)
	case Azure:
		return azure.Parse(data, p)
	case GCP:
		return gcp.ImportFile(p)
	}
	return importOther(format, p, data)
}

// importDir groups a folder's files: Terraform folders and Kubernetes trees go to their
// importers whole (modules, kustomize overlays); the rest file by file.
func importDir(dir string) inventory.Result {
	var res inventory.Result
	tfDirs := map[string]bool{}
	var k8sFound bool
	type file struct {
		path, format string
		data         []byte
	}
	var files []file
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Errorf(p, "%v", err)
			return nil
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if strings.HasSuffix(p, ".tf") {
			tfDirs[filepath.Dir(p)] = true
			return nil
		}
		data, err := readFile(p)
		if err != nil {
			res.Errorf(p, "%v", err)
			return nil
		}
		switch f := Detect(p, data); f {
		case Unknown, Terraform:
		case Kubernetes:
			k8sFound = true
		default:
			files = append(files, file{p, f, data})
		}
		return nil
	})
	if err != nil {
		res.Errorf(dir, "%v", err)
	}
	dirs := make([]string, 0, len(tfDirs))
	for d := range tfDirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	// Parents sort before their child modules; a child folder imported again on its own
	// would repeat the resources its parent already brought in (same file and line).
	seenSrc := map[string]bool{}
	for _, d := range dirs {
		r := terraform.ImportDir(d)
		fresh := map[string]bool{}
		kept := r.Resources[:0]
		for _, x := range r.Resources {
			if x.Source != "" && seenSrc[x.Source] {
				continue
			}
			fresh[x.Source] = true
			kept = append(kept, x)
		}
		for s := range fresh {
			seenSrc[s] = true
		}
		r.Resources = kept
		res.Merge(r)
	}
	if k8sFound {
		res.Merge(k8s.ImportDir(dir))
	}
	var apiDirs []string
	for _, f := range files {
		if f.format == TerraformPlan && tfDirs[filepath.Dir(f.path)] {
			continue // terraform.ImportDir read the plan beside the module
		}
		if f.format == AWSAPI && awsapi.IsPlaceboFile(filepath.Base(f.path)) {
			if d := filepath.Dir(f.path); len(apiDirs) == 0 || apiDirs[len(apiDirs)-1] != d {
				apiDirs = append(apiDirs, d)
			}
			continue
		}
		res.Merge(importFile(f.format, f.path, f.data))
	}
	for _, d := range apiDirs {
		res.Merge(importRecordings(d))
	}
	return res
}
