package provider

import (
	"context"
	"log/slog"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// sshSubsystem names the tflog subsystem that the SSH pool logs to, so that
// TF_LOG_PROVIDER_GLUSTER_SSH can set its level on its own.
const sshSubsystem = "ssh"

// tflogHandler is a slog.Handler that writes the engine's log records
// (internal/remote logs with log/slog) to tflog. The pool outlives any one
// request, so the handler keeps the logger of the context that configured
// the provider, without its cancellation.
type tflogHandler struct {
	ctx   context.Context
	attrs []slog.Attr
	group string
}

func newTflogHandler(ctx context.Context) *tflogHandler {
	ctx = tflog.NewSubsystem(context.WithoutCancel(ctx), sshSubsystem)
	return &tflogHandler{ctx: ctx}
}

func (h *tflogHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *tflogHandler) Handle(_ context.Context, r slog.Record) error {
	fields := map[string]any{}
	for _, a := range h.attrs {
		addField(fields, "", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		addField(fields, h.group, a)
		return true
	})
	switch {
	case r.Level >= slog.LevelError:
		tflog.SubsystemError(h.ctx, sshSubsystem, r.Message, fields)
	case r.Level >= slog.LevelWarn:
		tflog.SubsystemWarn(h.ctx, sshSubsystem, r.Message, fields)
	case r.Level >= slog.LevelInfo:
		tflog.SubsystemInfo(h.ctx, sshSubsystem, r.Message, fields)
	default:
		tflog.SubsystemDebug(h.ctx, sshSubsystem, r.Message, fields)
	}
	return nil
}

func (h *tflogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	next := *h
	next.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &next
}

func (h *tflogHandler) WithGroup(name string) slog.Handler {
	next := *h
	if next.group != "" {
		name = next.group + "." + name
	}
	next.group = name
	return &next
}

// addField flattens a (possibly grouped) attribute into dotted keys. Values
// that implement slog.LogValuer, such as remote.Config, are resolved first,
// which is what keeps their secrets out.
func addField(fields map[string]any, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	key := a.Key
	if prefix != "" {
		key = prefix + "." + key
	}
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			addField(fields, key, g)
		}
		return
	}
	fields[key] = v.String()
}
