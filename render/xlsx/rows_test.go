package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// hostile are texts that need escaping, or look like formulas or encoded
// characters.
var hostile = []string{
	"", "plain", `<b>&amp;"quoted" 'single'</b>`, "a\tb", "line1\nline2", "a\r\nb",
	" lead", "trail ", "\ttab", "nl\n", "\x01ctl\x1f\x7f", "bad\xffutf8", "\ufffe\uffff",
	"_x0041_", "_x005F_x0041_", "_x005F_", "_x00zz_", "a_xb", `=HYPERLINK("http://x","click")`,
	"+cmd", "-1+1", "@SUM(A1)", `=cmd|' /C calc'!A0`, "é日本🙂", "]]>", "&#x41;",
	strings.Repeat("🙂x", 12000), strings.Repeat("y", 40000),
}

// TestCellTailMatchesExcelize checks that generated cells are written
// byte for byte as excelize's StreamWriter writes them.
func TestCellTailMatchesExcelize(t *testing.T) {
	values := []any{42, 0}
	for _, s := range hostile {
		values = append(values, s)
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range values {
		cell, _ := excelize.CoordinatesToCellName(2, i+1)
		if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: 3, Value: v}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	sheet := readPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	for i, v := range values {
		ref, _ := excelize.CoordinatesToCellName(2, i+1)
		want := regexp.MustCompile(`<c r="` + ref + `"(?s:.*?)</c>`).Find(sheet)
		got := append([]byte(`<c r="`+ref), cellTail(nil, 3, v)...)
		if !bytes.Equal(got, want) {
			t.Errorf("value %.40q: got\n%.300s\nwant\n%.300s", v, got, want)
		}
	}
}

// TestHostileNames checks that hostile user names stay well-formed XML
// and read back as literal strings.
func TestHostileNames(t *testing.T) {
	inv, _, err := load.Load([]string{"../../samples/s1-contoso.toml"}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Cycle the names over the mailboxes, several to a mailbox when there
	// are fewer mailboxes than names.
	var names []string
	for i := range inv.Mailboxes {
		inv.Mailboxes[i].Name = hostile[i%len(hostile)]
		names = append(names, inv.Mailboxes[i].Name)
	}
	if n := len(inv.Mailboxes); n < len(hostile) {
		for i := n; i < len(hostile); i++ {
			inv.Mailboxes = append(inv.Mailboxes, inv.Mailboxes[i%n])
			inv.Mailboxes[i].Name = hostile[i]
			names = append(names, hostile[i])
		}
	}
	p := planner.Run(inv, planner.Options{})
	data := render(t, p)
	dec := xml.NewDecoder(bytes.NewReader(readPart(t, data, "xl/worksheets/sheet6.xml")))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("Connectivity sheet XML: %v", err)
		}
	}
	f := open(t, data)
	rs := rows(t, f, SheetConnectivity)
	got := map[string]bool{}
	for r, row := range rs[1:] {
		if len(row) == 0 {
			t.Fatalf("row %d empty", r+2)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if typ, _ := f.GetCellType(SheetConnectivity, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s: got cell type %v, want an inline string", cell, typ)
		}
		got[row[0]] = true
	}
	for _, s := range names {
		valid := strings.ToValidUTF8(s, "") == s && !strings.ContainsAny(s, "\x01\x1f\ufffe\uffff\r") && len(s) < 30000
		if valid && !got[s] && strings.TrimSpace(s) == s {
			t.Errorf("name %.40q not read back", s)
		}
	}
	if strings.Contains(string(data), "coexist-rows-") {
		t.Error("marker left in the workbook")
	}
}

func readPart(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
