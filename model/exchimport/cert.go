package exchimport

import (
	"crypto/sha1"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/coexist/coexist/model"
	"github.com/coexist/coexist/model/clixml"
)

// sigAlgNames are the Windows names of signature algorithms, as
// Get-ExchangeCertificate's SignatureAlgorithm.FriendlyName shows them.
var sigAlgNames = map[x509.SignatureAlgorithm]string{
	x509.MD2WithRSA:       "md2RSA",
	x509.MD5WithRSA:       "md5RSA",
	x509.SHA1WithRSA:      "sha1RSA",
	x509.SHA256WithRSA:    "sha256RSA",
	x509.SHA384WithRSA:    "sha384RSA",
	x509.SHA512WithRSA:    "sha512RSA",
	x509.SHA256WithRSAPSS: "RSASSA-PSS",
	x509.SHA384WithRSAPSS: "RSASSA-PSS",
	x509.SHA512WithRSAPSS: "RSASSA-PSS",
	x509.DSAWithSHA1:      "sha1DSA",
	x509.DSAWithSHA256:    "sha256DSA",
	x509.ECDSAWithSHA1:    "sha1ECDSA",
	x509.ECDSAWithSHA256:  "sha256ECDSA",
	x509.ECDSAWithSHA384:  "sha384ECDSA",
	x509.ECDSAWithSHA512:  "sha512ECDSA",
	x509.PureEd25519:      "Ed25519",
}

// SignatureAlgorithmName returns the Windows name of an x509 signature
// algorithm ("sha256RSA"), or "" for one it does not know.
func SignatureAlgorithmName(a x509.SignatureAlgorithm) string { return sigAlgNames[a] }

// applyCertificate maps one Get-ExchangeCertificate object. RawData, the
// DER certificate, gives the thumbprint (its SHA-1), subject, SANs, expiry
// and signature algorithm; the exported properties fill in when it is
// missing or does not parse. The certificate's server is the server whose
// folder the file is in.
func (im *importer) applyCertificate(d *doc, v *clixml.Value) {
	var c model.Certificate
	if raw := v.Get("RawData"); raw != nil && raw.Kind == clixml.Bytes && len(raw.Bytes) > 0 {
		c.Thumbprint = fmt.Sprintf("%X", sha1.Sum(raw.Bytes))
		x, err := x509.ParseCertificate(raw.Bytes)
		if err != nil {
			im.note("%s: certificate %s: RawData does not parse (%v): using the exported properties", d.rel, c.Thumbprint, err)
		} else {
			c.Subject = x.Subject.String()
			c.SANs = append(c.SANs, x.DNSNames...)
			c.NotAfter = x.NotAfter.UTC().Format("2006-01-02")
			c.SignatureAlgorithm = sigAlgNames[x.SignatureAlgorithm]
		}
	}
	if c.Thumbprint == "" {
		c.Thumbprint = strings.ToUpper(str(v.Get("Thumbprint")))
	}
	if c.Thumbprint == "" {
		im.note("%s: certificate without RawData or Thumbprint: skipped", d.rel)
		return
	}
	if s := str(v.Get("Subject")); s != "" {
		c.Subject = s // as Windows writes it, "CN=…, O=…"
	}
	if len(c.SANs) == 0 {
		c.SANs = v.Get("CertificateDomains").Strings()
	}
	if c.NotAfter == "" {
		if t := v.Get("NotAfter"); t != nil && t.Kind == clixml.DateTime && !t.Time.IsZero() {
			c.NotAfter = t.Time.Format("2006-01-02")
		}
	}
	if c.SignatureAlgorithm == "" {
		c.SignatureAlgorithm = str(v.Get("SignatureAlgorithm").Get("FriendlyName"))
	}
	var sans []string
	for _, s := range c.SANs {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if err := model.CheckFQDN(strings.TrimPrefix(s, "*.")); err != nil {
			im.note("%s: certificate %s: name %q is not a DNS name the inventory takes (%v): left out of sans", d.rel, c.Thumbprint, s, err)
			continue
		}
		sans = append(sans, s)
	}
	c.SANs = sans
	if svc := str(v.Get("Services")); svc != "" {
		for _, s := range strings.Split(svc, ",") {
			if s = strings.TrimSpace(s); s != "" {
				c.Services = append(c.Services, s)
			}
		}
	}
	a := im.serverFor(d, nil, false, []string{identityServer(v), str(v.Get("PSComputerName"))})
	if a != nil {
		a.seen[kCertificate] = true
		c.Servers = []string{a.s.Name}
	}
	i, ok := im.certIdx[model.Key(c.Thumbprint)]
	if !ok {
		im.certIdx[model.Key(c.Thumbprint)] = len(im.certs)
		im.certs = append(im.certs, c)
		return
	}
	prev := &im.certs[i]
	prev.Servers = union(prev.Servers, c.Servers)
	prev.Services = union(prev.Services, c.Services)
}

// union appends the names of b missing from a (case-insensitively).
func union(a, b []string) []string {
	for _, x := range b {
		found := false
		for _, y := range a {
			found = found || strings.EqualFold(x, y)
		}
		if !found {
			a = append(a, x)
		}
	}
	return a
}
