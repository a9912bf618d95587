// Package model holds coexist's domain: the inventory of an Exchange
// organisation (sites, namespaces, load balancers, servers with their builds,
// TLS registry and virtual directories, certificates, databases, client
// profiles and mailboxes), the Exchange build catalog, and validation.
//
// It reads no files (OpenFile only opens one, refusing pipes and devices,
// for the loaders) and imports nothing beyond the standard library and
// golang.org/x/text (Unicode normalisation and case folding for name
// keys); the loaders for TOML, CSV and CLIXML live in sub-packages. Validation reports
// problems against a Ref (which entity and field) so that a loader can turn
// each into a file:line:col position.
package model
