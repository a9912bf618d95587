// Package clixml reads the PowerShell CLIXML serialization format, the files
// that Export-Clixml writes and that coexist's collector brings back from a
// customer:
//
//	<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
//	  <Obj RefId="0">
//	    <TN RefId="0"><T>Microsoft.Exchange.Data.Directory.Management.ExchangeServer</T>…</TN>
//	    <ToString>SOLO-E16A</ToString>
//	    <Props><S N="Name">SOLO-E16A</S>…</Props>
//	    <MS><S N="PSComputerName">solo-e16a.solo.local</S>…</MS>
//	  </Obj>
//	</Objs>
//
// A document is a list of values, the children of <Objs>. Read and ReadFile
// turn each into a *Value; Value.Get looks a property up by name the way
// PowerShell does (ignoring case, extended members before adapted ones), so
// a caller writes
//
//	srv := vals[0]
//	fqdn := srv.Get("Fqdn").String()
//	build := srv.Get("AdminDisplayVersion").Get("Build").Int
//
// and a missing property anywhere in the chain yields nil and the empty
// string rather than a panic.
//
// # Supported elements
//
//   - Obj with RefId; TN (type names, most derived first, with RefId) and
//     TNRef. A RefId may repeat: as in PowerShell's Import-Clixml, a Ref
//     or TNRef means the latest Obj or TN read with that RefId; ToString; Props (adapted properties) and MS (member set,
//     extended properties, possibly holding nested member sets), whose
//     children carry the property name in N. An Obj may also hold one
//     primitive (an enum's number, a wrapped string), one collection, or a
//     base Obj as its content; the Value then takes that content's Kind.
//     Type names are kept as written, without the "Deserialized." prefix
//     PowerShell adds on import.
//   - Primitives: S, C, B, SB, By, I16, U16, I32, U32, I64, U64, Sg, Db, D,
//     DT, TS, G, URI, Version, SemanticVersion, BA (base64), Nil, SS (secure
//     string, kept opaque), XD, SBK. Unknown elements are kept as Kind
//     Other with their text, so a newer serializer does not break old
//     readers.
//   - Collections LST, IE, QUE and STK (Kind List, items in document order,
//     which for STK is top of the stack first) and DCT with its En/Key/Value
//     entries (Kind Dict).
//   - Ref: a reference to an Obj defined earlier, resolved to the same *Value.
//   - The _xHHHH_ escapes PowerShell writes in strings, ToString, type and
//     property names (control characters, CR LF, a literal "_x") become the
//     rune they encode; a UTF-16 surrogate pair written as two escapes
//     becomes one rune.
//
// # Input encodings
//
// UTF-8 with or without a byte-order mark, and UTF-16 little- or big-endian
// with a byte-order mark (Windows PowerShell's Export-Clixml default) or
// without one when the file starts with "<". UTF-16 input is converted to
// UTF-8 on the fly; positions in messages are then lines and columns of the
// converted text, which match the original file's lines and characters.
//
// # Errors and limits
//
// Problems are reported as an ErrorList of "file:line:col: message" entries
// (line and column start at 1; the column counts characters). Problems
// confined to one value — a bad integer, bool, base64 or TS text, an
// unknown Ref or TNRef — are collected and reading goes on; broken XML,
// bytes that are not UTF-8 (or UTF-16) or not allowed in XML such as NUL,
// a wrong root element, nesting deeper than MaxDepth or more than 100
// problems stop it, and so does a run of more than MaxText bytes (1 MiB)
// without markup, so that one huge value is neither held nor passed on. A
// string whose _xHHHH_ escapes (or a <C> value) stand for a control
// character other than tab, CR and LF is reported and read as Nil. Read
// returns the values it finished together with the errors. DT text that
// does not parse is kept in Str without an error.
//
// Reading streams tokens with encoding/xml, so memory grows with the values
// kept, not with a generic node tree, and positions come from the decoder's
// byte offset without keeping the file.
//
// The values form an acyclic graph no deeper than MaxDepth, even when
// followed through Refs: a Ref must name an Obj that is complete, a Ref to
// an enclosing Obj is reported as a reference cycle, and a Ref that would
// nest values too deeply is refused. (PowerShell itself can serialize and
// read back self-referencing objects, but the cmdlets coexist collects do
// not produce them, and refusing them keeps every walk over the values
// finite and shallow.) Value.String bounds its work and output, so a
// document sharing one object through many Refs cannot make it explode.
package clixml
