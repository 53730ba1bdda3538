package app

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/rampart-soc/rampart/internal/ingest"
	"github.com/rampart-soc/rampart/internal/ingest/cef"
	"github.com/rampart-soc/rampart/internal/ingest/syslog"
)

// startSyslog starts the syslog/CEF receivers that are configured. Syslog messages land
// in Syslog; CEF, inside syslog or bare, in CommonSecurityLog.
func (s *Server) startSyslog(ctx context.Context, wg *sync.WaitGroup) error {
	if s.cfg.SyslogUDP == "" && s.cfg.SyslogTCP == "" && s.cfg.SyslogTLS == "" {
		return nil
	}
	srv := &syslog.Server{UDPAddr: s.cfg.SyslogUDP, TCPAddr: s.cfg.SyslogTCP, TLSAddr: s.cfg.SyslogTLS, Logger: s.log}
	if s.cfg.SyslogTLS != "" {
		cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("syslog TLS: %w", err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	stream := ingest.NewStream(s.pipeline, s.log)
	h := &syslogHandler{s: s, stream: stream}
	srv.Handle = h.handle
	errc := make(chan error, 1)
	wg.Add(2)
	go func() { defer wg.Done(); stream.Run(ctx) }()
	go func() {
		defer wg.Done()
		if err := srv.Run(ctx); err != nil {
			errc <- err
		}
	}()
	select {
	case <-srv.Ready():
		s.syslog = srv
		s.log.Info("syslog listening", "udp", srv.UDPLocalAddr(), "tcp", srv.TCPLocalAddr(), "tls", srv.TLSLocalAddr())
		return nil
	case err := <-errc:
		return fmt.Errorf("syslog: %w", err)
	}
}

type syslogHandler struct {
	s      *Server
	stream *ingest.Stream
}

func (h *syslogHandler) handle(peer net.Addr, raw []byte, received time.Time) {
	peerIP := ""
	if host, _, err := net.SplitHostPort(peer.String()); err == nil {
		peerIP = host
	}
	msg, err := syslog.Parse(raw, received)
	if err != nil {
		// Not syslog: bare CEF is welcome; anything else is kept whole in Syslog.
		if line := string(raw); cef.IsCEF(line) {
			h.addCEF(line[cef.Find(line):], peerIP, received, len(raw))
			return
		}
		h.s.pipeline.Metrics().Rejects.WithLabelValues("syslog_unparsed").Inc()
		msg = syslog.Message{Facility: 1, Severity: 5, Msg: string(raw)}
	}
	if i := cef.Find(msg.Msg); i >= 0 {
		host := msg.Hostname
		if host == "" {
			host = peerIP
		}
		if h.addCEF(msg.Msg[i:], host, received, len(raw)) {
			return
		}
	}
	h.add("Syslog", len(raw), received, func(set func(col, val string)) { msg.Columns(peerIP, set) })
}

// addCEF stores a CEF record; false means it did not parse (the caller keeps it as syslog).
func (h *syslogHandler) addCEF(line, host string, received time.Time, n int) bool {
	ev, err := cef.Parse(line)
	if err != nil {
		h.s.pipeline.Metrics().Rejects.WithLabelValues("cef_unparsed").Inc()
		return false
	}
	ev.Host, ev.Received = host, received
	h.add("CommonSecurityLog", n, received, ev.Columns)
	return true
}

// add stores one row. A value that does not fit its column is kept in the row's
// additional fields rather than dropped.
func (h *syslogHandler) add(table string, n int, received time.Time, columns func(set func(col, val string))) {
	t, ok := h.s.tables.Get(table)
	if !ok {
		return
	}
	err := h.stream.Add(t, n, func(b *ingest.Builder) error {
		b.SetString("TimeGenerated", received.UTC().Format(time.RFC3339Nano))
		columns(func(col, val string) {
			if err := b.SetString(col, val); err != nil {
				h.s.pipeline.Metrics().Rejects.WithLabelValues("coerce").Inc()
				b.SetExtraString(col, val)
			}
		})
		return nil
	})
	if err != nil {
		h.s.log.Warn("syslog row not stored", "table", table, "err", err)
	}
}
