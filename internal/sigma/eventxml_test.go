package sigma

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

func checkEventXML(t *testing.T, s string) bool {
	t.Helper()
	fast, ok := fastEventXML(s)
	if !ok {
		return false
	}
	slow, sok := slowEventXML(s)
	if sok != (len(fast) > 0) || fmt.Sprint(fast) != fmt.Sprint(slow) && len(fast) > 0 {
		t.Fatalf("%q:\nfast %v\nslow %v %v", s, fast, slow, sok)
	}
	return true
}

func TestFastEventXML(t *testing.T) {
	for _, s := range []string{
		`<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="SubjectUserName">xodih</Data><Data Name="TaskContent">&lt;?xml version=&quot;1.0&quot;?&gt;` + "\r\n" + `&lt;Task/&gt;</Data><Data>unnamed</Data><Data Name="Empty"/></EventData>`,
		`<?xml version="1.0" encoding="utf-8"?><Event><System><Provider Name="P" Guid="{x}"/><EventID>4688</EventID></System><!-- c --><EventData><Data Name="A">1 &amp; 2 &#65;&#x42;</Data></EventData></Event>`,
		`<a><b c='d'>e</b>  </a>`,
	} {
		if !checkEventXML(t, s) {
			t.Errorf("fast path declined %q", s)
		}
	}
	for _, s := range []string{`<a>é</a>`, `<a><![CDATA[x]]></a>`, `<x:a>1</x:a>`, `<a>&nbsp;</a>`, `<a>1</b>`, `<a>`, `<?xml version="1.0" encoding="UTF-16"?><a>1</a>`, `<a b>1</a>`} {
		if _, ok := fastEventXML(s); ok {
			t.Errorf("fast path accepted %q", s)
		}
	}
	// Random documents over the shapes the fast path reads.
	r := rand.New(rand.NewSource(5))
	parts := []string{"<Data Name=\"A\">", "<Data>", "</Data>", "<E>", "</E>", "<E k='v&amp;'/>", "text", " ", "\r\n", "&lt;", "&#13;", "<!-- c -->", "<Data Name=\"B\"/>", "<E a=\"1\" b=\"2\">", "x\ry"}
	accepted := 0
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		b.WriteString("<EventData>")
		for j := 0; j < r.Intn(10); j++ {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		b.WriteString("</EventData>")
		if checkEventXML(t, b.String()) {
			accepted++
		}
	}
	if accepted < 1000 {
		t.Errorf("only %d random documents took the fast path", accepted)
	}
}

func FuzzFastEventXML(f *testing.F) {
	f.Add(`<EventData><Data Name="A">b &amp; c</Data><Data>x</Data></EventData>`)
	f.Add(`<?xml version="1.0"?><a><b c="d">e</b></a>`)
	f.Fuzz(func(t *testing.T, s string) {
		checkEventXML(t, s)
	})
}
