// dagger-lite: a minimal stand-in for the dagger CLI, for machines where the
// real CLI cannot be built (its terminal UI needs modules the Go proxy here
// does not serve). It only does what SDK clients need:
//
//	dagger-lite session [--label k:v]... [--version v] [...]   (used by the SDKs)
//	dagger-lite run CMD [ARGS...]    run CMD with DAGGER_SESSION_PORT/TOKEN set
//	dagger-lite version
//
// The engine is taken from $_EXPERIMENTAL_DAGGER_RUNNER_HOST, else the
// address linked in with -X main.defaultRunnerHost.
// Written for the s2i-python project (local-engine/); built by build-binaries.sh. It prints
// what the functions of a module write to stderr (telemetry.go).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dagger/dagger/engine"
	"github.com/dagger/dagger/engine/client"
	"go.opentelemetry.io/otel/trace"
)

var defaultRunnerHost = "tcp://127.0.0.1:1234"

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "session":
		err = session(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	case "version", "--version":
		fmt.Printf("dagger-lite (s2i-python) %s, engine API of dagger %s, runner %s\n", engine.Version, engine.Version, runnerHost())
	case "-h", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "dagger-lite: unsupported command %q (only session, run, version)\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			os.Exit(exitErr.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "dagger-lite:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: dagger-lite session [flags] | run CMD [ARGS...] | version")
}

func runnerHost() string {
	if v := os.Getenv("_EXPERIMENTAL_DAGGER_RUNNER_HOST"); v != "" {
		return v
	}
	return defaultRunnerHost
}

func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// serve connects to the engine, serves its GraphQL API on 127.0.0.1:<random>
// and calls ready with the port and token. It returns when ctx is done or
// the listener is closed.
func serve(ctx context.Context, version string, ready func(port int, token string) error) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	go func() { <-ctx.Done(); l.Close() }()

	if err := probe(runnerHost()); err != nil {
		return err
	}
	// One trace for the session: the engine streams back the telemetry of that trace, and
	// every request the SDK sends through us is made part of it.
	root := newRootSpan()
	ctx = trace.ContextWithSpanContext(ctx, root)
	printer := newTelemetryPrinter(root)
	sess, err := client.Connect(ctx, client.Params{
		RunnerHost:  runnerHost(),
		SecretToken: token,
		Version:     version,
		EngineTrace: printer,
		EngineLogs:  printer,
	})
	if err != nil {
		return fmt.Errorf("connect to engine at %s: %w", runnerHost(), err)
	}
	defer sess.Close()

	srv := &http.Server{
		Handler:           withTraceparent(sess, root),
		ReadHeaderTimeout: 30 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	if err := ready(l.Addr().(*net.TCPAddr).Port, token); err != nil {
		return err
	}
	if err := srv.Serve(l); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// probe fails fast when a tcp:// or unix:// engine does not answer: the
// engine client would otherwise keep retrying for minutes.
func probe(host string) error {
	var network, addr string
	switch {
	case strings.HasPrefix(host, "tcp://"):
		network, addr = "tcp", strings.TrimPrefix(host, "tcp://")
	case strings.HasPrefix(host, "unix://"):
		network, addr = "unix", strings.TrimPrefix(host, "unix://")
	default:
		return nil
	}
	c, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		return fmt.Errorf("no dagger engine at %s (%v); start it with local-engine/up.sh", host, err)
	}
	return c.Close()
}

func session(args []string) error {
	version := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--version" && i+1 < len(args):
			version = args[i+1]
			i++
		case strings.HasPrefix(a, "--version="):
			version = strings.TrimPrefix(a, "--version=")
		}
		// Other flags (--label, --workdir, ...) are accepted and ignored.
	}
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The SDK ends the session by closing our stdin.
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); cancel() }()
	// An engine that is stopping waits for our connection to close, and our close may wait for
	// it: seen as an orphaned session that kept the engine "stopping" for minutes. Once the
	// session is over, give the close a few seconds, then go.
	go func() {
		<-ctx.Done()
		time.Sleep(10 * time.Second)
		os.Exit(1)
	}()

	return serve(ctx, version, func(port int, token string) error {
		b, err := json.Marshal(map[string]any{"port": port, "session_token": token})
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(append(b, '\n'))
		return err
	})
}

func run(args []string) error {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return errors.New("run: no command given")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var cmdErr error
	err := serve(ctx, "", func(port int, token string) error {
		go func() {
			defer cancel()
			cmd := exec.CommandContext(ctx, args[0], args[1:]...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
			cmd.Env = append(os.Environ(),
				fmt.Sprintf("DAGGER_SESSION_PORT=%d", port),
				"DAGGER_SESSION_TOKEN="+token)
			cmdErr = cmd.Run()
		}()
		return nil
	})
	if cmdErr != nil {
		return cmdErr
	}
	return err
}
