package aws

import (
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// callError is a failed call as the awsapi layout records it.
type callError struct {
	code, msg string
	status    int
	api       bool // the service answered (an error document), as opposed to a transport failure
}

func describe(err error) callError {
	var e callError
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.api, e.code, e.msg = true, ae.ErrorCode(), ae.ErrorMessage()
	}
	var hs interface{ HTTPStatusCode() int }
	if errors.As(err, &hs) {
		e.status = hs.HTTPStatusCode()
	}
	if e.msg == "" {
		e.msg = err.Error()
	}
	return e
}

// data is the stored form of an API error: botocore's {"Error": {Code, Message}} plus the
// status, with extra fields (S3 names the bucket) merged into Error.
func (e callError) data(extra map[string]any) map[string]any {
	inner := map[string]any{"Code": e.code, "Message": e.msg}
	for k, v := range extra {
		inner[k] = v
	}
	return map[string]any{"Error": inner, "StatusCode": float64(e.status)}
}

// denied reports an authorisation failure: stored like any API error, but also reported,
// since policies would otherwise read it as a missing setting.
func (e callError) denied() bool {
	return e.status == 401 || e.status == 403 || strings.Contains(e.code, "AccessDenied") ||
		strings.Contains(e.code, "Unauthorized") || e.code == "AuthFailure"
}

func (e callError) String() string {
	if e.code != "" {
		return e.code + ": " + e.msg
	}
	return e.msg
}
