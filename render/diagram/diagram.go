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
	"strconv"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
)

// Font is the font every diagram uses; Graphviz measures text with its
// built-in Helvetica metrics, which the PDF renderer matches.
const Font = "Helvetica"

// MaxLanes caps the routes drawn in a flow diagram; the rest are
// summarised in a note (the workbook has every user).
var MaxLanes = 40

// versionStyle is the palette of Exchange versions: light fills with a
// darker border, distinguishable without colour vision (labels always name
// the version too), and never the orange or red that mark warnings and
// broken paths, nor a hue near them (2007 is olive, not brown).
var versionStyle = map[model.Version]struct{ fill, border string }{
	model.V2007: {"#EEEFD3", "#7A7A1F"},
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
	fmt.Fprintf(b, "  edge [fontname=%s, fontsize=9, color=%q, fontcolor=\"#37474F\", arrowsize=0.6, penwidth=1];\n", q(Font), colOK)
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
	return topology(p, nil, p.Organization+": sites, servers and namespaces")
}

// TopologyParts splits the topology for print into parts of at most
// perPart servers each: sites stay whole when they fit in a part, a larger
// site is cut into chunks. Each part draws its sites' servers with the
// load balancers and namespaces that point at them, and the legend. A
// topology that fits one part gives one part, the whole diagram.
func TopologyParts(p *planner.Plan, perPart int) [][]byte {
	perPart = max(perPart, 1)
	var groups [][]*model.Server
	var cur []*model.Server
	flush := func() {
		if len(cur) > 0 {
			groups = append(groups, cur)
			cur = nil
		}
	}
	for _, site := range sortedSites(p) {
		ss := siteServers(p, site.Name)
		if len(cur)+len(ss) > perPart {
			flush()
		}
		for len(ss) > perPart {
			groups = append(groups, ss[:perPart])
			ss = ss[perPart:]
		}
		cur = append(cur, ss...)
	}
	flush()
	if len(groups) <= 1 {
		return [][]byte{Topology(p)}
	}
	out := make([][]byte, len(groups))
	for i, g := range groups {
		keep := map[*model.Server]bool{}
		var names []string
		for _, s := range g {
			keep[s] = true
			if len(names) == 0 || names[len(names)-1] != s.Site {
				names = append(names, s.Site)
			}
		}
		title := fmt.Sprintf("%s: sites, servers and namespaces, part %d of %d (%s)", p.Organization, i+1, len(groups), strings.Join(names, ", "))
		out[i] = topology(p, keep, title)
	}
	return out
}

func sortedSites(p *planner.Plan) []model.Site {
	sites := append([]model.Site(nil), p.Inv.Sites...)
	sort.Slice(sites, func(i, j int) bool { return model.Key(sites[i].Name) < model.Key(sites[j].Name) })
	return sites
}

func siteServers(p *planner.Plan, site string) []*model.Server {
	var out []*model.Server
	for _, s := range p.Topo.Servers() {
		if model.Key(s.Site) == model.Key(site) {
			out = append(out, s)
		}
	}
	return out
}

// topology writes the topology of the servers in keep (all when nil).
func topology(p *planner.Plan, keep map[*model.Server]bool, title string) []byte {
	var b strings.Builder
	header(&b, "topology", title)
	errs := map[string]int{}
	for _, f := range p.Findings {
		if f.Severity == planner.SevError {
			errs[model.Key(f.Subject)]++
		}
	}
	var servers []*model.Server
	for _, s := range p.Topo.Servers() {
		if keep == nil || keep[s] {
			servers = append(servers, s)
		}
	}
	shown := func(s *model.Server) bool { return s != nil && (keep == nil || keep[s]) }
	bySite := map[string][]*model.Server{}
	for _, s := range servers {
		bySite[model.Key(s.Site)] = append(bySite[model.Key(s.Site)], s)
	}
	var sites []model.Site
	for _, site := range sortedSites(p) {
		if keep == nil || len(bySite[model.Key(site.Name)]) > 0 {
			sites = append(sites, site)
		}
	}
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
		fmt.Fprintf(&b, "    label=%s; labelloc=b; style=\"rounded,filled\"; fillcolor=\"#F5F7FA\"; color=\"#B0BEC5\"; fontsize=11; fontcolor=\"#263238\";\n", q(siteLabel))
		for _, s := range bySite[model.Key(site.Name)] {
			v := s.Parsed.Version()
			fill, border := styleOf(v)
			lines := []string{s.Name, s.Parsed.Name(), rolesShort(s)}
			attrs := fmt.Sprintf("fillcolor=%q, color=%q", fill, border)
			if s.IsOutOfService {
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
	var lbs []model.LoadBalancer
	lbShown := map[string]bool{}
	for _, lb := range p.Inv.LoadBalancers {
		for _, m := range lb.Members {
			if keep == nil || shown(p.Topo.Server(m)) {
				lbs = append(lbs, lb)
				lbShown[model.Key(lb.Name)] = true
				break
			}
		}
		if keep == nil && len(lb.Members) == 0 {
			lbs = append(lbs, lb)
			lbShown[model.Key(lb.Name)] = true
		}
	}
	sort.Slice(lbs, func(i, j int) bool { return model.Key(lbs[i].Name) < model.Key(lbs[j].Name) })
	for _, lb := range lbs {
		paths, mapiNote := "passes all paths", ""
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
				mapiNote = "not /mapi"
			}
		}
		fmt.Fprintf(&b, "  %s [label=%s, shape=hexagon, margin=\"0.02,0.02\", style=filled, fillcolor=%q, color=%q];\n", q("lb:"+lb.Name), label(lb.Name, "load balancer", paths, mapiNote), lbFill, lbBorder)
		for _, m := range lb.Members {
			if s := p.Topo.Server(m); shown(s) {
				fmt.Fprintf(&b, "  %s -> %s [style=dotted, arrowhead=none, color=%q];\n", q("lb:"+lb.Name), q("srv:"+s.Name), lbBorder)
			}
		}
	}
	nss := append([]model.Namespace(nil), p.Inv.Namespaces...)
	sort.Slice(nss, func(i, j int) bool { return model.Key(nss[i].FQDN) < model.Key(nss[j].FQDN) })
	for _, ns := range nss {
		target := func(t string) string {
			if s := p.Topo.Server(t); s != nil {
				if shown(s) {
					return "srv:" + s.Name
				}
			} else if lb := p.Index.LoadBalancer(t); lb != nil && lbShown[model.Key(lb.Name)] {
				return "lb:" + lb.Name
			}
			return ""
		}
		// A target both external and internal DNS lead to gets one edge
		// labelled "ext + int", not two side by side.
		inside := map[string]bool{}
		for _, t := range ns.Internal {
			if id := target(t); id != "" {
				inside[id] = true
			}
		}
		var edges []string
		both := map[string]bool{}
		emit := func(targets []string, tag, style string) {
			for _, t := range targets {
				id := target(t)
				if id == "" || both[id] && tag == "int" {
					continue
				}
				if tag == "ext" && inside[id] {
					tag, both[id] = "ext + int", true
				}
				edges = append(edges, fmt.Sprintf("  %s -> %s [label=%s, style=%s];\n", q("ns:"+model.Key(ns.FQDN)), q(id), q(tag), style))
				if tag == "ext + int" {
					tag = "ext"
				}
			}
		}
		emit(ns.External, "ext", "solid")
		emit(ns.Internal, "int", "dashed")
		if keep != nil && len(edges) == 0 {
			continue // points at nothing in this part
		}
		fmt.Fprintf(&b, "  %s [label=%s, shape=note, style=filled, fillcolor=\"white\", color=\"#78909C\"];\n", q("ns:"+model.Key(ns.FQDN)), label(ns.FQDN))
		b.WriteString(strings.Join(edges, ""))
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// TopologyLegend returns the DOT of the topology's legend, a graph of its
// own so that it costs the topology no width or height: every style the
// topology of the whole organisation uses, in rows.
func TopologyLegend(p *planner.Plan) []byte {
	outOfService, blocking := false, false
	errs := map[string]bool{}
	for _, f := range p.Findings {
		if f.Severity == planner.SevError {
			errs[model.Key(f.Subject)] = true
		}
	}
	for _, s := range p.Topo.Servers() {
		outOfService = outOfService || s.IsOutOfService
		blocking = blocking || errs[model.Key(s.Name)]
	}
	items := versionItems(p)
	if len(p.Inv.LoadBalancers) > 0 {
		items = append(items, legendItem{"lb", fmt.Sprintf("label=\"load balancer\\n(dotted: member)\", shape=hexagon, margin=\"0.02,0.02\", style=filled, fillcolor=%q, color=%q", lbFill, lbBorder)})
	}
	if outOfService {
		items = append(items, legendItem{"oos", `label="out of service\n(IsOutOfService)", fillcolor="#ECEFF1", color="#90A4AE", style="rounded,filled,dashed", fontcolor="#607D8B"`})
	}
	if blocking {
		items = append(items, legendItem{"err", fmt.Sprintf(`label="server with\nblocking findings", color=%q, penwidth=2`, colBroken)})
	}
	items = append(items,
		legendItem{"ns", `label="namespace (DNS name)", shape=note, style=filled, fillcolor="white", color="#78909C"`},
		legendItem{"site", `label="AD site", shape=box, style="rounded,filled", fillcolor="#F5F7FA", color="#B0BEC5"`},
		legendItem{"edges", `label="name → target: ext (solid) = external DNS,\lint (dashed) = internal DNS, ext + int (solid) = both\lInternet-facing site: some ExternalUrl set\l", shape=plaintext, style=""`})
	return legendGraph("legend", "Legend", items)
}

// FlowLegend returns the DOT of the flow diagrams' legend, a graph of its
// own: the colours of the Exchange versions the plan has, the load
// balancer, a route's client box, a hop that several servers answer, and
// what the edges' styles, colours and labels say.
func FlowLegend(p *planner.Plan) []byte {
	items := versionItems(p)
	if len(p.Inv.LoadBalancers) > 0 {
		items = append(items, legendItem{"lb", fmt.Sprintf("label=\"load balancer\", shape=hexagon, margin=\"0.02,0.02\", style=filled, fillcolor=%q, color=%q", lbFill, lbBorder)})
	}
	fill, border := styleOf(0)
	if vs := planVersions(p); len(vs) > 0 {
		fill, border = styleOf(vs[0])
	}
	items = append(items,
		legendItem{"route", `label="Route N · its users\ne.g. example users\nwhere the client is", shape=box, style="rounded", color="#90A4AE"`},
		legendItem{"group", fmt.Sprintf(`label="N servers of a version\n(the first …): the route's\nusers reach several", fillcolor=%q, color=%q`, fill, border)},
		legendItem{"edges", `label="edge: the name the client uses, action · authentication\lsolid = connect or proxy, dashed = redirect, dotted = RPC data access\lslate = works, orange = warning, red = broken (with the rules that say why)\l", shape=plaintext, style=""`})
	return legendGraph("flows-legend", "Legend of the flow diagrams", items)
}

// legendItem is a node of a legend: its ID and DOT attributes.
type legendItem struct{ id, attrs string }

// legendRow is the most items in a row of a legend.
const legendRow = 4

// legendGraph writes a legend: its items in rows of legendRow, each row
// packed from the left (a wide item widens only its own row).
func legendGraph(name, title string, items []legendItem) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", q(name))
	fmt.Fprintf(&b, "  graph [rankdir=TB, fontname=%s, fontsize=10, labelloc=t, labeljust=l, label=%s, nodesep=0.3, ranksep=0.2, pad=0.2, bgcolor=\"white\"];\n", q(Font), q(title))
	fmt.Fprintf(&b, "  node [fontname=%s, fontsize=9, shape=box, style=\"rounded,filled\", fillcolor=\"white\", color=\"#607D8B\", penwidth=1, margin=\"0.12,0.06\"];\n", q(Font))
	for _, it := range items {
		fmt.Fprintf(&b, "  %s [%s];\n", q("legend:"+it.id), it.attrs)
	}
	// Each row a rank of its own, its items in order by invisible flat
	// edges; a row below the one before by an edge of no weight, which
	// does not pull a wide item of one row under a narrow one above and
	// so leaves no gap in either row.
	for lo := 0; lo < len(items); lo += legendRow {
		row := items[lo:min(lo+legendRow, len(items))]
		ids := make([]string, len(row))
		for i, it := range row {
			ids[i] = q("legend:" + it.id)
		}
		fmt.Fprintf(&b, "  { rank=same; %s; }\n", strings.Join(ids, "; "))
		if len(ids) > 1 {
			fmt.Fprintf(&b, "  %s [style=invis];\n", strings.Join(ids, " -> "))
		}
		if lo > 0 {
			fmt.Fprintf(&b, "  %s -> %s [style=invis, weight=0];\n", q("legend:"+items[lo-legendRow].id), ids[0])
		}
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// planVersions are the Exchange versions of the plan's servers, oldest
// first.
func planVersions(p *planner.Plan) []model.Version {
	seen := map[model.Version]bool{}
	var vs []model.Version
	for _, s := range p.Topo.Servers() {
		if v := s.Parsed.Version(); !seen[v] {
			seen[v] = true
			vs = append(vs, v)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	return vs
}

// versionItems are a legend's swatches of the plan's Exchange versions.
func versionItems(p *planner.Plan) []legendItem {
	var items []legendItem
	for _, v := range planVersions(p) {
		fill, border := styleOf(v)
		name := "Exchange " + v.String()
		if v == 0 {
			name = "unknown version"
		}
		items = append(items, legendItem{fmt.Sprintf("v%d", v), fmt.Sprintf("label=%s, fillcolor=%q, color=%q", q(name), fill, border)})
	}
	return items
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

// A lane is one route of a protocol (planner.Route): the paths of every
// cohort that take the same hops to the same outcome, drawn as one row and
// numbered as the report's route tables number them.
type lane struct {
	planner.Route
	examples []string // a few users
}

// maxExamples is how many example users a lane title names.
const maxExamples = 3

// routes returns a protocol's applicable routes as lanes, in the order
// and numbering of planner.Plan.Routes (broken first, then warnings, then
// most users).
func routes(p *planner.Plan, proto string) []*lane {
	var out []*lane
	for _, r := range p.Routes(proto) {
		if r.Outcome == planner.OutcomeNotApplicable {
			continue
		}
		out = append(out, &lane{Route: r, examples: p.ExampleUsers(r, maxExamples)})
	}
	return out
}

// Flows returns the DOT of one protocol's routes, a lane each, at most
// MaxLanes of them (problem routes first, then the most used).
func Flows(p *planner.Plan, proto string) []byte {
	parts := FlowParts(p, proto, MaxLanes)
	return parts[0]
}

// FlowParts returns a protocol's flow diagram in parts of at most perPart
// lanes, so that each part prints legibly on a page; the parts together
// hold at most MaxLanes lanes, and the last names the routes left out.
func FlowParts(p *planner.Plan, proto string, perPart int) [][]byte {
	perPart = max(perPart, 1)
	all := routes(p, proto)
	shown, rest := all, []*lane(nil)
	if len(all) > MaxLanes {
		shown, rest = all[:MaxLanes], all[MaxLanes:]
	}
	n := max((len(shown)+perPart-1)/perPart, 1)
	out := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		lo, hi := i*perPart, min((i+1)*perPart, len(shown))
		title := fmt.Sprintf("%s: %s routes", p.Organization, planner.ProtocolName(proto))
		if n > 1 {
			title += fmt.Sprintf(", part %d of %d", i+1, n)
		}
		title += "\nsolid = connect or proxy, dashed = redirect, dotted = RPC data access; red = broken, orange = warning"
		var more []*lane
		if i == n-1 {
			more = rest
		}
		out = append(out, flows(p, proto, title, shown[lo:hi], more))
	}
	return out
}

// flows writes one flow diagram of the lanes.
func flows(p *planner.Plan, proto, title string, lanes []*lane, more []*lane) []byte {
	var b strings.Builder
	header(&b, "flows-"+proto, title)
	// Ranks close together: a part's width limits its printed size.
	b.WriteString("  graph [ranksep=0.2];\n")
	// With rankdir=LR Graphviz stacks clusters bottom-up: emit the lanes
	// in reverse so the first lane is drawn at the top.
	for i := len(lanes) - 1; i >= 0; i-- {
		l := lanes[i]
		id := fmt.Sprintf("r%d", l.ID)
		users := count(l.Users, "user")
		eg := "e.g. " + strings.Join(l.examples, ", ")
		if len([]rune(eg)) > 40 {
			eg = string([]rune(eg)[:39]) + "…"
		}
		// The route's number, users and examples head its client box: a
		// lane is one row high, so a page holds more of them.
		fmt.Fprintf(&b, "  subgraph %s {\n", q("cluster_"+id))
		b.WriteString("    label=\"\"; style=\"rounded,filled\"; fillcolor=\"#FAFBFC\"; color=\"#CFD8DC\"; margin=4;\n")
		who := fmt.Sprintf("Route %d · %s\n%s\n", l.ID, users, eg)
		loc := "External client"
		switch {
		case len(l.Locations) > 1:
			loc = "Internal and external clients"
		case len(l.Locations) == 1 && l.Locations[0] == "internal":
			loc = "Internal client"
		}
		who += loc
		if l.Secondary {
			who += "\nopening a Full Access mailbox"
		}
		if l.Entry != "" {
			who += "\ntyping " + l.Entry
		}
		fmt.Fprintf(&b, "    %s [label=%s, shape=box, style=\"rounded\", color=\"#90A4AE\"];\n", q(id+":client"), q(who))
		col := colOK
		switch l.Outcome {
		case planner.OutcomeBroken:
			col = colBroken
		case planner.OutcomeWarning:
			col = colWarning
		}
		prev := id + ":client"
		for j, h := range l.Hops {
			node := fmt.Sprintf("%s:%d", id, j)
			if p.Index.LoadBalancer(h.To) != nil && p.Topo.Server(h.To) == nil {
				fmt.Fprintf(&b, "    %s [label=%s, shape=hexagon, margin=\"0.02,0.02\", style=filled, fillcolor=%q, color=%q];\n", q(node), label(h.To, "load balancer"), lbFill, lbBorder)
			} else {
				fill, border := styleOf(serverVersion(p, h.To))
				fmt.Fprintf(&b, "    %s [label=%s, fillcolor=%q, color=%q];\n", q(node), q(hopLabel(p, l.Servers[j])), fill, border)
			}
			style := "solid"
			switch {
			case strings.HasPrefix(h.Action, "redirect"):
				style = "dashed"
			case h.Action == planner.ActRPC:
				style = "dotted"
			}
			edge := h.Action + " · " + h.Auth
			if j == 0 || h.Action != planner.ActProxy && h.Action != planner.ActRPC && h.Action != planner.ActBalance || !strings.EqualFold(h.Host, fqdnOf(p, h.To)) {
				edge = h.Host + "\n" + edge
			}
			if h.Refused != "" {
				edge += " ✗\nrefused: " + h.Refused
			}
			fmt.Fprintf(&b, "    %s -> %s [label=%s, style=%s, color=%q];\n", q(prev), q(node), q(edge), style, col)
			prev = node
		}
		if l.Outcome == planner.OutcomeBroken || l.Outcome == planner.OutcomeWarning {
			why := strings.Join(l.Findings, ", ")
			if len(why) > 60 {
				why = why[:57] + "…"
			}
			fmt.Fprintf(&b, "    %s [label=%s, shape=plaintext, style=\"\", fontcolor=%q];\n", q(id+":outcome"), label(l.Outcome, why), col)
			fmt.Fprintf(&b, "    %s -> %s [style=invis];\n", q(prev), q(id+":outcome"))
		}
		b.WriteString("  }\n")
	}
	if len(lanes) == 0 {
		b.WriteString("  \"none\" [label=\"No user uses this protocol.\", shape=plaintext, style=\"\"];\n")
	}
	if len(more) > 0 {
		users, seen := 0, map[int]bool{}
		for _, l := range more {
			for _, c := range l.Cohorts {
				if !seen[c] {
					seen[c] = true
					users += len(p.Cohorts[c].Users)
				}
			}
		}
		fmt.Fprintf(&b, "  \"more\" [label=%s, shape=note, style=filled, fillcolor=\"#FFFDE7\"];\n",
			q(fmt.Sprintf("… %s (%s) not drawn: see checklist.xlsx", count(len(more), "more route"), count(users, "user"))))
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// hopLabel names the servers a lane's hop reaches: the server, or the
// kind and the first names when cohorts on the route reach several.
func hopLabel(p *planner.Plan, names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	if len(sorted) == 2 {
		return sorted[0] + "\n" + sorted[1]
	}
	kind := "servers"
	if s := p.Topo.Server(sorted[0]); s != nil {
		kind = "Exchange " + s.Parsed.Version().String() + " servers"
	}
	return fmt.Sprintf("%d %s\n(%s …)", len(sorted), kind, sorted[0])
}

// count renders "1 user", "2 users" with thousands separators.
func count(n int, noun string) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if n == 1 {
		return s + " " + noun
	}
	return s + " " + noun + "s"
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
