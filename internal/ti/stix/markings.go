package stix

import (
	"encoding/json"
	"strings"
	"sync"
)

// Markings resolves marking-definition ids to TLP levels. It knows the
// predefined TLP 1.0 and 2.0 ids and learns marking definitions seen in
// input. Safe for concurrent use.
type Markings struct {
	mu   sync.RWMutex
	defs map[string]markingInfo
}

type markingInfo struct {
	tlp       TLP
	statement bool // a statement (copyright, terms) rather than a level
}

// NewMarkings returns a registry holding the predefined TLP markings.
func NewMarkings() *Markings {
	return &Markings{defs: map[string]markingInfo{}}
}

// Learn records a marking-definition object; other objects are ignored.
// Predefined ids keep their level whatever the object says.
func (r *Markings) Learn(o *Object) {
	if o.Marking == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.defs[o.ID] = markingInfo{tlp: o.Marking.TLP, statement: o.Marking.DefinitionType == "statement"}
}

// Lookup returns the TLP level of a marking id; known is false for an id
// the registry has never seen (its meaning is unknowable).
func (r *Markings) Lookup(id string) (tlp TLP, known bool) {
	if t, ok := predefinedTLP[id]; ok {
		return t, true
	}
	if r == nil {
		return TLPUnknown, false
	}
	r.mu.RLock()
	info, ok := r.defs[id]
	r.mu.RUnlock()
	return info.tlp, ok
}

// markingTLP extracts the TLP level a marking-definition declares: the
// predefined id, definition.tlp, the TLP 2.0 extension, or a "TLP:…" name.
func markingTLP(id string, m map[string]json.RawMessage) TLP {
	if t, ok := predefinedTLP[id]; ok {
		return t
	}
	if dt, _ := str(m["definition_type"]); dt == "tlp" {
		var d struct {
			TLP string `json:"tlp"`
		}
		_ = json.Unmarshal(m["definition"], &d)
		if t := TLPFromName(d.TLP); t != TLPUnknown {
			return t
		}
	}
	var ext map[string]struct {
		TLP string `json:"tlp_2_0"`
	}
	if json.Unmarshal(m["extensions"], &ext) == nil {
		if e, ok := ext[TLP2Extension]; ok {
			if t := TLPFromName(e.TLP); t != TLPUnknown {
				return t
			}
		}
	}
	if name, _ := str(m["name"]); strings.HasPrefix(strings.ToUpper(name), "TLP") {
		return TLPFromName(name)
	}
	return TLPUnknown
}
