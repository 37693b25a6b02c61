package etcdsnap

// shedEvery is how many bytes of keys and values the walk reads between
// two sheds. A page fault maps up to 64 KiB around the page it needs, so
// this bounds what the walk holds resident to a few tens of MiB, whatever
// the size of the database.
const shedEvery = 1 << 20

// mappedFile keeps bbolt's mapping of a database from growing the
// process's resident set: bbolt maps the whole file, and a walk through
// every key would otherwise leave every page of it resident.
type mappedFile struct {
	addr uintptr
	size int64
	read int64 // bytes read since the last shed
}

// readBytes counts n bytes read through the mapping, and sheds the mapped
// pages every shedEvery bytes.
func (m *mappedFile) readBytes(n int) {
	m.read += int64(n)
	if m.read >= shedEvery {
		m.shed()
		m.read = 0
	}
}
