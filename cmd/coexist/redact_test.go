package main

import (
	"archive/zip"
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
)

// TestRedactedOutputs: plan --redact writes no original name, host,
// domain or thumbprint anywhere in any output (text, SVG, HTML, JSON,
// .ps1, .reg, the xlsx XML parts and the PDF's text).
func TestRedactedOutputs(t *testing.T) {
	for _, sample := range []string{"s3-2013-2010.toml", "s4-2016-2010.toml", "s2-2007-2010.toml"} {
		t.Run(sample, func(t *testing.T) {
			path := filepath.Join("..", "..", "samples", sample)
			inv, _, err := load.Load([]string{path}, load.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var secrets []string
			add := func(s ...string) {
				for _, x := range s {
					if x = strings.TrimSpace(x); len(x) >= 2 {
						secrets = append(secrets, x)
					}
				}
			}
			add(inv.Organization.Name)
			for _, m := range inv.Mailboxes {
				add(m.Name)
			}
			for _, s := range inv.Servers {
				add(s.Name, s.FQDN, s.Site)
				if i := strings.IndexByte(s.FQDN, '.'); i > 0 {
					add(s.FQDN[i+1:]) // the domain
				}
			}
			for _, d := range inv.Databases {
				add(d.Name)
			}
			for _, ns := range inv.Namespaces {
				add(ns.FQDN)
			}
			for _, c := range inv.Certificates {
				add(c.Thumbprint)
			}
			for _, p := range inv.ClientProfiles {
				add(p.Name)
			}
			dir := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := runCLI(t, "plan", path, "--redact", "-o", dir); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			corpus := outputText(t, dir)
			for name, text := range corpus {
				corpus[name] = stripBibliography(text)
			}
			for _, s := range secrets {
				re := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9])` + regexp.QuoteMeta(s) + `($|[^A-Za-z0-9])`)
				for name, text := range corpus {
					if loc := re.FindStringIndex(text); loc != nil {
						lo, hi := max(0, loc[0]-40), min(len(text), loc[1]+40)
						t.Errorf("%s contains %q: …%s…", name, s, text[lo:hi])
					}
				}
			}
		})
	}
}

// stripBibliography removes the bibliography's fixed text (keys, titles,
// authors, publishers, URLs) from an output: it is product text, not
// customer data, and a sample's organisation may share a name with a
// publisher (S3's o365info.com). Whitespace may break it (PDF lines).
func stripBibliography(text string) string {
	for _, s := range planner.Sources() {
		for _, x := range []string{s.URL, s.Title, s.Publisher, s.Author, s.Key} {
			if x == "" {
				continue
			}
			var parts []string
			for _, r := range x {
				parts = append(parts, regexp.QuoteMeta(string(r)))
			}
			text = regexp.MustCompile(strings.Join(parts, `\s*`)).ReplaceAllString(text, " ")
		}
	}
	return text
}

// outputText returns every output's text: files as they are, xlsx parts
// unzipped, PDFs through pdftotext (skipped when absent).
func outputText(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(e.Name()) {
		case ".xlsx":
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				out[e.Name()+":"+f.Name] = string(b)
			}
		case ".pdf":
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Log("pdftotext not installed: PDF text not checked (apt-get install poppler-utils)")
				continue
			}
			txt, err := exec.Command("pdftotext", p, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = string(txt)
		default:
			out[e.Name()] = string(data)
		}
	}
	return out
}

// TestRedactProbe replays the redaction leak probe of the reliability
// review (testdata/redact-probe): load balancer paths and user names
// inside URLs are redacted, certificate thumbprints are keyed with a
// secret of the user's own (never an empty key anyone can recompute),
// created 0600 once, so reruns stay byte-identical on this machine.
func TestRedactProbe(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("COEXIST_REDACT_SALT", "")
	inputs := []string{filepath.Join("testdata", "redact-probe", "probe.toml"), filepath.Join("testdata", "redact-probe", "probe.csv")}
	plan := func(dir string) map[string]string {
		t.Helper()
		args := append(append([]string{"plan"}, inputs...), "--redact", "-o", dir)
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return outputText(t, dir)
	}
	first := plan(filepath.Join(t.TempDir(), "out"))
	const thumbprint = "A6F09430E29C884E100399DD0E049EF4BF8CBF0B"
	unkeyed := hmac.New(sha1.New, nil)
	unkeyed.Write([]byte(thumbprint))
	for _, secret := range []string{
		"fabrikam-secret-path",               // load balancer path
		"zelda", "link.hyrule", "ganon.dorf", // users, also inside URLs
		thumbprint, strings.ToUpper(hex.EncodeToString(unkeyed.Sum(nil))), // the unkeyed pseudonym
	} {
		re := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9])` + regexp.QuoteMeta(secret) + `($|[^A-Za-z0-9])`)
		for name, text := range first {
			if loc := re.FindStringIndex(text); loc != nil {
				lo, hi := max(0, loc[0]-40), min(len(text), loc[1]+40)
				t.Errorf("%s contains %q: …%s…", name, secret, text[lo:hi])
			}
		}
	}
	lbPaths := false // Exchange's /owa kept, the other a pseudonym
	for _, text := range first {
		lbPaths = lbPaths || strings.Contains(text, "/owa, /path-0001")
	}
	if !lbPaths {
		t.Errorf("no output lists the load balancer's paths as /owa, /path-0001")
	}

	keyFile := filepath.Join(config, "coexist", "redact-key")
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("redaction key %s: %v, %v; want a 0600 file", keyFile, st, err)
	}
	key, _ := os.ReadFile(keyFile)
	keyed := hmac.New(sha1.New, bytes.TrimSpace(key))
	keyed.Write([]byte(thumbprint))
	want := strings.ToUpper(hex.EncodeToString(keyed.Sum(nil)))
	found := false
	for _, text := range first {
		found = found || strings.Contains(text, want)
	}
	if !found {
		t.Errorf("no output holds the thumbprint pseudonym keyed with %s (%s)", keyFile, want)
	}
	if again := plan(filepath.Join(t.TempDir(), "out")); !maps.Equal(first, again) {
		t.Errorf("a rerun with the same key differs from the first run")
	}
}
