package syslog

import (
	"bytes"
	"context"
	"errors"
	"net"
	"time"
)

// serveUDP treats each datagram as one message (RFC 5426).
func (s *Server) serveUDP(ctx context.Context, pc net.PacketConn) error {
	buf := make([]byte, 64<<10) // the largest UDP payload
	limit := s.maxSize()
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			s.logger().Warn("syslog: udp read failed", "err", err)
			select { // ICMP-induced errors and the like: carry on, but never spin
			case <-time.After(10 * time.Millisecond):
			case <-ctx.Done():
				return nil
			}
			continue
		}
		b := bytes.TrimRight(buf[:n], "\r\n\x00")
		if len(b) == 0 {
			continue
		}
		if len(b) > limit {
			b = b[:limit]
			s.truncated.Add(1)
		}
		s.deliver(addr, b, time.Now())
	}
}
