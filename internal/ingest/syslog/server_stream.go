package syslog

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// serveStream accepts TCP or TLS connections. A slot in sem is taken before
// Accept, so at MaxConns new connections wait in the kernel's backlog.
func (s *Server) serveStream(ctx context.Context, ln net.Listener, proto string, sem chan struct{}, wg *sync.WaitGroup) error {
	var backoff time.Duration
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		c, err := ln.Accept()
		if err != nil {
			<-sem
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("syslog: %s listener closed: %w", proto, err)
			}
			// EMFILE, ECONNABORTED and the like pass; do not spin on them.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.logger().Warn("syslog: accept failed", "proto", proto, "err", err, "retry_in", backoff)
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return nil
			}
			continue
		}
		backoff = 0
		if !s.track(c) {
			c.Close()
			<-sem
			return nil
		}
		s.accepted.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer s.untrack(c)
			s.serveConn(ctx, c, proto)
		}()
	}
}

// serveConn reads one connection until EOF, error, idleness or shutdown.
func (s *Server) serveConn(ctx context.Context, c net.Conn, proto string) {
	defer c.Close()
	peer := c.RemoteAddr()
	log := s.logger().With("proto", proto, "peer", peer.String())
	defer func() {
		if r := recover(); r != nil { // a bug in framing must not take the server down
			s.panics.Add(1)
			log.Error("syslog: panic serving connection", "panic", fmt.Sprint(r))
		}
	}()
	idle := s.idleTimeout()
	if tc, ok := c.(*tls.Conn); ok {
		c.SetDeadline(time.Now().Add(idle))
		if err := tc.HandshakeContext(ctx); err != nil {
			s.connErrors.Add(1)
			log.Warn("syslog: TLS handshake failed", "err", err)
			return
		}
		c.SetDeadline(time.Time{}) // reads renew their own deadline below
	}
	sc := NewScanner(idleReader{c: c, idle: idle}, s.maxSize())
	for sc.Scan() {
		if sc.Truncated() {
			s.truncated.Add(1)
			log.Warn("syslog: message truncated", "max_size", s.maxSize())
		}
		s.deliver(peer, sc.Bytes(), time.Now())
	}
	switch err := sc.Err(); {
	case err == nil || ctx.Err() != nil || errors.Is(err, net.ErrClosed):
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.idle.Add(1)
		log.Debug("syslog: idle connection closed", "idle_timeout", idle)
	case errors.Is(err, io.ErrUnexpectedEOF):
		s.connErrors.Add(1)
		log.Warn("syslog: connection ended inside a message")
	default:
		s.connErrors.Add(1)
		log.Warn("syslog: read failed", "err", err)
	}
}

// idleReader renews the read deadline before every read, so time spent
// blocked in Handle never counts as idleness.
type idleReader struct {
	c    net.Conn
	idle time.Duration
}

func (r idleReader) Read(p []byte) (int, error) {
	if err := r.c.SetReadDeadline(time.Now().Add(r.idle)); err != nil {
		return 0, err
	}
	return r.c.Read(p)
}
