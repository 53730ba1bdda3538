// Package aws collects an AWS account's inventory with the AWS SDK for Go v2. Resources
// have the layout the awsapi importer gives recorded botocore responses: AWS Config types
// ("AWS::S3::Bucket"), the ARN as ID, the describe/list item as Properties, and each
// per-resource detail call's output stored under its operation name
// (Properties["GetBucketEncryption"]), an API error there as {"Error": {...}, "StatusCode": n}
// since a missing setting is what many policies look for.
package aws

// Format is the inventory.Resource.Format of everything this package produces; it is the
// awsapi importer's, since the layout is the same.
const Format = "aws"
