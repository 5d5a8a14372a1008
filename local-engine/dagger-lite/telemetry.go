package main

// The engine's telemetry for the session. dagger-lite prints what the module's functions
// write to stderr (their progress lines), as the real CLI shows a function's logs: the logs,
// on the stderr stream, of spans that are the calls our client made (a span whose parent is
// the request span of one of our queries). What those calls run inside (builds, execs) is not
// printed.

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"os"
	"sync"

	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// The engine streams spans when they start (and again when they end), before their logs.
type telemetryPrinter struct {
	root    trace.SpanID
	mu      sync.Mutex
	parents map[trace.SpanID]trace.SpanID
}

func newTelemetryPrinter(root trace.SpanContext) *telemetryPrinter {
	return &telemetryPrinter{root: root.SpanID(), parents: map[trace.SpanID]trace.SpanID{}}
}

func (p *telemetryPrinter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range spans {
		p.parents[s.SpanContext().SpanID()] = s.Parent().SpanID()
	}
	return nil
}

func (p *telemetryPrinter) Export(_ context.Context, records []sdklog.Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range records {
		request, ok := p.parents[r.SpanID()]
		if !ok || p.parents[request] != p.root || !isStderr(r) {
			continue
		}
		fmt.Fprint(os.Stderr, r.Body().AsString())
	}
	return nil
}

func isStderr(r sdklog.Record) bool {
	stderr := false
	r.WalkAttributes(func(kv log.KeyValue) bool {
		if kv.Key == "stdio.stream" {
			stderr = kv.Value.AsInt64() == 2
			return false
		}
		return true
	})
	return stderr
}

func (p *telemetryPrinter) ForceFlush(context.Context) error { return nil }
func (p *telemetryPrinter) Shutdown(context.Context) error   { return nil }

// newRootSpan is the span context of the session's one trace.
func newRootSpan() trace.SpanContext {
	var tid trace.TraceID
	var sid trace.SpanID
	_, _ = rand.Read(tid[:])
	_, _ = rand.Read(sid[:])
	return trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
}

// withTraceparent makes the requests the SDK sends through us part of the session's trace, so
// that the engine streams their telemetry back to us.
func withTraceparent(h http.Handler, root trace.SpanContext) http.Handler {
	tp := fmt.Sprintf("00-%s-%s-01", root.TraceID(), root.SpanID())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("traceparent") == "" {
			r.Header.Set("traceparent", tp)
		}
		h.ServeHTTP(w, r)
	})
}
