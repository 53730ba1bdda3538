// Package awsapi imports AWS inventories recorded from the API: botocore "placebo"
// recordings (responses/<service>.<Operation>_<n>.json = {status_code, data}, as Cloud
// Custodian's tests hold them) and AWS Config configuration items. Resources get AWS Config
// resource types ("AWS::S3::Bucket"); per-resource detail calls (GetBucketEncryption,
// GetTrailStatus, ...) are merged into the resource's Properties under the operation name.
package awsapi

// Format is the inventory.Resource.Format of everything this package produces.
const Format = "aws"
