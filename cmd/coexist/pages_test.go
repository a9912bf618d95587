package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLargeEstateReportPages: the 100,000-user generated estate gives a
// report.pdf under 40 pages (report.MaxPages: written compact) with every
// chapter present. (The 1,000,000-user estate, 40 sites, gives 38 pages;
// it takes a few minutes and a GiB, too much for a test: see README
// "Report length and output sizes".)
func TestLargeEstateReportPages(t *testing.T) {
	if testing.Short() {
		t.Skip("plans a 100,000-user estate")
	}
	n, text := generatedReport(t, 100000)
	if n >= 40 {
		t.Errorf("report.pdf has %d pages, want under 40", n)
	}
	for _, h := range []string{"Executive summary", "Topology", "Servers by version", "Namespaces", "Client connectivity by protocol",
		"Outlook on the web (OWA)", "IMAP4", "Findings and remediation", "Prerequisite checklist", "Appendix"} {
		if !strings.Contains(text, h) {
			t.Errorf("report.pdf lacks the section %q", h)
		}
	}
}

// generatedReport plans a "coexist gen" estate of n mailboxes and returns
// its report's page count and text (skipping without poppler's tools).
func generatedReport(t *testing.T, mailboxes int) (pages int, text string) {
	t.Helper()
	pdfinfo, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Skip("pdfinfo not installed")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	if code, _, stderr := runCLI(t, "gen", "--mailboxes", strconv.Itoa(mailboxes), "-o", gen); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "plan", filepath.Join(gen, "inventory.toml"), "-o", out, "--date", "2026-12-01"); code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	pdf := filepath.Join(out, "report.pdf")
	info, err := exec.Command(pdfinfo, pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo printed no page count:\n%s", info)
	}
	pages, _ = strconv.Atoi(string(m[1]))
	txt, err := exec.Command(pdftotext, pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return pages, string(txt)
}

// TestCompactReportSpendsPagesOnDiagrams: a compact report (a generated
// 1,000-mailbox estate runs past 39 pages in full) prints the topology
// diagram it would leave to topology.svg when the pages allow, in parts,
// and still stays within 39 pages.
func TestCompactReportSpendsPagesOnDiagrams(t *testing.T) {
	n, text := generatedReport(t, 1000)
	if n > 39 {
		t.Errorf("report.pdf has %d pages, want at most 39", n)
	}
	s := strings.Join(strings.Fields(text), " ")
	if !strings.Contains(s, "Sites, servers, load balancers and namespaces, part 1 of") {
		t.Error("the topology diagram is not printed")
	}
	if strings.Contains(s, "The topology diagram is too large to print") {
		t.Error("the topology is left to topology.svg though it fits")
	}
}
