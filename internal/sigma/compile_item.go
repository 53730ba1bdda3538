package sigma

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/rampart-soc/rampart/internal/sigma/rule"
)

// item compiles one `Field|mods: values` entry.
func (tc *targetCompiler) item(it *rule.Item) matcher {
	var col string
	if it.Field != "" {
		c, err := tc.pt.Field(it.Field)
		if err != nil {
			tc.errs = append(tc.errs, err.Error())
			return nil
		}
		col = c
	}
	preds := make([]pred, 0, len(it.Values))
	for _, v := range it.Values {
		p, err := tc.valuePred(it, v)
		if err != nil {
			tc.errf("%s: %v", it.Field, err)
			return nil
		}
		preds = append(preds, p)
	}
	all, neg := it.Has(rule.ModAll), it.Has(rule.ModNeq)
	if it.Field == "" {
		return &keywordM{preds: preds, all: all, neg: neg}
	}
	m := &fieldM{field: col, fid: fieldID(col), preds: preds, all: all, neg: neg}
	for _, p := range preds {
		m.c += p.cost()
	}
	return m
}

func (tc *targetCompiler) valuePred(it *rule.Item, v rule.Scalar) (pred, error) {
	mods := it.Modifiers
	has := it.Has
	if v.Kind == rule.ValNull {
		return nullPred{}, nil
	}
	switch {
	case has(rule.ModExists):
		return existsPred{want: v.Bool}, nil
	case has(rule.ModRe):
		flags := ""
		for _, m := range mods {
			switch m {
			case rule.ModReI:
				flags += "i"
			case rule.ModReM:
				flags += "m"
			case rule.ModReS:
				flags += "s"
			}
		}
		src := v.Text
		if flags != "" {
			src = "(?" + flags + ")" + src
		}
		re, err := regexp.Compile(src)
		if err != nil {
			return nil, fmt.Errorf("regular expression %q: %v", v.Text, err)
		}
		return &rePred{re: re}, nil
	case has(rule.ModCIDR):
		p, err := netip.ParsePrefix(strings.TrimSpace(v.Text))
		if err != nil {
			return nil, fmt.Errorf("cidr %q: %v", v.Text, err)
		}
		return &cidrPred{prefix: p.Masked()}, nil
	case has(rule.ModFieldRef):
		other, err := tc.pt.Field(v.Text)
		if err != nil {
			return nil, err
		}
		p := &refPred{other: other, oid: fieldID(other), shape: patExact, cased: has(rule.ModCased)}
		switch {
		case has(rule.ModContains):
			p.shape = patContains
		case has(rule.ModStartsWith):
			p.shape = patPrefix
		case has(rule.ModEndsWith):
			p.shape = patSuffix
		}
		return p, nil
	}
	var part rule.Modifier
	op := opEq
	for _, m := range mods {
		switch {
		case m.IsTimePart():
			part = m
		case m == rule.ModGT:
			op = opGT
		case m == rule.ModGTE:
			op = opGTE
		case m == rule.ModLT:
			op = opLT
		case m == rule.ModLTE:
			op = opLTE
		}
	}
	if v.Kind != rule.ValInt && v.Kind != rule.ValFloat && (part != 0 || op != opEq) {
		return nil, fmt.Errorf("numeric comparison with non-number %q", v.Text)
	}
	if part != 0 {
		return &timePred{part: part, op: op, f: v.Float}, nil
	}
	if op != opEq {
		return &cmpPred{op: op, f: v.Float}, nil
	}
	transforms := false
	for _, m := range mods {
		switch m {
		case rule.ModAll, rule.ModNeq:
		default:
			transforms = true
		}
	}
	if !transforms && it.Field != "" {
		if p := tc.plainPred(v, false); p != nil {
			return p, nil
		}
	}
	return tc.stringPred(it, v)
}

// plainPred handles values without modifiers: typed numbers and booleans match
// both typed and textual event values; strings are patterns.
func (tc *targetCompiler) plainPred(v rule.Scalar, cased bool) pred {
	switch v.Kind {
	case rule.ValNull:
		return nullPred{}
	case rule.ValInt, rule.ValFloat:
		return &numPred{f: v.Float, text: v.Text}
	case rule.ValBool:
		return &boolPred{b: v.Bool}
	}
	return &patPred{pats: []*pattern{compilePattern(parseValue(v.Text), cased)}}
}

// stringPred applies the value-shaping modifiers in order and compiles the
// resulting variants (ORed) into patterns.
func (tc *targetCompiler) stringPred(it *rule.Item, v rule.Scalar) (pred, error) {
	raws := []string{v.Text}
	if it.Has(rule.ModExpand) {
		var err error
		raws, err = expandPlaceholders(v.Text, tc.c.Placeholders)
		if err != nil {
			return nil, err
		}
	}
	var vars []tokens
	for _, r := range raws {
		vars = append(vars, parseValue(r))
	}
	shaped := false
	for _, m := range it.Modifiers {
		var err error
		switch m {
		case rule.ModContains:
			shaped = true
			each(vars, func(t tokens) tokens { return t.wrapStart().wrapEnd() })
		case rule.ModStartsWith:
			shaped = true
			each(vars, tokens.wrapEnd)
		case rule.ModEndsWith:
			shaped = true
			each(vars, tokens.wrapStart)
		case rule.ModWindash:
			each(vars, windash)
		case rule.ModUTF16LE, rule.ModUTF16BE, rule.ModUTF16:
			vars, err = encode(vars, func(s string) []string {
				return []string{utf16Bytes(s, m == rule.ModUTF16BE, m == rule.ModUTF16)}
			})
		case rule.ModBase64:
			vars, err = encode(vars, func(s string) []string {
				return []string{base64.StdEncoding.EncodeToString([]byte(s))}
			})
		case rule.ModBase64Offset:
			vars, err = encode(vars, base64Offsets)
		}
		if err != nil {
			return nil, err
		}
	}
	if it.Field == "" && !shaped {
		// Keywords search anywhere in a value.
		each(vars, func(t tokens) tokens { return t.wrapStart().wrapEnd() })
	}
	p := &patPred{}
	cased := it.Has(rule.ModCased)
	for _, t := range vars {
		p.pats = append(p.pats, compilePattern(t, cased))
	}
	return p, nil
}

func each(vars []tokens, f func(tokens) tokens) {
	for i := range vars {
		vars[i] = f(vars[i])
	}
}

// encode replaces each wildcard-free variant by its encodings.
func encode(vars []tokens, f func(string) []string) ([]tokens, error) {
	var out []tokens
	for _, t := range vars {
		s, ok := t.literal()
		if !ok {
			return nil, fmt.Errorf("cannot encode a value with wildcards")
		}
		for _, e := range f(s) {
			out = append(out, literalTokens(e))
		}
	}
	return out, nil
}
