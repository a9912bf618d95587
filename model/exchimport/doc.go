// Package exchimport turns what a consultant brings back from a customer —
// the folder templates/collect.ps1 writes, a flat folder of Export-Clixml
// files, or the community URL-inventory CSV — into a model.Inventory, with a
// Report of what the exports cannot show and must be added by hand.
//
//	inv, rep, err := exchimport.Import("collect-contoso")
//	// err: every file problem, as file:line:col: message (clixml.ErrorList)
//	load.WriteTOML(w, inv, load.WriteOptions{Header: rep.Lines()})
//
// # What it reads
//
// Every .xml and .csv file under the folder (hidden folders skipped, at
// most MaxDepth levels and MaxFiles files). A CLIXML file is recognised by
// the type names of its objects (Microsoft.Exchange.Data.Directory.
// Management.ExchangeServer, …ADOwaVirtualDirectory, …) and, for objects
// whose type says nothing (a PSCustomObject, an empty file), by its name:
// Files lists the names collect.ps1 writes and what is taken from each. A
// CSV file is recognised by its header: the URL inventory (ServerName,
// ServerVersion, EASInternalURL, …, with the original's "Exernal"
// spellings), a mailbox list (name,database) or the collector's manifest.
// CSV files may be UTF-8, with or without a byte-order mark, or UTF-16 with
// one.
//
// # Which server a file describes
//
// Objects that name their server (virtual directories, Outlook Anywhere,
// POP/IMAP settings, Get-ClientAccessServer, hotfixes and the operating
// system by CSName) go to that server. The others — certificates, the
// ExSetup.exe version, the TLS registry — go to the server whose folder they
// are in: a folder whose GetExchangeServer.xml describes one server, or that
// is named after a server. Failing that, PSComputerName decides, then the
// only server known; otherwise the object is skipped with a note.
//
// # What it never does
//
// It does not invent: a value no file holds stays unset (a registry value
// that does not exist stays undefined, not 0), and Report.ToDo says what to
// add. Values the inventory cannot hold (a NetBIOS name among a
// certificate's SANs, an authentication method coexist does not know) are
// left out with a note. When two files disagree the first (in path order,
// CLIXML before CSV) wins, with a note.
package exchimport
