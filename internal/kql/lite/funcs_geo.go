package lite

import (
	"math"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Geospatial functions on a spherical Earth (radius 6,371,010 m, as Kusto computes
// distances): distances, azimuths, angles, circles and geohashes. Coordinates out of
// range give null.
const earthRadius = 6371010.0

func init() {
	R, J, S := schema.Real, schema.Dynamic, schema.String
	def("geo_distance_2points", 4, 4, udfT(R, "geo_distance", R))
	jsonUDF("geo_distance", "fffff", func(a []any) any {
		p, q, ok := twoPoints(a)
		if !ok {
			return nil
		}
		return distance(p, q)
	})
	def("geo_point_in_circle", 5, 5, udfT(schema.Bool, "geo_in_circle", R))
	jsonUDF("geo_in_circle", "fffffb", func(a []any) any {
		p, q, ok := twoPoints(a)
		r := a[4].(float64)
		if !ok || r < 0 || math.IsNaN(r) {
			return nil
		}
		return distance(p, q) <= r
	})
	def("geo_azimuth", 4, 4, udfT(R, "geo_azimuth", R))
	jsonUDF("geo_azimuth", "fffff", func(a []any) any {
		p, q, ok := twoPoints(a)
		if !ok || p == q {
			return nil
		}
		return azimuth(p, q)
	})
	def("geo_angle", 6, 6, udfT(R, "geo_angle", R))
	jsonUDF("geo_angle", "fffffff", func(a []any) any {
		p1, p2, ok1 := twoPoints(a[0:4])
		_, p3, ok2 := twoPoints(a[2:6])
		if !ok1 || !ok2 || p1 == p2 || p3 == p2 {
			return nil
		}
		ang := azimuth(p2, p3) - azimuth(p2, p1)
		if ang < 0 {
			ang += 2 * math.Pi
		}
		return ang
	})
	def("geo_point_to_geohash", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		prec := "5"
		if len(a) == 3 {
			prec = convert(a[2], schema.Long).sql
		}
		return typed{sql: "coalesce(kql_geohash(" + convert(a[0], R).sql + ", " + convert(a[1], R).sql + ", " + prec + "), '')", typ: S}, nil
	})
	jsonUDF("geohash", "ffis", func(a []any) any {
		lon, lat, prec := a[0].(float64), a[1].(float64), a[2].(int64)
		if !validPoint(lon, lat) || prec < 1 || prec > 18 {
			return nil
		}
		return geohashEncode(lon, lat, int(prec))
	})
	def("geo_geohash_to_central_point", 1, 1, udfT(J, "geohash_center", S))
	jsonUDF("geohash_center", "sj", func(a []any) any {
		w, s, e, n, ok := geohashBox(a[0].(string))
		if !ok {
			return nil
		}
		return geoPoint((w+e)/2, (s+n)/2)
	})
	def("geo_geohash_to_polygon", 1, 1, udfT(J, "geohash_polygon", S))
	jsonUDF("geohash_polygon", "sj", func(a []any) any {
		w, s, e, n, ok := geohashBox(a[0].(string))
		if !ok {
			return nil
		}
		return boxPolygon(w, s, e, n)
	})
	def("geo_geohash_neighbors", 1, 1, udfT(J, "geohash_neighbors", S))
	jsonUDF("geohash_neighbors", "sj", func(a []any) any {
		g := a[0].(string)
		w, s, e, n, ok := geohashBox(g)
		if !ok {
			return nil
		}
		dx, dy := e-w, n-s
		cx, cy := (w+e)/2, (s+n)/2
		out := []any{}
		// in Kusto's order (SW, NW, SE, N, W, NE, E, S)
		for _, d := range [][2]float64{{-1, -1}, {-1, 1}, {1, -1}, {0, 1}, {-1, 0}, {1, 1}, {1, 0}, {0, -1}} {
			x, y := cx+d[0]*dx, cy+d[1]*dy
			if y > 90 || y < -90 {
				continue
			}
			if x > 180 {
				x -= 360
			} else if x < -180 {
				x += 360
			}
			out = append(out, geohashEncode(x, y, len(g)))
		}
		return out
	})
}

type point struct{ lon, lat float64 }

func validPoint(lon, lat float64) bool {
	return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

func twoPoints(a []any) (point, point, bool) {
	p := point{a[0].(float64), a[1].(float64)}
	q := point{a[2].(float64), a[3].(float64)}
	return p, q, validPoint(p.lon, p.lat) && validPoint(q.lon, q.lat)
}

func rad(d float64) float64 { return d * math.Pi / 180 }

// distance is the great-circle distance in meters (haversine).
func distance(p, q point) float64 {
	p1, p2 := rad(p.lat), rad(q.lat)
	dl := rad(q.lon - p.lon)
	h := math.Pow(math.Sin((p2-p1)/2), 2) + math.Cos(p1)*math.Cos(p2)*math.Pow(math.Sin(dl/2), 2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// azimuth is the initial bearing from p to q, clockwise from north, in [0, 2π).
func azimuth(p, q point) float64 {
	p1, p2 := rad(p.lat), rad(q.lat)
	dl := rad(q.lon - p.lon)
	y := math.Sin(dl) * math.Cos(p2)
	x := math.Cos(p1)*math.Sin(p2) - math.Sin(p1)*math.Cos(p2)*math.Cos(dl)
	a := math.Atan2(y, x)
	if a < 0 {
		a += 2 * math.Pi
	}
	return a
}

const geohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

func geohashEncode(lon, lat float64, prec int) string {
	w, e, s, n := -180.0, 180.0, -90.0, 90.0
	var b strings.Builder
	even, bit, ch := true, 0, 0
	for b.Len() < prec {
		if even {
			mid := (w + e) / 2
			if lon >= mid {
				ch |= 1 << (4 - bit)
				w = mid
			} else {
				e = mid
			}
		} else {
			mid := (s + n) / 2
			if lat >= mid {
				ch |= 1 << (4 - bit)
				s = mid
			} else {
				n = mid
			}
		}
		even = !even
		if bit++; bit == 5 {
			b.WriteByte(geohashAlphabet[ch])
			bit, ch = 0, 0
		}
	}
	return b.String()
}

// geohashBox decodes a geohash to its cell: west, south, east, north.
func geohashBox(g string) (w, s, e, n float64, ok bool) {
	if len(g) == 0 || len(g) > 18 {
		return 0, 0, 0, 0, false
	}
	w, e, s, n = -180, 180, -90, 90
	even := true
	for i := 0; i < len(g); i++ {
		v := strings.IndexByte(geohashAlphabet, g[i])
		if v < 0 {
			return 0, 0, 0, 0, false
		}
		for bit := 4; bit >= 0; bit-- {
			on := v&(1<<bit) != 0
			if even {
				if mid := (w + e) / 2; on {
					w = mid
				} else {
					e = mid
				}
			} else {
				if mid := (s + n) / 2; on {
					s = mid
				} else {
					n = mid
				}
			}
			even = !even
		}
	}
	return w, s, e, n, true
}

func geoPoint(lon, lat float64) *bag {
	b := newBag()
	b.set("type", "Point")
	b.set("coordinates", []any{lon, lat})
	return b
}

func boxPolygon(w, s, e, n float64) *bag {
	b := newBag()
	b.set("type", "Polygon")
	b.set("coordinates", []any{[]any{[]any{w, s}, []any{e, s}, []any{e, n}, []any{w, n}, []any{w, s}}})
	return b
}
