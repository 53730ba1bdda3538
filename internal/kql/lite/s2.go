package lite

import (
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// S2 cells, the hierarchical grid behind geo_point_to_s2cell: the sphere projected on a
// cube's six faces, each face divided by a quadtree whose cells are numbered along a
// Hilbert curve. Written from the published description of the S2 geometry library.
const (
	s2MaxLevel = 30
	s2MaxSize  = 1 << s2MaxLevel
	s2Lookup   = 4 // bits of i and j per lookup step
	s2Swap     = 1
	s2Invert   = 2
)

var (
	s2PosToIJ     = [4][4]int{{0, 1, 3, 2}, {0, 2, 3, 1}, {3, 2, 0, 1}, {3, 1, 0, 2}}
	s2PosToOrient = [4]int{s2Swap, 0, 0, s2Invert | s2Swap}
	s2LookupPos   [1 << (2*s2Lookup + 2)]int
	s2LookupIJ    [1 << (2*s2Lookup + 2)]int
)

func init() {
	for o := 0; o < 4; o++ {
		s2InitLookup(0, 0, 0, o, 0, o)
	}
	S, J := schema.String, schema.Dynamic
	def("geo_point_to_s2cell", 2, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		level := "11"
		if len(a) == 3 {
			level = convert(a[2], schema.Long).sql
		}
		return typed{sql: "coalesce(kql_s2cell(" + convert(a[0], schema.Real).sql + ", " + convert(a[1], schema.Real).sql + ", " + level + "), '')", typ: S}, nil
	})
	jsonUDF("s2cell", "ffis", func(a []any) any {
		lon, lat, level := a[0].(float64), a[1].(float64), a[2].(int64)
		if !validPoint(lon, lat) || level < 0 || level > s2MaxLevel {
			return nil
		}
		return s2Token(s2Parent(s2FromPoint(point{lon, lat}), int(level)))
	})
	def("geo_s2cell_to_central_point", 1, 1, udfT(J, "s2cell_center", S))
	jsonUDF("s2cell_center", "sj", func(a []any) any {
		id, ok := s2FromToken(a[0].(string))
		if !ok {
			return nil
		}
		f, i, j, size := s2Bounds(id)
		p := s2Point(f, float64(i)+float64(size)/2, float64(j)+float64(size)/2)
		return geoPoint(p.lon, p.lat)
	})
	def("geo_s2cell_to_polygon", 1, 1, udfT(J, "s2cell_polygon", S))
	jsonUDF("s2cell_polygon", "sj", func(a []any) any {
		id, ok := s2FromToken(a[0].(string))
		if !ok {
			return nil
		}
		f, i, j, size := s2Bounds(id)
		fi, fj, fs := float64(i), float64(j), float64(size)
		ring := []any{}
		for _, c := range [][2]float64{{fi, fj}, {fi + fs, fj}, {fi + fs, fj + fs}, {fi, fj + fs}, {fi, fj}} {
			p := s2Point(f, c[0], c[1])
			ring = append(ring, []any{p.lon, p.lat})
		}
		b := newBag()
		b.set("type", "Polygon")
		b.set("coordinates", []any{ring})
		return b
	})
	def("geo_s2cell_neighbors", 1, 1, udfT(J, "s2cell_neighbors", S))
	jsonUDF("s2cell_neighbors", "sj", func(a []any) any {
		id, ok := s2FromToken(a[0].(string))
		if !ok {
			return nil
		}
		level := s2Level(id)
		f, i, j, size := s2Bounds(id)
		out := []any{}
		// in Kusto's order
		for _, d := range [][2]int{{1, 1}, {-1, -1}, {1, -1}, {0, -1}, {0, 1}, {1, 0}, {-1, 0}, {-1, 1}} {
			n := s2FromFaceIJWrap(f, i+d[0]*size, j+d[1]*size)
			out = append(out, s2Token(s2Parent(n, level)))
		}
		return out
	})
}

func s2InitLookup(level, i, j, orig, pos, orient int) {
	if level == s2Lookup {
		ij := (i << s2Lookup) + j
		s2LookupPos[(ij<<2)+orig] = (pos << 2) + orient
		s2LookupIJ[(pos<<2)+orig] = (ij << 2) + orient
		return
	}
	level++
	i, j, pos = i<<1, j<<1, pos<<2
	r := s2PosToIJ[orient]
	for k := 0; k < 4; k++ {
		s2InitLookup(level, i+(r[k]>>1), j+(r[k]&1), orig, pos+k, orient^s2PosToOrient[k])
	}
}

// s2FromFaceIJ is the leaf cell at (i, j) of a face.
func s2FromFaceIJ(f, i, j int) uint64 {
	n := uint64(f) << 60
	b := f & s2Swap
	mask := (1 << s2Lookup) - 1
	for k := 7; k >= 0; k-- {
		b += ((i >> (k * s2Lookup)) & mask) << (s2Lookup + 2)
		b += ((j >> (k * s2Lookup)) & mask) << 2
		b = s2LookupPos[b]
		n |= uint64(b>>2) << (uint(k) * 2 * s2Lookup)
		b &= s2Swap | s2Invert
	}
	return n*2 + 1
}

// s2FaceIJ returns a cell's face and the (i, j) of a leaf inside it.
func s2FaceIJ(id uint64) (f, i, j int) {
	f = int(id >> 61)
	o := f & s2Swap
	nbits := s2MaxLevel - 7*s2Lookup
	for k := 7; k >= 0; k-- {
		o += (int(id>>(uint(k)*2*s2Lookup+1)) & ((1 << (2 * nbits)) - 1)) << 2
		o = s2LookupIJ[o]
		i += (o >> (s2Lookup + 2)) << (k * s2Lookup)
		j += ((o >> 2) & ((1 << s2Lookup) - 1)) << (k * s2Lookup)
		o &= s2Swap | s2Invert
		nbits = s2Lookup
	}
	return f, i, j
}

func s2Level(id uint64) int { return s2MaxLevel - bits.TrailingZeros64(id)/2 }

func s2Parent(id uint64, level int) uint64 {
	lsb := uint64(1) << (2 * (s2MaxLevel - level))
	return (id & -lsb) | lsb
}

// s2Bounds is a cell's face, its lower (i, j) corner and its size in leaf cells.
func s2Bounds(id uint64) (f, i, j, size int) {
	f, i, j = s2FaceIJ(id)
	size = 1 << (s2MaxLevel - s2Level(id))
	return f, i &^ (size - 1), j &^ (size - 1), size
}

func s2Token(id uint64) string {
	s := strconv.FormatUint(id, 16)
	s = strings.Repeat("0", 16-len(s)) + s
	return strings.TrimRight(s, "0")
}

func s2FromToken(t string) (uint64, bool) {
	if t == "" || len(t) > 16 {
		return 0, false
	}
	id, err := strconv.ParseUint(t+strings.Repeat("0", 16-len(t)), 16, 64)
	if err != nil || id == 0 || id>>61 > 5 || bits.TrailingZeros64(id)%2 != 0 {
		return 0, false
	}
	return id, true
}

func uvToST(u float64) float64 {
	if u >= 0 {
		return 0.5 * math.Sqrt(1+3*u)
	}
	return 1 - 0.5*math.Sqrt(1-3*u)
}

func stToUV(s float64) float64 {
	if s >= 0.5 {
		return (4*s*s - 1) / 3
	}
	return (1 - 4*(1-s)*(1-s)) / 3
}

func stToIJ(s float64) int {
	return max(0, min(s2MaxSize-1, int(math.Floor(s2MaxSize*s))))
}

func xyzToFaceUV(p vec3) (int, float64, float64) {
	ax, ay, az := math.Abs(p.x), math.Abs(p.y), math.Abs(p.z)
	f := 0
	switch {
	case ax >= ay && ax >= az:
		f = 0
		if p.x < 0 {
			f = 3
		}
	case ay >= az:
		f = 1
		if p.y < 0 {
			f = 4
		}
	default:
		f = 2
		if p.z < 0 {
			f = 5
		}
	}
	switch f {
	case 0:
		return f, p.y / p.x, p.z / p.x
	case 1:
		return f, -p.x / p.y, p.z / p.y
	case 2:
		return f, -p.x / p.z, -p.y / p.z
	case 3:
		return f, p.z / p.x, p.y / p.x
	case 4:
		return f, p.z / p.y, -p.x / p.y
	}
	return f, -p.y / p.z, -p.x / p.z
}

func faceUVToXYZ(f int, u, v float64) vec3 {
	switch f {
	case 0:
		return vec3{1, u, v}
	case 1:
		return vec3{-u, 1, v}
	case 2:
		return vec3{-u, -v, 1}
	case 3:
		return vec3{-1, -v, -u}
	case 4:
		return vec3{v, -1, -u}
	}
	return vec3{v, u, -1}
}

func s2FromPoint(p point) uint64 {
	f, u, v := xyzToFaceUV(toVec(p))
	return s2FromFaceIJ(f, stToIJ(uvToST(u)), stToIJ(uvToST(v)))
}

// s2Point is the point at leaf coordinates (i, j) of a face, fractions allowed.
func s2Point(f int, i, j float64) point {
	x := faceUVToXYZ(f, stToUV(i/s2MaxSize), stToUV(j/s2MaxSize))
	return point{lon: math.Atan2(x.y, x.x) * 180 / math.Pi, lat: math.Atan2(x.z, math.Hypot(x.x, x.y)) * 180 / math.Pi}
}

// s2FromFaceIJWrap is the leaf cell at (i, j), which may lie past the face's edge.
func s2FromFaceIJWrap(f, i, j int) uint64 {
	if i >= 0 && j >= 0 && i < s2MaxSize && j < s2MaxSize {
		return s2FromFaceIJ(f, i, j)
	}
	i, j = max(-1, min(s2MaxSize, i)), max(-1, min(s2MaxSize, j))
	limit := math.Nextafter(1, 2)
	u := math.Max(-limit, math.Min(limit, float64(2*i+1-s2MaxSize)/s2MaxSize))
	v := math.Max(-limit, math.Min(limit, float64(2*j+1-s2MaxSize)/s2MaxSize))
	nf, nu, nv := xyzToFaceUV(faceUVToXYZ(f, u, v))
	return s2FromFaceIJ(nf, stToIJ(0.5*(nu+1)), stToIJ(0.5*(nv+1)))
}
