// Package text renders plain-text views for the terminal: the hop-by-hop
// explanation of "coexist path" and the rule list of "coexist rules".
package text

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/coexist/coexist/planner"
	"github.com/coexist/coexist/render/planjson"
)

// Explain writes one user's paths hop by hop, with the notes and the rule
// IDs and sources behind each decision.
func Explain(w io.Writer, p *planner.Plan, row int, paths []planjson.UserPath) error {
	m := p.Inv.Mailboxes[row]
	co := p.CohortOf(row)
	fmt.Fprintf(w, "%s: mailbox in %s on %s (Exchange %s, site %s)\n", m.Name, co.Mailbox.Database, co.Mailbox.Server, co.Mailbox.Version, co.Mailbox.Site)
	var attrs []string
	if co.Profile != "" {
		attrs = append(attrs, "client profile "+co.Profile)
	}
	if co.Namespace != "" {
		attrs = append(attrs, "namespace "+co.Namespace)
	}
	if len(co.Secondary) > 0 {
		attrs = append(attrs, "Full Access to mailboxes in "+strings.Join(co.Secondary, ", "))
	}
	attrs = append(attrs, "users with the same database, profile, namespace and Full Access targets share these paths")
	fmt.Fprintf(w, "  %s\n", strings.Join(attrs, "; "))
	var ids []string
	seen := map[string]bool{}
	for _, up := range paths {
		for _, id := range up.Rules {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	// The notes cite into the numbered source list at the end.
	bib := planner.NewBibliography(planner.RuleSources(ids))
	for _, up := range paths {
		pa := up.Path
		title := fmt.Sprintf("%s, %s", pa.Protocol, pa.Location)
		if pa.Secondary != "" {
			title += ", secondary mailbox in " + pa.Secondary + " on " + pa.Mailbox.Server
		}
		if pa.Entry != "" {
			title += ", entered as " + pa.Entry
		}
		fmt.Fprintf(w, "\n%s: %s\n", title, strings.ToUpper(pa.Outcome))
		if len(pa.Hops) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for i, h := range pa.Hops {
				auth := h.Auth
				if h.Refused != "" {
					auth += " REFUSED: " + h.Refused
				}
				fmt.Fprintf(tw, "  %d.\t%s → %s\t%s\t%s\tauth %s\n", i+1, h.From, h.To, h.Host, h.Action, auth)
			}
			tw.Flush()
		}
		for _, n := range pa.Notes {
			fmt.Fprintf(w, "  - %s\n", bib.Note(n))
		}
		if len(pa.Findings) > 0 {
			fmt.Fprintf(w, "  problem: %s\n", strings.Join(pa.Findings, ", "))
		}
		if len(pa.Rules) > 0 {
			fmt.Fprintf(w, "  rules: %s\n", strings.Join(pa.Rules, ", "))
		}
	}
	if len(ids) > 0 {
		fmt.Fprintf(w, "\nRules:\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, id := range ids {
			if r := planner.RuleByID(id); r != nil {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", id, r.Title, r.Basis(), bib.Cite(r.Sources))
			}
		}
		tw.Flush()
		writeBibliography(w, bib)
	}
	return nil
}

// writeBibliography lists numbered sources, one citation a line.
func writeBibliography(w io.Writer, bib *planner.Bibliography) {
	if len(bib.Entries) == 0 {
		return
	}
	fmt.Fprintf(w, "\nSources:\n")
	for i, s := range bib.Entries {
		fmt.Fprintf(w, "  [%d] %s\n", i+1, s.Citation())
	}
}

// Rules writes the rule list: ID, severity, basis, title and short
// citations into the numbered sources that follow. --long adds each rule's
// description, its remedy and its sources in full.
func Rules(w io.Writer, rules []*planner.Rule, long bool) error {
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	bib := planner.NewBibliography(planner.RuleSources(ids))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tSEVERITY\tBASIS\tTITLE\tSOURCES\n")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, planner.SeverityName(r.Severity), r.Basis(), r.Title, bib.Cite(r.Sources))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if long {
		for _, r := range rules {
			fmt.Fprintf(w, "\n%s — %s\n  %s\n", r.ID, r.Title, r.Doc)
			if r.Remedy != "" {
				fmt.Fprintf(w, "  Remedy: %s\n", r.Remedy)
			}
			fmt.Fprintf(w, "  Basis: %s\n", r.Basis())
			for _, s := range planner.SourcesOf(r.Sources) {
				fmt.Fprintf(w, "  [%d] %s\n", bib.Number(s.Key), s.Citation())
			}
		}
	}
	writeBibliography(w, bib)
	return nil
}

// RulesMarkdown writes the rule catalogue as Markdown (docs/rules.md): per
// area, every rule with its ID, title, severity, basis, what it checks,
// its remedy and its sources, then the numbered source list the rules
// cite. Findings carry the commands for their subject.
func RulesMarkdown(w io.Writer, rules []*planner.Rule) error {
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	bib := planner.NewBibliography(planner.RuleSources(ids))
	bw := &errWriter{w: w}
	bw.printf("# coexist rule catalogue\n\n")
	bw.printf("Generated from the rules in `planner/` by `go test ./render/text -update`; a test fails when this file is stale. ")
	bw.printf("Every rule cites numbered sources listed at the end. Basis: **documented** (Microsoft documentation, KB articles, Exchange Team Blog), ")
	bw.printf("**practitioner** (articles by consultants and administrators, not stated by Microsoft) or **inferred** (our reading of the sources: verify it for your estate). ")
	bw.printf("Severity is the rule's usual one (Blocking, Warning or Advisory); the description says when a case is raised or lowered.\n")
	area := ""
	for _, r := range rules {
		if r.Area() != area {
			area = r.Area()
			bw.printf("\n## %s\n", area)
		}
		bw.printf("\n### %s: %s\n\n", r.ID, mdEscape(r.Title))
		bw.printf("- Severity: %s\n- Basis: %s\n", planner.SeverityName(r.Severity), r.Basis())
		if cite := bib.Cite(r.Sources); cite != "" {
			var ns []int
			for _, s := range planner.SourcesOf(r.Sources) {
				ns = append(ns, bib.Number(s.Key))
			}
			sort.Ints(ns)
			var links []string
			for _, n := range ns {
				links = append(links, fmt.Sprintf("[%d](#source-%d)", n, n))
			}
			bw.printf("- Sources: %s\n", strings.Join(links, ", "))
		}
		bw.printf("\n%s\n", mdEscape(r.Doc))
		if r.Remedy != "" {
			bw.printf("\n**Remedy:** %s\n", mdEscape(r.Remedy))
		}
	}
	bw.printf("\n## Sources\n\n")
	for i, s := range bib.Entries {
		bw.printf("%d. <a id=\"source-%d\"></a>%s (%s)\n", i+1, i+1, mdEscape(s.Citation()), s.Kind)
	}
	return bw.err
}

// mdEscape keeps text literal in Markdown: characters that would start
// emphasis, links, HTML or tables are escaped.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "`", "\\`")
	return r.Replace(s)
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
