package policy

import (
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// costLimit bounds one expression's evaluation so a pathological policy or resource cannot
// stall an assessment run.
const costLimit = 1_000_000

var (
	envOnce sync.Once
	celEnv  *cel.Env
	envErr  error
)

func env() (*cel.Env, error) {
	envOnce.Do(func() {
		celEnv, envErr = cel.NewEnv(
			cel.Variable("p", cel.DynType),
			cel.Variable("r", cel.MapType(cel.StringType, cel.DynType)),
			cel.Variable("related", cel.ListType(cel.MapType(cel.StringType, cel.DynType))),
			cel.Variable("now", cel.TimestampType), // the assessment's time, for age checks
			cel.CrossTypeNumericComparisons(true),
			cel.OptionalTypes(),
			ext.Strings(), ext.Lists(), ext.Sets(), ext.Math(), ext.Encoders(),
			cel.Function("get",
				cel.Overload("get_dyn_string", []*cel.Type{cel.DynType, cel.StringType}, cel.DynType,
					cel.BinaryBinding(func(x, path ref.Val) ref.Val { return getPath(x, path, types.NullValue) })),
				cel.Overload("get_dyn_string_dyn", []*cel.Type{cel.DynType, cel.StringType, cel.DynType}, cel.DynType,
					cel.FunctionBinding(func(args ...ref.Val) ref.Val { return getPath(args[0], args[1], args[2]) }))),
			cel.Function("k8sPodSpec",
				cel.Overload("k8s_pod_spec", []*cel.Type{cel.DynType}, cel.DynType,
					cel.UnaryBinding(func(x ref.Val) ref.Val { return native(podSpec(toGo(x))) }))),
			cel.Function("k8sContainers",
				cel.Overload("k8s_containers", []*cel.Type{cel.DynType}, cel.ListType(cel.DynType),
					cel.UnaryBinding(func(x ref.Val) ref.Val { return native(containers(podSpec(toGo(x)))) }))),
			cel.Function("isPublicCIDR",
				cel.Overload("is_public_cidr", []*cel.Type{cel.DynType}, cel.BoolType,
					cel.UnaryBinding(func(x ref.Val) ref.Val { return types.Bool(anyOf(toGo(x), isPublicCIDR)) }))),
			cel.Function("portInRange",
				cel.Overload("port_in_range", []*cel.Type{cel.DynType, cel.IntType}, cel.BoolType,
					cel.BinaryBinding(func(x, port ref.Val) ref.Val {
						n, _ := port.Value().(int64)
						return types.Bool(anyOf(toGo(x), func(s string) bool { return portCovers(s, int(n)) }))
					}))),
		)
	})
	return celEnv, envErr
}

// compileBool compiles an expression that must evaluate to a bool.
func compileBool(expr string) (cel.Program, error) {
	e, err := env()
	if err != nil {
		return nil, err
	}
	ast, iss := e.Compile(expr)
	if iss.Err() != nil {
		return nil, fmt.Errorf("%s", strings.TrimSpace(iss.Err().Error()))
	}
	if t := ast.OutputType(); t != cel.BoolType && t != cel.DynType {
		return nil, fmt.Errorf("expression yields %s, not bool", t)
	}
	return e.Program(ast, cel.CostLimit(costLimit), cel.EvalOptions(cel.OptOptimize))
}

func native(v any) ref.Val {
	if v == nil {
		return types.NullValue
	}
	return types.DefaultTypeAdapter.NativeToValue(v)
}

// toGo converts a CEL value back to decoded-JSON Go values.
func toGo(v ref.Val) any {
	switch x := v.Value().(type) {
	case map[string]any, []any, string, float64, bool, int64, nil:
		return x
	case int:
		return x
	}
	switch {
	case v.Type() == types.NullType:
		return nil
	case v.Type() == types.MapType:
		if m, ok := v.(traits.Mapper); ok {
			out := map[string]any{}
			for it := m.Iterator(); it.HasNext() == types.True; {
				k := it.Next()
				out[fmt.Sprint(k.Value())] = toGo(m.Get(k))
			}
			return out
		}
	case v.Type() == types.ListType:
		if l, ok := v.(traits.Lister); ok {
			var out []any
			for it := l.Iterator(); it.HasNext() == types.True; {
				out = append(out, toGo(it.Next()))
			}
			return out
		}
	}
	if n, err := v.ConvertToNative(reflect.TypeOf((*any)(nil)).Elem()); err == nil {
		return n
	}
	return v.Value()
}

func getPath(x, path, def ref.Val) ref.Val {
	p, ok := path.Value().(string)
	if !ok {
		return types.NewErr("get: path must be a string")
	}
	v, found := inventory.Lookup(toGo(x), p)
	if !found || v == nil {
		return def
	}
	return native(v)
}

// anyOf applies f to a string, number, or each element of a list.
func anyOf(v any, f func(string) bool) bool {
	switch x := v.(type) {
	case string:
		return f(x)
	case float64:
		return f(strconv.FormatFloat(x, 'f', -1, 64))
	case int64:
		return f(strconv.FormatInt(x, 10))
	case int:
		return f(strconv.Itoa(x))
	case []any:
		for _, e := range x {
			if anyOf(e, f) {
				return true
			}
		}
	}
	return false
}

func isPublicCIDR(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "*", "0.0.0.0", "0.0.0.0/0", "::/0", "internet", "any", "<nw>/0", "/0":
		return true
	}
	if p, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil {
		return p.Bits() == 0
	}
	return false
}

// portCovers reports whether a port spec ("22", "20-25", "*", "0-65535") includes port.
func portCovers(spec string, port int) bool {
	spec = strings.TrimSpace(spec)
	if spec == "*" || strings.EqualFold(spec, "any") || strings.EqualFold(spec, "all") {
		return true
	}
	for _, part := range strings.Split(spec, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil {
			continue
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
				continue
			}
		}
		if a <= port && port <= b {
			return true
		}
	}
	return false
}
