package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/templates"
)

// Runbook phases, in the order a stage runs them.
const (
	PhasePreCheck  = "pre-check"
	PhaseImplement = "implement"
	PhaseTest      = "test"
	PhaseRollback  = "rollback"
)

// PhaseNames spell the runbook phases for headings.
var PhaseNames = map[string]string{
	PhasePreCheck:  "Pre-checks (read-only)",
	PhaseImplement: "Implementation",
	PhaseTest:      "Post-change tests",
	PhaseRollback:  "Rollback",
}

// Shells a runbook task needs, besides the Exchange Management Shell of a
// version (EMSFor).
const (
	ShellPowerShell = "Windows PowerShell (elevated)"
	ShellDNS        = "Windows PowerShell, DnsServer module (internal DNS server)"
	ShellPublicDNS  = "public DNS provider's console"
	ShellSetup      = "Exchange setup, elevated command prompt"
	ShellRCA        = "browser: Microsoft Remote Connectivity Analyzer, https://testconnectivity.microsoft.com"
	ShellClients    = "client software distribution"
	ShellLB         = "load balancer console"
)

// EMSFor is the Management Shell of an Exchange version: commands for a
// 2007 or 2010 server run in that version's shell, 2013 and later in the
// shell of 2013 or later.
func EMSFor(v model.Version) string {
	switch {
	case v == 0:
		return "Exchange Management Shell"
	case v < model.V2013:
		return fmt.Sprintf("Exchange %s Management Shell", v)
	}
	return fmt.Sprintf("Exchange %s Management Shell (2013 or later)", v)
}

// Runbook is how to carry out one stage: its tasks by phase, and the DNS
// records and virtual directory URLs it changes.
type Runbook struct {
	Tasks []Task
	DNS   []DNSChange
	URLs  []URLChange
	// GoNoGo are the criteria the change board checks before and after.
	GoNoGo []string
}

// Task is one runbook step: a command (or a manual action) on a server in
// a shell.
type Task struct {
	Phase string
	// Server is where the task runs ("" when the shell says where, e.g. a
	// DNS provider's console).
	Server string
	Shell  string
	// Action says what the task does.
	Action string
	// Command is the PowerShell (or setup) command, lines separated by
	// "\n"; "" for a manual action.
	Command string
	// From names what generated the task: an edit of the stage or a
	// finding.
	From string
}

// DNSChange is one DNS record a move-namespace edit changes.
type DNSChange struct {
	Record, Zone string
	// View is "internal" or "external" (split-brain DNS).
	View          string
	Before, After []string
	TTL           string
}

// URLChange is one virtual directory URL a stage changes.
type URLChange struct {
	Server     string `json:"server"`
	VirtualDir string `json:"virtual_directory"`
	// Which is "internal" or "external".
	Which  string `json:"which"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// q quotes a name from the inventory for PowerShell.
func q(s string) string { return templates.PSQuote(s) }

func qlist(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = q(s)
	}
	return strings.Join(out, ", ")
}

// serverVersion is a server's Exchange version (0 when unknown).
func serverVersion(s *model.Server) model.Version {
	if s == nil {
		return 0
	}
	if !s.Parsed.IsZero() {
		return s.Parsed.Version()
	}
	for _, b := range []string{s.Build, s.Version} {
		if p, err := model.ParseBuild(b); err == nil {
			return p.Version()
		}
	}
	return 0
}

// rb builds one stage's runbook.
type rb struct {
	s        *StageResult
	prog     *model.Program
	out      *Runbook
	rollback [][]Task // per edit, reversed at the end
}

func (b *rb) add(phase, server, shell, action, cmd, from string) {
	t := Task{Phase: phase, Server: server, Shell: shell, Action: action, Command: cmd, From: from}
	for _, x := range b.out.Tasks { // the same test for several paths runs once
		if x.Phase == t.Phase && x.Server == t.Server && x.Action == t.Action && x.Command == t.Command {
			return
		}
	}
	if phase == PhaseRollback {
		b.rollback[len(b.rollback)-1] = append(b.rollback[len(b.rollback)-1], t)
		return
	}
	b.out.Tasks = append(b.out.Tasks, t)
}

// newest returns the name and version of the newest Exchange server of
// inv (the first by name among them): where organisation-wide commands
// run.
func newest(inv *model.Inventory) (string, model.Version) {
	name, best := "", model.Version(0)
	for i := range inv.Servers {
		s := &inv.Servers[i]
		v := serverVersion(s)
		if v > best || v == best && model.Key(s.Name) < model.Key(name) {
			name, best = s.Name, v
		}
	}
	return name, best
}

// buildRunbook generates a stage's runbook from its edits (each applied in
// turn to the inventory before the stage, so a command sees the state it
// changes) and from its diff's findings and path changes.
func buildRunbook(s *StageResult, prog *model.Program) Runbook {
	b := &rb{s: s, prog: prog, out: &Runbook{}}
	cur := s.Diff.Before.Inv
	for j, e := range s.Stage.Edits {
		next, _ := cur.Apply([]model.Edit{e})
		b.rollback = append(b.rollback, nil)
		from := fmt.Sprintf("edit %d: %s", j+1, EditSummary(e))
		b.edit(e, cur, next, from)
		cur = next
	}
	b.findingTasks()
	b.tests()
	for i := len(b.rollback) - 1; i >= 0; i-- {
		b.out.Tasks = append(b.out.Tasks, b.rollback[i]...)
	}
	sort.SliceStable(b.out.Tasks, func(i, j int) bool {
		return phaseRank(b.out.Tasks[i].Phase) < phaseRank(b.out.Tasks[j].Phase)
	})
	b.urlMatrix(s.Diff.Before.Inv, s.Diff.After.Inv)
	b.goNoGo()
	return *b.out
}

func phaseRank(p string) int {
	switch p {
	case PhasePreCheck:
		return 0
	case PhaseImplement:
		return 1
	case PhaseTest:
		return 2
	}
	return 3
}

func (b *rb) edit(e model.Edit, cur, next *model.Inventory, from string) {
	cx, nx := model.NewIndex(cur), model.NewIndex(next)
	switch e.Op {
	case "move-namespace":
		b.moveNamespace(e, cx, nx, from)
	case "move-mailboxes":
		b.moveMailboxes(e, cur, next, from)
	case "move-database":
		b.moveDatabase(e, cx, nx, from)
	case "add-database":
		s := nx.Server(e.Server)
		ems := EMSFor(serverVersion(s))
		b.add(PhasePreCheck, e.Server, ems, "Confirm the database does not exist yet and the server is healthy",
			fmt.Sprintf("Get-MailboxDatabase -Server %s | Format-Table Name, Server, Mounted\nTest-ServiceHealth -Server %s", q(e.Server), q(e.Server)), from)
		b.add(PhaseImplement, e.Server, ems, "Create and mount the mailbox database",
			fmt.Sprintf("New-MailboxDatabase -Name %s -Server %s\nMount-Database -Identity %s", q(e.Database), q(e.Server), q(e.Database)), from)
		b.add(PhaseTest, e.Server, ems, "The database is mounted and reachable",
			fmt.Sprintf("Get-MailboxDatabase -Identity %s -Status | Format-List Name, Server, Mounted\nTest-MAPIConnectivity -Database %s", q(e.Database), q(e.Database)), from)
		b.add(PhaseRollback, e.Server, ems, "Remove the (empty) database",
			fmt.Sprintf("Remove-MailboxDatabase -Identity %s", q(e.Database)), from)
	case "upgrade-server":
		b.upgrade(e, cx, nx, from)
	case "install-updates":
		b.installUpdates(e, cur, cx, from)
	case "set-registry":
		b.setRegistry(e, cx, from)
	case "set-outlook-anywhere":
		b.setOA(e, cx, from)
	case "set-virtual-directory":
		b.setVDir(e, cx, nx, from)
	case "set-out-of-service":
		host, v := newest(cur)
		ems := EMSFor(v)
		val := e.IsOutOfService != nil && *e.IsOutOfService
		b.add(PhasePreCheck, host, ems, "Current IsOutOfService of "+e.Server,
			fmt.Sprintf("Get-ClientAccessServer -Identity %s | Format-List Name, IsOutOfService", q(e.Server)), from)
		b.add(PhaseImplement, host, ems, fmt.Sprintf("Set IsOutOfService %t on %s (2013+ front doors stop proxying to it)", val, e.Server),
			fmt.Sprintf("Set-ClientAccessServer -Identity %s -IsOutOfService $%t", q(e.Server), val), from)
		was := false
		if s := cx.Server(e.Server); s != nil {
			was = s.IsOutOfService
		}
		b.add(PhaseRollback, host, ems, "Restore IsOutOfService",
			fmt.Sprintf("Set-ClientAccessServer -Identity %s -IsOutOfService $%t", q(e.Server), was), from)
	case "add-certificate", "replace-certificate":
		b.certificate(e, cur, cx, from)
	case "add-server":
		b.addServer(e, cur, from)
	case "decommission-server":
		b.decommission(e, cur, cx, from)
	case "set-mapi-http":
		host, v := newest(cur)
		ems := EMSFor(v)
		val := e.MapiHTTPEnabled != nil && *e.MapiHTTPEnabled
		b.add(PhasePreCheck, host, ems, "Current organisation MAPI/HTTP setting", "Get-OrganizationConfig | Format-List MapiHttpEnabled", from)
		b.add(PhaseImplement, host, ems, fmt.Sprintf("Set MAPI/HTTP %s for the organisation", onOff(val)),
			fmt.Sprintf("Set-OrganizationConfig -MapiHttpEnabled $%t", val), from)
		was := cur.Organization.MapiHTTPEnabled != nil && *cur.Organization.MapiHTTPEnabled
		b.add(PhaseRollback, host, ems, "Restore the MAPI/HTTP setting", fmt.Sprintf("Set-OrganizationConfig -MapiHttpEnabled $%t", was), from)
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// dnsName splits a record into its zone (the parent domain) and its name
// within the zone.
func dnsName(fqdn string) (name, zone string) {
	fqdn = strings.ToLower(strings.TrimSuffix(fqdn, "."))
	if i := strings.IndexByte(fqdn, '.'); i > 0 {
		return fqdn[:i], fqdn[i+1:]
	}
	return fqdn, fqdn
}

// targetHosts turns namespace targets (servers or load balancers) into
// what DNS points at: a server's FQDN, a load balancer's virtual IP.
func targetHosts(x *model.Index, targets []string) []string {
	var out []string
	for _, t := range targets {
		if s := x.Server(t); s != nil && s.FQDN != "" {
			out = append(out, strings.ToLower(s.FQDN))
		} else {
			out = append(out, t)
		}
	}
	return out
}

func (b *rb) moveNamespace(e model.Edit, cx, nx *model.Index, from string) {
	old, neu := cx.Namespace(e.Namespace), nx.Namespace(e.Namespace)
	if old == nil || neu == nil {
		return
	}
	name, zone := dnsName(old.FQDN)
	views := []struct {
		view          string
		before, after []string
	}{{"internal", old.Internal, neu.Internal}, {"external", old.External, neu.External}}
	// New targets must present a certificate with the name: check the
	// certificates bound on the servers the name moves to.
	var certHosts []string
	for _, v := range views {
		for _, t := range v.after {
			if s := nx.Server(t); s != nil && !slicesContains(certHosts, s.Name) {
				certHosts = append(certHosts, s.Name)
			}
			if lb := nx.LoadBalancer(t); lb != nil {
				for _, m := range lb.Members {
					if !slicesContains(certHosts, m) {
						certHosts = append(certHosts, m)
					}
				}
			}
		}
	}
	sort.Strings(certHosts)
	for _, h := range certHosts {
		s := nx.Server(h)
		b.add(PhasePreCheck, h, EMSFor(serverVersion(s)), fmt.Sprintf("The IIS certificate on %s covers %s", h, strings.ToLower(old.FQDN)),
			fmt.Sprintf("Get-ExchangeCertificate -Server %s | Where-Object { $_.Services -match 'IIS' } | Format-List Thumbprint, Subject, CertificateDomains, NotAfter", q(h)), from)
	}
	for _, v := range views {
		if sameSet(v.before, v.after) {
			continue
		}
		bh, ah := targetHosts(cx, v.before), targetHosts(nx, v.after)
		b.out.DNS = append(b.out.DNS, DNSChange{Record: strings.ToLower(old.FQDN), Zone: zone, View: v.view, Before: bh, After: ah, TTL: "300 s during the change"})
		if v.view == "external" {
			b.add(PhasePreCheck, "", ShellPublicDNS, fmt.Sprintf("A day before: lower the TTL of the public record %s to 300 s; note its current address (%s)", old.FQDN, strings.Join(v.before, ", ")), "", from)
			b.add(PhaseImplement, "", ShellPublicDNS, fmt.Sprintf("Point the public record %s at %s (was %s)", old.FQDN, strings.Join(v.after, ", "), strings.Join(v.before, ", ")), "", from)
			b.add(PhaseRollback, "", ShellPublicDNS, fmt.Sprintf("Point the public record %s back at %s", old.FQDN, strings.Join(v.before, ", ")), "", from)
			continue
		}
		b.add(PhasePreCheck, "", ShellDNS, fmt.Sprintf("Current internal record %s (expected: %s); lower its TTL a day before", old.FQDN, strings.Join(bh, ", ")),
			fmt.Sprintf("Get-DnsServerResourceRecord -ZoneName %s -Name %s\nResolve-DnsName -Name %s -DnsOnly", q(zone), q(name), q(old.FQDN)), from)
		b.add(PhaseImplement, "", ShellDNS, fmt.Sprintf("Point the internal record %s at %s", old.FQDN, strings.Join(ah, ", ")), dnsCommands(zone, name, ah), from)
		b.add(PhaseTest, "", ShellDNS, fmt.Sprintf("%s resolves to %s", old.FQDN, strings.Join(ah, ", ")),
			fmt.Sprintf("Clear-DnsClientCache\nResolve-DnsName -Name %s -DnsOnly", q(old.FQDN)), from)
		b.add(PhaseRollback, "", ShellDNS, fmt.Sprintf("Point the internal record %s back at %s", old.FQDN, strings.Join(bh, ", ")), dnsCommands(zone, name, bh), from)
	}
}

// dnsCommands replaces a record's A records with the addresses of hosts
// (resolved at run time: the inventory holds names, not addresses).
func dnsCommands(zone, name string, hosts []string) string {
	lines := []string{fmt.Sprintf("Get-DnsServerResourceRecord -ZoneName %s -Name %s -RRType A -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName %s -Force", q(zone), q(name), q(zone))}
	for _, h := range hosts {
		lines = append(lines, fmt.Sprintf("Add-DnsServerResourceRecordA -ZoneName %s -Name %s -IPv4Address (Resolve-DnsName -Name %s -Type A -DnsOnly).IPAddress -TimeToLive 00:05:00", q(zone), q(name), q(h)))
	}
	return strings.Join(lines, "\n")
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[model.Key(x)] = true
	}
	for _, x := range b {
		if !m[model.Key(x)] {
			return false
		}
	}
	return true
}

// maxListed is the most mailbox names a move command lists; larger batches
// are selected by database or read from the edit's CSV file.
const maxListed = 50

func (b *rb) moveMailboxes(e model.Edit, cur, next *model.Inventory, from string) {
	nx := model.NewIndex(next)
	to := nx.Database(e.ToDatabase)
	if to == nil {
		return
	}
	host := to.Server
	ems := EMSFor(serverVersion(nx.Server(host)))
	// The batch: every mailbox whose database the edit changes, grouped
	// by the database it leaves (for the rollback).
	var moved []string
	back := map[string][]string{}
	for i := range cur.Mailboxes {
		if i < len(next.Mailboxes) && model.Key(cur.Mailboxes[i].Database) != model.Key(next.Mailboxes[i].Database) {
			moved = append(moved, cur.Mailboxes[i].Name)
			back[cur.Mailboxes[i].Database] = append(back[cur.Mailboxes[i].Database], cur.Mailboxes[i].Name)
		}
	}
	sort.Strings(moved)
	batch := b.s.Stage.Name
	b.add(PhasePreCheck, host, ems, fmt.Sprintf("Target database %s is mounted with room for %d mailbox%s", to.Name, len(moved), pluralES(len(moved))),
		fmt.Sprintf("Get-MailboxDatabase -Identity %s -Status | Format-List Name, Server, Mounted, DatabaseSize, AvailableNewMailboxSpace", q(to.Name)), from)
	var cmd string
	switch {
	case e.FromDatabase != "" && len(e.Mailboxes) == 0 && e.CSV == "":
		cmd = fmt.Sprintf("Get-Mailbox -Database %s -ResultSize Unlimited | New-MoveRequest -TargetDatabase %s -BatchName %s -SuspendWhenReadyToComplete", q(e.FromDatabase), q(to.Name), q(batch))
	case len(moved) <= maxListed:
		var lines []string
		for _, m := range moved {
			lines = append(lines, fmt.Sprintf("New-MoveRequest -Identity %s -TargetDatabase %s -BatchName %s -SuspendWhenReadyToComplete", q(m), q(to.Name), q(batch)))
		}
		cmd = strings.Join(lines, "\n")
	case e.CSV != "":
		// The programme's mailbox list, copied next to the shell; a file
		// without a header row gets one.
		read := fmt.Sprintf("Import-Csv -LiteralPath %s -Header 'Name'", q(e.CSV))
		col := "Name"
		if e.CSVHeader != "" {
			read, col = fmt.Sprintf("Import-Csv -LiteralPath %s", q(e.CSV)), e.CSVHeader
		}
		cmd = fmt.Sprintf("%s | ForEach-Object { New-MoveRequest -Identity $_.%s -TargetDatabase %s -BatchName %s -SuspendWhenReadyToComplete }", read, q(col), q(to.Name), q(batch))
	default:
		cmd = fmt.Sprintf("@(%s) | ForEach-Object { New-MoveRequest -Identity $_ -TargetDatabase %s -BatchName %s -SuspendWhenReadyToComplete }", qlist(moved), q(to.Name), q(batch))
	}
	b.add(PhasePreCheck, host, ems, "No earlier move request is pending for the batch's mailboxes",
		fmt.Sprintf("Get-MoveRequest -BatchName %s -ErrorAction SilentlyContinue | Get-MoveRequestStatistics | Format-Table DisplayName, Status, PercentComplete", q(batch)), from)
	b.add(PhaseImplement, host, ems, fmt.Sprintf("Move %d mailbox%s to %s (%s); the copy suspends before completion", len(moved), pluralES(len(moved)), to.Name, sample(moved)), cmd, from)
	b.add(PhaseImplement, host, ems, "In the change window: complete the moves (Outlook of each user is told to restart)",
		fmt.Sprintf("Get-MoveRequest -BatchName %s | Resume-MoveRequest", q(batch)), from)
	b.add(PhaseTest, host, ems, "Every move of the batch completed; check the move reports for skipped items",
		fmt.Sprintf("Get-MoveRequest -BatchName %s | Get-MoveRequestStatistics | Format-Table DisplayName, Status, PercentComplete, BadItemsEncountered\nTest-MAPIConnectivity -Database %s", q(batch), q(to.Name)), from)
	var dbs []string
	for db := range back {
		dbs = append(dbs, db)
	}
	sort.Strings(dbs)
	for _, db := range dbs {
		users := back[db]
		sort.Strings(users)
		var lines []string
		lines = append(lines, fmt.Sprintf("Get-MoveRequest -BatchName %s | Remove-MoveRequest -Confirm:$false", q(batch)))
		if len(users) <= maxListed {
			for _, u := range users {
				lines = append(lines, fmt.Sprintf("New-MoveRequest -Identity %s -TargetDatabase %s -BatchName %s", q(u), q(db), q(batch+" rollback")))
			}
		} else {
			lines = append(lines, fmt.Sprintf("@(%s) | ForEach-Object { New-MoveRequest -Identity $_ -TargetDatabase %s -BatchName %s }", qlist(users), q(db), q(batch+" rollback")))
		}
		b.add(PhaseRollback, host, ems, fmt.Sprintf("Move %d mailbox%s back to %s", len(users), pluralES(len(users)), db), strings.Join(lines, "\n"), from)
	}
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

// sample lists up to five names and how many more.
func sample(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
}

func (b *rb) moveDatabase(e model.Edit, cx, nx *model.Index, from string) {
	old := cx.Database(e.Database)
	if old == nil {
		return
	}
	ems := EMSFor(serverVersion(nx.Server(e.ToServer)))
	b.add(PhasePreCheck, e.ToServer, ems, fmt.Sprintf("The copy of %s on %s is healthy", e.Database, e.ToServer),
		fmt.Sprintf("Get-MailboxDatabaseCopyStatus -Identity %s | Format-Table Name, Status, CopyQueueLength, ReplayQueueLength, ContentIndexState", q(e.Database+`\*`)), from)
	b.add(PhaseImplement, e.ToServer, ems, fmt.Sprintf("Activate %s on %s", e.Database, e.ToServer),
		fmt.Sprintf("Move-ActiveMailboxDatabase -Identity %s -ActivateOnServer %s -Confirm:$false", q(e.Database), q(e.ToServer)), from)
	b.add(PhaseTest, e.ToServer, ems, "The database is mounted on the new server",
		fmt.Sprintf("Get-MailboxDatabase -Identity %s -Status | Format-List Name, Server, Mounted\nTest-MAPIConnectivity -Database %s", q(e.Database), q(e.Database)), from)
	b.add(PhaseRollback, old.Server, ems, fmt.Sprintf("Activate %s on %s again", e.Database, old.Server),
		fmt.Sprintf("Move-ActiveMailboxDatabase -Identity %s -ActivateOnServer %s -Confirm:$false", q(e.Database), q(old.Server)), from)
}

func (b *rb) upgrade(e model.Edit, cx, nx *model.Index, from string) {
	s := cx.Server(e.Server)
	if s == nil {
		return
	}
	v := serverVersion(s)
	ems := EMSFor(v)
	target := e.Build
	if nb, err := model.ParseBuild(e.Build); err == nil {
		target = nb.Name() + " (" + nb.String() + ")"
	}
	was := s.Build
	if was == "" {
		was = s.Version
	}
	b.add(PhasePreCheck, s.Name, ShellPowerShell, fmt.Sprintf("Installed build of %s (expected %s)", s.Name, was),
		fmt.Sprintf("Invoke-Command -ComputerName %s -ScriptBlock { (Get-Command ExSetup.exe).FileVersionInfo.FileVersion }", q(fqdnOr(s))), from)
	if v >= model.V2013 {
		b.add(PhaseImplement, s.Name, ems, "Put the server into maintenance mode",
			fmt.Sprintf("Set-ServerComponentState -Identity %s -Component ServerWideOffline -State Inactive -Requester Maintenance", q(s.Name)), from)
		b.add(PhaseImplement, s.Name, ShellSetup, "Install "+target+" from its media",
			"Setup.exe /Mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", from)
		b.add(PhaseImplement, s.Name, ems, "Take the server out of maintenance mode",
			fmt.Sprintf("Set-ServerComponentState -Identity %s -Component ServerWideOffline -State Active -Requester Maintenance", q(s.Name)), from)
		b.add(PhaseRollback, s.Name, ShellSetup, "A cumulative update cannot be uninstalled: recover the server from its backup or rebuild it ("+was+") with Setup.exe /Mode:RecoverServer", "", from)
	} else {
		b.add(PhaseImplement, s.Name, ShellSetup, "Install "+target+" (service pack or update rollup, elevated; the rollup's .msp)", "", from)
		b.add(PhaseRollback, s.Name, ShellPowerShell, "Uninstall the update rollup (Programs and Features, installed updates) to return to "+was+"; a service pack cannot be uninstalled", "", from)
	}
	b.add(PhaseTest, s.Name, ems, "The new build is installed and every service runs",
		fmt.Sprintf("Invoke-Command -ComputerName %s -ScriptBlock { (Get-Command ExSetup.exe).FileVersionInfo.FileVersion }\nTest-ServiceHealth -Server %s", q(fqdnOr(s)), q(s.Name)), from)
}

func (b *rb) installUpdates(e model.Edit, cur *model.Inventory, cx *model.Index, from string) {
	if e.ClientProfile != "" {
		n := 0
		for _, m := range cur.Mailboxes {
			if model.Key(m.ClientProfile) == model.Key(e.ClientProfile) {
				n++
			}
		}
		b.add(PhaseImplement, "", ShellClients, fmt.Sprintf("Deploy %s to the clients of profile %s (%d user%s)", strings.Join(e.Updates, ", "), e.ClientProfile, n, plural(n)), "", from)
		b.add(PhaseTest, "", ShellPowerShell, "On a sample client of the profile: the updates are installed",
			fmt.Sprintf("Get-HotFix -Id %s", qlist(e.Updates)), from)
		b.add(PhaseRollback, "", ShellClients, fmt.Sprintf("Withdraw %s from the clients of profile %s", strings.Join(e.Updates, ", "), e.ClientProfile), "", from)
		return
	}
	s := cx.Server(e.Server)
	if s == nil {
		return
	}
	host := q(fqdnOr(s))
	if len(e.Updates) > 0 {
		b.add(PhasePreCheck, s.Name, ShellPowerShell, "Updates already installed on "+s.Name,
			fmt.Sprintf("Get-HotFix -ComputerName %s -Id %s -ErrorAction SilentlyContinue | Format-Table HotFixID, InstalledOn", host, qlist(e.Updates)), from)
		var lines []string
		for _, kb := range e.Updates {
			lines = append(lines, fmt.Sprintf("# %s: download the .msu from the Microsoft Update Catalog, then", q(kb)),
				fmt.Sprintf("Start-Process -Wait wusa.exe -ArgumentList (Get-ChildItem -Filter %s).FullName, '/quiet', '/norestart'", q("*"+strings.ToLower(kb)+"*.msu")))
		}
		b.add(PhaseImplement, s.Name, ShellPowerShell, "Install "+strings.Join(e.Updates, ", ")+" and restart", strings.Join(lines, "\n")+"\nRestart-Computer", from)
		b.add(PhaseTest, s.Name, ShellPowerShell, "The updates are installed",
			fmt.Sprintf("Get-HotFix -ComputerName %s -Id %s | Format-Table HotFixID, InstalledOn", host, qlist(e.Updates)), from)
		var un []string
		for _, kb := range e.Updates {
			un = append(un, fmt.Sprintf("Start-Process -Wait wusa.exe -ArgumentList '/uninstall', %s, '/quiet', '/norestart'", q("/kb:"+strings.TrimPrefix(strings.ToUpper(kb), "KB"))))
		}
		b.add(PhaseRollback, s.Name, ShellPowerShell, "Uninstall "+strings.Join(e.Updates, ", "), strings.Join(un, "\n")+"\nRestart-Computer", from)
	}
	if e.DotNet != "" {
		was := s.DotNet
		b.add(PhasePreCheck, s.Name, ShellPowerShell, fmt.Sprintf(".NET Framework 4 release on %s (inventory: %s)", s.Name, was),
			fmt.Sprintf("Invoke-Command -ComputerName %s -ScriptBlock { (Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full').Release }", host), from)
		b.add(PhaseImplement, s.Name, ShellPowerShell, fmt.Sprintf("Install .NET Framework %s (offline installer; server in maintenance mode) and restart", e.DotNet), "", from)
		b.add(PhaseRollback, s.Name, ShellPowerShell, fmt.Sprintf(".NET Framework %s cannot be downgraded in place: restore the server from its backup (was %s)", e.DotNet, was), "", from)
	}
}

// tlsRegValue maps an inventory TLS field to its registry key and value.
func tlsRegValue(field string) (key, name string) {
	if rest, ok := strings.CutPrefix(field, "schannel_tls1"); ok && len(rest) > 2 {
		proto := "TLS 1." + rest[:1]
		side := "Client"
		if strings.HasPrefix(rest[2:], "server") {
			side = "Server"
		}
		name = "Enabled"
		if strings.HasSuffix(field, "disabled_by_default") {
			name = "DisabledByDefault"
		}
		return schannelKey(proto, side), name
	}
	base := netKey
	if strings.Contains(field, "wow6432") {
		base = netWowKey
	}
	ver := net4
	if strings.HasPrefix(field, "net2") {
		ver = net2
	}
	name = "SchUseStrongCrypto"
	if strings.Contains(field, "system_default_tls_versions") {
		name = "SystemDefaultTlsVersions"
	}
	return base + ver, name
}

func (b *rb) setRegistry(e model.Edit, cx *model.Index, from string) {
	s := cx.Server(e.Server)
	if s == nil || e.TLS == nil {
		return
	}
	old := s.TLS.Values()
	var set []RegValue
	var restore []RegValue
	var remove []string
	var check []string
	for i, v := range e.TLS.Values() {
		if v.Value == nil {
			continue
		}
		key, name := tlsRegValue(v.Field)
		set = append(set, RegValue{Key: key, Name: name, Value: uint32(*v.Value)})
		check = append(check, fmt.Sprintf("    Get-ItemProperty -LiteralPath %s -Name %s -ErrorAction SilentlyContinue | Select-Object PSPath, %s", q(psPath(key)), q(name), name))
		if ov := old[i].Value; ov != nil {
			restore = append(restore, RegValue{Key: key, Name: name, Value: uint32(*ov)})
		} else {
			remove = append(remove, fmt.Sprintf("    Remove-ItemProperty -LiteralPath %s -Name %s -ErrorAction SilentlyContinue", q(psPath(key)), q(name)))
		}
	}
	host := fqdnOr(s)
	b.add(PhasePreCheck, s.Name, ShellPowerShell, "Current values of the registry entries this stage sets on "+s.Name,
		fmt.Sprintf("Invoke-Command -ComputerName %s -ScriptBlock {\n%s\n}", q(host), strings.Join(check, "\n")), from)
	backup := `C:\coexist-backup\` + safeFile(s.Name)
	b.add(PhaseImplement, s.Name, ShellPowerShell, "Back up the keys this stage changes (reg export)",
		fmt.Sprintf("Invoke-Command -ComputerName %s -ScriptBlock {\n    New-Item -ItemType Directory -Path %s -Force | Out-Null\n    reg export 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols' %s /y\n    reg export 'HKLM\\SOFTWARE\\Microsoft\\.NETFramework' %s /y\n    reg export 'HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework' %s /y\n}",
			q(host), q(backup), q(backup+`\schannel.reg`), q(backup+`\netfx.reg`), q(backup+`\netfx-wow.reg`)), from)
	b.add(PhaseImplement, s.Name, ShellPowerShell, fmt.Sprintf("Set %d registry value%s and restart %s", len(set), plural(len(set)), s.Name),
		strings.Join(readerLines(Remedy("REGSET", newRegShell(host, set, true))), "\n"), from)
	b.add(PhaseTest, s.Name, ShellPowerShell, "After the restart: the values are set and Schannel logs no handshake errors",
		fmt.Sprintf("Invoke-Command -ComputerName %s -ScriptBlock {\n%s\n}\nGet-WinEvent -ComputerName %s -FilterHashtable @{ LogName = 'System'; ProviderName = 'Schannel'; StartTime = (Get-Date).AddHours(-1) } -ErrorAction SilentlyContinue | Format-Table TimeCreated, Id, Message -Wrap",
			q(host), strings.Join(check, "\n"), q(host)), from)
	var rb []string
	if len(restore) > 0 {
		rb = append(rb, readerLines(Remedy("REGSET", newRegShell(host, restore, false)))...)
	}
	if len(remove) > 0 {
		rb = append(rb, fmt.Sprintf("Invoke-Command -ComputerName %s -ScriptBlock {", q(host)))
		rb = append(rb, remove...)
		rb = append(rb, "}")
	}
	rb = append(rb, fmt.Sprintf("# or import the backup on %s: reg import %s", q(s.Name), q(backup+`\schannel.reg`)), fmt.Sprintf("Restart-Computer -ComputerName %s", q(host)))
	b.add(PhaseRollback, s.Name, ShellPowerShell, "Restore the previous registry values and restart", strings.Join(rb, "\n"), from)
}

// safeFile reduces a server name to a plain file name part.
func safeFile(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	return b.String()
}

func (b *rb) setOA(e model.Edit, cx *model.Index, from string) {
	s := cx.Server(e.Server)
	if s == nil || e.OutlookAnywhere == nil {
		return
	}
	v := serverVersion(s)
	ems := EMSFor(v)
	id := q(s.Name + `\Rpc (Default Web Site)`)
	o, was := e.OutlookAnywhere, s.OutlookAnywhere
	var set, back []string
	str := func(param string, nv *string, ov string) {
		if nv != nil {
			set = append(set, fmt.Sprintf("-%s %s", param, psValue(*nv)))
			back = append(back, fmt.Sprintf("-%s %s", param, psValue(ov)))
		}
	}
	str("ExternalHostname", o.ExternalHostname, was.ExternalHostname)
	str("InternalHostname", o.InternalHostname, was.InternalHostname)
	str("ClientAuthenticationMethod", o.ClientAuthenticationMethod, was.ClientAuthenticationMethod)
	str("ExternalClientAuthenticationMethod", o.ExternalClientAuthenticationMethod, was.ExternalClientAuthenticationMethod)
	str("InternalClientAuthenticationMethod", o.InternalClientAuthenticationMethod, was.InternalClientAuthenticationMethod)
	if o.IISAuthenticationMethods != nil {
		set = append(set, "-IISAuthenticationMethods "+qlist(*o.IISAuthenticationMethods))
		back = append(back, "-IISAuthenticationMethods "+qlist(was.IISAuthenticationMethods))
	}
	if o.SSLOffloading != nil {
		set = append(set, fmt.Sprintf("-SSLOffloading $%t", *o.SSLOffloading))
		back = append(back, fmt.Sprintf("-SSLOffloading $%t", was.SSLOffloading))
	}
	b.add(PhasePreCheck, s.Name, ems, "Current Outlook Anywhere settings of "+s.Name,
		fmt.Sprintf("Get-OutlookAnywhere -Server %s | Format-List *Hostname, *AuthenticationMethod*, SSLOffloading", q(s.Name)), from)
	if o.Enabled != nil && !*o.Enabled && was.Enabled {
		b.add(PhaseImplement, s.Name, ems, "Disable Outlook Anywhere on "+s.Name, fmt.Sprintf("Disable-OutlookAnywhere -Identity %s -Confirm:$false", id), from)
		b.add(PhaseRollback, s.Name, ems, "Enable Outlook Anywhere again", fmt.Sprintf("Enable-OutlookAnywhere -Server %s -ExternalHostname %s -ClientAuthenticationMethod %s -SSLOffloading $%t",
			q(s.Name), psValue(was.ExternalHostname), psValue(was.ClientAuthenticationMethod), was.SSLOffloading), from)
	}
	if len(set) > 0 {
		b.add(PhaseImplement, s.Name, ems, "Change Outlook Anywhere on "+s.Name, fmt.Sprintf("Set-OutlookAnywhere -Identity %s %s", id, strings.Join(set, " ")), from)
		b.add(PhaseRollback, s.Name, ems, "Restore the Outlook Anywhere settings", fmt.Sprintf("Set-OutlookAnywhere -Identity %s %s", id, strings.Join(back, " ")), from)
	}
}

// psValue is a PowerShell argument: a quoted string, or $null for "".
func psValue(s string) string {
	if s == "" {
		return "$null"
	}
	return q(s)
}

// vdirCmdlets are the noun and IIS name of each virtual directory.
var vdirCmdlets = map[string][2]string{
	"owa": {"OwaVirtualDirectory", "owa"}, "ecp": {"EcpVirtualDirectory", "ecp"},
	"eas": {"ActiveSyncVirtualDirectory", "Microsoft-Server-ActiveSync"}, "ews": {"WebServicesVirtualDirectory", "EWS"},
	"oab": {"OabVirtualDirectory", "OAB"}, "mapi": {"MapiVirtualDirectory", "mapi"},
	"autodiscover": {"AutodiscoverVirtualDirectory", "Autodiscover"},
}

// vdirSet renders a Set-*VirtualDirectory command for the changed URLs
// and redirect settings (nil when nothing settable changed).
func vdirSet(server, vd string, in, ex, legacy, cross *string) string {
	c, ok := vdirCmdlets[vd]
	if !ok {
		return ""
	}
	var args []string
	if in != nil {
		args = append(args, "-InternalUrl "+psValue(*in))
	}
	if ex != nil {
		args = append(args, "-ExternalUrl "+psValue(*ex))
	}
	if vd == "owa" && legacy != nil && *legacy != "" {
		args = append(args, "-LegacyRedirectType "+templates.Word(*legacy))
	}
	if vd == "owa" && cross != nil && *cross != "" {
		args = append(args, "-RedirectToOptimalOWAServer $true")
	}
	if len(args) == 0 {
		return ""
	}
	return fmt.Sprintf("Set-%s -Identity %s %s", c[0], q(server+`\`+c[1]+` (Default Web Site)`), strings.Join(args, " "))
}

func (b *rb) setVDir(e model.Edit, cx, nx *model.Index, from string) {
	s := cx.Server(e.Server)
	if s == nil || e.Settings == nil {
		return
	}
	vd := strings.ToLower(e.VirtualDirectory)
	c, ok := vdirCmdlets[vd]
	if !ok {
		return
	}
	ems := EMSFor(serverVersion(s))
	var old model.VirtualDir
	for _, v := range s.VirtualDirs() {
		if v.Field == vd {
			old = *v.Dir
		}
	}
	st := e.Settings
	b.add(PhasePreCheck, s.Name, ems, fmt.Sprintf("Current %s URLs and authentication of %s", c[1], s.Name),
		fmt.Sprintf("Get-%s -Server %s | Format-List Identity, InternalUrl, ExternalUrl, *Authentication*", c[0], q(s.Name)), from)
	if vd == "autodiscover" {
		if st.InternalURL != nil {
			cmdlet := "Set-ClientAccessService"
			if serverVersion(s) < model.V2016 {
				cmdlet = "Set-ClientAccessServer"
			}
			b.add(PhaseImplement, s.Name, ems, "Set the Autodiscover SCP URL of "+s.Name,
				fmt.Sprintf("%s -Identity %s -AutoDiscoverServiceInternalUri %s", cmdlet, q(s.Name), psValue(*st.InternalURL)), from)
			b.add(PhaseRollback, s.Name, ems, "Restore the Autodiscover SCP URL",
				fmt.Sprintf("%s -Identity %s -AutoDiscoverServiceInternalUri %s", cmdlet, q(s.Name), psValue(s.AutoDiscoverServiceInternalURI)), from)
		}
		return
	}
	if cmd := vdirSet(s.Name, vd, st.InternalURL, st.ExternalURL, st.LegacyRedirectType, st.CrossSiteRedirectType); cmd != "" {
		b.add(PhaseImplement, s.Name, ems, fmt.Sprintf("Set the %s URLs of %s", c[1], s.Name), cmd, from)
		var oin, oex *string
		if st.InternalURL != nil {
			oin = &old.InternalURL
		}
		if st.ExternalURL != nil {
			oex = &old.ExternalURL
		}
		if back := vdirSet(s.Name, vd, oin, oex, nil, nil); back != "" {
			b.add(PhaseRollback, s.Name, ems, fmt.Sprintf("Restore the %s URLs of %s", c[1], s.Name), back, from)
		}
	}
	if st.Authentication != nil {
		b.add(PhaseImplement, s.Name, ems, fmt.Sprintf("Set the %s authentication of %s to %s (IIS Manager or the %s parameters of Set-%s); then iisreset /noforce",
			c[1], s.Name, strings.Join(*st.Authentication, ", "), c[0], c[0]), "", from)
		b.add(PhaseRollback, s.Name, ems, fmt.Sprintf("Restore the %s authentication of %s to %s", c[1], s.Name, strings.Join(old.Authentication, ", ")), "", from)
	}
}

func (b *rb) certificate(e model.Edit, cur *model.Inventory, cx *model.Index, from string) {
	c := e.Certificate
	if c == nil {
		return
	}
	servers := c.Servers
	if e.Op == "replace-certificate" && len(servers) == 0 {
		for _, oc := range cur.Certificates {
			if strings.EqualFold(oc.Thumbprint, e.Replaces) {
				servers = oc.Servers
			}
		}
	}
	services := c.Services
	if len(services) == 0 {
		services = []string{"IIS"}
	}
	name := c.Subject
	if name == "" {
		name = c.Thumbprint
	}
	pfx := `\\fileserver\certs\` + safeFile(strings.ToLower(c.Thumbprint)) + ".pfx"
	for _, sn := range servers {
		s := cx.Server(sn)
		ems := EMSFor(serverVersion(s))
		b.add(PhasePreCheck, sn, ems, "Certificates on "+sn+" (the one enabled for IIS now)",
			fmt.Sprintf("Get-ExchangeCertificate -Server %s | Format-List Thumbprint, Subject, CertificateDomains, NotAfter, Services", q(sn)), from)
		b.add(PhaseImplement, sn, ems, fmt.Sprintf("Import %s (SANs %s) and enable it for %s", name, strings.Join(c.SANs, ", "), strings.Join(services, ", ")),
			fmt.Sprintf("Import-ExchangeCertificate -Server %s -FileData ([System.IO.File]::ReadAllBytes(%s)) -Password (Read-Host -AsSecureString 'PFX password') -PrivateKeyExportable $true\nEnable-ExchangeCertificate -Server %s -Thumbprint %s -Services %s -Force",
				q(sn), q(pfx), q(sn), q(c.Thumbprint), templates.Word(strings.Join(services, ","))), from)
		b.add(PhaseTest, sn, ems, "The certificate is enabled and the names answer with it",
			fmt.Sprintf("Get-ExchangeCertificate -Server %s -Thumbprint %s | Format-List Subject, CertificateDomains, Services, NotAfter", q(sn), q(c.Thumbprint)), from)
		// Rollback: re-enable the certificate the server used for IIS
		// before, then remove the new one.
		var prev string
		for _, oc := range cur.Certificates {
			if strings.EqualFold(oc.Thumbprint, c.Thumbprint) {
				continue
			}
			for _, os := range oc.Servers {
				if model.Key(os) == model.Key(sn) {
					prev = oc.Thumbprint
				}
			}
		}
		lines := []string{}
		if prev != "" {
			lines = append(lines, fmt.Sprintf("Enable-ExchangeCertificate -Server %s -Thumbprint %s -Services IIS -Force", q(sn), q(prev)))
		}
		lines = append(lines, fmt.Sprintf("Remove-ExchangeCertificate -Server %s -Thumbprint %s -Confirm:$false", q(sn), q(c.Thumbprint)))
		b.add(PhaseRollback, sn, ems, "Re-enable the previous certificate and remove the new one", strings.Join(lines, "\n"), from)
	}
}

func (b *rb) addServer(e model.Edit, cur *model.Inventory, from string) {
	s := e.NewServer
	if s == nil {
		return
	}
	v := serverVersion(s)
	ems := EMSFor(v)
	_, have := newest(cur)
	roles := strings.Join(s.Roles, ",")
	if roles == "" {
		roles = "Mailbox"
	}
	b.add(PhasePreCheck, s.Name, ShellPowerShell, fmt.Sprintf("%s (%s, site %s) is joined to the domain, reachable, and runs %s", s.Name, s.FQDN, s.Site, s.OS),
		fmt.Sprintf("Test-NetConnection -ComputerName %s -Port 5985\nGet-CimInstance -ComputerName %s -ClassName Win32_OperatingSystem | Format-List Caption, Version", q(fqdnOr(s)), q(fqdnOr(s))), from)
	if v > have {
		b.add(PhaseImplement, s.Name, ShellSetup, fmt.Sprintf("First Exchange %s server: extend the schema and prepare Active Directory (Schema and Enterprise Admins)", v),
			"Setup.exe /PrepareSchema /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF\nSetup.exe /PrepareAD /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", from)
	}
	product := "Exchange " + v.String()
	for _, bs := range []string{s.Build, s.Version} {
		if pb, err := model.ParseBuild(bs); err == nil {
			product = pb.Name()
			break
		}
	}
	b.add(PhaseImplement, s.Name, ShellSetup, fmt.Sprintf("Install %s on %s", product, s.Name),
		fmt.Sprintf("Setup.exe /Mode:Install /Roles:%s /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", roles), from)
	if s.AutoDiscoverServiceInternalURI != "" {
		cmdlet := "Set-ClientAccessService"
		if v < model.V2016 {
			cmdlet = "Set-ClientAccessServer"
		}
		b.add(PhaseImplement, s.Name, ems, "Set the Autodiscover SCP of the new server at once (before clients find it)",
			fmt.Sprintf("%s -Identity %s -AutoDiscoverServiceInternalUri %s", cmdlet, q(s.Name), q(s.AutoDiscoverServiceInternalURI)), from)
	}
	var vd []string
	for _, d := range s.VirtualDirs() {
		in, ex := d.Dir.InternalURL, d.Dir.ExternalURL
		if cmd := vdirSet(s.Name, d.Field, strp(in), strp(ex), nil, nil); cmd != "" && (in != "" || ex != "") {
			vd = append(vd, cmd)
		}
	}
	if len(vd) > 0 {
		b.add(PhaseImplement, s.Name, ems, "Set the virtual directory URLs of "+s.Name, strings.Join(vd, "\n"), from)
	}
	if oa := s.OutlookAnywhere; oa.Enabled {
		args := []string{}
		if oa.ExternalHostname != "" {
			args = append(args, "-ExternalHostname "+q(oa.ExternalHostname), "-ExternalClientsRequireSsl $true")
		}
		if oa.InternalHostname != "" {
			args = append(args, "-InternalHostname "+q(oa.InternalHostname), "-InternalClientsRequireSsl $true")
		}
		if oa.ExternalClientAuthenticationMethod != "" {
			args = append(args, "-ExternalClientAuthenticationMethod "+templates.Word(oa.ExternalClientAuthenticationMethod))
		}
		if oa.InternalClientAuthenticationMethod != "" {
			args = append(args, "-InternalClientAuthenticationMethod "+templates.Word(oa.InternalClientAuthenticationMethod))
		}
		if len(oa.IISAuthenticationMethods) > 0 {
			args = append(args, "-IISAuthenticationMethods "+qlist(oa.IISAuthenticationMethods))
		}
		b.add(PhaseImplement, s.Name, ems, "Set Outlook Anywhere of "+s.Name,
			fmt.Sprintf("Set-OutlookAnywhere -Identity %s %s", q(s.Name+`\Rpc (Default Web Site)`), strings.Join(args, " ")), from)
	}
	b.add(PhaseTest, s.Name, ems, "The new server is in the organisation and healthy",
		fmt.Sprintf("Get-ExchangeServer -Identity %s | Format-List Name, Site, ServerRole, AdminDisplayVersion\nTest-ServiceHealth -Server %s", q(s.Name), q(s.Name)), from)
	b.add(PhaseRollback, s.Name, ShellSetup, "Uninstall Exchange from "+s.Name+" (nothing may depend on it yet)", "Setup.exe /Mode:Uninstall /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", from)
}

func strp(s string) *string { return &s }

// hasRole reports whether the server has the role (case ignored).
func hasRole(s *model.Server, role string) bool {
	for _, r := range s.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

func (b *rb) decommission(e model.Edit, cur *model.Inventory, cx *model.Index, from string) {
	s := cx.Server(e.Server)
	if s == nil {
		return
	}
	host, hv := newest(cur)
	ems := EMSFor(hv)
	own := EMSFor(serverVersion(s))
	b.add(PhasePreCheck, s.Name, own, "Nothing is left on "+s.Name+": no databases, no arbitration or user mailboxes",
		fmt.Sprintf("Get-MailboxDatabase -Server %s\nGet-Mailbox -Server %s -ResultSize Unlimited | Measure-Object\nGet-Mailbox -Server %s -Arbitration", q(s.Name), q(s.Name), q(s.Name)), from)
	// Names still pointing at the server must move first.
	for _, ns := range cur.Namespaces {
		for _, t := range append(append([]string{}, ns.Internal...), ns.External...) {
			if model.Key(t) == model.Key(s.Name) {
				b.add(PhasePreCheck, "", ShellDNS, fmt.Sprintf("%s still points at %s: move it first (a move-namespace edit)", ns.FQDN, s.Name),
					fmt.Sprintf("Resolve-DnsName -Name %s -DnsOnly", q(ns.FQDN)), from)
				break
			}
		}
	}
	// Its (empty) databases go first: system and arbitration mailboxes
	// (OAB generation among them) move to a database of the newest
	// version, then the database is removed; setup refuses to uninstall
	// a server that still has one.
	target := ""
	for _, d := range cur.Databases {
		if ds := cx.Server(d.Server); ds != nil && serverVersion(ds) == hv && model.Key(d.Server) != model.Key(s.Name) {
			target = d.Name
			break
		}
	}
	for _, d := range cur.Databases {
		if model.Key(d.Server) != model.Key(s.Name) {
			continue
		}
		b.add(PhasePreCheck, s.Name, own, fmt.Sprintf("%s holds no user mailboxes any more; list its arbitration and system mailboxes", d.Name),
			fmt.Sprintf("Get-Mailbox -Database %s -ResultSize Unlimited | Measure-Object\nGet-Mailbox -Database %s -Arbitration", q(d.Name), q(d.Name)), from)
		if target != "" {
			b.add(PhaseImplement, host, ems, fmt.Sprintf("Move the arbitration mailboxes of %s to %s", d.Name, target),
				fmt.Sprintf("Get-Mailbox -Database %s -Arbitration | New-MoveRequest -TargetDatabase %s -BatchName %s", q(d.Name), q(target), q(b.s.Stage.Name+" arbitration")), from)
		}
		b.add(PhaseImplement, s.Name, own, "Remove the empty database "+d.Name+" (its files stay on disk until deleted)",
			fmt.Sprintf("Remove-MailboxDatabase -Identity %s -Confirm:$false", q(d.Name)), from)
	}
	if hasRole(s, "ClientAccess") {
		b.add(PhasePreCheck, host, ems, "No client has used "+s.Name+" for a week (IIS and RPC Client Access logs)",
			fmt.Sprintf("Get-ChildItem -LiteralPath %s | Sort-Object LastWriteTime | Select-Object -Last 7 | Select-String -Pattern 'Microsoft-Server-ActiveSync|/owa|/ews|/rpc' | Measure-Object",
				q(`\\`+fqdnOr(s)+`\c$\inetpub\logs\LogFiles\W3SVC1`)), from)
	}
	cmd := "Setup.exe /Mode:Uninstall /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
	if serverVersion(s) < model.V2013 {
		cmd = "Setup.com /mode:Uninstall"
	}
	b.add(PhaseImplement, s.Name, ShellSetup, "Uninstall Exchange from "+s.Name, cmd, from)
	b.add(PhaseTest, host, ems, s.Name+" is gone from the organisation",
		fmt.Sprintf("Get-ExchangeServer -Identity %s -ErrorAction SilentlyContinue", q(s.Name)), from)
	b.add(PhaseRollback, s.Name, ShellSetup, "Uninstalling cannot be undone: recover "+s.Name+" from its backup with Setup /Mode:RecoverServer under the same name", "", from)
}

// findingTasks turns the needs the stage shows into go/no-go tasks: a
// blocking finding the stage introduces is a pre-check the stage fails
// as planned, with the finding's own remediation commands.
func (b *rb) findingTasks() {
	for _, f := range b.s.Diff.Introduced {
		if f.Severity != SevError {
			continue
		}
		from := "finding " + f.ID + " on " + f.Subject
		cmd := strings.Join(f.Fix.Commands(), "\n")
		server := findingServer(b.s.Diff.After, f.Subject)
		_, v := newest(b.s.Diff.After.Inv)
		if sv := b.s.Diff.After.Index.Server(server); sv != nil {
			v = serverVersion(sv)
		}
		action := "Resolve before this stage (it would introduce " + f.ID + "): " + firstSentence(f.Message)
		if len(f.Fix.Steps) > 0 {
			action += " " + strings.Join(f.Fix.Steps, " ")
		}
		b.out.Tasks = append(b.out.Tasks, Task{Phase: PhasePreCheck, Shell: EMSFor(v), Server: server, Action: action, Command: cmd, From: from})
	}
}

// findingServer returns the subject when it is a server of the plan.
func findingServer(p *Plan, subject string) string {
	if p.Index.Server(subject) != nil {
		return p.Index.Server(subject).Name
	}
	return ""
}

// tests adds the post-change tests of the protocols whose paths the stage
// changes, with its users as test accounts, run at the front door the
// changed path reaches first; and the Remote Connectivity Analyzer tests
// of the external paths that change.
func (b *rb) tests() {
	type probe struct {
		users       []string
		host, front string
	}
	seen := map[string]*probe{}
	var order []string
	for _, ch := range b.s.Diff.Changes {
		if len(ch.After.Hops) == 0 {
			continue
		}
		k := ch.Protocol + "\x00" + ch.Location
		p, ok := seen[k]
		if !ok {
			p = &probe{host: ch.After.Hops[0].Host, front: ch.After.Hops[0].To}
			seen[k] = p
			order = append(order, k)
		}
		p.users = mergeSample(p.users, ch.Sample)
	}
	after := b.s.Diff.After
	rca := map[string][]string{}
	for _, k := range order {
		p := seen[k]
		proto, loc, _ := strings.Cut(k, "\x00")
		user := p.users[0]
		front := p.front
		if lb := after.Index.LoadBalancer(front); lb != nil && len(lb.Members) > 0 {
			front = lb.Members[0]
		}
		srv := after.Index.Server(front)
		if srv == nil {
			continue
		}
		v := serverVersion(srv)
		ems := EMSFor(v)
		from := fmt.Sprintf("path change: %s (%s) for %s", ProtocolName(proto), loc, sample(p.users))
		cred := fmt.Sprintf("(Get-Credential -UserName %s -Message 'test account')", q(user))
		switch proto {
		case "autodiscover", "ews", "oab":
			cmd := fmt.Sprintf("Test-OutlookWebServices -Identity %s -MailboxCredential %s", q(user), cred)
			if v < model.V2013 {
				cmd = fmt.Sprintf("Test-OutlookWebServices -Identity %s -ClientAccessServer %s", q(user), q(srv.Name))
			}
			b.add(PhaseTest, srv.Name, ems, fmt.Sprintf("%s answers for %s at %s", ProtocolName(proto), user, p.host), cmd, from)
		case "eas":
			b.add(PhaseTest, srv.Name, ems, fmt.Sprintf("ActiveSync works for %s at %s", user, p.host),
				fmt.Sprintf("Test-ActiveSyncConnectivity -MailboxCredential %s -URL %s -TrustAnySSLCertificate", cred, q("https://"+p.host+"/Microsoft-Server-ActiveSync")), from)
		case "outlook-anywhere", "mapi-http", "rpc-tcp":
			cmd := fmt.Sprintf("Test-OutlookConnectivity -Protocol:HTTP -GetDefaultsFromAutoDiscover:$true -MailboxCredential %s", cred)
			if v >= model.V2013 {
				probeID := "OutlookRpcSelfTestProbe"
				if proto == "mapi-http" {
					probeID = "OutlookMapiHttpSelfTestProbe"
				}
				cmd = fmt.Sprintf("Test-OutlookConnectivity -RunFromServerId %s -ProbeIdentity %s", q(srv.Name), q(probeID))
			}
			b.add(PhaseTest, srv.Name, ems, fmt.Sprintf("%s connects for %s at %s", ProtocolName(proto), user, p.host), cmd, from)
		case "owa", "ecp":
			b.add(PhaseTest, "", "browser", fmt.Sprintf("Sign in as %s at https://%s/%s and open the mailbox", user, p.host, proto), "", from)
		default:
			b.add(PhaseTest, "", "mail client", fmt.Sprintf("%s: connect as %s to %s", ProtocolName(proto), user, p.host), "", from)
		}
		if v >= model.V2013 && proto != "pop3" && proto != "imap4" {
			dir := map[string]string{"autodiscover": "Autodiscover", "ews": "Ews", "oab": "OAB", "eas": "Eas", "outlook-anywhere": "RpcHttp", "mapi-http": "Mapi", "owa": "Owa", "ecp": "Ecp", "rpc-tcp": ""}[proto]
			if dir != "" {
				b.add(PhaseTest, srv.Name, ShellPowerShell, fmt.Sprintf("The front door's HttpProxy log shows %s's %s requests with HTTP 200", user, ProtocolName(proto)),
					fmt.Sprintf("Get-ChildItem -LiteralPath (Join-Path $env:ExchangeInstallPath %s) | Sort-Object LastWriteTime | Select-Object -Last 1 | Select-String -SimpleMatch %s", q(`Logging\HttpProxy\`+dir), q(user)), from)
			}
		}
		if loc == "external" {
			if t, ok := rcaTests[proto]; ok {
				rca[t] = mergeSample(rca[t], p.users)
			}
		}
	}
	var tests []string
	for t := range rca {
		tests = append(tests, t)
	}
	sort.Strings(tests)
	for _, t := range tests {
		b.add(PhaseTest, "", ShellRCA, fmt.Sprintf("Run the %q test from outside with a test account of %s", t, sample(rca[t])), "", "path changes (external)")
	}
}

// rcaTests name the Remote Connectivity Analyzer test of each external
// protocol.
var rcaTests = map[string]string{
	"autodiscover":     "Outlook Autodiscover",
	"outlook-anywhere": "Outlook Connectivity",
	"mapi-http":        "Outlook Connectivity",
	"eas":              "Exchange ActiveSync",
	"ews":              "Synchronization, Notification, Availability, and Automatic Replies",
	"oab":              "Outlook Autodiscover",
}

// urlMatrix lists the virtual directory URLs the stage changes.
func (b *rb) urlMatrix(before, after *model.Inventory) {
	bx := model.NewIndex(before)
	for i := range after.Servers {
		s := &after.Servers[i]
		old := bx.Server(s.Name)
		for _, d := range s.VirtualDirs() {
			var ob model.VirtualDir
			if old != nil {
				for _, od := range old.VirtualDirs() {
					if od.Field == d.Field {
						ob = *od.Dir
					}
				}
			}
			if ob.InternalURL != d.Dir.InternalURL {
				b.out.URLs = append(b.out.URLs, URLChange{Server: s.Name, VirtualDir: d.Field, Which: "internal", Before: ob.InternalURL, After: d.Dir.InternalURL})
			}
			if ob.ExternalURL != d.Dir.ExternalURL {
				b.out.URLs = append(b.out.URLs, URLChange{Server: s.Name, VirtualDir: d.Field, Which: "external", Before: ob.ExternalURL, After: d.Dir.ExternalURL})
			}
		}
	}
}

// goNoGo states the stage's criteria from its verdict and changes.
func (b *rb) goNoGo() {
	s := b.s
	d := s.Diff
	g := &b.out.GoNoGo
	*g = append(*g, "Every pre-check shows the expected starting state.")
	if s.Verdict == StageBreaks {
		*g = append(*g, "NO-GO as planned: "+strings.Join(s.Reasons, "; ")+".")
	}
	for _, p := range s.Prereqs {
		if p.ProvidedBy < 0 && p.Severity == SevError {
			*g = append(*g, fmt.Sprintf("%s (%s) is in place.", p.Title, p.Subject))
		}
	}
	if d.UsersChanged > 0 {
		*g = append(*g, fmt.Sprintf("Every post-change test passes for the test accounts; %d user%s see changed paths.", d.UsersChanged, plural(d.UsersChanged)))
	}
	for _, f := range d.Resolved {
		if f.Severity == SevError {
			*g = append(*g, fmt.Sprintf("Afterwards %s on %s no longer applies (re-run coexist plan on the updated inventory).", f.ID, f.Subject))
		}
	}
	*g = append(*g, "Rollback is ready and its owner is present for the whole window.")
}
