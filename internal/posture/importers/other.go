package importers

import (
	"github.com/rampart-soc/rampart/internal/posture/importers/awsapi"
	"github.com/rampart-soc/rampart/internal/posture/importers/cloudformation"
	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// importOther covers the AWS formats.
func importOther(format, p string, data []byte) inventory.Result {
	switch format {
	case CloudFormation:
		return cloudformation.ImportTemplate(data, p)
	case AWSAPI:
		return awsapi.ParseConfig(data, p)
	}
	var r inventory.Result
	r.Errorf(p, "no importer for format %q", format)
	return r
}

// importRecordings reads one folder of recorded AWS API responses (botocore placebo files).
func importRecordings(dir string) inventory.Result { return awsapi.ImportDir(dir) }
