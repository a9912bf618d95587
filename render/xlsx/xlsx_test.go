package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/model/synth"
	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// loadPlan plans a sample inventory.
func loadPlan(t *testing.T, sample string) *planner.Plan {
	t.Helper()
	inv, _, err := load.Load([]string{"../../samples/" + sample}, load.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", sample, err)
	}
	return planner.Run(inv, planner.Options{})
}

// render writes p and returns the bytes.
func render(t *testing.T, p *planner.Plan) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// open reads a written workbook back.
func open(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rows returns a sheet's rows.
func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("GetRows(%s): %v", sheet, err)
	}
	return rs
}

// lookup returns the value in column head of the first row whose columns
// match every key → value of where.
func lookup(t *testing.T, rs [][]string, where map[string]string, head string) string {
	t.Helper()
	col := func(h string) int {
		i := slices.Index(rs[0], h)
		if i < 0 {
			t.Fatalf("no column %q in %q", h, rs[0])
		}
		return i
	}
	c := col(head)
next:
	for _, r := range rs[1:] {
		for k, v := range where {
			if i := col(k); i >= len(r) || r[i] != v {
				continue next
			}
		}
		if c < len(r) {
			return r[c]
		}
		return ""
	}
	t.Fatalf("no row with %v", where)
	return ""
}

// withFindings adds prerequisite findings to p the way the check rules
// report them, so the tests do not depend on which checks exist.
func withFindings(p *planner.Plan) *planner.Plan {
	p.Findings = append(p.Findings,
		planner.Finding{
			ID: "COEX-2016-2010", Severity: planner.SevError, Subject: "CAS2010-1",
			Message:     "CAS2010-1 runs Exchange 2010 SP3 RU10; Exchange 2016 needs SP3 RU11 or later.",
			Remediation: "Install Exchange 2010 SP3 RU11 or later.",
			Sources:     []string{"ms-exchange-system-requirements"},
			Fix:         planner.Fix{KBs: []string{"KB3184728", "KB982"}},
		},
		planner.Finding{
			ID: "TLS-SCHANNEL", Severity: planner.SevWarning, Subject: "CAS2010-1",
			Message: "TLS 1.0 server values are undefined.", Sources: []string{"blog-tls-part2"}, Basis: planner.BasisInferred, Inferred: true,
			Fix: planner.Fix{Server: "CAS2010-1", KBs: []string{"KB3161949"}, Registry: []planner.RegValue{
				{Key: `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server`, Name: "Enabled", Value: 0},
				{Key: `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727`, Name: "SystemDefaultTlsVersions", Value: 1},
			}},
		},
	)
	return p
}

var wantSheets = []string{"Summary", "Servers", "TLS", "Certificates", "Namespaces", "Connectivity", "Findings"}

func TestSheets(t *testing.T) {
	f := open(t, render(t, loadPlan(t, "s1-contoso.toml")))
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Errorf("sheets: got %q, want %q", got, wantSheets)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet: got %d, want 0 (Summary)", got)
	}
}

func TestHeaders(t *testing.T) {
	f := open(t, render(t, withFindings(loadPlan(t, "s1-contoso.toml"))))
	// Protocols by the names the PDF and HTML reports give them.
	var names []string
	for _, proto := range planner.Protocols {
		names = append(names, planner.ProtocolName(proto))
	}
	protos := strings.Join(names, "|")
	for _, tc := range []struct {
		sheet, want string
	}{
		{"Servers", "Server|FQDN|Site|Version|Build|Update|Roles|OS|Coexistence minimum|TLS status|Missing KBs|Done"},
		{"TLS", "Server|TLS status|TLS 1.0 Client\nEnabled|TLS 1.0 Client\nDisabledByDefault"},
		{"Certificates", "Thumbprint|Subject|SANs|Not after|Days left|Outlives cutover (2027-06-30)|Signature algorithm|Services|Servers|Findings"},
		{"Namespaces", "FQDN|Internal targets|External targets|Load balancer paths"},
		{"Connectivity", "User|Location|Cohort|Mailbox server|Version|Site|Overall|" + protos + "|Full Access mailboxes"},
		{"Findings", "ID|Severity|Subject|Message|Remediation|Sources|Owner|Status"},
	} {
		t.Run(tc.sheet, func(t *testing.T) {
			head := strings.Join(rows(t, f, tc.sheet)[0], "|")
			if !strings.HasPrefix(head, tc.want) {
				t.Errorf("header: got %q, want prefix %q", head, tc.want)
			}
		})
	}
	t.Run("TLS columns", func(t *testing.T) {
		got := len(rows(t, f, "TLS")[0])
		if want := 2 + 24; got != want { // name, FQDN, then every TLSRegistry value (TLS 1.0–1.3, .NET)
			t.Errorf("TLS columns: got %d, want %d", got, want)
		}
	})
}

func TestCells(t *testing.T) {
	p := withFindings(loadPlan(t, "s1-contoso.toml"))
	f := open(t, render(t, p))
	conn := rows(t, f, "Connectivity")
	connS4 := rows(t, open(t, render(t, loadPlan(t, "s4-2016-2010.toml"))), "Connectivity")
	servers := rows(t, f, "Servers")
	tlsRows := rows(t, f, "TLS")
	certs := rows(t, f, "Certificates")
	nss := rows(t, f, "Namespaces")
	findings := rows(t, f, "Findings")
	user := func(name, loc string) map[string]string { return map[string]string{"User": name, "Location": loc} }
	server := func(name string) map[string]string { return map[string]string{"Server": name} }
	notChecked := func(prefix string) string {
		for _, r := range planner.Rules() {
			if strings.HasPrefix(r.ID, prefix) {
				return "OK"
			}
		}
		return "not checked"
	}
	for _, tc := range []struct {
		name  string
		rows  [][]string
		where map[string]string
		col   string
		want  string
	}{
		{"orange external owa", conn, user("orange", "external"), planner.ProtocolName("owa"), "connect → CAS2010-2\nentered as mail.contoso.com: redirect-silent → mail-region.contoso.com"},
		{"orange external outlook-anywhere", conn, user("orange", "external"), planner.ProtocolName("outlook-anywhere"), "direct → mail-region.contoso.com"},
		{"red external owa", conn, user("red", "external"), planner.ProtocolName("owa"), "proxy → CAS2010-1"},
		{"red internal rpc-tcp", conn, user("red", "internal"), planner.ProtocolName("rpc-tcp"), "connect → CAS2010-1"},
		{"red external pop3", conn, user("red", "external"), planner.ProtocolName("pop3"), "proxy → MBX2016-1 (Broken)"},
		{"alice full access", connS4, user("alice", "external"), "Full Access mailboxes", "DB2010-01 · Outlook Anywhere (RPC over HTTP): proxy → EX2010 (Broken)"},
		{"red overall", conn, user("red", "external"), "Overall", "Broken"},
		{"red mailbox", conn, user("red", "external"), "Mailbox server", "MBX2010-1"},
		{"red mapi-http", conn, user("red", "internal"), planner.ProtocolName("mapi-http"), "Not applicable"},
		{"blue cohort", conn, user("blue", "internal"), "Cohort", "2"},
		{"purple external mapi-http", conn, user("purple", "external"), planner.ProtocolName("mapi-http"), "no path (Broken)"},
		{"purple site", conn, user("purple", "internal"), "Site", "Site1"},
		{"CAS2010-1 FQDN", servers, server("CAS2010-1"), "FQDN", "cas2010-1.contoso.com"},
		{"CAS2010-1 version", servers, server("CAS2010-1"), "Version", "2010"},
		{"CAS2010-1 build", servers, server("CAS2010-1"), "Build", "14.3.513.0"},
		{"CAS2010-1 update", servers, server("CAS2010-1"), "Update", "Exchange 2010 SP3 RU32"},
		{"CAS2010-1 roles", servers, server("CAS2010-1"), "Roles", "ClientAccess, HubTransport"},
		{"CAS2010-1 coexistence", servers, server("CAS2010-1"), "Coexistence minimum", "CAS2010-1 runs Exchange 2010 SP3 RU10; Exchange 2016 needs SP3 RU11 or later."},
		{"CAS2010-1 TLS status", servers, server("CAS2010-1"), "TLS status", "Warning: TLS-SCHANNEL"},
		{"CAS2010-1 missing KBs", servers, server("CAS2010-1"), "Missing KBs", "KB982, KB3161949, KB3184728"},
		{"CAS2010-3B roles", servers, server("CAS2010-3B"), "Roles", "ClientAccess, HubTransport\n(out of service)"},
		{"MBX2016-1 coexistence", servers, server("MBX2016-1"), "Coexistence minimum", notChecked("COEX-")},
		{"MBX2016-1 update", servers, server("MBX2016-1"), "Update", "Exchange 2016 CU23 Oct25SU"},
		{"TLS 1.2 client enabled", tlsRows, server("MBX2016-1"), "TLS 1.2 Client\nEnabled", "1"},
		{"TLS 1.0 undefined", tlsRows, server("MBX2016-1"), "TLS 1.0 Client\nEnabled", "undefined"},
		{"TLS flagged", tlsRows, server("CAS2010-1"), "TLS 1.0 Server\nEnabled", "undefined → 0"},
		{"TLS wow flagged", tlsRows, server("CAS2010-1"), ".NET 2.0 Wow6432\nSystemDefaultTlsVersions", "1 (native) → 1"},
		{"TLS wow inherited", tlsRows, server("MBX2010-1"), ".NET 2.0 Wow6432\nSystemDefaultTlsVersions", "1 (native)"},
		{"certificate not after", certs, map[string]string{"Thumbprint": "A6F09430E29C884E100399DD0E049EF4BF8CBF0B"}, "Not after", "2027-10-14"},
		{"certificate days left", certs, map[string]string{"Thumbprint": "A6F09430E29C884E100399DD0E049EF4BF8CBF0B"}, "Days left", "326"},
		{"certificate outlives cutover", certs, map[string]string{"Thumbprint": "A6F09430E29C884E100399DD0E049EF4BF8CBF0B"}, "Outlives cutover (2027-06-30)", "Yes"},
		{"certificate SANs", certs, map[string]string{"Thumbprint": "A6F09430E29C884E100399DD0E049EF4BF8CBF0B"}, "SANs", "mail.contoso.com\nautodiscover.contoso.com"},
		{"namespace external", nss, map[string]string{"FQDN": "mail.contoso.com"}, "External targets", "LB1 (load balancer: MBX2016-1, MBX2016-2)"},
		{"namespace LB paths", nss, map[string]string{"FQDN": "mail.contoso.com"}, "Load balancer paths", "LB1: /owa, /ecp, /ews, /rpc, /Microsoft-Server-ActiveSync, /oab, /autodiscover"},
		{"namespace unresolved", nss, map[string]string{"FQDN": "outlook.contoso.com"}, "External targets", "does not resolve"},
		{"finding source inferred", findings, map[string]string{"ID": "TLS-SCHANNEL"}, "Sources", "Exchange Server TLS guidance Part 2: Enabling TLS 1.2 and Identifying Clients Not Using It. Exchange Team Blog, Microsoft Tech Community. https://techcommunity.microsoft.com/t5/exchange-team-blog/exchange-server-tls-guidance-part-2-enabling-tls-1-2-and/ba-p/607761\nBasis: inferred (our reading of the sources: verify it)"},
		{"finding status", findings, map[string]string{"ID": "COEX-2016-2010"}, "Status", "Open"},
		{"finding owner", findings, map[string]string{"ID": "COEX-2016-2010"}, "Owner", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lookup(t, tc.rows, tc.where, tc.col); got != tc.want {
				t.Errorf("%v %s: got %q, want %q", tc.where, tc.col, got, tc.want)
			}
		})
	}
	t.Run("connectivity rows", func(t *testing.T) {
		if got, want := len(conn)-1, 2*len(p.Inv.Mailboxes); got != want {
			t.Errorf("data rows: got %d, want %d", got, want)
		}
		var users []string
		for _, r := range conn[1:] {
			users = append(users, r[0]+"/"+r[1])
		}
		want := []string{"blue/internal", "blue/external", "orange/internal", "orange/external",
			"purple/internal", "purple/external", "red/internal", "red/external"}
		if !slices.Equal(users, want) {
			t.Errorf("row order: got %q, want %q", users, want)
		}
	})
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		name    string
		plan    func(t *testing.T) *planner.Plan
		verdict string
	}{
		{"blocking", func(t *testing.T) *planner.Plan {
			p := loadPlan(t, "s1-contoso.toml")
			p.Findings = nil
			return withFindings(p)
		}, "Not ready: 1 blocking finding"},
		{"clean", func(t *testing.T) *planner.Plan {
			p := loadPlan(t, "s2-2007-2010.toml")
			p.Findings = nil
			return p
		}, "Ready: no blocking findings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := open(t, render(t, tc.plan(t)))
			labels := map[string]string{}
			for _, r := range rows(t, f, "Summary") {
				if len(r) >= 2 {
					labels[r[0]] = r[1]
				}
			}
			for label, want := range map[string]string{
				"Readiness":    tc.verdict,
				"As of":        "2026-11-22",
				"Organisation": "Contoso",
			} {
				if got := labels[label]; got != want {
					t.Errorf("%s: got %q, want %q", label, got, want)
				}
			}
		})
	}
	p := loadPlan(t, "s1-contoso.toml")
	f := open(t, render(t, p))
	byProto := p.Counts().UsersByProtocol
	got := map[string][]string{}
	for _, r := range rows(t, f, "Summary") {
		for _, proto := range planner.Protocols {
			// Named as in the PDF and HTML reports, never by ID.
			if len(r) > 0 && r[0] == planner.ProtocolName(proto) {
				got[proto] = r[1:]
			}
		}
	}
	for _, proto := range planner.Protocols {
		var want []string
		for _, o := range []string{"ok", "warning", "broken", "not-applicable"} {
			want = append(want, strconv.Itoa(byProto[proto][o]))
		}
		if !slices.Equal(got[proto], want) {
			t.Errorf("%s outcomes: got %q, want %q", proto, got[proto], want)
		}
	}
}

func TestSheetFeatures(t *testing.T) {
	p := loadPlan(t, "s1-contoso.toml")
	p.Findings = nil
	f := open(t, render(t, withFindings(p)))
	filters := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" {
			filters[n.Scope] = n.RefersTo
		}
	}
	for _, tc := range []struct {
		sheet  string
		filter string
		xSplit int
	}{
		{"Servers", "'Servers'!$A$1:$L$10", 0},
		{"TLS", "'TLS'!$A$1:$Z$10", 1},
		{"Certificates", "'Certificates'!$A$1:$J$5", 0},
		{"Namespaces", "'Namespaces'!$A$1:$D$7", 0},
		{"Connectivity", "'Connectivity'!$A$1:$S$9", 1},
		{"Findings", "'Findings'!$A$1:$H$3", 0},
	} {
		t.Run(tc.sheet, func(t *testing.T) {
			panes, err := f.GetPanes(tc.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != tc.xSplit {
				t.Errorf("panes: got freeze %v ySplit %d xSplit %d, want freeze true ySplit 1 xSplit %d",
					panes.Freeze, panes.YSplit, panes.XSplit, tc.xSplit)
			}
			if got := strings.ReplaceAll(filters[tc.sheet], "$", ""); got != strings.ReplaceAll(tc.filter, "$", "") {
				t.Errorf("autofilter: got %q, want %q", filters[tc.sheet], tc.filter)
			}
		})
	}
	for _, tc := range []struct {
		sheet, sqref string
		items        string
	}{
		{"Servers", "L2:L10", `"Yes,No,N/A"`},
		{"Findings", "H2:H3", `"Open,In progress,Done,Accepted risk"`},
	} {
		t.Run(tc.sheet+" drop-down", func(t *testing.T) {
			dvs, err := f.GetDataValidations(tc.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(dvs) != 1 || dvs[0].Sqref != tc.sqref || dvs[0].Type != "list" || dvs[0].Formula1 != tc.items {
				t.Errorf("data validations: got %+v, want one list %s on %s", dvs, tc.items, tc.sqref)
			}
		})
	}
	t.Run("conditional formats", func(t *testing.T) {
		cfs, err := f.GetConditionalFormats("Connectivity")
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for ref, opts := range cfs {
			for _, o := range opts {
				texts = append(texts, ref+" "+o.Type+" "+o.Value)
			}
		}
		slices.Sort(texts)
		want := []string{
			`G2:G9 cell "Broken"`, `G2:G9 cell "Not applicable"`, `G2:G9 cell "Warning"`,
			"H2:S9 text (Broken)", "H2:S9 text (Warning)", "H2:S9 text Not applicable",
		}
		if !slices.Equal(texts, want) {
			t.Errorf("Connectivity conditional formats: got %q, want %q", texts, want)
		}
	})
	t.Run("document properties", func(t *testing.T) {
		props, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if props.Creator != "coexist" || props.Created != "2026-11-22T00:00:00Z" || props.Modified != "2026-11-22T00:00:00Z" {
			t.Errorf("doc props: got creator %q created %q modified %q, want coexist and 2026-11-22T00:00:00Z",
				props.Creator, props.Created, props.Modified)
		}
	})
}

func TestConnectivityOverflow(t *testing.T) {
	defer func(n int) { sheetRowLimit = n }(sheetRowLimit)
	sheetRowLimit = 4 // a header and three data rows per sheet
	p := loadPlan(t, "s1-contoso.toml")
	data := render(t, p)
	f := open(t, data)
	want := []string{"Summary", "Servers", "TLS", "Certificates", "Namespaces",
		"Connectivity", "Connectivity 2", "Connectivity 3", "Findings"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets: got %q, want %q", got, want)
	}
	var users []string
	for _, sheet := range want[5:8] {
		rs := rows(t, f, sheet)
		if rs[0][0] != "User" || rs[0][6] != "Overall" {
			t.Errorf("%s header: got %q, want User … Overall", sheet, rs[0][:7])
		}
		if len(rs) > sheetRowLimit {
			t.Errorf("%s: got %d rows, want at most %d", sheet, len(rs), sheetRowLimit)
		}
		for _, r := range rs[1:] {
			users = append(users, r[0]+"/"+r[1])
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze {
			t.Errorf("%s: header not frozen (%v)", sheet, err)
		}
	}
	wantUsers := []string{"blue/internal", "blue/external", "orange/internal", "orange/external",
		"purple/internal", "purple/external", "red/internal", "red/external"}
	if !slices.Equal(users, wantUsers) {
		t.Errorf("rows across sheets: got %q, want %q", users, wantUsers)
	}
	// Several streamed sheets is where excelize's map order would show.
	for i := 0; i < 5; i++ {
		if again := render(t, p); !bytes.Equal(data, again) {
			t.Fatalf("write %d differs from the first", i+2)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, sample := range []string{"s1-contoso.toml", "s4-2016-2010.toml", "s5-tls.toml"} {
		t.Run(sample, func(t *testing.T) {
			a := render(t, withFindings(loadPlan(t, sample)))
			b := render(t, withFindings(loadPlan(t, sample)))
			if !bytes.Equal(a, b) {
				t.Fatalf("two writes differ: %d and %d bytes", len(a), len(b))
			}
			zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, zf := range zr.File {
				names = append(names, zf.Name)
				if want := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC); !zf.Modified.Equal(want) {
					t.Errorf("%s modified: got %v, want %v", zf.Name, zf.Modified, want)
				}
			}
			if !slices.IsSorted(names) || names[0] != "[Content_Types].xml" {
				t.Errorf("zip entries: got %q, want sorted, [Content_Types].xml first", names)
			}
		})
	}
}

// TestFormulaSafety checks that inventory text that looks like a formula
// is stored as a literal string.
func TestFormulaSafety(t *testing.T) {
	evil := []string{`=HYPERLINK("http://x","click")`, "+cmd", "-1+1", "@SUM(A1)", `=cmd|' /C calc'!A0`}
	p := loadPlan(t, "s1-contoso.toml")
	p.Organization = evil[0]
	for i := range p.Inv.Mailboxes {
		p.Inv.Mailboxes[i].Name = evil[i%len(evil)]
	}
	p.Inv.Servers[0].OS = evil[1]
	p.Inv.Servers[0].FQDN = evil[2]
	p.Inv.Certificates[0].Subject = evil[3]
	p.Inv.Namespaces[0].FQDN = evil[4]
	p.Findings = append(p.Findings, planner.Finding{ID: "TEST", Severity: planner.SevInfo,
		Subject: evil[0], Message: evil[2], Remediation: evil[4]})
	data := render(t, p)

	// No worksheet holds a formula at all.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	formula := regexp.MustCompile(`<f[ >]`)
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if loc := formula.FindIndex(b); loc != nil {
			t.Errorf("%s has a formula: %s", zf.Name, b[loc[0]:min(len(b), loc[0]+80)])
		}
	}

	f := open(t, data)
	found := map[string]bool{}
	for _, sheet := range f.GetSheetList() {
		for r, row := range rows(t, f, sheet) {
			for c, v := range row {
				if !slices.Contains(evil, v) {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, err := f.GetCellFormula(sheet, cell); err != nil || fm != "" {
					t.Errorf("%s!%s: got formula %q (%v), want none", sheet, cell, fm, err)
				}
				if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s!%s: got cell type %v, want a string", sheet, cell, typ)
				}
				found[sheet+" "+v] = true
			}
		}
	}
	for _, want := range []string{
		"Summary " + evil[0], "Servers " + evil[1], "Servers " + evil[2], "Certificates " + evil[3],
		"Namespaces " + evil[4], "Findings " + evil[0], "Findings " + evil[2], "Findings " + evil[4],
		"Connectivity " + evil[0], "Connectivity " + evil[1], "Connectivity " + evil[2], "Connectivity " + evil[3],
	} {
		if !found[want] {
			t.Errorf("literal %q not found", want)
		}
	}
}

func TestPathText(t *testing.T) {
	mbx := planner.MailboxRef{Server: "MBX2010-1", Version: "2010"}
	// Servers are named after their version: CAS2010-1 is 2010.
	versionOf := func(name string) string {
		if i := strings.IndexAny(name, "0123456789"); i >= 0 && i+4 <= len(name) {
			return name[i : i+4]
		}
		return ""
	}
	hop := func(from, to, host, action string) planner.Hop {
		return planner.Hop{From: from, To: to, Host: host, Action: action}
	}
	for _, tc := range []struct {
		name string
		path planner.Path
		want string
	}{
		{"proxy to CAS, back end hop ignored", planner.Path{Mailbox: mbx, Outcome: "ok", Hops: []planner.Hop{
			hop("client", "MBX2016-1", "mail.contoso.com", "connect"),
			hop("MBX2016-1", "CAS2010-1", "cas2010-1.contoso.com", "proxy"),
			hop("CAS2010-1", "MBX2010-1", "mbx2010-1.contoso.com", "proxy")}}, "proxy → CAS2010-1"},
		{"redirect names the host", planner.Path{Mailbox: mbx, Outcome: "ok", Hops: []planner.Hop{
			hop("client", "MBX2016-1", "mail.contoso.com", "connect"),
			hop("MBX2016-1", "CAS2010-2", "mail-region.contoso.com", "redirect-silent")}}, "redirect-silent → mail-region.contoso.com"},
		{"local mailbox", planner.Path{Mailbox: planner.MailboxRef{Server: "MBX2016-1", Version: "2016"}, Outcome: "ok", Hops: []planner.Hop{
			hop("client", "MBX2016-1", "mail.contoso.com", "connect")}}, "connect → MBX2016-1"},
		{"2016 proxies to the 2016 mailbox server", planner.Path{Mailbox: planner.MailboxRef{Server: "MBX2016-2", Version: "2016"}, Outcome: "ok", Hops: []planner.Hop{
			hop("client", "MBX2016-1", "mail.contoso.com", "connect"),
			hop("MBX2016-1", "MBX2016-2", "mbx2016-2.contoso.com", "proxy")}}, "proxy → MBX2016-2"},
		{"2016 proxies to a 2010 multi-role server", planner.Path{Mailbox: planner.MailboxRef{Server: "EX2010", Version: "2010"}, Outcome: "broken", Hops: []planner.Hop{
			hop("client", "EX2016-01", "mail.contoso.com", "connect"),
			hop("EX2016-01", "EX2010", "ex2010.contoso.com", "proxy")}}, "proxy → EX2010 (Broken)"},
		{"2010 RPC Client Access", planner.Path{Mailbox: mbx, Outcome: "ok", Hops: []planner.Hop{
			hop("client", "CAS2010-1", "outlook.contoso.com", "connect"),
			hop("CAS2010-1", "MBX2010-1", "mbx2010-1.contoso.com", "proxy")}}, "connect → CAS2010-1"},
		{"direct URL", planner.Path{Mailbox: mbx, Outcome: "ok", Hops: []planner.Hop{
			hop("client", "CAS2010-2", "mail-region.contoso.com", "direct"),
			hop("CAS2010-2", "MBX2010-1", "mbx2010-1.contoso.com", "proxy")}}, "direct → mail-region.contoso.com"},
		{"broken", planner.Path{Mailbox: mbx, Outcome: "broken", Hops: []planner.Hop{
			hop("client", "MBX2016-1", "mail.contoso.com", "connect"),
			hop("MBX2016-1", "CAS2010-1", "cas2010-1.contoso.com", "proxy")}}, "proxy → CAS2010-1 (Broken)"},
		{"no hops", planner.Path{Mailbox: mbx, Outcome: "broken"}, "no path (Broken)"},
		{"not applicable", planner.Path{Mailbox: mbx, Outcome: "not-applicable"}, "Not applicable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pathText(&tc.path, versionOf); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRegField(t *testing.T) {
	const schannel = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\`
	for _, tc := range []struct {
		key, name, want string
	}{
		{schannel + `TLS 1.2\Client`, "Enabled", "schannel_tls12_client_enabled"},
		{schannel + `TLS 1.0\Server`, "DisabledByDefault", "schannel_tls10_server_disabled_by_default"},
		{`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\.NETFramework\v4.0.30319`, "SchUseStrongCrypto", "net4_sch_use_strong_crypto"},
		{`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v2.0.50727`, "SystemDefaultTlsVersions", "net2_wow6432_system_default_tls_versions"},
		{schannel + `SSL 3.0\Server`, "Enabled", ""},
		{`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`, "DefaultSecureProtocols", ""},
	} {
		if got := regField(tc.key, tc.name); got != tc.want {
			t.Errorf("regField(%q, %q): got %q, want %q", tc.key, tc.name, got, tc.want)
		}
	}
	// Every field has a readable label and round-trips through regField's
	// naming.
	for _, v := range (&model.TLSRegistry{}).Values() {
		if got := tlsLabel(v.Field); got == v.Field || !strings.Contains(got, "\n") {
			t.Errorf("tlsLabel(%q): got %q, want a two-line label", v.Field, got)
		}
	}
}

// TestEmptyPlan writes an organisation with nothing in it: every sheet is
// there with its header row.
func TestEmptyPlan(t *testing.T) {
	inv := &model.Inventory{Organization: model.Organization{Name: "Empty"}}
	p := planner.Run(inv, planner.Options{})
	f := open(t, render(t, p))
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Errorf("sheets: got %q, want %q", got, wantSheets)
	}
	for _, sheet := range wantSheets[1:] {
		if rs := rows(t, f, sheet); len(rs) != 1 {
			t.Errorf("%s: got %d rows, want the header only", sheet, len(rs))
		}
	}
}

// chunkWriter records the largest single write and the total.
type chunkWriter struct{ largest, total int }

func (w *chunkWriter) Write(b []byte) (int, error) {
	w.largest = max(w.largest, len(b))
	w.total += len(b)
	return len(b), nil
}

// TestStreamsToWriter checks that the workbook reaches its writer as it is
// made rather than buffered whole (excelize's WriteTo hands over the
// entire archive in one write): at ten million mailboxes that buffer alone
// outgrew the memory of the machine.
func TestStreamsToWriter(t *testing.T) {
	inv, err := synth.Generate(synth.Config{Seed: 1, Mailboxes: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if ps := inv.Validate(); len(ps) > 0 {
		t.Fatal(ps)
	}
	p := planner.Run(inv, planner.Options{})
	var w chunkWriter
	if err := Write(&w, p); err != nil {
		t.Fatal(err)
	}
	const chunk = 256 << 10
	if w.total < 4*chunk || w.largest > chunk {
		t.Errorf("got %d bytes with a largest write of %d, want over %d bytes in writes of at most %d", w.total, w.largest, 4*chunk, chunk)
	}
	// The streamed Connectivity part reads back whole.
	data := render(t, p)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := zr.Open("xl/worksheets/sheet6.xml") // Summary, Servers, TLS, Certificates, Namespaces, Connectivity
	if err != nil {
		t.Fatal(err)
	}
	xml, err := io.ReadAll(sheet)
	if err != nil {
		t.Fatalf("reading the Connectivity part: %v", err)
	}
	if got, want := bytes.Count(xml, []byte("<row ")), 1+len(inv.Mailboxes)*len(planner.Locations); got != want {
		t.Errorf("Connectivity rows: got %d, want %d", got, want)
	}
}

// TestSummaryDocControl: the Summary names the document control, and an
// empty field keeps its row (a line to fill in).
func TestSummaryDocControl(t *testing.T) {
	p := loadPlan(t, "s1-contoso.toml")
	p.Inv.Report.Author = "=HYPERLINK(\"x\") Ana"
	p.Inv.Report.Status = "approved"
	p.Inv.Report.Approvers = []string{"J. Smith"}
	rs := rows(t, open(t, render(t, p)), SheetSummary)
	got := map[string]string{}
	for _, r := range rs {
		if len(r) >= 2 {
			got[r[0]] = r[1]
		} else if len(r) == 1 {
			got[r[0]] = ""
		}
	}
	for label, want := range map[string]string{
		"Customer": "Contoso", "Author": "=HYPERLINK(\"x\") Ana", "Status": "Approved",
		"Document version": "", "Approver (name, signature, date)": "J. Smith",
	} {
		v, ok := got[label]
		if !ok || v != want {
			t.Errorf("Summary %q = %q (present %v), want %q", label, v, ok, want)
		}
	}
}

// TestSeverityWords: the workbook names severities as every other output
// does (planner.SeverityName: Blocking, Warning, Advisory), never by their
// plan.json values (error, warning, info); S5's servers have blocking
// TLS findings at the worst (S1's CAS2010-1 reads "Warning: TLS-SCHANNEL",
// see TestCells).
func TestSeverityWords(t *testing.T) {
	f := open(t, render(t, loadPlan(t, "s5-tls.toml")))
	seen := map[string]bool{}
	for _, sheet := range f.GetSheetList() {
		for _, r := range rows(t, f, sheet) {
			for _, c := range r {
				for _, sev := range []planner.Severity{planner.SevError, planner.SevWarning, planner.SevInfo} {
					if strings.HasPrefix(c, string(sev)+": ") {
						t.Errorf("%s: cell %q names a severity %q, want %q", sheet, c, sev, planner.SeverityName(sev))
					}
					if strings.HasPrefix(c, planner.SeverityName(sev)+": TLS-") {
						seen[planner.SeverityName(sev)] = true
					}
				}
			}
		}
	}
	if !seen[planner.SeverityName(planner.SevError)] {
		t.Errorf("no TLS status reads %q", planner.SeverityName(planner.SevError)+": TLS-…")
	}
}
