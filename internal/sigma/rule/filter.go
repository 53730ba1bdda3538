package rule

import "gopkg.in/yaml.v3"

func (p *parser) filter(root *yaml.Node) *Filter {
	f := &Filter{Pos: pos(root)}
	f.Source = p.file
	var sawLS, sawBody bool
	p.mapping(root, "filter rule", func(key string, k, v *yaml.Node) {
		if p.meta(&f.Meta, key, k, v) {
			return
		}
		switch key {
		case "logsource":
			sawLS = true
			f.LogSource = p.logsource(v)
		case "filter":
			sawBody = true
			if v.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(v.Content); i += 2 {
					if v.Content[i].Value == "rules" {
						f.Rules = p.strList(v.Content[i+1], "filter rules")
					}
				}
			}
			f.Detection = p.detection(v, "filter", false, "rules")
		}
	})
	if !sawLS {
		p.errf(pos(root), "filter has no logsource")
	}
	if !sawBody {
		p.errf(pos(root), "filter has no filter section")
	}
	if len(f.Rules) == 0 || (len(f.Rules) == 1 && f.Rules[0] == "any") {
		f.Any, f.Rules = true, nil
	}
	p.checkMeta(&f.Meta, pos(root), false)
	return f
}
