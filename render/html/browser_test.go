package html

// End-to-end tests: report.html and diff.html in headless Chromium. They
// need Debian's chromium package (.ci/run installs it); without a browser
// they skip with a message. COEXIST_CHROMIUM names another binary.

import (
	"context"
	"fmt"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/coexist/coexist/planner"
)

// chromiumPath finds a Chromium to drive, or skips the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("COEXIST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser tests skipped: no Chromium found (apt-get install chromium, or set COEXIST_CHROMIUM; .ci/run installs it)")
	return ""
}

// browser is one headless Chromium tab with everything it reported.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu         sync.Mutex
	dialogs    []string
	exceptions []string
	errors     []string // console and log errors (CSP violations among them)
	requests   []string
}

// newBrowser starts Chromium with the flags that keep it off the network
// (no QUIC, no background or component traffic, no sync) and a fresh
// profile, and opens one tab of the given size.
func newBrowser(t *testing.T, width, height int64) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(width), int(height)),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	b := &browser{t: t, ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			b.dialogs = append(b.dialogs, string(e.Type)+": "+e.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			b.exceptions = append(b.exceptions, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber+1, msg))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				b.errors = append(b.errors, "console.error")
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				b.errors = append(b.errors, string(e.Entry.Source)+": "+e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b.do(chromedp.EmulateViewport(width, height))
	return b
}

// do runs actions with a time limit.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// poll reports whether the JavaScript condition becomes true within d.
func (b *browser) poll(cond string, d time.Duration) bool {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Poll[chromedp.Void](cond)) == nil
}

// eval evaluates a JavaScript expression (promises are awaited).
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("eval %.80q: %v", js, err)
	}
	return v
}

// beforeLoad runs js in every page the tab opens, before the page's own
// scripts (and outside its Content-Security-Policy).
func (b *browser) beforeLoad(js string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		b.t.Fatalf("add script: %v", err)
	}
}

// open writes page into a temporary file and opens it by its file: URL.
func (b *browser) open(name string, html []byte) string {
	b.t.Helper()
	path := filepath.Join(b.t.TempDir(), name)
	if err := os.WriteFile(path, html, 0o644); err != nil {
		b.t.Fatal(err)
	}
	url := "file://" + path
	b.do(chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
	return url
}

// screenshot saves a PNG of the viewport (full: the whole page) to
// -html.out, or to the test's temporary directory.
func (b *browser) screenshot(name string, full bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	var png []byte
	var err error
	if full {
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	} else {
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if len(png) < 1000 {
		b.t.Fatalf("screenshot %s: only %d bytes", name, len(png))
	}
	keep(b.t, name, png)
}

// clean fails the test if the page raised a dialog or an exception, logged
// an error (a blocked script or a CSP violation) or fetched anything but
// its own file.
func (b *browser) clean(url string) {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) > 0 {
		b.t.Errorf("the page opened dialogs: %q", b.dialogs)
	}
	if len(b.exceptions) > 0 {
		b.t.Errorf("the page threw: %q", b.exceptions)
	}
	if len(b.errors) > 0 {
		b.t.Errorf("the page logged errors: %q", b.errors)
	}
	for _, r := range b.requests {
		if r != url && !strings.HasPrefix(r, url+"#") {
			b.t.Errorf("the page requested %q; want no request but the page itself", r)
		}
	}
}

func TestBrowserReport(t *testing.T) {
	b := newBrowser(t, 1440, 900)
	p := planOf(t, "s1-contoso.toml")
	html := render(t, input(t, p))
	keep(t, "s1-report.html", html)
	// Record what the copy buttons put on the clipboard.
	b.beforeLoad(`Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {writeText: t => { window.copiedText = t; return Promise.resolve(); }}});`)
	url := b.open("report.html", html)

	// Both scripts ran (the CSP hashes match) and listed the 4 users.
	if n := eval[int](b, `document.querySelectorAll('#results button.result').length`); n != 4 {
		t.Fatalf("got %d results before any search, want all 4 users", n)
	}
	b.screenshot("desktop-top.png", false)

	// Search "orange" by typing, pick it with the keyboard. Under heavy
	// load a synthetic keystroke can be lost; then the box is filled as a
	// paste would (an input event), which runs the same search code.
	b.do(
		chromedp.Click(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "orange"),
	)
	if !b.poll(`document.querySelectorAll('#results button.result').length === 1`, 15*time.Second) {
		t.Logf("typed search not applied (box %q, %d results): pasting instead",
			eval[string](b, `document.getElementById('q').value`), eval[int](b, `document.querySelectorAll('#results button.result').length`))
		eval[bool](b, `(() => { const q = document.getElementById('q'); q.focus(); q.value = 'orange'; q.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
	}
	b.do(
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#results button.result').length === 1`),
		chromedp.Focus(chromedp.CSS("#q")),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.Enter),
	)
	// Under heavy load a late search re-render can replace the focused
	// result before Enter lands; then open it with a click instead.
	if !b.poll(`document.querySelector('#user article.path') !== null`, 15*time.Second) {
		t.Logf("keyboard selection not applied (active element %q): clicking the result",
			eval[string](b, `document.activeElement ? document.activeElement.className : ''`))
		eval[bool](b, `(() => { document.querySelector('#results button.result').click(); return true; })()`)
	} else if got := eval[string](b, `document.activeElement.querySelector('.r-name') ? document.activeElement.querySelector('.r-name').textContent : ''`); got != "orange" {
		t.Errorf("focused result %q, want orange", got)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#user article.path`)))
	if got := eval[string](b, `document.getElementById('user-h').textContent`); got != "orange" {
		t.Errorf("user heading %q, want orange", got)
	}
	if got := eval[string](b, `location.hash`); got != "#user=orange" {
		t.Errorf("location.hash = %q, want #user=orange", got)
	}

	// OWA external: orange's own path starts at mail-region.contoso.com;
	// the path entered as mail.contoso.com is redirected there by MBX2016-1.
	type card struct {
		Entry, Title, First, Text string
		Hops                      []string
	}
	cards := eval[[]card](b, `Array.from(document.querySelectorAll('#user article.path[data-protocol=owa][data-location=external]')).map(c => ({
		Entry: c.dataset.entry, Title: c.querySelector('h5').textContent,
		First: c.querySelector('.edge-host').textContent, Text: c.innerText,
		Hops: Array.from(c.querySelectorAll('li.hop')).map(h => h.querySelector('.action').textContent + ' ' + h.querySelector('.auth').textContent + ' ' + h.querySelector('.edge-host').textContent + ' → ' + h.querySelector('.node').textContent)}))`)
	if len(cards) != 2 {
		t.Fatalf("got %d OWA external paths, want 2: %+v", len(cards), cards)
	}
	own, entered := cards[0], cards[1]
	if own.Entry != "" || entered.Entry != "mail.contoso.com" {
		t.Fatalf("OWA external entries %q and %q, want \"\" and mail.contoso.com", own.Entry, entered.Entry)
	}
	if own.First != "mail-region.contoso.com" || !strings.Contains(own.Title, "entered as mail-region.contoso.com") {
		t.Errorf("own OWA path: title %q, first host %q; want it entered at mail-region.contoso.com", own.Title, own.First)
	}
	wantHops := []string{"connect forms (FBA) mail.contoso.com → LB1", "load balancer forms (FBA) mbx2016-1.contoso.com → MBX2016-1", "silent redirect forms (FBA) mail-region.contoso.com → CAS2010-2"}
	if !strings.Contains(entered.Title, "entered as mail.contoso.com") || fmt.Sprint(entered.Hops) != fmt.Sprint(wantHops) {
		t.Errorf("OWA entered as mail.contoso.com: title %q, hops %q; want hops %q", entered.Title, entered.Hops, wantHops)
	}
	for _, c := range cards {
		if !strings.Contains(c.Text, "OK") {
			t.Errorf("OWA path %q shows no outcome word: %q", c.Title, c.Text)
		}
	}

	// A rule's title and source on hover (title) and click (panel).
	sel := `#user article.path[data-protocol=owa][data-location=external][data-entry="mail.contoso.com"] button.rule`
	tip := eval[string](b, `Array.from(document.querySelectorAll('`+sel+`')).map(b => b.title).join('\n')`)
	if !strings.Contains(tip, "PATH-OWA-REDIRECT: ") || !strings.Contains(tip, "sources [") {
		t.Errorf("rule titles %q lack PATH-OWA-REDIRECT and its source", tip)
	}
	b.do(chromedp.Click(`//article[@data-entry="mail.contoso.com" and @data-protocol="owa" and @data-location="external"]//button[text()="PATH-OWA-REDIRECT"]`))
	info := eval[string](b, `(() => { const b = document.querySelector('`+sel+`[aria-expanded=true]'); return b ? document.getElementById(b.getAttribute('aria-controls')).innerText : ''; })()`)
	if !strings.Contains(info, "PATH-OWA-REDIRECT") || !strings.Contains(info, "Sources: [") {
		t.Errorf("rule panel %q, want PATH-OWA-REDIRECT with its source", info)
	}
	b.screenshot("desktop-orange.png", false)
	b.do(chromedp.EmulateViewport(1280, 720))
	b.screenshot("laptop-orange.png", false)
	b.do(chromedp.EmulateViewport(1440, 900))

	// Every control has a name, and headings do not skip levels.
	unnamed := eval[[]string](b, `Array.from(document.querySelectorAll('input, select, button, a[href]')).filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim() && !e.title).map(e => e.outerHTML.slice(0, 80))`)
	if len(unnamed) > 0 {
		t.Errorf("controls without an accessible name: %q", unnamed)
	}
	skips := eval[[]string](b, `(() => { let last = 0; const out = []; document.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach(h => { const n = +h.tagName[1]; if (n > last + 1) out.push(h.tagName + ' ' + h.textContent.slice(0, 40) + ' after h' + last); last = n; }); return out; })()`)
	if len(skips) > 0 {
		t.Errorf("heading levels skip: %q", skips)
	}

	// A #user= link opens that user.
	b.do(chromedp.Evaluate[chromedp.Void](`location.hash = '#user=purple', undefined`),
		chromedp.Poll[chromedp.Void](`document.getElementById('user-h') && document.getElementById('user-h').textContent === 'purple'`))

	// Search by site finds users by their cohort.
	b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('q').value = '', undefined`), chromedp.SendKeys(chromedp.CSS("#q"), "site1"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#results button.result').length === 2`))
	if got := eval[string](b, `Array.from(document.querySelectorAll('#results .r-name')).map(e => e.textContent).join(',')`); got != "purple,red" {
		t.Errorf("users of Site1: %q, want purple,red", got)
	}

	// Search by a server on the paths: CAS2010-1 serves red's mailbox
	// (Site1) behind the 2016 front door, so red's users depend on it;
	// the users whose paths never pass it are not listed.
	var viaCAS []string
	for row, m := range p.Inv.Mailboxes {
		co := p.CohortOf(row)
		hit := strings.Contains(strings.ToLower(co.Mailbox.Server+" "+co.Database+" "+co.Profile+" "+co.Namespace), "cas2010-1")
		for _, pa := range co.Paths {
			for _, h := range pa.Hops {
				hit = hit || strings.Contains(strings.ToLower(h.From+" "+h.To+" "+h.Host), "cas2010-1")
			}
		}
		if hit {
			viaCAS = append(viaCAS, m.Name)
		}
	}
	slices.SortFunc(viaCAS, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	b.do(chromedp.Evaluate[chromedp.Void](`(() => { const q = document.getElementById('q'); q.value = 'cas2010-1'; q.dispatchEvent(new Event('input', {bubbles: true})); })()`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#results button.result').length > 0 && document.getElementById('q-status').textContent.includes('cas2010-1')`))
	got := eval[[]string](b, `Array.from(document.querySelectorAll('#results .r-name')).map(e => e.textContent)`)
	if len(viaCAS) == 0 || !slices.Contains(got, "red") || fmt.Sprint(got) != fmt.Sprint(viaCAS) {
		t.Errorf("users whose paths pass CAS2010-1: got %q, viaCAS %q (with red)", got, viaCAS)
	}
	// Moving through the results with the keyboard shows each one: the
	// highlighted result and the user shown are always the same.
	if len(got) > 1 {
		b.do(chromedp.Focus(chromedp.CSS("#q")), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
		if !b.poll(`document.getElementById('user-h') && document.activeElement.querySelector && document.activeElement.querySelector('.r-name') && document.getElementById('user-h').textContent === document.activeElement.querySelector('.r-name').textContent`, 15*time.Second) {
			t.Errorf("after arrowing to %q the page shows %q", eval[string](b, `document.activeElement.textContent`), eval[string](b, `document.getElementById('user-h').textContent`))
		}
	}

	// Findings: filter by severity, then by subject.
	visible := `Array.from(document.querySelectorAll('tr.finding')).filter(r => !r.hidden).map(r => r.dataset.rule).join(',')`
	// Expected rows follow the plan's findings (severity, rule, subject).
	rows := func(keep func(f planner.Finding) bool) string {
		var ids []string
		for _, f := range p.Findings {
			if keep(f) {
				ids = append(ids, f.ID)
			}
		}
		return strings.Join(ids, ",")
	}
	all := rows(func(planner.Finding) bool { return true })
	if got := eval[string](b, visible); got != all || !strings.Contains(got, "NS-MAPI-LB") || !strings.Contains(got, "LIFE-EXCHANGE") {
		t.Fatalf("findings %q, want %q", got, all)
	}
	b.do(chromedp.Click(chromedp.CSS(`.sev-filter input[value=error]`)))
	noErr := rows(func(f planner.Finding) bool { return f.Severity != planner.SevError })
	if got := eval[string](b, visible); got != noErr || strings.Contains(got, "NS-MAPI-LB") {
		t.Errorf("findings without errors %q, want %q", got, noErr)
	}
	b.do(chromedp.SetValue(chromedp.CSS("#f-subject"), "CAS2010-1"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('f-subject').dispatchEvent(new Event('change')), undefined`))
	ofCAS := rows(func(f planner.Finding) bool { return f.Severity != planner.SevError && f.Subject == "CAS2010-1" })
	if got := eval[string](b, visible); got != ofCAS || !strings.Contains(got, "NS-POPIMAP-FQDN") {
		t.Errorf("findings of CAS2010-1 %q, want %q", got, ofCAS)
	}
	if got, want := eval[string](b, `document.getElementById('f-status').textContent`), fmt.Sprintf("Showing %d of %d findings (filtered).", len(strings.Split(ofCAS, ",")), len(p.Findings)); got != want {
		t.Errorf("filter status %q, want %q", got, want)
	}
	b.do(chromedp.ScrollIntoView(chromedp.CSS("#findings")))
	b.screenshot("desktop-findings-filtered.png", false)

	// Copy: the button copies the whole remediation.
	b.do(chromedp.Click(chromedp.CSS(`tr.finding:not([hidden]) button.copy`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('tr.finding:not([hidden]) button.copy').textContent !== 'Copy'`))
	if got := eval[string](b, `document.querySelector('tr.finding:not([hidden]) button.copy').textContent`); got != "Copied" {
		t.Errorf("copy button says %q after a click, want Copied", got)
	}
	var want string
	for _, f := range p.Findings {
		if f.Severity != planner.SevError && f.Subject == "CAS2010-1" {
			want = f.Remediation // the first row shown
			break
		}
	}
	if got := eval[string](b, `window.copiedText`); got != want {
		t.Errorf("copied %q, want the remediation %q", got, want)
	}
	b.do(chromedp.Click(chromedp.CSS("#f-reset")))
	if got := eval[int](b, `document.querySelectorAll('tr.finding:not([hidden])').length`); got != len(p.Findings) {
		t.Errorf("after reset %d findings shown, want %d", got, len(p.Findings))
	}

	// The whole page at desktop and laptop widths; nothing overflows.
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1440, 900}, {"laptop", 1280, 720}} {
		b.do(chromedp.EmulateViewport(size.w, size.h))
		if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("%s: the page is %dpx wider than the window", size.name, over)
		}
		b.screenshot(size.name+"-full.png", true)
		for _, id := range []string{"summary", "topology", "users", "findings", "flows", "rules"} {
			b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('` + id + `').scrollIntoView(), undefined`))
			b.screenshot(size.name+"-"+id+".png", false)
		}
	}
	// Print: the controls go, the selected user's paths and every
	// finding stay, and the flow diagrams open.
	b.do(chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('beforeprint')), undefined`))
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(703, 1000)) // A4 less the page margins, at 96 dpi
	hidden := eval[[]string](b, `['.tabs', '.search-row', '.filters', 'button.copy', '.path-filters', '.results-pane'].filter(s => { const e = document.querySelector(s); return e && getComputedStyle(e).display !== 'none'; })`)
	if len(hidden) > 0 {
		t.Errorf("print shows controls: %q", hidden)
	}
	if n := eval[int](b, `Array.from(document.querySelectorAll('details.flow')).filter(d => d.open).length`); n != len(eval[[]string](b, `Array.from(document.querySelectorAll('details.flow')).map(d => d.id)`)) {
		t.Errorf("print opens %d flow diagrams, want all", n)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0), undefined`))
	b.screenshot("print-top.png", false)
	b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('users').scrollIntoView(), undefined`))
	b.screenshot("print-users.png", false)
	if _, err := chromedp.Call(b.ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Call(b.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(true)})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	keep(t, "print.pdf", pdf.Data)
	b.do(chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('afterprint')), undefined`))
	b.clean(url)
}

func ptr[T any](v T) *T { return &v }

// TestBrowserHostileNames: names from the inventory cannot run script,
// neither through the page data nor through the diagrams.
func TestBrowserHostileNames(t *testing.T) {
	const user = `</script><script>alert(1)</script>`
	const server = `<img src=x onerror=alert(1)>`
	p := hostilePlan(t, user, server)
	in := input(t, p)
	// A diagram with what a careless renderer could produce.
	in.Flows["owa"] = []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200pt" height="60pt" viewBox="0 0 200 60" onload="alert(2)">` +
		`<script>alert(3)</script><a xlink:href="javascript:alert(4)"><text x="10" y="20" onclick="alert(5)">` + strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(server) + `</text></a>` +
		`<image href="http://example.com/x.png"/><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(6)"/></div></foreignObject></svg>`)
	b := newBrowser(t, 1440, 900)
	html := render(t, in)
	keep(t, "hostile-report.html", html)
	url := b.open("report.html", html)
	b.do(chromedp.SendKeys(chromedp.CSS("#q"), "alert"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#results button.result').length >= 1`),
		chromedp.Click(chromedp.CSS(`#results button.result`)),
		chromedp.WaitVisible(chromedp.CSS(`#user article.path`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true), undefined`),
		chromedp.Sleep(300*time.Millisecond),
	)
	if got := eval[string](b, `document.getElementById('user-h').textContent`); got != user {
		t.Errorf("user heading %q, want the name shown literally: %q", got, user)
	}
	if !strings.Contains(eval[string](b, `document.getElementById('user').innerText`), server) {
		t.Errorf("the user's paths do not show the server name %q literally", server)
	}
	if !strings.Contains(eval[string](b, `document.getElementById('flow-owa').innerText`), server) {
		t.Errorf("the OWA diagram does not show %q literally", server)
	}
	if n := eval[int](b, `document.scripts.length`); n != 3 {
		t.Errorf("%d script elements, want 3 (data, common.js, report.js)", n)
	}
	bad := eval[[]string](b, `Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes).filter(a => /^on/i.test(a.name) || /javascript:/i.test(a.value) || (/href$/i.test(a.name) && !a.value.startsWith('#') && !e.classList.contains('src-link'))).map(a => e.tagName + ' ' + a.name + '=' + a.value))`)
	if len(bad) > 0 {
		t.Errorf("elements with handlers or external links: %q", bad)
	}
	// The only outside links are the bibliography's own addresses.
	known := map[string]bool{}
	for _, s := range planner.Sources() {
		known[s.URL] = true
	}
	for _, href := range eval[[]string](b, `Array.from(document.querySelectorAll('a.src-link')).map(a => a.getAttribute('href'))`) {
		// html/template escapes "(" and ")" as %28 and %29.
		if u, err := neturl.PathUnescape(href); err != nil || !known[u] {
			t.Errorf("source link %q is not a bibliography address", href)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('img, image, foreignObject, iframe, object, embed').length`); n != 0 {
		t.Errorf("%d img/image/foreignObject elements, want none", n)
	}
	b.clean(url)
}

// TestBrowserLongNames: long user, server and host names wrap inside
// their boxes instead of widening the page.
func TestBrowserLongNames(t *testing.T) {
	const user = "Alexandria.Konstantinopoulou-Vanderbilt-Featherstonehaugh.Marketing.EMEA@contoso-international-holdings.example"
	p := renamedPlan(t, `"red"`, `"`+user+`"`, "MBX2016-1", "MBX2016-PRODUCTION-DATACENTER-FRANKFURT-01",
		"mail.contoso.com", "webmail.europe-west.production.contoso-international-holdings.example")
	html := render(t, input(t, p))
	keep(t, "long-report.html", html)
	b := newBrowser(t, 1280, 720)
	url := b.open("report.html", html)
	b.do(chromedp.SendKeys(chromedp.CSS("#q"), "alexandria"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#results button.result').length === 1`),
		chromedp.Click(chromedp.CSS(`#results button.result`)),
		chromedp.WaitVisible(chromedp.CSS(`#user article.path`)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('users').scrollIntoView(), undefined`))
	for _, size := range []struct {
		name string
		w, h int64
	}{{"laptop", 1280, 720}, {"desktop", 1440, 900}} {
		b.do(chromedp.EmulateViewport(size.w, size.h))
		if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("%s: the page is %dpx wider than the window", size.name, over)
		}
		wide := eval[[]string](b, `Array.from(document.querySelectorAll('#user *, #results *, #findings td *')).filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && !e.closest('.matrix-wrap, .table-wrap, svg')).slice(0, 5).map(e => e.tagName + '.' + e.className)`)
		if len(wide) > 0 {
			t.Errorf("%s: content spills out of %q", size.name, wide)
		}
		b.screenshot(size.name+"-long-names.png", false)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#user article.path[data-protocol=owa][data-location=external]').scrollIntoView(), undefined`))
	b.screenshot("desktop-long-names-owa.png", false)
	b.clean(url)
}

func TestBrowserDiff(t *testing.T) {
	before := planOf(t, "s1-contoso.toml", "variants/s1-before.toml")
	after := planOf(t, "s1-contoso.toml")
	d := planner.Compare(before, after)
	d.Edits = []string{"1. move mail.contoso.com and autodiscover.contoso.com from CAS2010-1 to MBX2016-1/2 behind LB1"}
	html := renderDiff(t, DiffInput{Diff: d})
	keep(t, "s1-diff.html", html)
	b := newBrowser(t, 1440, 900)
	url := b.open("diff.html", html)
	if got := eval[int](b, `document.querySelectorAll('article.change').length`); got != len(d.Changes) {
		t.Errorf("%d changes shown, want %d", got, len(d.Changes))
	}
	if got := eval[int](b, `document.querySelectorAll('article.change .side').length`); got != 2*len(d.Changes) {
		t.Errorf("%d sides, want before and after for each of %d changes", got, len(d.Changes))
	}
	// The sides sit side by side.
	if got := eval[bool](b, `(() => { const s = document.querySelectorAll('article.change .side'); if (s.length < 2) return false; const a = s[0].getBoundingClientRect(), c = s[1].getBoundingClientRect(); return Math.abs(a.top - c.top) < 2 && c.left > a.right - 2; })()`); !got {
		t.Error("before and after are not side by side at 1440px")
	}
	b.screenshot("diff-desktop-full.png", true)
	b.do(chromedp.EmulateViewport(1280, 720))
	if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Errorf("laptop: the diff page is %dpx wider than the window", over)
	}
	b.screenshot("diff-laptop.png", false)
	for _, id := range []string{"changes", "steps", "findings"} {
		b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('` + id + `').scrollIntoView(), undefined`))
		b.screenshot("diff-laptop-"+id+".png", false)
	}
	b.clean(url)
}

// TestBrowserLarge opens the page of a 100,000-user estate and checks that
// it loads and searches quickly.
func TestBrowserLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large estate: skipped with -short")
	}
	b := newBrowser(t, 1440, 900)
	p := syntheticPlan(t, 100000)
	html := render(t, Input{Plan: p})
	t.Logf("report.html for %d users: %d bytes (%.1f MB)", len(p.Inv.Mailboxes), len(html), float64(len(html))/1e6)
	start := time.Now()
	url := b.open("large.html", html)
	b.do(chromedp.Poll[chromedp.Void](`document.querySelectorAll('#results button.result').length === 50`))
	load := time.Since(start)
	ms := eval[float64](b, `(async () => {
		const q = document.getElementById('q'), t0 = performance.now();
		q.value = 'user00999'; q.dispatchEvent(new Event('input'));
		const r = document.getElementById('results');
		while (!(r.children.length > 0 && r.children.length <= 50 && r.querySelector('.r-name').textContent.startsWith('user00999'))) await new Promise(f => setTimeout(f, 5));
		return performance.now() - t0; })()`)
	t.Logf("open and first list: %v; search of 100,000 names: %.0f ms (with the 120 ms typing pause)", load.Round(time.Millisecond), ms)
	if load > 15*time.Second || ms > 2000 {
		t.Errorf("too slow: open %v, search %.0f ms", load, ms)
	}
	b.do(chromedp.Click(chromedp.CSS(`#results button.result`)), chromedp.WaitVisible(chromedp.CSS(`#user article.path`)))
	b.screenshot("large-user.png", false)
	b.clean(url)
}
