package policy

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/rampart-soc/rampart/internal/posture/policies"
)

// Set is a compiled collection of policies indexed by resource type.
type Set struct {
	Policies []*Policy
	byID     map[string]*Policy
	byType   map[string][]typedRule
}

type typedRule struct {
	policy *Policy
	rule   *Rule
}

// NewSet indexes policies; duplicate ids are an error.
func NewSet(ps ...*Policy) (*Set, error) {
	s := &Set{byID: map[string]*Policy{}, byType: map[string][]typedRule{}}
	for _, p := range ps {
		if err := s.add(p); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Set) add(p *Policy) error {
	if prev, dup := s.byID[p.ID]; dup {
		return fmt.Errorf("%s: policy id %s already defined at %s", p.Source, p.ID, prev.Source)
	}
	s.byID[p.ID] = p
	s.Policies = append(s.Policies, p)
	for _, r := range p.Rules {
		for _, t := range r.Types {
			k := strings.ToLower(t)
			s.byType[k] = append(s.byType[k], typedRule{p, r})
		}
	}
	return nil
}

// Policy returns a policy by id.
func (s *Set) Policy(id string) *Policy { return s.byID[id] }

// Types lists the resource types some policy applies to.
func (s *Set) Types() []string {
	out := make([]string, 0, len(s.byType))
	for t := range s.byType {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// LoadFS compiles every .yaml file under root in fsys.
func LoadFS(fsys fs.FS, root string) ([]*Policy, error) {
	var out []*Policy
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (path.Ext(p) != ".yaml" && path.Ext(p) != ".yml" && path.Ext(p) != ".json") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		ps, err := parseFile(data, p)
		if err != nil {
			return err
		}
		out = append(out, ps...)
		return nil
	})
	return out, err
}

// LoadPaths compiles user policy files or folders (YAML policies in the built-in format).
func LoadPaths(paths ...string) ([]*Policy, error) {
	var out []*Policy
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			ps, err := LoadFS(os.DirFS(p), ".")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			out = append(out, ps...)
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		ps, err := parseFile(data, filepath.Base(p))
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

var (
	builtinOnce sync.Once
	builtin     []*Policy
	builtinErr  error
)

// Builtin returns a new Set of Rampart's built-in policies (compiled once per process).
func Builtin() (*Set, error) {
	builtinOnce.Do(func() { builtin, builtinErr = LoadFS(policies.FS, ".") })
	if builtinErr != nil {
		return nil, builtinErr
	}
	return NewSet(builtin...)
}

// parseFile reads YAML policies, or an Azure Policy definition (.json).
func parseFile(data []byte, name string) ([]*Policy, error) {
	if path.Ext(name) == ".json" {
		p, err := ParseAzurePolicy(data, name)
		if err != nil {
			return nil, err
		}
		return []*Policy{p}, nil
	}
	return Parse(data, name)
}
