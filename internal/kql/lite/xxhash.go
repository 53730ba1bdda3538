package lite

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/rampart-soc/rampart/internal/kql/syntax"
	"github.com/rampart-soc/rampart/internal/schema"
)

// xxHash64 (seed 0), the hash behind Kusto's hash() and hash_xxhash64(). Written from the
// algorithm's published description.
const (
	xxP1 uint64 = 11400714785074694791
	xxP2 uint64 = 14029467366897019727
	xxP3 uint64 = 1609587929392839161
	xxP4 uint64 = 9650029242287828579
	xxP5 uint64 = 2870177450012600261
)

func xxRound(acc, v uint64) uint64 {
	acc += v * xxP2
	acc = bits.RotateLeft64(acc, 31)
	return acc * xxP1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxP1 + xxP4
}

func xxhash64(b []byte) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		p1 := xxP1 // a variable: the sums wrap, which constants may not
		v1, v2, v3, v4 := p1+xxP2, xxP2, uint64(0), 0-p1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = xxP5
	}
	h += uint64(n)
	for len(b) >= 8 {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*xxP1 + xxP4
		b = b[8:]
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * xxP1
		h = bits.RotateLeft64(h, 23)*xxP2 + xxP3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxP5
		h = bits.RotateLeft64(h, 11) * xxP1
	}
	h ^= h >> 33
	h *= xxP2
	h ^= h >> 29
	h *= xxP3
	h ^= h >> 32
	return h
}

func init() {
	addUDF(udf{name: "xxhash_str", in: []duckdb.Type{vc}, out: bi, fn: func(a []driver.Value) (any, error) {
		return int64(xxhash64([]byte(str(a[0])))), nil
	}})
	addUDF(udf{name: "xxhash_i64", in: []duckdb.Type{bi}, out: bi, fn: func(a []driver.Value) (any, error) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(i64(a[0])))
		return int64(xxhash64(b[:])), nil
	}})
	addUDF(udf{name: "xxhash_f64", in: []duckdb.Type{duckdb.TYPE_DOUBLE}, out: bi, fn: func(a []driver.Value) (any, error) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(a[0].(float64)))
		return int64(xxhash64(b[:])), nil
	}})
	h := func(c *compiler, x *syntax.Call, a []typed) (typed, error) {
		v := a[0]
		var s string
		switch v.typ {
		case schema.Int, schema.Long, schema.TimeSpan:
			s = "kql_xxhash_i64(CAST(" + v.sql + " AS BIGINT))"
		case schema.Real, schema.Decimal:
			s = "kql_xxhash_f64(" + v.sql + ")"
		case schema.DateTime: // .NET ticks since 0001-01-01
			s = "kql_xxhash_i64(epoch_us(" + v.sql + ") * 10 + 621355968000000000)"
		default:
			s = "kql_xxhash_str(" + asString(v) + ")"
		}
		if len(a) == 2 {
			m := convert(a[1], schema.Long).sql
			s = fmt.Sprintf("(((%[1]s %% %[2]s) + %[2]s) %% %[2]s)", s, m)
		}
		return typed{sql: s, typ: schema.Long}, nil
	}
	def("hash hash_xxhash64", 1, 2, h)
}
