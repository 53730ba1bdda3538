package docs

// errata lists examples whose printed result is wrong in the docs (id → why); they are
// counted apart, not scored. Keep it short and explain every entry.
var errata = map[string]string{
	"series-sin-function#1":                "the arr column shows [-6.5,0,8.2], another page's input; the query prints [-1,0,1]",
	"series-tan-function#1":                "the arr column shows [-6.5,0,8.2], another page's input; the query prints [-1,0,1]",
	"series-asin-function#1":               "the page prints two reals of the array as quoted strings",
	"array-iff-function#3":                 "the condition column shows [true, false, true], not the query's array",
	"punycode-domain-to-string-function#1": "the page shows punycode_domain_from_string's output (xn-- labels) for a decoding call",
	"binary-shift-left-function#1":         "the header Result matches neither the expression nor its run link (print_0)",
	"binary-shift-right-function#1":        "the header Result matches neither the expression nor its run link (print_0)",
	"mv-apply-operator#5":                  "the page prints the array [\"A2',\"A1\"] with a stray single quote",
	"bin-function#2":                       "the page prints 14:00:00:00 for the timespan 14.00:00:00",
	"url-encode-function#1":                "the page's 'original' column has a trailing / the query's string lacks",
	"array-iff-function#2":                 "the page prints the array [yes, no, yes] without JSON quotes",
	"replace-regex-function#1":             "the page shows 'Number is 1.000000' for tostring() of a long (range of longs gives 1)",
	// Same query as #2 on the page: innerunique keeps an arbitrary left row per key, and the
	// page shows the other pick.
	"join-innerunique#3": "the page shows both possible picks of one nondeterministic query (#2, #3)",
}
