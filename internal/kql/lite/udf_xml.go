package lite

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/rampart-soc/rampart/internal/schema"
)

func init() {
	def("parse_xml", 1, 1, udfT(schema.Dynamic, "parse_xml", schema.String))
	jsonUDF("parse_xml", "sj", func(a []any) any {
		v, err := parseXML(a[0].(string))
		if err != nil {
			return nil
		}
		return v
	})
}

// parseXML converts XML to a dynamic value the way Kusto does: an element becomes a
// property of its parent, attributes become "@name" properties, text beside attributes or
// children becomes "#text", repeated elements become arrays, and an element with text only
// becomes that string.
func parseXML(s string) (any, error) {
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = false
	root := newBag()
	type frame struct {
		name string
		bag  *bag
		text strings.Builder
	}
	stack := []*frame{{bag: root}}
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > 256 {
				return nil, errors.New("XML nests too deeply")
			}
			f := &frame{name: xmlName(t.Name), bag: newBag()}
			for _, at := range t.Attr {
				f.bag.set("@"+xmlName(at.Name), at.Value)
			}
			stack = append(stack, f)
		case xml.CharData:
			stack[len(stack)-1].text.Write(t)
		case xml.EndElement:
			depth--
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			text := strings.TrimSpace(f.text.String())
			var v any
			switch {
			case len(f.bag.keys) == 0 && text == "":
				v = nil
			case len(f.bag.keys) == 0:
				v = text
			default:
				if text != "" {
					f.bag.set("#text", text)
				}
				v = f.bag
			}
			parent := stack[len(stack)-1].bag
			if old, ok := parent.vals[f.name]; ok {
				if arr, ok := old.([]any); ok {
					parent.vals[f.name] = append(arr, v)
				} else {
					parent.vals[f.name] = []any{old, v}
				}
			} else {
				parent.set(f.name, v)
			}
		}
	}
	if len(root.keys) == 0 {
		return nil, errors.New("no XML element")
	}
	return root, nil
}

func xmlName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}
