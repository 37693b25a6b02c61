// Package hostile is the catalogue of hostile and invalid values that the
// hostile-input test runs through each face of glusterdr: `terraform plan`
// of every provider attribute that reaches a host (provider/
// hostile_acc_test.go), every CLI flag that reaches a host or the file
// system, and every attribute of the schedule file (cmd/glusterdr/
// hostile_test.go). It is one table, the faces' own tables say which kind
// of value each attribute or flag takes, and the expectation of every cell
// follows from the row's Valid kinds: a value is refused, with a diagnostic
// naming the attribute or flag, by every kind that does not list it.
//
// The package is for tests only.
package hostile

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind is what an attribute or flag holds; each kind has one rule, in
// internal/valid or internal/gluster, shared by every face.
type Kind string

// The kinds.
const (
	Host          Kind = "host"               // gluster.ValidHost
	SecondaryHost Kind = "secondary host"     // gluster.ValidSecondaryHost: no IPv6
	KnownHost     Kind = "known_hosts host"   // a pinned key's host: a Host, or [Host]:port
	Volume        Kind = "volume name"        // gluster.ValidVolumeName
	BrickPath     Kind = "brick path"         // gluster.ValidBrickPath
	User          Kind = "user name"          // gluster.ValidUser
	Path          Kind = "path on a host"     // valid.Path: absolute, clean
	OptionalPath  Kind = "path or none"       // a Path, or empty for none (etcd's client certificate)
	LocalPath     Kind = "local path"         // valid.LocalPath: relative or "~/" too
	Subtree       Kind = "folder of a volume" // valid.Subtree: never leaves the volume
	TargetName    Kind = "target name"        // valid.TargetName
	SetID         Kind = "set ID"             // valid.SetID
	CaptureName   Kind = "capture name"       // gluster_provisioning_state.name
	OptionKey     Kind = "volume option"      // gluster.ValidOptionKey
	OptionValue   Kind = "option value"       // gluster.ValidOptionValue
	ConfigKey     Kind = "gsyncd config key"  // gluster.ValidConfigKey
	ConfigValue   Kind = "gsyncd value"       // gluster.ValidConfigValue
	Text          Kind = "one line of text"   // valid.Line
	Program       Kind = "program"            // valid.Argv, first element
	Argument      Kind = "argument"           // valid.Argv, the others
	Endpoint      Kind = "etcd endpoint"      // valid.Endpoint: an http(s) URL
	EtcdName      Kind = "etcd member name"   // valid.EtcdName
	EtcdCluster   Kind = "etcd cluster"       // valid.EtcdCluster: name=url,...
	Cron          Kind = "cron expression"
	TimeZone      Kind = "time zone"
	Duration      Kind = "duration" // valid.ParseDuration
	Enum          Kind = "one of a list"
	// Count is a number between bounds that the face's table gives.
	Count Kind = "count"
)

// Value is one row of the catalogue.
type Value struct {
	Name string // what it tries, for test names
	Text string
	// Valid are the kinds it is a valid value of. Every other kind refuses
	// it.
	Valid []Kind
}

// ValidFor reports whether v is a valid value of kind k.
func (v Value) ValidFor(k Kind) bool { return slices.Contains(v.Valid, k) }

// UTF8 reports whether v is valid UTF-8, which HCL (Terraform's
// configuration and the schedule file) requires of the whole file.
func (v Value) UTF8() bool { return utf8.ValidString(v.Text) }

// NUL reports whether v holds a NUL byte, which no command line argument
// can carry.
func (v Value) NUL() bool { return strings.ContainsRune(v.Text, 0) }

// Marker starts the name of every file a row's payload would create if it
// ever reached a shell: the faces fail when one appears under /tmp.
const Marker = "glusterdr-hostile-"

// Kinds that take most printable text. What starts with '-' is not a
// program or a local path; what starts with "--" is not a volume option
// value.
var (
	anyText     = []Kind{Text, ConfigValue, OptionValue, Argument, Program, LocalPath, Subtree}
	dashText    = []Kind{Text, ConfigValue, OptionValue, Argument}
	dashdash    = []Kind{Text, ConfigValue, Argument}
	controlText = []Kind{Argument}
	// word is a name of letters and digits alone, which every name kind
	// takes except a target name (lower case) and a gsyncd key (starts
	// with a letter) where the row says so.
	word = []Kind{Host, SecondaryHost, KnownHost, Volume, User, OptionKey, ConfigKey, TargetName, CaptureName, EtcdName}
)

func kinds(sets ...[]Kind) []Kind {
	var out []Kind
	for _, s := range sets {
		for _, k := range s {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

func without(set []Kind, drop ...Kind) []Kind {
	return slices.DeleteFunc(slices.Clone(set), func(k Kind) bool { return slices.Contains(drop, k) })
}

// Values are the catalogue's rows: strings, which every attribute and flag
// is given (a number attribute refuses them by type), and Counts.
var Values = []Value{
	// Shell metacharacters: never executed anywhere (no file appears under
	// /tmp), refused where a name is wanted, kept as they are where free
	// text is.
	{"semicolon", "sdsc;touch /tmp/" + Marker + "semicolon", anyText},
	{"command substitution", "$(touch /tmp/" + Marker + "subst)", anyText},
	{"backquotes", "`touch /tmp/" + Marker + "backquote`", anyText},
	{"pipe", "sdsc|touch /tmp/" + Marker + "pipe", anyText},
	{"and list", "sdsc&&touch /tmp/" + Marker + "and", anyText},
	{"redirection", "sdsc>/tmp/" + Marker + "redirect", anyText},
	{"quotes", `sd'sc"x`, anyText},
	{"space", "sdsc 1", anyText},
	{"glob", "*", anyText},
	{"variable", "${HOME}", anyText},
	{"tilde", "~root", anyText},
	{"format verbs", "%s%n%x", anyText},
	{"placeholder", "{dir}", anyText},
	// Option-looking values.
	{"ssh option", "-oProxyCommand=touch /tmp/" + Marker + "proxy", dashText},
	{"long option", "--help", dashdash},
	{"double dash", "--", dashdash},
	{"lone dash", "-", dashText},
	// Control characters, NUL, and characters that hide what a value is.
	{"newline", "sdsc\ntouch /tmp/" + Marker + "newline", controlText},
	{"carriage return", "sdsc\rreboot", controlText},
	{"tab", "sd\tsc", controlText},
	{"NUL", "sdsc\x00evil", nil},
	{"escape sequence", "\x1b[2J\x1b[31mfake prompt", controlText},
	{"C1 next line", "sdsc\u0085x", controlText},
	{"line separator", "sdsc\u2028x", controlText},
	{"bidi override", "sdsc\u202egpj.exe", controlText},
	{"zero-width space", "sd\u200bsc", controlText},
	// Path traversal, and paths that are not what they look like.
	{"relative traversal", "../../etc/passwd", without(anyText, Subtree)},
	{"absolute traversal", "/var/glfs/global/backup/../../../etc", without(anyText, Subtree)},
	{"dot-dot", "..", without(anyText, Subtree)},
	{"root", "/", anyText},
	{"double slash", "//srv//b", without(anyText, Subtree)},
	{"trailing slash", "/srv/b/", anyText},
	{"relative path", "srv/b", anyText},
	{"set ID traversal", "20261125T020000Z-../../etc", without(anyText, Subtree)},
	{"set ID with slash", "20261125T020000Z-sdsc/../../x", without(anyText, Subtree)},
	{"set ID without target", "20261125T020000Z-", kinds(anyText, []Kind{Volume, User, OptionKey, EtcdName})},
	// Hosts: IPv6 is valid where gluster and ssh take it.
	{"IPv6", "2001:db8::21", kinds(anyText, []Kind{Host, KnownHost})},
	{"bracketed IPv6", "[2001:db8::21]", anyText},
	{"bracketed IPv6 with port", "[2001:db8::21]:2222", kinds(anyText, []Kind{KnownHost})},
	{"IPv6 with zone", "fe80::1%eth0", anyText},
	{"host and port", "203.0.113.21:22", anyText},
	{"underscore", "sdsc_1", kinds(anyText, without(word, Host, SecondaryHost, KnownHost))},
	{"over-long label", strings.Repeat("a", 64) + ".example", kinds(anyText, []Kind{OptionKey, EtcdName})},
	{"upper case", "SDSC", kinds(anyText, without(word, TargetName, CaptureName))},
	{"homoglyph", "ѕdsc", anyText},
	// Sizes and emptiness.
	{"64 KiB", strings.Repeat("a", 64<<10), nil},
	{"not UTF-8", "sdsc\xff\xfe", nil},
	// Empty is the default where it means none or all.
	{"empty", "", []Kind{Text, Argument, OptionalPath, Subtree, EtcdCluster}},
	{"blank", " ", anyText},
	// known_hosts ignores the white space that starts a line.
	{"leading space", " sdsc", kinds(anyText, []Kind{KnownHost})},
	// Cron with the wrong field count, and the descriptor nobody supports.
	{"cron with 4 fields", "0 2 * *", anyText},
	{"cron with 6 fields", "0 0 2 * * *", anyText},
	{"cron @reboot", "@reboot", anyText},
	// Durations: negative, zero, absurd, overflowing.
	{"negative duration", "-5m", dashText},
	{"zero duration", "0s", kinds(anyText, without(word, ConfigKey))},
	{"absurd duration", "876000h", kinds(anyText, without(word, ConfigKey))},
	{"overflowing duration", "9999999999h", kinds(anyText, without(word, ConfigKey))},
	// known_hosts syntax where a host is wanted.
	{"known_hosts marker", "@revoked", anyText},
	{"hashed host", "|1|c2FsdA==|aGFzaA==", anyText},
}

// CountValue is one number of the catalogue, for attributes and flags of
// kind Count.
type CountValue struct {
	Name string
	N    int64
}

// Counts are the numbers: negative, zero, absurd and huge.
var Counts = []CountValue{
	{"negative", -1},
	{"zero", 0},
	{"absurd", 70000},
	{"beyond 32 bits", 1 << 31},
	{"largest int64", 1<<63 - 1},
}

// Bounds are the values a Count attribute or flag takes.
type Bounds struct{ Min, Max int64 }

// Takes reports whether n is within b.
func (b Bounds) Takes(n int64) bool { return n >= b.Min && n <= b.Max }
