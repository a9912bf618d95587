package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Outlook is a parsed Outlook client version.
type Outlook struct {
	Year int // 2003, 2007, 2010, 2013, 2016, 2019, 2021, 2024; 9999 for Microsoft 365 Apps
	SP   int // service pack level, 0 for none
}

// OutlookM365 is the Year given to Microsoft 365 Apps (always current).
const OutlookM365 = 9999

var outlookRe = regexp.MustCompile(`(?i)^\s*(?:microsoft\s+)?(?:office\s+)?outlook\s+(?:ltsc\s+)?(2003|2007|2010|2013|2016|2019|2021|2024)(?:\s+sp\s*(\d))?\s*$`)
var m365Re = regexp.MustCompile(`(?i)^\s*(?:microsoft|office)\s*365(\s+apps)?(\s+for\s+enterprise)?\s*$|^\s*m365(\s+apps)?\s*$`)

// ParseOutlook parses "Outlook 2010 SP2", "Outlook 2016", "Outlook LTSC
// 2021" (the year of its Office LTSC release), "Microsoft 365 Apps".
func ParseOutlook(s string) (Outlook, error) {
	if m365Re.MatchString(s) {
		return Outlook{Year: OutlookM365}, nil
	}
	m := outlookRe.FindStringSubmatch(s)
	if m == nil {
		return Outlook{}, fmt.Errorf("outlook %q: want e.g. \"Outlook 2010 SP2\", \"Outlook 2016\" or \"Microsoft 365 Apps\"", s)
	}
	y, _ := strconv.Atoi(m[1])
	sp := 0
	if m[2] != "" {
		sp, _ = strconv.Atoi(m[2])
	}
	return Outlook{Year: y, SP: sp}, nil
}

// String renders the version as users write it.
func (o Outlook) String() string {
	switch {
	case o.Year == OutlookM365:
		return "Microsoft 365 Apps"
	case o.SP > 0:
		return fmt.Sprintf("Outlook %d SP%d", o.Year, o.SP)
	default:
		return fmt.Sprintf("Outlook %d", o.Year)
	}
}

// AtLeast reports whether o is year y with service pack sp or newer.
func (o Outlook) AtLeast(y, sp int) bool {
	return o.Year > y || (o.Year == y && o.SP >= sp)
}

// WindowsOS is a parsed Windows version, server or client.
type WindowsOS struct {
	Server  bool
	Release string // "2003", "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022", "2025"; clients: "7", "8.1", "10", "11"
	SP      int
}

var serverOSRe = regexp.MustCompile(`(?i)windows\s+server\s+(2003|2008|2012|2016|2019|2022|2025)(\s+r2)?(?:.*?\bsp\s*(\d)|.*?service\s+pack\s+(\d))?`)
var clientOSRe = regexp.MustCompile(`(?i)windows\s+(xp|vista|7|8\.1|8|10|11)\b(?:.*?\bsp\s*(\d)|.*?service\s+pack\s+(\d))?`)

// ParseWindows parses "Windows Server 2008 R2 SP1", "Microsoft Windows Server
// 2016 Datacenter", "Windows 7 SP1", "Windows 10".
func ParseWindows(s string) (WindowsOS, error) {
	if m := serverOSRe.FindStringSubmatch(s); m != nil {
		os := WindowsOS{Server: true, Release: m[1]}
		if m[2] != "" {
			os.Release += " R2"
		}
		os.SP = atoiOr0(m[3] + m[4])
		return os, nil
	}
	if m := clientOSRe.FindStringSubmatch(s); m != nil {
		return WindowsOS{Release: strings.ToUpper(m[1]), SP: atoiOr0(m[2] + m[3])}, nil
	}
	return WindowsOS{}, fmt.Errorf("operating system %q: want e.g. \"Windows Server 2012 R2\" or \"Windows 10\"", s)
}

func atoiOr0(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// String renders the OS as "Windows Server 2008 R2 SP1".
func (o WindowsOS) String() string {
	s := "Windows " + o.Release
	if o.Server {
		s = "Windows Server " + o.Release
	}
	if o.SP > 0 {
		s += fmt.Sprintf(" SP%d", o.SP)
	}
	return s
}

// HasUpdate reports whether kb (e.g. "KB3140410") is in the list,
// case-insensitively.
func HasUpdate(list []string, kb string) bool {
	for _, u := range list {
		if strings.EqualFold(strings.TrimSpace(u), kb) {
			return true
		}
	}
	return false
}
