// Package redact replaces what identifies an organisation in an inventory
// with stable pseudonyms, so that a consultant can share an inventory (or
// a plan made from it) without sharing the customer's names.
//
// Inventory returns a deep copy; the original is not modified. The copy
// still validates and plans to the same paths: the same actions and
// outcomes for every user, the same findings. Pseudonyms are consistent
// across every field (a server's name and its FQDN's host label map
// together, a domain maps the same in every host name, URL, SAN and
// connection setting) and deterministic: each kind's names are numbered in
// sorted (case-insensitive) order, so a pseudonym sorts where its name did
// and the planner's tie-breaks by name are unchanged. Names are compared
// case-insensitively, as Exchange does.
//
// Redacted:
//
//   - mailbox (user) names, everywhere, including full_access: user-00001
//   - server names: SRV-0001; the same server's host label in any host
//     name: srv-0001
//   - load balancers LB-0001, sites SITE-0001, databases DB-0001, offline
//     address books OAB-0001, client profiles profile-0001
//   - the organisation's name: "Example Organisation"
//   - host names wherever they appear: server FQDNs, namespaces, URLs,
//     Outlook Anywhere host names, SANs, POP3/IMAP4 connection settings,
//     Outlook provider servers and cert_principal_name (msstd:…),
//     rpc_client_access_server, primary_namespace, mailbox namespaces,
//     certificate subject CNs. A host name's last two labels are its
//     domain (contoso.com → example-1.test); every other label maps on its
//     own (mail → host-0001; a server's name → srv-0001), so wildcards
//     (*.contoso.com → *.example-1.test) and sub-domains still match.
//   - IP addresses, in host names and anywhere in other text (every
//     string but versions, builds and .NET versions, which may look like
//     IPv4 addresses): an IPv4 address becomes one of the documentation
//     networks 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (then
//     198.18.0.0/15 and 240.0.0.0/4), an IPv6 address one of
//     2001:db8::/32 (zones dropped)
//   - certificate thumbprints: a 40-hex-digit HMAC-SHA1 of the thumbprint
//     keyed with the salt. A thumbprint is public (CT logs, any TLS
//     handshake), so an unkeyed or guessable key would let anyone confirm
//     whose certificate it is: coexist plan passes, unless given a salt,
//     the user's own secret (UserKey: 32 random bytes created once in
//     os.UserConfigDir()/coexist, 0600), so that user's reruns match and
//     nobody else can recompute them
//   - load balancer paths: each segment but Exchange's virtual directories
//     (/owa, /mapi, …) and wildcards gets a pseudonym: /path-0001
//   - certificate subjects: the CN as a host name (or server name), every
//     other attribute's value (O=, OU=, L=, S=, C=, …) "redacted"
//   - URL user information (user:password@) becomes "redacted"
//   - document control ([report]): the customer becomes the organisation's
//     pseudonym, the author "Author", the author's company "redacted",
//     each approver "Approver N"; version and status are kept
//   - mailboxes_csv file names are dropped (the copy holds the mailboxes)
//   - in URL paths, queries and fragments and in other free text: known
//     host names (any name under a domain of the inventory), IP addresses
//     and entity names (servers, sites, load balancers, databases, offline
//     address books, client profiles, the organisation), and in URLs user
//     names too (?owner=zelda → ?owner=user-00001; Exchange's own words
//     such as owa or Autodiscover.xml are kept); in other free text not
//     user names, which are often common words ("red"), and not single
//     host labels
//
// Kept, because rules depend on them and they do not identify the
// customer: Exchange versions and builds, Windows and Outlook versions,
// editions, installed updates (KB numbers), .NET versions, registry
// values, roles, authentication methods, redirect types, Outlook provider
// names (EXPR, EXCH, WEB), load balancer layers, certificate
// dates, services and signature algorithms, dates (as_of, cutover_date,
// not_after), the TLS goal, URL schemes and ports, the other words of URL
// paths, and the host label "autodiscover" (the planner finds the
// Autodiscover namespace by it). Generic words in those values ("Mail",
// "Outlook", "Default") may of course still appear.
//
// Limits: a host name whose labels are much shorter than their pseudonyms
// (many one-letter labels) may come out longer than DNS's 253 characters;
// text that is neither a known name, a host name under a known domain nor
// an IP address is kept.
package redact
