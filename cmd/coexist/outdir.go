package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Output folders. Every command that writes a folder (plan, gen, whatif,
// diff) goes through writeOutDir, which keeps three promises:
//
//   - coexist never deletes or overwrites a file it did not write. It
//     writes a manifest (.coexist-manifest) listing its files and their
//     SHA-256; DIR must be new, empty, or a previous coexist output, and
//     only the files the manifest lists (unchanged, or changed with
//     --force) are replaced. The current directory, a folder containing it
//     and a folder holding an input file are refused.
//   - Replacing DIR is atomic: the outputs are staged in a hidden folder
//     beside DIR, fsynced, and swapped with DIR in one rename
//     (renameat2 RENAME_EXCHANGE on Linux, RENAME_SWAP on macOS), so a
//     kill at any moment leaves the old or the new DIR. Elsewhere, and on
//     file systems without the exchange, two renames leave a short window.
//   - A staging folder left by a killed run is removed by the next run
//     into the same parent folder when it is recognisably coexist's own
//     (a staging marker no live run holds locked, or a manifest whose
//     files are unchanged); otherwise it is reported and left alone.

const (
	// manifestName lists the files coexist wrote into an output folder.
	manifestName = ".coexist-manifest"
	// stagingMarker marks a staging folder; the run writing it holds it
	// locked.
	stagingMarker = ".coexist-staging"
	// stagingInfix is in the name of every staging folder:
	// ".DIR.coexist-1a2b3c4d".
	stagingInfix = ".coexist-"
	// maxName is the longest file name most file systems accept (bytes).
	maxName = 255
)

// errInterrupted reports a run cancelled by a signal.
var errInterrupted = errors.New("interrupted")

// outFlags are the output-folder flags of a command that writes one.
type outFlags struct {
	dir   string
	force bool
}

func (f *outFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "o", "", "output `DIR` (required): a new or empty folder, or one coexist wrote before")
	fs.BoolVar(&f.force, "force", false, "replace a previous coexist output in DIR even where its files were changed since (files coexist did not write are never touched)")
}

// outDir stages a command's outputs in a hidden folder beside the
// destination and swaps it into place only when every file was written.
type outDir struct {
	ctx    context.Context
	stderr io.Writer
	cmd    string // command name, for messages
	name   string // DIR as the user wrote it
	dest   string // absolute, symbolic links resolved
	tmp    string // staging folder
	force  bool
	lock   *os.File // the staging marker, locked while the run lives
}

// writeOutDir writes a command's output folder: it checks DIR, stages the
// files that write produces, and replaces DIR only when every file was
// written. inputs are the files the command read (DIR may not hold one).
// Problems are printed as "coexist CMD: …"; it reports whether DIR now
// holds the outputs.
func writeOutDir(e *env, cmd string, f outFlags, inputs []string, write func(*outDir) error) bool {
	od, ok := prepareOutDir(e, cmd, f, inputs)
	if !ok {
		return false
	}
	return od.finish(e, write)
}

// prepareOutDir checks DIR, removes or reports the leftovers of killed
// runs beside it, and creates the staging folder. Call it before long
// work, so a refused DIR is reported at once.
func prepareOutDir(e *env, cmd string, f outFlags, inputs []string) (*outDir, bool) {
	fail := func(err error) (*outDir, bool) {
		fmt.Fprintf(e.stderr, "coexist %s: %v\n", cmd, err)
		return nil, false
	}
	dest, err := resolveOutDir(f.dir)
	if err != nil {
		return fail(err)
	}
	if err := checkOutDir(dest, f.dir, f.force, inputs); err != nil {
		return fail(err)
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return fail(fmt.Errorf("create %s: %w", parent, err))
	}
	for _, note := range cleanLeftovers(parent) {
		fmt.Fprintf(e.stderr, "coexist %s: note: %s\n", cmd, note)
	}
	od := &outDir{ctx: e.ctx, stderr: e.stderr, cmd: cmd, name: f.dir, dest: dest, force: f.force}
	if err := od.stage(); err != nil {
		return fail(fmt.Errorf("create a staging folder beside %s: %w", f.dir, err))
	}
	return od, true
}

// resolveOutDir makes DIR absolute and follows a symbolic link naming it,
// so the outputs go into the folder it points to and the link stays.
func resolveOutDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("-o %s: %w", dir, err)
	}
	st, err := os.Lstat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return realPath(abs), nil
	case err != nil:
		return "", fmt.Errorf("-o %s: %w", dir, err)
	case st.Mode()&os.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", fmt.Errorf("-o %s is a symbolic link to a missing folder: %w", dir, err)
		}
		abs = target
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return "", fmt.Errorf("-o %s exists and is not a directory", dir)
	}
	return realPath(abs), nil
}

// realPath returns p absolute with its existing part's symbolic links
// resolved, so two names of one file compare equal.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	dir, base := filepath.Split(abs)
	if dir = filepath.Clean(dir); dir != abs {
		return filepath.Join(realPath(dir), base)
	}
	return abs
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// checkOutDir refuses a DIR coexist must not replace: the current
// directory or one containing it, a folder holding an input file, a
// non-empty folder without a coexist manifest, a previous output holding
// files coexist did not write, or (without force) one whose files were
// changed since coexist wrote them.
func checkOutDir(dest, name string, force bool, inputs []string) error {
	// The staging folder's name adds 22 bytes: ".DIR.coexist-1a2b3c4d.old".
	if len(filepath.Base(dest))+22 > maxName {
		return fmt.Errorf("-o %s: the folder name is longer than %d bytes", name, maxName-22)
	}
	if cwd, err := os.Getwd(); err == nil && within(realPath(cwd), dest) {
		return fmt.Errorf("-o %s: refusing to write into the current directory or a folder that contains it (coexist replaces DIR as a whole): name a new folder, e.g. -o out", name)
	}
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		if within(realPath(in), dest) {
			return fmt.Errorf("-o %s: refusing to write into a folder that holds the input file %s: name a folder for the outputs only, e.g. -o %s", name, in, filepath.Join(name, "plan"))
		}
	}
	entries, err := os.ReadDir(dest)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("-o %s: %w", name, err)
	}
	if len(entries) == 0 {
		return nil
	}
	m, err := readManifest(dest)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("-o %s: the folder is not empty and was not written by coexist (it has no %s): coexist replaces only its own outputs, so name a new or empty folder", name, manifestName)
	}
	if err != nil {
		return fmt.Errorf("-o %s: %w", name, err)
	}
	foreign, changed := m.inspect(dest)
	if len(foreign) > 0 {
		return fmt.Errorf("-o %s: the folder holds %s coexist did not write (%s): move %s out or name another folder (coexist never deletes %s, not even with --force)",
			name, plural2(len(foreign), "a file", "files"), listNames(foreign), plural2(len(foreign), "it", "them"), plural2(len(foreign), "it", "them"))
	}
	if len(changed) > 0 && !force {
		return fmt.Errorf("-o %s: %s changed since coexist wrote %s (%s): keep a copy elsewhere, or rerun with --force to replace %s",
			name, plural2(len(changed), "a file", "files"), plural2(len(changed), "it", "them"), listNames(changed), plural2(len(changed), "it", "them"))
	}
	return nil
}

func plural2(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// listNames lists up to five names and a count of the rest.
func listNames(names []string) string {
	const show = 5
	quoted := make([]string, 0, show)
	for i, n := range names {
		if i == show {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(names)-show))
			break
		}
		quoted = append(quoted, strconv.Quote(n))
	}
	return strings.Join(quoted, ", ")
}

// manifest is the parsed .coexist-manifest: file name → size and SHA-256.
type manifest map[string]fileSum

type fileSum struct {
	size int64
	sum  string
}

const manifestHeader = `# coexist output folder: the files coexist wrote here, with their size and
# SHA-256. A later coexist run into this folder replaces these files (only
# these, and only unchanged unless --force); it never deletes other files.
`

func readManifest(dir string) (manifest, error) {
	f, err := os.Open(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := manifest{}
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		fields := strings.Fields(t)
		if len(fields) != 3 {
			return nil, fmt.Errorf("%s:%d: want \"SHA-256 size name\"", manifestName, line)
		}
		size, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil || len(fields[0]) != 64 || fields[2] != safeName(fields[2]) {
			return nil, fmt.Errorf("%s:%d: want \"SHA-256 size name\"", manifestName, line)
		}
		m[fields[2]] = fileSum{size: size, sum: fields[0]}
	}
	return m, sc.Err()
}

// lists reports whether the manifest lists name.
func (m manifest) lists(name string) bool {
	_, ok := m[name]
	return ok
}

// matches reports whether the file at path is the one the manifest lists.
func (m manifest) matches(path, name string) bool {
	want, ok := m[name]
	if !ok {
		return false
	}
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() != want.size {
		return false
	}
	got, _, err := hashFile(path, false)
	return err == nil && got == want.sum
}

// inspect sorts a previous output's entries into files coexist did not
// write and listed files that changed since.
func (m manifest) inspect(dir string) (foreign, changed []string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		switch {
		case n == manifestName || n == stagingMarker:
		case !m.lists(n):
			foreign = append(foreign, n)
		case !m.matches(filepath.Join(dir, n), n):
			changed = append(changed, n)
		}
	}
	return foreign, changed
}

// hashFile returns a file's SHA-256 and size, fsyncing it first if sync.
func hashFile(path string, sync bool) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	if sync {
		if err := f.Sync(); err != nil {
			return "", 0, err
		}
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// stage creates the staging folder beside dest and its locked marker.
func (o *outDir) stage() error {
	base := filepath.Base(o.dest)
	var rnd [4]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return err
	}
	o.tmp = filepath.Join(filepath.Dir(o.dest), "."+base+stagingInfix+hex.EncodeToString(rnd[:]))
	if err := os.Mkdir(o.tmp, 0o777); err != nil { // the umask decides who may read it
		return err
	}
	f, err := os.OpenFile(filepath.Join(o.tmp, stagingMarker), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err == nil {
		fmt.Fprintf(f, "coexist %s is writing %s (process %d); a later run removes this folder if that run was killed\n", o.cmd, o.name, os.Getpid())
		err = lockFile(f)
		if errors.Is(err, errNoLock) {
			err = nil
		}
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		os.RemoveAll(o.tmp)
		return err
	}
	o.lock = f
	return nil
}

// finish runs write and commits, or removes the staging folder on an
// error or interruption, leaving DIR as it was.
func (o *outDir) finish(e *env, write func(*outDir) error) bool {
	err := write(o)
	if err == nil {
		err = o.commit()
	}
	if err == nil {
		return true
	}
	o.abort()
	if errors.Is(err, errInterrupted) || o.ctx.Err() != nil {
		fmt.Fprintf(e.stderr, "coexist %s: interrupted; %s left as it was\n", o.cmd, o.name)
	} else {
		fmt.Fprintf(e.stderr, "coexist %s: %v\n", o.cmd, err)
	}
	return false
}

// safeName reduces a name derived from inventory data to a plain file name:
// no directories, no leading dots, only portable characters.
func safeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if len(s) > 100 {
		s = s[:100]
	}
	if s == "" {
		s = "_"
	}
	return s
}

// write writes one file (name must be a plain file name) into the staging
// directory.
func (o *outDir) write(name string, data []byte) error {
	return o.stream(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// stream writes one file through a writer function; writing stops with
// errInterrupted once the run is cancelled.
func (o *outDir) stream(name string, write func(io.Writer) error) error {
	if name != safeName(name) {
		return fmt.Errorf("refusing unsafe output file name %q", name)
	}
	if err := o.ctx.Err(); err != nil {
		return errInterrupted
	}
	f, err := os.OpenFile(filepath.Join(o.tmp, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	if err := write(ctxWriter{o.ctx, f}); err != nil {
		f.Close()
		if o.ctx.Err() != nil {
			return errInterrupted
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// ctxWriter fails once its context is cancelled, so a long output stops
// soon after Ctrl-C.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, errInterrupted
	}
	return c.w.Write(p)
}

// commitHook, when set by a test, runs before each step of commit; an
// error stops the commit there as a kill would.
var commitHook func(step string) error

func (o *outDir) hook(step string) error {
	if commitHook != nil {
		return commitHook(step)
	}
	return nil
}

// commit fsyncs the staged files, writes the manifest and swaps the
// staging folder with DIR; then it removes the previous output's files.
func (o *outDir) commit() error {
	if err := o.ctx.Err(); err != nil {
		return errInterrupted
	}
	if err := o.writeManifest(); err != nil {
		return err
	}
	if err := o.ctx.Err(); err != nil {
		return errInterrupted
	}
	if err := o.hook("swap"); err != nil {
		return err
	}
	replaced := false
	if _, err := os.Lstat(o.dest); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(o.tmp, o.dest); err != nil {
			return fmt.Errorf("move outputs into %s: %w", o.name, err)
		}
	} else {
		switch err := exchangeDirs(o.tmp, o.dest); {
		case errors.Is(err, errNoExchange):
			// Two renames: a kill between them leaves the previous output
			// at old and no DIR.
			old := o.tmp + ".old"
			if err := os.Rename(o.dest, old); err != nil {
				return fmt.Errorf("replace %s: %w", o.name, err)
			}
			if err := o.hook("second rename"); err != nil {
				return err
			}
			if err := os.Rename(o.tmp, o.dest); err != nil {
				os.Rename(old, o.dest)
				return fmt.Errorf("move outputs into %s: %w", o.name, err)
			}
			o.tmp = old
		case err != nil:
			return fmt.Errorf("replace %s: %w", o.name, err)
		}
		replaced = true // o.tmp now holds the previous output
	}
	if err := o.hook("unmark"); err != nil {
		return err
	}
	os.Remove(filepath.Join(o.dest, stagingMarker))
	syncDir(filepath.Dir(o.dest))
	o.unlock()
	if replaced {
		if err := o.hook("remove previous"); err != nil {
			return err
		}
		if kept := removeOutput(o.tmp, o.force); len(kept) > 0 {
			fmt.Fprintf(o.stderr, "coexist %s: note: %s changed while coexist ran; the previous output's other files (%s) are kept in %s\n",
				o.cmd, o.name, listNames(kept), o.tmp)
		}
	}
	o.tmp = ""
	return nil
}

// writeManifest fsyncs every staged file and lists it in the manifest,
// then fsyncs the staging folder.
func (o *outDir) writeManifest() error {
	entries, err := os.ReadDir(o.tmp)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(manifestHeader)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if n := e.Name(); n != stagingMarker {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		sum, size, err := hashFile(filepath.Join(o.tmp, n), true)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %s\n", sum, size, n)
	}
	f, err := os.OpenFile(filepath.Join(o.tmp, manifestName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return syncDir(o.tmp)
}

// syncDir fsyncs a directory so renames and new entries in it survive a
// power loss (where the system supports it).
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	f.Sync() // some systems cannot fsync a directory; nothing more to do there
	return nil
}

func (o *outDir) unlock() {
	if o.lock != nil {
		o.lock.Close()
		o.lock = nil
	}
}

// abort removes the staging folder (coexist's own files only).
func (o *outDir) abort() {
	if o.tmp != "" {
		os.RemoveAll(o.tmp)
		o.tmp = ""
	}
	o.unlock()
}

// removeOutput deletes a previous coexist output: the files its manifest
// lists that are still as listed (any listed file with force), then the
// manifest and the folder when nothing else is left. It returns what it
// kept.
func removeOutput(dir string, force bool) (kept []string) {
	os.Remove(filepath.Join(dir, stagingMarker))
	m, err := readManifest(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		m = nil
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		if n == manifestName {
			continue
		}
		p := filepath.Join(dir, n)
		if m.matches(p, n) || force && m.lists(n) {
			os.Remove(p)
			continue
		}
		kept = append(kept, n)
	}
	if len(kept) == 0 {
		os.Remove(filepath.Join(dir, manifestName))
		os.Remove(dir)
	}
	return kept
}

// cleanLeftovers removes the staging folders of killed runs in parent
// and returns notes for the ones it must leave: a folder named like a
// staging folder is removed only when it holds a staging marker no live
// run has locked and no manifest (then every file in it is coexist's),
// or a manifest whose files are all as listed.
func cleanLeftovers(parent string) (notes []string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() || !strings.HasPrefix(n, ".") || !strings.Contains(n, stagingInfix) {
			continue
		}
		dir := filepath.Join(parent, n)
		if note := cleanLeftover(dir); note != "" {
			notes = append(notes, note)
		}
	}
	return notes
}

func cleanLeftover(dir string) string {
	leave := func(why string) string {
		return fmt.Sprintf("%s is left from an interrupted coexist run and %s: look at it and delete it yourself", dir, why)
	}
	marker, err := os.OpenFile(filepath.Join(dir, stagingMarker), os.O_RDWR, 0)
	if err == nil {
		defer marker.Close()
		switch err := lockFile(marker); {
		case errors.Is(err, errLocked):
			return "" // a live run is writing it
		case err != nil:
			return leave("coexist cannot tell whether a run still writes it")
		}
	}
	if _, err := os.Stat(filepath.Join(dir, manifestName)); err == nil || marker == nil {
		if kept := removeOutput(dir, false); len(kept) > 0 {
			return leave(fmt.Sprintf("holds files coexist did not write (%s)", listNames(kept)))
		}
		return ""
	}
	// A staging folder of a killed run: every regular file in it is
	// coexist's.
	entries, _ := os.ReadDir(dir)
	var other []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		} else {
			other = append(other, e.Name())
		}
	}
	if len(other) > 0 {
		return leave(fmt.Sprintf("holds entries coexist did not write (%s)", listNames(other)))
	}
	os.Remove(dir)
	return ""
}

// exchangeDirs is exchange; tests replace it to exercise the fallback.
var exchangeDirs = exchange

var (
	// errNoExchange: the system cannot swap two directories atomically.
	errNoExchange = errors.New("atomic directory exchange not supported")
	// errLocked: another process holds the lock.
	errLocked = errors.New("locked by another process")
	// errNoLock: the system has no advisory locks.
	errNoLock = errors.New("file locks not supported")
)
