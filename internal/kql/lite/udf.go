package lite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"

	"github.com/duckdb/duckdb-go/v2"
)

// udf is a KQL function implemented in Go and registered in DuckDB as kql_<name>: the ones
// whose semantics SQL cannot express simply (Kusto's formats, JSON with key order, ...).
type udf struct {
	name     string
	in       []duckdb.Type
	variadic duckdb.Type // 0: fixed arguments
	out      duckdb.Type
	nulls    bool // receives NULL arguments instead of returning NULL for them
	volatile bool
	fn       func(args []driver.Value) (any, error)
}

var udfs []udf

func addUDF(u udf) { udfs = append(udfs, u) }

type udfFunc struct{ u udf }

func (f *udfFunc) Config() duckdb.ScalarFuncConfig {
	info := func(t duckdb.Type) duckdb.TypeInfo {
		ti, err := duckdb.NewTypeInfo(t)
		if err != nil {
			panic(fmt.Sprintf("kql_%s: %v", f.u.name, err))
		}
		return ti
	}
	cfg := duckdb.ScalarFuncConfig{ResultTypeInfo: info(f.u.out), SpecialNullHandling: f.u.nulls, Volatile: f.u.volatile}
	for _, t := range f.u.in {
		cfg.InputTypeInfos = append(cfg.InputTypeInfos, info(t))
	}
	if f.u.variadic != 0 {
		cfg.VariadicTypeInfo = info(f.u.variadic)
	}
	return cfg
}

func (f *udfFunc) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: f.u.fn}
}

// registered remembers the databases that have the functions: DuckDB keeps them in the
// database's catalogue, visible to all of its connections.
var registered sync.Map // *sql.DB → error

func registerUDFs(db *sql.DB) error {
	if v, ok := registered.Load(db); ok {
		if v == nil {
			return nil
		}
		return v.(error)
	}
	err := doRegister(db)
	registered.Store(db, err)
	return err
}

func doRegister(db *sql.DB) error {
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	byName := map[string][]duckdb.ScalarFunc{}
	var order []string
	for _, u := range udfs {
		if byName[u.name] == nil {
			order = append(order, u.name)
		}
		byName[u.name] = append(byName[u.name], &udfFunc{u})
	}
	for _, name := range order {
		fs := byName[name]
		var err error
		if len(fs) == 1 {
			err = duckdb.RegisterScalarUDF(conn, "kql_"+name, fs[0])
		} else {
			err = duckdb.RegisterScalarUDFSet(conn, "kql_"+name, fs...)
		}
		if err != nil && !strings.Contains(err.Error(), "already exists") {
			return fmt.Errorf("registering kql_%s: %w", name, err)
		}
	}
	return nil
}
