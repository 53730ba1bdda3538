package azure

import "testing"

func TestParseARMID(t *testing.T) {
	cases := []struct {
		in                         string
		sub, rg, typ, name, parent string
	}{
		{"/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/SA",
			"s1", "rg", "microsoft.storage/storageaccounts", "SA", ""},
		{"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/srv/databases/db/",
			"s1", "rg", "microsoft.sql/servers/databases", "db", "/subscriptions/s1/resourcegroups/rg/providers/microsoft.sql/servers/srv"},
		{"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/providers/Microsoft.Insights/diagnosticSettings/d",
			"s1", "rg", "microsoft.insights/diagnosticsettings", "d", "/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/sa"},
		{"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/ra",
			"s1", "", "microsoft.authorization/roleassignments", "ra", ""},
		{"/subscriptions/s1/resourceGroups/My-RG", "s1", "my-rg", "microsoft.resources/resourcegroups", "My-RG", ""},
		{"/subscriptions/s1", "s1", "", "microsoft.resources/subscriptions", "s1", ""},
		{"/providers/Microsoft.Authorization/policyDefinitions/abc", "", "", "microsoft.authorization/policydefinitions", "abc", ""},
		{"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/dnszones/z.org/A/www",
			"s1", "rg", "microsoft.network/dnszones/a", "www", "/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/dnszones/z.org"},
		{"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Security/locations/eastus/jitNetworkAccessPolicies/p",
			"s1", "rg", "microsoft.security/locations/jitnetworkaccesspolicies", "p", "/subscriptions/s1/resourcegroups/rg/providers/microsoft.security/locations/eastus"},
	}
	for _, c := range cases {
		got, err := parseARMID(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got.subscription != c.sub || got.resourceGroup != c.rg || got.typ != c.typ || got.name != c.name || got.parent != c.parent {
			t.Errorf("%s:\n got  sub=%q rg=%q type=%q name=%q parent=%q\n want sub=%q rg=%q type=%q name=%q parent=%q",
				c.in, got.subscription, got.resourceGroup, got.typ, got.name, got.parent, c.sub, c.rg, c.typ, c.name, c.parent)
		}
	}
}

func TestParseARMIDErrors(t *testing.T) {
	for _, in := range []string{
		"", "subscriptions/s1", "/", "/subscriptions", "/subscriptions/s1/resourceGroups",
		"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines",
		"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute",
		"/subscriptions/s1/resourceGroups/rg/vm/x", "/subscriptions//resourceGroups/rg",
		"https://management.azure.com/subscriptions/s1", "/tenants/t",
	} {
		if got, err := parseARMID(in); err == nil {
			t.Errorf("%q: expected an error, got %+v", in, got)
		}
	}
}
