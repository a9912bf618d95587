package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
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
(or that CSV) is replaced only if coexist import wrote it; --force
replaces it anyway.

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
	force := fs.Bool("force", false, "replace FILE (and its mailbox CSV) even if coexist import did not write it")
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
	if !*force {
		if err := checkImportOutput(*out, csvName); err != nil {
			fmt.Fprintf(e.stderr, "coexist import: %v\n", err)
			return exitFailure
		}
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

// checkImportOutput refuses to replace files coexist import did not
// write: FILE, unless it begins with importHeader, and FILE's mailbox CSV
// csvName (beside it), unless FILE is an import that names it.
func checkImportOutput(path, csvName string) error {
	ours, names, err := importedInventory(path, csvName)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("-o %s: %v", path, err)
	case !ours:
		return fmt.Errorf("-o %s: the file exists and coexist import did not write it: name another file, or rerun with --force to replace it", path)
	}
	csvPath := filepath.Join(filepath.Dir(path), csvName)
	if _, err := os.Lstat(csvPath); err == nil && !names {
		return fmt.Errorf("-o %s: %s exists and coexist import did not write it (a large import's mailbox list goes there): move it, name another file, or rerun with --force to replace it", path, csvPath)
	}
	return nil
}

// importedInventory reports whether the file at path begins with
// importHeader and whether its mailboxes_csv names csvName.
func importedInventory(path, csvName string) (ours, names bool, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return false, false, err
	}
	if !st.Mode().IsRegular() {
		return false, false, errors.New("not a regular file: name the inventory file to write")
	}
	f, err := os.Open(path)
	if err != nil {
		return false, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for first := true; sc.Scan(); first = false {
		line := sc.Text()
		if first && !strings.HasPrefix(line, importHeader) {
			return false, false, nil
		}
		if strings.HasPrefix(line, "mailboxes_csv = ") {
			return true, strings.Trim(strings.TrimPrefix(line, "mailboxes_csv = "), `"`) == csvName, nil
		}
		if strings.HasPrefix(line, "[") {
			break // mailboxes_csv comes before the first table
		}
	}
	return true, false, nil // the header was read, with no mailboxes_csv (or too long a line to look further)
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
