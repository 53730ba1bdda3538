package detect

import (
	"strconv"
	"strings"
	"time"

	"github.com/rampart-soc/rampart/internal/schema"
	"github.com/rampart-soc/rampart/internal/sigma"
	"github.com/rampart-soc/rampart/internal/store"
)

// rowEvent lets the Sigma matcher read a stored row in place: flat columns straight from
// the row's cells, without building a map per event. Dotted paths, dynamic columns, fields
// kept in _AdditionalFields and keyword searches fall back to the row as a nested map,
// built once, only for the rows that need it.
type rowEvent struct {
	b     *store.Batch
	i     int
	cells []store.Cell
	full  *sigma.MapEvent
}

func newRowEvent(b *store.Batch, i int) *rowEvent {
	return &rowEvent{b: b, i: i, cells: b.Row(i)}
}

func (e *rowEvent) mapped() *sigma.MapEvent {
	if e.full == nil {
		e.full = sigma.NewMapEvent(RowMap(e.b, e.i))
	}
	return e.full
}

// Get implements sigma.Event.
func (e *rowEvent) Get(field string) (sigma.Value, bool) {
	if e.full == nil && strings.IndexByte(field, '.') < 0 {
		if col, ok := e.b.Table.Column(field); ok && col.Type != schema.Dynamic {
			ci, _ := e.b.Table.Lookup(field)
			for _, c := range e.cells {
				if int(c.Col) == ci {
					return value(c.Val), true
				}
			}
			if e.b.Extra == nil || e.b.Extra[e.i] == "" {
				return sigma.Value{}, false
			}
		}
	}
	return e.mapped().Get(field)
}

// Range implements sigma.Event.
func (e *rowEvent) Range(fn func(sigma.Value) bool) { e.mapped().Range(fn) }

func value(v any) sigma.Value {
	switch x := v.(type) {
	case string:
		return sigma.StringValue(x)
	case int64:
		return sigma.NumberValue(float64(x), strconv.FormatInt(x, 10))
	case float64:
		return sigma.NumberValue(x, "")
	case bool:
		return sigma.BoolValue(x)
	case time.Time:
		return sigma.StringValue(x.UTC().Format(time.RFC3339Nano))
	}
	return sigma.StringValue(plain(schema.String, v).(string))
}
