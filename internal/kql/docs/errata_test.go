package docs

// errata lists examples whose printed result is wrong in the docs (id → why); they are
// counted apart, not scored. Keep it short and explain every entry.
var errata = map[string]string{
	// Same query as #2 on the page: innerunique keeps an arbitrary left row per key, and the
	// page shows the other pick.
	"join-innerunique#3": "the page shows both possible picks of one nondeterministic query (#2, #3)",
}
