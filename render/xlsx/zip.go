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
// as Office writes it) with a fixed modification time. Only compressed
// bytes are held: the workbook is in memory at this point anyway, since
// excelize's WriteTo buffers the archive.
type sortedZip struct {
	w        io.Writer
	modified time.Time
	parts    []*zipPart
	open     *zipPart
	// rows, when set, generates the rows of the Connectivity sheets:
	// worksheet parts are held uncompressed until closed, then written
	// with their marker row replaced (connRows.splice).
	rows *connRows
}

// zipPart is one compressed archive member.
type zipPart struct {
	name string
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
	// raw holds the uncompressed bytes of a worksheet part until it is
	// closed, when hold is set.
	raw  bytes.Buffer
	hold bool
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
	fw, err := flate.NewWriter(&p.buf, flate.BestSpeed) // level 1: 3× faster, files ~25% larger
	if err != nil {
		return nil, err
	}
	p.fw = fw
	p.hold = z.rows != nil && strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
	z.parts = append(z.parts, p)
	z.open = p
	return p, nil
}

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
	if z.open == nil {
		return nil
	}
	if p := z.open; p.hold {
		p.hold = false
		spliced, err := z.rows.splice(p.raw.Bytes(), p)
		if err == nil && !spliced {
			_, err = p.Write(p.raw.Bytes())
		}
		p.raw = bytes.Buffer{}
		if err != nil {
			z.open = nil
			return err
		}
	}
	err := z.open.fw.Close()
	z.open.fw = nil // free the compressor's window
	z.open = nil
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
