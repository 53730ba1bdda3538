package azure

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rampart-soc/rampart/internal/posture/inventory"
)

const vmID = "/subscriptions/S1/resourceGroups/RG1/providers/Microsoft.Compute/virtualMachines/vm1"
const nicID = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/nic1"

var vmRow = `{"id":"` + vmID + `","name":"vm1","type":"Microsoft.Compute/virtualMachines","location":"East US",
 "tags":{"env":"prod","n":3},
 "identity":{"type":"UserAssigned","userAssignedIdentities":{"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1":{}}},
 "properties":{"networkProfile":{"networkInterfaces":[{"id":"` + nicID + `"}]},
  "storageProfile":{"osDisk":{"managedDisk":{"id":"/subscriptions/s1/resourceGroups/RG1/providers/Microsoft.Compute/disks/d1"}}}}}`

var nicRow = `{"id":"` + nicID + `","name":"nic1","type":"microsoft.network/networkinterfaces","location":"eastus",
 "properties":{"ipConfigurations":[{"id":"` + nicID + `/ipConfigurations/ipc","properties":{
   "subnet":{"id":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn/subnets/default"}}}],
  "networkSecurityGroup":{"id":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/nsg"},
  "virtualMachine":{"id":"` + vmID + `"}}}`

func ids(rs []*inventory.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestShapes(t *testing.T) {
	want := []string{strings.ToLower(vmID), strings.ToLower(nicID)}
	cases := map[string]string{
		"array":        `[` + vmRow + `,` + nicRow + `]`,
		"graph object": `{"totalRecords":2,"count":2,"data":[` + vmRow + `,` + nicRow + `],"facets":[],"resultTruncated":"false"}`,
		"arm list":     `{"value":[` + vmRow + `,` + nicRow + `],"nextLink":"https://management.azure.com/...&$skiptoken=x"}`,
		"arm gets":     vmRow + "\n" + nicRow,
		"json lines":   strings.ReplaceAll(vmRow, "\n", "") + "\n" + strings.ReplaceAll(nicRow, "\n", "") + "\n",
		"table": `{"data":{"columns":[{"name":"id","type":"string"},{"name":"type","type":"string"},{"name":"location","type":"string"}],
		  "rows":[["` + vmID + `","microsoft.compute/virtualmachines","eastus"],["` + nicID + `","microsoft.network/networkinterfaces","eastus"]]}}`,
	}
	for name, in := range cases {
		res := Parse([]byte(in), "in.json")
		if len(res.Errors) > 0 {
			t.Errorf("%s: errors %v", name, res.Errors)
		}
		if got := ids(res.Resources); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ids %v, want %v", name, got, want)
		}
	}
}

func TestResourceFields(t *testing.T) {
	res := Parse([]byte(`[`+vmRow+`,`+nicRow+`]`), "inv.json")
	if len(res.Resources) != 2 {
		t.Fatalf("got %d resources, errors %v", len(res.Resources), res.Errors)
	}
	vm := res.Resources[0]
	if vm.Provider != "azure" || vm.Type != "microsoft.compute/virtualmachines" || vm.Account != "s1" ||
		vm.ResourceGroup != "rg1" || vm.Region != "eastus" || vm.Name != "vm1" || vm.Format != "arm" || vm.Source != "inv.json: [0]" {
		t.Errorf("vm fields: %+v", vm)
	}
	if !reflect.DeepEqual(vm.Tags, map[string]string{"env": "prod", "n": "3"}) {
		t.Errorf("tags %v", vm.Tags)
	}
	if v, ok := vm.Get("properties.networkProfile.networkInterfaces.0.id"); !ok || v != nicID {
		t.Errorf("properties are not the row unmodified: %v", v)
	}
	wantVM := []inventory.Link{
		{Kind: "references", Target: "/subscriptions/s1/resourcegroups/rg1/providers/microsoft.compute/disks/d1"},
		{Kind: "references", Target: "/subscriptions/s1/resourcegroups/rg1/providers/microsoft.managedidentity/userassignedidentities/id1"},
		{Kind: "references", Target: strings.ToLower(nicID)},
	}
	if !reflect.DeepEqual(vm.Links, wantVM) {
		t.Errorf("vm links %v", vm.Links)
	}
	// The NIC's own ipConfiguration id is part of it, not a link.
	wantNIC := []inventory.Link{
		{Kind: "references", Target: strings.ToLower(vmID)},
		{Kind: "references", Target: "/subscriptions/s1/resourcegroups/rg1/providers/microsoft.network/networksecuritygroups/nsg"},
		{Kind: "references", Target: "/subscriptions/s1/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/vn/subnets/default"},
	}
	if !reflect.DeepEqual(res.Resources[1].Links, wantNIC) {
		t.Errorf("nic links %v", res.Resources[1].Links)
	}
}

func TestChildAndTypeFromID(t *testing.T) {
	in := `[{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/srv/databases/db","type":"","properties":{}},
	{"id":"/subscriptions/s1/providers/microsoft.insights/logprofiles/lp","properties":{"storageAccountId":null}}]`
	res := Parse([]byte(in), "x")
	if len(res.Errors) != 0 || len(res.Resources) != 2 {
		t.Fatalf("%v %v", res.Resources, res.Errors)
	}
	db := res.Resources[0]
	if db.Type != "microsoft.sql/servers/databases" || db.Name != "db" {
		t.Errorf("db: %+v", db)
	}
	if want := []inventory.Link{{Kind: "childOf", Target: "/subscriptions/s1/resourcegroups/rg/providers/microsoft.sql/servers/srv"}}; !reflect.DeepEqual(db.Links, want) {
		t.Errorf("db links %v", db.Links)
	}
	lp := res.Resources[1]
	if lp.Type != "microsoft.insights/logprofiles" || lp.ResourceGroup != "" || lp.Account != "s1" {
		t.Errorf("log profile: %+v", lp)
	}
}

func TestBadInput(t *testing.T) {
	in := `[` + vmRow + `, 3, {"name":"x"}, {"id":"not-an-id"}, {"id":"` + vmID + `"}, {"id":"/subscriptions/s1/resourceGroups/rg/providers/A.B/c/d","tags":"x"}, ` + nicRow + `]`
	res := Parse([]byte(in), "bad.json")
	if got := ids(res.Resources); len(got) != 3 {
		t.Errorf("want vm, d and nic kept, got %v", got)
	}
	want := []string{
		"bad.json: [1]: row is a number, not an object",
		"bad.json: [2]: row has no id",
		"bad.json: [3]: resource id \"not-an-id\" does not start with /",
		"bad.json: [4]: duplicate resource",
		"bad.json: [5]: /subscriptions/s1/resourcegroups/rg/providers/a.b/c/d: tags is a string",
	}
	if len(res.Errors) != len(want) {
		t.Fatalf("errors %v", res.Errors)
	}
	for i, w := range want {
		if !strings.HasPrefix(res.Errors[i].Error(), w) {
			t.Errorf("error %d = %q, want prefix %q", i, res.Errors[i].Error(), w)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"", "x.json: empty input"},
		{"[\n{\"id\": }\n]", "x.json:2: invalid JSON"},
		{`{"foo":1}`, "x.json: not an Azure Resource Graph or ARM response"},
		{`"s"`, "x.json: not an Azure Resource Graph or ARM response: the document is a string"},
		{`{"value":{}}`, "x.json: value is an object"},
		{`{"data":{"columns":[{"name":"id"}],"rows":[["/subscriptions/s"],[1,2]]}}`, "x.json: data.rows[1]: row has 2 cells for 1 columns"},
	} {
		res := Parse([]byte(c.in), "x.json")
		if len(res.Errors) == 0 || !strings.HasPrefix(res.Errors[len(res.Errors)-1].Error(), c.want) {
			t.Errorf("%q: errors %v, want %q", c.in, res.Errors, c.want)
		}
	}
}
