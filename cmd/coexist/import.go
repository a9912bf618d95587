package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coexist/coexist/model/clixml"
	"github.com/coexist/coexist/model/exchimport"
	"github.com/coexist/coexist/model/load"
	"github.com/coexist/coexist/templates"
)

var importCommand = command{
	name:    "import",
	usage:   "DIR -o inventory.toml | --collector",
	summary: "convert exported Exchange data (Export-Clixml, URL CSV) into an inventory",
	help: `Reads a folder written by the collector script (collect.ps1), a folder of
Export-Clixml files, or a URL-inventory CSV, and writes an inventory. Its
header comments list what no export can show and must be added by hand
in an overlay (namespaces' DNS targets, load balancers, client profiles…).
Large mailbox lists go to a CSV next to the inventory. An existing FILE
(or that CSV) is replaced only if coexist import wrote it and it has not
been edited since; --force replaces an edited one (the edits are lost). A
file coexist did not write is never replaced: name another FILE.

--collector prints collect.ps1, the read-only collector to run in the
customer's Exchange Management Shell (Exchange 2007–2019, PowerShell 2.0+).

Examples:
  coexist import --collector > collect.ps1
  coexist import contoso-export -o inventory.toml
  coexist plan inventory.toml overlay.toml -o out`,
	run: runImport,
}

// importMailboxCSVThreshold: above this many mailboxes the import writes
// them to a CSV file instead of [[mailboxes]] tables.
const importMailboxCSVThreshold = 1000

func runImport(e *env, c command, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	out := fs.String("o", "", "inventory `FILE` to write (required); an existing FILE is replaced only if coexist import wrote it")
	force := fs.Bool("force", false, "replace FILE (and its mailbox CSV) even if edited since coexist import wrote it")
	collector := fs.Bool("collector", false, "print collect.ps1 and exit")
	rest, code, ok := parseFlags(e, c, fs, args)
	if !ok {
		return code
	}
	if *collector {
		e.stdout.Write(templates.CollectScript)
		return exitOK
	}
	switch {
	case len(rest) != 1:
		return usageError(e, c, "want one export folder, got %d arguments", len(rest))
	case *out == "":
		return usageError(e, c, "-o FILE is required")
	}
	csvName := strings.TrimSuffix(filepath.Base(*out), filepath.Ext(*out)) + "-mailboxes.csv"
	csvPath := filepath.Join(filepath.Dir(*out), csvName)
	if err := checkImportOutput(*out, csvName, *force); err != nil {
		fmt.Fprintf(e.stderr, "coexist import: %v\n", err)
		return exitFailure
	}
	inv, rep, err := exchimport.Import(rest[0])
	if err != nil {
		var el clixml.ErrorList
		if errors.As(err, &el) {
			for _, x := range el {
				fmt.Fprintln(e.stderr, x.Error())
			}
		} else {
			fmt.Fprintf(e.stderr, "coexist import: %v\n", err)
		}
		if inv == nil {
			return exitFailure
		}
		fmt.Fprintln(e.stderr, "coexist import: some files could not be read (see above); the inventory holds what could.")
	}
	opt := load.WriteOptions{Header: rep.Lines()}
	var csvData []byte
	if len(inv.Mailboxes) > importMailboxCSVThreshold {
		opt.MailboxesCSV = csvName
		var b bytes.Buffer
		if err := load.WriteMailboxesCSV(&b, inv.Mailboxes); err != nil {
			fmt.Fprintf(e.stderr, "coexist import: %v\n", err)
			return exitFailure
		}
		csvData = b.Bytes()
	}
	var b bytes.Buffer
	if err := load.WriteTOML(&b, inv, opt); err != nil {
		fmt.Fprintf(e.stderr, "coexist import: %v\n", err)
		return exitFailure
	}
	if csvData != nil {
		if err := writeFileAtomic(csvPath, csvData); err != nil {
			fmt.Fprintf(e.stderr, "coexist import: %v\n", err)
			return exitFailure
		}
	}
	sealImport(&b)
	if err := writeFileAtomic(*out, b.Bytes()); err != nil {
		fmt.Fprintf(e.stderr, "coexist import: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "%s: %d servers, %d certificates, %d databases, %d mailboxes; %d items to add by hand (see its header), %d validation problems left.\n",
		*out, len(inv.Servers), len(inv.Certificates), len(inv.Databases), len(inv.Mailboxes), len(rep.ToDo), len(rep.Problems))
	if err != nil {
		return exitFailure
	}
	return exitOK
}

// importHeader begins every inventory coexist import writes; an existing
// -o FILE that begins otherwise was not written by it.
const importHeader = "# Imported by coexist import from "

// importSeal ends every inventory coexist import writes, with the
// SHA-256 of everything before it: a file that still matches was not
// edited since.
const importSeal = "# coexist import seal: sha256 "

// sealImport appends the seal line to an inventory being written.
func sealImport(b *bytes.Buffer) {
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(b, "%s%s\n", importSeal, hex.EncodeToString(sum[:]))
}

// importState is what an existing -o FILE is to coexist import.
type importState int

const (
	importAbsent  importState = iota
	importForeign             // coexist import did not write it
	importEdited              // it did, and the file was changed since (or predates the seal)
	importIntact              // it did, unchanged
)

// maxImportRead bounds how much of an existing FILE is read to check it.
const maxImportRead = 256 << 20

// checkImportOutput refuses to replace files coexist import did not
// write: FILE, unless it begins with importHeader, and FILE's mailbox CSV
// csvName (beside it), unless FILE is an import that names it. An import
// edited since it was written is replaced only with force.
func checkImportOutput(path, csvName string, force bool) error {
	state, names, err := importedInventory(path, csvName)
	switch {
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("-o %s: %v", path, err)
	case state == importForeign:
		return fmt.Errorf("-o %s: the file exists and coexist import did not write it; coexist never replaces such a file: name another file", path)
	case state == importEdited && !force:
		return fmt.Errorf("-o %s: coexist import wrote this file but it was edited since: name another file (keep the edits in an overlay), or rerun with --force to replace it and lose them", path)
	}
	csvPath := filepath.Join(filepath.Dir(path), csvName)
	if _, err := os.Lstat(csvPath); err == nil && !names {
		return fmt.Errorf("-o %s: %s exists and coexist import did not write it (a large import's mailbox list goes there); coexist never replaces such a file: move it or name another file", path, csvPath)
	}
	return nil
}

// importedInventory tells what the file at path is to coexist import, and
// whether it names csvName as its mailboxes_csv.
func importedInventory(path, csvName string) (state importState, names bool, err error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return importAbsent, false, nil
	}
	if err != nil {
		return importAbsent, false, err
	}
	if !st.Mode().IsRegular() {
		return importAbsent, false, errors.New("not a regular file: name the inventory file to write")
	}
	f, err := os.Open(path)
	if err != nil {
		return importAbsent, false, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportRead+1))
	if err != nil {
		return importAbsent, false, err
	}
	if !bytes.HasPrefix(data, []byte(importHeader)) {
		return importForeign, false, nil
	}
	state = importEdited
	if len(data) <= maxImportRead {
		body := bytes.TrimSuffix(data, []byte("\n"))
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 && bytes.HasPrefix(body[i+1:], []byte(importSeal)) {
			sum := sha256.Sum256(data[:i+1])
			if string(body[i+1+len(importSeal):]) == hex.EncodeToString(sum[:]) {
				state = importIntact
			}
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mailboxes_csv = ") {
			return state, strings.Trim(strings.TrimPrefix(line, "mailboxes_csv = "), `"`) == csvName, nil
		}
		if strings.HasPrefix(line, "[") {
			break // mailboxes_csv comes before the first table
		}
	}
	return state, false, nil
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, so a failed write never leaves half a file.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	var rnd [4]byte
	rand.Read(rnd[:])
	// 0666 before the umask, like any file the user creates (D10).
	f, err := os.OpenFile(filepath.Join(dir, "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(rnd[:])), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
