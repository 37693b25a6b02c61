package provstate

import (
	"regexp"
	"strings"
	"unicode"
)

// Redacted replaces every secret value in a capture.
const Redacted = "REDACTED"

// vaultPrefix starts every ansible-vault payload, whole files and inline
// `!vault` values alike.
const vaultPrefix = "$ANSIBLE_VAULT;"

// secretStems make a name secret wherever they appear in it, even inside a
// longer word ("dbpassword", "clientSecret").
var secretStems = []string{"password", "passwd", "passphrase", "secret", "token", "credential"}

// secretWords make a name secret only as whole words, because as stems they
// hide in harmless words ("monkey", "compass", "privateer").
var secretWords = map[string]bool{
	"key": true, "keys": true, "apikey": true, "privatekey": true, "pass": true, "pwd": true, "pw": true,
	"private": true, "auth": true, "jwt": true, "bearer": true, "psk": true, "hmac": true, "otp": true, "totp": true,
}

// identityWords, in a name, say its value identifies something (a digest,
// a commit, a UUID) rather than grants access: a long hex or base64 value
// under such a name is kept.
var identityWords = map[string]bool{
	"digest": true, "checksum": true, "sha": true, "sha1": true, "sha256": true, "sha512": true, "hash": true,
	"commit": true, "fingerprint": true, "uuid": true, "id": true, "version": true, "revision": true, "serial": true,
}

// locationWords, as a name's last word, say the value tells where or which
// secret, not the secret itself: ansible_ssh_private_key_file, private_ip.
var locationWords = map[string]bool{
	"file": true, "path": true, "dir": true, "ip": true, "address": true, "addr": true,
	"host": true, "hostname": true, "port": true, "name": true, "user": true, "username": true,
}

// IsSecretName reports whether a variable or key called name holds a
// secret. The name is split into words at punctuation and at lower-to-upper
// case changes. It is secret when
//   - any word contains password, passwd, passphrase, secret, token or
//     credential; or
//   - a word is key, keys, apikey, privatekey, pass, pwd, pw, private, auth,
//     jwt, bearer, psk, hmac, otp or totp;
//
// unless its last word is one that names a location or an identity rather
// than the value (file, path, dir, ip, address, addr, host, hostname, port,
// name, user, username), or one of its words is "public".
func IsSecretName(name string) bool {
	words := splitWords(name)
	if len(words) == 0 {
		return false
	}
	if locationWords[words[len(words)-1]] {
		return false
	}
	secret := false
	for _, w := range words {
		if w == "public" {
			return false
		}
		if secretWords[w] {
			secret = true
		}
		for _, stem := range secretStems {
			if strings.Contains(w, stem) {
				secret = true
			}
		}
	}
	return secret
}

func splitWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	return words
}

// IsSecretValue reports whether a string is secret by its shape, whatever
// its name: an ansible-vault payload, a PEM block other than a certificate,
// a public key or parameters, a JWT, or one long token of hex or base64
// (a key, a token, a password hash).
func IsSecretValue(s string) bool {
	t := strings.TrimSpace(s)
	return strings.HasPrefix(t, vaultPrefix) || secretPEM(t) || jwt.MatchString(t) || isBlob(t)
}

// secretField reports whether the value under name is secret: by its name,
// or by its shape unless the name says it identifies rather than grants
// (an image digest, a commit).
func secretField(name, value string) bool {
	t := strings.TrimSpace(value)
	if strings.HasPrefix(t, vaultPrefix) || secretPEM(t) || jwt.MatchString(t) {
		return true
	}
	for _, w := range splitWords(name) {
		if identityWords[w] {
			return false
		}
	}
	return isBlob(t)
}

// publicPEM are the PEM labels that hold nothing secret.
var publicPEM = map[string]bool{
	"CERTIFICATE": true, "TRUSTED CERTIFICATE": true, "X509 CRL": true, "CERTIFICATE REQUEST": true,
	"NEW CERTIFICATE REQUEST": true, "PUBLIC KEY": true, "RSA PUBLIC KEY": true, "PGP PUBLIC KEY BLOCK": true,
	"SSH2 PUBLIC KEY": true, "EC PARAMETERS": true, "DH PARAMETERS": true, "PGP SIGNATURE": true,
}

// secretPEM reports whether text starts a PEM block that may be secret:
// private keys of every kind, and any label not known to be public.
func secretPEM(text string) bool {
	m := pemBegin.FindStringSubmatch(text)
	return m != nil && !publicPEM[m[1]]
}

// isBlob reports whether s is one token of at least 32 hex digits or 40
// base64 characters, mixed as machine-made secrets are (digits and letters;
// upper and lower case for base64), so that words and paths do not match.
func isBlob(s string) bool {
	switch {
	case len(s) >= 32 && hexBlob.MatchString(s):
		return strings.ContainsAny(s, "0123456789") && strings.ContainsAny(strings.ToLower(s), "abcdef")
	case len(s) >= 40 && base64Blob.MatchString(s):
		return strings.ContainsAny(s, "0123456789") && strings.ToLower(s) != s && strings.ToUpper(s) != s
	}
	return false
}

// RedactValue walks a decoded JSON value (maps, slices, strings, numbers)
// and returns a copy with every secret replaced by Redacted. where is the
// location of v, as a dotted path; each redaction's location, never its
// value, is passed to note.
func RedactValue(v any, where string, note func(where string)) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, child := range t {
			at := joinPath(where, k)
			str, isString := child.(string)
			if k == "__ansible_vault" || (IsSecretName(k) && !emptyValue(child)) || (isString && secretField(k, str)) {
				note(at)
				out[k] = Redacted
				continue
			}
			if isString {
				out[k] = str // its name cleared it, and shape was judged with the name
				continue
			}
			out[k] = RedactValue(child, at, note)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, child := range t {
			out[i] = RedactValue(child, joinPath(where, "["+itoa(i)+"]"), note)
		}
		return out
	case string:
		if IsSecretValue(t) {
			note(where)
			return Redacted
		}
		return t
	default:
		return v
	}
}

func emptyValue(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	}
	return false
}

func joinPath(where, key string) string {
	switch {
	case where == "":
		return key
	case strings.HasPrefix(key, "["):
		return where + key
	}
	return where + "." + key
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

var (
	pemBegin   = regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]+)-----`)
	pemEnd     = regexp.MustCompile(`-----END [A-Z0-9 ]+-----`)
	jwt        = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$`)
	hexBlob    = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	base64Blob = regexp.MustCompile(`^[A-Za-z0-9+/_-]+={0,2}$`)
	// freeKey is the first "name: value" or "name = value" anywhere in a
	// line of any format, comments included ("# root password: hunter2").
	freeKey = regexp.MustCompile(`^(.*?)([A-Za-z0-9_.\-]+)(\s*[:=]\s*)(\S.*?)(\r?\n?)$`)
	// yamlKey is "  name: value" or "- name: value", the name optionally
	// quoted (which also covers JSON-like lines).
	yamlKey = regexp.MustCompile(`^(\s*(?:-\s+)?)(["']?)([A-Za-z0-9_.\-]+)(["']?)(\s*:)(\s*)(.*)$`)
	// hexLine is a line of an ansible-vault payload.
	hexLine = regexp.MustCompile(`^\s*[0-9a-fA-F]+\s*$`)
	// iniPair is name=value in an INI inventory line; the value may be
	// quoted and hold spaces.
	iniPair = regexp.MustCompile(`([A-Za-z0-9_.\-]+)(\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*'|\S+)`)
)

// RedactText redacts an inventory file given as text: INI or YAML
// inventories and their group_vars and host_vars. It returns the redacted
// text and, for each redaction, "line N: name" (never the value).
//
// Rules, per line:
//   - a file that is one ansible-vault payload is replaced whole;
//   - a PEM block other than a certificate, public key or parameters is
//     replaced, from BEGIN to END;
//   - a vault payload on lines of its own is replaced;
//   - "name: value" with a secret name, or any value that is a vault
//     payload, becomes "name: REDACTED", and every line indented below it
//     goes too (a block scalar, a `!vault |` payload, or a nested mapping
//     under a secret name such as "secrets:");
//   - "name=value" pairs of INI lines with a secret name, or a value shaped
//     like a secret (IsSecretValue), keep the name and lose the value;
//   - any other line, comments included, that says "password: x",
//     "token = x" and the like loses what follows the separator.
func RedactText(text string) (string, []string) {
	if strings.HasPrefix(strings.TrimSpace(text), vaultPrefix) {
		return Redacted + ": the whole file is ansible-vault encrypted\n", []string{"whole file: ansible-vault"}
	}
	lines := strings.SplitAfter(text, "\n")
	var out strings.Builder
	var notes []string
	note := func(i int, what string) { notes = append(notes, "line "+itoa(i+1)+": "+what) }
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if secretPEM(strings.TrimSpace(line)) {
			start := i
			for i < len(lines)-1 && !pemEnd.MatchString(lines[i]) {
				i++
			}
			out.WriteString(Redacted + " (PEM block)\n")
			note(start, "PEM block")
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(line), vaultPrefix) {
			start := i
			for i+1 < len(lines) && hexLine.MatchString(lines[i+1]) {
				i++
			}
			out.WriteString(Redacted + " (ansible-vault)" + eol(line))
			note(start, "ansible-vault")
			continue
		}
		if m := yamlKey.FindStringSubmatch(strings.TrimRight(line, "\r\n")); m != nil && !isComment(line) {
			name, value := m[3], m[7]
			nested := blockEnd(lines, i, len(m[1]))
			secretName := IsSecretName(name) && (!emptyYAMLValue(value) || nested > i)
			if secretName || secretField(name, unquote(value)) || strings.HasPrefix(value, "!vault") {
				out.WriteString(m[1] + m[2] + name + m[4] + m[5] + " " + Redacted + eol(line))
				note(i, name)
				i = nested // a block scalar, a vault payload or a nested mapping goes with it
				continue
			}
		}
		if strings.Contains(line, "=") && !isComment(line) {
			redacted := iniPair.ReplaceAllStringFunc(line, func(pair string) string {
				m := iniPair.FindStringSubmatch(pair)
				if IsSecretName(m[1]) || secretField(m[1], unquote(m[3])) {
					note(i, m[1])
					return m[1] + m[2] + Redacted
				}
				return pair
			})
			out.WriteString(redacted)
			continue
		}
		if m := freeKey.FindStringSubmatch(line); m != nil && IsSecretName(m[2]) && m[4] != Redacted {
			out.WriteString(m[1] + m[2] + m[3] + Redacted + m[5])
			note(i, m[2])
			continue
		}
		out.WriteString(line)
	}
	return out.String(), notes
}

func emptyYAMLValue(v string) bool {
	v = strings.TrimSpace(v)
	return v == "" || v == `""` || v == "''" || v == "~" || v == "null"
}

// blockEnd returns the index of the last line that belongs below line i:
// the following lines indented deeper than indent, with blank lines among
// them (but not blank lines after them). It returns i when there are none.
func blockEnd(lines []string, i, indent int) int {
	end := i
	for j := i + 1; j < len(lines); j++ {
		if strings.TrimSpace(lines[j]) == "" {
			continue
		}
		if indentOf(lines[j]) <= indent {
			break
		}
		end = j
	}
	return end
}

func isComment(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";")
}

func unquote(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " \t"))
}

func eol(line string) string {
	if strings.HasSuffix(line, "\r\n") {
		return "\r\n"
	}
	if strings.HasSuffix(line, "\n") {
		return "\n"
	}
	return ""
}
