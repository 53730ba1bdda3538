// Package schema is the table catalogue: the built-in Sentinel-compatible tables
// (generated from the Sentinel schemas by tools/genschema) and custom `_CL` tables.
package schema

import "fmt"

// Type is a KQL scalar type name as the user sees it.
type Type string

// The KQL column types.
const (
	String   Type = "string"
	Int      Type = "int"
	Long     Type = "long"
	Real     Type = "real"
	Decimal  Type = "decimal"
	Bool     Type = "bool"
	DateTime Type = "datetime"
	TimeSpan Type = "timespan"
	GUID     Type = "guid"
	Dynamic  Type = "dynamic"
)

// ParseType accepts KQL type names and the aliases Kusto and Log Analytics use.
func ParseType(s string) (Type, error) {
	switch s {
	case "string":
		return String, nil
	case "int", "int32":
		return Int, nil
	case "long", "int64":
		return Long, nil
	case "real", "double", "float":
		return Real, nil
	case "decimal":
		return Decimal, nil
	case "bool", "boolean":
		return Bool, nil
	case "datetime", "date":
		return DateTime, nil
	case "timespan", "time":
		return TimeSpan, nil
	case "guid", "uuid", "uniqueid":
		return GUID, nil
	case "dynamic":
		return Dynamic, nil
	}
	return "", fmt.Errorf("unknown column type %q (want string, int, long, real, decimal, bool, datetime, timespan, guid or dynamic)", s)
}
