package syslog

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for the zero values of Server's limits.
const (
	DefaultMaxConns    = 1024
	DefaultIdleTimeout = 5 * time.Minute
)

// Server receives syslog over UDP, TCP and TLS.
//
// Handle is called for every message, sequentially per connection (and for
// all of UDP). It may block: a blocked TCP or TLS connection is simply not
// read, so the sender sees TCP backpressure; nothing queues in between. For
// UDP the kernel socket buffer fills and then drops, as UDP always does.
// raw is only valid during the call. A panic in Handle is recovered, logged
// and counted in Stats.Panics, and the connection carries on.
//
// A Server runs once; its exported fields must not change while it runs.
type Server struct {
	UDPAddr   string // "" disables UDP
	TCPAddr   string // "" disables plain TCP
	TLSAddr   string // "" disables TLS; needs TLSConfig
	TLSConfig *tls.Config

	MaxMessageSize int           // longer messages are truncated; 0 means DefaultMaxMessageSize
	MaxConns       int           // TCP+TLS connections served at once; 0 means DefaultMaxConns
	IdleTimeout    time.Duration // close a stream that sends nothing for this long; 0 means DefaultIdleTimeout

	Handle func(peer net.Addr, raw []byte, received time.Time)
	Logger *slog.Logger // nil means slog.Default()

	once      sync.Once
	ready     chan struct{}
	readyOnce sync.Once

	mu      sync.Mutex
	udp     net.Addr
	tcp     net.Addr
	tlsAddr net.Addr
	conns   map[net.Conn]struct{}
	closing bool

	messages, truncated, panics, accepted, idle, connErrors atomic.Uint64
}

// Stats are counters since Run started.
type Stats struct {
	Messages     uint64 // messages handed to Handle
	Truncated    uint64 // messages cut to MaxMessageSize
	Panics       uint64 // panics recovered from Handle
	Connections  uint64 // TCP and TLS connections accepted
	IdleTimeouts uint64 // connections closed for idleness
	ConnErrors   uint64 // TLS handshake failures and read errors
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	return Stats{
		Messages: s.messages.Load(), Truncated: s.truncated.Load(), Panics: s.panics.Load(),
		Connections: s.accepted.Load(), IdleTimeouts: s.idle.Load(), ConnErrors: s.connErrors.Load(),
	}
}

func (s *Server) init() {
	s.once.Do(func() { s.ready = make(chan struct{}) })
}

// Ready is closed once Run has bound its listeners, or has failed to.
func (s *Server) Ready() <-chan struct{} {
	s.init()
	return s.ready
}

func (s *Server) markReady() {
	s.init()
	s.readyOnce.Do(func() { close(s.ready) })
}

// UDPLocalAddr returns the bound UDP address, nil before Ready or if disabled.
func (s *Server) UDPLocalAddr() net.Addr { s.mu.Lock(); defer s.mu.Unlock(); return s.udp }

// TCPLocalAddr returns the bound TCP address, nil before Ready or if disabled.
func (s *Server) TCPLocalAddr() net.Addr { s.mu.Lock(); defer s.mu.Unlock(); return s.tcp }

// TLSLocalAddr returns the bound TLS address, nil before Ready or if disabled.
func (s *Server) TLSLocalAddr() net.Addr { s.mu.Lock(); defer s.mu.Unlock(); return s.tlsAddr }

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Server) maxSize() int {
	if s.MaxMessageSize > 0 {
		return s.MaxMessageSize
	}
	return DefaultMaxMessageSize
}

func (s *Server) idleTimeout() time.Duration {
	if s.IdleTimeout > 0 {
		return s.IdleTimeout
	}
	return DefaultIdleTimeout
}

// Run listens on the configured addresses and serves until ctx is cancelled,
// then closes listeners and connections, waits for in-flight Handle calls
// and returns nil. It returns an error if a listener cannot be opened or
// fails for good.
func (s *Server) Run(ctx context.Context) error {
	s.init()
	defer s.markReady()
	if s.Handle == nil {
		return errors.New("syslog: Server.Handle is nil")
	}
	if s.UDPAddr == "" && s.TCPAddr == "" && s.TLSAddr == "" {
		return errors.New("syslog: no listen address")
	}
	if s.TLSAddr != "" && s.TLSConfig == nil {
		return errors.New("syslog: TLSAddr needs TLSConfig")
	}

	var (
		lc      net.ListenConfig
		pc      net.PacketConn
		tcpLn   net.Listener
		tlsLn   net.Listener
		closers []func() error
	)
	fail := func(what, addr string, err error) error {
		for _, c := range closers {
			c()
		}
		return fmt.Errorf("syslog: listen %s %s: %w", what, addr, err)
	}
	if s.UDPAddr != "" {
		var err error
		if pc, err = lc.ListenPacket(ctx, "udp", s.UDPAddr); err != nil {
			return fail("udp", s.UDPAddr, err)
		}
		closers = append(closers, pc.Close)
	}
	if s.TCPAddr != "" {
		var err error
		if tcpLn, err = lc.Listen(ctx, "tcp", s.TCPAddr); err != nil {
			return fail("tcp", s.TCPAddr, err)
		}
		closers = append(closers, tcpLn.Close)
	}
	if s.TLSAddr != "" {
		raw, err := lc.Listen(ctx, "tcp", s.TLSAddr)
		if err != nil {
			return fail("tls", s.TLSAddr, err)
		}
		tlsLn = tls.NewListener(raw, s.TLSConfig)
		closers = append(closers, tlsLn.Close)
	}

	s.mu.Lock()
	s.conns = make(map[net.Conn]struct{})
	if pc != nil {
		s.udp = pc.LocalAddr()
	}
	if tcpLn != nil {
		s.tcp = tcpLn.Addr()
	}
	if tlsLn != nil {
		s.tlsAddr = tlsLn.Addr()
	}
	s.mu.Unlock()
	s.markReady()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, 3)
	sem := make(chan struct{}, cmpOr(s.MaxConns, DefaultMaxConns))
	spawn := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				errc <- err
			}
		}()
	}
	if pc != nil {
		spawn(func() error { return s.serveUDP(ctx, pc) })
	}
	if tcpLn != nil {
		spawn(func() error { return s.serveStream(ctx, tcpLn, "tcp", sem, &wg) })
	}
	if tlsLn != nil {
		spawn(func() error { return s.serveStream(ctx, tlsLn, "tls", sem, &wg) })
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	cancel()
	for _, c := range closers {
		c()
	}
	s.closeConns()
	wg.Wait()
	return err
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// deliver calls Handle, turning a panic into a log line and a count.
func (s *Server) deliver(peer net.Addr, raw []byte, received time.Time) {
	defer func() {
		if r := recover(); r != nil {
			s.panics.Add(1)
			s.logger().Error("syslog: panic in handler", "peer", peer.String(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	s.messages.Add(1)
	s.Handle(peer, raw, received)
}

// track registers a connection so shutdown can close it; false if shutting down.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (s *Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing = true
	for c := range s.conns {
		// An expired deadline first, so a TLS close_notify cannot block.
		c.SetDeadline(time.Now())
		c.Close()
	}
}
