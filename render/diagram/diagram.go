// Package diagram writes the Graphviz DOT text of coexist's diagrams: the
// topology (AD sites as clusters, servers coloured by version, namespaces
// and load balancers) and one flow diagram per protocol (a lane per user
// cohort: client → front door → proxy or redirect → target, with actions
// and authentication on the edges, broken hops in red). It only writes
// text; render/graphviz lays it out. Output is deterministic: everything
// is emitted in sorted order and every name is escaped, since names come
// from customer data.
package diagram

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
)

// Font is the font every diagram uses; Graphviz measures text with its
// built-in Helvetica metrics, which the PDF renderer matches.
const Font = "Helvetica"

// MaxLanes caps the cohorts drawn in a flow diagram; the rest are
// summarised in a note (the workbook has every user).
var MaxLanes = 40

// versionStyle is the palette of Exchange versions: light fills with a
// darker border, distinguishable without colour vision (labels always name
// the version too), and never the orange or red that mark warnings and
// broken paths.
var versionStyle = map[model.Version]struct{ fill, border string }{
	model.V2007: {"#E7DFD5", "#8D6E63"},
	model.V2010: {"#CFE3F5", "#3D7DBF"},
	model.V2013: {"#E3D5EF", "#7E57A6"},
	model.V2016: {"#CFEBD8", "#2E8B57"},
	model.V2019: {"#D2EEF0", "#00838F"},
}

// Load balancer style: a hexagon in neutral slate.
const (
	lbFill   = "#FFFFFF"
	lbBorder = "#546E7A"
)

func styleOf(v model.Version) (fill, border string) {
	if s, ok := versionStyle[v]; ok {
		return s.fill, s.border
	}
	return "#EEEEEE", "#777777"
}

// Outcome colours of flow edges.
const (
	colBroken  = "#C62828"
	colWarning = "#E08600"
	colOK      = "#455A64"
)

// q quotes s as a DOT string: backslashes and quotes escaped, line breaks
// turned into DOT's \n, other control characters dropped. Nothing in s can
// end the string or add attributes.
func q(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// label joins lines into one DOT label (each line escaped).
func label(lines ...string) string {
	var parts []string
	for _, l := range lines {
		if l != "" {
			parts = append(parts, strings.ReplaceAll(l, "\n", " "))
		}
	}
	return q(strings.Join(parts, "\n"))
}

func header(b *strings.Builder, name, title string) {
	fmt.Fprintf(b, "digraph %s {\n", q(name))
	fmt.Fprintf(b, "  graph [rankdir=LR, fontname=%s, fontsize=11, labelloc=t, labeljust=l, label=%s, nodesep=0.25, ranksep=0.55, pad=0.2, bgcolor=\"white\"];\n", q(Font), q(title))
	fmt.Fprintf(b, "  node [fontname=%s, fontsize=9, shape=box, style=\"rounded,filled\", fillcolor=\"white\", color=\"#607D8B\", penwidth=1, margin=\"0.12,0.06\"];\n", q(Font))
	fmt.Fprintf(b, "  edge [fontname=%s, fontsize=8, color=%q, fontcolor=\"#37474F\", arrowsize=0.6, penwidth=1];\n", q(Font), colOK)
}

func rolesShort(s *model.Server) string {
	var r []string
	for _, x := range s.Roles {
		switch model.Key(x) {
		case "clientaccess":
			r = append(r, "CAS")
		case "mailbox":
			r = append(r, "MBX")
		case "hubtransport":
			r = append(r, "HUB")
		case "edge", "edgetransport":
			r = append(r, "Edge")
		case "unifiedmessaging":
			r = append(r, "UM")
		}
	}
	return strings.Join(r, " · ")
}

// Topology returns the DOT of the organisation: sites as clusters,
// servers with version and update level, namespaces and load balancers.
func Topology(p *planner.Plan) []byte {
	var b strings.Builder
	header(&b, "topology", p.Organization+": sites, servers and namespaces")
	errs := map[string]int{}
	for _, f := range p.Findings {
		if f.Severity == planner.SevError {
			errs[model.Key(f.Subject)]++
		}
	}
	servers := p.Topo.Servers()
	bySite := map[string][]*model.Server{}
	for _, s := range servers {
		bySite[model.Key(s.Site)] = append(bySite[model.Key(s.Site)], s)
	}
	sites := append([]model.Site(nil), p.Inv.Sites...)
	sort.Slice(sites, func(i, j int) bool { return model.Key(sites[i].Name) < model.Key(sites[j].Name) })
	versions := map[model.Version]bool{}
	outOfService := false
	// Large estates: lay each site's servers out in a grid of at most
	// gridRows rows, and the sites themselves in columns of sitesPerColumn,
	// with invisible edges (in rankdir=LR an edge moves its head one rank
	// right), so fifty servers make a page-shaped diagram, not a tower.
	large := len(servers) > 24
	const gridRows, sitesPerColumn = 4, 6
	var anchors []string
	for i, site := range sites {
		if large {
			if ss := bySite[model.Key(site.Name)]; len(ss) > 0 {
				anchors = append(anchors, "srv:"+ss[0].Name)
				for j := gridRows; j < len(ss); j++ {
					fmt.Fprintf(&b, "  %s -> %s [style=invis];\n", q("srv:"+ss[j-gridRows].Name), q("srv:"+ss[j].Name))
				}
			} else {
				anchors = append(anchors, "")
			}
		}
		fmt.Fprintf(&b, "  subgraph %s {\n", q(fmt.Sprintf("cluster_site_%d", i)))
		siteLabel := "AD site " + site.Name
		if ext := internetFacing(bySite[model.Key(site.Name)]); len(ext) > 0 {
			siteLabel += "\nInternet-facing: " + strings.Join(ext, ", ")
		}
		fmt.Fprintf(&b, "    label=%s; style=\"rounded,filled\"; fillcolor=\"#F5F7FA\"; color=\"#B0BEC5\"; fontsize=11; fontcolor=\"#263238\";\n", q(siteLabel))
		for _, s := range bySite[model.Key(site.Name)] {
			v := s.Parsed.Version()
			versions[v] = true
			fill, border := styleOf(v)
			lines := []string{s.Name, s.Parsed.Name(), rolesShort(s)}
			attrs := fmt.Sprintf("fillcolor=%q, color=%q", fill, border)
			if s.IsOutOfService {
				outOfService = true
				lines = append(lines, "out of service")
				attrs = `fillcolor="#ECEFF1", color="#90A4AE", style="rounded,filled,dashed", fontcolor="#607D8B"`
			}
			if n := errs[model.Key(s.Name)]; n > 0 {
				lines = append(lines, fmt.Sprintf("! %d blocking finding%s", n, plural(n)))
				attrs += fmt.Sprintf(", color=%q, penwidth=2", colBroken)
			}
			fmt.Fprintf(&b, "    %s [label=%s, %s];\n", q("srv:"+s.Name), label(lines...), attrs)
		}
		b.WriteString("  }\n")
	}
	for i := sitesPerColumn; large && i < len(anchors); i++ {
		if anchors[i] != "" && anchors[i-sitesPerColumn] != "" {
			fmt.Fprintf(&b, "  %s -> %s [style=invis, minlen=%d];\n", q(anchors[i-sitesPerColumn]), q(anchors[i]), 4)
		}
	}
	lbs := append([]model.LoadBalancer(nil), p.Inv.LoadBalancers...)
	sort.Slice(lbs, func(i, j int) bool { return model.Key(lbs[i].Name) < model.Key(lbs[j].Name) })
	for _, lb := range lbs {
		paths := "passes all paths"
		if len(lb.Paths) > 0 {
			paths = "passes " + strings.Join(lb.Paths, " ")
			if len(paths) > 60 {
				paths = fmt.Sprintf("passes %d paths", len(lb.Paths))
			}
			mapi := false
			for _, x := range lb.Paths {
				mapi = mapi || strings.EqualFold(strings.TrimSuffix(strings.TrimSuffix(x, "*"), "/"), "/mapi")
			}
			if !mapi {
				paths += " (not /mapi)"
			}
		}
		fmt.Fprintf(&b, "  %s [label=%s, shape=hexagon, style=filled, fillcolor=%q, color=%q];\n", q("lb:"+lb.Name), label(lb.Name, "load balancer", paths), lbFill, lbBorder)
		for _, m := range lb.Members {
			if s := p.Topo.Server(m); s != nil {
				fmt.Fprintf(&b, "  %s -> %s [style=dotted, arrowhead=none, color=%q];\n", q("lb:"+lb.Name), q("srv:"+s.Name), lbBorder)
			}
		}
	}
	nss := append([]model.Namespace(nil), p.Inv.Namespaces...)
	sort.Slice(nss, func(i, j int) bool { return model.Key(nss[i].FQDN) < model.Key(nss[j].FQDN) })
	for _, ns := range nss {
		fmt.Fprintf(&b, "  %s [label=%s, shape=note, style=filled, fillcolor=\"white\", color=\"#78909C\"];\n", q("ns:"+model.Key(ns.FQDN)), label(ns.FQDN))
		emit := func(targets []string, tag, style string) {
			for _, t := range targets {
				id := ""
				if s := p.Topo.Server(t); s != nil {
					id = "srv:" + s.Name
				} else if lb := p.Index.LoadBalancer(t); lb != nil {
					id = "lb:" + lb.Name
				}
				if id != "" {
					fmt.Fprintf(&b, "  %s -> %s [label=%s, style=%s];\n", q("ns:"+model.Key(ns.FQDN)), q(id), q(tag), style)
				}
			}
		}
		emit(ns.External, "ext", "solid")
		emit(ns.Internal, "int", "dashed")
	}
	legend(&b, versions, len(lbs) > 0, outOfService, len(errs) > 0)
	b.WriteString("}\n")
	return []byte(b.String())
}

// legend writes the topology's legend: every style the diagram uses.
func legend(b *strings.Builder, versions map[model.Version]bool, lbs, outOfService, blocking bool) {
	b.WriteString("  subgraph \"cluster_legend\" {\n    label=\"Legend\"; style=\"rounded\"; color=\"#CFD8DC\"; fontsize=10;\n")
	var vs []model.Version
	for v := range versions {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	// Unconnected nodes share the first rank, one column that rankdir=LR
	// stacks bottom-up: collect the items and write them in reverse.
	var items []string
	item := func(id, attrs string) { items = append(items, fmt.Sprintf("    %s [%s];\n", q(id), attrs)) }
	for _, v := range vs {
		fill, border := styleOf(v)
		item(fmt.Sprintf("legend:%d", v), fmt.Sprintf("label=%s, fillcolor=%q, color=%q", q("Exchange "+v.String()), fill, border))
	}
	if lbs {
		item("legend:lb", fmt.Sprintf("label=\"load balancer\\n(dotted line: member)\", shape=hexagon, style=filled, fillcolor=%q, color=%q", lbFill, lbBorder))
	}
	if outOfService {
		item("legend:oos", `label="out of service\n(IsOutOfService)", fillcolor="#ECEFF1", color="#90A4AE", style="rounded,filled,dashed", fontcolor="#607D8B"`)
	}
	if blocking {
		item("legend:err", fmt.Sprintf(`label="server with\nblocking findings", color=%q, penwidth=2`, colBroken))
	}
	item("legend:ns", `label="namespace (DNS name)", shape=note, style=filled, fillcolor="white", color="#78909C"`)
	item("legend:edges", `label="name → target: ext (solid) = external DNS,\lint (dashed) = internal DNS\lInternet-facing: virtual directories\lwith an ExternalUrl in that site\l", shape=plaintext, style=""`)
	for i := len(items) - 1; i >= 0; i-- {
		b.WriteString(items[i])
	}
	b.WriteString("  }\n")
}

// internetFacing lists the client protocols for which some server of a
// site has an ExternalUrl: what makes 2010 redirect rather than proxy.
func internetFacing(servers []*model.Server) []string {
	var out []string
	for _, x := range []struct {
		name string
		vd   func(*model.Server) *model.VirtualDir
	}{
		{"OWA", func(s *model.Server) *model.VirtualDir { return &s.OWA }},
		{"EAS", func(s *model.Server) *model.VirtualDir { return &s.EAS }},
		{"EWS", func(s *model.Server) *model.VirtualDir { return &s.EWS }},
		{"OAB", func(s *model.Server) *model.VirtualDir { return &s.OAB }},
		{"MAPI", func(s *model.Server) *model.VirtualDir { return &s.MAPI }},
	} {
		for _, s := range servers {
			if x.vd(s).ExternalURL != "" && !s.IsOutOfService {
				out = append(out, x.name)
				break
			}
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// FlowProtocols returns the protocols with at least one applicable path,
// in planner.Protocols order.
func FlowProtocols(p *planner.Plan) []string {
	var out []string
	for _, proto := range planner.Protocols {
		found := false
		for _, c := range p.Cohorts {
			for _, pa := range c.Paths {
				if pa.Protocol == proto && pa.Outcome != planner.OutcomeNotApplicable {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if found {
			out = append(out, proto)
		}
	}
	return out
}

// lanes returns the cohorts to draw: those with an applicable path for
// the protocol, problem cohorts first, then the largest; at most MaxLanes.
func lanes(p *planner.Plan, proto string) (shown []*planner.Cohort, moreCohorts, moreUsers int) {
	type ranked struct {
		c     *planner.Cohort
		worst int
	}
	var all []ranked
	for _, c := range p.Cohorts {
		worst, any := 0, false
		for _, pa := range c.Paths {
			if pa.Protocol != proto || pa.Outcome == planner.OutcomeNotApplicable {
				continue
			}
			any = true
			switch pa.Outcome {
			case planner.OutcomeBroken:
				worst = max(worst, 2)
			case planner.OutcomeWarning:
				worst = max(worst, 1)
			}
		}
		if any {
			all = append(all, ranked{c, worst})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].worst != all[j].worst {
			return all[i].worst > all[j].worst
		}
		if len(all[i].c.Users) != len(all[j].c.Users) {
			return len(all[i].c.Users) > len(all[j].c.Users)
		}
		return all[i].c.ID < all[j].c.ID
	})
	for i, r := range all {
		if i < MaxLanes {
			shown = append(shown, r.c)
			continue
		}
		moreCohorts++
		moreUsers += len(r.c.Users)
	}
	return shown, moreCohorts, moreUsers
}

// Flows returns the DOT of one protocol's paths: a lane per cohort.
func Flows(p *planner.Plan, proto string) []byte {
	var b strings.Builder
	header(&b, "flows-"+proto, fmt.Sprintf("%s: %s paths per user cohort (solid = proxy/connect, dashed = redirect; red = broken, orange = warning)", p.Organization, proto))
	shown, moreC, moreU := lanes(p, proto)
	// With rankdir=LR Graphviz stacks clusters bottom-up: emit the lanes
	// in reverse so the first lane is drawn at the top.
	for i := len(shown) - 1; i >= 0; i-- {
		c := shown[i]
		lane := fmt.Sprintf("c%d", c.ID)
		users := fmt.Sprintf("%d user%s", len(c.Users), plural(len(c.Users)))
		title := fmt.Sprintf("Cohort %d · %s · %s on %s (Exchange %s, %s)", c.ID, users, c.Database, c.Mailbox.Server, c.Mailbox.Version, c.Mailbox.Site)
		if len(title) > 110 {
			title = title[:107] + "…"
		}
		fmt.Fprintf(&b, "  subgraph %s {\n", q("cluster_"+lane))
		fmt.Fprintf(&b, "    label=%s; style=\"rounded,filled\"; fillcolor=\"#FAFBFC\"; color=\"#CFD8DC\"; fontsize=9;\n", q(title))
		paths := append([]planner.Path(nil), c.Paths...)
		sort.SliceStable(paths, func(i, j int) bool {
			a, z := paths[i], paths[j]
			if a.Location != z.Location {
				return a.Location > z.Location // external first
			}
			if a.Secondary != z.Secondary {
				return a.Secondary < z.Secondary
			}
			return a.Entry < z.Entry
		})
		n := 0
		for _, pa := range paths {
			if pa.Protocol != proto || pa.Outcome == planner.OutcomeNotApplicable {
				continue
			}
			n++
			prefix := fmt.Sprintf("%s:%d", lane, n)
			who := "External client"
			if pa.Location == "internal" {
				who = "Internal client"
			}
			if pa.Secondary != "" {
				who += "\nopening " + pa.Secondary
			}
			if pa.Entry != "" {
				who += "\ntyping " + pa.Entry
			}
			fmt.Fprintf(&b, "    %s [label=%s, shape=box, style=\"rounded\", color=\"#90A4AE\"];\n", q(prefix+":client"), q(who))
			col := colOK
			switch pa.Outcome {
			case planner.OutcomeBroken:
				col = colBroken
			case planner.OutcomeWarning:
				col = colWarning
			}
			prev := prefix + ":client"
			for i, h := range pa.Hops {
				id := fmt.Sprintf("%s:%d", prefix, i)
				if p.Index.LoadBalancer(h.To) != nil && p.Topo.Server(h.To) == nil {
					fmt.Fprintf(&b, "    %s [label=%s, shape=hexagon, fillcolor=\"#FFF8E1\", color=\"#B28704\"];\n", q(id), label(h.To, "load balancer"))
				} else {
					fill, border := styleOf(serverVersion(p, h.To))
					fmt.Fprintf(&b, "    %s [label=%s, fillcolor=%q, color=%q];\n", q(id), q(h.To), fill, border)
				}
				style := "solid"
				if strings.HasPrefix(h.Action, "redirect") {
					style = "dashed"
				}
				edge := h.Action + " · " + h.Auth
				if i == 0 || h.Action != planner.ActProxy && h.Action != planner.ActRPC && h.Action != planner.ActBalance || !strings.EqualFold(h.Host, fqdnOf(p, h.To)) {
					edge = h.Host + "\n" + edge
				}
				fmt.Fprintf(&b, "    %s -> %s [label=%s, style=%s, color=%q];\n", q(prev), q(id), q(edge), style, col)
				prev = id
			}
			if pa.Outcome == planner.OutcomeBroken || pa.Outcome == planner.OutcomeWarning {
				why := strings.Join(pa.Findings, ", ")
				if len(why) > 60 {
					why = why[:57] + "…"
				}
				fmt.Fprintf(&b, "    %s [label=%s, shape=plaintext, style=\"\", fontcolor=%q];\n", q(prefix+":outcome"), label(pa.Outcome, why), col)
				fmt.Fprintf(&b, "    %s -> %s [style=invis];\n", q(prev), q(prefix+":outcome"))
			}
		}
		b.WriteString("  }\n")
	}
	if len(shown) == 0 {
		b.WriteString("  \"none\" [label=\"No cohort uses this protocol.\", shape=plaintext, style=\"\"];\n")
	}
	if moreC > 0 {
		fmt.Fprintf(&b, "  \"more\" [label=%s, shape=note, style=filled, fillcolor=\"#FFFDE7\"];\n",
			q(fmt.Sprintf("… %d more cohort%s (%d user%s) not drawn: see checklist.xlsx", moreC, plural(moreC), moreU, plural(moreU))))
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

func serverVersion(p *planner.Plan, name string) model.Version {
	if s := p.Topo.Server(name); s != nil {
		return s.Parsed.Version()
	}
	return 0
}

func fqdnOf(p *planner.Plan, name string) string {
	if s := p.Topo.Server(name); s != nil {
		return s.FQDN
	}
	return ""
}
