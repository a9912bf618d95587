package exchimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/clixml"
)

// Limits on what Import walks.
const (
	// MaxFiles is the most .xml and .csv files Import reads from one folder tree.
	MaxFiles = 20000
	// MaxDepth is how many folder levels below DIR Import descends.
	MaxDepth = 6
	// maxNotes bounds the report's notes.
	maxNotes = 300
	// MaxXMLSize is the largest Export-Clixml file Import reads: the
	// collector's largest, Get-MailboxDatabase of thousands of databases,
	// stays far below it.
	MaxXMLSize = 256 << 20
	// MaxCSVSize is the largest CSV file Import reads: a mailbox list of
	// 10,000,000 mailboxes (the inventory's limit) stays below it.
	MaxCSVSize = 1 << 30
	// MaxURLRows is the most rows of a URL-inventory CSV, one server each
	// (an inventory holds at most 100,000 servers).
	MaxURLRows = 100_000
)

// tooLarge returns a problem when the file at p is larger than limit.
func tooLarge(p string, limit int64) string {
	if st, err := os.Stat(p); err == nil && st.Size() > limit {
		return fmt.Sprintf("file is larger than %d MiB: not an export coexist reads", limit>>20)
	}
	return ""
}

// Import reads the files under dir — a collect.ps1 output folder, a flat
// folder of Export-Clixml files, or folders holding a URL-inventory CSV —
// and returns the inventory they describe with a Report of what the
// consultant must still add by hand. dir may also name a single file.
//
// Values the exports lack are left unset, never guessed. The error, when
// not nil, is a clixml.ErrorList of every file problem as file:line:col:
// message (malformed CLIXML, unreadable or malformed CSV); the inventory
// and report then hold whatever the readable files gave. Import returns a
// nil inventory only when dir itself cannot be read or holds more than
// MaxFiles files.
func Import(dir string) (*model.Inventory, Report, error) {
	im := newImporter(dir)
	st, err := os.Stat(dir)
	if err != nil {
		return nil, Report{Dir: dir}, clixml.ErrorList{{Pos: clixml.Pos{File: dir}, Msg: "cannot read: " + unwrapPath(err).Error()}}
	}
	var paths []string
	if st.IsDir() {
		paths, err = walk(dir)
		if err != nil {
			return nil, Report{Dir: dir}, clixml.ErrorList{{Pos: clixml.Pos{File: dir}, Msg: err.Error()}}
		}
	} else {
		im.root = filepath.Dir(dir)
		paths = []string{dir}
	}
	var csvs []string
	for _, p := range paths {
		switch strings.ToLower(filepath.Ext(p)) {
		case ".xml":
			im.readXML(p)
		case ".csv":
			csvs = append(csvs, p)
		}
	}
	im.applyXML()
	for _, p := range csvs {
		im.readCSVFile(p)
	}
	inv, rep := im.finish()
	if !im.recognised {
		// Nothing to write: an empty inventory would only hide the error.
		im.errs = append(im.errs, clixml.Error{Pos: clixml.Pos{File: dir},
			Msg: "no Exchange export found: want collect.ps1 output, Export-Clixml files such as GetExchangeServer.xml, or a URL inventory CSV"})
		return nil, rep, im.errs.Sort().Err()
	}
	return inv, rep, im.errs.Sort().Err()
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// walk lists the .xml and .csv files under dir in lexical order, skipping
// hidden folders.
func walk(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return fmt.Errorf("cannot read: %v", unwrapPath(err))
			}
			return nil // an unreadable sub-folder is skipped
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || strings.Count(filepath.ToSlash(rel), "/") >= MaxDepth) {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".xml", ".csv":
		default:
			return nil
		}
		if len(paths) >= MaxFiles {
			return fmt.Errorf("more than %d .xml and .csv files: point coexist import at one collector folder", MaxFiles)
		}
		paths = append(paths, p)
		return nil
	})
	return paths, err
}

// doc is one CLIXML file read.
type doc struct {
	path string // as opened, used in error positions
	rel  string // relative to the import root, with forward slashes
	dir  string
	hint kind
	vals []*clixml.Value
	file *FileReport
}

// srvAcc accumulates one server from every file that mentions it.
type srvAcc struct {
	pos      int // in importer.servers
	s        model.Server
	from     map[string]string // field → file that set it
	seen     map[kind]bool     // kinds of data found for this server
	vdirName map[kind]string   // the virtual directory kept per kind
	// .NET setup values, resolved into DotNet once the build is known.
	ndp4Release, ndp35Install, ndp35SP *int
}

type importer struct {
	root       string
	errs       clixml.ErrorList
	rep        Report
	docs       []*doc
	servers    []*srvAcc
	srvIdx     serverIndex
	dirServer  map[string]*srvAcc
	dirDone    map[string]bool
	org        model.Organization
	orgFrom    string
	sites      []string
	sitesAD    bool
	providers  []model.OutlookProvider
	certs      []model.Certificate
	certIdx    map[string]int
	dbs        []model.Database
	mailboxes  []model.Mailbox
	mbxIdx     map[string]int
	mbxDups    int
	noted      map[string]bool
	recognised bool
}

func newImporter(dir string) *importer {
	return &importer{
		root:      dir,
		rep:       Report{Dir: dir},
		dirServer: map[string]*srvAcc{},
		dirDone:   map[string]bool{},
		certIdx:   map[string]int{},
		mbxIdx:    map[string]int{},
		noted:     map[string]bool{},
	}
}

func (im *importer) relPath(p string) string {
	if rel, err := filepath.Rel(im.root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}

// note records something the consultant should know, once.
func (im *importer) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if im.noted[msg] {
		return
	}
	im.noted[msg] = true
	switch {
	case len(im.rep.Notes) < maxNotes:
		im.rep.Notes = append(im.rep.Notes, msg)
	case len(im.rep.Notes) == maxNotes:
		im.rep.Notes = append(im.rep.Notes, "… further notes left out")
	}
}

func (im *importer) addFile(rel string) *FileReport {
	im.rep.Files = append(im.rep.Files, &FileReport{Path: rel})
	return im.rep.Files[len(im.rep.Files)-1]
}

// readXML reads one CLIXML file; its values are applied later, once every
// file's servers are known.
func (im *importer) readXML(p string) {
	rel := im.relPath(p)
	fr := im.addFile(rel)
	hint := hintFor(p)
	if hint == kUnknown && !looksCLIXML(p) {
		im.note("%s: not a CLIXML file (no <Objs> root): skipped", rel)
		return
	}
	if msg := tooLarge(p, MaxXMLSize); msg != "" {
		im.errs = append(im.errs, clixml.Error{Pos: clixml.Pos{File: p}, Msg: msg})
		return
	}
	vals, err := clixml.ReadFile(p)
	if err != nil {
		var el clixml.ErrorList
		if errors.As(err, &el) {
			im.errs = append(im.errs, el...)
		} else {
			im.errs = append(im.errs, clixml.Error{Pos: clixml.Pos{File: p}, Msg: "cannot read: " + unwrapPath(err).Error()})
			return
		}
	}
	fr.Objects = len(vals)
	im.docs = append(im.docs, &doc{path: p, rel: rel, dir: filepath.Dir(p), hint: hint, vals: vals, file: fr})
}

// looksCLIXML reports whether the start of the file holds an <Objs element,
// in UTF-8 or UTF-16.
func looksCLIXML(p string) bool {
	f, err := model.OpenFile(p)
	if err != nil {
		return true // let ReadFile report it
	}
	defer f.Close()
	head := make([]byte, 2048)
	n, _ := io.ReadFull(f, head)
	head = bytes.ReplaceAll(head[:n], []byte{0}, nil) // crude UTF-16 to ASCII
	return bytes.Contains(head, []byte("<Objs"))
}

// applyXML applies every CLIXML value: servers first, so that the other
// per-server files can be attributed to them.
func (im *importer) applyXML() {
	kinds := make([][]kind, len(im.docs))
	for i, d := range im.docs {
		kinds[i] = make([]kind, len(d.vals))
		mismatch := false
		for j, v := range d.vals {
			k := classify(v, d.hint)
			kinds[i][j] = k
			if d.hint != kUnknown && k != kUnknown && k != d.hint && !mismatch {
				mismatch = true
				im.note("%s: holds %s objects, not %s: read as such", d.rel, k, d.hint)
			}
		}
		d.file.Kind = fileKind(d.hint, kinds[i])
		if d.file.Kind != "" {
			im.recognised = true
		}
	}
	for i, d := range im.docs {
		for j, v := range d.vals {
			if kinds[i][j] == kExchangeServer {
				im.applyServer(d, v)
			}
		}
	}
	for i, d := range im.docs {
		if len(d.vals) == 0 && d.hint != kUnknown {
			im.applyEmpty(d)
		}
		unknown := 0
		for j, v := range d.vals {
			switch k := kinds[i][j]; k {
			case kExchangeServer:
			case kUnknown:
				unknown++
			default:
				im.apply(d, k, v)
			}
		}
		if unknown > 0 {
			im.note("%s: %d object(s) of type %s not recognised: skipped", d.rel, unknown, firstType(d.vals, kinds[i]))
		}
	}
}

func firstType(vals []*clixml.Value, kinds []kind) string {
	for i, v := range vals {
		if kinds[i] == kUnknown {
			if len(v.Types) > 0 {
				return v.Types[0]
			}
			return v.Kind.String()
		}
	}
	return "?"
}

// fileKind names what a file was read as: the kind most of its values
// have, or the name's kind for an empty file.
func fileKind(hint kind, kinds []kind) string {
	count := map[kind]int{}
	best := kUnknown
	for _, k := range kinds {
		if k == kUnknown {
			continue
		}
		count[k]++
		if best == kUnknown || count[k] > count[best] {
			best = k
		}
	}
	if best == kUnknown {
		best = hint
	}
	if best == kUnknown {
		return ""
	}
	return best.String()
}

func (im *importer) apply(d *doc, k kind, v *clixml.Value) {
	switch k {
	case kExSetup:
		im.applyExSetup(d, v)
	case kCertificate:
		im.applyCertificate(d, v)
	case kOWA, kECP, kEWS, kEAS, kOAB, kMAPI, kAutodiscover:
		im.applyVdir(d, k, v)
	case kOutlookAnywhere:
		im.applyOutlookAnywhere(d, v)
	case kClientAccess:
		im.applyClientAccess(d, v)
	case kPOP, kIMAP:
		im.applyPopImap(d, k, v)
	case kService:
		im.applyService(d, v)
	case kHotFix:
		im.applyHotFix(d, v)
	case kOS:
		im.applyOS(d, v)
	case kTLSRegistry:
		im.applyTLSRegistry(d, v)
	case kTLSSummary:
		im.applyTLSSummary(d, v)
	case kOrgConfig:
		im.applyOrgConfig(d, v)
	case kADSite:
		im.applyADSite(v)
	case kOutlookProvider:
		im.applyProvider(d, v)
	case kDatabase:
		im.applyDatabase(d, v)
	case kMailbox:
		im.addMailbox(model.Mailbox{Name: str(v.Get("Name")), Database: adName(v.Get("Database"))}, d.rel)
	case kMailboxServer:
	}
}

// applyEmpty records what an empty per-server export says: the cmdlet ran
// and found nothing (no Outlook Anywhere on a 2007/2010 server, no hotfix).
func (im *importer) applyEmpty(d *doc) {
	if s := specByName(filepath.Base(d.path)); s == nil || s.Scope != "server" {
		return
	}
	if a := im.dirServerOf(d); a != nil {
		a.seen[d.hint] = true
		im.attributed(d, a)
	}
}

// findServer returns the server called name, by name, FQDN or the first
// label of either, or nil.
func (im *importer) findServer(name string) *srvAcc {
	k := model.Key(name)
	if k == "" || k == "." || k == "localhost" {
		return nil
	}
	x := &im.srvIdx
	if p, ok := x.exact[k]; ok {
		return im.servers[p]
	}
	short, _, isFQDN := strings.Cut(k, ".")
	if isFQDN {
		if p, ok := x.name[short]; ok {
			return im.servers[p]
		}
	} else if p, ok := x.fqdnHost[k]; ok {
		return im.servers[p]
	}
	return nil
}

// serverIndex finds servers by name for findServer in constant time (a
// scan per row made a 20,000-row URL CSV take 15 s). Each map holds the
// first server (lowest position) with that key, as the scan found it.
type serverIndex struct {
	exact    map[string]int // Key of the name or the FQDN
	name     map[string]int // Key of the name
	fqdnHost map[string]int // Key of the FQDN up to its first dot
}

func (x *serverIndex) add(m *map[string]int, k string, pos int) {
	if k == "" {
		return
	}
	if *m == nil {
		*m = map[string]int{}
	}
	if p, ok := (*m)[k]; !ok || pos < p {
		(*m)[k] = pos
	}
}

// indexServer records a server's name and FQDN; call it again when the
// FQDN is set.
func (im *importer) indexServer(a *srvAcc) {
	x := &im.srvIdx
	n := model.Key(a.s.Name)
	x.add(&x.exact, n, a.pos)
	x.add(&x.name, n, a.pos)
	if a.s.FQDN != "" {
		f := model.Key(a.s.FQDN)
		x.add(&x.exact, f, a.pos)
		if host, _, ok := strings.Cut(f, "."); ok {
			x.add(&x.fqdnHost, host, a.pos)
		}
	}
}

func (im *importer) addServer(name string) *srvAcc {
	a := &srvAcc{
		s:        model.Server{Name: strings.TrimSpace(name)},
		from:     map[string]string{},
		seen:     map[kind]bool{},
		vdirName: map[kind]string{},
	}
	a.pos = len(im.servers)
	im.servers = append(im.servers, a)
	im.indexServer(a)
	return a
}

// dirServerOf returns the server whose folder d is in: the one server the
// folder's Get-ExchangeServer export describes, or the server the folder is
// named after.
func (im *importer) dirServerOf(d *doc) *srvAcc {
	if im.dirDone[d.dir] {
		return im.dirServer[d.dir]
	}
	im.dirDone[d.dir] = true
	var found *srvAcc
	n := 0
	for _, o := range im.docs {
		if o.dir != d.dir {
			continue
		}
		for _, v := range o.vals {
			if classify(v, o.hint) != kExchangeServer {
				continue
			}
			if a := im.findServer(serverName(v)); a != nil && a != found {
				found = a
				n++
			}
		}
	}
	if n != 1 {
		found = nil
		if filepath.Clean(d.dir) != filepath.Clean(im.root) {
			found = im.findServer(filepath.Base(d.dir))
		}
	}
	im.dirServer[d.dir] = found
	return found
}

// serverFor finds the server a per-server value belongs to: by the names
// the value itself gives (strong; with create, an unknown one is added),
// then the folder it is in, then weaker names such as PSComputerName (the
// shell's computer, not always the server described), then the only server
// known. It returns nil, with a note, when it cannot tell.
func (im *importer) serverFor(d *doc, strong []string, create bool, weak []string) *srvAcc {
	for _, n := range strong {
		if a := im.findServer(n); a != nil {
			return im.attributed(d, a)
		}
	}
	if create {
		for _, n := range strong {
			if model.Key(n) != "" {
				return im.attributed(d, im.addServer(n))
			}
		}
	}
	if a := im.dirServerOf(d); a != nil {
		return im.attributed(d, a)
	}
	for _, n := range weak {
		if a := im.findServer(n); a != nil {
			if len(im.servers) > 1 {
				im.note("%s: taken as %s's from PSComputerName %q (no server folder): check it", d.rel, a.s.Name, n)
			}
			return im.attributed(d, a)
		}
	}
	if len(im.servers) == 1 {
		return im.attributed(d, im.servers[0])
	}
	im.note("%s: cannot tell which server it describes (no server folder, no server name in it): skipped", d.rel)
	return nil
}

func (im *importer) attributed(d *doc, a *srvAcc) *srvAcc {
	if d == nil || d.file == nil {
		return a
	}
	for _, n := range strings.Split(d.file.Server, ", ") {
		if n == a.s.Name {
			return a
		}
	}
	if d.file.Server != "" {
		d.file.Server += ", "
	}
	d.file.Server += a.s.Name
	return a
}

// setStr sets *dst to val unless val is empty; a different value already
// there is kept, with a note.
func (im *importer) setStr(a *srvAcc, field string, dst *string, val, src string) {
	val = strings.TrimSpace(val)
	if val == "" {
		return
	}
	if *dst == "" {
		*dst = val
		a.from[field] = src
		return
	}
	if !strings.EqualFold(*dst, val) {
		im.note("%s: %s %s %q differs from %q (%s): kept %q", src, a.s.Name, field, val, *dst, a.from[field], *dst)
	}
}

func (im *importer) setList(a *srvAcc, field string, dst *[]string, val []string, src string) {
	if len(val) == 0 {
		return
	}
	if len(*dst) == 0 {
		*dst = val
		a.from[field] = src
		return
	}
	if !sameFold(*dst, val) {
		im.note("%s: %s %s %v differs from %v (%s): kept the latter", src, a.s.Name, field, val, *dst, a.from[field])
	}
}

func (im *importer) setInt(a *srvAcc, field string, dst **int, val int, src string) {
	if *dst == nil {
		*dst = &val
		a.from[field] = src
		return
	}
	if **dst != val {
		im.note("%s: %s %s = %d differs from %d (%s): kept %d", src, a.s.Name, field, val, **dst, a.from[field], **dst)
	}
}

func sameFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func (im *importer) addSite(name string) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	for _, s := range im.sites {
		if model.Key(s) == model.Key(name) {
			return
		}
	}
	im.sites = append(im.sites, name)
}

func (im *importer) addMailbox(m model.Mailbox, src string) {
	m.Name = strings.TrimSpace(m.Name)
	m.Database = strings.TrimSpace(m.Database)
	if m.Name == "" {
		im.note("%s: mailbox without a name: skipped", src)
		return
	}
	k := model.Key(m.Name)
	if _, dup := im.mbxIdx[k]; dup {
		im.mbxDups++
		return
	}
	im.mbxIdx[k] = len(im.mailboxes)
	im.mailboxes = append(im.mailboxes, m)
}

// finish builds the inventory and completes the report.
func (im *importer) finish() (*model.Inventory, Report) {
	inv := &model.Inventory{Organization: im.org}
	for _, s := range im.sites {
		inv.Sites = append(inv.Sites, model.Site{Name: s})
	}
	for _, a := range im.servers {
		im.resolveDotNet(a)
		if a.s.Site != "" {
			found := false
			for _, s := range inv.Sites {
				if model.Key(s.Name) == model.Key(a.s.Site) {
					found = true
				}
			}
			if !found {
				inv.Sites = append(inv.Sites, model.Site{Name: a.s.Site})
			}
		}
		inv.Servers = append(inv.Servers, a.s)
	}
	inv.OutlookProviders = im.providers
	inv.Certificates = im.certs
	inv.Databases = im.dbs
	im.resolveMailboxDatabases()
	inv.Mailboxes = im.mailboxes
	if im.mbxDups > 0 {
		im.note("%d mailbox(es) repeat the name of an earlier one: kept the first of each (inventory mailbox names are unique)", im.mbxDups)
	}
	if len(inv.Sites) > 0 && !im.sitesAD {
		im.note("sites are the servers' sites (no GetADSite.xml)")
	}
	sort.SliceStable(im.rep.Files, func(i, j int) bool { return im.rep.Files[i].Path < im.rep.Files[j].Path })
	im.dropLongStrings(inv)
	im.todo(inv)
	seen := map[string]bool{}
	for _, p := range inv.Validate() {
		if !seen[p.Message] {
			seen[p.Message] = true
			im.rep.Problems = append(im.rep.Problems, p.Message)
		}
	}
	im.rep.counts = counts{servers: len(inv.Servers), certificates: len(inv.Certificates), databases: len(inv.Databases), mailboxes: len(inv.Mailboxes)}
	return inv, im.rep
}

// resolveMailboxDatabases turns a database given as a path
// ("contoso.com/Configuration/…/DB1") into the name of a known database.
func (im *importer) resolveMailboxDatabases() {
	known := map[string]bool{}
	for _, d := range im.dbs {
		known[model.Key(d.Name)] = true
	}
	for i := range im.mailboxes {
		db := im.mailboxes[i].Database
		if known[model.Key(db)] || !strings.ContainsAny(db, "/\\") {
			continue
		}
		if j := strings.LastIndexAny(db, "/\\"); j >= 0 && known[model.Key(db[j+1:])] {
			im.mailboxes[i].Database = db[j+1:]
		}
	}
}
