package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// sortedZip is the excelize.ZipWriter of a deterministic workbook. excelize
// creates the parts of streamed sheets by ranging over a map, so with two
// or more Connectivity sheets their order in the archive would change from
// run to run. sortedZip compresses each part as it is written and, on
// Close, stores the parts in name order ("[Content_Types].xml" sorts first,
// as Office writes it) with a fixed modification time.
//
// It writes the archive to the workbook's destination itself, not to the
// buffer excelize hands it (WriteTo would hold the whole archive in
// memory): only the compressed small parts are held, and the Connectivity
// sheets, whose rows are most of the workbook, are generated and
// compressed straight into the output as they are stored.
type sortedZip struct {
	w        io.Writer
	modified time.Time
	parts    []*zipPart
	open     *zipPart
	// rows, when set, generates the rows of the Connectivity sheets:
	// worksheet parts are held uncompressed until closed; a part with a
	// marker row stays so until it is stored (connRows.splice).
	rows *connRows
}

// zipPart is one archive member.
type zipPart struct {
	name string
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
	// raw holds the uncompressed bytes of a worksheet part until it is
	// closed, when hold is set; a Connectivity sheet's part (with its
	// marker row at mark) keeps them until it is stored.
	raw  bytes.Buffer
	hold bool
	mark *marked
}

func newSortedZip(w io.Writer, modified time.Time) *sortedZip {
	return &sortedZip{w: w, modified: modified}
}

// Create starts a part; its bytes go to the returned writer until the next
// Create or Close.
func (z *sortedZip) Create(name string) (io.Writer, error) {
	if err := z.closePart(); err != nil {
		return nil, err
	}
	for _, p := range z.parts {
		if p.name == name {
			return nil, errors.New("zip: duplicate part " + name)
		}
	}
	p := &zipPart{name: name, crc: crc32.NewIEEE()}
	fw, err := newFlate(&p.buf)
	if err != nil {
		return nil, err
	}
	p.fw = fw
	p.hold = z.rows != nil && strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
	z.parts = append(z.parts, p)
	z.open = p
	return p, nil
}

// newFlate starts compressing to w at level 1: 3× faster than the default,
// files ~25 % larger.
func newFlate(w io.Writer) (*flate.Writer, error) { return flate.NewWriter(w, flate.BestSpeed) }

func (p *zipPart) Write(b []byte) (int, error) {
	if p.hold {
		return p.raw.Write(b)
	}
	return p.compress(b)
}

// compress adds b to the part's compressed bytes.
func (p *zipPart) compress(b []byte) (int, error) {
	p.crc.Write(b)
	p.size += uint64(len(b))
	return p.fw.Write(b)
}

func (z *sortedZip) closePart() error {
	p := z.open
	if p == nil {
		return nil
	}
	z.open = nil
	if p.hold {
		p.hold = false
		m, ok, err := z.rows.find(p.raw.Bytes())
		if err != nil {
			return err
		}
		if ok { // stored by Close, rows and all
			p.mark, p.fw = &m, nil
			return nil
		}
		_, err = p.Write(p.raw.Bytes())
		p.raw = bytes.Buffer{}
		if err != nil {
			return err
		}
	}
	err := p.fw.Close()
	p.fw = nil // free the compressor's window
	return err
}

// AddFS is not used by excelize when saving a workbook.
func (z *sortedZip) AddFS(fs.FS) error {
	return errors.New("zip: AddFS not supported")
}

// Close writes the archive: every part in name order.
func (z *sortedZip) Close() error {
	if err := z.closePart(); err != nil {
		return err
	}
	slices.SortFunc(z.parts, func(a, b *zipPart) int { return strings.Compare(a.name, b.name) })
	zw := zip.NewWriter(z.w)
	dosDate, dosTime := msDosTime(z.modified)
	for _, p := range z.parts {
		fh := &zip.FileHeader{
			Name:               p.name,
			Method:             zip.Deflate,
			CRC32:              p.crc.Sum32(),
			CompressedSize64:   uint64(p.buf.Len()),
			UncompressedSize64: p.size,
			CreatorVersion:     20,
			ReaderVersion:      20,
			ModifiedDate:       dosDate,
			ModifiedTime:       dosTime,
		}
		if p.mark != nil {
			if err := z.storeRows(zw, fh, p); err != nil {
				return err
			}
			continue
		}
		if p.size >= 1<<32-1 || uint64(p.buf.Len()) >= 1<<32-1 {
			fh.ReaderVersion = 45 // ZIP64, as Excel checks
		}
		w, err := zw.CreateRaw(fh)
		if err != nil {
			return err
		}
		if _, err := w.Write(p.buf.Bytes()); err != nil {
			return err
		}
		p.buf = bytes.Buffer{}
	}
	return zw.Close()
}

// storeRows stores a Connectivity sheet's part, generating its rows and
// compressing them straight into the archive. Its sizes and checksum are
// known only at the end, so they follow the data (a data descriptor, as
// excelize's own writer stores every part); the part may exceed 4 GiB, so
// it declares ZIP64 (version 4.5), which Excel checks in the local header.
func (z *sortedZip) storeRows(zw *zip.Writer, fh *zip.FileHeader, p *zipPart) error {
	fh.Flags |= 0x8 // sizes and CRC-32 in a data descriptor
	fh.CRC32, fh.CompressedSize64, fh.UncompressedSize64 = 0, 0, 0
	fh.ReaderVersion = 45
	w, err := zw.CreateRaw(fh)
	if err != nil {
		return err
	}
	out := &countWriter{w: w}
	fw, err := newFlate(out)
	if err != nil {
		return err
	}
	in := &countWriter{w: fw, crc: crc32.NewIEEE()}
	if err := z.rows.splice(p.raw.Bytes(), *p.mark, in); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	p.raw = bytes.Buffer{}
	// The writer keeps fh and writes the data descriptor and the central
	// directory from it on the next part or Close.
	fh.CRC32 = in.crc.Sum32()
	fh.CompressedSize64, fh.UncompressedSize64 = out.n, in.n
	fh.CompressedSize = uint32(min(out.n, 1<<32-1))
	fh.UncompressedSize = uint32(min(in.n, 1<<32-1))
	return nil
}

// countWriter counts (and, with crc set, checksums) the bytes written
// through it.
type countWriter struct {
	w   io.Writer
	n   uint64
	crc hash.Hash32
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += uint64(n)
	if c.crc != nil {
		c.crc.Write(b[:n])
	}
	return n, err
}

// msDosTime converts t to the MS-DOS date and time of a ZIP header; the
// zero time (and anything before 1980) is stored as zero.
func msDosTime(t time.Time) (uint16, uint16) {
	if t.Year() < 1980 {
		return 0, 0
	}
	d := t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9
	tm := t.Second()/2 + t.Minute()<<5 + t.Hour()<<11
	return uint16(d), uint16(tm)
}
