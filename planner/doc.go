// Package planner computes, for every user cohort, protocol and client
// location, the connectivity path through an Exchange coexistence topology
// (which endpoint, proxy or redirect, which authentication at each hop),
// and checks the organisation's prerequisites (coexistence builds, TLS 1.2
// readiness, certificates, namespaces).
//
// Exchange knowledge lives in rules: values with an ID, title, severity,
// documentation and sources (keys into the bibliography of sources.go). Path rules are
// applied while paths are computed; check rules inspect the whole
// organisation afterwards. Rules never print: they report findings into a
// Pass. The organisation itself is a generic graph (package graph).
package planner
