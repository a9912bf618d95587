package text

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coexist/coexist/planner"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rules")

// TestRulesCatalogueCurrent: docs/rules.md is what RulesMarkdown writes
// for the rules as they are (go test ./render/text -update rewrites it),
// and it gives every rule's remedy.
func TestRulesCatalogueCurrent(t *testing.T) {
	var b bytes.Buffer
	if err := RulesMarkdown(&b, planner.Rules()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "rules.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatal("docs/rules.md is stale: run go test ./render/text -update and commit it")
	}
	for _, r := range planner.Rules() {
		if !strings.Contains(b.String(), "### "+r.ID+": ") {
			t.Errorf("docs/rules.md lacks %s", r.ID)
		}
		if r.Remedy == "" || !strings.Contains(b.String(), "**Remedy:** "+mdEscape(r.Remedy)+"\n") {
			t.Errorf("docs/rules.md lacks the remedy of %s", r.ID)
		}
	}
}
