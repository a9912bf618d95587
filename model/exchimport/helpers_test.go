package exchimport_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

const fixtures = "../clixml/testdata/e16"

// cx builds small CLIXML documents the way Export-Clixml writes them, for
// files the fixture folder does not have.
type cx struct{ ref int }

func (c *cx) next() int { c.ref++; return c.ref }

// doc wraps objects in <Objs>.
func (c *cx) doc(objs ...string) string {
	return "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n" +
		strings.Join(objs, "\n") + "\n</Objs>\n"
}

// obj is a top-level or named (n != "") object with type names, ToString
// and properties (raw XML elements).
func (c *cx) obj(n string, types []string, toString string, props ...string) string {
	var b strings.Builder
	if n != "" {
		fmt.Fprintf(&b, `<Obj N=%q RefId="%d">`, n, c.next())
	} else {
		fmt.Fprintf(&b, `<Obj RefId="%d">`, c.next())
	}
	fmt.Fprintf(&b, `<TN RefId="%d">`, c.next())
	for _, t := range types {
		fmt.Fprintf(&b, "<T>%s</T>", t)
	}
	b.WriteString("<T>System.Object</T></TN>")
	if toString != "" {
		fmt.Fprintf(&b, "<ToString>%s</ToString>", toString)
	}
	b.WriteString("<Props>" + strings.Join(props, "") + "</Props></Obj>")
	return b.String()
}

// adID is an ADObjectId property.
func (c *cx) adID(n, name, text string) string {
	return c.obj(n, []string{"Microsoft.Exchange.Data.Directory.ADObjectId"}, text, s("Name", name))
}

// enum is an enum property: ToString and the number.
func (c *cx) enum(n, typ, text string, val int) string {
	return fmt.Sprintf(`<Obj N=%q RefId="%d"><TN RefId="%d"><T>%s</T><T>System.Enum</T></TN><ToString>%s</ToString><I32>%d</I32></Obj>`,
		n, c.next(), c.next(), typ, text, val)
}

// list is a list property of strings (enums, connection settings…) given
// as ToString texts.
func (c *cx) list(n string, items ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<Obj N=%q RefId="%d"><TN RefId="%d"><T>Microsoft.Exchange.Data.MultiValuedProperty</T></TN><LST>`, n, c.next(), c.next())
	for _, it := range items {
		fmt.Fprintf(&b, `<Obj RefId="%d"><TN RefId="%d"><T>Item</T></TN><ToString>%s</ToString></Obj>`, c.next(), c.next(), it)
	}
	b.WriteString("</LST></Obj>")
	return b.String()
}

func s(n, v string) string { return fmt.Sprintf(`<S N=%q>%s</S>`, n, v) }
func u(n, v string) string { return fmt.Sprintf(`<URI N=%q>%s</URI>`, n, v) }
func i32(n string, v int) string {
	return fmt.Sprintf(`<I32 N=%q>%d</I32>`, n, v)
}
func b(n string, v bool) string { return fmt.Sprintf(`<B N=%q>%t</B>`, n, v) }
func nil_(n string) string      { return fmt.Sprintf(`<Nil N=%q />`, n) }

// write creates dir/name with content, making folders as needed.
func write(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// copyFixtures copies the E16 fixture files into dir/sub.
func copyFixtures(t *testing.T, dir, sub string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(fixtures, "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, sub+"/"+filepath.Base(f), data)
	}
}

// utf16LE encodes text as UTF-16 little-endian with a byte-order mark, as
// Export-Csv -Encoding Unicode writes it.
func utf16LE(text string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range utf16.Encode([]rune(text)) {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func utf16BE(text string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, r := range utf16.Encode([]rune(text)) {
		out = append(out, byte(r>>8), byte(r))
	}
	return out
}

func ip(n int) *int { return &n }

func intp(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}
