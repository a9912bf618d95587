package xlsx

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/planner"
	"github.com/xuri/excelize/v2"
)

// sheetGuide describes each sheet on the Summary.
var sheetGuide = [][2]string{
	{SheetServers, "One row per Exchange server: build, coexistence minimum, TLS status, missing updates; tick Done when remediated."},
	{SheetTLS, "Schannel and .NET TLS registry values per server; coloured cells are values a finding asks to change (current → wanted)."},
	{SheetCertificates, "Exchange certificates: names, expiry and days left as of the plan date, where they are bound."},
	{SheetNamespaces, "DNS names and what they resolve to inside and outside, with the load balancer paths."},
	{SheetConnectivity, "Every user × client location: how each protocol reaches the mailbox (action → endpoint), problems coloured."},
	{SheetFindings, "Every finding with its remediation; assign an owner and track the status."},
}

// summary writes the Summary sheet: organisation, date, readiness verdict
// and the counts.
func (b *book) summary() error {
	const sh = SheetSummary
	f, st := b.f, &b.st
	c := b.p.Counts()
	put := func(col, row int, v any, style int) error {
		t := table{b: b, sheet: sh}
		return t.set(col, row, v, style)
	}
	var errs []error
	must := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	must(put(1, 1, "Exchange coexistence checklist", st.title))
	must(f.SetRowHeight(sh, 1, 30))
	sub := b.org
	if !b.p.AsOf.IsZero() {
		sub += " · as of " + b.p.AsOf.Format("2006-01-02")
	}
	must(put(1, 2, strings.TrimPrefix(sub, " · "), st.subtitle))

	row := 4
	label := func(name string, v any, style int) {
		must(put(1, row, name, st.label))
		must(put(2, row, v, style))
		row++
	}
	label("Organisation", b.org, st.kvText)
	if b.p.AsOf.IsZero() {
		label("As of", "not set", st.kvText)
	} else {
		label("As of", date(b.p.AsOf), st.kvDate)
	}
	// Document control: an empty field is an underlined cell to fill in.
	dc := b.p.DocControl()
	fill := func(name, v string) {
		if v == "" {
			label(name, nil, st.kvBlank)
			return
		}
		label(name, v, st.kvText)
	}
	fill("Customer", dc.Customer)
	fill("Author", dc.Author)
	fill("Organisation (author)", dc.Company)
	fill("Document version", dc.Version)
	fill("Status", dc.Status)
	approvers := dc.Approvers
	if len(approvers) == 0 {
		approvers = []string{"", ""}
	}
	for _, a := range approvers {
		fill("Approver (name, signature, date)", a)
	}
	verdict, vstyle := b.verdict(c)
	must(f.MergeCell(sh, span(2, row, 5, row), ""))
	must(f.SetRowHeight(sh, row, 22))
	label("Readiness", verdict, vstyle)
	// The verdict speaks for the assessed areas only: say so beside it.
	wrapped := func(name, text string) {
		must(f.MergeCell(sh, span(2, row, 5, row), ""))
		must(put(1, row, name, st.label))
		must(put(2, row, text, st.wrap))
		for col := 3; col <= 5; col++ {
			must(put(col, row, nil, st.wrap))
		}
		// Merged cells do not grow with their text.
		must(f.SetRowHeight(sh, row, mergedHeight(text, 4*16)))
		row++
	}
	wrapped("Scope of the verdict", planner.ScopeLine()+" Details: “"+planner.ScopeSectionTitle+"” below.")
	label("Users", c.Users, st.kvNum)
	label("Cohorts (users with identical paths)", c.Cohorts, st.kvNum)
	label("Users with a broken path", c.BrokenUsers, st.kvNum)
	label("Users with a warning path", c.WarnedUsers, st.kvNum)
	label("Servers", len(b.p.Inv.Servers), st.kvNum)
	label("Findings", len(b.p.Findings), st.kvNum)

	section := func(title string, heads ...string) {
		row++
		must(put(1, row, title, st.section))
		for col := 2; col <= 5; col++ {
			must(put(col, row, nil, st.section))
		}
		row++
		for i, h := range heads {
			must(put(i+1, row, h, st.header))
		}
		row++
	}

	section("Findings by severity", "Severity", "Findings")
	for _, sev := range []struct {
		s    planner.Severity
		name string
	}{{planner.SevError, planner.SeverityName(planner.SevError) + " (blocks the migration)"}, {planner.SevWarning, planner.SeverityName(planner.SevWarning)}, {planner.SevInfo, planner.SeverityName(planner.SevInfo)}} {
		must(put(1, row, sev.name, st.text))
		must(put(2, row, c.BySeverity[sev.s], st.num))
		if n := c.BySeverity[sev.s]; n > 0 && sev.s != planner.SevInfo {
			must(f.SetCellStyle(sh, cellName(2, row), cellName(2, row), st.severityFlag(sev.s)))
		}
		row++
	}

	outcomes := []string{planner.OutcomeOK, planner.OutcomeWarning, planner.OutcomeBroken, planner.OutcomeNotApplicable}
	section("Users by protocol (each user once, under their worst path)", "Protocol", "OK", "Warning", "Broken", "Not applicable")
	first := row
	for _, proto := range planner.Protocols {
		must(put(1, row, planner.ProtocolName(proto), st.text))
		for i, o := range outcomes {
			must(put(i+2, row, c.UsersByProtocol[proto][o], st.num))
		}
		row++
	}
	if row > first {
		must(b.cond(sh, colRange(3, first, row-1), ifNumber(">", 0, st.cfWarn)))
		must(b.cond(sh, colRange(4, first, row-1), ifNumber(">", 0, st.cfBad)))
	}

	section("Servers by version", "Version", "Servers")
	versions := make([]string, 0, len(c.ServersByVersion))
	for v := range c.ServersByVersion {
		versions = append(versions, v)
	}
	slices.Sort(versions)
	for _, v := range versions {
		name := "Exchange " + v
		if v == model.Version(0).String() {
			name = "unknown version"
		}
		must(put(1, row, name, st.text))
		must(put(2, row, c.ServersByVersion[v], st.num))
		row++
	}

	sc := planner.PlanScope()
	for _, g := range []struct {
		title string
		areas []planner.ScopeArea
	}{{planner.ScopeSectionTitle + ": assessed", sc.Assessed}, {planner.ScopeSectionTitle + ": not assessed (check separately)", sc.NotAssessed}} {
		section(g.title, "Area", "What")
		for _, a := range g.areas {
			must(put(1, row, a.Title, st.wrap))
			must(f.MergeCell(sh, span(2, row, 5, row), ""))
			must(put(2, row, a.Detail, st.wrap))
			for col := 3; col <= 5; col++ {
				must(put(col, row, nil, st.wrap))
			}
			must(f.SetRowHeight(sh, row, mergedHeight(a.Detail, 4*16)))
			row++
		}
	}

	section("Sheets in this workbook", "Sheet", "Contents")
	for _, g := range sheetGuide {
		must(put(1, row, g[0], st.text))
		must(f.MergeCell(sh, span(2, row, 5, row), ""))
		must(put(2, row, g[1], st.wrap))
		for col := 3; col <= 5; col++ {
			must(put(col, row, nil, st.wrap))
		}
		// Merged cells do not grow with their text: two lines fit every
		// description at these widths.
		must(f.SetRowHeight(sh, row, 30))
		row++
	}

	must(f.SetColWidth(sh, "A", "A", 40))
	must(f.SetColWidth(sh, "B", "E", 16))
	noGrid := false
	must(f.SetSheetView(sh, 0, &excelize.ViewOptions{ShowGridLines: &noGrid}))
	must(b.printSetup(sh, printOpts{fitWidth: true, portrait: true}))
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// verdict is the readiness line of the Summary and its style.
func (b *book) verdict(c planner.Counts) (string, int) {
	switch {
	case c.BlockingFindings > 0:
		return fmt.Sprintf("Not ready: %s", plural(c.BlockingFindings, "blocking finding")), b.st.notReady
	case c.BrokenUsers > 0:
		return fmt.Sprintf("Not ready: %s with a broken path", plural(c.BrokenUsers, "user")), b.st.notReady
	case c.BySeverity[planner.SevWarning] > 0:
		return fmt.Sprintf("Ready, with %s to review", plural(c.BySeverity[planner.SevWarning], "warning")), b.st.warnReady
	}
	return "Ready: no blocking findings", b.st.ready
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// servers writes the Servers sheet: one row per server.
func (b *book) servers() error {
	st := &b.st
	t, err := b.newTable(SheetServers, []column{
		{head: "Server", min: 12, max: 24},
		{head: "FQDN", max: 34},
		{head: "Site", max: 18},
		{head: "Version", min: 9},
		{head: "Build", min: 12},
		{head: "Update", max: 34, style: st.wrap},
		{head: "Roles", max: 26, style: st.wrap},
		{head: "OS", max: 30, style: st.wrap},
		{head: "Coexistence minimum", min: 16, max: 50, style: st.wrap},
		{head: "TLS status", min: 14, max: 34, style: st.wrap},
		{head: "Missing KBs", min: 12, max: 28, style: st.wrap},
		{head: "Done", min: 9, max: 9, style: st.center},
	})
	if err != nil {
		return err
	}
	servers := b.sortedServers()
	for _, s := range servers {
		build := s.Parsed.String()
		if s.Parsed.IsZero() {
			build = cmp.Or(s.Build, s.Version)
		}
		roles := strings.Join(s.Roles, ", ")
		if s.IsOutOfService {
			roles += "\n(out of service)"
		}
		coex, coexStyle := b.findingStatus(s, "COEX-", true)
		tls, tlsStyle := b.findingStatus(s, "TLS-", false)
		if err := t.add(s.Name, s.FQDN, s.Site, s.Parsed.Version().String(), build,
			s.Parsed.Name(), roles, s.OS,
			styled{coex, coexStyle}, styled{tls, tlsStyle},
			strings.Join(b.missingKBs(s), ", "), nil); err != nil {
			return err
		}
	}
	if err := t.finish(); err != nil {
		return err
	}
	if len(servers) == 0 {
		return nil
	}
	done := colRange(12, 2, t.row)
	if err := b.dropDown(SheetServers, done, []string{"Yes", "No", "N/A"}); err != nil {
		return err
	}
	return b.cond(SheetServers, done, ifEqual("Yes", st.cfGood), ifEqual("No", st.cfWarn))
}

// sortedServers returns the inventory's servers sorted by name.
func (b *book) sortedServers() []*model.Server {
	ss := make([]*model.Server, len(b.p.Inv.Servers))
	for i := range b.p.Inv.Servers {
		ss[i] = &b.p.Inv.Servers[i]
	}
	slices.SortStableFunc(ss, func(a, b *model.Server) int { return cmp.Compare(model.Key(a.Name), model.Key(b.Name)) })
	return ss
}

// findingStatus summarises a server's findings with the ID prefix: "OK"
// when there are none (or "not checked" when no such rule exists), else the
// messages (withMessages) or the worst severity and the IDs.
func (b *book) findingStatus(s *model.Server, prefix string, withMessages bool) (string, int) {
	fs := b.serverFindings(s, prefix)
	if len(fs) == 0 {
		if !b.checked[prefix] {
			return "not checked", b.st.statusUnknown
		}
		return "OK", b.st.statusOK
	}
	worst := fs[0].Severity
	var ids, msgs []string
	for _, f := range fs {
		if f.Severity.Rank() < worst.Rank() {
			worst = f.Severity
		}
		if !slices.Contains(ids, f.ID) {
			ids = append(ids, f.ID)
		}
		msgs = append(msgs, f.Message)
	}
	slices.Sort(ids)
	if withMessages {
		return strings.Join(msgs, "\n"), b.st.status(worst)
	}
	return planner.SeverityName(worst) + ": " + strings.Join(ids, ", "), b.st.status(worst)
}

// missingKBs lists the updates the server's findings ask to install,
// sorted numerically.
func (b *book) missingKBs(s *model.Server) []string {
	var kbs []string
	for _, f := range b.serverFindings(s, "") {
		for _, kb := range f.Fix.KBs {
			kb = strings.ToUpper(strings.TrimSpace(kb))
			if kb != "" && !slices.Contains(kbs, kb) {
				kbs = append(kbs, kb)
			}
		}
	}
	slices.SortFunc(kbs, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
	})
	return kbs
}

// tls writes the TLS sheet: the registry matrix, one row per server and one
// column per value, with the values findings ask to change coloured.
func (b *book) tls() error {
	st := &b.st
	fields := (&model.TLSRegistry{}).Values()
	cols := []column{{head: "Server", min: 12, max: 24}, {head: "TLS status", min: 14, max: 30, style: st.wrap}}
	for _, v := range fields {
		cols = append(cols, column{head: tlsLabel(v.Field), min: 10, max: 16, style: st.center, rotate: true})
	}
	t, err := b.newTable(SheetTLS, cols)
	if err != nil {
		return err
	}
	for _, s := range b.sortedServers() {
		flags := b.tlsFlags(s)
		status, statusStyle := b.findingStatus(s, "TLS-", false)
		row := []any{s.Name, styled{status, statusStyle}}
		values := s.TLS.Values()
		native := map[string]*int{}
		for _, v := range values {
			native[v.Field] = v.Value
		}
		for _, v := range values {
			cur, style := "", st.center
			var num any
			switch {
			case v.Value != nil:
				num, cur = regValue(*v.Value), regText(*v.Value)
			case wowNative(v.Field) != "" && native[wowNative(v.Field)] != nil:
				cur = regText(*native[wowNative(v.Field)]) + " (native)"
				num, style = cur, st.inherited
			default:
				cur = "undefined"
				num, style = cur, st.undefined
			}
			if fl, ok := flags[v.Field]; ok {
				num = cur + " → " + regText(int(fl.want))
				style = st.severityFlag(fl.sev)
			}
			row = append(row, styled{num, style})
		}
		if err := t.add(row...); err != nil {
			return err
		}
	}
	// Keep the server column in view while scrolling across the values.
	t.xSplit = 1
	return t.finish()
}

// regValue is a registry value as a cell: a number for 0 and 1, hex text
// otherwise (0xFFFFFFFF).
func regValue(n int) any {
	if n == 0 || n == 1 {
		return n
	}
	return regText(n)
}

func regText(n int) string {
	if n == 0 || n == 1 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("0x%X", n)
}

// tlsFlag is a registry value a finding asks to set.
type tlsFlag struct {
	sev  planner.Severity
	want uint32
}

// tlsFlags returns the registry values findings ask to set on s, keyed by
// TLSRegistry field, with the worst severity asking.
func (b *book) tlsFlags(s *model.Server) map[string]tlsFlag {
	flags := map[string]tlsFlag{}
	for _, f := range b.serverFindings(s, "") {
		if f.Fix.Server != "" && b.x.Server(f.Fix.Server) != s {
			continue
		}
		for _, rv := range f.Fix.Registry {
			field := regField(rv.Key, rv.Name)
			if field == "" {
				continue
			}
			if old, ok := flags[field]; ok && old.sev.Rank() <= f.Severity.Rank() {
				continue
			}
			flags[field] = tlsFlag{f.Severity, rv.Value}
		}
	}
	return flags
}

// regField maps a registry key and value name to its TLSRegistry field
// ("schannel_tls12_client_enabled", "net4_wow6432_sch_use_strong_crypto"),
// or "" when it is not one.
func regField(key, name string) string {
	k, n := strings.ToLower(key), strings.ToLower(name)
	if i := strings.Index(k, `\protocols\tls 1.`); i >= 0 {
		rest := k[i+len(`\protocols\tls 1.`):]
		if len(rest) < 1 || rest[0] < '0' || rest[0] > '2' {
			return ""
		}
		var side string
		switch {
		case strings.HasSuffix(rest, `\client`):
			side = "client"
		case strings.HasSuffix(rest, `\server`):
			side = "server"
		default:
			return ""
		}
		var value string
		switch n {
		case "enabled":
			value = "enabled"
		case "disabledbydefault":
			value = "disabled_by_default"
		default:
			return ""
		}
		return fmt.Sprintf("schannel_tls1%c_%s_%s", rest[0], side, value)
	}
	var fw string
	switch {
	case strings.Contains(k, `.netframework\v2.0.50727`):
		fw = "net2"
	case strings.Contains(k, `.netframework\v4.0.30319`):
		fw = "net4"
	default:
		return ""
	}
	if strings.Contains(k, `\wow6432node\`) {
		fw += "_wow6432"
	}
	switch n {
	case "systemdefaulttlsversions":
		return fw + "_system_default_tls_versions"
	case "schusestrongcrypto":
		return fw + "_sch_use_strong_crypto"
	}
	return ""
}

// wowNative returns the native field a Wow6432Node field defaults to, or "".
func wowNative(field string) string {
	if strings.Contains(field, "_wow6432_") {
		return strings.Replace(field, "_wow6432_", "_", 1)
	}
	return ""
}

// tlsLabel turns a TLSRegistry field into a column heading with the
// registry names: "TLS 1.2 Client DisabledByDefault", ".NET 4 (Wow6432)
// SchUseStrongCrypto".
func tlsLabel(field string) string {
	var head, value string
	switch {
	case strings.HasPrefix(field, "schannel_tls1"):
		rest := strings.TrimPrefix(field, "schannel_tls1")
		if rest == "" {
			return field
		}
		ver := "TLS 1." + rest[:1]
		rest = strings.TrimPrefix(rest[1:], "_")
		side, val, _ := strings.Cut(rest, "_")
		head = ver + " " + strings.ToUpper(side[:min(1, len(side))]) + side[min(1, len(side)):]
		switch val {
		case "enabled":
			value = "Enabled"
		case "disabled_by_default":
			value = "DisabledByDefault"
		default:
			return field
		}
	case strings.HasPrefix(field, "net2_"), strings.HasPrefix(field, "net4_"):
		head = ".NET " + map[byte]string{'2': "2.0", '4': "4.x"}[field[3]]
		rest := field[5:]
		if r, ok := strings.CutPrefix(rest, "wow6432_"); ok {
			head += " Wow6432"
			rest = r
		}
		switch rest {
		case "system_default_tls_versions":
			value = "SystemDefaultTlsVersions"
		case "sch_use_strong_crypto":
			value = "SchUseStrongCrypto"
		default:
			return field
		}
	default:
		return field
	}
	return head + "\n" + value
}

// certificates writes the Certificates sheet, soonest expiry first.
func (b *book) certificates() error {
	st := &b.st
	inv := b.p.Inv
	cutover, cutErr := model.ParseDate(inv.Organization.CutoverDate)
	cutHead := "Outlives cutover"
	if cutErr == nil {
		cutHead += " (" + cutover.Format("2006-01-02") + ")"
	}
	t, err := b.newTable(SheetCertificates, []column{
		{head: "Thumbprint", min: 14, max: 44},
		{head: "Subject", max: 40, style: st.wrap},
		{head: "SANs", max: 34, style: st.wrap},
		{head: "Not after", min: 12, style: st.date},
		{head: "Days left", min: 10, style: st.num},
		{head: cutHead, min: 12, max: 18, style: st.center},
		{head: "Signature algorithm", min: 12, max: 20},
		{head: "Services", max: 20, style: st.wrap},
		{head: "Servers", max: 30, style: st.wrap},
		{head: "Findings", min: 12, max: 30, style: st.wrap},
	})
	if err != nil {
		return err
	}
	type cert struct {
		c     *model.Certificate
		after time.Time
		ok    bool
	}
	certs := make([]cert, len(inv.Certificates))
	for i := range inv.Certificates {
		c := &inv.Certificates[i]
		after, err := model.ParseDate(c.NotAfter)
		certs[i] = cert{c, after, err == nil}
	}
	slices.SortStableFunc(certs, func(a, b cert) int {
		if a.ok != b.ok {
			if a.ok {
				return -1
			}
			return 1
		}
		return cmp.Or(a.after.Compare(b.after), cmp.Compare(strings.ToUpper(a.c.Thumbprint), strings.ToUpper(b.c.Thumbprint)))
	})
	for _, ce := range certs {
		c := ce.c
		var after, days, outlives any = c.NotAfter, nil, nil
		if ce.ok {
			after = date(ce.after)
			if !b.p.AsOf.IsZero() {
				days = date(ce.after).serial() - date(b.p.AsOf).serial()
			}
			if cutErr == nil {
				outlives = "Yes"
				if ce.after.Before(cutover) {
					outlives = "No"
				}
			}
		}
		if err := t.add(c.Thumbprint, c.Subject, strings.Join(c.SANs, "\n"), after, days, outlives,
			c.SignatureAlgorithm, strings.Join(c.Services, ", "), strings.Join(c.Servers, ", "),
			strings.Join(b.certFindings(c), ", ")); err != nil {
			return err
		}
	}
	if err := t.finish(); err != nil {
		return err
	}
	if len(certs) == 0 {
		return nil
	}
	// Expired in red; amber from 60 days before expiry, when HealthChecker
	// starts warning.
	if err := b.cond(SheetCertificates, colRange(5, 2, t.row),
		ifNumber("<", 0, st.cfBad), ifNumber("<", 60, st.cfWarn)); err != nil {
		return err
	}
	return b.cond(SheetCertificates, colRange(6, 2, t.row), ifEqual("No", st.cfBad))
}

// certFindings returns the IDs of the CERT-* findings about c: those whose
// subject is its thumbprint or subject, or whose message names its
// thumbprint.
func (b *book) certFindings(c *model.Certificate) []string {
	var ids []string
	for _, f := range b.p.Findings {
		if !strings.HasPrefix(f.ID, "CERT-") || slices.Contains(ids, f.ID) {
			continue
		}
		if (c.Thumbprint != "" && (strings.EqualFold(f.Subject, c.Thumbprint) ||
			strings.Contains(strings.ToUpper(f.Message), strings.ToUpper(c.Thumbprint)))) ||
			(c.Subject != "" && strings.EqualFold(f.Subject, c.Subject)) {
			ids = append(ids, f.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// namespaces writes the Namespaces sheet, sorted by FQDN.
func (b *book) namespaces() error {
	st := &b.st
	t, err := b.newTable(SheetNamespaces, []column{
		{head: "FQDN", min: 16, max: 40},
		{head: "Internal targets", min: 16, max: 44, style: st.wrap},
		{head: "External targets", min: 16, max: 44, style: st.wrap},
		{head: "Load balancer paths", min: 20, max: 60, style: st.wrap},
	})
	if err != nil {
		return err
	}
	nss := make([]*model.Namespace, len(b.p.Inv.Namespaces))
	for i := range b.p.Inv.Namespaces {
		nss[i] = &b.p.Inv.Namespaces[i]
	}
	slices.SortStableFunc(nss, func(a, b *model.Namespace) int {
		return cmp.Compare(model.Key(a.FQDN), model.Key(b.FQDN))
	})
	for _, ns := range nss {
		var lbs []*model.LoadBalancer
		targets := func(names []string) any {
			if len(names) == 0 {
				return styled{"does not resolve", st.muted}
			}
			var out []string
			for _, n := range names {
				lb := b.x.LoadBalancer(n)
				if lb == nil {
					out = append(out, n)
					continue
				}
				if !slices.Contains(lbs, lb) {
					lbs = append(lbs, lb)
				}
				out = append(out, fmt.Sprintf("%s (load balancer: %s)", n, strings.Join(lb.Members, ", ")))
			}
			return strings.Join(out, "\n")
		}
		internal, external := targets(ns.Internal), targets(ns.External)
		var paths []string
		for _, lb := range lbs {
			p := "all paths"
			if len(lb.Paths) > 0 {
				p = strings.Join(lb.Paths, ", ")
			}
			paths = append(paths, lb.Name+": "+p)
		}
		if err := t.add(ns.FQDN, internal, external, strings.Join(paths, "\n")); err != nil {
			return err
		}
	}
	return t.finish()
}

// findingStatuses are the choices of the Findings sheet's Status column.
var findingStatuses = []string{"Open", "In progress", "Done", "Accepted risk"}

// findings writes the Findings sheet with owner and status columns.
func (b *book) findings() error {
	const sh = SheetFindings
	st := &b.st
	t, err := b.newTable(sh, []column{
		{head: "ID", min: 10, max: 22},
		{head: "Severity", min: 10},
		{head: "Subject", min: 12, max: 30, style: st.wrap},
		{head: "Message", min: 30, max: 60, style: st.wrap},
		{head: "Remediation", min: 30, max: 80, style: st.wrap},
		{head: "Sources", min: 30, max: 60, style: st.wrap},
		{head: "Owner", min: 16, max: 16},
		{head: "Status", min: 14, max: 14},
	})
	if err != nil {
		return err
	}
	for _, f := range b.p.Findings {
		if err := t.add(f.ID, planner.SeverityName(f.Severity), f.Subject, f.Message, f.Remediation,
			sourceText(f), nil, findingStatuses[0]); err != nil {
			return err
		}
	}
	if err := t.finish(); err != nil {
		return err
	}
	if len(b.p.Findings) == 0 {
		return nil
	}
	if err := b.cond(sh, colRange(2, 2, t.row),
		ifEqual(planner.SeverityName(planner.SevError), st.cfBad),
		ifEqual(planner.SeverityName(planner.SevWarning), st.cfWarn),
		ifEqual(planner.SeverityName(planner.SevInfo), st.cfInfo)); err != nil {
		return err
	}
	status := colRange(8, 2, t.row)
	if err := b.cond(sh, status,
		ifEqual("Done", st.cfGood),
		ifEqual("In progress", st.cfInfo),
		ifEqual("Accepted risk", st.cfGrey)); err != nil {
		return err
	}
	return b.dropDown(sh, status, findingStatuses)
}

// sourceText is a finding's sources in full (title, publisher, URL), one
// a line, and its basis: documented, practitioner or inferred (to verify).
func sourceText(f planner.Finding) string {
	basis := f.Basis
	if r := planner.RuleByID(f.ID); r != nil && basis == "" {
		basis = r.Basis()
	}
	return citations(f.Sources, basis)
}

// citations lists some sources in full and a basis line.
func citations(keys []string, basis planner.Basis) string {
	var lines []string
	for _, s := range planner.SourcesOf(keys) {
		lines = append(lines, s.Citation())
	}
	switch basis {
	case planner.BasisInferred:
		lines = append(lines, "Basis: inferred (our reading of the sources: verify it)")
	case "":
	default:
		lines = append(lines, "Basis: "+string(basis))
	}
	return strings.Join(lines, "\n")
}

// mergedHeight is the row height that shows text wrapped in merged cells
// width column units wide: Excel does not grow merged rows by itself.
func mergedHeight(text string, width float64) float64 {
	return rowHeight(wrapLines(text, width))
}
