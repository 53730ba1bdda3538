package stix

import "strings"

// TLP is a Traffic Light Protocol level, ordered from least to most
// restrictive. TLP 1.0 WHITE and 2.0 CLEAR are the same level.
type TLP int

const (
	TLPUnknown TLP = iota
	TLPClear
	TLPGreen
	TLPAmber
	TLPAmberStrict
	TLPRed
)

func (t TLP) String() string {
	return [...]string{"", "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"}[t]
}

// TLPFromName reads "white", "TLP:CLEAR", "amber+strict", "Red", … .
func TLPFromName(s string) TLP {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "tlp:")
	s = strings.TrimPrefix(s, "tlp-")
	switch strings.ReplaceAll(s, " ", "") {
	case "white", "clear":
		return TLPClear
	case "green":
		return TLPGreen
	case "amber":
		return TLPAmber
	case "amber+strict", "amber-strict", "amberstrict":
		return TLPAmberStrict
	case "red":
		return TLPRed
	}
	return TLPUnknown
}

// TLP 1.0 marking-definition ids, predefined by the spec.
const (
	TLP1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
	TLP1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
	TLP1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
	TLP1Red   = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
)

// TLP 2.0 marking-definition ids, published with the TLP 2.0 extension.
const (
	TLP2Extension   = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
	TLP2Clear       = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	TLP2Green       = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	TLP2Amber       = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
	TLP2AmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
	TLP2Red         = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
)

// predefinedTLP is keyed by id: feeds reuse these ids with odd names
// (Elastic: the 1.0 white id named TLP:CLEAR), so the id decides.
var predefinedTLP = map[string]TLP{
	TLP1White: TLPClear, TLP1Green: TLPGreen, TLP1Amber: TLPAmber, TLP1Red: TLPRed,
	TLP2Clear: TLPClear, TLP2Green: TLPGreen, TLP2Amber: TLPAmber, TLP2AmberStrict: TLPAmberStrict, TLP2Red: TLPRed,
}

// TLPMarkingID returns the TLP 2.0 marking id for a level, for producers.
func TLPMarkingID(t TLP) string {
	switch t {
	case TLPClear:
		return TLP2Clear
	case TLPGreen:
		return TLP2Green
	case TLPAmber:
		return TLP2Amber
	case TLPAmberStrict:
		return TLP2AmberStrict
	case TLPRed:
		return TLP2Red
	}
	return ""
}

// SentinelTLP is the legacy table's spelling (White, Green, Amber, Red);
// AMBER+STRICT has no legacy value and maps to Amber.
func (t TLP) SentinelTLP() string {
	return [...]string{"", "White", "Green", "Amber", "Amber", "Red"}[t]
}
