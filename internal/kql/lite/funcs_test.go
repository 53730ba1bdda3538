package lite

import "testing"

func TestStringFunctions(t *testing.T) {
	runCases(t, []qcase{
		{`print strcat("a", 1, true, 2.5), strlen("héllo"), toupper("a"), tolower("B"), reverse("abc")`, `[["a1true2.5",5,"A","b","cba"]]`, ""},
		{`print substring("abcdef", 1, 3), substring("abc", 1), substring("abc", 5)`, `[["bcd","bc",""]]`, ""},
		{`print split("a_b_c", "_"), split("a_b_c", "_", 1), split("abc", "")`, `[[["a","b","c"],["b"],["abc"]]]`, ""},
		{`print replace_string("aXbX", "X", "-"), replace_regex("ab12", @"(\d)", @"[\1]"), trim(@"\s+", "  x  "), trim_start("-", "--x-"), trim_end("-", "-x--")`, `[["a-b-","ab[1][2]","x","x-","-x"]]`, ""},
		{`print indexof("abcdefg", "cde"), indexof("abcdefg", "cde", 1, 2), indexof("abcdefgabcdefg", "cde", 1, 10, 2), indexof("abc", "z")`, `[[2,-1,9,-1]]`, ""},
		{`print extract(@"(\d+)", 1, "ab123"), extract("x(y)", 1, "abc"), extract(@"(\d+)", 1, "n=42", typeof(long))`, `[["123","",42]]`, ""},
		{`print extract_all(@"(\d)", "a1b2"), extract_all(@"(\w)(\d)", "a1b2")`, `[[["1","2"],[["a","1"],["b","2"]]]]`, ""},
		{`print countof("aaaa", "aa"), countof("aaaa", "aa", "regex"), strcmp("a", "b"), strrep("ab", 3, "-")`, `[[3,2,-1,"ab-ab-ab"]]`, ""},
		{`print url_encode("a b/c"), url_decode("a%20b"), base64_encode_tostring("hi"), base64_decode_tostring("aGk=")`, `[["a+b%2fc","a b","aGk=","hi"]]`, ""},
		{`print translate("abc", "x", "aabbcc"), strcat_array(dynamic([1, "a"]), "-"), replace_strings("This is", dynamic(["is", "This"]), dynamic(["was", "This"]))`, `[["xxxxxx","1-a","Thwas was"]]`, ""},
		{`print "a" has "A", "ab cd" has "b", "ab" contains "B", "ab" startswith "A", "ab" endswith_cs "B", "abc" matches regex "b.$"`, `[[true,false,true,true,false,true]]`, ""},
		{`print "a" in ("a", "b"), "A" in~ ("a"), 1 !in (2, 3), "x y" has_any ("y", "z"), "x y" has_all ("x", "z")`, `[[true,true,true,true,false]]`, ""},
		{`print tostring(datetime(2021-01-02)), tostring(1.0), tostring(1h), tostring(dynamic({"a":1})), tostring(dynamic("s"))`, `[["2021-01-02T00:00:00.0000000Z","1","01:00:00","{\"a\":1}","s"]]`, ""},
		{`print parse_url("https://u:p@h.com:8080/p?q=1#f").Host, parse_path(@"C:\t\f.txt").Extension, parse_csv("a,\"b,c\"")`, `[["h.com","txt",["a","b,c"]]]`, ""},
		{`print hash_md5("a"), format_bytes(1024), format_bytes(20010332, 2)`, `[["0cc175b9c0f1b6a831c399e269772661","1 KB","19.08 MB"]]`, ""},
	})
}

func TestMathFunctions(t *testing.T) {
	runCases(t, []qcase{
		{`print 7 / 2, -7 / 2, 7 / 2.0, -14 % 12, 14 % 5, 2 * 3`, `[[3,-3,3.5,10,4,6]]`, "print_0:long,print_1:long,print_2:real,print_3:long,print_4:long,print_5:long"},
		{`print abs(-2), sign(-3), round(2.567, 2), ceiling(1.2), sqrt(16), pow(2, 10), log10(100), isnan(sqrt(-1))`, `[[2,-1,2.57,2,4,1024,2,true]]`, ""},
		{`print bin(7, 5), bin(-1, 5), bin(7.5, 2.0), bin(90m, 1h), bin(datetime(2020-01-01 10:35), 1h), bin_at(7, 5, 1)`, `[[5,-5,6,"01:00:00","2020-01-01T10:00:00.0000000Z",6]]`, ""},
		{`print binary_and(6, 3), binary_or(6, 3), binary_xor(6, 3), binary_not(0), binary_shift_left(1, 4), bitset_count_ones(7)`, `[[2,7,5,-1,16,3]]`, ""},
		{`print max_of(1, 5, 3), min_of(2.5, 1), iff(1 > 2, "a", "b"), case(false, 1, true, 2, 3), coalesce(int(null), 4)`, `[[5,1,"b",2,4]]`, ""},
		{`print isnull(int(null)), isnull(""), isempty(""), isnotempty("a"), isnull(dynamic(null)), gettype(1), gettype(dynamic([1]))`, `[[true,false,true,true,true,"long","array"]]`, ""},
		{`print toint("12"), tolong(2.9), toreal("1.5"), tobool("true"), todatetime("2020-01-01"), totimespan("1.02:00:00"), toint("x")`, `[[12,2,1.5,true,"2020-01-01T00:00:00.0000000Z","1.02:00:00",null]]`, ""},
	})
}

func TestDatetimeFunctions(t *testing.T) {
	const d = `datetime(2020-02-15 10:20:30)`
	runCases(t, []qcase{
		{`print startofday(` + d + `), startofmonth(` + d + `), startofyear(` + d + `), startofweek(` + d + `)`,
			`[["2020-02-15T00:00:00.0000000Z","2020-02-01T00:00:00.0000000Z","2020-01-01T00:00:00.0000000Z","2020-02-09T00:00:00.0000000Z"]]`, ""},
		{`print endofday(` + d + `), endofmonth(` + d + `)`, `[["2020-02-15T23:59:59.9999990Z","2020-02-29T23:59:59.9999990Z"]]`, ""},
		{`print dayofweek(` + d + `), dayofmonth(` + d + `), getmonth(` + d + `), getyear(` + d + `), hourofday(` + d + `), dayofyear(` + d + `)`, `[["6.00:00:00",15,2,2020,10,46]]`, ""},
		{`print datetime_add("month", 1, datetime(2020-01-31)), datetime_add("hour", -2, ` + d + `)`, `[["2020-02-29T00:00:00.0000000Z","2020-02-15T08:20:30.0000000Z"]]`, ""},
		{`print datetime_diff("day", datetime(2020-01-03), datetime(2020-01-01)), datetime_diff("month", datetime(2021-01-01), datetime(2020-11-30)), datetime_part("minute", ` + d + `)`, `[[2,2,20]]`, ""},
		{`print make_datetime(2020, 1, 2), make_datetime(2020, 1, 2, 3, 4, 5.5), make_timespan(1, 30), make_timespan(2, 1, 0, 0)`, `[["2020-01-02T00:00:00.0000000Z","2020-01-02T03:04:05.5000000Z","01:30:00","2.01:00:00"]]`, ""},
		{`print format_datetime(` + d + `, "yyyy-MM-dd HH:mm:ss"), format_datetime(` + d + `, "h:mm tt"), format_timespan(90m, "hh:mm")`, `[["2020-02-15 10:20:30","10:20 AM","01:30"]]`, ""},
		{`print ` + d + ` - datetime(2020-02-15), ` + d + ` + 1d, 2h / 30m, ago(1h), now()`, `[["10:20:30","2020-02-16T10:20:30.0000000Z",4,"2026-11-23T11:00:00.0000000Z","2026-11-23T12:00:00.0000000Z"]]`, ""},
		{`print unixtime_seconds_todatetime(0), unixtime_milliseconds_todatetime(1500)`, `[["1970-01-01T00:00:00.0000000Z","1970-01-01T00:00:01.5000000Z"]]`, ""},
	})
}

func TestDynamicFunctions(t *testing.T) {
	runCases(t, []qcase{
		{`print pack_array(1, "a", datetime(2020-01-01)), bag_pack("k", 1, "j", "v"), array_length(dynamic([1,2])), array_length(dynamic({}))`, `[[[1,"a","2020-01-01T00:00:00.0000000Z"],{"k":1,"j":"v"},2,null]]`, ""},
		{`print bag_keys(dynamic({"b":1,"a":2})), bag_merge(dynamic({"a":1}), dynamic({"a":2,"b":3})), bag_remove_keys(dynamic({"a":1,"b":2}), dynamic(["a"]))`, `[[["b","a"],{"a":1,"b":3},{"b":2}]]`, ""},
		{`print bag_set_key(dynamic({"a":1}), "b.c", 2), bag_has_key(dynamic({"a":{"b":1}}), "a.b"), bag_zip(dynamic(["a","b"]), dynamic([1]))`, `[[{"a":1,"b":{"c":2}},true,{"a":1,"b":null}]]`, ""},
		{`print array_concat(dynamic([1]), dynamic([2,3])), array_slice(dynamic([1,2,3,4]), 1, -2), array_reverse(dynamic([1,2])), array_index_of(dynamic(["a","b"]), "b")`, `[[[1,2,3],[2,3],[2,1],1]]`, ""},
		{`print array_sort_asc(dynamic([3,1,null,2])), array_sort_desc(dynamic(["a","c","b"])), array_sum(dynamic([1,2.5])), array_rotate_left(dynamic([1,2,3]), 1), array_shift_right(dynamic([1,2,3]), 1, 0)`, `[[[1,2,3,null],["c","b","a"],3.5,[2,3,1],[0,1,2]]]`, ""},
		{`print set_union(dynamic([1,2]), dynamic([2,3])), set_intersect(dynamic([1,2]), dynamic([2,3])), set_difference(dynamic([1,2]), dynamic([2])), set_has_element(dynamic(["a"]), "a")`, `[[[1,2,3],[2],[1],true]]`, ""},
		{`print zip(dynamic([1,2]), dynamic(["a"])), range(1, 5, 2), repeat("x", 2), jaccard_index(dynamic([1,2]), dynamic([2,3]))`, `[[[[1,"a"],[2,null]],[1,3,5],["x","x"],0.3333333333333333]]`, ""},
		{`print d = parse_json('{"a":{"b":[1,2]}}') | project d.a.b[1], d["a"]["b"][-1], tostring(d.a.b), todynamic("x")`, `[[2,2,"[1,2]","x"]]`, ""},
		{`print d = dynamic({"n":5, "s":"x"}) | project d.n + 1, d.s == "x", toint(d.n) * 2`, `[[6,true,10]]`, ""},
	})
}

func TestAggregates(t *testing.T) {
	const data = `datatable(k:string, v:long, d:dynamic)["a", 1, dynamic([1]), "a", 3, dynamic([2, 1]), "b", 5, dynamic(null)]`
	runCases(t, []qcase{
		{data + ` | summarize count(), sum(v), avg(v), min(v), max(v), dcount(k), countif(v > 1) by k | order by k asc`,
			`[["a",2,4,2,1,3,1,1],["b",1,5,5,5,5,1,1]]`, "k:string,count_:long,sum_v:long,avg_v:real,min_v:long,max_v:long,dcount_k:long,countif_:long"},
		{data + ` | summarize make_list(v), make_set(k), make_set(d), make_list_if(v, v > 1)`, `[[[1,3,5],["a","b"],[1,2],[3,5]]]`, "list_v:dynamic,set_k:dynamic,set_d:dynamic,list_v1:dynamic"},
		{data + ` | summarize arg_max(v, k), arg_min(v, *)`, `[[5,"b",1,"a",[1]]]`, "v:long,k:string,v1:long,k1:string,d:dynamic"},
		{data + ` | summarize percentile(v, 50), percentiles(v, 0, 100), stdev(v), variance(v), sumif(v, k == "a")`, `[[3,1,5,2,4,4]]`, ""},
		{data + ` | summarize n = count() by bin(v, 2) | order by v asc`, `[[0,1],[2,1],[4,1]]`, "v:long,n:long"},
		{data + ` | where false | summarize count(), countif(v > 0), dcount(k)`, `[[0,0,0]]`, ""},
		{data + ` | summarize b = make_bag(bag_pack(k, v))`, `[[{"a":1,"b":5}]]`, ""},
		{data + ` | summarize take_any(k), x = sum(v) * 2`, `[["a",18]]`, "k:string,x:long"},
	})
}

func TestIPFunctions(t *testing.T) {
	runCases(t, []qcase{
		{`print ipv4_compare("192.168.1.1/24", "192.168.1.255"), ipv4_compare("10.0.0.2", "10.0.0.1"), ipv4_is_match("192.168.1.1", "192.168.1.0", 31), ipv4_is_in_range("10.1.2.3", "10.0.0.0/8")`, `[[0,1,true,true]]`, ""},
		{`print ipv4_is_in_any_range("192.168.1.6", "10.0.0.1/8", "192.168.1.1/24"), ipv4_is_in_any_range("1.1.1.1", dynamic(["10.0.0.0/8"])), ipv6_is_match("192.168.1.1/24", "::ffff:c0a8:01ff", 127)`, `[[true,false,true]]`, ""},
		{`print has_ipv4("x 127.0.0.1 y", "127.0.0.1"), has_ipv4("x54127.0.0.1", "127.0.0.1"), has_ipv4_prefix("a 10.1.2.3", "10.1."), has_any_ipv4_prefix("a 10.1.2.3", dynamic(["9.", "10."]))`, `[[true,false,true,true]]`, ""},
		{`print ipv4_is_private("172.16.5.1"), ipv4_is_private("8.8.8.8")`, `[[true,false]]`, ""},
		{`print ipv4_netmask_suffix("1.2.3.4/24"), parse_ipv4("127.0.0.1"), format_ipv4("192.168.1.1", 24), format_ipv4_mask("192.168.1.1/24"), format_ipv4(3232235777)`, `[[24,2130706433,"192.168.1.0","192.168.1.0/24","192.168.1.1"]]`, ""},
		{`print parse_ipv6("192.168.255.255/24"), ipv4_range_to_cidr_list("1.1.128.0", "1.1.140.255")`, `[["0000:0000:0000:0000:0000:ffff:c0a8:ff00",["1.1.128.0/21","1.1.136.0/22","1.1.140.0/24"]]]`, ""},
	})
}

func TestSeriesFunctions(t *testing.T) {
	runCases(t, []qcase{
		{`print series_add(dynamic([1,2]), dynamic([3,4])), series_multiply(dynamic([1,2]), 3), series_greater(dynamic([1,5]), 2), series_abs(dynamic([-1.5,null]))`, `[[[4,6],[3,6],[false,true],[1.5,null]]]`, ""},
		{`print series_sum(dynamic([1,2,3])), series_dot_product(dynamic([1,2]), dynamic([3,4])), series_magnitude(dynamic([3,4]))`, `[[6,11,5]]`, ""},
		{`print series_fill_forward(dynamic([null,1,null,3])), series_fill_backward(dynamic([null,1,null])), series_fill_const(dynamic([1,null]), 0), series_fill_linear(dynamic([1,null,3]))`, `[[[null,1,1,3],[1,1,null],[1,0],[1,2,3]]]`, ""},
		{`print series_stats_dynamic(dynamic([1,3,2])).max_idx, series_iir(dynamic([1,2,3]), dynamic([1]), dynamic([1,-1]))`, `[[1,[1,3,6]]]`, ""},
	})
}

func TestParseXML(t *testing.T) {
	runCases(t, []qcase{
		{`print parse_xml('<r a="1"><x>t</x><x>u</x><y/><z b="2">w</z></r>')`, `[[{"r":{"@a":"1","x":["t","u"],"y":null,"z":{"@b":"2","#text":"w"}}}]]`, ""},
		{`print isnull(parse_xml('not xml'))`, `[[true]]`, ""},
	})
}

func TestHash(t *testing.T) {
	if got := xxhash64(nil); got != 0xEF46DB3751D8E999 {
		t.Errorf("xxhash64(empty) = %x", got)
	}
	if got := xxhash64([]byte("Nobody inspects the spammish repetition")); got != 0xfbcea83c8a378bf1 {
		t.Errorf("xxhash64(long) = %x", got)
	}
	runCases(t, []qcase{
		{`print hash("World"), hash("World", 100), hash(datetime(2015-01-01)), hash_xxhash64("Hello")`, `[[1846988464401551951,51,1380966698541616202,753694413698530628]]`, ""},
	})
}

func TestMiscFunctions(t *testing.T) {
	runCases(t, []qcase{
		{`print convert_angle(1.2, 'Degree', 'Arcminute'), round(convert_mass(1.2, 'Kilogram', 'Pound'), 6), convert_temperature(100, 'DegreeCelsius', 'DegreeFahrenheit'), convert_length(1, 'Meter', 'Parsec')`, `[[72,2.645547,212,null]]`, ""},
		{`print zlib_decompress_from_base64_string("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4="), gzip_decompress_from_base64_string("x0x0x0"), zlib_decompress_from_base64_string(zlib_compress_to_base64_string("abc"))`, `[["Test string 123","","abc"]]`, ""},
		{`print punycode_from_string('académie-française'), punycode_to_string('acadmie-franaise-npb1a'), punycode_domain_from_string('艺术.com'), unicode_codepoints_to_string(dynamic([75, 117]), 115)`, `[["acadmie-franaise-npb1a","académie-française","xn--cqv902d.com","Kus"]]`, ""},
		{`print around(5, 6, 1), around(datetime(2021-01-01 01:29), datetime(2021-01-01 01:30), 1min), round(erfc(1), 6)`, `[[true,true,0.157299]]`, ""},
	})
}

func TestGeoFunctions(t *testing.T) {
	runCases(t, []qcase{
		{`print round(geo_distance_2points(-122.407628, 47.578557, -118.275287, 34.019056), 2), geo_distance_2points(300, 1, 1, 1), round(geo_azimuth(5, 10, 10, -40), 6), round(geo_angle(0, 10, 0, 5, 3, -10), 6)`, `[[1546754.35,null,3.054599,2.944938]]`, ""},
		{`print geo_point_in_circle(-122.143564, 47.535677, -122.100896, 47.527351, 3500), geo_point_to_geohash(-80.195829, 25.802215, 8), geo_point_to_geohash(200, 1)`, `[[true,"dhwfz15h",""]]`, ""},
		{`print geo_geohash_to_polygon("dr5ru"), geo_geohash_neighbors("sunny")[0], geo_geohash_to_central_point("a")`, `[[{"type":"Polygon","coordinates":[[[-74.00390625,40.7373046875],[-73.9599609375,40.7373046875],[-73.9599609375,40.78125],[-74.00390625,40.78125],[-74.00390625,40.7373046875]]]},"sunnt",null]]`, ""},
	})
}

func TestGeoShapes(t *testing.T) {
	runCases(t, []qcase{
		{`print geo_from_wkt("POINT (1 2)"), geo_from_wkt("MULTIPOLYGON (((0 0, 2 0, 2 2, 0 0)))"), isnull(geo_from_wkt("LINESTRING"))`, `[[{"type":"Point","coordinates":[1,2]},{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,0]]]]},true]]`, ""},
		{`print round(geo_line_length(dynamic({"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],[-73.94966125488281,40.79691751000055],[-73.97317886352539,40.764486356930334]]})), 3)`, `[[4922.48]]`, ""},
		{`print round(geo_polygon_area(dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]})), 2)`, `[[3475207.28]]`, ""},
		{`let p = dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}); print geo_point_in_polygon(5, 5, p), geo_point_in_polygon(15, 5, p), geo_point_in_polygon(200, 1, p)`, `[[true,false,null]]`, ""},
	})
}

func TestS2(t *testing.T) {
	runCases(t, []qcase{
		{`print geo_point_to_s2cell(-80.195829, 25.802215, 8), geo_point_to_s2cell(1, 1, 35), geo_s2cell_neighbors('89c259')[0], isnull(geo_s2cell_to_central_point("a"))`, `[["88d9b","","89c25d",true]]`, ""},
		{`print round(toreal(geo_s2cell_to_central_point("1234567").coordinates[0]), 6), round(toreal(geo_s2cell_to_polygon("89c259").coordinates[0][1][1]), 6)`, `[[9.868307,40.722226]]`, ""},
	})
}

func TestTupleArgMax(t *testing.T) {
	runCases(t, []qcase{
		{`datatable(k:string, v:long, s:string)["a",1,"x", "a",3,"y"] | summarize (Latest, What) = arg_max(v, s) by k`, `[["a",3,"y"]]`, "k:string,Latest:long,What:string"},
	})
}
