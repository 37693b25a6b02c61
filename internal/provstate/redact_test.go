package provstate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"ansible_password":             true,
		"ansible_become_pass":          true,
		"ansible_ssh_pass":             true,
		"db_password":                  true,
		"dbpassword":                   true,
		"DB_PASSWORD":                  true,
		"clientSecret":                 true,
		"client-secret":                true,
		"apiToken":                     true,
		"kubeadm_token":                true,
		"vault_passphrase":             true,
		"aws_credentials":              true,
		"tls_key":                      true,
		"private":                      true,
		"privateKey":                   true,
		"basic_auth":                   true,
		"api.key":                      true,
		"db_pw":                        true,
		"grafana_admin_pw":             true,
		"jwt":                          true,
		"oidc_jwt":                     true,
		"bearer":                       true,
		"wifi_psk":                     true,
		"ansible_ssh_private_key_file": false, // a path to a key, not a key
		"vault_password_file":          false,
		"private_ip":                   false,
		"tls_key_path":                 false,
		"ssh_key_name":                 false,
		"db_password_user":             false,
		"public_key":                   false,
		"ssh_public_key":               false,
		"monkey_count":                 false,
		"keyboard_layout":              false,
		"compass_heading":              false,
		"privateer":                    false,
		"ansible_host":                 false,
		"cluster_name":                 false,
		"":                             false,
	} {
		if got := IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsSecretValue(t *testing.T) {
	for v, want := range map[string]bool{
		"$ANSIBLE_VAULT;1.1;AES256\n6231":                           true,
		"  $ANSIBLE_VAULT;1.2;AES256;dev\n":                         true,
		"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl":                 true,
		"-----BEGIN RSA PRIVATE KEY-----":                           true,
		"-----BEGIN PGP PRIVATE KEY BLOCK-----":                     true,
		"-----BEGIN CERTIFICATE-----\nMIIB":                         false,
		"-----BEGIN ENCRYPTED PRIVATE KEY-----":                     true,
		"-----BEGIN SOMETHING NEW-----":                             true,
		"-----BEGIN PUBLIC KEY-----":                                false,
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl":    true,
		"7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8":                          true,
		"dGhpcyBpcyBhIHNlY3JldCB0aGF0IGlzIGxvbmcgZW5vdWdoMTIz":      true,
		"/var/lib/glusterdr/backup/state/and/more/of/the/path/to/x": false,
		"registry.example.org/platform/node:2026.11":                false,
		"supercalifragilisticexpialidociousandthensomemorewords":    false,
		"0123456789012345678901234567890123456789":                  false,
		"ssh-ed25519 AAAAC3Nza":                                     false,
		"the string $ANSIBLE_VAULT; in a sentence, later":           false,
	} {
		if got := IsSecretValue(v); got != want {
			t.Errorf("IsSecretValue(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestRedactValue(t *testing.T) {
	in := map[string]any{
		"ansible_host":     "10.0.0.11",
		"ansible_password": "hunter2",
		"empty_password":   "",
		"null_token":       nil,
		"vault_db":         map[string]any{"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n6231"},
		"secrets":          map[string]any{"grafana": "gr4f4n4"},
		"files":            []any{"plain", "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----"},
		"nested":           map[string]any{"deeper": []any{map[string]any{"token": "t0k"}}},
		"join_string":      "dGhpcyBpcyBhIHNlY3JldCB0aGF0IGlzIGxvbmcgZW5vdWdoMTIz",
		"image_digest":     "7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a87f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8",
	}
	var notes []string
	got := RedactValue(in, "", func(where string) { notes = append(notes, where) })
	want := map[string]any{
		"ansible_host":     "10.0.0.11",
		"ansible_password": Redacted,
		"empty_password":   "",
		"null_token":       nil,
		"vault_db":         map[string]any{"__ansible_vault": Redacted},
		"secrets":          Redacted,
		"files":            []any{"plain", Redacted},
		"nested":           map[string]any{"deeper": []any{map[string]any{"token": Redacted}}},
		"join_string":      Redacted,
		"image_digest":     "7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a87f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RedactValue (-want +got):\n%s", diff)
	}
	wantNotes := []string{"ansible_password", "files[1]", "join_string", "nested.deeper[0].token", "secrets", "vault_db.__ansible_vault"}
	if diff := cmp.Diff(wantNotes, sorted(notes)); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if in["ansible_password"] != "hunter2" {
		t.Error("RedactValue changed its input")
	}
}

func TestRedactText(t *testing.T) {
	tests := []struct {
		name, in, want string
		notes          []string
	}{{
		name:  "INI host line keeps the other variables",
		in:    "web1 ansible_host=10.0.0.1 ansible_password=\"a b\" role=web\n",
		want:  "web1 ansible_host=10.0.0.1 ansible_password=REDACTED role=web\n",
		notes: []string{"line 1: ansible_password"},
	}, {
		name:  "INI vars with spaces around =",
		in:    "[all:vars]\nkubeadm_token = abc.def\nansible_user=deploy\n",
		want:  "[all:vars]\nkubeadm_token = REDACTED\nansible_user=deploy\n",
		notes: []string{"line 2: kubeadm_token"},
	}, {
		name:  "INI single-quoted value",
		in:    "db1 ansible_become_pass='x y z'\n",
		want:  "db1 ansible_become_pass=REDACTED\n",
		notes: []string{"line 1: ansible_become_pass"},
	}, {
		name:  "a secret in a comment goes too",
		in:    "# ansible_password=example\n; token=example\n# see the wiki: https://wiki/x\n",
		want:  "# ansible_password=REDACTED\n; token=REDACTED\n# see the wiki: https://wiki/x\n",
		notes: []string{"line 1: ansible_password", "line 2: token"},
	}, {
		name:  "password lines of a free-form file",
		in:    "Database password: hunter2\nroot pw = s3cret\nuser: admin\n",
		want:  "Database password: REDACTED\nroot pw = REDACTED\nuser: admin\n",
		notes: []string{"line 1: password", "line 2: pw"},
	}, {
		name:  "secrets by shape under harmless names, digests kept",
		in:    "bootstrap: 7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8\nblob: dGhpcyBpcyBhIHNlY3JldCB0aGF0IGlzIGxvbmcgZW5vdWdoMTIz\nsession: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl\nimage_digest: 7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a87f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8\nimage: registry.example.org/node@sha256:7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a87f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8\ndb_pw: x\n",
		want:  "bootstrap: REDACTED\nblob: REDACTED\nsession: REDACTED\nimage_digest: 7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a87f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8\nimage: registry.example.org/node@sha256:7f3a9c2e1b4d8f60a5e7c3b2d1f4e6a87f3a9c2e1b4d8f60a5e7c3b2d1f4e6a8\ndb_pw: REDACTED\n",
		notes: []string{"line 1: bootstrap", "line 2: blob", "line 3: session", "line 6: db_pw"},
	}, {
		name:  "YAML scalar",
		in:    "db_password: \"pw\"\ncluster: x\n",
		want:  "db_password: REDACTED\ncluster: x\n",
		notes: []string{"line 1: db_password"},
	}, {
		name:  "YAML inline vault under a harmless name, with its payload lines",
		in:    "vault_db: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6231336539\nnext: 1\n",
		want:  "vault_db: REDACTED\nnext: 1\n",
		notes: []string{"line 1: vault_db"},
	}, {
		name:  "YAML nested mapping under a secret name",
		in:    "secrets:\n  grafana: g\n\n  minio: m\nafter: 2\n",
		want:  "secrets: REDACTED\nafter: 2\n",
		notes: []string{"line 1: secrets"},
	}, {
		name: "YAML empty secret is left alone",
		in:   "ansible_password:\nother: 1\n",
		want: "ansible_password:\nother: 1\n",
	}, {
		name:  "YAML list item",
		in:    "users:\n  - name: alice\n    password: pw\n    shell: /bin/sh\n",
		want:  "users:\n  - name: alice\n    password: REDACTED\n    shell: /bin/sh\n",
		notes: []string{"line 3: password"},
	}, {
		name:  "YAML block scalar under a secret name",
		in:    "tls_key: |\n  -----BEGIN EC PRIVATE KEY-----\n  MHc\n  -----END EC PRIVATE KEY-----\nok: 1\n",
		want:  "tls_key: REDACTED\nok: 1\n",
		notes: []string{"line 1: tls_key"},
	}, {
		name:  "PEM block under a harmless name",
		in:    "cert_bundle: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIE\n  -----END RSA PRIVATE KEY-----\nok: 1\n",
		want:  "cert_bundle: |\nREDACTED (PEM block)\nok: 1\n",
		notes: []string{"line 2: PEM block"},
	}, {
		name:  "quoted JSON-like key",
		in:    "  \"apiToken\": \"t\",\n",
		want:  "  \"apiToken\": REDACTED\n",
		notes: []string{"line 1: apiToken"},
	}, {
		name:  "whole-file vault",
		in:    "$ANSIBLE_VAULT;1.1;AES256\n3338\n",
		want:  "REDACTED: the whole file is ansible-vault encrypted\n",
		notes: []string{"whole file: ansible-vault"},
	}, {
		name:  "CRLF line endings survive",
		in:    "token: x\r\nname: y\r\n",
		want:  "token: REDACTED\r\nname: y\r\n",
		notes: []string{"line 1: token"},
	}, {
		name:  "no trailing newline",
		in:    "password: x",
		want:  "password: REDACTED",
		notes: []string{"line 1: password"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes := RedactText(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzRedactText: no panic, and a vault payload or a PEM private key line
// never survives.
func FuzzRedactText(f *testing.F) {
	f.Add("a: b\npassword: x\n")
	f.Add("k: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  aa\n")
	f.Add("h ansible_password='x' y=1\n")
	f.Fuzz(func(t *testing.T, in string) {
		out, _ := RedactText(in)
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "$ANSIBLE_VAULT;") && strings.HasPrefix(strings.TrimSpace(line), "$ANSIBLE_VAULT;") {
				t.Fatalf("vault payload line survived: %q in %q", line, out)
			}
		}
	})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
