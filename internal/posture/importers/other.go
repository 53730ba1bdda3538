package importers

import "github.com/rampart-soc/rampart/internal/posture/inventory"

// importOther covers the formats whose importers are still to land (CloudFormation and
// AWS API/Config); until then the file is reported, not dropped.
func importOther(format, p string, _ []byte) inventory.Result {
	var r inventory.Result
	r.Errorf(p, "%s inventories are not supported yet", format)
	return r
}

func importRecordings(dir string) inventory.Result {
	var r inventory.Result
	r.Errorf(dir, "recorded AWS API responses are not supported yet")
	return r
}
