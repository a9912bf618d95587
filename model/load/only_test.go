package load

import (
	"reflect"
	"testing"
)

// TestOnlyMailbox: "coexist path" keeps only the user's mailbox and the
// mailboxes granting it Full Access, and still reports syntax errors.
func TestOnlyMailbox(t *testing.T) {
	dir := t.TempDir()
	toml := write(t, dir, "a.toml", "mailboxes_csv = \"m.csv\"\n"+base)
	write(t, dir, "m.csv", "name,database,full_access\nblue,DB1,alice;zed\nalice,DB1,carol\ncarol,DB1,\nzed,DB1,nobody\n")
	inv, _, err := Load([]string{toml}, Options{OnlyMailbox: "ALICE"})
	if err != nil {
		t.Fatalf("got %v, want no error (dangling full_access of skipped rows is not checked)", err)
	}
	var names []string
	for _, m := range inv.Mailboxes {
		names = append(names, m.Name)
	}
	if want := []string{"red", "blue", "alice"}; !reflect.DeepEqual(names, want) {
		t.Errorf("got mailboxes %v, want %v", names, want)
	}
	if fa := inv.Mailboxes[1].FullAccess; !reflect.DeepEqual(fa, []string{"alice"}) {
		t.Errorf("blue's full_access: got %v, want [alice]", fa)
	}
	if fa := inv.Mailboxes[2].FullAccess; fa != nil {
		t.Errorf("alice's own full_access: got %v, want nil", fa)
	}
	write(t, dir, "m.csv", "name,database\nalice,DB1\n\"broken,DB1\n")
	if _, _, err := Load([]string{toml}, Options{OnlyMailbox: "alice"}); err == nil {
		t.Error("a CSV syntax error in another row was not reported")
	}
}
