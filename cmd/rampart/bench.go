package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-soc/rampart/internal/bench"
	"github.com/rampart-soc/rampart/internal/client"
	"github.com/rampart-soc/rampart/internal/store/duckdb"
)

func init() {
	benchCmd := &cobra.Command{Use: "bench", Short: "Load generators and benchmarks"}
	var dur, sysDur time.Duration
	var conc, batch, sysConns int
	var keep bool
	ing := &cobra.Command{
		Use:   "ingest",
		Short: "Start a server on a fresh data directory and measure ingestion over HTTP and syslog TCP",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return benchIngest(cmd.Context(), dur, sysDur, conc, batch, sysConns, keep)
		},
	}
	ing.Flags().DurationVar(&dur, "duration", 60*time.Second, "HTTP load duration")
	ing.Flags().DurationVar(&sysDur, "syslog-duration", 20*time.Second, "syslog TCP load duration (0 skips)")
	ing.Flags().IntVar(&conc, "concurrency", 4, "concurrent HTTP clients")
	ing.Flags().IntVar(&batch, "batch", 2000, "events per HTTP request")
	ing.Flags().IntVar(&sysConns, "syslog-conns", 2, "syslog TCP connections")
	ing.Flags().BoolVar(&keep, "keep", false, "keep the data directory")
	benchCmd.AddCommand(ing)
	rootCmd.AddCommand(benchCmd)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// peakRSS follows a process's resident memory until stop is closed.
func peakRSS(pid int, stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
				sc := bufio.NewScanner(strings.NewReader(string(b)))
				for sc.Scan() {
					if f := strings.Fields(sc.Text()); len(f) >= 2 && (f[0] == "VmHWM:" || f[0] == "VmRSS:") {
						if kb, _ := strconv.ParseInt(f[1], 10, 64); kb*1024 > peak {
							peak = kb * 1024
						}
					}
				}
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// childServer is a `rampart serve` started by a benchmark on a fresh data directory.
type childServer struct {
	cmd     *exec.Cmd
	dir     string
	base    string
	key     string
	sysAddr string
	client  *client.Client
}

func startChild(ctx context.Context, keep bool) (*childServer, error) {
	dir, err := os.MkdirTemp("", "rampart-bench-")
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	sysPort, err := freePort()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cs := &childServer{dir: dir, key: "bench-admin-key-0123456789", base: fmt.Sprintf("http://127.0.0.1:%d", httpPort),
		sysAddr: fmt.Sprintf("127.0.0.1:%d", sysPort)}
	cs.cmd = exec.Command(self, "serve", "--data", dir, "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--syslog-tcp", cs.sysAddr, "--syslog-udp", "", "--log-level", "warn")
	cs.cmd.Env = append(os.Environ(), "RAMPART_ADMIN_KEY="+cs.key)
	cs.cmd.Stderr = os.Stderr
	if err := cs.cmd.Start(); err != nil {
		return nil, err
	}
	cs.client = client.New(cs.base, cs.key)
	for i := 0; ; i++ {
		if err := cs.client.JSON(ctx, "GET", "/readyz", nil, nil); err == nil {
			break
		}
		if i > 600 {
			cs.stop(keep)
			return nil, fmt.Errorf("server did not become ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return cs, nil
}

// stop ends the server gracefully (it checkpoints) and removes its data unless kept.
func (cs *childServer) stop(keep bool) {
	cs.cmd.Process.Signal(syscall.SIGTERM)
	cs.cmd.Wait()
	if !keep {
		os.RemoveAll(cs.dir)
	}
}

func benchIngest(ctx context.Context, dur, sysDur time.Duration, conc, batch, sysConns int, keep bool) error {
	cs, err := startChild(ctx, keep)
	if err != nil {
		return err
	}
	srv, dir, base, key, c := cs.cmd, cs.dir, cs.base, cs.key, cs.client
	defer srv.Process.Kill()
	if !keep {
		defer os.RemoveAll(dir)
	}
	stopRSS := make(chan struct{})
	rss := peakRSS(srv.Process.Pid, stopRSS)
	fmt.Printf("server pid %d, data %s\n", srv.Process.Pid, dir)
	baseDir, err := os.MkdirTemp("", "rampart-baseline-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(baseDir)
	baseRate, err := bench.Baseline(ctx, baseDir, 10*time.Second)
	if err != nil {
		return err
	}
	fmt.Printf("baseline: DuckDB append+commit of decoded SecurityEvent rows, 2,000 per transaction, one goroutine: %.0f rows/s\n", baseRate)
	fmt.Printf("HTTP: %d clients, %d events per request, %s, mix SecurityEvent 60%% / Syslog 20%% / CommonSecurityLog 20%%\n", conc, batch, dur)
	res, err := bench.RunHTTP(ctx, bench.HTTPLoad{Server: base, Key: key, Duration: dur, Concurrency: conc, BatchRows: batch, Mix: [3]int{60, 20, 20}})
	if err != nil {
		return err
	}
	fmt.Printf("  events acknowledged: %d in %s = %.0f events/s (%.1f MB/s of NDJSON)\n", res.Events, res.Elapsed.Round(time.Millisecond), res.EventsPerSec(), float64(res.InputBytes)/res.Elapsed.Seconds()/1e6)
	fmt.Printf("  ratio to the storage baseline: %.2f\n", res.EventsPerSec()/baseRate)
	fmt.Printf("  ack latency per request: p50 %s, p99 %s; requests %d, 503 answers %d, errors %d\n", res.P50.Round(time.Microsecond), res.P99.Round(time.Microsecond), res.Requests, res.Retries, res.Errors)

	if sysDur > 0 {
		before, err := storedRows(ctx, c, "Syslog", "CommonSecurityLog")
		if err != nil {
			return err
		}
		sent, el, err := bench.RunSyslogTCP(ctx, cs.sysAddr, sysConns, sysDur)
		if err != nil {
			fmt.Printf("  syslog: %v\n", err)
		}
		time.Sleep(2 * time.Second) // let the last batches commit
		after, err := storedRows(ctx, c, "Syslog", "CommonSecurityLog")
		if err != nil {
			return err
		}
		fmt.Printf("syslog TCP: %d connections, %s: %d messages written, %d rows stored = %.0f rows/s\n", sysConns, sysDur, sent, after-before, float64(after-before)/el.Seconds())
	}

	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()
	close(stopRSS)
	fmt.Printf("server peak RSS: %.0f MiB\n", float64(<-rss)/(1<<20))
	return reportStorage(ctx, dir)
}

func storedRows(ctx context.Context, c *client.Client, tables ...string) (int64, error) {
	var total int64
	for _, t := range tables {
		var out struct {
			Rows int64 `json:"rows"`
		}
		if err := c.JSON(ctx, "GET", "/api/v1/tables/"+t, nil, &out); err != nil {
			return 0, err
		}
		total += out.Rows
	}
	return total, nil
}

// reportStorage measures stored bytes per event: each table is copied alone into a fresh
// database file, whose size after a checkpoint is divided by its rows.
func reportStorage(ctx context.Context, dir string) error {
	st, err := duckdb.Open(dir, duckdb.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	for _, t := range []string{"SecurityEvent", "Syslog", "CommonSecurityLog"} {
		path := filepath.Join(dir, "measure-"+t+".duckdb")
		db := st.DB()
		var rows int64
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %s`, duckdb.Quote(t))).Scan(&rows); err != nil {
			return err
		}
		if rows == 0 {
			continue
		}
		// Hold one connection: ATTACH is per connection.
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		stmts := []string{
			fmt.Sprintf(`ATTACH '%s' AS measure`, path),
			fmt.Sprintf(`CREATE TABLE measure.t AS SELECT * FROM %s`, duckdb.Quote(t)),
			`CHECKPOINT measure`, `DETACH measure`,
		}
		for _, s := range stmts {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				conn.Close()
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		conn.Close()
		fi, err := os.Stat(path)
		if err != nil {
			return err
		}
		fmt.Printf("stored: %s %d rows, %.1f MiB, %.1f bytes/event\n", t, rows, float64(fi.Size())/(1<<20), float64(fi.Size())/float64(rows))
		os.Remove(path)
	}
	return nil
}

func init() {
	var dur time.Duration
	var rate int
	var rulesDir string
	cmd := &cobra.Command{
		Use:   "detect",
		Short: "Start a server and measure streaming detection latency (event acknowledged → alert visible) under load",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cs, err := startChild(ctx, false)
			if err != nil {
				return err
			}
			defer cs.stop(false)
			n := 0
			if rulesDir != "" {
				var out bytes.Buffer
				if err := importRulesTo(ctx, cs.client, rulesDir, &out); err != nil {
					return err
				}
				var list struct{ Rules []json.RawMessage }
				cs.client.JSON(ctx, "GET", "/api/v1/rules?kind=Sigma", nil, &list)
				n = len(list.Rules)
			}
			var imp struct{ Imported int }
			if err := cs.client.Do(ctx, client.Request{Method: "POST", Path: "/api/v1/rules/import?name=probe.yml", Body: []byte(bench.ProbeRule), ContentType: "application/yaml"}, &imp); err != nil {
				return err
			}
			fmt.Printf("streaming rules loaded: %d (+ the probe rule); background load %d SecurityEvent events/s for %s; a probe every 250 ms\n", n, rate, dur)
			res, err := bench.RunDetect(ctx, bench.DetectLoad{Client: cs.client, Server: cs.base, Key: cs.key, Rate: rate, Duration: dur, ProbeEvery: 250 * time.Millisecond})
			if err != nil {
				return err
			}
			fmt.Printf("  background events acknowledged: %d = %.0f events/s\n", res.Background, float64(res.Background)/res.Elapsed.Seconds())
			fmt.Printf("  probes: %d sent, %d alerts seen; event acknowledged → alert visible: p50 %s, p99 %s, max %s\n",
				res.Probes, res.Seen, res.P50.Round(time.Millisecond), res.P99.Round(time.Millisecond), res.Max.Round(time.Millisecond))
			var m struct {
				Alerts    int `json:"alerts"`
				Incidents int `json:"incidents"`
			}
			if err := cs.client.JSON(ctx, "GET", "/api/v1/soc/metrics", nil, &m); err == nil {
				fmt.Printf("  alerts raised by all rules: %d, incidents: %d\n", m.Alerts, m.Incidents)
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&dur, "duration", 30*time.Second, "load duration")
	cmd.Flags().IntVar(&rate, "rate", 20000, "background events per second")
	cmd.Flags().StringVar(&rulesDir, "sigma-rules", "", "also load this tree of Sigma rules (e.g. ../shared/corpus/sigma/rules/windows)")
	for _, c := range rootCmd.Commands() {
		if c.Name() == "bench" {
			c.AddCommand(cmd)
		}
	}
}
