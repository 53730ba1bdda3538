package sigma

import (
	"sync"
	"sync/atomic"
)

// Every column path a compiled matcher reads gets a small process-wide id, so that
// one evaluation resolves each field of an event once, however many rules test it.
var (
	fieldMu    sync.Mutex
	fieldIDs   = map[string]int32{}
	fieldCount atomic.Int32
)

func fieldID(name string) int32 {
	fieldMu.Lock()
	defer fieldMu.Unlock()
	id, ok := fieldIDs[name]
	if !ok {
		id = int32(len(fieldIDs))
		fieldIDs[name] = id
		fieldCount.Store(id + 1)
	}
	return id
}

// evalCtx is the state of matching one event: the field values looked up so far
// (valid when their stamp is the current generation) and the event's leaf values
// for keyword searches. It is reused across events and is not safe for concurrent
// use.
type evalCtx struct {
	ev     Event
	gen    uint32
	stamp  []uint32
	vals   []cachedValue
	leaves []Value
	ranged bool
}

type cachedValue struct {
	v  Value
	ok bool
}

var ctxPool = sync.Pool{New: func() any { return new(evalCtx) }}

// reset starts a new event.
func (c *evalCtx) reset(ev Event) {
	c.ev = ev
	c.ranged = false
	c.leaves = c.leaves[:0]
	c.gen++
	if c.gen == 0 { // wrapped: clear the stamps
		clear(c.stamp)
		c.gen = 1
	}
}

// release drops the references to the event.
func (c *evalCtx) release() {
	c.ev = nil
	clear(c.leaves)
	c.leaves = c.leaves[:0]
}

// get returns the value of a field (id from fieldID(name)).
func (c *evalCtx) get(id int32, name string) (Value, bool) {
	if int(id) >= len(c.stamp) {
		n := max(int(fieldCount.Load()), int(id)+1)
		c.stamp = append(c.stamp, make([]uint32, n-len(c.stamp))...)
		c.vals = append(c.vals, make([]cachedValue, n-len(c.vals))...)
	}
	if c.stamp[id] == c.gen {
		cv := &c.vals[id]
		return cv.v, cv.ok
	}
	v, ok := c.ev.Get(name)
	c.stamp[id] = c.gen
	c.vals[id] = cachedValue{v, ok}
	return v, ok
}

// values returns every scalar leaf value of the event (Event.Range), collected once.
func (c *evalCtx) values() []Value {
	if !c.ranged {
		c.ranged = true
		c.ev.Range(func(v Value) bool {
			c.leaves = append(c.leaves, v)
			return true
		})
	}
	return c.leaves
}
