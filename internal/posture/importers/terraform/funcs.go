package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

var (
	funcsOnce sync.Once
	funcTable map[string]function.Function
)

// functions is the table of Terraform functions evaluated statically: pure ones only.
// Functions that read files, the clock or randomness are absent on purpose, so calls to them
// stay unresolved ("${file(...)}") instead of reading the importing machine's files.
func functions() map[string]function.Function {
	funcsOnce.Do(func() {
		funcTable = map[string]function.Function{
			"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
			"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "log": stdlib.LogFunc, "pow": stdlib.PowFunc,
			"signum": stdlib.SignumFunc, "parseint": stdlib.ParseIntFunc,
			"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "title": stdlib.TitleFunc,
			"format": boundedFormat(stdlib.FormatFunc), "formatlist": boundedFormat(stdlib.FormatListFunc),
			"join": stdlib.JoinFunc, "split": stdlib.SplitFunc, "chomp": stdlib.ChompFunc,
			"indent": boundedIndent(stdlib.IndentFunc), "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
			"trim": stdlib.TrimFunc, "trimspace": stdlib.TrimSpaceFunc,
			"trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
			"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
			"concat": stdlib.ConcatFunc, "merge": stdlib.MergeFunc, "length": stdlib.LengthFunc,
			"element": stdlib.ElementFunc, "coalesce": coalesceFunc,
			"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
			"contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
			"flatten": stdlib.FlattenFunc, "keys": stdlib.KeysFunc, "values": stdlib.ValuesFunc,
			"zipmap": stdlib.ZipmapFunc, "chunklist": stdlib.ChunklistFunc, "index": stdlib.IndexFunc,
			"range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc, "slice": stdlib.SliceFunc,
			"sort":     stdlib.SortFunc,
			"setunion": stdlib.SetUnionFunc, "setintersection": stdlib.SetIntersectionFunc,
			"setsubtract": stdlib.SetSubtractFunc,
			"jsonencode":  stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
			"csvdecode": stdlib.CSVDecodeFunc,
			"tostring":  stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
			"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
			"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
			"tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
			"try":   tryfunc.TryFunc, "can": tryfunc.CanFunc,
			"lookup": lookupFunc, "replace": replaceFunc,
			"base64encode": stringFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
			"base64decode": stringFunc(base64Decode),
			"md5":          stringFunc(func(s string) (string, error) { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]), nil }),
			"sha1":         stringFunc(func(s string) (string, error) { h := sha1.Sum([]byte(s)); return hex.EncodeToString(h[:]), nil }),
			"sha256":       stringFunc(func(s string) (string, error) { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]), nil }),
			"startswith":   stringPred(strings.HasPrefix),
			"endswith":     stringPred(strings.HasSuffix),
			"strcontains":  stringPred(strings.Contains),
			"one":          oneFunc, "alltrue": boolFold(true), "anytrue": boolFold(false),
		}
	})
	return funcTable
}

func stringFunc(f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out, err := f(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(out), nil
		},
	})
}

func base64Decode(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", errors.New("decoded bytes are not valid UTF-8")
	}
	return string(b), nil
}

func stringPred(f func(s, x string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}, {Name: "x", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// lookupFunc is Terraform's lookup(map, key[, default]).
var lookupFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "map", Type: cty.DynamicPseudoType}, {Name: "key", Type: cty.String}},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		m, k := args[0], args[1].AsString()
		ty := m.Type()
		if (ty.IsObjectType() || ty.IsMapType()) && !m.IsNull() {
			if v, ok := m.AsValueMap()[k]; ok {
				return v, nil
			}
		}
		if len(args) > 2 {
			return args[2], nil
		}
		return cty.NilVal, errors.New("lookup: key not found and no default given")
	},
})

// replaceFunc is Terraform's replace: a /regex/ substring is a regular expression.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "s", Type: cty.String}, {Name: "old", Type: cty.String}, {Name: "new", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, old, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(str)+(len(str)+1)*len(repl) > maxValueSize {
			return cty.NilVal, errTooLarge
		}
		if len(old) > 1 && strings.HasPrefix(old, "/") && strings.HasSuffix(old, "/") {
			return stdlib.RegexReplace(args[0], cty.StringVal(old[1:len(old)-1]), args[2])
		}
		return stdlib.Replace(args[0], args[1], args[2])
	},
})

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		if v.IsNull() || !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
			return cty.NilVal, errors.New("one: want a list or set")
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(cty.DynamicPseudoType), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, errors.New("one: more than one element")
	},
})

// boolFold is alltrue (all=true) or anytrue (all=false).
func boolFold(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[0]
			ty := v.Type()
			if v.IsNull() || !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
				return cty.NilVal, errors.New("want a list")
			}
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				t := e.Type() == cty.Bool && !e.IsNull() && e.True()
				if e.Type() == cty.String && !e.IsNull() {
					t = e.AsString() == "true"
				}
				if all && !t {
					return cty.False, nil
				}
				if !all && t {
					return cty.True, nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

// coalesceFunc is Terraform's coalesce: the first argument that is neither null nor "".
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowNull: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for _, a := range args {
			if a.IsNull() || (a.Type() == cty.String && a.AsString() == "") {
				continue
			}
			return a, nil
		}
		return cty.NilVal, errors.New("coalesce: no non-null, non-empty argument")
	},
})
