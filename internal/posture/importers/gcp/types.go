package gcp

import "strings"

// collections maps a REST service host and collection name (the URL path segment that lists
// the resources) to the CAI asset type of its members.
var collections = map[string]map[string]string{
	"compute.googleapis.com": {
		"instances":             "compute.googleapis.com/Instance",
		"firewalls":             "compute.googleapis.com/Firewall",
		"networks":              "compute.googleapis.com/Network",
		"subnetworks":           "compute.googleapis.com/Subnetwork",
		"disks":                 "compute.googleapis.com/Disk",
		"images":                "compute.googleapis.com/Image",
		"snapshots":             "compute.googleapis.com/Snapshot",
		"addresses":             "compute.googleapis.com/Address",
		"forwardingRules":       "compute.googleapis.com/ForwardingRule",
		"instanceTemplates":     "compute.googleapis.com/InstanceTemplate",
		"instanceGroupManagers": "compute.googleapis.com/InstanceGroupManager",
		"instanceGroups":        "compute.googleapis.com/InstanceGroup",
		"backendBuckets":        "compute.googleapis.com/BackendBucket",
		"backendServices":       "compute.googleapis.com/BackendService",
		"targetInstances":       "compute.googleapis.com/TargetInstance",
		"targetHttpsProxies":    "compute.googleapis.com/TargetHttpsProxy",
		"sslPolicies":           "compute.googleapis.com/SslPolicy",
		"routers":               "compute.googleapis.com/Router",
		"routes":                "compute.googleapis.com/Route",
		"projects":              "compute.googleapis.com/Project",
	},
	"storage.googleapis.com": {"b": "storage.googleapis.com/Bucket"},
	"sqladmin.googleapis.com": {
		"instances":  "sqladmin.googleapis.com/Instance",
		"backupRuns": "sqladmin.googleapis.com/BackupRun",
	},
	"container.googleapis.com": {
		"clusters":  "container.googleapis.com/Cluster",
		"nodePools": "container.googleapis.com/NodePool",
	},
	"cloudkms.googleapis.com": {
		"keyRings":          "cloudkms.googleapis.com/KeyRing",
		"cryptoKeys":        "cloudkms.googleapis.com/CryptoKey",
		"cryptoKeyVersions": "cloudkms.googleapis.com/CryptoKeyVersion",
	},
	"iam.googleapis.com": {
		"serviceAccounts": "iam.googleapis.com/ServiceAccount",
		"keys":            "iam.googleapis.com/ServiceAccountKey",
		"roles":           "iam.googleapis.com/Role",
	},
	"dns.googleapis.com": {
		"managedZones": "dns.googleapis.com/ManagedZone",
		"policies":     "dns.googleapis.com/Policy",
	},
	"bigquery.googleapis.com": {
		"datasets": "bigquery.googleapis.com/Dataset",
		"tables":   "bigquery.googleapis.com/Table",
	},
	"spanner.googleapis.com": {
		"instances": "spanner.googleapis.com/Instance",
		"databases": "spanner.googleapis.com/Database",
		"backups":   "spanner.googleapis.com/Backup",
	},
	"pubsub.googleapis.com": {
		"topics":        "pubsub.googleapis.com/Topic",
		"subscriptions": "pubsub.googleapis.com/Subscription",
	},
	"logging.googleapis.com": {
		"sinks":      "logging.googleapis.com/LogSink",
		"metrics":    "logging.googleapis.com/LogMetric",
		"exclusions": "logging.googleapis.com/LogExclusion",
	},
	"cloudresourcemanager.googleapis.com": {
		"projects": "cloudresourcemanager.googleapis.com/Project",
		"folders":  "cloudresourcemanager.googleapis.com/Folder",
	},
	"bigtableadmin.googleapis.com": {
		"instances": "bigtableadmin.googleapis.com/Instance",
		"clusters":  "bigtableadmin.googleapis.com/Cluster",
		"tables":    "bigtableadmin.googleapis.com/Table",
		"backups":   "bigtableadmin.googleapis.com/Backup",
	},
	"cloudfunctions.googleapis.com": {"functions": "cloudfunctions.googleapis.com/CloudFunction"},
	"redis.googleapis.com": {
		"instances": "redis.googleapis.com/Instance",
		"clusters":  "redis.googleapis.com/Cluster",
	},
	"dataproc.googleapis.com":   {"clusters": "dataproc.googleapis.com/Cluster"},
	"apikeys.googleapis.com":    {"keys": "apikeys.googleapis.com/Key"},
	"appengine.googleapis.com":  {"apps": "appengine.googleapis.com/Application", "services": "appengine.googleapis.com/Service"},
	"run.googleapis.com":        {"services": "run.googleapis.com/Service"},
	"notebooks.googleapis.com":  {"instances": "notebooks.googleapis.com/Instance"},
	"datafusion.googleapis.com": {"instances": "datafusion.googleapis.com/Instance"},
	"aiplatform.googleapis.com": {"datasets": "aiplatform.googleapis.com/Dataset"},
	"secretmanager.googleapis.com": {
		"secrets": "secretmanager.googleapis.com/Secret",
	},
}

// listKeys are the body fields other than the collection name that hold a list's members.
var listKeys = map[string][]string{
	"serviceAccounts": {"accounts"},
	"b":               {"items"},
	"managedZones":    {"managedZones"},
	"policies":        {"policies"},
}

// kindTypes maps the `kind` some REST APIs put on each resource to its asset type, for the
// kinds whose name does not follow "<service>#<resource>" -> "<service>.googleapis.com/<Resource>".
var kindTypes = map[string]string{
	"sql#instance":       "sqladmin.googleapis.com/Instance",
	"sql#backupRun":      "sqladmin.googleapis.com/BackupRun",
	"storage#bucket":     "storage.googleapis.com/Bucket",
	"dns#managedZone":    "dns.googleapis.com/ManagedZone",
	"dns#policy":         "dns.googleapis.com/Policy",
	"bigquery#dataset":   "bigquery.googleapis.com/Dataset",
	"bigquery#table":     "bigquery.googleapis.com/Table",
	"compute#instance":   "compute.googleapis.com/Instance",
	"compute#project":    "compute.googleapis.com/Project",
	"compute#firewall":   "compute.googleapis.com/Firewall",
	"compute#network":    "compute.googleapis.com/Network",
	"compute#disk":       "compute.googleapis.com/Disk",
	"compute#image":      "compute.googleapis.com/Image",
	"compute#snapshot":   "compute.googleapis.com/Snapshot",
	"compute#address":    "compute.googleapis.com/Address",
	"compute#subnetwork": "compute.googleapis.com/Subnetwork",
}

// kindType maps a resource's kind to an asset type: the table first, then the compute
// convention (compute#backendBucket -> compute.googleapis.com/BackendBucket). Kinds of lists
// and kinds of unknown services give "".
func kindType(kind string) string {
	if t, ok := kindTypes[kind]; ok {
		return t
	}
	svc, res, ok := strings.Cut(kind, "#")
	if !ok || svc != "compute" || res == "" || strings.HasSuffix(res, "List") {
		return ""
	}
	return "compute.googleapis.com/" + strings.ToUpper(res[:1]) + res[1:]
}
