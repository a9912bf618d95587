package clixml

import "github.com/coexist/coexist/model"

// Pos is a position in a CLIXML file (model.Pos). Line and Col start at 1
// and Col counts characters; for UTF-16 input they refer to the text after
// conversion to UTF-8, which has the same lines and characters.
type Pos = model.Pos

// Error is one positioned problem (model.PosError).
type Error = model.PosError

// ErrorList is every problem found, sortable by position (model.ErrorList).
type ErrorList = model.ErrorList
