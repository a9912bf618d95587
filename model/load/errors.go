package load

import "github.com/coexist/coexist/model"

// Pos is a position in an input file (model.Pos).
type Pos = model.Pos

// Error is one positioned input problem (model.PosError).
type Error = model.PosError

// ErrorList is every input problem found, sortable by position
// (model.ErrorList).
type ErrorList = model.ErrorList
