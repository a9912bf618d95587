package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

type programJSON struct {
	Schema         string `json:"schema"`
	Verdict        string `json:"verdict"`
	Summary        string `json:"summary"`
	FirstRiskStage int    `json:"first_risk_stage"`
	Stages         []struct {
		Number        int
		Name          string
		Verdict       string
		Reasons       []string
		Prerequisites []struct {
			Rule, Subject   string
			ProvidedByStage int `json:"provided_by_stage"`
		}
		Runbook struct {
			Tasks []struct{ Phase, Server, Shell, Action, Command, From string }
			DNS   []struct {
				Record, View  string
				Before, After []string
			} `json:"dns_changes"`
		}
	}
}

// program runs "coexist program" and returns program.json and stdout.
func program(t *testing.T, wantCode int, base []string, stages string) (programJSON, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	args := append([]string{"program"}, base...)
	code, stdout, stderr := runCLI(t, append(args, "--stages", stages, "-o", dir)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d\n%s%s", code, wantCode, stdout, stderr)
	}
	var p programJSON
	data, err := os.ReadFile(filepath.Join(dir, "program.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	return p, stdout
}

var contosoBase = []string{filepath.Join("..", "..", "samples", "programs", "contoso-2010.toml")}

func TestProgramSamples(t *testing.T) {
	tests := []struct {
		name     string
		base     []string
		stages   string
		code     int
		verdicts []string
		// order: stage number → the later stage that provides its need
		order map[int]int
		say   string // in stdout
	}{
		{"2010 to 2016 in six stages", contosoBase, "../../samples/programs/contoso-2010-to-2016.toml", 0,
			// Stage 1 needs review: adding 2016 turns the 2010 servers into servers
			// being replaced, out of support (LIFE-EXCHANGE, LIFE-WINDOWS warnings),
			// and the new servers' Windows Server 2016 ends on 2027-01-12.
			[]string{"needs-review", "safe", "safe", "safe", "safe", "safe"}, nil, `Needs review: stage 1 "2016 servers and certificate"`},
		{"namespaces before the certificate", contosoBase, "../../samples/programs/contoso-wrong-order.toml", 3,
			[]string{"needs-review", "breaks-paths", "safe"}, map[int]int{2: 3}, `Breaks paths at stage 2 "Namespaces to 2016": blocking finding CERT-SAN (Certificate does not cover a name clients reach) on MBX2016-1 and MBX2016-2; wrong order: stage 3 "Certificate on 2016" provides what this stage needs`},
		{"TLS 1.0 off before TLS 1.2 is ready", contosoBase, "testdata/programs/tls-too-early.toml", 3,
			[]string{"breaks-paths", "safe"}, map[int]int{1: 2}, "TLS-DISABLE-OLD"},
		{"mailbox moved before the load balancer passes /mapi", []string{"../../samples/s1-contoso.toml"}, "testdata/programs/s1-move-red.toml", 3,
			[]string{"breaks-paths"}, nil, "needs NS-MAPI-LB (Load balancer does not pass /mapi on MAPI over HTTP (external)), which no stage provides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := program(t, tt.code, tt.base, tt.stages)
			if p.Schema != "coexist.program/v1" {
				t.Errorf("schema %q", p.Schema)
			}
			if len(p.Stages) != len(tt.verdicts) {
				t.Fatalf("got %d stages, want %d", len(p.Stages), len(tt.verdicts))
			}
			for i, s := range p.Stages {
				for _, task := range s.Runbook.Tasks { // the "#!" lines are remediation.ps1's, not a reader's
					for _, l := range strings.Split(task.Command, "\n") {
						if strings.HasPrefix(strings.TrimSpace(l), "#!") {
							t.Errorf("stage %d %q: task %q shows the directive %q", i+1, s.Name, task.Action, l)
						}
					}
				}
				if s.Verdict != tt.verdicts[i] {
					t.Errorf("stage %d %q: got verdict %s, want %s (reasons %q)", i+1, s.Name, s.Verdict, tt.verdicts[i], s.Reasons)
				}
				for _, pr := range s.Prerequisites {
					if want := tt.order[s.Number]; pr.ProvidedByStage != want && pr.ProvidedByStage != 0 {
						t.Errorf("stage %d: %s provided by stage %d, want %d", s.Number, pr.Rule, pr.ProvidedByStage, want)
					}
				}
				if want, ok := tt.order[s.Number]; ok {
					found := false
					for _, pr := range s.Prerequisites {
						found = found || pr.ProvidedByStage == want
					}
					if !found {
						t.Errorf("stage %d: no need provided by stage %d: %+v", s.Number, want, s.Prerequisites)
					}
				}
			}
			if tt.code == 3 && p.FirstRiskStage == 0 {
				t.Error("exit 3 without a first risk stage")
			}
			if !strings.Contains(out, tt.say) {
				t.Errorf("stdout lacks %q:\n%s", tt.say, out)
			}
		})
	}
}

func TestProgramMapiNeed(t *testing.T) {
	p, _ := program(t, 3, []string{"../../samples/s1-contoso.toml"}, "testdata/programs/s1-move-red.toml")
	var rules []string
	for _, pr := range p.Stages[0].Prerequisites {
		rules = append(rules, pr.Rule)
	}
	if !strings.Contains(strings.Join(rules, ","), "NS-MAPI-LB") {
		t.Errorf("got needs %v, want NS-MAPI-LB (the load balancer must pass /mapi before mailboxes move)", rules)
	}
}

func TestProgramBadInput(t *testing.T) {
	code, _, stderr := runCLI(t, "program", contosoBase[0], "--stages", "testdata/programs/bad.toml", "-o", filepath.Join(t.TempDir(), "o"))
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		`bad.toml:3:1: date "2027-13-01": want YYYY-MM-DD`,
		`bad.toml:6:3: namespace "nope.contoso.com" is not in the inventory`,
		`bad.toml:10:1: stage name "one" is already used by stage 1`,
		`bad.toml:12:3: unknown op "frobnicate"`,
		"4 problems",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// Every runbook command comes from the inventory and the edits: renaming
// a server, a database and a mailbox in the input renames them in every
// command, with PowerShell quoting; no command keeps the old names.
func TestRunbookFollowsInventory(t *testing.T) {
	dir := t.TempDir()
	rename := strings.NewReplacer("MBX2016-1", "EXCH-NEW-7", "mbx2016-1.contoso.com", "exch-new-7.contoso.com",
		"DB2016-1", "DB O’Hara $(calc)", `"green"`, `"grün O'Neil"`, "mail.contoso.com", "post.fabrikam.com", "autodiscover.contoso.com", "autodiscover.fabrikam.com")
	for _, f := range []string{"contoso-2010.toml", "contoso-2010-to-2016.toml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "samples", "programs", f))
		if err != nil {
			t.Fatal(err)
		}
		text := rename.Replace(string(data))
		text = strings.ReplaceAll(text, `primary_namespace = "post.fabrikam.com"`, `primary_namespace = "post.fabrikam.com"`)
		if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := program(t, 0, []string{filepath.Join(dir, "contoso-2010.toml")}, filepath.Join(dir, "contoso-2010-to-2016.toml"))
	var all strings.Builder
	for _, s := range p.Stages {
		for _, task := range s.Runbook.Tasks {
			if task.From == "" || task.Shell == "" || task.Action == "" {
				t.Errorf("stage %d: task without origin, shell or action: %+v", s.Number, task)
			}
			if !regexp.MustCompile(`^(edit \d+: |finding |path change)`).MatchString(task.From) {
				t.Errorf("stage %d: task from %q, want an edit, a finding or a path change", s.Number, task.From)
			}
			all.WriteString(task.Server + " " + task.Action + "\n" + task.Command + "\n")
		}
	}
	text := all.String()
	for _, old := range []string{"MBX2016-1", "DB2016-1", "'green'", "mail.contoso.com"} {
		if strings.Contains(text, old) {
			t.Errorf("runbook still names %q after the rename", old)
		}
	}
	for _, want := range []string{
		"New-MoveRequest -Identity 'grün O''Neil' -TargetDatabase 'DB O’’Hara $(calc)'",
		"New-MailboxDatabase -Name 'DB O’’Hara $(calc)' -Server 'EXCH-NEW-7'",
		"Resolve-DnsName -Name 'post.fabrikam.com'",
		"Add-DnsServerResourceRecordA -ZoneName 'fabrikam.com' -Name 'post' -IPv4Address (Resolve-DnsName -Name 'exch-new-7.contoso.com'",
		"Enable-ExchangeCertificate -Server 'EXCH-NEW-7'",
		"Get-ExchangeCertificate -Server 'EXCH-NEW-7'",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("runbook lacks %q", want)
		}
	}
	// DNS change table of the namespace stage.
	dns := p.Stages[1].Runbook.DNS
	if len(dns) == 0 || dns[0].Record != "post.fabrikam.com" || dns[0].Before[0] != "cas2010-1.contoso.com" {
		t.Errorf("got DNS changes %+v, want post.fabrikam.com from cas2010-1.contoso.com", dns)
	}
}

// The programme's outputs are the same bytes on every run.
func TestProgramDeterministic(t *testing.T) {
	var dirs [2]string
	for i := range dirs {
		dirs[i] = filepath.Join(t.TempDir(), "out")
		code, _, stderr := runCLI(t, "program", contosoBase[0], "--stages", "../../samples/programs/contoso-wrong-order.toml", "-o", dirs[i])
		if code != 3 {
			t.Fatalf("exit %d, want 3: %s", code, stderr)
		}
	}
	a, b := listFiles(t, dirs[0]), listFiles(t, dirs[1])
	if strings.Join(a, ",") != strings.Join(b, ",") || len(a) < 5 {
		t.Fatalf("file sets %v and %v", a, b)
	}
	for _, name := range a {
		x, _ := os.ReadFile(filepath.Join(dirs[0], name))
		y, _ := os.ReadFile(filepath.Join(dirs[1], name))
		if string(x) != string(y) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}
