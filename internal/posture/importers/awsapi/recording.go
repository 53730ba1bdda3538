package awsapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

// fileName matches placebo response files: <service>.<Operation>_<n>.json.
var fileName = regexp.MustCompile(`^([a-z0-9-]+)\.([A-Za-z0-9]+)_([0-9]+)\.json$`)

// IsPlaceboFile reports whether a file name is a placebo response recording.
func IsPlaceboFile(name string) bool { return fileName.MatchString(name) }

// call is one recorded response.
type call struct {
	op     string // service.Operation
	n      int
	status int
	data   map[string]any
	source string
}

// Recording collects the responses of one recorded session (one placebo directory) and
// turns them into resources once all are read: detail calls need their list call first.
type Recording struct {
	calls []call
	errs  []inventory.ImportError
}

// Add reads one response file; name is its base name (service.Operation_n.json), source
// names it in errors.
func (rec *Recording) Add(name string, content []byte, source string) {
	m := fileName.FindStringSubmatch(name)
	if m == nil {
		rec.errorf(source, "not a placebo response file name (want <service>.<Operation>_<n>.json)")
		return
	}
	n, _ := strconv.Atoi(m[3])
	var doc struct {
		StatusCode *float64 `json:"status_code"`
		Data       any      `json:"data"`
	}
	if err := json.Unmarshal(content, &doc); err != nil {
		rec.errorf(source, "invalid JSON: %v", err)
		return
	}
	data, ok := doc.Data.(map[string]any)
	if !ok {
		rec.errorf(source, "data is %s, not an object", jsonKind(doc.Data))
		return
	}
	status := 200
	if doc.StatusCode != nil {
		status = int(*doc.StatusCode)
	}
	normalize(data, 0)
	rec.calls = append(rec.calls, call{op: m[1] + "." + m[2], n: n, status: status, data: data, source: source})
}

func (rec *Recording) errorf(source, format string, args ...any) {
	rec.errs = append(rec.errs, inventory.ImportError{Source: source, Err: fmt.Sprintf(format, args...)})
}

// Result builds the resources.
func (rec *Recording) Result() inventory.Result {
	var res inventory.Result
	res.Errors = append(res.Errors, rec.errs...)
	sort.SliceStable(rec.calls, func(i, j int) bool {
		if rec.calls[i].op != rec.calls[j].op {
			return rec.calls[i].op < rec.calls[j].op
		}
		return rec.calls[i].n < rec.calls[j].n
	})
	b := newBuilder(&res, rec.calls)
	b.build()
	return res
}
