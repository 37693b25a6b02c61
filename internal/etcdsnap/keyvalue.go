package etcdsnap

import (
	"fmt"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"google.golang.org/protobuf/encoding/protowire"
)

// The field numbers of mvccpb.KeyValue that the walk reads, from its descriptor.
var kvKeyField, kvVersionField = func() (protowire.Number, protowire.Number) {
	fields := (&mvccpb.KeyValue{}).ProtoReflect().Descriptor().Fields()
	return fields.ByName("key").Number(), fields.ByName("version").Number()
}()

// keyValue is what the walk needs from an mvcc KeyValue.
type keyValue struct {
	key     []byte // points into the database: valid only within the transaction
	version int64
}

// parseKeyValue reads the wire format of an mvccpb.KeyValue in place,
// refusing what proto.Unmarshal refuses, without copying the value as
// Unmarshal would: the walk reads every revision of every key.
func parseKeyValue(b []byte) (keyValue, error) {
	var kv keyValue
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return kv, protowire.ParseError(n)
		}
		if num > protowire.MaxValidNumber {
			return kv, fmt.Errorf("field number %d is out of range", num)
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return kv, protowire.ParseError(m)
		}
		field := b[:m]
		b = b[m:]
		switch {
		case num == kvKeyField && typ == protowire.BytesType:
			kv.key, _ = protowire.ConsumeBytes(field)
		case num == kvVersionField && typ == protowire.VarintType:
			v, _ := protowire.ConsumeVarint(field)
			kv.version = int64(v)
		}
	}
	return kv, nil
}
