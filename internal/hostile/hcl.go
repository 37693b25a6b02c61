package hostile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HCLString writes s as an HCL quoted string that evaluates to s exactly,
// the way a user who means that value would write it: escapes for quotes,
// backslashes and every control or invisible character, "$${" and "%%{"
// for template sequences. Bytes that are not UTF-8 are written as they are,
// since no escape can produce them: the file is then not UTF-8, and HCL
// refuses it where the bytes are.
func HCLString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(s[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			fmt.Fprintf(&b, `\u%04X`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}
