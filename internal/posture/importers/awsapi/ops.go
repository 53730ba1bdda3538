package awsapi

// listOp describes a describe/list call whose response lists resources.
type listOp struct {
	typ   string
	items string // dotted path to the list; "*" descends into every element (Reservations.*.Instances)
	id    string // field holding the ARN, else a unique id
	name  string // field holding the display name ("" = the id)
	arn   string // ARN template when the API gives none: {id}, {region}, {account}
}

// listOps maps "<service>.<Operation>" to the resources it lists.
var listOps = map[string]listOp{
	"s3.ListBuckets":                             {typ: "AWS::S3::Bucket", items: "Buckets", id: "Name", arn: "arn:aws:s3:::{id}"},
	"ec2.DescribeInstances":                      {typ: "AWS::EC2::Instance", items: "Reservations.*.Instances", id: "InstanceId", arn: "arn:aws:ec2:{region}:{account}:instance/{id}"},
	"ec2.DescribeSecurityGroups":                 {typ: "AWS::EC2::SecurityGroup", items: "SecurityGroups", id: "GroupId", name: "GroupName", arn: "arn:aws:ec2:{region}:{account}:security-group/{id}"},
	"ec2.DescribeVpcs":                           {typ: "AWS::EC2::VPC", items: "Vpcs", id: "VpcId", arn: "arn:aws:ec2:{region}:{account}:vpc/{id}"},
	"ec2.DescribeSubnets":                        {typ: "AWS::EC2::Subnet", items: "Subnets", id: "SubnetArn", name: "SubnetId"},
	"ec2.DescribeVolumes":                        {typ: "AWS::EC2::Volume", items: "Volumes", id: "VolumeId", arn: "arn:aws:ec2:{region}:{account}:volume/{id}"},
	"ec2.DescribeSnapshots":                      {typ: "AWS::EC2::Snapshot", items: "Snapshots", id: "SnapshotId", arn: "arn:aws:ec2:{region}:{account}:snapshot/{id}"},
	"ec2.DescribeNetworkAcls":                    {typ: "AWS::EC2::NetworkAcl", items: "NetworkAcls", id: "NetworkAclId", arn: "arn:aws:ec2:{region}:{account}:network-acl/{id}"},
	"ec2.DescribeFlowLogs":                       {typ: "AWS::EC2::FlowLog", items: "FlowLogs", id: "FlowLogId", arn: "arn:aws:ec2:{region}:{account}:vpc-flow-log/{id}"},
	"iam.ListUsers":                              {typ: "AWS::IAM::User", items: "Users", id: "Arn", name: "UserName"},
	"iam.ListRoles":                              {typ: "AWS::IAM::Role", items: "Roles", id: "Arn", name: "RoleName"},
	"iam.ListGroups":                             {typ: "AWS::IAM::Group", items: "Groups", id: "Arn", name: "GroupName"},
	"iam.ListPolicies":                           {typ: "AWS::IAM::Policy", items: "Policies", id: "Arn", name: "PolicyName"},
	"rds.DescribeDBInstances":                    {typ: "AWS::RDS::DBInstance", items: "DBInstances", id: "DBInstanceArn", name: "DBInstanceIdentifier"},
	"rds.DescribeDBClusters":                     {typ: "AWS::RDS::DBCluster", items: "DBClusters", id: "DBClusterArn", name: "DBClusterIdentifier"},
	"rds.DescribeDBSnapshots":                    {typ: "AWS::RDS::DBSnapshot", items: "DBSnapshots", id: "DBSnapshotArn", name: "DBSnapshotIdentifier"},
	"rds.DescribeDBClusterSnapshots":             {typ: "AWS::RDS::DBClusterSnapshot", items: "DBClusterSnapshots", id: "DBClusterSnapshotArn", name: "DBClusterSnapshotIdentifier"},
	"kms.ListKeys":                               {typ: "AWS::KMS::Key", items: "Keys", id: "KeyArn", name: "KeyId"},
	"cloudtrail.DescribeTrails":                  {typ: "AWS::CloudTrail::Trail", items: "trailList", id: "TrailARN", name: "Name"},
	"lambda.ListFunctions":                       {typ: "AWS::Lambda::Function", items: "Functions", id: "FunctionArn", name: "FunctionName"},
	"redshift.DescribeClusters":                  {typ: "AWS::Redshift::Cluster", items: "Clusters", id: "ClusterIdentifier", arn: "arn:aws:redshift:{region}:{account}:cluster:{id}"},
	"elasticloadbalancing.DescribeLoadBalancers": {typ: "AWS::ElasticLoadBalancing::LoadBalancer", items: "LoadBalancerDescriptions", id: "LoadBalancerName", arn: "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{id}"},
	"elbv2.DescribeLoadBalancers":                {typ: "AWS::ElasticLoadBalancingV2::LoadBalancer", items: "LoadBalancers", id: "LoadBalancerArn", name: "LoadBalancerName"},
	"elasticfilesystem.DescribeFileSystems":      {typ: "AWS::EFS::FileSystem", items: "FileSystems", id: "FileSystemArn", name: "FileSystemId"},
	"sns.ListTopics":                             {typ: "AWS::SNS::Topic", items: "Topics", id: "TopicArn"},
	"config.DescribeConfigurationRecorders":      {typ: "AWS::Config::ConfigurationRecorder", items: "ConfigurationRecorders", id: "name", arn: "arn:aws:config:{region}:{account}:config-recorder/{id}"},
	"config.DescribeDeliveryChannels":            {typ: "AWS::Config::DeliveryChannel", items: "DeliveryChannels", id: "name", arn: "arn:aws:config:{region}:{account}:delivery-channel/{id}"},
	"guardduty.ListDetectors":                    {typ: "AWS::GuardDuty::Detector", items: "DetectorIds", id: "DetectorId", arn: "arn:aws:guardduty:{region}:{account}:detector/{id}"},
	"ecr.DescribeRepositories":                   {typ: "AWS::ECR::Repository", items: "repositories", id: "repositoryArn", name: "repositoryName"},
	"dynamodb.DescribeTable":                     {typ: "AWS::DynamoDB::Table", items: "Table", id: "TableArn", name: "TableName"},
	"es.DescribeElasticsearchDomains":            {typ: "AWS::Elasticsearch::Domain", items: "DomainStatusList", id: "ARN", name: "DomainName"},
	"cloudfront.ListDistributions":               {typ: "AWS::CloudFront::Distribution", items: "DistributionList.Items", id: "ARN", name: "Id"},
	"secretsmanager.ListSecrets":                 {typ: "AWS::SecretsManager::Secret", items: "SecretList", id: "ARN", name: "Name"},
	"sqs.GetQueueAttributes":                     {typ: "AWS::SQS::Queue", items: "Attributes", id: "QueueArn"},
}

// detailOp describes a per-resource call whose response is merged into one resource.
type detailOp struct {
	typ   string
	key   string // dotted path in the response naming the resource ("" = match by call order)
	match string // field of the resource compared with key (default: the resource's name)
	// create names the response object that is itself the resource (with its ARN and name
	// fields), for recordings that fetched a resource without listing it first.
	create, createID, createName string
}

// detailOps maps "<service>.<Operation>" to the resource type it describes. Responses are
// stored under Properties[<Operation>]; S3 bucket Get* calls all merge into buckets.
var detailOps = map[string]detailOp{
	"s3.ListObjects":                                      {typ: "AWS::S3::Bucket", key: "Name", match: "Name"},
	"ec2.DescribeSnapshotAttribute":                       {typ: "AWS::EC2::Snapshot", key: "SnapshotId", match: "SnapshotId"},
	"ec2.DescribeInstanceAttribute":                       {typ: "AWS::EC2::Instance", key: "InstanceId", match: "InstanceId"},
	"iam.GetUser":                                         {typ: "AWS::IAM::User", key: "User.UserName", match: "UserName", create: "User", createID: "Arn", createName: "UserName"},
	"iam.GetLoginProfile":                                 {typ: "AWS::IAM::User", key: "LoginProfile.UserName", match: "UserName"},
	"iam.ListMFADevices":                                  {typ: "AWS::IAM::User", key: "MFADevices.0.UserName", match: "UserName"},
	"iam.ListAccessKeys":                                  {typ: "AWS::IAM::User", key: "AccessKeyMetadata.0.UserName", match: "UserName"},
	"iam.ListAttachedUserPolicies":                        {typ: "AWS::IAM::User"},
	"iam.ListUserPolicies":                                {typ: "AWS::IAM::User"},
	"iam.ListGroupsForUser":                               {typ: "AWS::IAM::User"},
	"iam.GetRole":                                         {typ: "AWS::IAM::Role", key: "Role.RoleName", match: "RoleName", create: "Role", createID: "Arn", createName: "RoleName"},
	"iam.ListAttachedRolePolicies":                        {typ: "AWS::IAM::Role"},
	"iam.GetPolicy":                                       {typ: "AWS::IAM::Policy", key: "Policy.Arn", match: "Arn", create: "Policy", createID: "Arn", createName: "PolicyName"},
	"iam.GetPolicyVersion":                                {typ: "AWS::IAM::Policy"},
	"kms.DescribeKey":                                     {typ: "AWS::KMS::Key", key: "KeyMetadata.KeyId", match: "KeyId", create: "KeyMetadata", createID: "Arn", createName: "KeyId"},
	"kms.ListKeyRotations":                                {typ: "AWS::KMS::Key", key: "Rotations.0.KeyId", match: "KeyId"},
	"kms.GetKeyRotationStatus":                            {typ: "AWS::KMS::Key", key: "KeyId", match: "KeyId"},
	"kms.GetKeyPolicy":                                    {typ: "AWS::KMS::Key"},
	"cloudtrail.GetTrailStatus":                           {typ: "AWS::CloudTrail::Trail"},
	"cloudtrail.GetEventSelectors":                        {typ: "AWS::CloudTrail::Trail", key: "TrailARN", match: "TrailARN"},
	"cloudtrail.GetInsightSelectors":                      {typ: "AWS::CloudTrail::Trail", key: "TrailARN", match: "TrailARN"},
	"rds.DescribeDBClusterSnapshotAttributes":             {typ: "AWS::RDS::DBClusterSnapshot", key: "DBClusterSnapshotAttributesResult.DBClusterSnapshotIdentifier", match: "DBClusterSnapshotIdentifier"},
	"rds.DescribeDBSnapshotAttributes":                    {typ: "AWS::RDS::DBSnapshot", key: "DBSnapshotAttributesResult.DBSnapshotIdentifier", match: "DBSnapshotIdentifier"},
	"elasticloadbalancing.DescribeLoadBalancerAttributes": {typ: "AWS::ElasticLoadBalancing::LoadBalancer"},
	"elasticloadbalancing.DescribeLoadBalancerPolicies":   {typ: "AWS::ElasticLoadBalancing::LoadBalancer"},
	"elbv2.DescribeLoadBalancerAttributes":                {typ: "AWS::ElasticLoadBalancingV2::LoadBalancer"},
	"elasticfilesystem.DescribeFileSystemPolicy":          {typ: "AWS::EFS::FileSystem", key: "FileSystemId", match: "FileSystemId"},
	"sns.GetTopicAttributes":                              {typ: "AWS::SNS::Topic", key: "Attributes.TopicArn", match: "TopicArn"},
	"lambda.GetPolicy":                                    {typ: "AWS::Lambda::Function"},
	"lambda.GetFunction":                                  {typ: "AWS::Lambda::Function", key: "Configuration.FunctionArn", match: "FunctionArn", create: "Configuration", createID: "FunctionArn", createName: "FunctionName"},
	"guardduty.GetDetector":                               {typ: "AWS::GuardDuty::Detector"},
	"redshift.DescribeLoggingStatus":                      {typ: "AWS::Redshift::Cluster"},
	"ecr.GetRepositoryPolicy":                             {typ: "AWS::ECR::Repository", key: "repositoryName", match: "repositoryName"},
}

// memberOps are calls that answer for several resources at once: each element of the list
// at items is merged into the resource whose match field equals the element's key.
var memberOps = map[string]struct{ typ, items, key, match, store string }{
	"config.DescribeConfigurationRecorderStatus": {"AWS::Config::ConfigurationRecorder", "ConfigurationRecordersStatus", "name", "name", "Status"},
	"kms.ListAliases": {"AWS::KMS::Key", "Aliases", "TargetKeyId", "KeyId", "Aliases"},
}

// accountOps are account-wide settings. IAM ones go to the AWS::IAM::Account resource (the
// response's fields merged in); the others to AWS::::Account under service, then operation.
var iamAccountOps = map[string]bool{
	"iam.GetAccountSummary":              true,
	"iam.GetCredentialReport":            true,
	"iam.GetAccountPasswordPolicy":       true,
	"iam.ListAccountAliases":             true,
	"iam.ListVirtualMFADevices":          true,
	"iam.GetAccountAuthorizationDetails": true,
}

var accountOps = map[string]bool{
	"ec2.GetEbsEncryptionByDefault":        true,
	"ec2.GetEbsDefaultKmsKeyId":            true,
	"s3-control.GetPublicAccessBlock":      true,
	"s3control.GetPublicAccessBlock":       true,
	"macie2.GetMacieSession":               true,
	"macie2.GetAdministratorAccount":       true,
	"guardduty.GetAdministratorAccount":    true,
	"securityhub.DescribeHub":              true,
	"accessanalyzer.ListAnalyzers":         true,
	"support.DescribeTrustedAdvisorChecks": true,
}

// ignoredOps carry no resource state (pagination helpers, report generation, object listings).
var ignoredOps = map[string]bool{
	"iam.GenerateCredentialReport": true,
	"sts.GetCallerIdentity":        true,
}
