package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/planjson"
)

// loadDiff plans a sample before and after an edits file, as `coexist
// whatif` does, with the edits described the same way.
func loadDiff(t testing.TB, edits string, base ...string) DiffInput {
	t.Helper()
	var paths []string
	h := sha256.New()
	for _, b := range base {
		path := "../../samples/" + b
		paths = append(paths, path)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(raw)
	}
	inv, src, err := load.Load(paths, load.Options{})
	if err != nil {
		t.Fatalf("load %v: %v", base, err)
	}
	eds, esrc, err := load.Edits("../../samples/edits/"+edits, load.Options{})
	if err != nil {
		t.Fatalf("edits %s: %v", edits, err)
	}
	after, err := load.ApplyEdits(inv, src, eds, esrc)
	if err != nil {
		t.Fatalf("apply %s: %v", edits, err)
	}
	d := planner.Compare(planner.Run(inv, planner.Options{}), planner.Run(after, planner.Options{}))
	for i, e := range eds {
		text := e.Op
		if e.Note != "" {
			text += ": " + e.Note
		}
		d.Edits = append(d.Edits, fmt.Sprintf("%d. %s", i+1, text))
	}
	return DiffInput{Diff: d, Digest: hex.EncodeToString(h.Sum(nil))}
}

func diffS1(t testing.TB) DiffInput {
	return loadDiff(t, "s1-move-namespaces.toml", "s1-contoso.toml", "variants/s1-before.toml")
}
func diffS2(t testing.TB) DiffInput { return loadDiff(t, "s2-move-amy.toml", "s2-2007-2010.toml") }
func diffS3(t testing.TB) DiffInput {
	return loadDiff(t, "s3-disable-branch-oa.toml", "s3-2013-2010.toml")
}

func writeDiff(t testing.TB, in DiffInput) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDiff(&buf, in); err != nil {
		t.Fatalf("WriteDiff: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("output is not a PDF")
	}
	return buf.Bytes()
}

// pageText is the text of pages first to last, with runs of white space
// made single spaces; it skips the test without pdftotext.
func pageText(t testing.TB, b []byte, first, last int) string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-enc", "UTF-8", "-f", fmt.Sprint(first), "-l", fmt.Sprint(last), savePDF(t, b), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// bodyStart is the text of a page after its running header (the
// organisation and the subject).
func bodyStart(t testing.TB, b []byte, page int, org string) string {
	t.Helper()
	text := pageText(t, b, page, page)
	// The running header: the chapter and section the page continues
	// (if any), then the document's subject.
	head := org + " · effect of a change on paths and findings "
	i := strings.Index(text, head)
	if i < 0 || i > 160 {
		t.Fatalf("page %d does not start with the running header %q: %.200q", page, head, text)
	}
	return text[i+len(head):]
}

func TestDiffPageOne(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    func(testing.TB) DiffInput
		want  []string
		avoid []string
	}{
		// red's POP3 loops back to 2016 after the move (CAS2010-1's POP3
		// InternalConnectionSettings name mail.contoso.com).
		{"S1", diffS1, []string{
			"RISK: the change breaks paths or adds blocking findings",
			"move-namespace: mail.contoso.com to the 2016 servers (LB1 outside)",
			"Newly broken paths", "red", "MBX2016-1 now answers mail.contoso.com",
		}, []string{"New blocking findings"}},
		{"S2", diffS2, []string{
			"Safe: no path becomes broken and no blocking finding is added",
			"move-mailboxes: amy to Exchange 2010", "Mailbox moves from EX2007-01 (Exchange 2007) to EX2010-01",
		}, []string{"Newly broken paths"}},
		{"S3", diffS3, []string{
			"RISK: the change breaks paths or adds blocking findings",
			"set-outlook-anywhere: Turn off Outlook Anywhere on the branch CAS",
			"1 user loses a working path", "1 blocking finding is introduced",
			"Newly broken paths", "Outlook Anywhere External", "mary",
			"mail.o365info.com → Exc2013 (connect, Basic) → Exc2010-BR (proxy, Kerberos)",
			"Outlook Anywhere is disabled on Exc2010-BR",
			"New blocking findings", "AUTH-LEGACY-NTLM",
		}, []string{"What changes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(t)
			b := writeDiff(t, in)
			page1 := pageText(t, b, 1, 1)
			want := append([]string{"Change assessment", in.Diff.Organization, "22 November 2026", in.Digest[:16],
				planjson.Verdict(in.Diff)}, tc.want...)
			for _, w := range want {
				if !strings.Contains(page1, w) {
					t.Errorf("page 1 lacks %q:\n%s", w, page1)
				}
			}
			for _, w := range tc.avoid {
				if strings.Contains(page1, w) {
					t.Errorf("page 1 has %q", w)
				}
			}
			// Page 1 holds the whole summary: page 2 is the document
			// control the board signs, page 3 starts the details.
			if got := bodyStart(t, b, 2, in.Diff.Organization); !strings.HasPrefix(got, "Document control") {
				t.Errorf("page 2 starts %.80q, want the document control", got)
			}
			if got := bodyStart(t, b, 3, in.Diff.Organization); !strings.HasPrefix(got, "Path changes by protocol") {
				t.Errorf("page 3 starts %.80q, want the path changes", got)
			}
		})
	}
}

// bigDiff is S3's diff with every list long and every text longer.
func bigDiff(t testing.TB) DiffInput {
	in := diffS3(t)
	d := *in.Diff
	long := " It goes on to explain, at a length no change board reads on page one, why this matters for the users concerned."
	c0, f0, s0 := d.Changes[0], d.Introduced[0], planner.ClientStep{Users: 250, Text: "Mailbox moves from EX2007-01 (Exchange 2007) to EX2010-01 (Exchange 2010): Outlook is told to restart." + long, Sources: []string{"aaronmarks-oa-2007-2010"}}
	d.Changes, d.Introduced, d.Steps, d.Edits = nil, nil, nil, nil
	for i := range 60 {
		c := c0
		c.Users = 1000 + i
		c.Sample = []string{fmt.Sprintf("user-%02d-a", i), "user-b", "user-c", "user-d", "user-e"}
		c.Location = []string{"external", "internal"}[i%2]
		c.After.Notes = append(append([]string(nil), c0.After.Notes...), fmt.Sprintf("Server %d refuses the proxied request.%s [X-%d; MS S1]", i, long, i))
		d.Changes = append(d.Changes, c)
		f := f0
		f.Subject = fmt.Sprintf("Exc2010-%02d", i)
		f.Message += long
		d.Introduced = append(d.Introduced, f)
		s := s0
		s.Sample = []string{fmt.Sprintf("user-%02d-a", i), "user-b", "user-c"}
		d.Steps = append(d.Steps, s)
		d.Edits = append(d.Edits, fmt.Sprintf("%d. move-mailboxes: wave %d of the migration, users of department %d.%s", i+1, i+1, i, long))
	}
	d.PathsNewlyBroken, d.UsersNewlyBroken = 60_000, 60_000
	in.Diff = &d
	return in
}

func TestDiffPageOneFits(t *testing.T) {
	in := bigDiff(t)
	b := writeDiff(t, in)
	page1 := pageText(t, b, 1, 1)
	for _, w := range []string{planjson.Verdict(in.Diff), "Newly broken paths", "New blocking findings", "more, see diff.xlsx", "60,000"} {
		if !strings.Contains(page1, w) {
			t.Errorf("page 1 lacks %q:\n%s", w, page1)
		}
	}
	if got := bodyStart(t, b, 2, in.Diff.Organization); !strings.HasPrefix(got, "Document control") {
		t.Errorf("page 2 starts %.80q, want the document control: page 1 ran over", got)
	}
	// The details list MaxChangeRows changes and count the rest.
	if text := pageText(t, b, 2, 99); !strings.Contains(text, fmt.Sprintf("… %d more changes", 60-MaxChangeRows)) {
		t.Errorf("the details do not count the changes beyond %d", MaxChangeRows)
	}
}

// pageCount, which fits page 1, must count pages as a PDF reader does.
func TestDiffPageCount(t *testing.T) {
	b := writeDiff(t, diffS1(t))
	if got, want := pageCount(b), pages(t, b); got != want {
		t.Errorf("pageCount: got %d, pdfinfo says %d", got, want)
	}
}

func TestDiffLadder(t *testing.T) {
	ladder := limitLadder()
	for i := 1; i < len(ladder); i++ {
		a, b := ladder[i-1], ladder[i]
		if b == a || b.edits > a.edits || b.broken > a.broken || b.blocking > a.blocking || b.steps > a.steps ||
			b.text > a.text || (b.kinds && !a.kinds) || (b.next && !a.next) {
			t.Errorf("ladder step %d does not give anything up: %+v after %+v", i, b, a)
		}
	}
	last := ladder[len(ladder)-1]
	if last.edits < 1 || last.broken < 1 || last.blocking < 1 {
		t.Errorf("the shortest page 1 must still show an edit, a broken path and a blocking finding: %+v", last)
	}
}

func TestDiffSections(t *testing.T) {
	in := diffS3(t)
	b := writeDiff(t, in)
	if !bytes.Contains(b, []byte("/Outlines")) {
		t.Error("no /Outlines: the PDF has no bookmarks")
	}
	text := pageText(t, b, 1, 99)
	for _, w := range []string{
		"Path changes by protocol", "Outlook Anywhere (RPC over HTTP)", "Newly broken", "OK → Broken",
		"Findings and client steps", "Findings introduced", "Enable-OutlookAnywhere", "Findings reworded", "AUTH-NTLM-PREF",
		"Appendix", "Rule sources", "PATH-2C-PROXY", "AUTH-OA-SPLIT", "About this assessment", in.Digest, "Sources",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("report text lacks %q", w)
		}
	}

	// The bookmarks, with their pages, as pdftohtml reads them.
	pdftohtml, err := exec.LookPath("pdftohtml")
	if err != nil {
		t.Skip("pdftohtml not found: bookmarks not checked")
	}
	out, err := exec.Command(pdftohtml, "-xml", "-i", "-stdout", savePDF(t, b)).Output()
	if err != nil {
		t.Fatalf("pdftohtml: %v", err)
	}
	var got []string
	for _, m := range regexp.MustCompile(`<item page="(\d+)">([^<]*)</item>`).FindAllSubmatch(out, -1) {
		got = append(got, string(m[2])+" p"+string(m[1]))
	}
	for _, w := range []string{"Change assessment p1", "Newly broken paths p1", "New blocking findings p1",
		"Document control p2", "Path changes by protocol p3", "Outlook Anywhere (RPC over HTTP) p3", "Findings and client steps p4",
		"Appendix p5", "Scope of this plan p5"} {
		if !strings.Contains(strings.Join(got, "\n")+"\n", w+"\n") {
			t.Errorf("no bookmark %q in %q", w, got)
		}
	}
}

func TestDiffDeterministic(t *testing.T) {
	for name, in := range map[string]func(testing.TB) DiffInput{"S1": diffS1, "S3": diffS3} {
		t.Run(name, func(t *testing.T) {
			a, b := writeDiff(t, in(t)), writeDiff(t, in(t))
			if !bytes.Equal(a, b) {
				t.Fatalf("two writes differ: %d and %d bytes", len(a), len(b))
			}
		})
	}
}

func TestDiffNoEffect(t *testing.T) {
	p, _ := plan(t, "s2-2007-2010")
	in := DiffInput{Diff: planner.Compare(p, p)}
	b := writeDiff(t, in)
	page1 := pageText(t, b, 1, 1)
	for _, w := range []string{"No effect: no path or finding changes", "No user's path changes", "not recorded"} {
		if !strings.Contains(page1, w) {
			t.Errorf("page 1 lacks %q:\n%s", w, page1)
		}
	}
	if text := pageText(t, b, 2, 99); !strings.Contains(text, "No path changes") {
		t.Errorf("details lack \"No path changes\":\n%s", text)
	}
	if err := WriteDiff(&bytes.Buffer{}, DiffInput{}); err == nil {
		t.Error("WriteDiff without a diff succeeded, want an error")
	}
}

func TestChainLines(t *testing.T) {
	p := planner.Path{Outcome: planner.OutcomeOK, Hops: []planner.Hop{
		{From: "client", To: "MBX2016-1", Host: "mail.contoso.com", Action: planner.ActConnect, Auth: "fba"},
		{From: "MBX2016-1", To: "CAS2010-1", Host: "cas2010-1.contoso.com", Action: planner.ActProxy, Auth: "kerberos"},
		{From: "CAS2010-1", To: "CAS2010-2", Host: "mail-region.contoso.com", Action: planner.ActRedirectSilent, Auth: "fba"},
	}}
	want := "mail.contoso.com → MBX2016-1 (connect, forms) → CAS2010-1 (proxy, Kerberos) → CAS2010-2 at mail-region.contoso.com (silent redirect, forms)"
	if got := chainLine(p); got != want {
		t.Errorf("chainLine:\n got %q\nwant %q", got, want)
	}
	if got := chainLine(planner.Path{Outcome: planner.OutcomeNotApplicable}); got != "not applicable" {
		t.Errorf("chainLine of a path that does not apply: got %q", got)
	}
	if got := clip("one two three four", 9); got != "one two…" {
		t.Errorf("clip: got %q, want %q", got, "one two…")
	}
}
