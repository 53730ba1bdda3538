package sigma

import "testing"

// Unnamed event data (classic PowerShell's HostApplication text) reaches the Data column
// that Sigma's `Data` field maps to.
func TestWindowsRowUnnamedData(t *testing.T) {
	rec := map[string]any{"Event": map[string]any{
		"System":    map[string]any{"Channel": "Windows PowerShell", "EventID": 400, "Computer": "pc1", "Provider_Name": "PowerShell"},
		"EventData": map[string]any{"Data": []any{"Available", "None", "HostApplication=powershell.exe -enc SQBFAFgA"}},
	}}
	table, row, err := WindowsRow(rec)
	if err != nil || table != "WindowsEvent" {
		t.Fatalf("%s %v", table, err)
	}
	if d, _ := row["Data"].(string); d != "Available\nNone\nHostApplication=powershell.exe -enc SQBFAFgA" {
		t.Errorf("Data = %q", row["Data"])
	}
}
