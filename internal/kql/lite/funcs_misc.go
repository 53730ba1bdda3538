package lite

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"database/sql/driver"
	"encoding/base64"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"io"
	"math"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// Unit conversions, compression, punycode and a few numeric helpers.
func init() {
	S, R := schema.String, schema.Real
	def("erf", 1, 1, udfT(R, "erf", R))
	def("erfc", 1, 1, udfT(R, "erfc", R))
	addUDF(udf{name: "erf", in: []duckdb.Type{duckdb.TYPE_DOUBLE}, out: duckdb.TYPE_DOUBLE, fn: func(a []driver.Value) (any, error) { return math.Erf(a[0].(float64)), nil }})
	addUDF(udf{name: "erfc", in: []duckdb.Type{duckdb.TYPE_DOUBLE}, out: duckdb.TYPE_DOUBLE, fn: func(a []driver.Value) (any, error) { return math.Erfc(a[0].(float64)), nil }})
	def("around", 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		lo, err := arith(x, "-", a[1], a[2])
		if err != nil {
			return lo, err
		}
		hi, err := arith(x, "+", a[1], a[2])
		if err != nil {
			return hi, err
		}
		return typed{sql: "(" + compare(">=", a[0], lo).sql + " AND " + compare("<=", a[0], hi).sql + ")", typ: schema.Bool}, nil
	})
	for _, kind := range []string{"angle", "energy", "force", "length", "mass", "speed", "temperature", "volume"} {
		kind := kind
		def("convert_"+kind, 3, 3, func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
			return typed{sql: fmt.Sprintf("kql_convert('%s', %s, %s, %s)", kind, convert(a[0], R).sql, asString(a[1]), asString(a[2])), typ: R}, nil
		})
	}
	addUDF(udf{name: "convert", in: []duckdb.Type{vc, duckdb.TYPE_DOUBLE, vc, vc}, out: duckdb.TYPE_DOUBLE, fn: func(a []driver.Value) (any, error) {
		v, ok := convertUnit(str(a[0]), a[1].(float64), str(a[2]), str(a[3]))
		if !ok {
			return nil, nil
		}
		return v, nil
	}})
	decompress := func(name string, open func(io.Reader) (io.ReadCloser, error)) {
		def(name+"_decompress_from_base64_string", 1, 1, sqlT(S, "coalesce(kql_"+name+"_decompress(%s), '')", S))
		addUDF(udf{name: name + "_decompress", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
			b, err := base64.StdEncoding.DecodeString(str(a[0]))
			if err != nil {
				return nil, nil
			}
			r, err := open(bytes.NewReader(b))
			if err != nil {
				return nil, nil
			}
			out, err := io.ReadAll(io.LimitReader(r, 64<<20))
			if err != nil {
				return nil, nil
			}
			return string(out), nil
		}})
	}
	decompress("zlib", zlib.NewReader)
	decompress("gzip", func(r io.Reader) (io.ReadCloser, error) { return gzip.NewReader(r) })
	compress := func(name string) {
		def(name+"_compress_to_base64_string", 1, 1, sqlT(S, "kql_"+name+"_compress(%s)", S))
		addUDF(udf{name: name + "_compress", in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
			return base64.StdEncoding.EncodeToString(storedStream(name, []byte(str(a[0])))), nil
		}})
	}
	compress("zlib")
	compress("gzip")
	puny := func(name string, f func(string) (string, bool)) {
		def(name, 1, 1, sqlT(S, "coalesce(kql_"+name+"(%s), '')", S))
		addUDF(udf{name: name, in: []duckdb.Type{vc}, out: vc, fn: func(a []driver.Value) (any, error) {
			if s, ok := f(str(a[0])); ok {
				return s, nil
			}
			return nil, nil
		}})
	}
	puny("punycode_from_string", punyEncode)
	puny("punycode_to_string", punyDecode)
	puny("punycode_domain_from_string", func(d string) (string, bool) { return mapLabels(d, true) })
	puny("punycode_domain_to_string", func(d string) (string, bool) { return mapLabels(d, false) })
}

// unitFactors are each unit's size in the kind's base unit (radian, joule, newton, meter,
// kilogram, meter per second, cubic meter).
var unitFactors = map[string]map[string]float64{
	"angle": {"degree": math.Pi / 180, "radian": 1, "arcminute": math.Pi / 10800, "arcsecond": math.Pi / 648000,
		"gradian": math.Pi / 200, "revolution": 2 * math.Pi, "milliradian": 1e-3, "natomil": 2 * math.Pi / 6400},
	"energy": {"joule": 1, "millijoule": 1e-3, "kilojoule": 1e3, "megajoule": 1e6, "gigajoule": 1e9, "calorie": 4.184,
		"kilocalorie": 4184, "britishthermalunit": 1055.05585262, "watthour": 3600, "kilowatthour": 3.6e6,
		"megawatthour": 3.6e9, "electronvolt": 1.602176634e-19, "erg": 1e-7, "footpound": 1.3558179483314004},
	"force": {"newton": 1, "decanewton": 10, "kilonewton": 1e3, "meganewton": 1e6, "millinewton": 1e-3, "micronewton": 1e-6,
		"dyn": 1e-5, "kilogramforce": 9.80665, "kilopond": 9.80665, "poundforce": 4.4482216152605, "ounceforce": 0.27801385095378125,
		"poundal": 0.138254954376, "tonneforce": 9806.65},
	"length": {"meter": 1, "kilometer": 1e3, "hectometer": 100, "decameter": 10, "decimeter": 0.1, "centimeter": 1e-2,
		"millimeter": 1e-3, "micrometer": 1e-6, "nanometer": 1e-9, "inch": 0.0254, "foot": 0.3048, "yard": 0.9144,
		"mile": 1609.344, "nauticalmile": 1852, "mil": 2.54e-5, "lightyear": 9.4607304725808e15},
	"mass": {"kilogram": 1, "gram": 1e-3, "milligram": 1e-6, "microgram": 1e-9, "tonne": 1000, "pound": 0.45359237,
		"ounce": 0.028349523125, "stone": 6.35029318, "shortton": 907.18474, "longton": 1016.0469088, "grain": 6.479891e-5},
	"speed": {"meterpersecond": 1, "kilometerperhour": 1 / 3.6, "kilometerpersecond": 1000, "meterperminute": 1.0 / 60,
		"meterperhour": 1.0 / 3600, "centimeterpersecond": 0.01, "centimeterperhour": 1.0 / 360000, "millimeterpersecond": 1e-3,
		"mileperhour": 0.44704, "knot": 1852.0 / 3600, "footpersecond": 0.3048, "inchpersecond": 0.0254},
	"volume": {"cubicmeter": 1, "liter": 1e-3, "milliliter": 1e-6, "cubiccentimeter": 1e-6, "cubicdecimeter": 1e-3,
		"cubicfoot": 0.028316846592, "cubicinch": 1.6387064e-5, "cubicyard": 0.764554857984, "usgallon": 0.003785411784,
		"imperialgallon": 0.00454609, "acrefoot": 1233.48183754752, "hectoliter": 0.1},
}

func convertUnit(kind string, v float64, from, to string) (float64, bool) {
	from, to = strings.ToLower(from), strings.ToLower(to)
	if kind == "temperature" {
		toK := map[string]func(float64) float64{
			"kelvin": func(x float64) float64 { return x }, "degreecelsius": func(x float64) float64 { return x + 273.15 },
			"degreefahrenheit": func(x float64) float64 { return (x-32)*5/9 + 273.15 },
		}
		fromK := map[string]func(float64) float64{
			"kelvin": func(x float64) float64 { return x }, "degreecelsius": func(x float64) float64 { return x - 273.15 },
			"degreefahrenheit": func(x float64) float64 { return (x-273.15)*9/5 + 32 },
		}
		f, ok1 := toK[from]
		g, ok2 := fromK[to]
		if !ok1 || !ok2 {
			return 0, false
		}
		return g(f(v)), true
	}
	f1, ok1 := unitFactors[kind][from]
	f2, ok2 := unitFactors[kind][to]
	if !ok1 || !ok2 {
		return 0, false
	}
	return v * f1 / f2, true
}

// Punycode (RFC 3492), the encoding of internationalized domain name labels.
const (
	pBase, pTMin, pTMax, pSkew, pDamp = 36, 1, 26, 38, 700
	pInitialBias, pInitialN           = 72, 128
)

func punyAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= pDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((pBase-pTMin)*pTMax)/2 {
		delta /= pBase - pTMin
		k += pBase
	}
	return k + (pBase-pTMin+1)*delta/(delta+pSkew)
}

func punyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func punyEncode(s string) (string, bool) {
	input := []rune(s)
	var out []byte
	for _, r := range input {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := pInitialN, 0, pInitialBias
	for h < len(input) {
		m := math.MaxInt32
		for _, r := range input {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		if (m - n) > (math.MaxInt32-delta)/(h+1) {
			return "", false
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range input {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := pBase; ; k += pBase {
					t := min(max(k-bias, pTMin), pTMax)
					if q < t {
						break
					}
					out = append(out, punyDigit(t+(q-t)%(pBase-t)))
					q = (q - t) / (pBase - t)
				}
				out = append(out, punyDigit(q))
				bias = punyAdapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out), true
}

func punyDecode(s string) (string, bool) {
	var out []rune
	rest := s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for _, c := range s[:i] {
			if c >= 0x80 {
				return "", false
			}
			out = append(out, c)
		}
		rest = s[i+1:]
	}
	n, i, bias := pInitialN, 0, pInitialBias
	for pos := 0; pos < len(rest); {
		oldi, w := i, 1
		for k := pBase; ; k += pBase {
			if pos >= len(rest) {
				return "", false
			}
			c := rest[pos]
			pos++
			var d int
			switch {
			case c >= 'a' && c <= 'z':
				d = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				d = int(c - 'A')
			case c >= '0' && c <= '9':
				d = int(c-'0') + 26
			default:
				return "", false
			}
			if d > (math.MaxInt32-i)/w {
				return "", false
			}
			i += d * w
			t := min(max(k-bias, pTMin), pTMax)
			if d < t {
				break
			}
			w *= pBase - t
			if w > math.MaxInt32/pBase {
				return "", false
			}
		}
		bias = punyAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		if n > 0x10FFFF {
			return "", false
		}
		i %= len(out) + 1
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return string(out), true
}

// mapLabels encodes (or decodes) each non-ASCII (or xn--) label of a domain.
func mapLabels(d string, encode bool) (string, bool) {
	labels := strings.Split(d, ".")
	for i, l := range labels {
		switch {
		case encode && strings.IndexFunc(l, func(r rune) bool { return r >= 0x80 }) >= 0:
			e, ok := punyEncode(l)
			if !ok {
				return "", false
			}
			labels[i] = "xn--" + e
		case !encode && strings.HasPrefix(strings.ToLower(l), "xn--"):
			dl, ok := punyDecode(l[4:])
			if !ok {
				return "", false
			}
			labels[i] = dl
		}
	}
	return strings.Join(labels, "."), true
}

// storedStream wraps data in a zlib or gzip stream of stored (uncompressed) deflate
// blocks, which is what Kusto's *_compress_to_base64_string functions produce.
func storedStream(format string, data []byte) []byte {
	var out []byte
	if format == "zlib" {
		out = append(out, 0x78, 0x01)
	} else {
		out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff)
	}
	rest := data
	for {
		n := min(len(rest), 65535)
		final := byte(0)
		if n == len(rest) {
			final = 1
		}
		out = append(out, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		out = append(out, rest[:n]...)
		rest = rest[n:]
		if final == 1 {
			break
		}
	}
	if format == "zlib" {
		s := adler32.Checksum(data)
		return append(out, byte(s>>24), byte(s>>16), byte(s>>8), byte(s))
	}
	c, l := crc32.ChecksumIEEE(data), uint32(len(data))
	return append(out, byte(c), byte(c>>8), byte(c>>16), byte(c>>24), byte(l), byte(l>>8), byte(l>>16), byte(l>>24))
}
