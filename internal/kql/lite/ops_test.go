package lite

import "testing"

const joinData = `let X = datatable(Key:string, Value1:long)['a',1, 'b',2, 'b',3, 'c',4];
let Y = datatable(Key:string, Value2:long)['b',10, 'c',20, 'c',30, 'd',40];
`

func TestJoin(t *testing.T) {
	runCases(t, []qcase{
		{joinData + `X | join kind=inner Y on Key | order by Value1 asc, Value2 asc`, `[["b",2,"b",10],["b",3,"b",10],["c",4,"c",20],["c",4,"c",30]]`, "Key:string,Value1:long,Key1:string,Value2:long"},
		{joinData + `X | join Y on Key | count`, `[[3]]`, ""}, // innerunique: one left row per key
		{joinData + `X | join kind=leftouter Y on Key | where Value1 == 1`, `[["a",1,"",null]]`, ""},
		{joinData + `X | join kind=rightouter Y on Key | where Value2 == 40`, `[["",null,"d",40]]`, ""},
		{joinData + `X | join kind=fullouter Y on Key | count`, `[[6]]`, ""},
		{joinData + `X | join kind=leftanti Y on Key`, `[["a",1]]`, "Key:string,Value1:long"},
		{joinData + `X | join kind=rightanti Y on Key`, `[["d",40]]`, "Key:string,Value2:long"},
		{joinData + `X | join kind=leftsemi Y on Key | count`, `[[3]]`, ""},
		{joinData + `X | join kind=rightsemi Y on Key | order by Value2 asc`, `[["b",10],["c",20],["c",30]]`, ""},
		{joinData + `X | join kind=inner (Y | project K2 = Key, Value2) on $left.Key == $right.K2 | where Value2 == 10 | order by Value1 asc`, `[["b",2,"b",10],["b",3,"b",10]]`, "Key:string,Value1:long,K2:string,Value2:long"},
		{joinData + `X | lookup Y on Key | where Key == "a"`, `[["a",1,null]]`, "Key:string,Value1:long,Value2:long"},
		{joinData + `X | lookup kind=inner Y on Key | count`, `[[4]]`, ""},
	})
}

func TestMvExpand(t *testing.T) {
	runCases(t, []qcase{
		{`datatable(a:int, b:dynamic)[1, dynamic([10, 20]), 2, dynamic(['x'])] | mv-expand b`, `[[1,10],[1,20],[2,"x"]]`, "a:int,b:dynamic"},
		{`print b = dynamic({"p":1, "q":"s"}), c = dynamic([5, 4, 3]) | mv-expand b, c`, `[[{"p":1},5],[{"q":"s"},4],[null,3]]`, ""},
		{`print b = dynamic({"p":1}) | mv-expand bagexpansion=array b`, `[[["p",1]]]`, ""},
		{`print x = dynamic([1, 2]) | mv-expand with_itemindex=i x to typeof(long)`, `[[1,0],[2,1]]`, "x:long,i:long"},
		{`print x = dynamic([1, 2, 3]) | mv-expand y = x limit 2 | project y`, `[[1],[2]]`, ""},
		{`print x = dynamic([]) | mv-expand x | count`, `[[0]]`, ""},
	})
}

func TestParse(t *testing.T) {
	const data = `datatable(s:string)["name=ann, age=31, at=2020-01-01 10:00", "name=bob, age=x, at=never"]`
	runCases(t, []qcase{
		{data + ` | parse s with "name=" name ", age=" age:long ", at=" at:datetime | project name, age, at`,
			`[["ann",31,"2020-01-01T10:00:00.0000000Z"],["",null,null]]`, "name:string,age:long,at:datetime"},
		{data + ` | parse kind=relaxed s with "name=" name ", age=" age:long ", at=" at:datetime | project name, age, at`,
			`[["ann",31,"2020-01-01T10:00:00.0000000Z"],["bob",null,null]]`, ""},
		{data + ` | parse-where s with "name=" name "," * | project name`, `[["ann"],["bob"]]`, ""},
		{data + ` | parse kind=regex s with "name=" name ", age=" age:long ".*" | project name, age`, `[["ann",31],["",null]]`, ""},
		{data + ` | parse kind=regex flags=i s with "NAME=" name "," * | project name`, `[["ann, age=31"],["bob, age=x"]]`, ""},
	})
}

func TestProjectFamily(t *testing.T) {
	runCases(t, []qcase{
		{`print a = 1, b = 2, c = 3 | project-away b`, `[[1,3]]`, "a:long,c:long"},
		{`print a = 1, b = 2, ab = 3 | project-keep a*`, `[[1,3]]`, "a:long,ab:long"},
		{`print a = 1, b = 2 | project-rename z = a`, `[[1,2]]`, "z:long,b:long"},
		{`print name = "x" | extend Name = strcat(name, "!"), NAME = 3 | project Name, name, NAME`, `[["x!","x",3]]`, "Name:string,name:string,NAME:long"},
		{`print a = 1, b = 2, c = 3 | project-reorder c, a`, `[[3,1,2]]`, "c:long,a:long,b:long"},
		{`print a = 1 | extend b = a + 1, c = b * 10`, `[[1,2,20]]`, "a:long,b:long,c:long"},
		{`print a = 1 | extend a = a * 5, strlen("ab"), tostring(a)`, `[["5",2]]`, "a:string,Column1:long"},
		{`print d = dynamic({"x":{"y":1}}) | project d.x.y, d["x"]`, `[[1,{"y":1}]]`, "d_x_y:dynamic,d_x:dynamic"},
		{`datatable(a:long)[1, 1, 2] | distinct a | order by a asc`, `[[1],[2]]`, ""},
		{`range x from 1 to 10 step 1 | top 2 by x`, `[[10],[9]]`, ""},
		{`range x from 1 to 10 step 1 | where x % 3 == 0 | order by x desc | take 2`, `[[9],[6]]`, ""},
	})
}

func TestBagUnpack(t *testing.T) {
	const data = `datatable(d:dynamic, s:string)[dynamic({"Name":"John","Age":20}), "a", dynamic({"Name":"Dave","Age":40,"H":1.5}), "b"]`
	runCases(t, []qcase{
		{data + ` | evaluate bag_unpack(d)`, `[["a",20,null,"John"],["b",40,1.5,"Dave"]]`, "s:string,Age:long,H:real,Name:string"},
		{data + ` | evaluate bag_unpack(d, "p_", ignoredProperties=dynamic(["H"]))`, `[["a",20,"John"],["b",40,"Dave"]]`, "s:string,p_Age:long,p_Name:string"},
		{data + ` | evaluate bag_unpack(d) : (*, Name:string)`, `[["a","John"],["b","Dave"]]`, "s:string,Name:string"},
	})
}

func TestMakeSeries(t *testing.T) {
	const data = `datatable(t:datetime, k:string, v:long)[datetime(2020-01-01), "a", 1, datetime(2020-01-01 12:00), "a", 2, datetime(2020-01-03), "a", 5, datetime(2020-01-02), "b", 7]`
	runCases(t, []qcase{
		{data + ` | make-series s = sum(v) default = -1 on t from datetime(2020-01-01) to datetime(2020-01-04) step 1d by k | order by k asc`,
			`[["a",[3,-1,5],["2020-01-01T00:00:00.0000000Z","2020-01-02T00:00:00.0000000Z","2020-01-03T00:00:00.0000000Z"]],["b",[-1,7,-1],["2020-01-01T00:00:00.0000000Z","2020-01-02T00:00:00.0000000Z","2020-01-03T00:00:00.0000000Z"]]]`,
			"k:string,s:dynamic,t:dynamic"},
		{data + ` | make-series count() on t step 1d`, `[[[2,1,1],["2020-01-01T00:00:00.0000000Z","2020-01-02T00:00:00.0000000Z","2020-01-03T00:00:00.0000000Z"]]]`, "count_:dynamic,t:dynamic"},
		{data + ` | where false | make-series count() on t step 1d | count`, `[[0]]`, ""},
	})
}

func TestMvApplyPartition(t *testing.T) {
	const data = `datatable(i:int, a:dynamic)[0, dynamic([1, 5, 3]), 1, dynamic([10, 2, 5, 7])]`
	runCases(t, []qcase{
		{data + ` | mv-apply e = a to typeof(long) on (top 2 by e | summarize t = make_list(e)) | order by i asc`, `[[0,[1,5,3],[5,3]],[1,[10,2,5,7],[10,7]]]`, "i:int,a:dynamic,t:dynamic"},
		{data + ` | mv-apply e = a to typeof(long) on (where e > 4) | order by e asc`, `[[0,[1,5,3],5],[1,[10,2,5,7],5],[1,[10,2,5,7],7],[1,[10,2,5,7],10]]`, ""},
		{`range x from 1 to 6 step 1 | extend k = x % 2 | partition by k (top 1 by x) | order by k asc`, `[[6,0],[5,1]]`, "x:long,k:long"},
	})
}

func TestTopNested(t *testing.T) {
	const data = `datatable(a:string, b:string, v:long)["x","p",1, "x","q",5, "x","r",2, "y","p",10, "z","p",1]`
	runCases(t, []qcase{
		{data + ` | top-nested 2 of a by sum(v), top-nested 1 of b by m = max(v) | order by a asc`, `[["x",8,"q",5],["y",10,"p",10]]`, "a:string,aggregated_a:long,b:string,m:long"},
		{data + ` | top-nested of a by c = count() | order by a asc`, `[["x",3],["y",1],["z",1]]`, ""},
	})
}

func TestParseKvProjectByNames(t *testing.T) {
	runCases(t, []qcase{
		{`print s = "ThreadId:458, Machine:Node001, Text: up, Level: Info" | parse-kv s as (Text: string, ThreadId:long) with (pair_delimiter=',', kv_delimiter=':') | project-away s`, `[["up",458]]`, "Text:string,ThreadId:long"},
		{`print s = 'a=1 "b c"="x y" d=z' | parse-kv s as (['b c']:string, d:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"') | project-away s`, `[["x y","z"]]`, ""},
		{`print s = 'name=John Doe city=New York' | parse-kv s as (name:string, city:string) with (pair_delimiter=' ', kv_delimiter='=', greedy=true) | project-away s`, `[["John Doe","New York"]]`, ""},
		{`print s = 'k1: v1; k2: v2' | parse-kv s as (k2:string) with (regex=@'(\w+):\s*(\w+)') | project k2`, `[["v2"]]`, ""},
		{`print Name = "a", Age = 1, City = "c" | project-by-names "C*", dynamic(["Name", "Missing"])`, `[["c","a"]]`, "City:string,Name:string"},
		{`let T = print a = 1, b = 2; T | project-by-names column_names_of(T)`, `[[1,2]]`, ""},
	})
}

func TestGraph(t *testing.T) {
	const g = `let E = datatable(s:string, d:string, line:string)["A","B","red", "B","C","red", "A","C","blue", "C","D","red"];
let N = datatable(name:string, wifi:bool)["A",true, "B",false, "C",true, "D",true];
`
	runCases(t, []qcase{
		{g + `E | make-graph s --> d with N on name | graph-match (x)-[e]->(y) where e.line == "blue" project x.name, y = y.name`, `[["A","C"]]`, "x_name:dynamic,y:dynamic"},
		{g + `E | make-graph s --> d with N on name | graph-match (x)-[p*1..3]->(y) where x.name == "A" and y.name == "D" and all(p, line == "red") project via = map(inner_nodes(p), name)`, `[[["B","C"]]]`, ""},
		{g + `E | make-graph s --> d with N on name | graph-shortest-paths (x)-[p*1..3]->(y) where x.name == "A" and y.name == "D" project n = array_length(p), w = node_degree_out(x)`, `[[2,2]]`, ""},
		{g + `E | make-graph s --> d with_node_id=id | graph-mark-components | graph-to-table nodes | summarize dcount(ComponentId)`, `[[1]]`, ""},
		{g + `E | make-graph s --> d with N on name | graph-match (x)<-[e]-(y) where node_degree_in(x) == 2 project x.name, y.name | order by y_name asc`, `[["C","A"],["C","B"]]`, ""},
	})
}
