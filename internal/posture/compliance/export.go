package compliance

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes one row per standard control: the report export auditors ask for.
func WriteCSV(w io.Writer, reports []Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"standard", "control", "title", "state", "healthy_assessments",
		"unhealthy_assessments", "exempt_assessments", "policies", "failed_resources"}); err != nil {
		return err
	}
	for _, r := range reports {
		for _, c := range r.Controls {
			if err := cw.Write([]string{r.Standard, c.ID, c.Title, c.State, strconv.Itoa(c.Healthy),
				strconv.Itoa(c.Unhealthy), strconv.Itoa(c.Exempt), strings.Join(c.Policies, " "),
				strings.Join(c.FailedResources, " ")}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
