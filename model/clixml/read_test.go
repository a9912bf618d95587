package clixml

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

const header = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">`

// doc wraps body in <Objs>; body starts on line 2.
func doc(body string) string { return header + "\n" + body + "\n</Objs>\n" }

// describe renders v compactly for comparisons: Tag:Kind, the data, Str
// when it says more, type names and properties (extended ones marked +).
func describe(v *Value) string {
	if v == nil {
		return "<nil>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%s", v.Tag, v.Kind)
	var data string
	switch v.Kind {
	case Int:
		data = fmt.Sprint(v.Int)
	case Uint:
		data = fmt.Sprint(v.Uint)
	case Float:
		data = fmt.Sprint(v.Float)
	case Bool:
		data = fmt.Sprint(v.Bool)
	case DateTime:
		if !v.Time.IsZero() {
			data = v.Time.Format(time.RFC3339Nano)
		}
	case Duration:
		data = v.Dur.String()
	case Bytes:
		data = fmt.Sprintf("%x", v.Bytes)
	case List:
		var s []string
		for _, it := range v.Items {
			s = append(s, describe(it))
		}
		data = "[" + strings.Join(s, ", ") + "]"
	case Dict:
		var s []string
		for _, e := range v.Entries {
			s = append(s, describe(e.Key)+": "+describe(e.Value))
		}
		data = "{" + strings.Join(s, ", ") + "}"
	}
	if data != "" {
		b.WriteString(" " + data)
	}
	if v.Str != "" && v.Str != data {
		fmt.Fprintf(&b, " %q", v.Str)
	}
	if len(v.Types) > 0 {
		b.WriteString(" <" + strings.Join(v.Types, ",") + ">")
	}
	if len(v.Props) > 0 {
		var s []string
		for _, p := range v.Props {
			mark := ""
			if p.Extended {
				mark = "+"
			}
			s = append(s, mark+p.Name+"="+describe(p.Value))
		}
		b.WriteString(" (" + strings.Join(s, "; ") + ")")
	}
	return b.String()
}

func describeAll(vals []*Value) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = describe(v)
	}
	return strings.Join(s, "\n")
}

// valueTests are well-formed documents and what they read as; the fuzz
// target uses them as seeds too.
var valueTests = []struct {
	name string
	body string
	want string
}{
	{"S", `<S>hello</S>`, `S:String "hello"`},
	{"S empty", `<S />`, `S:String`},
	{"S entities", `<S>a &lt;b&gt; &amp; &quot;c&quot;</S>`, `S:String "a <b> & \"c\""`},
	{"S keeps spaces", `<S>  two  </S>`, `S:String "  two  "`},
	{"S escaped CR LF", `<S>a_x000D__x000A_b</S>`, `S:String "a\r\nb"`},
	{"S escaped space lower hex", `<S>a_x002f_b</S>`, `S:String "a/b"`},
	{"S escaped underscore", `<S>_x005F_x0041_</S>`, `S:String "_x0041_"`},
	{"S escaped surrogate pair", `<S>_xD83D__xDE00_</S>`, `S:String "😀"`},
	{"S lone surrogate escape", `<S>_xD83D_x</S>`, "S:String \"\uFFFDx\""},
	{"S not an escape", `<S>_x12_ _xGGGG_ _x1234</S>`, `S:String "_x12_ _xGGGG_ _x1234"`},
	{"S CDATA", `<S><![CDATA[<raw>]]></S>`, `S:String "<raw>"`},
	{"C", `<C>97</C>`, `C:String "a"`},
	{"C surrogate", `<C>55357</C>`, "C:String \"\uFFFD\""},
	{"B true", `<B>true</B>`, `B:Bool true`},
	{"B false", `<B>false</B>`, `B:Bool false`},
	{"B one", `<B>1</B>`, `B:Bool true "1"`},
	{"SB", `<SB>-128</SB>`, `SB:Int -128`},
	{"By", `<By>255</By>`, `By:Uint 255`},
	{"I16", `<I16>-300</I16>`, `I16:Int -300`},
	{"U16", `<U16>65535</U16>`, `U16:Uint 65535`},
	{"I32 with spaces", `<I32> 42 </I32>`, `I32:Int 42`},
	{"U32", `<U32>4294967295</U32>`, `U32:Uint 4294967295`},
	{"I64", `<I64>-9223372036854775808</I64>`, `I64:Int -9223372036854775808`},
	{"U64", `<U64>18446744073709551615</U64>`, `U64:Uint 18446744073709551615`},
	{"Sg", `<Sg>1.5</Sg>`, `Sg:Float 1.5`},
	{"Db", `<Db>2.5E+300</Db>`, `Db:Float 2.5e+300 "2.5E+300"`},
	{"Db INF", `<Db>-INF</Db>`, `Db:Float -Inf "-INF"`},
	{"Db NaN", `<Db>NaN</Db>`, `Db:Float NaN`},
	{"D", `<D>79228162514264337593543950335</D>`, `D:Float 7.922816251426434e+28 "79228162514264337593543950335"`},
	{"DT zone", `<DT>2021-09-28T12:20:23-05:00</DT>`, `DT:DateTime 2021-09-28T12:20:23-05:00`},
	{"DT UTC fraction", `<DT>2021-10-02T16:49:13.9420001Z</DT>`, `DT:DateTime 2021-10-02T16:49:13.9420001Z`},
	{"DT unspecified", `<DT>2016-09-12T00:00:00</DT>`, `DT:DateTime 2016-09-12T00:00:00Z "2016-09-12T00:00:00"`},
	{"DT unparsable kept", `<DT>yesterday</DT>`, `DT:DateTime "yesterday"`},
	{"TS seconds", `<TS>PT9.0008S</TS>`, `TS:Duration 9.0008s "PT9.0008S"`},
	{"TS days", `<TS>P1DT2H3M4.5S</TS>`, `TS:Duration 26h3m4.5s "P1DT2H3M4.5S"`},
	{"TS negative", `<TS>-PT1M</TS>`, `TS:Duration -1m0s "-PT1M"`},
	{"TS zero", `<TS>PT0S</TS>`, `TS:Duration 0s "PT0S"`},
	{"TS saturates", `<TS>P10675199DT2H48M5.4775807S</TS>`, `TS:Duration 2562047h47m16.854775807s "P10675199DT2H48M5.4775807S"`},
	{"G", `<G>46a1b05b-0ed2-4449-a6bb-64ae4f9c1a94</G>`, `G:String "46a1b05b-0ed2-4449-a6bb-64ae4f9c1a94"`},
	{"URI", `<URI>https://mail.contoso.com/owa</URI>`, `URI:String "https://mail.contoso.com/owa"`},
	{"Version", `<Version>15.1.2375.7</Version>`, `Version:String "15.1.2375.7"`},
	{"BA", `<BA>AQID</BA>`, `BA:Bytes 010203`},
	{"BA with line breaks", "<BA>AQID\n  BAU=</BA>", `BA:Bytes 0102030405`},
	{"BA empty", `<BA></BA>`, `BA:Bytes`},
	{"Nil", `<Nil />`, `Nil:Nil`},
	{"SS opaque", `<SS>01000000d08c9ddf</SS>`, `SS:SecureString "01000000d08c9ddf"`},
	{"XD", `<XD>&lt;a/&gt;</XD>`, `XD:String "<a/>"`},
	{"SBK", `<SBK>Get-Date_x000A_</SBK>`, `SBK:String "Get-Date\n"`},
	{"unknown element", `<PR>x<Inner>skipped</Inner>y</PR>`, `PR:Other "xy"`},
	{"LST", `<LST><S>a</S><I32>1</I32></LST>`, `LST:List [S:String "a", I32:Int 1]`},
	{"IE QUE STK", `<IE><S>a</S></IE><QUE><S>b</S></QUE><STK><S>c</S></STK>`,
		"IE:List [S:String \"a\"]\nQUE:List [S:String \"b\"]\nSTK:List [S:String \"c\"]"},
	{"LST empty", `<LST />`, `LST:List []`},
	{"DCT", `<DCT><En><S N="Key">k</S><I32 N="Value">1</I32></En><En><I32 N="Key">2</I32><Nil N="Value" /></En></DCT>`,
		`DCT:Dict {S:String "k": I32:Int 1, I32:Int 2: Nil:Nil}`},
	{"Obj properties", `<Obj RefId="0">
  <TN RefId="0"><T>My.Type</T><T>System.Object</T></TN>
  <ToString>text</ToString>
  <Props><S N="Name">n</S><I32 N="Count">3</I32></Props>
  <MS><S N="PSComputerName">pc</S></MS>
</Obj>`, `Obj:Object "text" <My.Type,System.Object> (Name=S:String "n"; Count=I32:Int 3; +PSComputerName=S:String "pc")`},
	{"Obj escaped property name", `<Obj RefId="0"><MS><S N="Display_x0020_Name">x</S></MS></Obj>`,
		`Obj:Object (+Display Name=S:String "x")`},
	{"Obj enum", `<Obj RefId="0"><TN RefId="0"><T>E</T><T>System.Enum</T></TN><ToString>Mailbox</ToString><I32>2</I32></Obj>`,
		`I32:Int 2 "Mailbox" <E,System.Enum>`},
	{"Obj wrapped string without ToString", `<Obj RefId="0"><S>abc</S><MS><I32 N="Extra">1</I32></MS></Obj>`,
		`S:String "abc" (+Extra=I32:Int 1)`},
	{"Obj empty ToString", `<Obj RefId="0"><ToString /><I32>7</I32></Obj>`, `I32:Int 7`},
	{"Obj list", `<Obj RefId="0"><TN RefId="0"><T>System.Object[]</T></TN><LST><S>a</S><S>b</S></LST></Obj>`,
		`LST:List [S:String "a", S:String "b"] <System.Object[]>`},
	{"Obj dict", `<Obj RefId="0"><TN RefId="0"><T>System.Collections.Hashtable</T></TN><DCT><En><S N="Key">k</S><S N="Value">v</S></En></DCT></Obj>`,
		`DCT:Dict {S:String "k": S:String "v"} <System.Collections.Hashtable>`},
	{"TNRef", `<Obj RefId="0"><TN RefId="0"><T>A</T></TN></Obj>
<Obj RefId="1"><TNRef RefId="0" /></Obj>`, "Obj:Object <A>\nObj:Object <A>"},
	{"Ref", `<Obj RefId="0"><ToString>x</ToString></Obj>
<Obj RefId="1"><Props><Ref N="Same" RefId="0" /></Props></Obj>
<Ref RefId="1" />`, "Obj:Object \"x\"\nObj:Object (Same=Obj:Object \"x\")\nObj:Object (Same=Obj:Object \"x\")"},
	// Import-Clixml maps a repeated RefId to the latest object (or type
	// names) read with it.
	{"repeated RefId: the later Obj wins", `<Obj RefId="0"><ToString>first</ToString></Obj>
<Obj RefId="0"><ToString>second</ToString></Obj>
<Ref RefId="0" />`, "Obj:Object \"first\"\nObj:Object \"second\"\nObj:Object \"second\""},
	{"repeated RefId nested in its namesake", `<Obj RefId="0"><Props><Obj N="Inner" RefId="0"><ToString>in</ToString></Obj></Props></Obj>
<Ref RefId="0" />`, "Obj:Object (Inner=Obj:Object \"in\")\nObj:Object (Inner=Obj:Object \"in\")"},
	{"repeated TN RefId: the later TN wins", `<Obj RefId="0"><TN RefId="0"><T>A</T></TN></Obj>
<Obj RefId="1"><TN RefId="0"><T>B</T></TN></Obj>
<Obj RefId="2"><TNRef RefId="0" /></Obj>`, "Obj:Object <A>\nObj:Object <B>\nObj:Object <B>"},
	{"nested Obj", `<Obj RefId="0"><Props><Obj N="Inner" RefId="1"><Props><B N="On">true</B></Props></Obj></Props></Obj>`,
		`Obj:Object (Inner=Obj:Object (On=B:Bool true))`},
	{"Obj with base Obj", `<Obj RefId="0"><TN RefId="0"><T>Outer</T></TN><MS><S N="Note">n</S></MS>
<Obj RefId="1"><TN RefId="1"><T>Inner</T></TN><ToString>inner</ToString><Props><I32 N="X">1</I32></Props></Obj></Obj>`,
		`Obj:Object "inner" <Outer> (+Note=S:String "n"; X=I32:Int 1)`},
	{"nested member set", `<Obj RefId="0"><MS><S N="A">a</S><MS N="PSStandardMembers"><S N="DefaultDisplayProperty">A</S></MS></MS></Obj>`,
		`Obj:Object (+A=S:String "a"; +PSStandardMembers=MS:Object (+DefaultDisplayProperty=S:String "A"))`},
	{"DCT names ignore case", `<DCT><En><S N="key">k</S><S N="VALUE">v</S></En></DCT>`, `DCT:Dict {S:String "k": S:String "v"}`},
	{"SemanticVersion", `<SemanticVersion>7.4.0-preview.1</SemanticVersion>`, `SemanticVersion:String "7.4.0-preview.1"`},
	{"unknown Obj children ignored", `<Obj RefId="0"><Future><S>x</S></Future><ToString>t</ToString></Obj>`, `Obj:Object "t"`},
	{"comments and PIs ignored", `<!-- c --><?pi x?><S>a<!-- c -->b</S>`, `S:String "ab"`},
	{"no values", ``, ``},
}

func TestRead(t *testing.T) {
	for _, tt := range valueTests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := Read(strings.NewReader(doc(tt.body)), "t.xml")
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := describeAll(vals); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestReadNoBody(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty Objs", `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04" />`},
		{"XML declaration", `<?xml version="1.0" encoding="utf-8"?>` + "\n" + header + "</Objs>"},
		{"trailing comment", header + "</Objs><!-- end -->\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := Read(strings.NewReader(tt.in), "t.xml")
			if err != nil || len(vals) != 0 {
				t.Errorf("got %d values, error %v; want 0, none", len(vals), err)
			}
		})
	}
}

func TestRefIsSameValue(t *testing.T) {
	vals, err := Read(strings.NewReader(doc(`<Obj RefId="0"><ToString>x</ToString></Obj>
<Obj RefId="1"><Props><Ref N="A" RefId="0" /><Ref N="B" RefId="0" /></Props></Obj>`)), "t.xml")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := vals[1].Get("A"), vals[1].Get("B"); a != vals[0] || b != vals[0] {
		t.Errorf("got Refs %p %p, want both %p", a, b, vals[0])
	}
}

func TestPositions(t *testing.T) {
	in := doc("<Obj RefId=\"0\">\n  <Props>\n    <S N=\"a\">x</S><I32 N=\"b\">1</I32>\n    <S N=\"é\">ü</S> <B N=\"c\">true</B>\n  </Props>\n</Obj>")
	vals, err := Read(strings.NewReader(in), "t.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    *Value
		want string
	}{
		{"Obj", vals[0], "t.xml:2:1"},
		{"first property", vals[0].Get("a"), "t.xml:4:5"},
		{"second on the line", vals[0].Get("b"), "t.xml:4:19"},
		{"after non-ASCII characters", vals[0].Get("c"), "t.xml:5:20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.Pos.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// encode returns s in the named encoding.
func encode(t *testing.T, s, enc string) []byte {
	t.Helper()
	u16 := func(big, bom bool) []byte {
		var b []byte
		units := utf16.Encode([]rune(s))
		if bom {
			units = append([]uint16{0xFEFF}, units...)
		}
		for _, u := range units {
			if big {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
		return b
	}
	switch enc {
	case "UTF-8":
		return []byte(s)
	case "UTF-8 BOM":
		return append([]byte{0xEF, 0xBB, 0xBF}, s...)
	case "UTF-16LE BOM":
		return u16(false, true)
	case "UTF-16BE BOM":
		return u16(true, true)
	case "UTF-16LE":
		return u16(false, false)
	case "UTF-16BE":
		return u16(true, false)
	}
	t.Fatalf("unknown encoding %s", enc)
	return nil
}

var encodings = []string{"UTF-8", "UTF-8 BOM", "UTF-16LE BOM", "UTF-16BE BOM", "UTF-16LE", "UTF-16BE"}

func TestEncodings(t *testing.T) {
	body := `<Obj RefId="0"><TN RefId="0"><T>Ünïcödé.Type</T></TN><ToString>Microsoft® Exchange 😀</ToString>
<Props><S N="Name">Zürich_x000D__x000A_東京</S><C N="Char">8364</C></Props></Obj>`
	want := `Obj:Object "Microsoft® Exchange 😀" <Ünïcödé.Type> (Name=S:String "Zürich\r\n東京"; Char=C:String "€")`
	for _, enc := range encodings {
		for _, decl := range []string{"", `<?xml version="1.0" encoding="utf-16"?>` + "\n"} {
			name := enc
			if decl != "" {
				name += " with declaration"
			}
			t.Run(name, func(t *testing.T) {
				in := encode(t, decl+doc(body), enc)
				vals, err := Read(bytes.NewReader(in), "t.xml")
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if got := describeAll(vals); got != want {
					t.Errorf("got %s, want %s", got, want)
				}
			})
		}
	}
}

func TestEncodingErrorPositions(t *testing.T) {
	in := doc("<S>Zürich</S>\n  <I32>4x</I32>")
	want := "t.xml:3:3: bad I32 value \"4x\""
	for _, enc := range encodings {
		t.Run(enc, func(t *testing.T) {
			_, err := Read(bytes.NewReader(encode(t, in, enc)), "t.xml")
			if got := fmt.Sprint(err); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

// errorTests are malformed documents with every message Read gives.
var errorTests = []struct {
	name string
	in   string
	want []string
}{
	{"empty input", "", []string{"t.xml:1:1: no <Objs> root element"}},
	{"only space", "  \n ", []string{"t.xml:2:2: no <Objs> root element"}},
	{"not XML", "hello, world", []string{`t.xml:1:1: expected <Objs> root element, found text "hello, world"`}},
	{"CSV", "Name,Fqdn\nSOLO,solo.local\n", []string{`t.xml:1:1: expected <Objs> root element, found text "Name,Fqdn\nSOLO,solo.local\n"`}},
	{"wrong root", "<?xml version=\"1.0\"?>\n<Objects><Object/></Objects>", []string{"t.xml:2:1: root element is <Objects>, want <Objs>"}},
	{"truncated", header + "\n<Obj RefId=\"0\">\n  <Props>\n    <S N=\"Name\">SOLO", []string{"t.xml:4:21: unexpected EOF"}},
	{"truncated in tag", header + "\n<Obj RefId=\"0", []string{"t.xml:2:14: unexpected EOF"}},
	{"mismatched end tag", doc("<S>x</I32>"), []string{"t.xml:2:5: element <S> closed by </I32>"}},
	{"end tag without start", header + "</S>", []string{"t.xml:1:81: element <Objs> closed by </S>"}},
	{"bad I32", doc("<I32>12x</I32>"), []string{`t.xml:2:1: bad I32 value "12x"`}},
	{"I32 out of range", doc("<I32>2147483648</I32>"), []string{`t.xml:2:1: I32 value "2147483648" out of range`}},
	{"negative U32", doc("<U32>-1</U32>"), []string{`t.xml:2:1: bad U32 value "-1"`}},
	{"By out of range", doc("<By>256</By>"), []string{`t.xml:2:1: By value "256" out of range`}},
	{"empty I64", doc("<I64 />"), []string{`t.xml:2:1: bad I64 value ""`}},
	{"bad Db", doc("<Db>1,5</Db>"), []string{`t.xml:2:1: bad Db value "1,5"`}},
	{"bad D", doc("<D>INF</D>"), []string{`t.xml:2:1: bad D value "INF"`}},
	{"bad TS", doc("<TS>1:00:00</TS>"), []string{`t.xml:2:1: bad TS value "1:00:00", want an xs:duration such as PT1H30M`}},
	{"TS months", doc("<TS>P1M</TS>"), []string{`t.xml:2:1: bad TS value "P1M", want an xs:duration such as PT1H30M`}},
	{"bad C", doc("<C>a</C>"), []string{`t.xml:2:1: bad C value "a"`}},
	{"several collected", doc("<Obj RefId=\"0\"><Props>\n<B N=\"a\">yes</B>\n<BA N=\"b\">AQ!D</BA>\n<I16 N=\"c\">40000</I16>\n<S N=\"d\">fine</S>\n</Props></Obj>"), []string{
		`t.xml:3:1: bad B value "yes", want true or false`,
		`t.xml:4:1: bad BA value: illegal base64 data at input byte 2`,
		`t.xml:5:1: I16 value "40000" out of range`,
	}},
	{"element inside primitive", doc("<S>a<b/>c</S>"), []string{"t.xml:2:5: unexpected <b> in <S>"}},
	{"text in Objs", doc("<S>a</S> stray"), []string{`t.xml:2:9: unexpected text " stray\n" in <Objs>`}},
	{"unknown Ref", doc(`<Obj RefId="0"><Props><Ref N="Id" RefId="7" /></Props></Obj>`), []string{`t.xml:2:23: unknown Ref RefId "7"`}},
	{"Ref without RefId", doc(`<Ref />`), []string{`t.xml:2:1: <Ref> has no RefId attribute`}},
	{"forward Ref", doc(`<Ref RefId="1" /><Obj RefId="1" />`), []string{`t.xml:2:1: unknown Ref RefId "1"`}},
	{"self reference", doc(`<Obj RefId="0"><Props><Ref N="Me" RefId="0" /></Props></Obj>`), []string{`t.xml:2:23: Ref RefId "0" refers to an enclosing Obj (reference cycle)`}},
	{"reference cycle", doc("<Obj RefId=\"0\"><Props>\n <Obj N=\"Child\" RefId=\"1\"><Props>\n  <Ref N=\"Parent\" RefId=\"0\" />\n </Props></Obj>\n</Props></Obj>"),
		[]string{`t.xml:4:3: Ref RefId "0" refers to an enclosing Obj (reference cycle)`}},
	{"Ref cycle in list", doc(`<Obj RefId="0"><LST><Ref RefId="0" /></LST></Obj>`), []string{`t.xml:2:21: Ref RefId "0" refers to an enclosing Obj (reference cycle)`}},
	{"Ref to a repeated RefId being read", doc(`<Obj RefId="0" /><Obj RefId="0"><Props><Ref N="Me" RefId="0" /></Props></Obj>`), []string{`t.xml:2:40: Ref RefId "0" refers to an enclosing Obj (reference cycle)`}},
	{"unknown TNRef", doc(`<Obj RefId="0"><TNRef RefId="3" /></Obj>`), []string{`t.xml:2:16: unknown TNRef RefId "3"`}},
	{"property without N", doc(`<Obj RefId="0"><Props><S>x</S></Props></Obj>`), []string{`t.xml:2:23: <S> in <Props> has no N attribute`}},
	{"Ref in Obj", doc(`<Obj RefId="0" /><Obj RefId="1"><Ref RefId="0" /></Obj>`), []string{`t.xml:2:33: unexpected <Ref> in <Obj> (a property needs an N attribute inside <Props> or <MS>)`}},
	{"Nil Key", doc(`<DCT><En><Nil N="Key" /><S N="Value">v</S></En></DCT>`), []string{`t.xml:2:6: <En> has no Key`, `t.xml:2:10: <En> has a Nil Key`}},
	{"two contents", doc(`<Obj RefId="0"><I32>1</I32><LST /></Obj>`), []string{`t.xml:2:28: <Obj> has more than one value: <LST> after <I32>`}},
	{"En without Key", doc(`<DCT><En><S N="Value">v</S></En></DCT>`), []string{`t.xml:2:6: <En> has no Key`}},
	{"En without Value", doc(`<DCT><En><S N="Key">k</S></En></DCT>`), []string{`t.xml:2:6: <En> has no Value`}},
	{"En bad N", doc(`<DCT><En><S N="Key">k</S><S N="Val">v</S></En></DCT>`), []string{
		`t.xml:2:6: <En> has no Value`,
		`t.xml:2:26: <S> in <En> has N="Val", want Key or Value`,
	}},
	{"not En in DCT", doc(`<DCT><S>x</S></DCT>`), []string{`t.xml:2:6: unexpected <S> in <DCT>`}},
	{"deep nesting", doc(strings.Repeat(`<Obj><LST>`, 1000) + strings.Repeat(`</LST></Obj>`, 1000)), []string{
		"t.xml:2:2561: values nested deeper than 256 levels",
	}},
	{"Ref nests too deep", doc(`<Obj RefId="0"><LST>` + strings.Repeat(`<Obj><LST>`, 249) + `<S>x</S>` + strings.Repeat(`</LST></Obj>`, 250) + "\n" +
		strings.Repeat(`<Obj><LST>`, 6) + `<Ref RefId="0" />` + strings.Repeat(`</LST></Obj>`, 6)),
		[]string{`t.xml:3:61: Ref RefId "0" nests values deeper than 256 levels`}},
	{"deep unknown element", header + "\n" + strings.Repeat(`<X>`, 100000), []string{"t.xml:2:300001: unexpected EOF"}},
	{"NUL byte", doc("<S>a\x00b</S>"), []string{"t.xml:2:5: illegal character code U+0000"}},
	{"NUL character reference", doc("<S>a&#0;b</S>"), []string{"t.xml:2:10: illegal character code U+0000"}},
	{"invalid UTF-8", doc("<S>a\xffb</S>"), []string{"t.xml:2:5: invalid UTF-8"}},
	{"invalid UTF-8 in name", doc("<S N=\"x\">a</S><\xff/>"), []string{"t.xml:2:16: invalid UTF-8"}},
	{"invalid UTF-8 in comment", doc("<!-- \xff -->"), []string{"t.xml:2:6: invalid UTF-8"}},
	{"truncated UTF-8", header + "<S>\xe2\x82", []string{"t.xml:1:84: invalid UTF-8"}},
	{"overlong UTF-8", doc("<S>\xc0\xaf</S>"), []string{"t.xml:2:4: invalid UTF-8"}},
	{"UTF-8 surrogate", doc("<S>\xed\xa0\x80</S>"), []string{"t.xml:2:4: invalid UTF-8"}},
	{"U+FFFF", doc("<S>\uffff</S>"), []string{"t.xml:2:4: illegal character code U+FFFF"}},
	{"control character", doc("<S>\x1b[0m</S>"), []string{"t.xml:2:4: illegal character code U+001B"}},
	{"undefined entity", doc("<S>&nbsp;</S>"), []string{"t.xml:2:10: invalid character entity &nbsp;"}},
	{"content after root", doc("") + "<Objs />", []string{"t.xml:4:1: unexpected content after </Objs>"}},
	{"unsupported charset", `<?xml version="1.0" encoding="windows-1252"?>` + doc(""), []string{`t.xml:1:46: opening charset "windows-1252": unsupported encoding`}},
	{"too many errors", doc(strings.Repeat("<I32>x</I32>\n", 150)), tooMany()},
}

func tooMany() []string {
	var s []string
	for i := 0; i < maxErrors; i++ {
		s = append(s, fmt.Sprintf(`t.xml:%d:1: bad I32 value "x"`, i+2))
	}
	return append(s, fmt.Sprintf("t.xml:%d:1: too many errors", maxErrors+1))
}

func TestReadErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "t.xml")
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got error %v (%T), want an ErrorList", err, err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if g, w := strings.Join(got, "\n"), strings.Join(tt.want, "\n"); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

func TestUTF16Errors(t *testing.T) {
	le := func(units ...uint16) []byte {
		b := []byte{0xFF, 0xFE}
		for _, u := range units {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	text := func(s string) []uint16 { return utf16.Encode([]rune(s)) }
	join := func(parts ...[]uint16) []uint16 {
		var all []uint16
		for _, p := range parts {
			all = append(all, p...)
		}
		return all
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"lone high surrogate", le(join(text(header+"\n<S>a"), []uint16{0xD800}, text("b</S></Objs>"))...), "t.xml:2:5: invalid UTF-16: unpaired surrogate U+D800"},
		{"lone low surrogate", le(join(text(header+"\n<S>"), []uint16{0xDC00}, text("</S></Objs>"))...), "t.xml:2:4: invalid UTF-16: unpaired surrogate U+DC00"},
		{"high surrogate at end", le(join(text(header+"\n<S>"), []uint16{0xD800})...), "t.xml:2:4: invalid UTF-16: unpaired surrogate U+D800"},
		{"odd length", append(le(text(header+"</Objs>")...), '\n'), "t.xml:1:88: invalid UTF-16: odd number of bytes"},
		{"truncated", le(text(header + "\n<S>abc")...), "t.xml:2:7: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.in), "t.xml")
			if got := fmt.Sprint(err); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestPartialValues checks that values come back with non-fatal errors and
// that the values finished before a fatal one are kept.
func TestPartialValues(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"non-fatal", doc(`<I32>x</I32><S>ok</S><Ref RefId="9" />`), "I32:Int 0 \"x\"\nS:String \"ok\"\nRef:Nil"},
		{"fatal", header + `<S>one</S><S>two</S><Obj RefId="0"><Props><S N="a">x`, "S:String \"one\"\nS:String \"two\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := Read(strings.NewReader(tt.in), "t.xml")
			if err == nil {
				t.Fatal("got no error")
			}
			if got := describeAll(vals); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestSharedRefsStayBounded reads documents whose values share objects
// through Refs so that expanding them naively would take very long: each
// Obj listing the one before twice (2^40 leaves), and a list of many Refs
// to a chain of 200 nested empty lists (mostly visits, little text).
func TestSharedRefsStayBounded(t *testing.T) {
	var doubling strings.Builder
	doubling.WriteString(`<Obj RefId="0"><LST><S>leaf</S></LST></Obj>`)
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&doubling, `<Obj RefId="%d"><LST><Ref RefId="%d" /><Ref RefId="%d" /></LST></Obj>`, i, i-1, i-1)
	}
	chain := `<Obj RefId="0"><LST>` + strings.Repeat(`<Obj><LST>`, 200) + strings.Repeat(`</LST></Obj>`, 200) + `</LST></Obj>` +
		`<Obj RefId="1"><LST>` + strings.Repeat(`<Ref RefId="0" />`, 1000) + `</LST></Obj>`
	tests := []struct {
		name   string
		body   string
		minLen int
	}{
		{"doubling", doubling.String(), maxString},
		{"deep chains", chain, 2 * (maxString / 202)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := Read(strings.NewReader(doc(tt.body)), "t.xml")
			if err != nil {
				t.Fatal(err)
			}
			last := vals[len(vals)-1]
			s := last.String()
			if len(s) < tt.minLen || len(s) > maxString+len("…") || !strings.HasSuffix(s, "…") {
				t.Errorf("got String of %d bytes ending %q, want %d to %d ending with …", len(s), s[max(0, len(s)-10):], tt.minLen, maxString+3)
			}
		})
	}
}

// TestRefChainDepth checks that a chain of Objs each holding a Ref to the
// one before cannot build values deeper than MaxDepth.
func TestRefChainDepth(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<Obj RefId="0"><LST><S>x</S></LST></Obj>` + "\n")
	for i := 1; i < 600; i++ {
		fmt.Fprintf(&b, `<Obj RefId="%d"><LST><Ref RefId="%d" /></LST></Obj>`+"\n", i, i-1)
	}
	vals, err := Read(strings.NewReader(doc(b.String())), "t.xml")
	want := `t.xml:257:23: Ref RefId "254" nests values deeper than 256 levels` + "\n" +
		`t.xml:512:23: Ref RefId "509" nests values deeper than 256 levels`
	if got := fmt.Sprint(err); got != want {
		t.Errorf("got error\n%s\nwant\n%s", got, want)
	}
	var height func(v *Value) int
	height = func(v *Value) int {
		h := 0
		for _, it := range v.Items {
			h = max(h, height(it))
		}
		return h + 1
	}
	deepest := 0
	for _, v := range vals {
		deepest = max(deepest, height(v))
	}
	if deepest != MaxDepth {
		t.Errorf("got values %d deep, want %d", deepest, MaxDepth)
	}
}

func TestValueMethods(t *testing.T) {
	vals, err := Read(strings.NewReader(doc(`<Obj RefId="0">
<TN RefId="0"><T>My.Type</T><T>System.Object</T></TN>
<Props><S N="InstalledOn">9/12/2016</S><U64 N="Big">18446744073709551615</U64><U32 N="Small">7</U32><Nil N="None" /><S N="One">x</S>
<Obj N="Map" RefId="1"><DCT><En><S N="Key">NETv4</S><S N="Value">yes</S></En></DCT></Obj></Props>
<MS><DT N="installedon">2016-09-12T00:00:00</DT></MS>
</Obj>`)), "t.xml")
	if err != nil {
		t.Fatal(err)
	}
	v := vals[0]
	var none *Value
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"Get prefers extended", v.Get("InstalledOn").Kind, DateTime},
		{"Get ignores case", v.Get("ONE").String(), "x"},
		{"Get missing", v.Get("Nope") == nil, true},
		{"Get chain on nil", v.Get("Nope").Get("Deeper").String(), ""},
		{"Key ignores case", v.Get("Map").Key("netv4").String(), "yes"},
		{"Key missing", v.Get("Map").Key("x") == nil, true},
		{"Key on nil", none.Key("x") == nil, true},
		{"HasType", v.HasType("System.Object"), true},
		{"HasType missing", v.HasType("system.object"), false},
		{"HasType nil", none.HasType("x"), false},
		{"IsNil nil pointer", none.IsNil(), true},
		{"IsNil Nil value", v.Get("None").IsNil(), true},
		{"IsNil string", v.Get("One").IsNil(), false},
		{"Strings of nil", len(v.Get("None").Strings()), 0},
		{"Strings of scalar", strings.Join(v.Get("One").Strings(), ","), "x"},
		{"Dict String", v.Get("Map").String(), "NETv4=yes"},
		{"Int64 of U32", fmt.Sprint(v.Get("Small").Int64()), "7 true"},
		{"Int64 of huge U64", fmt.Sprint(v.Get("Big").Int64()), "0 false"},
		{"Int64 of string", fmt.Sprint(v.Get("One").Int64()), "0 false"},
		{"Int64 of nil", fmt.Sprint(none.Int64()), "0 false"},
		{"Kind String", Duration.String(), "Duration"},
		{"Kind String unknown", Kind(99).String(), "Kind(99)"},
		{"Bytes String", (&Value{Kind: Bytes, Bytes: []byte{1, 2, 3}}).String(), "AQID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestErrorList(t *testing.T) {
	l := ErrorList{
		{Pos: Pos{File: "b.xml", Line: 1, Col: 1}, Msg: "z"},
		{Pos: Pos{File: "a.xml", Line: 2, Col: 1}, Msg: "y"},
		{Pos: Pos{File: "a.xml", Line: 1, Col: 5}, Msg: "x"},
		{Pos: Pos{File: "a.xml", Line: 1, Col: 5}, Msg: "x"},
		{Pos: Pos{File: "a.xml", Line: 0, Col: 0}, Msg: "whole file"},
		{Pos: Pos{File: "a.xml", Line: 3, Col: 0}, Msg: "line only"},
	}.Sort()
	want := "a.xml: whole file\na.xml:1:5: x\na.xml:2:1: y\na.xml:3: line only\nb.xml:1:1: z"
	if got := l.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if err := (ErrorList{}).Err(); err != nil {
		t.Errorf("got %v for an empty list, want nil", err)
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile("testdata/does-not-exist.xml")
	if err == nil || !strings.Contains(err.Error(), "does-not-exist.xml") {
		t.Errorf("got %v, want an error naming the file", err)
	}
}
