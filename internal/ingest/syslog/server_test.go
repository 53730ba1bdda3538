package syslog

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

type received struct {
	peer net.Addr
	msg  string
}

// start runs s until the test ends and waits for its listeners.
func start(t *testing.T, s *Server) (stop func() error) {
	t.Helper()
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	select {
	case <-s.Ready():
	case <-time.After(5 * time.Second):
		t.Fatal("server not ready")
	}
	var stopped bool
	var runErr error
	stop = func() error {
		if stopped {
			return runErr
		}
		stopped = true
		cancel()
		select {
		case runErr = <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
		return runErr
	}
	t.Cleanup(func() { stop() })
	return stop
}

func collect(t *testing.T, ch <-chan received, n int) []received {
	t.Helper()
	var out []received
	timeout := time.After(5 * time.Second)
	for len(out) < n {
		select {
		case r := <-ch:
			out = append(out, r)
		case <-timeout:
			t.Fatalf("received %d of %d messages: %v", len(out), n, out)
		}
	}
	return out
}

func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "rampart-test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func TestServerTCPUDPTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	ch := make(chan received, 16)
	s := &Server{
		UDPAddr: "127.0.0.1:0", TCPAddr: "127.0.0.1:0", TLSAddr: "127.0.0.1:0",
		TLSConfig:      &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		MaxMessageSize: 64,
		Handle: func(peer net.Addr, raw []byte, _ time.Time) {
			ch <- received{peer, string(raw)}
		},
	}
	stop := start(t, s)

	u, err := net.Dial("udp", s.UDPLocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	u.Write([]byte("<13>Mar 10 11:00:00 h udp: one\n"))
	u.Write([]byte("<13>" + strings.Repeat("u", 100))) // truncated to 64

	c, err := net.Dial("tcp", s.TCPLocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "<13>tcp lf\r\n19 <13>tcp octet\ncount")

	tc, err := tls.Dial("tcp", s.TLSLocalAddr().String(), &tls.Config{RootCAs: pool})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	io.WriteString(tc, "<13>1 - - tls - - - over tls\n")

	got := collect(t, ch, 5)
	var msgs []string
	for _, r := range got {
		if ip := r.peer.String(); !strings.HasPrefix(ip, "127.0.0.1:") {
			t.Errorf("peer = %s", ip)
		}
		msgs = append(msgs, r.msg)
	}
	sort.Strings(msgs)
	want := []string{"<13>1 - - tls - - - over tls", "<13>Mar 10 11:00:00 h udp: one", "<13>" + strings.Repeat("u", 60),
		"<13>tcp lf", "<13>tcp octet\ncount"}
	sort.Strings(want)
	if strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", msgs, want)
	}

	// Shutdown closes open connections and returns nil.
	if err := stop(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("client read after shutdown = %v, want the connection closed", err)
	}
	if st := s.Stats(); st.Messages != 5 || st.Truncated != 1 || st.Connections != 2 {
		t.Errorf("stats = %+v", st)
	}
}

func TestServerRecoversFromHandlerPanic(t *testing.T) {
	ch := make(chan received, 4)
	s := &Server{TCPAddr: "127.0.0.1:0", Handle: func(peer net.Addr, raw []byte, _ time.Time) {
		if string(raw) == "boom" {
			panic("handler bug")
		}
		ch <- received{peer, string(raw)}
	}}
	start(t, s)
	c, err := net.Dial("tcp", s.TCPLocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "boom\n<13>still here\n")
	if got := collect(t, ch, 1); got[0].msg != "<13>still here" {
		t.Fatalf("got %q", got[0].msg)
	}
	if p := s.Stats().Panics; p != 1 {
		t.Fatalf("Panics = %d, want 1", p)
	}
}

// TestServerBackpressure: while Handle blocks, the server must stop reading,
// so the sender's writes stall instead of the server queueing without bound.
func TestServerBackpressure(t *testing.T) {
	release := make(chan struct{})
	calls := make(chan struct{}, 1)
	s := &Server{TCPAddr: "127.0.0.1:0", Handle: func(net.Addr, []byte, time.Time) {
		select {
		case calls <- struct{}{}:
		default:
		}
		<-release
	}}
	start(t, s)
	defer close(release)
	c, err := net.Dial("tcp", s.TCPLocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	line := []byte("<13>" + strings.Repeat("b", 1019) + "\n")
	c.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
	var total int
	for total < 256<<20 {
		n, err := c.Write(line)
		total += n
		if err != nil {
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("write: %v", err)
			}
			break
		}
	}
	if total >= 256<<20 {
		t.Fatalf("wrote %d bytes without stalling: the server is not applying backpressure", total)
	}
	if got := s.Stats().Messages; got != 1 {
		t.Fatalf("Handle entered %d times while blocked, want 1", got)
	}
	t.Logf("sender stalled after %d KiB", total>>10)
}

func TestServerIdleTimeout(t *testing.T) {
	s := &Server{TCPAddr: "127.0.0.1:0", IdleTimeout: 100 * time.Millisecond,
		Handle: func(net.Addr, []byte, time.Time) {}}
	start(t, s)
	c, err := net.Dial("tcp", s.TCPLocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("read = %v, want EOF from the server closing an idle connection", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for s.Stats().IdleTimeouts != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("IdleTimeouts = %d", s.Stats().IdleTimeouts)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestServerConfigErrors(t *testing.T) {
	for _, s := range []*Server{
		{TCPAddr: "127.0.0.1:0"},
		{Handle: func(net.Addr, []byte, time.Time) {}},
		{TLSAddr: "127.0.0.1:0", Handle: func(net.Addr, []byte, time.Time) {}},
		{TCPAddr: "256.0.0.1:1", Handle: func(net.Addr, []byte, time.Time) {}},
	} {
		if err := s.Run(context.Background()); err == nil {
			t.Errorf("Run(%+v) = nil, want an error", s)
		}
		select {
		case <-s.Ready():
		default:
			t.Error("Ready must be closed when Run fails")
		}
	}
}
