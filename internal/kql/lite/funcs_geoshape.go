package lite

import (
	"math"
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Geospatial shapes in GeoJSON: WKT parsing, line lengths, polygon areas and perimeters,
// point in polygon, distance from a point to a line. Edges are great-circle arcs on the
// sphere of geo_distance_2points.
func init() {
	R, J := schema.Real, schema.Dynamic
	def("geo_from_wkt", 1, 1, udfT(J, "geo_from_wkt", schema.String))
	jsonUDF("geo_from_wkt", "sj", func(a []any) any {
		v, ok := parseWKT(a[0].(string))
		if !ok {
			return nil
		}
		return v
	})
	def("geo_line_length", 1, 1, udfT(R, "geo_line_length", J))
	jsonUDF("geo_line_length", "jf", func(a []any) any {
		lines, ok := geoLines(a[0])
		if !ok {
			return nil
		}
		total := 0.0
		for _, l := range lines {
			total += pathLength(l)
		}
		return total
	})
	def("geo_polygon_area", 1, 1, udfT(R, "geo_polygon_area", J))
	jsonUDF("geo_polygon_area", "jf", func(a []any) any {
		polys, ok := geoPolygons(a[0])
		if !ok {
			return nil
		}
		total := 0.0
		for _, rings := range polys {
			for i, r := range rings {
				if i == 0 {
					total += ringArea(r)
				} else {
					total -= ringArea(r)
				}
			}
		}
		return total
	})
	def("geo_polygon_perimeter", 1, 1, udfT(R, "geo_polygon_perimeter", J))
	jsonUDF("geo_polygon_perimeter", "jf", func(a []any) any {
		polys, ok := geoPolygons(a[0])
		if !ok {
			return nil
		}
		total := 0.0
		for _, rings := range polys {
			for _, r := range rings {
				total += pathLength(r)
			}
		}
		return total
	})
	def("geo_point_in_polygon", 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: "kql_geo_in_polygon(" + convert(a[0], R).sql + ", " + convert(a[1], R).sql + ", " + jsonArg(a[2]) + ")", typ: schema.Bool}, nil
	})
	jsonUDF("geo_in_polygon", "ffjb", func(a []any) any {
		p := point{a[0].(float64), a[1].(float64)}
		polys, ok := geoPolygons(a[2])
		if !ok || !validPoint(p.lon, p.lat) {
			return nil
		}
		for _, rings := range polys {
			in := windingInside(p, rings[0])
			for _, hole := range rings[1:] {
				if windingInside(p, hole) {
					in = false
				}
			}
			if in {
				return true
			}
		}
		return false
	})
	def("geo_distance_point_to_line", 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		return typed{sql: "kql_geo_point_line(" + convert(a[0], R).sql + ", " + convert(a[1], R).sql + ", " + jsonArg(a[2]) + ")", typ: R}, nil
	})
	jsonUDF("geo_point_line", "ffjf", func(a []any) any {
		p := point{a[0].(float64), a[1].(float64)}
		lines, ok := geoLines(a[2])
		if !ok || !validPoint(p.lon, p.lat) {
			return nil
		}
		best := math.Inf(1)
		for _, l := range lines {
			for i := 0; i+1 < len(l); i++ {
				best = math.Min(best, segmentDistance(p, l[i], l[i+1]))
			}
		}
		return best
	})
}

// coords reads [[lon, lat], ...], validating ranges.
func coords(v any) ([]point, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]point, 0, len(arr))
	for _, e := range arr {
		xy, ok := e.([]any)
		if !ok || len(xy) < 2 {
			return nil, false
		}
		lon, ok1 := jsonNum(xy[0])
		lat, ok2 := jsonNum(xy[1])
		if !ok1 || !ok2 || !validPoint(lon, lat) {
			return nil, false
		}
		out = append(out, point{lon, lat})
	}
	return out, true
}

func geoShape(v any) (string, any) {
	b, ok := v.(*bag)
	if !ok {
		return "", nil
	}
	t, _ := b.vals["type"].(string)
	return t, b.vals["coordinates"]
}

// geoLines reads a LineString or MultiLineString; each line needs two distinct points.
func geoLines(v any) ([][]point, bool) {
	t, c := geoShape(v)
	var raw []any
	switch t {
	case "LineString":
		raw = []any{c}
	case "MultiLineString":
		raw, _ = c.([]any)
	default:
		return nil, false
	}
	var out [][]point
	for _, r := range raw {
		l, ok := coords(r)
		if !ok || len(l) < 2 {
			return nil, false
		}
		out = append(out, l)
	}
	return out, len(out) > 0
}

// geoPolygons reads a Polygon or MultiPolygon: rings of at least four points, closed,
// without repeated consecutive vertices.
func geoPolygons(v any) ([][][]point, bool) {
	t, c := geoShape(v)
	var raw []any
	switch t {
	case "Polygon":
		raw = []any{c}
	case "MultiPolygon":
		raw, _ = c.([]any)
	default:
		return nil, false
	}
	var out [][][]point
	for _, p := range raw {
		rs, ok := p.([]any)
		if !ok || len(rs) == 0 {
			return nil, false
		}
		var rings [][]point
		for _, r := range rs {
			ring, ok := coords(r)
			if !ok || len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				return nil, false
			}
			for i := 1; i < len(ring); i++ {
				if ring[i] == ring[i-1] {
					return nil, false
				}
			}
			rings = append(rings, ring)
		}
		out = append(out, rings)
	}
	return out, len(out) > 0
}

func pathLength(l []point) float64 {
	total := 0.0
	for i := 0; i+1 < len(l); i++ {
		total += distance(l[i], l[i+1])
	}
	return total
}

// ringArea is the area a closed ring encloses on the sphere (spherical excess).
func ringArea(r []point) float64 {
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		l1, p1 := rad(r[i].lon), rad(r[i].lat)
		l2, p2 := rad(r[i+1].lon), rad(r[i+1].lat)
		t1, t2 := math.Tan(p1/2), math.Tan(p2/2)
		s += 2 * math.Atan2(math.Tan((l2-l1)/2)*(t1+t2), 1+t1*t2)
	}
	return math.Abs(s) * earthRadius * earthRadius
}

// windingInside sums the turn of the bearing from p along the ring: about ±2π inside.
func windingInside(p point, ring []point) bool {
	total := 0.0
	for i := 0; i+1 < len(ring); i++ {
		if ring[i] == p || ring[i+1] == p {
			return true
		}
		d := azimuth(p, ring[i+1]) - azimuth(p, ring[i])
		for d > math.Pi {
			d -= 2 * math.Pi
		}
		for d < -math.Pi {
			d += 2 * math.Pi
		}
		total += d
	}
	return math.Abs(total) > math.Pi
}

type vec3 struct{ x, y, z float64 }

func toVec(p point) vec3 {
	la, lo := rad(p.lat), rad(p.lon)
	return vec3{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
}

func cross(a, b vec3) vec3 {
	return vec3{a.y*b.z - a.z*b.y, a.z*b.x - a.x*b.z, a.x*b.y - a.y*b.x}
}

func dot3(a, b vec3) float64 { return a.x*b.x + a.y*b.y + a.z*b.z }

// segmentDistance is the distance from p to the great-circle arc a–b.
func segmentDistance(p, a, b point) float64 {
	va, vb, vp := toVec(a), toVec(b), toVec(p)
	n := cross(va, vb)
	nn := math.Sqrt(dot3(n, n))
	if nn > 0 {
		n = vec3{n.x / nn, n.y / nn, n.z / nn}
		// the closest point of the great circle lies within the arc when it is on the
		// inner side of both endpoints
		if dot3(cross(va, vp), n) >= 0 && dot3(cross(vp, vb), n) >= 0 {
			return earthRadius * math.Abs(math.Asin(math.Max(-1, math.Min(1, dot3(vp, n)))))
		}
	}
	return math.Min(distance(p, a), distance(p, b))
}

// parseWKT reads POINT, LINESTRING, POLYGON and their MULTI forms into GeoJSON.
func parseWKT(s string) (any, bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, '(')
	if i < 0 {
		return nil, false
	}
	kind := strings.ToUpper(strings.TrimSpace(s[:i]))
	body := strings.TrimSpace(s[i:])
	nest, ok := parseWKTList(body)
	if !ok {
		return nil, false
	}
	types := map[string]struct {
		name  string
		depth int
	}{
		"POINT": {"Point", 0}, "LINESTRING": {"LineString", 1}, "POLYGON": {"Polygon", 2},
		"MULTIPOINT": {"MultiPoint", 1}, "MULTILINESTRING": {"MultiLineString", 2}, "MULTIPOLYGON": {"MultiPolygon", 3},
	}
	t, ok := types[kind]
	if !ok {
		return nil, false
	}
	coords := nest
	if t.depth == 0 {
		arr, ok := nest.([]any)
		if !ok || len(arr) != 1 {
			return nil, false
		}
		coords = arr[0]
	}
	if kind == "MULTIPOINT" { // MULTIPOINT ((1 1), (2 2)) and MULTIPOINT (1 1, 2 2)
		arr, _ := coords.([]any)
		for j, e := range arr {
			if inner, ok := e.([]any); ok && len(inner) == 1 {
				if _, ok := inner[0].([]any); ok {
					arr[j] = inner[0]
				}
			}
		}
	}
	b := newBag()
	b.set("type", t.name)
	b.set("coordinates", coords)
	return b, true
}

// parseWKTList reads nested parenthesised lists whose leaves are "x y" coordinates.
func parseWKTList(s string) (any, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return nil, false
	}
	inner := s[1 : len(s)-1]
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(inner); i++ {
		switch inner[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return nil, false
			}
		case ',':
			if depth == 0 {
				parts = append(parts, inner[start:i])
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil, false
	}
	parts = append(parts, inner[start:])
	var out []any
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if strings.HasPrefix(p, "(") {
			v, ok := parseWKTList(p)
			if !ok {
				return nil, false
			}
			out = append(out, v)
			continue
		}
		f := strings.Fields(p)
		if len(f) < 2 || len(f) > 4 {
			return nil, false
		}
		x, err1 := strconv.ParseFloat(f[0], 64)
		y, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			return nil, false
		}
		out = append(out, []any{x, y})
	}
	return out, true
}
